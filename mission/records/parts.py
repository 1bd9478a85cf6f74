"""The rows of a record's parts (`mission.records.declaration.RecordPart`): their forms on the record's
form, their tables on its page, and how the services write them with the record."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mission.drafts import mark_restricted
from mission.forms import DATE_WIDGET, use_fast_widgets
from mission.records.cells import FieldColumn, cells_of, columns_of
from mission.records.declaration import RecordPart, record_type_of
from mission.sensitivity import declaration, restricted_fields

if TYPE_CHECKING:
    from mission.accounts.models import User
    from mission.review.models import ReviewedRecord

# What the services take for a record's parts: each part → its rows as the form gave them (`rows`).
PartRows = Mapping[RecordPart, Sequence[Mapping[str, object]]]


class PartForm(forms.Form):
    """One row of a part. A spare row left as it was offered is not a row (the formset skips it);
    `withheld` fields (restricted values the user may not read) are neither shown nor changed.

    A spare row offers its choices with a default (sex, age band, role) empty: a row is there only
    once the user has typed or picked something, never because a select was nudged (an arrow key on a
    focused select picks an option). A filled row left with such a choice empty gets the model's
    default. A new row the user filled in needs its name (the part's restricted fields: who the row
    is about), so nothing typed is dropped and no nameless person is added by accident."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    part: RecordPart

    def __init__(self, *args: Any, withheld: Sequence[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in withheld:
            self.fields.pop(name, None)
        model = self.part.get_model()
        self.defaults: dict[str, object] = {}
        if self.spare:
            for name, field in self.fields.items():
                model_field = model._meta.get_field(name) if name in self.part.fields else None
                if not isinstance(field, forms.TypedChoiceField) or not isinstance(model_field, models.Field):
                    continue
                choices = list(field.widget.choices)
                if model_field.has_default() and all(key != "" for key, _label in choices):
                    self.defaults[name] = model_field.get_default()
                    field.choices = [("", "---------"), *choices]
                    field.initial = None
                    field.required = False
        use_fast_widgets(self)
        restricted = restricted_fields(model)
        mark_restricted(*[field for name, field in self.fields.items() if name in restricted])
        # Who the row is about: a person's name (what the pseudonym stands for), when the reader may read
        # and so type it; an outlet picked is not a name.
        pseudonym = declaration(model).pseudonym
        named = pseudonym.stands_for if pseudonym is not None else None
        self.identifying = [
            name for name in self.part.fields if name == named and name in restricted and name in self.fields
        ]

    @property
    def spare(self) -> bool:
        """A row the record does not have yet (a spare row, or the template the page adds rows from)."""
        return self.empty_permitted and not self.initial.get("id")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name, default in self.defaults.items():
            if cleaned.get(name) in ("", None):
                cleaned[name] = default
        if self.spare and self.identifying and not any(cleaned.get(name) for name in self.identifying):
            for name in self.identifying:
                if name not in self.errors:
                    self.add_error(name, _("A new row needs a name. To leave the row out, empty its fields."))
        return cleaned


class PartRowsFormSet(forms.BaseFormSet[PartForm]):
    def add_fields(self, form: PartForm, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = gettext_lazy("Remove this row")


@functools.cache
def part_form_class(part: RecordPart) -> type[PartForm]:
    """The row's form: the model's fields of `part.fields`, labelled, with choices and required-ness as
    the model declares them."""
    model = part.get_model()
    fields = forms.fields_for_model(model, fields=part.fields)
    for name, form_field in fields.items():
        field = model._meta.get_field(name)
        if (
            form_field is not None
            and isinstance(field, models.DateField)
            and not isinstance(field, models.DateTimeField)
        ):
            form_field.widget = DATE_WIDGET
    return type(f"{model.__name__}Form", (PartForm,), {**fields, "part": part})


@dataclass
class PartFormSet:
    """A part's rows on the record's form, with the part for the template (`part.label`)."""

    part: RecordPart
    label: str
    formset: forms.BaseFormSet[PartForm]


def part_formsets(
    parts: Sequence[RecordPart], *, data: Any, record: ReviewedRecord | None, readable: bool
) -> list[PartFormSet]:
    """The forms of the record's parts: one per row it has, and the part's spare rows."""
    made = []
    for part in parts:
        model = part.get_model()
        withheld = () if readable else tuple(sorted(restricted_fields(model)))
        rows = list(getattr(record, part.related_name()).all()) if record is not None else []
        initial = [{**forms.model_to_dict(row, fields=part.fields), "id": row.pk} for row in rows]
        formset_class = forms.formset_factory(
            part_form_class(part),
            formset=PartRowsFormSet,
            extra=part.extra,
            can_delete=True,
            max_num=part.max_rows,
            validate_max=True,
            absolute_max=part.max_rows,
        )
        formset = formset_class(data, initial=initial, prefix=part.name, form_kwargs={"withheld": withheld})
        made.append(PartFormSet(part, str(model._meta.verbose_name_plural), formset))
    return made


def part_rows(formsets: Sequence[PartFormSet]) -> dict[RecordPart, list[dict[str, object]]]:
    """What the author typed in each part's rows, for the services: each row's fields on the form, its
    `id` (a row the record has) and `delete`; spare rows left empty are left out."""
    rows: dict[RecordPart, list[dict[str, object]]] = {}
    for made in formsets:
        typed = []
        for form in made.formset.forms:
            if not form.has_changed() and not form.cleaned_data.get("id"):
                continue
            data = {name: value for name, value in form.cleaned_data.items() if name != "DELETE"}
            typed.append({**data, "delete": bool(form.cleaned_data.get("DELETE"))})
        rows[made.part] = typed
    return rows


def parts_valid(formsets: Sequence[PartFormSet]) -> bool:
    valid = [made.formset.is_valid() for made in formsets]  # every formset, so each shows its errors
    return all(valid)


# --- The services' side ---------------------------------------------------------------------------
def parts_save(record: ReviewedRecord, parts: PartRows, *, actor: User, reason: str = "") -> None:
    """Create, change and delete the rows of the record's parts as `parts` says; a new row gets the
    next number of the record's rows. Rows the record does not have are refused (a form of another
    record, or a row deleted meanwhile)."""
    for part, rows in parts.items():
        _part_save(record, part, rows, actor=actor, reason=reason)


def parts_complete(record: ReviewedRecord) -> None:
    """Refuse a record going to review (or corrected) without the rows its parts need (`min_rows`)."""
    record_type = record_type_of(type(record))
    for part in record_type.parts if record_type else ():
        if part.min_rows and part_rows_of(record, part).count() < part.min_rows:
            model = part.get_model()
            raise ValidationError(
                _("Add at least %(n)s %(rows)s before submitting.")
                % {
                    "n": part.min_rows,
                    "rows": model._meta.verbose_name if part.min_rows == 1 else model._meta.verbose_name_plural,
                }
            )


def _part_save(
    record: ReviewedRecord, part: RecordPart, rows: Sequence[Mapping[str, object]], *, actor: User, reason: str
) -> None:
    model: Any = part.get_model()  # a part's row: `ordinal` and the history's attributes
    link = part.link()
    manager = part_rows_of(record, part)  # read again: rows prefetched for the form are not the rows now
    existing = {row.pk: row for row in manager}
    numbered = any(f.name == "ordinal" for f in model._meta.concrete_fields)
    for data in rows:
        row: Any = existing.get(data.get("id")) if data.get("id") else None
        if data.get("delete"):
            if row is not None:  # a row removed meanwhile by someone else is removed already
                row._history_user = actor
                row._change_reason = reason or None
                row.delete()
            continue
        if data.get("id") and row is None:
            raise ValidationError(
                _(
                    "A row of %(rows)s was removed from this record by someone else meanwhile: tick “Remove this "
                    "row” on it and save again (what you typed elsewhere is kept)."
                )
                % {"rows": model._meta.verbose_name_plural}
            )
        if row is None:
            row = model(**{link: record})
        changed = row.pk is None
        for name in part.fields:
            if name in data and _differs(row, name, data[name]):
                setattr(row, name, data[name])
                changed = True
        if not changed:
            continue  # a row left as it was: no save, no history entry
        if numbered and row.pk is None:
            row.ordinal = _next_ordinal(record, part)
        try:
            row.full_clean(exclude=[link])
        except ValidationError as error:
            raise _about_row(row, error) from None
        row._history_user = actor
        row._change_reason = reason or None
        row.save()
    if part_rows_of(record, part).count() > part.max_rows:
        raise ValidationError(
            _("A record holds at most %(n)s %(rows)s.") % {"n": part.max_rows, "rows": model._meta.verbose_name_plural}
        )


def _differs(row: models.Model, name: str, value: object) -> bool:
    """Whether setting `value` changes the row's field (a related row compared by its key, unread)."""
    field = row._meta.get_field(name)
    if field.is_relation:
        return bool(getattr(row, field.attname) != getattr(value, "pk", value))  # type: ignore[union-attr]
    return bool(getattr(row, name) != value)


def _next_ordinal(record: ReviewedRecord, part: RecordPart) -> int:
    """The next number of the record's rows of `part`, past every number it ever gave (a removed
    person's pseudonym is never given to someone else)."""
    model: Any = part.get_model()
    now = part_rows_of(record, part).aggregate(last=Max("ordinal"))["last"] or 0
    ever = model.history.filter(**{f"{part.link()}_id": record.pk}).aggregate(last=Max("ordinal"))["last"] or 0
    return int(max(now, ever)) + 1


def history_holds_restricted(record: ReviewedRecord, parts: Sequence[RecordPart]) -> bool:
    """Whether the history of the record's rows holds a restricted value (a name since changed, a
    person removed): the record's history shows it to readers of names, a logged view."""
    for part in parts:
        model: Any = part.get_model()
        names = [name for name in part.fields if name in restricted_fields(model)]
        history = model.history.filter(**{f"{part.link()}_id": record.pk})
        if names and any(history.exclude(**{name: ""}).exists() for name in names):
            return True
    return False


def part_rows_of(record: ReviewedRecord, part: RecordPart) -> models.QuerySet[models.Model]:
    """The record's rows of `part`."""
    return part.get_model()._default_manager.filter(**{part.link(): record})


def _about_row(row: models.Model, error: ValidationError) -> ValidationError:
    """The form shows a row's errors above it: say which row and which field they are about."""
    about: dict[str, list[str]] = {}
    for name, messages in error.message_dict.items():
        label = str(row)
        if name != NON_FIELD_ERRORS:
            label = f"{label}, {row._meta.get_field(name).verbose_name}"  # type: ignore[union-attr]
        about[NON_FIELD_ERRORS] = about.get(NON_FIELD_ERRORS, []) + [f"{label}: {m}" for m in messages]
    return ValidationError(about)


def part_queryset(part: RecordPart) -> models.QuerySet[models.Model]:
    """A part's rows with the related rows (a community) its fields show."""
    model = part.get_model()
    related = [name for name in part.fields if model._meta.get_field(name).is_relation]
    return model._default_manager.select_related(*related)


# --- The record's page ----------------------------------------------------------------------------
@dataclass
class PartTable:
    """A part's rows as the record's page shows them."""

    label: str
    columns: list[FieldColumn]
    rows: list[tuple[models.Model, list[object]]]
    restricted_shown: bool  # the page shows restricted values of these rows (a logged view)


def part_tables(record: ReviewedRecord, parts: Sequence[RecordPart], *, readable: bool) -> list[PartTable]:
    tables = []
    for part in parts:
        model = part.get_model()
        columns = columns_of(model, part.fields)
        rows = list(getattr(record, part.related_name()).all())
        restricted = [c.name for c in columns if c.restricted]
        shown = readable and any(getattr(row, name) for row in rows for name in restricted)
        cells = [(row, cells_of(row, columns, readable=readable)) for row in rows]
        tables.append(PartTable(str(model._meta.verbose_name_plural), columns, cells, shown))
    return tables
