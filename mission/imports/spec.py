"""What a file may import into a model (imported by declarations: no model is loaded here), and the
form fields one line of it fills: a reference list's row named by its code (read once per import, not
once per cell), a whole number written as digits alone."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

DIGITS = re.compile(r"-?\d+")

# Whether the actor may write a row as a line would leave it (or as it is): the errors by column, none
# if they may.
Refusal = Callable[[Any], dict[str, str]]
# What a line leaves to the import, worked out before the row is checked and written: who entered it,
# a blank optional cell (a hearing's municipality from its court), a link found by what the row says.
# Raises ValidationError for a row it cannot complete.
Preparer = Callable[[Any], None]
# How the rows are written when the model has rules of its own for writing (a reviewed record's author,
# its lock and version): the rows to write, each (its action, "create" or "update"; the line's valid
# form), and the history reason.
Writer = Callable[[Sequence[tuple[str, Any]], str], None]


@dataclass(frozen=True)
class Rules:
    """What an import checks and writes one user's rows with, beside the model's own rules: `refuse`,
    `prepare` and `write` (above; by default rows are written at once, in bulk), and `rows`, the rows a
    file may update when they cannot be found by their key in the database (a name stored encrypted):
    all of them are read, and matched by the key in Python."""

    refuse: Refusal | None = None
    prepare: Preparer | None = None
    write: Writer | None = None
    rows: Callable[[], Any] | None = None


class WholeNumberField(forms.IntegerField):
    """Digits alone: "1.000" is not read as 1 (a thousands separator in Albanian and Serbian) nor "1,5"
    as anything; a spreadsheet's 12.0 arrives as "12" (`mission.imports.services`)."""

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, str) and value.strip() and not DIGITS.fullmatch(value.strip()):
            raise ValidationError(_("Give a whole number, in digits alone (no separators)."), code="invalid")
        found: int | None = super().to_python(value)
        return found


class CodeChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A reference list's row by its code, the rows read once for every line of a file (the field is
    copied into each line's form, its `rows` shared)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.shared: dict[str, dict[str, models.Model]] = {}  # a copy of the field shares this dict

    def to_python(self, value: Any) -> models.Model | None:
        if value in self.empty_values:
            return None
        rows = self.shared.get("rows")
        if rows is None:
            rows = self.shared["rows"] = {str(row.code): row for row in self.queryset}  # type: ignore[union-attr]
        found = rows.get(str(value).strip())
        if found is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return found


class CodesField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """Several rows of a reference list by their codes in one cell, ";" (or ",") between: "GJI; PRI"."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.shared: dict[str, dict[str, models.Model]] = {}

    def clean(self, value: Any) -> list[models.Model]:  # type: ignore[override]  # the rows, read once
        text = value if isinstance(value, str) else ";".join(str(v) for v in value or ())
        codes = [code.strip() for code in re.split(r"[;,]", text) if code.strip()]
        if not codes:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        rows = self.shared.get("rows")
        if rows is None:
            rows = self.shared["rows"] = {str(row.code): row for row in self.queryset}  # type: ignore[union-attr]
        unknown = [code for code in codes if code not in rows]
        if unknown:
            raise ValidationError(
                _("Not known: %(codes)s. Give the codes, with ; between them.") % {"codes": ", ".join(unknown)},
                code="invalid_choice",
            )
        return list(dict.fromkeys(rows[code] for code in codes))


def _coded(model: Any) -> bool:
    return any(f.name == "code" for f in model._meta.fields)


@dataclass(frozen=True)
class ImportSpec:
    """What a file may write to `model`: its `columns` (field names; the `key` among them names the row a
    line updates, e.g. year, region, rank and level). A column of `optional` may be left out of the file
    (the rows keep their value) or blank (the import's `prepare` works it out: a hearing's municipality
    from its court); `derived` are the fields `prepare` sets that no file gives (who entered a row)."""

    model: str  # "app_label.ModelName"
    key: tuple[str, ...]
    columns: tuple[str, ...]
    optional: tuple[str, ...] = ()
    derived: tuple[str, ...] = ()

    def get_model(self) -> type[models.Model]:
        return apps.get_model(self.model)

    def many(self) -> tuple[str, ...]:
        """The columns of several related rows (a field team's municipalities)."""
        model: Any = self.get_model()
        return tuple(name for name in self.columns if model._meta.get_field(name).many_to_many)

    def form_class(self, columns: tuple[str, ...] | None = None) -> type[forms.ModelForm[Any]]:
        """The form one line fills (`columns`: those of the file, all by default): the model's fields, a
        reference list's row named by its code, a whole number in digits. Uniqueness is the plan's to
        check, against the rows it read at once."""
        optional = set(self.optional)

        def field_for(db_field: Any, **kwargs: Any) -> forms.Field | None:
            related = db_field.related_model if db_field.is_relation else None
            if db_field.name in optional:
                kwargs["required"] = False
            elif db_field.name in self.key:
                kwargs["required"] = True  # a line names its row: never by an empty cell
            if related is not None and db_field.many_to_many and _coded(related):
                kwargs["form_class"] = CodesField
            elif related is not None and _coded(related):
                kwargs |= {"form_class": CodeChoiceField, "to_field_name": "code"}
            elif isinstance(db_field, models.IntegerField) and not db_field.choices:
                kwargs["form_class"] = WholeNumberField
            return db_field.formfield(**kwargs)  # type: ignore[no-any-return]

        class LineForm(forms.ModelForm):  # type: ignore[type-arg]
            def _get_validation_exclusions(self) -> set[str]:
                # A reference row was found by its code among the field's choices: asking the database
                # again whether it exists would cost a query per cell.
                related = {f.name for f in self.instance._meta.fields if f.is_relation and f.name in self.fields}
                excluded: set[str] = super()._get_validation_exclusions()  # type: ignore[misc]
                return excluded | related

            def clean(self) -> dict[str, Any]:
                cleaned: dict[str, Any] = super().clean() or {}
                self._validate_unique = False  # the plan compares the keys, read once for the file
                return cleaned

        return forms.modelform_factory(
            self.get_model(), form=LineForm, fields=columns or self.columns, formfield_callback=field_for
        )
