"""The form and the list filters of a declared record type, made from the model's own fields."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

import django_filters
from django import forms
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from mission.common import LocalizedNameModel, language_suffix
from mission.drafts import mark_restricted
from mission.encryption import EncryptedCharField
from mission.filtersets import FilterSet
from mission.forms import DATE_WIDGET, VersionField, kept_filter_form, use_fast_widgets
from mission.records.declaration import RecordPart, RecordType
from mission.review.models import ReviewStatus
from mission.sensitivity import Sensitivity, declaration, restricted_fields

if TYPE_CHECKING:
    from mission.accounts.models import User


class RecordForm(forms.Form):
    """What the author fills in; the service checks it against the model (`full_clean`) and its
    messages land on these fields."""

    version = VersionField()
    record_type: RecordType

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if user.region_id is not None:
            # A monitor records in their own region: the others' municipalities are not a choice, nor
            # what lies in them (a forum, whose municipality the record takes).
            for name, field in self.fields.items():
                if not isinstance(field, forms.ModelChoiceField) or field.queryset is None:
                    continue
                if name == "municipality":
                    field.queryset = field.queryset.filter(region_id=user.region_id)
                elif any(f.name == "municipality" and f.many_to_one for f in field.queryset.model._meta.fields):
                    field.queryset = field.queryset.filter(municipality__region_id=user.region_id)
        use_fast_widgets(self)
        # Offline drafts keep restricted values (names) sealed with the session's key (mission.drafts).
        restricted = restricted_fields(self.record_type.get_model())
        mark_restricted(*[field for name, field in self.fields.items() if name in restricted])

    def content(self) -> dict[str, object]:
        return {name: self.cleaned_data[name] for name in self.record_type.fields if name in self.fields}


class CorrectionForm(RecordForm):
    reason = forms.CharField(
        label=_("Reason for the correction"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the record's history."),
    )


def _widget(field: object, form_field: forms.Field) -> None:
    if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        form_field.widget = DATE_WIDGET


@functools.cache
def form_class(record_type: RecordType, *, correcting: bool = False) -> type[RecordForm]:
    """The record type's form: the model's fields of `record_type.fields`, their labels, help, choices
    and required-ness as the model declares them."""
    model = record_type.get_model()
    fields = forms.fields_for_model(model, fields=record_type.fields)
    for name, form_field in fields.items():
        if form_field is not None:
            _widget(model._meta.get_field(name), form_field)
    base = CorrectionForm if correcting else RecordForm
    return type(f"{model.__name__}Form", (base,), {**fields, "record_type": record_type})


def initial(record: models.Model, record_type: RecordType) -> dict[str, object]:
    return {
        **forms.model_to_dict(record, fields=record_type.fields),
        "version": record.version,  # type: ignore[attr-defined]
    }


# --- The list's filters ---------------------------------------------------------------------------
class RecordFilterSet(FilterSet):
    """Status, region, the declared filters, a search and the order. Subclasses are made per record
    type by `filterset_class`."""

    record_type: RecordType
    sorts: dict[str, tuple[str | Promise, list[str]]] = {}

    status = django_filters.ChoiceFilter(label=_("Status"), choices=ReviewStatus.choices, empty_label=_("Any status"))
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    sort = django_filters.ChoiceFilter(label=_("Sort by"), method="filter_sort", empty_label=None)

    def __init__(
        self, *args: Any, readable: bool = True, region_ids: frozenset[int] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.readable = readable  # the reader may read restricted values: a name is something to search by
        # The regions of the reader's scope (`scope_for(user).region_ids`; None: every region): a
        # regional supervisor is offered their own region and its municipalities, not the whole map.
        self.region_ids = region_ids
        if region_ids is not None:
            for name, lookup in (("region", "pk__in"), ("municipality", "region_id__in")):
                declared = self.filters.get(name)
                if isinstance(declared, django_filters.ModelChoiceFilter) and declared.queryset is not None:
                    declared.queryset = declared.queryset.filter(**{lookup: region_ids})
        self.filters["sort"].extra["choices"] = [(key, label) for key, (label, _order) in self.sorts.items()]
        if not self.record_type.search and not _named_parts(self.record_type):
            del self.filters["q"]

    @property
    def form(self) -> forms.Form:
        if not hasattr(self, "_form"):
            self._form = kept_filter_form(self)
        form: forms.Form = self._form
        return form

    def form_key_parts(self) -> tuple[object, ...] | None:
        """Its rendered fields are kept (`{% filter_fields %}`) when every choice it offers is fixed or
        reference data (kept per scope's regions); a filter on other rows (people, other records) is
        rendered every time."""
        for declared in self.filters.values():
            queryset = (
                declared.extra.get("queryset") if isinstance(declared, django_filters.ModelChoiceFilter) else None
            )
            if queryset is not None and not issubclass(queryset.model, LocalizedNameModel):
                return None
        return () if self.region_ids is None else (tuple(sorted(self.region_ids)),)

    def filter_search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        """Text fields contain the words; a restricted (encrypted) one, of the record or of the rows of
        its parts (a journalist's name), matches whole values only, and only for a reader who may read
        it: to anyone else a match would tell what the page does not show."""
        model = queryset.model
        text = value.strip()
        whole = " ".join(text.split())
        condition = Q()
        for field_name in self.record_type.search:
            field = model._meta.get_field(field_name)
            if isinstance(field, EncryptedCharField):
                if self.readable:
                    condition |= Q(**{field_name: whole})
            else:
                condition |= Q(**{f"{field_name}__icontains": text})
        if self.readable:
            for part, field_name in _named_parts(self.record_type):
                rows = part.get_model()._default_manager.filter(**{field_name: whole})
                condition |= Q(pk__in=rows.values(part.link()))
        if not text:
            return queryset
        return queryset.filter(condition) if condition else queryset.none()

    def filter_sort(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.order_by(*self._order(value)) if value in self.sorts else queryset

    def _order(self, key: str) -> list[str]:
        """The sort's ordering, a related row's name in the active language ("…__name" → "…__name_sq")."""
        suffix = language_suffix()
        return [f"{o}_{suffix}" if o.endswith("__name") else o for o in self.sorts[key][1]]

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("sort"):
            queryset = queryset.order_by(*self._order(next(iter(self.sorts))))
        return queryset


def _named_parts(record_type: RecordType) -> list[tuple[RecordPart, str]]:
    """The encrypted fields (names) of the record type's parts: what its search finds whole."""
    return [
        (part, name)
        for part in record_type.parts
        for name in part.fields
        if isinstance(part.get_model()._meta.get_field(name), EncryptedCharField)
    ]


def _sorts(record_type: RecordType) -> dict[str, tuple[str | Promise, list[str]]]:
    """Newest first by the record's date (or its creation), then by each sortable list column."""
    model = record_type.get_model()
    date = record_type.date_field or "created_at"
    sorts: dict[str, tuple[str | Promise, list[str]]] = {
        "newest": (_("Newest first"), [f"-{date}", "-pk"]),
        "oldest": (_("Oldest first"), [date, "pk"]),
    }
    for name in record_type.list_columns:
        field = model._meta.get_field(name)
        if name == date or declaration(model).of(name) is Sensitivity.RESTRICTED:
            continue  # encrypted values sort as ciphertext: no order people could read
        # A related row (the municipality) sorts by its name in the reader's language (`filter_sort`).
        order = f"{name}__name" if name == "municipality" else name
        sorts[name] = (capfirst(field.verbose_name), [order, "pk"])  # type: ignore[union-attr]
    return sorts


@functools.cache
def filterset_class(record_type: RecordType) -> type[RecordFilterSet]:
    from field_offices.models import Municipality, Region

    model = record_type.get_model()
    declared: dict[str, django_filters.Filter] = {
        "region": django_filters.ModelChoiceFilter(
            label=_("Region"),
            queryset=Region.objects.all(),
            to_field_name="code",
            field_name="municipality__region",
            empty_label=_("All regions"),
        ),
        "municipality": django_filters.ModelChoiceFilter(
            label=_("Municipality"),
            queryset=Municipality.objects.order_by("name_en"),
            to_field_name="code",
            field_name="municipality",
            empty_label=_("All municipalities"),
        ),
    }
    for name in record_type.filters:
        field = model._meta.get_field(name)
        label = capfirst(field.verbose_name)  # type: ignore[union-attr]  # lazy: the reader's language
        if field.is_relation:
            related = field.related_model._default_manager.all()  # type: ignore[union-attr]
            declared[name] = django_filters.ModelChoiceFilter(label=label, queryset=related, empty_label=_("Any"))
        elif isinstance(field, models.Field):
            declared[name] = django_filters.ChoiceFilter(label=label, choices=field.choices, empty_label=_("Any"))
    meta = type("Meta", (), {"model": model, "fields": []})
    attributes = {**declared, "Meta": meta, "record_type": record_type, "sorts": _sorts(record_type)}
    return type(f"{model.__name__}FilterSet", (RecordFilterSet,), attributes)
