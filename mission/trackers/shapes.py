"""The abstract models of a tracked item and its status history. A department's item subclasses
`TrackedItem` (its fields, a `Status` choices class and `current_status` with those choices, its
queryset's `department`, `history`), its history rows `StatusEntryRow` (a foreign key `item` with
`related_name="status_history"`, `status` with the item's choices, `history`)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from mission.accounts.permissions import reads_department, scope_for
from mission.common import BaseModel, VersionedModel
from mission.validation import past_date_error

if TYPE_CHECKING:
    from mission.accounts.permissions import AnyUser


class NationalQuerySet(models.QuerySet[Any]):
    """Items that belong to a department and to no region (national institutions' work): every reader
    of the department's records reads them all."""

    department: ClassVar[str] = ""
    # Read by the staff of every department, not only the department's (a register of draft laws
    # reviewed, which every department reviews for its own field); still kept by the department.
    shared: ClassVar[bool] = False

    def visible_to(self, user: AnyUser) -> NationalQuerySet:
        return self if reads_items(user, self) else self.none()


def reads_items(user: AnyUser, items: NationalQuerySet) -> bool:
    """Whether the user reads the items: the department's readers, or, for a shared register, the staff
    of any department."""
    if items.shared:
        return not scope_for(user).nothing
    return reads_department(user, items.department)


class TrackedItem(VersionedModel, BaseModel):
    """Something followed over time: its status now (`current_status`, of the subclass's choices) and
    since when (`status_date`) are kept from the latest entry of its status history by the services."""

    status_date = models.DateField(_("status since"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("entered by")
    )

    current_status: str
    # The year from which the item can have a status, as a path of attributes ("source.year": a
    # report's recommendation from the report's year); None: no bound.
    arises_in: ClassVar[str | None] = None
    # The field that a clash with the item's one uniqueness constraint is said on, and what is said.
    duplicate: ClassVar[tuple[str, Any] | None] = None

    class Meta:
        abstract = True

    def arose_on(self) -> datetime.date | None:
        """The first day the item could have a status (1 January of `arises_in`); None: no bound."""
        if self.arises_in is None:
            return None
        value: Any = self
        for name in self.arises_in.split("."):
            if getattr(value, f"{name}_id", True) is None:  # a reference not chosen yet
                return None
            value = getattr(value, name)
        return datetime.date(value, 1, 1) if value else None

    def validate_constraints(self, exclude: Any = None) -> None:
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError:
            if self.duplicate is None:
                raise
            field, message = self.duplicate
            raise ValidationError({field: message}) from None


class StatusEntryRow(BaseModel):
    """One dated step of an item's status history: the status from that day, the evidence for it, and
    what the mission did to support it (internal)."""

    date = models.DateField(_("date"))
    evidence = models.TextField(
        _("evidence"),
        blank=True,
        help_text=_("What shows it: a law adopted, a decision, a report, with its reference."),
    )
    support = models.TextField(
        _("the mission's support"), blank=True, help_text=_("What the mission did to help. Internal.")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    status: str

    class Meta:
        abstract = True
        ordering = ["-date", "-pk"]

    def clean(self) -> None:
        super().clean()
        if error := past_date_error(self.date):
            raise ValidationError({"date": error})
        item: Any = getattr(self, "item", None) if getattr(self, "item_id", None) else None
        arose = item.arose_on() if item is not None else None
        if self.date and arose and self.date < arose:
            raise ValidationError(
                {"date": _("A status cannot come before the item existed (%(day)s).") % {"day": arose}}
            )


def status_entries(
    item: type[TrackedItem],
    statuses: type[models.TextChoices],
    *,
    name: str,
    verbose_name: Any,
    item_label: Any = None,
) -> type[StatusEntryRow]:
    """A department's status-history rows for `item`, its `statuses` as their choices: assign it to a
    module-level name of the department's `models.py`, as its class would be,

        RecommendationStatusEntry = status_entries(
            Recommendation, RecommendationStatus, name="RecommendationStatusEntry",
            verbose_name=_("status of a recommendation"),
        )

    The rows point to the item (related name "status_history"; `item_label` names it on their pages,
    by default the item's verbose name), keep their history, and their evidence, support and author
    are internal."""
    from simple_history.models import HistoricalRecords

    from mission.sensitivity import declare

    label = item._meta.app_label
    meta = type(
        "Meta",
        (StatusEntryRow.Meta,),
        {"app_label": label, "verbose_name": verbose_name, "verbose_name_plural": _("status history")},
    )
    attributes: dict[str, Any] = {
        "__module__": f"{label}.models",
        "__doc__": f"A dated status of a {item._meta.verbose_name}.",
        "item": models.ForeignKey(
            item,
            on_delete=models.PROTECT,
            related_name="status_history",
            verbose_name=item_label or item._meta.verbose_name,
        ),
        "status": models.CharField(_("status"), max_length=20, choices=statuses.choices),
        "history": HistoricalRecords(),
        "sensitivity": declare(internal=["support", "recorded_by", "evidence"]),
        "Meta": meta,
    }
    return type(name, (StatusEntryRow,), attributes)


class DraftKind(models.TextChoices):
    LAW = "law", _("Draft law")
    BYLAW = "bylaw", _("Draft by-law or regulation")
    STRATEGY = "strategy", _("Strategy or action plan")
    POLICY = "policy", _("Policy document")


class DraftStage(models.TextChoices):
    """Where a draft stands: the status history of a reviewed draft."""

    DRAFTING = "drafting", _("Being drafted")
    CONSULTATION = "consultation", _("In public consultation")
    GOVERNMENT = "government", _("Approved by the government")
    ASSEMBLY = "assembly", _("Before the Assembly")
    ADOPTED = "adopted", _("Adopted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class DraftReview(TrackedItem):
    """A draft law or policy document a department reviewed against human-rights standards, followed
    through its stages (its status history, `DraftStage`): what it is, who drafts it, the standards it
    was reviewed against, when the mission sent its comments, how many, and how many the final text
    took up. A department's register subclasses it with `current_status` of `DraftStage` and a
    `NationalQuerySet` that is `shared` (every department reads every register; each keeps its own)."""

    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind of draft"), max_length=20, choices=DraftKind.choices)
    institution = models.ForeignKey(
        "field_offices.Institution",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("drafting institution"),
    )
    standards = models.CharField(
        _("standards concerned"),
        max_length=300,
        help_text=_("The conventions and standards it was reviewed against: ECHR Art. 8, the FCNM, CEDAW."),
    )
    comments_sent = models.DateField(_("comments sent"), null=True, blank=True)
    comments = models.PositiveSmallIntegerField(_("comments made"), default=0)
    taken_up = models.PositiveSmallIntegerField(
        _("comments taken up"), default=0, help_text=_("How many the latest text took up, in full or in part.")
    )
    current_status = models.CharField(_("stage now"), max_length=20, choices=DraftStage.choices, blank=True)

    class Meta:
        abstract = True
        ordering = ["-comments_sent", "title"]

    def __str__(self) -> str:
        return str(self.title)

    def clean(self) -> None:
        super().clean()
        if self.taken_up > self.comments:
            raise ValidationError({"taken_up": _("No more comments can be taken up than were made.")})
        if self.comments and not self.comments_sent:
            raise ValidationError({"comments_sent": _("Say when the comments were sent.")})
        if error := past_date_error(self.comments_sent):
            raise ValidationError({"comments_sent": error})
