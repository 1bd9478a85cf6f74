"""A declared record type's data report: every record of the period in the requester's scope, one row
each, as XLSX (a sheet) or CSV (a ZIP with one file), from one table declaration
(`mission.exports`). Restricted values (names) are in the file only when the requester may read them;
then each download is logged as a view of each record the file holds."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _

from mission.exports import Table, write_csv_zip, write_xlsx
from mission.records.tables import part_table_spec, table_spec
from mission.reports.registry import ReportContext, ReportType
from mission.sensitivity import declaration

if TYPE_CHECKING:
    from mission.departments import DepartmentConfig
    from mission.records.declaration import RecordType


def build_records_data(record_type: RecordType, ctx: ReportContext) -> str:
    model: Any = record_type.get_model()
    period = ctx.period
    date = record_type.date_field or "created_at__date"
    queryset = (
        ctx.in_scope(model._default_manager)
        .filter(**{f"{date}__gte": period.first, f"{date}__lte": period.end})
        .filter(municipality__region__in=ctx.regions())
        .order_by("pk")
    )
    names = bool(declaration(model).restricted & set(record_type.fields)) or any(
        declaration(part.get_model()).restricted & set(part.fields) for part in record_type.parts
    )
    restricted = ctx.includes_restricted and names
    title = capfirst(model._meta.verbose_name_plural)
    tables = [Table(title, table_spec(record_type, restricted=restricted), queryset, restricted)]
    # A sheet (a file) per part, its rows beside their record's number, in the order of their ids (the
    # order the names, decrypted beside them, are merged in).
    for part in record_type.parts:
        rows = part.get_model()._default_manager.filter(**{f"{part.link()}__in": queryset}).order_by("pk")
        part_title = capfirst(str(part.get_model()._meta.verbose_name_plural))
        tables.append(Table(part_title, part_table_spec(part, restricted=restricted), rows, restricted))
    if restricted:
        label = Concat(Value(f"{title} "), Cast("pk", CharField()), output_field=CharField())
        ctx.discloses(queryset, label=label)
    code = ctx.parameters.get("region") or "mission"
    stem = f"{record_type.path}-{code}-{ctx.parameters['from']}-{ctx.parameters['to']}"
    if ctx.job.format == "xlsx":
        write_xlsx(ctx.output, tables, ctx.progress)
        return f"{stem}.xlsx"
    write_csv_zip(ctx.output, tables, ctx.progress)
    return f"{stem}.zip"


def report_types(config: DepartmentConfig) -> list[ReportType]:
    """A data report for each declared record type of the department."""
    found = []
    for record_type in config.records:
        plural = capfirst(record_type.get_model()._meta.verbose_name_plural)
        found.append(
            ReportType(
                key=f"{config.label}_{record_type.name}_data",
                label=format_lazy(_("{records} (data)"), records=plural),
                department=config.department,
                formats=("xlsx", "csv"),
                description=format_lazy(
                    _("Every record of the period in your scope, one row each: {records}."), records=plural
                ),
                build=functools.partial(build_records_data, record_type),
                may_include_restricted=True,
            )
        )
    return found
