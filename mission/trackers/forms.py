"""The forms of a tracker: the item's, a status entry's, and the list's filters."""

from __future__ import annotations

import functools
from typing import Any

import django_filters
from django import forms
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from mission.filtersets import FilterSet
from mission.forms import DATE_WIDGET, VersionField, use_fast_widgets
from mission.trackers.declaration import TrackerType


class ItemForm(forms.Form):
    version = VersionField()
    tracker_type: TrackerType

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        use_fast_widgets(self)

    def content(self) -> dict[str, object]:
        return {name: self.cleaned_data[name] for name in self.tracker_type.fields}


@functools.cache
def item_form_class(tracker_type: TrackerType) -> type[ItemForm]:
    fields = forms.fields_for_model(tracker_type.get_model(), fields=tracker_type.fields)
    return type(f"{tracker_type.get_model().__name__}Form", (ItemForm,), {**fields, "tracker_type": tracker_type})


class StatusForm(forms.Form):
    """A step of the status history; its choices are the item's statuses."""

    version = VersionField()
    date = forms.DateField(label=_("Date"), widget=DATE_WIDGET, help_text=_("The day the status was reached."))
    status = forms.ChoiceField(label=_("Status"))
    evidence = forms.CharField(label=_("Evidence"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    support = forms.CharField(
        label=_("The mission's support"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Internal: what the mission did to help."),
    )

    def __init__(self, *args: Any, choices: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", "—"), *choices]  # type: ignore[attr-defined]
        self.fields["date"].initial = timezone.localdate()
        use_fast_widgets(self)


class TrackerFilterSet(FilterSet):
    tracker_type: TrackerType

    status = django_filters.ChoiceFilter(
        field_name="current_status", label=_("Status now"), empty_label=_("Any status")
    )
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        meta: Any = self.tracker_type.get_model()._meta  # the subclass's: its statuses
        field: Any = meta.get_field("current_status")
        self.filters["status"].extra["choices"] = field.choices
        if not self.tracker_type.search:
            del self.filters["q"]

    def filter_overdue(self, queryset: QuerySet[Any], name: str, value: bool) -> QuerySet[Any]:
        return queryset.filter(self.tracker_type.overdue_on(timezone.localdate())) if value else queryset

    def filter_search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        text = value.strip()
        if not text:
            return queryset
        condition = Q()
        for field_name in self.tracker_type.search:
            condition |= Q(**{f"{field_name}__icontains": text})
        return queryset.filter(condition)


@functools.cache
def tracker_filterset_class(tracker_type: TrackerType) -> type[TrackerFilterSet]:
    model = tracker_type.get_model()
    declared: dict[str, django_filters.Filter] = {}
    for name in tracker_type.filters:
        field = model._meta.get_field(name)
        label = capfirst(field.verbose_name)  # type: ignore[union-attr]
        if field.is_relation:  # a reference list (a source, an institution), within the field's limits
            related: Any = field.related_model
            choices = related._default_manager.complex_filter(field.get_limit_choices_to())  # type: ignore[union-attr]
            declared[name] = django_filters.ModelChoiceFilter(label=label, queryset=choices, empty_label=_("Any"))
        elif isinstance(field, models.Field) and field.choices:
            declared[name] = django_filters.ChoiceFilter(label=label, choices=field.choices, empty_label=_("Any"))
        elif isinstance(field, models.IntegerField):
            declared[name] = django_filters.NumberFilter(label=label)
    if tracker_type.deadline:
        declared["overdue"] = django_filters.BooleanFilter(
            label=_("Overdue only"), method="filter_overdue", widget=forms.CheckboxInput
        )
    meta = type("Meta", (), {"model": model, "fields": []})
    return type(
        f"{model.__name__}FilterSet", (TrackerFilterSet,), {**declared, "Meta": meta, "tracker_type": tracker_type}
    )
