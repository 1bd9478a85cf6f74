"""What a file may import into a model (imported by declarations: no model is loaded here), and the
form fields one line of it fills: a reference list's row named by its code (read once per import, not
once per cell), a whole number written as digits alone."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

DIGITS = re.compile(r"-?\d+")


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


@dataclass(frozen=True)
class ImportSpec:
    """What a file may write to `model`: its `columns` (field names; the `key` among them names the row a
    line updates, e.g. year, region, rank and level)."""

    model: str  # "app_label.ModelName"
    key: tuple[str, ...]
    columns: tuple[str, ...]

    def get_model(self) -> type[models.Model]:
        return apps.get_model(self.model)

    def form_class(self) -> type[forms.ModelForm[Any]]:
        """The form one line fills: the model's fields, a reference list's row named by its code, a whole
        number in digits. Uniqueness is the plan's to check, against the rows it read at once."""

        def field_for(db_field: Any, **kwargs: Any) -> forms.Field | None:
            related = db_field.related_model if db_field.is_relation else None
            if related is not None and any(f.name == "code" for f in related._meta.fields):
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
            self.get_model(), form=LineForm, fields=self.columns, formfield_callback=field_for
        )
