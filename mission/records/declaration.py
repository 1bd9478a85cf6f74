"""What a department says about one kind of reviewed record; everything else is worked out from the
model (its verbose names, its fields' labels, choices and sensitivity, its queryset's scope)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.apps import apps

if TYPE_CHECKING:
    from mission.review.models import ReviewedRecord


@dataclass(frozen=True)
class RecordType:
    """One kind of reviewed record, e.g.

        RecordType(
            model="incidents.Incident",
            path="incidents",
            fields=("date", "municipality", "category", "victim_name", "description"),
            list_columns=("date", "municipality", "category"),
            filters=("category",),
            search=("description",),
            date_field="date",
            dataset="incidents",
            aggregate_by=("category",),
        )

    The model is a `mission.review.models.ReviewedRecord` with a foreign key `municipality` (its
    queryset's `region_lookup` is "municipality__region"), a department on its queryset, and its
    sensitivity declared (`mission.sensitivity`): restricted fields are shown to readers of restricted
    values only, every such view logged; internal ones never reach partners."""

    model: str  # "app_label.ModelName"
    path: str  # the URL segment of its pages and API list ("incidents")
    fields: tuple[str, ...]  # what the author fills in, in the order of the form and the detail page
    list_columns: tuple[str, ...]  # the list page's and the CSV's columns, after the status
    filters: tuple[str, ...] = ()  # fields with choices (or foreign keys) the list filters by
    search: tuple[str, ...] = ()  # text fields the list's search looks in (restricted ones: exact match)
    date_field: str | None = None  # the record's date: list order, period filters, months of aggregates
    dataset: str = ""  # the API dataset (declared on the department) of its list and aggregates
    aggregate_by: tuple[str, ...] = ()  # coded fields the aggregates endpoint groups by

    @property
    def name(self) -> str:
        """The model's name in lower case ("incident"): the stem of URL names (`incident_list`)."""
        return self.model.rsplit(".", 1)[1].lower()

    def get_model(self) -> type[ReviewedRecord]:
        return apps.get_model(self.model)

    def url_name(self, page: str) -> str:
        """The name of one of its pages within the department's namespace: list, export, create,
        detail, edit, correct, review, queue."""
        return f"{self.name}_{page}"
