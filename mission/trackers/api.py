"""A tracker's API, in its dataset: the items (`/api/v1/<path>/`) with their status now, and their
status histories (`/api/v1/<path>/status-history/`), coded values only: partners find an item's
words in the report it comes from (its source, year and number)."""

from __future__ import annotations

import datetime
import functools
from typing import Any

from django.db.models import QuerySet
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _
from rest_framework.request import Request

from mission.api.filters import UtcDateTimeFilter
from mission.api.permissions import is_partner
from mission.api.views import ValuesListView
from mission.filtersets import FilterSet
from mission.sensitivity import Sensitivity, declaration
from mission.trackers.declaration import TrackerType


class ChangedSinceFilterSet(FilterSet):
    updated_since = UtcDateTimeFilter(
        label=_("Changed at or after this time (ISO 8601), for incremental sync"), method="filter_updated_since"
    )

    def filter_updated_since(self, queryset: QuerySet[Any], name: str, value: datetime.datetime) -> QuerySet[Any]:
        return queryset.filter(updated_at__gte=value.astimezone(datetime.UTC))


def _items(request: Request, tracker_type: TrackerType) -> QuerySet[Any]:
    """Partners read every item (they concern national institutions and come from public reports);
    staff read the department's."""
    manager: Any = tracker_type.get_model()._default_manager
    items: QuerySet[Any] = manager.all() if is_partner(request) else manager.visible_to(request.user)
    return items


def _public(model: Any, names: tuple[str, ...]) -> dict[str, str]:
    """The fields of `names` that are not restricted (internal ones reach staff only); a reference
    list's row is written as its code."""
    sensitivity = declaration(model)
    return {
        name: f"{name}__code" if model._meta.get_field(name).is_relation else name
        for name in names
        if sensitivity.of(name) is not Sensitivity.RESTRICTED
    }


@functools.cache
def item_list_view(tracker_type: TrackerType) -> type[ValuesListView]:
    model = tracker_type.get_model()
    meta = type("Meta", (), {"model": model, "fields": []})
    fields = {
        "id": "id",
        **_public(model, tracker_type.fields),
        "current_status": "current_status",
        "status_date": "status_date",
        "updated_at": "updated_at",
    }
    attributes = {
        "__doc__": f"{str(model._meta.verbose_name_plural).capitalize()} with their status now, coded values only.",
        "__module__": __name__,
        "dataset": tracker_type.dataset,
        "model": model,
        "fields": fields,
        "identifiers": {"id": model},
        "reference_text_fields": tuple(
            name for name, lookup in fields.items() if lookup.endswith("__code") or name in tracker_type.public_text
        ),
        "filterset_class": type(f"Api{model.__name__}Filter", (ChangedSinceFilterSet,), {"Meta": meta}),
        "base_queryset": lambda self, request: _items(request, tracker_type),
    }
    return type(f"{model.__name__}List", (ValuesListView,), attributes)


@functools.cache
def history_list_view(tracker_type: TrackerType) -> type[ValuesListView]:
    model = tracker_type.get_model()
    entries: Any = tracker_type.entry_model()  # a subclass's rows: their `item` and `status`
    meta = type("Meta", (), {"model": entries, "fields": []})
    fields = {"id": "id", "item": "item_id", "date": "date", "status": "status", "evidence": "evidence"}
    fields |= {"support": "support", "updated_at": "updated_at"}
    attributes = {
        "__doc__": f"The status histories of the {model._meta.verbose_name_plural!s}: one row per dated step.",
        "__module__": __name__,
        "dataset": tracker_type.dataset,
        "model": entries,
        "fields": fields,
        "identifiers": {"id": entries, "item": model},
        "filterset_class": type(f"Api{entries.__name__}Filter", (ChangedSinceFilterSet,), {"Meta": meta}),
        "base_queryset": lambda self, request: entries._default_manager.filter(
            item__in=_items(request, tracker_type).values("pk")
        ),
    }
    return type(f"{entries.__name__}List", (ValuesListView,), attributes)


def tracker_api_urlpatterns(tracker_type: TrackerType) -> list[URLPattern]:
    if not tracker_type.dataset:
        return []
    name = tracker_type.name
    return [
        path(f"{tracker_type.path}/", item_list_view(tracker_type).as_view(), name=f"{name}_list"),
        path(
            f"{tracker_type.path}/status-history/",
            history_list_view(tracker_type).as_view(),
            name=f"{name}_status_history",
        ),
    ]
