"""A table declared once (`TableSpec`: its columns) and what every writer reads from it: the header,
the `values_list` lookups, typed rows (XLSX, the portable CSV, a page's CSV), text rows worked out by
the database (COPY), and which columns hold text to neutralise.

A department declares each table's columns once, in one module, and a use that needs fewer states
which it leaves out::

    OBSERVATIONS = TableSpec(
        Column("hearing_date", _("Hearing date"), Field("hearing__date", kind="date"), width=12),
        Column("monitor", _("Monitor"), DisplayName("monitor"), width=22),
        Column("status", _("Status"), Choice("status", ObservationStatus.choices), width=18),
        ...
    )
    OBSERVATIONS_PAGE = OBSERVATIONS.without("submitted")
"""

import datetime
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from django.db import models
from django.db.models import F
from django.db.models.expressions import Combinable

from mission.exports.columns import NO, YES, Column, Kind, Source
from mission.exports.filling import Filling
from mission.exports.formulas import FORMULA_STARTS, neutralised
from mission.exports.streaming import Row, stream_batches

CHUNK = 2000  # rows fetched at a time while a file is written
ColumnFinish = Callable[[list[object]], list[object]]  # a column's typed cells → a file's
Finish = Callable[[Column], ColumnFinish | None]


class TableSpec:
    """The columns of a table, in order; keys are unique."""

    def __init__(self, *columns: Column) -> None:
        keys = [column.key for column in columns]
        if len(set(keys)) != len(keys):
            raise ValueError(f"A column key is used twice: {keys}")
        self.columns = columns

    def without(self, *keys: str) -> "TableSpec":
        """The same table without the columns `keys` (each must be one of its columns)."""
        unknown = set(keys) - {column.key for column in self.columns}
        if unknown:
            raise KeyError(f"No such column: {', '.join(sorted(unknown))}")
        return TableSpec(*[column for column in self.columns if column.key not in keys])

    def headers(self) -> list[str]:
        """The header row in the active language."""
        return [str(column.header) for column in self.columns]

    def text_columns(self) -> tuple[int, ...]:
        """The positions of the columns whose cells are neutralised (`csv_response`'s `text_columns`)."""
        return positions(self.columns, "text")

    def fields(self) -> tuple[str, ...]:
        """The `values_list` lookups the Python rows read, each once, in the active language."""
        return tuple(dict.fromkeys(lookup for column in self.columns for lookup in column.cell.lookups()))

    def batches(self, source: Source, *, chunk: int = CHUNK, finish: Finish | None = None) -> Iterator[list[Row]]:
        """The typed cells of every row, in batches of up to `chunk` rows, streamed in constant memory
        (`stream_batches`). `finish(column)` may give what turns a column's typed cells into a file's
        (`csv_finish`); each batch is worked column by column."""
        fields = self.fields()
        index = {lookup: n for n, lookup in enumerate(fields)}
        readers = [
            column.cell.reader(tuple(index[lookup] for lookup in column.cell.lookups()), source)
            for column in self.columns
        ]
        finishes = [None if finish is None else finish(column) for column in self.columns]
        for batch in stream_batches(source.queryset, *fields, chunk=chunk):
            cells = [
                read(batch) if done is None else done(read(batch)) for read, done in zip(readers, finishes, strict=True)
            ]
            yield list(zip(*cells, strict=True))

    def rows(self, source: Source, *, chunk: int = CHUNK) -> Iterator[Row]:
        """The typed cells of every row."""
        for batch in self.batches(source, chunk=chunk):
            yield from batch

    def copy_values(self, source: Source) -> tuple[models.QuerySet[models.Model], tuple[Filling, ...]]:
        """The rows as the database writes them for COPY (`queryset.values_list`, each column's SQL
        form; text neutralised as `rows` are by the writers), and the cells Python fills in."""
        values: list[str | Combinable] = []
        fillings: list[Filling] = []
        for column in self.columns:
            form = column.cell.sql(source)
            if isinstance(form, Filling):
                fillings.append(form)
                values.append(form.placeholder())
            elif column.kind == "text":
                values.append(neutralised(F(form) if isinstance(form, str) else form))
            else:
                values.append(form)
        return source.queryset.values_list(*values), tuple(fillings)


def positions(columns: Sequence[Column], kind: Kind) -> tuple[int, ...]:
    return tuple(n for n, column in enumerate(columns) if column.kind == kind)


def neutralised_cells(values: list[object]) -> list[object]:
    """`neutralise` over a column's cells."""
    return [("'" + value) if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value for value in values]


def _iso_dates(values: list[object]) -> list[object]:
    return [value.isoformat() if isinstance(value, datetime.date) else value for value in values]


def _one_line(values: list[object]) -> list[object]:
    return [" ".join(value.split()) if isinstance(value, str) else value for value in values]


def csv_finish(*, one_line: bool = False) -> Finish:
    """How Python's csv writer gets a column's cells as COPY writes the SQL form: text neutralised,
    dates in ISO form, booleans "yes" or "no" in the active language; with `one_line` (a page's CSV),
    multiline text tidied to single spaces first, so that each record is one line."""
    yes, no = str(YES), str(NO)

    def yes_no(values: list[object]) -> list[object]:
        return [None if value is None else yes if value else no for value in values]

    def finish(column: Column) -> ColumnFinish | None:
        if column.kind == "text":
            if one_line and column.cell.multiline:
                return lambda values: neutralised_cells(_one_line(values))
            return neutralised_cells
        if column.kind == "date":
            return _iso_dates
        if column.kind == "bool":
            return yes_no
        return None

    return finish


@dataclass(frozen=True)
class Table:
    """A table with its rows, as a file writes it (`mission.exports.writers`): a sheet of a workbook,
    a file of a ZIP. `restricted`: whoever gets the file may read restricted values (names)."""

    title: str
    spec: TableSpec
    queryset: models.QuerySet[models.Model]
    restricted: bool = False

    @property
    def columns(self) -> tuple[Column, ...]:
        return self.spec.columns

    @property
    def source(self) -> Source:
        return Source(self.queryset, self.restricted)

    def rows(self, *, chunk: int = CHUNK) -> Iterator[Row]:
        return self.spec.rows(self.source, chunk=chunk)

    def batches(self, *, chunk: int = CHUNK, finish: Finish | None = None) -> Iterator[list[Row]]:
        return self.spec.batches(self.source, chunk=chunk, finish=finish)

    def copy_values(self) -> tuple[models.QuerySet[models.Model], tuple[Filling, ...]]:
        return self.spec.copy_values(self.source)
