"""A record's fields as a page or a CSV shows them: labelled by the model, choices as their labels,
restricted values only for those who may read them."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from mission.common import language_suffix
from mission.sensitivity import Sensitivity, declaration

WITHHELD = _("Restricted")


@dataclass(frozen=True)
class Cell:
    """One column: a field of the record type's model."""

    name: str
    label: str
    field: models.Field[Any, Any]
    restricted: bool

    @property
    def lookup(self) -> str:
        """What a values query reads for it: a related row's localised name, else the field."""
        if self.field.is_relation:
            related = self.field.related_model
            if related is not None and any(f.name == "name_en" for f in related._meta.fields):
                return f"{self.name}__name_{language_suffix()}"
            return f"{self.name}_id"
        return self.name

    @property
    def typed_text(self) -> bool:
        """Whether a person typed it (neutralised in spreadsheets): text without choices, and the
        names of rows an administrator keeps."""
        if self.field.choices:
            return False
        return self.field.is_relation or isinstance(self.field, (models.CharField, models.TextField))

    def text(self, value: object) -> object:
        """A value read by `lookup`, for a CSV cell."""
        if self.field.choices and value not in (None, ""):
            return str(dict(self.field.flatchoices).get(value, value))
        if isinstance(value, datetime.date):
            return value.isoformat()
        if isinstance(value, str):
            return " ".join(value.split())
        return value


def columns_of(model: type[models.Model], names: tuple[str, ...]) -> list[Cell]:
    sensitivity = declaration(model)
    columns = []
    for name in names:
        field = model._meta.get_field(name)
        label = str(field.verbose_name)  # type: ignore[union-attr]
        restricted = sensitivity.of(name) is Sensitivity.RESTRICTED
        columns.append(Cell(name, label[:1].upper() + label[1:], field, restricted))  # type: ignore[arg-type]
    return columns


def shown(record: models.Model, column: Cell, *, readable: bool) -> object:
    """What a page shows of one field: a choice's label, a related row, a date in the user's format;
    a restricted value the reader may not see is its pseudonym, or "Restricted"."""
    if column.restricted and not readable:
        stand_in = declaration(type(record)).shown(record, column.name, restricted=False)
        return stand_in or (WITHHELD if getattr(record, column.name) else "")
    if column.field.choices:
        return getattr(record, f"get_{column.name}_display")()
    value = getattr(record, column.name)
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return value


def cells_of(record: models.Model, columns: list[Cell], *, readable: bool) -> list[object]:
    return [shown(record, column, readable=readable) for column in columns]
