"""A table of figures in the API (`/api/v1/<path>/`): every row, its key as codes and its numbers.
Figures are counts of people: a partner gets none below `API_SMALL_CELL_THRESHOLD` (null; the row
says it is suppressed), staff the figures as kept."""

from __future__ import annotations

import functools
from typing import Any

import django_filters
from django import forms
from django.conf import settings
from django.urls import URLPattern, path
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.request import Request

from mission.accounts.permissions import reads_department
from mission.api.permissions import is_partner
from mission.api.views import ValuesListView
from mission.figures.declaration import FigureTable
from mission.filtersets import FilterSet


class WholeNumberFilter(django_filters.NumberFilter):
    """A whole number (a year): 2024.5 is a 400 that says so, not an empty page."""

    field_class = forms.IntegerField  # type: ignore[assignment]


def _lookup(model: Any, name: str) -> str:
    field = model._meta.get_field(name)
    if field.is_relation and any(f.name == "code" for f in field.related_model._meta.fields):
        return f"{name}__code"
    return f"{name}_id" if field.is_relation else name


@functools.cache
def filterset(table: FigureTable) -> type[django_filters.FilterSet]:
    model = table.get_model()
    declared: dict[str, Any] = {}
    for name in table.key:
        field = model._meta.get_field(name)
        if field.choices:
            declared[name] = django_filters.ChoiceFilter(choices=field.choices, label=field.verbose_name)
        elif field.is_relation:
            declared[name] = django_filters.ModelChoiceFilter(
                field_name=name,
                to_field_name="code",
                queryset=field.related_model._default_manager.all(),
                label=format_lazy(_("{field} (its code)"), field=field.verbose_name),
            )
        else:
            declared[name] = WholeNumberFilter(field_name=name, label=field.verbose_name)
    meta = type("Meta", (), {"model": model, "fields": []})
    return type(f"Api{model.__name__}Filter", (FilterSet,), {**declared, "Meta": meta})


@functools.cache
def list_view(table: FigureTable, department: str) -> type[ValuesListView]:
    model = table.get_model()

    def rows(self: ValuesListView, request: Request) -> Any:
        """Partners read every row; staff those of their own department (need to know)."""
        everything = model._default_manager.all()
        return everything if is_partner(request) or reads_department(request.user, department) else everything.none()

    fields = {"id": "id", **{name: _lookup(model, name) for name in table.columns}, "updated_at": "updated_at"}

    def enrich(self: ValuesListView, rows: list[dict[str, Any]], request: Request) -> None:
        partner = is_partner(request)
        for row in rows:
            small = [n for n in table.values if partner and row.get(n) is not None and row[n] < _threshold()]
            for name in small:
                row[name] = None
            row["suppressed"] = bool(small)

    attributes = {
        "__doc__": f"{str(model._meta.verbose_name_plural).capitalize()}: every row, its key as codes. "
        "Partners get no figure below the small-cell threshold (null, with suppressed true).",
        "__module__": __name__,
        "dataset": table.dataset,
        "model": model,
        "fields": fields,
        "reference_text_fields": tuple(k for k, lookup in fields.items() if lookup.endswith("__code")),
        "identifiers": {"id": model},
        "filterset_class": filterset(table),
        "base_queryset": rows,
        "partners_share_scope": True,
        "enrich": enrich,
        "extra_schema": {
            "suppressed": serializers.BooleanField(help_text="A figure was withheld: below the small-cell threshold")
        },
    }
    return type(f"{model.__name__}List", (ValuesListView,), attributes)


def _threshold() -> int:
    threshold: int = settings.API_SMALL_CELL_THRESHOLD
    return threshold


def figure_api_urlpatterns(table: FigureTable, department: str) -> list[URLPattern]:
    if not table.dataset:
        return []
    return [path(f"{table.path}/", list_view(table, department).as_view(), name=f"{table.name}_list")]
