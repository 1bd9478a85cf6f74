"""The monitoring plan: hearings the courts have scheduled (entered, or imported from a court's
schedule), which of them the mission will observe, and who goes. A planned hearing becomes a Hearing
when a monitor records it; after its date, one nobody recorded is missed."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise
from simple_history.models import HistoricalRecords

from field_offices.models import Municipality
from mission.accounts.models import SpokenLanguage
from mission.common import BaseModel, VersionedModel
from mission.sensitivity import declare
from mission.validation import scheduled_date_error
from rights.models.cases import Case, CaseCategory, RightsQuerySet
from rights.models.hearings import Hearing, HearingType
from rights.models.reference import Court


class PlanStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled by the court")


class PlannedHearingQuerySet(RightsQuerySet):
    region_lookup = "municipality__region"


class PlannedHearing(VersionedModel, BaseModel):
    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="+", verbose_name=_("court"))
    case_number = models.CharField(_("case number"), max_length=100)
    # The case once the portal has it (matched by court and case number, also when it is created later).
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="planned_hearings", verbose_name=_("case")
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("municipality"),
        help_text=_("Where the hearing takes place: it decides which region plans it."),
    )
    date = models.DateField(_("date"), db_index=True)
    start = models.TimeField(_("start"))
    courtroom = models.CharField(_("courtroom"), max_length=50, blank=True)
    hearing_type = models.CharField(_("type"), max_length=20, choices=HearingType.choices, blank=True)
    category = models.CharField(_("category"), max_length=20, choices=CaseCategory.choices, default=CaseCategory.OTHER)
    juvenile = models.BooleanField(_("juvenile defendant or victim"), default=False)
    language = models.CharField(
        _("language of the proceedings"), max_length=5, choices=SpokenLanguage.choices, blank=True
    )
    status = models.CharField(_("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.SCHEDULED)
    note = models.TextField(_("note"), blank=True)
    # Set when a monitor records the hearing from the plan.
    hearing = models.OneToOneField(
        Hearing,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan",
        verbose_name=_("hearing recorded"),
    )
    monitors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="PlanAssignment",
        through_fields=("planned", "monitor"),
        related_name="planned_hearings",
        verbose_name=_("monitors"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("entered by")
    )
    history = HistoricalRecords()

    sensitivity = declare(internal=["case_number", "note", "courtroom"])
    objects = PlannedHearingQuerySet.as_manager()

    class Meta:
        ordering = ["date", "start", "pk"]
        verbose_name = _("planned hearing")
        verbose_name_plural = _("planned hearings")
        indexes = [models.Index(fields=["court", "case_number"], name="plan_case_number_idx")]
        constraints = [
            models.UniqueConstraint(fields=["court", "case_number", "date", "start"], name="plan_one_per_slot"),
        ]

    def __str__(self) -> str:
        return f"{self.case_number} {self.date:%Y-%m-%d} {self.start:%H:%M}"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, StrOrPromise] = {}
        problem = scheduled_date_error(self.date)
        if problem:
            errors["date"] = problem
        if not self.case_number.strip():
            errors["case_number"] = _("Give the court's case number.")
        if errors:
            raise ValidationError(errors)

    def starts_at(self) -> datetime.datetime:
        from django.utils import timezone

        return timezone.make_aware(datetime.datetime.combine(self.date, self.start))


class PlanAssignment(BaseModel):
    """A monitor sent to a planned hearing, by whom."""

    planned = models.ForeignKey(PlannedHearing, on_delete=models.CASCADE, related_name="assignments")
    monitor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="plan_assignments")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["planned", "monitor"]
        constraints = [models.UniqueConstraint(fields=["planned", "monitor"], name="assignment_once")]

    def __str__(self) -> str:
        return f"{self.monitor_id} → {self.planned_id}"
