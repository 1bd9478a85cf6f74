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

from mission.accounts.permissions import reads_department
from mission.common import BaseModel, VersionedModel
from mission.validation import past_date_error

if TYPE_CHECKING:
    from mission.accounts.permissions import AnyUser


class NationalQuerySet(models.QuerySet[Any]):
    """Items that belong to a department and to no region (national institutions' work): every reader
    of the department's records reads them all."""

    department: ClassVar[str] = ""

    def visible_to(self, user: AnyUser) -> NationalQuerySet:
        return self if reads_department(user, self.department) else self.none()


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
