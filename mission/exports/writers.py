"""The files a report writes from its tables (`mission.exports.tables.Table`), in constant memory:

- `write_xlsx`: a workbook with a sheet per table (openpyxl write-only, through lxml), typed cells,
  a frozen bold header and filter buttons over every row;
- `write_csv_zip`: a ZIP with a CSV file per table. On PostgreSQL each table's text comes from COPY
  straight into the ZIP, with Python filling in the cells the database cannot write (names encrypted
  at rest); elsewhere Python writes the same bytes from the typed rows.

Text cells are neutralised for spreadsheets in both, as in every file the portal writes."""

import csv
import datetime
import io
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING

from django.core.exceptions import EmptyResultSet
from django.db import connections

from mission.exports.columns import Column
from mission.exports.filling import Filled
from mission.exports.tables import ColumnFinish, Finish, Table, csv_finish, neutralised_cells

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

Progress = Callable[[float, str], None]  # (fraction done 0..1, what is happening now)
Output = Path | IO[bytes]
COPY_BUFFER = 1 << 18  # bytes of COPY's output gathered before they go on to the ZIP


class _Counter:
    """Progress over every table: rows written of rows expected."""

    def __init__(self, progress: Progress, total: int) -> None:
        self.progress, self.total, self.done = progress, max(total, 1), 0

    def step(self, note: str, rows: int = 1) -> None:
        before, self.done = self.done, self.done + rows
        if before // 500 != self.done // 500:
            self.progress(0.05 + 0.9 * self.done / self.total, note)


def write_xlsx(output: Output, tables: Sequence[Table], progress: Progress) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    bold, fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="1F4E79")
    counter = _Counter(progress, sum(table.queryset.count() for table in tables))
    for table in tables:
        title, columns = str(table.title), table.columns
        sheet = workbook.create_sheet(title=title[:31])
        sheet.freeze_panes = "A2"
        for n, column in enumerate(columns, start=1):
            sheet.column_dimensions[get_column_letter(n)].width = column.width
        header = []
        for column in columns:
            cell = WriteOnlyCell(sheet, value=str(column.header))
            cell.font, cell.fill, cell.alignment = bold, fill, Alignment(wrap_text=True, vertical="top")
            header.append(cell)
        sheet.append(header)
        written = 0
        for batch in table.batches(finish=_xlsx_finish(sheet)):
            for row in batch:
                sheet.append(row)
            written += len(batch)
            counter.step(title, len(batch))
        # Filter buttons on the header, over every row written (a write-only sheet keeps the range
        # until it is saved).
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{written + 1}"
    workbook.save(output)


def write_csv_zip(output: Output, tables: Sequence[Table], progress: Progress) -> None:
    """The tables' CSV files in a ZIP: through COPY on PostgreSQL, else written by Python."""
    if all(connections[table.queryset.db].vendor == "postgresql" for table in tables):
        copy_csv_zip(output, tables, progress)
    else:
        python_csv_zip(output, tables, progress)


def _archive(output: Output) -> zipfile.ZipFile:
    # Fast deflate: the text shrinks about sevenfold all the same, at a fraction of the default's cost.
    return zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1)


def _file_name(table: Table) -> str:
    return f"{str(table.title).lower()}.csv"


def _write_header(raw: IO[bytes], table: Table) -> None:
    header = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
    csv.writer(header, lineterminator="\n").writerow(table.spec.headers())
    header.flush()
    header.detach()


def copy_csv_zip(output: Output, tables: Sequence[Table], progress: Progress) -> None:
    """On PostgreSQL: each table's text rows go from COPY straight into the ZIP, never through Python,
    but for the cells Python fills in (`Filling`)."""
    with _archive(output) as archive:
        for n, table in enumerate(tables):
            progress(0.05 + 0.9 * n / len(tables), str(table.title))
            values, fillings = table.copy_values()
            try:
                sql, params = values.query.sql_with_params()
            except EmptyResultSet:  # nothing in scope: the header alone
                sql = None
            connection = connections[table.queryset.db]
            with archive.open(_file_name(table), "w") as raw, connection.cursor() as cursor:
                _write_header(raw, table)
                if sql is None:
                    continue
                statement = cursor.mogrify(sql, params).decode()
                # COPY hands over a row at a time; the buffer passes them on (filled) in large chunks.
                with io.BufferedWriter(Filled(raw, fillings), buffer_size=COPY_BUFFER) as target:
                    cursor.cursor.copy_expert(f"COPY ({statement}) TO STDOUT WITH (FORMAT csv)", target)


def python_csv_zip(output: Output, tables: Sequence[Table], progress: Progress) -> None:
    """Elsewhere (SQLite): the typed rows, written by Python; the same bytes as `copy_csv_zip`."""
    counter = _Counter(progress, sum(table.queryset.count() for table in tables))
    with _archive(output) as archive:
        for table in tables:
            _python_csv_file(archive, table, counter)


def _python_csv_file(archive: zipfile.ZipFile, table: Table, counter: _Counter) -> None:
    title = str(table.title)
    with archive.open(_file_name(table), "w") as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="", write_through=False)
        writer = csv.writer(text, lineterminator="\n")  # as COPY writes
        writer.writerow(table.spec.headers())
        for batch in table.batches(finish=csv_finish()):
            writer.writerows(batch)
            counter.step(title, len(batch))
        text.flush()
        text.detach()


def _xlsx_finish(sheet: "WriteOnlyWorksheet") -> Finish:
    """Text neutralised (or openpyxl stores "=1+2" as a live formula), dates shown as dates."""
    from openpyxl.cell import WriteOnlyCell

    def day(value: object) -> object:
        # openpyxl shows a plain date as yyyy-mm-dd by itself; a styled cell of our own for each would
        # cost a cell and a style lookup per date. Only a date and time is cut to its day's format.
        if not isinstance(value, datetime.datetime):
            return value
        cell = WriteOnlyCell(sheet)
        cell.value, cell.number_format = value, "yyyy-mm-dd"
        return cell

    def finish(column: Column) -> ColumnFinish | None:
        if column.kind == "text":
            return neutralised_cells
        if column.kind == "date":
            return lambda values: list(map(day, values))
        return None

    return finish
