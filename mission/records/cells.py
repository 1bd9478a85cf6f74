"""A record's fields as a page shows them: labelled by the model, choices as their labels,
restricted values only for those who may read them."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from mission.sensitivity import Sensitivity, declaration

WITHHELD = _("Restricted")


@dataclass(frozen=True)
class FieldColumn:
    """One field of the record type's model, as a page labels and shows it."""

    name: str
    label: str
    field: models.Field[Any, Any]
    restricted: bool


def columns_of(model: type[models.Model], names: tuple[str, ...]) -> list[FieldColumn]:
    sensitivity = declaration(model)
    columns = []
    for name in names:
        field = model._meta.get_field(name)
        label = str(field.verbose_name)  # type: ignore[union-attr]
        restricted = sensitivity.of(name) is Sensitivity.RESTRICTED
        columns.append(FieldColumn(name, label[:1].upper() + label[1:], field, restricted))  # type: ignore[arg-type]
    return columns


def shown(record: models.Model, column: FieldColumn, *, readable: bool) -> object:
    """What a page shows of one field: a choice's label, a related row, a date in the user's format;
    a restricted value the reader may not see is its pseudonym, or "Restricted"."""
    if column.restricted and not readable:
        stand_in = declaration(type(record)).shown(record, column.name, restricted=False)
        return stand_in or (WITHHELD if getattr(record, column.field.attname) else "")
    if column.field.choices:
        return getattr(record, f"get_{column.name}_display")()
    value = getattr(record, column.name)
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return value


def cells_of(record: models.Model, columns: list[FieldColumn], *, readable: bool) -> list[object]:
    return [shown(record, column, readable=readable) for column in columns]
