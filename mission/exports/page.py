"""A page's CSV download, streamed: rows go out as the database yields them, so an export of any size
uses constant memory and the first bytes leave at once."""

import csv
import io
import itertools
from collections.abc import Iterable, Iterator, Sequence

from django.db import models
from django.http import StreamingHttpResponse

from mission.exports.columns import Source
from mission.exports.formulas import FORMULA_STARTS, neutralise
from mission.exports.tables import TableSpec, csv_finish

BATCH_ROWS = 500  # rows per chunk of a streamed CSV: few enough to start at once, many enough to be cheap


def csv_response(
    filename: str,
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    text_columns: Iterable[int] | None = None,
) -> StreamingHttpResponse:
    """A streamed CSV download. `text_columns` names the positions of the columns that hold text someone
    typed or may edit (names, numbers of cases, free text): only those are neutralised. Left out, every
    cell is checked; columns the portal writes itself (dates, counts, labels of choices) need not be.
    The header and then batches of rows leave as UTF-8 bytes."""
    positions = None if text_columns is None else tuple(text_columns)

    def batches() -> Iterator[list[Sequence[object]]]:
        source = iter(rows)
        while batch := list(itertools.islice(source, BATCH_ROWS)):
            yield list(_neutralised_rows(batch, positions))

    return _streamed(filename, header, batches())


def table_csv_response(
    filename: str, spec: TableSpec, queryset: models.QuerySet[models.Model], *, restricted: bool = False
) -> StreamingHttpResponse:
    """The rows of `queryset` as `spec` declares them, as a streamed CSV download: text neutralised,
    dates in ISO form, "yes" or "no", and each record on one line (multiline text tidied)."""
    batches = spec.batches(Source(queryset, restricted), finish=csv_finish(one_line=True))
    return _streamed(filename, spec.headers(), batches)


def _streamed(
    filename: str, header: Sequence[str], batches: Iterator[Sequence[Sequence[object]]]
) -> StreamingHttpResponse:
    header_row = [neutralise(cell) for cell in header]

    def lines() -> Iterator[bytes]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        buffer.write("\ufeff")  # a BOM, so that spreadsheet programs read the UTF-8 names right
        writer.writerow(header_row)
        yield buffer.getvalue().encode()
        for batch in batches:  # the query runs once the header has left
            buffer.seek(0)
            buffer.truncate()
            writer.writerows(batch)
            yield buffer.getvalue().encode()

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _neutralised_rows(
    rows: Iterable[Sequence[object]], positions: tuple[int, ...] | None
) -> Iterator[Sequence[object]]:
    starts = FORMULA_STARTS
    for row in rows:
        changed: list[object] | None = None
        for n in range(len(row)) if positions is None else positions:
            cell = row[n]
            if isinstance(cell, str) and cell.startswith(starts):
                if changed is None:
                    changed = list(row)
                changed[n] = "'" + cell
        yield row if changed is None else changed
