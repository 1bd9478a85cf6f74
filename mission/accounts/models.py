"""Users, their department, their place in the field structure and their role."""

from typing import Any, ClassVar, cast

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise
from simple_history.models import HistoricalRecords

from field_offices.models import FieldTeam, Region
from mission.accounts.permissions import AnyUser, ScopedQuerySet, scope_for
from mission.accounts.roles import (
    DEPARTMENT_ROLES,
    FIELD_ROLES,
    MISSION_ROLES,
    PROGRAMME_DEPARTMENTS,
    Department,
    Role,
)


class UserQuerySet(ScopedQuerySet["User"]):
    """Colleagues: staff of the user's department (and region, for field roles)."""

    department_lookup = "department"
    region_lookup = "region"

    def visible_to(self, user: AnyUser) -> "UserQuerySet":
        if user.is_authenticated and user.is_active and user.role == Role.ADMINISTRATOR:
            return self
        if scope_for(user).nothing:
            return self.none()
        # Partner accounts are managed by administrators and are nobody else's business.
        return super().visible_to(user).exclude(role=Role.PARTNER).filter(is_active=True)


class PortalUserManager(UserManager["User"]):
    # Spelled out rather than built with `UserManager.from_queryset(UserQuerySet)`: mypy cannot see the
    # methods of a class made at run time. What it made: the queryset's class and its `visible_to`.
    _queryset_class = UserQuerySet

    def get_queryset(self) -> UserQuerySet:
        return cast(UserQuerySet, super().get_queryset())  # made from `_queryset_class`

    def visible_to(self, user: AnyUser) -> UserQuerySet:
        return self.get_queryset().visible_to(user)

    def create_superuser(
        self, username: str, email: str | None = None, password: str | None = None, **extra_fields: Any
    ) -> "User":
        # `createsuperuser` makes an administrator: the only role that may hold Django's staff flags.
        extra_fields.setdefault("role", Role.ADMINISTRATOR)
        extra_fields.setdefault("department", Department.MISSION)
        return super().create_superuser(username, email, password, **extra_fields)


class SpokenLanguage(models.TextChoices):
    """Languages of proceedings and meetings in Kosovo (and English), that staff speak."""

    ALBANIAN = "sq", _("Albanian")
    SERBIAN = "sr", _("Serbian")
    TURKISH = "tr", _("Turkish")
    BOSNIAN = "bs", _("Bosnian")
    ROMANI = "rom", _("Romani")
    ENGLISH = "en", _("English")


class User(AbstractUser):
    department = models.CharField(_("department"), max_length=20, choices=Department.choices, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("region"),
        help_text=_("Field monitors and supervisors work in a region; leave empty for headquarters."),
    )
    field_team = models.ForeignKey(
        FieldTeam,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("field team"),
    )
    organisation = models.CharField(
        _("organisation"), max_length=200, blank=True, help_text=_("For partners: the institution they work for.")
    )
    # Codes of SpokenLanguage: planning warns when a monitor is sent to proceedings in another language.
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects: ClassVar[PortalUserManager] = PortalUserManager()

    # Read by django-simple-history on the next save(): who made the change. Services set it.
    _history_user: "User | None"

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                name="user_department_fits_role",
                condition=(
                    Q(role__in=DEPARTMENT_ROLES, department__in=PROGRAMME_DEPARTMENTS)
                    | Q(role__in=MISSION_ROLES, department=Department.MISSION)
                    | Q(role=Role.PARTNER, department="")
                ),
            ),
            models.CheckConstraint(
                name="user_region_only_for_field_roles",
                condition=Q(role__in=FIELD_ROLES, region__isnull=False)
                | (~Q(role__in=FIELD_ROLES) & Q(region__isnull=True, field_team__isnull=True)),
            ),
            models.CheckConstraint(
                name="user_admin_flags_only_for_administrators",
                condition=Q(is_staff=False, is_superuser=False) | Q(role=Role.ADMINISTRATOR),
            ),
        ]

    def clean(self) -> None:
        super().clean()
        errors: dict[str, StrOrPromise] = {}
        if self.role in DEPARTMENT_ROLES and self.department not in PROGRAMME_DEPARTMENTS:
            errors["department"] = _("Monitors, supervisors and department heads belong to one department.")
        elif self.role in MISSION_ROLES and self.department != Department.MISSION:
            errors["department"] = _("Mission management and administrators are mission-wide.")
        elif self.role == Role.PARTNER and self.department:
            errors["department"] = _("Partners belong to no department.")
        if self.role in FIELD_ROLES and self.region_id is None:
            errors["region"] = _("Field monitors and supervisors need a region.")
        elif self.role not in FIELD_ROLES and (self.region_id or self.field_team_id):
            errors["region"] = _("Only field monitors and supervisors are placed in a region or field team.")
        elif self.field_team is not None and self.field_team.region_id != self.region_id:
            errors["field_team"] = _("The field team must belong to the user's region.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_partner(self) -> bool:
        return self.role == Role.PARTNER

    @property
    def placement(self) -> StrOrPromise:
        """Where the user works, in words: field team, regional centre or headquarters."""
        if self.field_team is not None and self.region is not None:
            return _("Field team %(team)s, region %(region)s") % {
                "team": self.field_team.name,
                "region": self.region.name,
            }
        if self.region is not None:
            return _("Regional centre %(region)s") % {"region": self.region.name}
        if self.role == Role.PARTNER:
            return self.organisation or _("External partner")
        return _("Headquarters")


class FormSubmission(models.Model):
    """A form that created a record, by the one-time token the form carried. A repeated POST of the same
    form (a double click, a resend after a timeout) finds it and lands where the first one did, instead
    of creating the record twice or answering "already exists" (see `mission.forms.once_per_form`)."""

    token = models.UUIDField(_("form token"), unique=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+", verbose_name=_("user"))
    url = models.CharField(_("where it led"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")

    def __str__(self) -> str:
        return f"{self.token} → {self.url}"


class UserSession(models.Model):
    """A signed-in session of a user, so that they (and an administrator) can list and end them. Made
    when someone signs in and removed when they sign out; a row whose session has expired is ignored
    and dropped when the list is read (`mission.accounts.user_sessions`)."""

    session_key = models.CharField(_("session key"), max_length=40, unique=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="signed_in_sessions", verbose_name=_("user"))
    created_at = models.DateTimeField(_("signed in"), auto_now_add=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("signed-in session")
        verbose_name_plural = _("signed-in sessions")
        indexes = [models.Index(fields=["user", "created_at"], name="usersession_user_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d %H:%M}"


class SecurityEventKind(models.TextChoices):
    TWO_FACTOR_ENABLED = "two_factor_enabled", _("Two-factor sign-in set up")
    TWO_FACTOR_DISABLED = "two_factor_disabled", _("Two-factor sign-in turned off")
    RECOVERY_CODES_RENEWED = "recovery_codes_renewed", _("New recovery codes made")
    RECOVERY_CODE_USED = "recovery_code_used", _("Signed in with a recovery code")
    TWO_FACTOR_RESET = "two_factor_reset", _("Two-factor sign-in reset by an administrator (lost device)")
    SESSIONS_ENDED = "sessions_ended", _("Sessions ended")


class SecurityEvent(models.Model):
    """What happened to a user's sign-in: the audit trail of two-factor sign-in and of ended sessions.
    `actor` is who did it (the user themselves, or an administrator); rows are never edited."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="security_events", verbose_name=_("user"))
    actor = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("done by"))
    kind = models.CharField(_("event"), max_length=30, choices=SecurityEventKind.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("sign-in security event")
        verbose_name_plural = _("sign-in security events")
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.user_id})"
