"""A declared record type's API: its list (`/api/v1/<path>/`) and its counts
(`/api/v1/aggregates/<path>/`), in its dataset. Partners read approved records, coded values only,
and counts under the disclosure control; staff read their scope. Restricted values (names) never
leave through the API."""

from __future__ import annotations

import datetime
import functools
from typing import Any

import django_filters
from django.db import models
from django.db.models import F, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.urls import URLPattern, path
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from rest_framework.request import Request

from mission.api.aggregates import AggregateView, Dimension
from mission.api.filters import UtcDateTimeFilter
from mission.api.permissions import is_partner
from mission.api.views import ValuesListView
from mission.filtersets import FilterSet
from mission.records.declaration import RecordPart, RecordType
from mission.review.models import ReviewStatus
from mission.sensitivity import Sensitivity, declaration

WHERE = {"region": "municipality__region__code", "municipality": "municipality__code"}


def _lookup(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    related = field.related_model if field.is_relation else None
    if related is not None and any(f.name == "code" for f in related._meta.fields):
        return f"{name}__code"
    return f"{name}_id" if related is not None else name


class RecordApiFilterSet(FilterSet):
    """Where, when and since when; subclasses per record type add its coded filters."""

    date_field = "created_at"

    region = django_filters.CharFilter(field_name="municipality__region__code", label=_("Region code"))
    municipality = django_filters.CharFilter(field_name="municipality__code", label=_("Municipality code"))
    date_from = django_filters.DateFilter(method="filter_from", label=_("On or after this date (YYYY-MM-DD)"))
    date_to = django_filters.DateFilter(method="filter_to", label=_("On or before this date (YYYY-MM-DD)"))
    updated_since = UtcDateTimeFilter(
        label=_("Changed at or after this time (ISO 8601), for incremental sync"), method="filter_updated_since"
    )

    def filter_from(self, queryset: QuerySet[Any], name: str, value: datetime.date) -> QuerySet[Any]:
        return queryset.filter(**{f"{self.date_field}__gte": value})

    def filter_to(self, queryset: QuerySet[Any], name: str, value: datetime.date) -> QuerySet[Any]:
        return queryset.filter(**{f"{self.date_field}__lte": value})

    def filter_updated_since(self, queryset: QuerySet[Any], name: str, value: datetime.datetime) -> QuerySet[Any]:
        return queryset.filter(updated_at__gte=value.astimezone(datetime.UTC))


@functools.cache
def filterset(record_type: RecordType) -> type[RecordApiFilterSet]:
    model = record_type.get_model()
    declared: dict[str, Any] = {}
    for name in record_type.filters:
        field = model._meta.get_field(name)
        if isinstance(field, models.Field) and field.choices:
            declared[name] = django_filters.ChoiceFilter(choices=field.choices, label=field.verbose_name)
        elif isinstance(field, models.ForeignKey) and _lookup(model, name).endswith("__code"):
            # A reference list's code; one that names no row is a 400 that says so, not an empty page.
            declared[name] = django_filters.ModelChoiceFilter(
                field_name=name,
                to_field_name="code",
                queryset=field.related_model._default_manager.all(),
                label=format_lazy(_("{field} (its code)"), field=field.verbose_name),
            )
    meta = type("Meta", (), {"model": model, "fields": []})
    attributes = {**declared, "Meta": meta, "date_field": record_type.date_field or "created_at"}
    return type(f"Api{model.__name__}Filter", (RecordApiFilterSet,), attributes)


def _scoped(request: Request, model: type[models.Model]) -> QuerySet[Any]:
    manager: Any = model._default_manager
    scoped: QuerySet[Any] = manager.published() if is_partner(request) else manager.visible_to(request.user)
    return scoped


@functools.cache
def list_view(record_type: RecordType) -> type[ValuesListView]:
    """The list endpoint: the record type's fields but restricted ones, with its place as codes."""
    model = record_type.get_model()
    sensitivity = declaration(model)
    fields = {"id": "id", **WHERE, "status": "status"}
    for name in record_type.fields:
        if name != "municipality" and sensitivity.of(name) is not Sensitivity.RESTRICTED:
            fields[name] = _lookup(model, name)
    fields |= {"created_at": "created_at", "updated_at": "updated_at"}
    attributes = {
        "__doc__": f"{str(model._meta.verbose_name_plural).capitalize()}: approved ones for partners, coded "
        "values only; staff read those of their scope.",
        "__module__": __name__,
        "dataset": record_type.dataset,
        "model": model,
        "fields": fields,
        "identifiers": {"id": model},
        # Where, and the codes of the reference lists the record points to (a bias motivation's).
        "reference_text_fields": (*WHERE, *(k for k, lookup in fields.items() if lookup.endswith("__code"))),
        "filterset_class": filterset(record_type),
        "base_queryset": lambda self, request: _scoped(request, model),
        "partners_share_scope": True,  # partners read the approved records of every region
    }
    return type(f"{model.__name__}List", (ValuesListView,), attributes)


@functools.cache
def aggregate_view(record_type: RecordType) -> type[AggregateView]:
    """Counts of records (all, and approved) per region, municipality, month or declared coded field."""
    model = record_type.get_model()
    groups = {
        "region": Dimension(F("municipality__region__code")),
        "municipality": Dimension(F("municipality__code")),
    }
    if record_type.date_field:
        groups["month"] = Dimension(TruncMonth(record_type.date_field), month=True)
    groups |= {name: Dimension(F(_lookup(model, name))) for name in record_type.aggregate_by}
    groups["all"] = Dimension(None)
    attributes = {
        "__doc__": f"{str(model._meta.verbose_name_plural).capitalize()} counted per group: every record in "
        "scope, and the approved ones (partners: approved only, under the disclosure control).",
        "__module__": __name__,
        "dataset": record_type.dataset,
        "model": model,
        "filterset_class": filterset(record_type),
        "group_by": groups,
        "counts": {"records": Q(), "approved": Q(status=ReviewStatus.APPROVED)},
        "suppress_small": record_type.sensitive_counts,
    }
    return type(f"{model.__name__}Aggregates", (AggregateView,), attributes)


def _part_groups(record_type: RecordType, part: RecordPart) -> tuple[str, dict[str, Dimension]]:
    """The lookup prefix from a record to a part's rows, and what the part's figures group by: each of
    the part's `counted_by` fields, the records' region, municipality and month, and the records' coded
    fields ("<record>_<field>" where a row has its own: a trainee's `agency`, `training_agency`)."""
    model, rows = record_type.get_model(), part.get_model()
    link: Any = rows._meta.get_field(part.link())
    prefix = f"{link.related_query_name()}__"
    groups = {name: Dimension(F(f"{prefix}{_lookup(rows, name)}")) for name in part.counted_by}
    groups |= {
        "region": Dimension(F("municipality__region__code")),
        "municipality": Dimension(F("municipality__code")),
    }
    if record_type.date_field:
        groups["month"] = Dimension(TruncMonth(record_type.date_field), month=True)
    for name in record_type.aggregate_by:
        groups[f"{record_type.name}_{name}" if name in groups else name] = Dimension(F(_lookup(model, name)))
    groups["all"] = Dimension(None)
    return prefix, groups


@functools.cache
def part_aggregate_view(record_type: RecordType, part: RecordPart) -> type[AggregateView]:
    """Counts of a part's rows (the participants of the activities), each once per group: by each of
    its `counted_by` fields, or by the records' region, municipality, month or coded fields. Partners:
    the rows of approved records, under the disclosure control; never a name."""
    model, rows = record_type.get_model(), part.get_model()
    prefix, groups = _part_groups(record_type, part)  # prefix: from the record to its rows ("participants__")
    attributes = {
        "__doc__": f"{str(rows._meta.verbose_name_plural).capitalize()} of the "
        f"{model._meta.verbose_name_plural!s}, counted per group, each once (partners: approved records "
        "only, under the disclosure control).",
        "__module__": __name__,
        "dataset": record_type.dataset,
        "model": model,
        "filterset_class": filterset(record_type),
        "group_by": groups,
        "counts": {"people": Q(**{f"{prefix}pk__isnull": False})},
        # The mean of each averaged field (a trainee's knowledge gain) over the rows that have one.
        "means": {f"mean_{name}": F(f"{prefix}{name}") for name in part.averaged},
        "record": prefix,
        "distinct": True,
        "staff_see_published_only": True,
        "suppress_small": record_type.sensitive_counts,
    }
    return type(f"{rows.__name__}Aggregates", (AggregateView,), attributes)


@functools.cache
def tally_aggregate_view(record_type: RecordType, part: RecordPart) -> type[AggregateView]:
    """The totals of a tally's `summed` fields (the households, persons and women who returned) per
    group: by each of the tally's `counted_by` fields (its rows of that value), or by the records'
    region, municipality, month or coded fields; with how many records they are of. Approved records
    only, for staff too; a group's totals are given only where its count of records is (partners: under
    the disclosure control; a sensitive record type's: no small count for anyone)."""
    model, rows = record_type.get_model(), part.get_model()
    prefix, groups = _part_groups(record_type, part)  # prefix: from the record to its rows ("groups__")
    attributes = {
        "__doc__": f"Totals of the {rows._meta.verbose_name_plural!s} of the approved "
        f"{model._meta.verbose_name_plural!s} per group, with how many records they are of (partners: the "
        "count under the disclosure control, the totals only where it is given).",
        "__module__": __name__,
        "dataset": record_type.dataset,
        "model": model,
        "filterset_class": filterset(record_type),
        "group_by": groups,
        "counts": {"records": Q()},
        "totals": {name: models.Sum(f"{prefix}{name}") for name in part.summed},
        "staff_see_published_only": True,
        "suppress_small": record_type.sensitive_counts,
    }
    return type(f"{rows.__name__}Totals", (AggregateView,), attributes)


def record_api_urlpatterns(record_type: RecordType) -> list[URLPattern]:
    if not record_type.dataset:
        return []
    name = record_type.name
    patterns = [
        path(f"{record_type.path}/", list_view(record_type).as_view(), name=f"{name}_list"),
        path(f"aggregates/{record_type.path}/", aggregate_view(record_type).as_view(), name=f"{name}_aggregates"),
    ]
    for part in record_type.parts:
        if part.counted_by and any(f.name == "record_key" for f in part.get_model()._meta.concrete_fields):
            view = part_aggregate_view(record_type, part).as_view()
            route = f"aggregates/{record_type.path}/{part.related_name()}/"
            patterns.append(path(route, view, name=f"{name}_{part.name}_aggregates"))
        elif part.tally and part.summed:
            view = tally_aggregate_view(record_type, part).as_view()
            route = f"aggregates/{record_type.path}/{part.related_name()}/"
            patterns.append(path(route, view, name=f"{name}_{part.name}_aggregates"))
    return patterns
