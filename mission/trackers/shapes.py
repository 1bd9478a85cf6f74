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

    class Meta:
        abstract = True

    def arose_on(self) -> datetime.date | None:
        """The first day the item could have a status (a report's recommendation: the report's year);
        None: no bound. A subclass with such a date overrides it."""
        return None


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
