"""A declared record type's table, declared once from its model (`mission.exports`): the page's CSV
export and the data report both write it, names only for those who may read them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, cast

from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from mission.encryption import EncryptedCharField
from mission.exports import (
    Choice,
    Column,
    DisplayName,
    Field,
    FreeText,
    Merged,
    Source,
    TableSpec,
    YesNo,
    neutralise,
    stream_values,
)
from mission.review.models import ReviewStatus
from mission.sensitivity import Sensitivity, declaration

if TYPE_CHECKING:
    from mission.exports.columns import Cell
    from mission.records.declaration import RecordPart, RecordType


def _named(name: str) -> Merged:
    """A restricted value, decrypted by Python (the database holds it encrypted): read in id order
    beside the table's rows, and filled into COPY's output. Neutralised here, as the text it is."""

    def pairs(source: Source) -> Iterator[tuple[int, str]]:
        rows = source.queryset.order_by("pk")
        for pk, value in stream_values(rows, "pk", name):
            if value:
                yield cast(int, pk), str(neutralise(value))

    return Merged("pk", pairs, lambda source: None)


def _cell(model: type[models.Model], name: str) -> Cell:
    field = model._meta.get_field(name)
    if declaration(model).of(name) is Sensitivity.RESTRICTED and isinstance(field, EncryptedCharField):
        return _named(name)  # a restricted reference (a journalist's outlet) is written as its name below
    if isinstance(field, models.ForeignKey):
        related = field.related_model
        if related is not None and any(f.name == "name_en" for f in related._meta.fields):
            return Field(f"{name}__name", localised=True)
        if getattr(related, "USERNAME_FIELD", None):
            return DisplayName(name)
        return Field(f"{name}_id", kind="int")
    if isinstance(field, models.Field) and field.choices:
        return Choice(name, field.flatchoices)
    if isinstance(field, models.BooleanField):
        return YesNo(name)
    if isinstance(field, models.DateField):  # a DateTimeField is one too
        return Field(name, kind="date")
    if isinstance(field, (models.IntegerField, models.DecimalField, models.FloatField)):
        return Field(name, kind="int")
    return FreeText(name, multiline=isinstance(field, models.TextField))


def _width(cell: Cell) -> int:
    return {"date": 12, "int": 9, "bool": 8}.get(cell.kind, 30 if getattr(cell, "multiline", False) else 18)


def table_spec(record_type: RecordType, *, restricted: bool) -> TableSpec:
    """The report's columns: id, status, revision, author, region, then the author's fields (restricted
    ones only for readers of restricted values)."""
    model = record_type.get_model()
    columns = [
        Column("id", _("Number"), Field("pk", kind="int"), width=9),
        Column("status", _("Status"), Choice("status", ReviewStatus.choices), width=18),
        Column("revision", _("Revision"), Field("revision", kind="int"), width=9),
        Column("author", capfirst(model.review_labels.author), DisplayName(model.author_field), width=22),
        Column("region", _("Region"), Field("municipality__region__name", localised=True), width=18),
    ]
    return TableSpec(*columns, *_field_columns(model, record_type.fields, restricted=restricted))


def part_table_spec(part: RecordPart, *, restricted: bool) -> TableSpec:
    """The rows of one part of the record type, as their own table of the data report: the record's
    number, the row's, then the part's fields (restricted ones only for readers of restricted values)."""
    model = part.get_model()
    link = part.link()
    columns = [Column("record", _("Record"), Field(f"{link}_id", kind="int"), width=9)]
    if any(f.name == "ordinal" for f in model._meta.concrete_fields):
        columns.append(Column("number", _("Number"), Field("ordinal", kind="int"), width=9))
    return TableSpec(*columns, *_field_columns(model, part.fields, restricted=restricted))


def _field_columns(model: type[models.Model], names: tuple[str, ...], *, restricted: bool) -> list[Column]:
    """A column for each of the fields `names` of `model`, restricted ones only for `restricted`."""
    sensitivity = declaration(model)
    columns = []
    for name in names:
        if sensitivity.of(name) is Sensitivity.RESTRICTED and not restricted:
            continue
        cell = _cell(model, name)
        label = capfirst(model._meta.get_field(name).verbose_name)  # type: ignore[union-attr]
        columns.append(Column(name, label, cell, width=_width(cell)))
    return columns
