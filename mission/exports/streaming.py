"""Rows of any number of records in constant memory, straight from the database."""

import itertools
import uuid
from collections.abc import Iterator
from typing import cast

from django.core.exceptions import EmptyResultSet
from django.db import connections, models

from mission.encryption import decrypted_rows, encrypted_positions

Row = tuple[object, ...]


def stream_values(queryset: models.QuerySet[models.Model], *fields: str, chunk: int = 5000) -> Iterator[Row]:
    """Tuples of `fields` for every row, in constant memory. On PostgreSQL straight from a server-side
    cursor: the ORM writes the SQL and psycopg returns typed values (aware datetimes included) with no
    per-row converter, several times faster than the ORM's iterator at a million rows (encrypted
    columns are decrypted here, as their converter would). Elsewhere (SQLite) through
    `.values_list().iterator()`."""
    for batch in stream_batches(queryset, *fields, chunk=chunk):
        yield from batch


def stream_batches(queryset: models.QuerySet[models.Model], *fields: str, chunk: int = 5000) -> Iterator[list[Row]]:
    """`stream_values` in lists of up to `chunk` rows, as the database hands them over."""
    values = queryset.values_list(*fields)
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        rows = values.iterator(chunk_size=chunk)
        while batch := list(itertools.islice(rows, chunk)):
            yield batch
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
            yield cast(list[Row], list(decrypted_rows(rows, encrypted))) if encrypted else rows
    finally:
        cursor.close()
