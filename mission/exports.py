"""Streaming CSV: rows go out as the database yields them, so an export of any size uses constant memory
and the first bytes leave at once. And the one rule for every CSV and XLSX the portal writes: a text
cell that a spreadsheet program would run as a formula is written as text."""

import csv
import io
import itertools
from collections.abc import Iterable, Sequence

from django.db.models import Func, TextField
from django.http import StreamingHttpResponse

# What makes a spreadsheet program take a cell for a formula (OWASP, CSV injection): =, +, -, @, and tab
# and carriage return, which some programs skip before looking. Such a text cell gets a single quote in
# front, which spreadsheets show as text; numbers and dates are not text and stay what they are.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """`value` made safe for a spreadsheet cell: text that starts like a formula gets a leading quote;
    anything that is not text (a negative number, a date) is returned as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class neutralised(Func):  # noqa: N801 (used as the function it stands for)
    """`neutralise` worked out by PostgreSQL, for text columns that COPY writes straight to a file:
    CASE WHEN ASCII(x) IN (…) THEN a quote and x ELSE x END, twice as fast as a regular expression.
    NULL stays NULL. `x` appears three times: give it a column, not a subquery."""

    output_field = TextField()

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        codes = ", ".join(str(ord(start)) for start in FORMULA_STARTS)
        text = f"CAST({sql} AS text)"
        return f"CASE WHEN ASCII({text}) IN ({codes}) THEN '''' || {text} ELSE {text} END", (*params,) * 3


BATCH_ROWS = 500  # rows per chunk of a streamed CSV: few enough to start at once, many enough to be cheap


def csv_response(
    filename: str, header: list[str], rows: Iterable[Sequence], *, text_columns: Iterable[int] | None = None
) -> StreamingHttpResponse:
    """A streamed CSV download. `text_columns` names the positions of the columns that hold text someone
    typed or may edit (names, numbers of cases, free text): only those are neutralised. Left out, every
    cell is checked; columns the portal writes itself (dates, counts, labels of choices) need not be.
    The header and then batches of rows leave as UTF-8 bytes."""
    header_row = [neutralise(cell) for cell in header]
    positions = None if text_columns is None else tuple(text_columns)

    def lines():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        buffer.write("\ufeff")  # a BOM, so that spreadsheet programs read the UTF-8 names right
        writer.writerow(header_row)
        yield buffer.getvalue().encode()
        source = iter(rows)
        while batch := list(itertools.islice(source, BATCH_ROWS)):
            buffer.seek(0)
            buffer.truncate()
            writer.writerows(_neutralised_rows(batch, positions))
            yield buffer.getvalue().encode()

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _neutralised_rows(rows: Iterable[Sequence], positions: tuple[int, ...] | None):
    starts = FORMULA_STARTS
    for row in rows:
        for n in range(len(row)) if positions is None else positions:
            cell = row[n]
            if cell.__class__ is str and cell.startswith(starts):
                row = list(row)
                row[n] = "'" + cell
        yield row


def stream_values(queryset, *fields: str, chunk: int = 5000):
    """Tuples of `fields` for every row, in constant memory. On PostgreSQL straight from a server-side
    cursor: the ORM writes the SQL and psycopg returns typed values (aware datetimes included) with no
    per-row converter, several times faster than the ORM's iterator at a million rows (encrypted
    columns are decrypted here, as their converter would). Elsewhere (SQLite) through
    `.values_list().iterator()`."""
    import uuid

    from django.core.exceptions import EmptyResultSet
    from django.db import connections

    from mission.encryption import decrypted_rows, encrypted_positions

    values = queryset.values_list(*fields)
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        yield from values.iterator(chunk_size=chunk)
        return
    try:
        sql, params = values.query.sql_with_params()
    except EmptyResultSet:  # a scope that sees nothing
        return
    connection.ensure_connection()
    # Inside a transaction the cursor streams; outside one it needs WITH HOLD to outlive the
    # autocommit transaction that opened it, and PostgreSQL then computes every row up front.
    hold = not connection.in_atomic_block
    cursor = connection.connection.cursor(name=f"stream_{uuid.uuid4().hex}", withhold=hold)
    try:
        cursor.itersize = chunk
        cursor.execute(sql, params)
        encrypted = encrypted_positions(queryset.model, fields)
        while rows := cursor.fetchmany(chunk):
            yield from decrypted_rows(rows, encrypted)
    finally:
        cursor.close()
