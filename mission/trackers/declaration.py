"""What a department says about one kind of tracked item; the rest is worked out from the model."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.apps import apps

if TYPE_CHECKING:
    from mission.trackers.shapes import StatusEntryRow, TrackedItem


@dataclass(frozen=True)
class TrackerType:
    """One kind of tracked item, e.g.

        TrackerType(
            model="democratization.Recommendation",
            path="recommendations",
            fields=("source", "year", "number", "priority", "area", "addressee", "text"),
            list_columns=("source", "year", "number", "area", "addressee"),
            filters=("source", "area", "addressee"),
            search=("text",),
        )

    The model is a `mission.trackers.shapes.TrackedItem` whose status history is its
    `status_history` rows (a `StatusEntryRow` with a `status` of the model's `Status` choices)."""

    model: str  # "app_label.ModelName"
    path: str  # the URL segment of its pages
    fields: tuple[str, ...]  # what its editors fill in, in the order of the form and the page
    list_columns: tuple[str, ...]  # the list's columns, after the reference and before the status
    filters: tuple[str, ...] = ()  # fields with choices the list filters by (with the status)
    search: tuple[str, ...] = ()  # text fields the list's search looks in
    dataset: str = ""  # the API dataset of its items and their status histories (coded values)
    grouped_by: tuple[str, ...] = ()  # fields with choices the dashboard shows the status now by
    done: tuple[str, ...] = ()  # statuses the dashboard gives the share of (e.g. fully implemented)
    # The field holding the year an item arose (a report's year): the dashboard counts an item from
    # then (or from its first status), not in the months before it existed; else from its entry.
    since: str | None = None
    # The date field by which an item must reach a `done` status (an action's deadline): past it, an
    # item neither done nor `closed` is overdue (a list filter and a dashboard figure).
    deadline: str | None = None
    closed: tuple[str, ...] = ()  # statuses that end an item without it being done (no longer relevant)
    # Text fields whose words are public (a draft law's title, as the institution published it):
    # partners read them as they are; any other text is internal or a reference's code.
    public_text: tuple[str, ...] = ()

    def overdue_on(self, day: Any) -> Any:
        """The items overdue on `day` by their status now: a `Q` over the item's model."""
        from django.db.models import Q

        if self.deadline is None:
            raise ValueError(f"{self.model} declares no deadline")
        return Q(**{f"{self.deadline}__lt": day}) & ~Q(current_status__in=(*self.done, *self.closed))

    @property
    def name(self) -> str:
        return self.model.rsplit(".", 1)[1].lower()

    def get_model(self) -> type[TrackedItem]:
        return apps.get_model(self.model)

    def entry_model(self) -> type[StatusEntryRow]:
        meta: Any = self.get_model()._meta  # the subclass's: its status history
        model: type[StatusEntryRow] = meta.get_field("status_history").related_model
        return model

    def url_name(self, page: str) -> str:
        return f"{self.name}_{page}"
