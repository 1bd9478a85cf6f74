"""Statements PostgreSQL plans once per connection (`PREPARE`), for the few that run on every request.

Planning a statement costs more than running it when the statement is small: the API token's join to
its user was planned in about 0.3 ms and ran in 0.1 ms, and every partner request paid it. A prepared
statement is planned when it is prepared and run by name afterwards (`EXECUTE name(…)`). Prepared
statements live as long as the server connection, and the portal keeps its connections
(CONN_MAX_AGE), so each worker prepares each statement once.

Only where a failure can be retried: on PostgreSQL and outside a transaction (autocommit, as requests
run). Inside one a missing statement would abort the transaction; there the statement runs as it is.
A statement is missing if something between the portal and the server dropped it (`DISCARD ALL`), or
already there if another client prepared it on a server connection a pooler shares; then it is prepared
again, or used, once; if that fails too (a pooler in transaction mode changes server connections
between statements), the statement runs as it is.

`execute_literal` prepares a statement whose values are written into it (a kept list page's, see
`mission.kept_pages`): with no parameters PostgreSQL plans it once and reuses that plan. Such statements
are many (one per reader and filters), so a connection keeps at most `MAX_PREPARED`; beyond, it drops
them all (`DEALLOCATE ALL`) and prepares again what is asked for.
"""

import functools
import hashlib
from collections.abc import Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.utils import DatabaseError

# On the connection wrapper: (the driver connection the names were prepared on, the names).
_ATTRIBUTE = "_mission_prepared"
_MISSING, _DUPLICATE = "26000", "42P05"
MAX_PREPARED = 200  # invalid_sql_statement_name, duplicate_prepared_statement


def _placeholders(sql: str, count: int) -> str:
    """`%s` → `$1`, `$2`, … (a literal percent sign is `%%` in a parameterised statement)."""
    parts = sql.replace("%%", "\0").split("%s")
    if len(parts) != count + 1:
        raise ValueError("the statement's placeholders do not match its parameters")
    numbered = parts[0] + "".join(f"${i}{part}" for i, part in enumerate(parts[1:], start=1))
    return numbered.replace("\0", "%")


def _names(wrapper: Any) -> set[str]:
    raw = wrapper.connection
    kept = getattr(wrapper, _ATTRIBUTE, None)
    if kept is None or kept[0] is not raw:  # a new driver connection: nothing is prepared on it
        kept = (raw, set())
        setattr(wrapper, _ATTRIBUTE, kept)
    names: set[str] = kept[1]
    return names


@functools.lru_cache(maxsize=256)  # as many as the kept statements of a process (mission.choices)
def statement_name(sql: str) -> str:
    """The name `sql` is prepared under (the same in every process); remembered, as the same few
    statements run on every request."""
    return "mp_" + hashlib.blake2b(sql.encode(), digest_size=8).hexdigest()


def execute(cursor: Any, sql: str, params: Sequence[Any], using: str = DEFAULT_DB_ALIAS) -> None:
    """`cursor.execute(sql, params)`, prepared on PostgreSQL outside a transaction."""
    _run(cursor, sql, params, using, literal=False)


def execute_literal(cursor: Any, sql: str, using: str = DEFAULT_DB_ALIAS) -> None:
    """`cursor.execute(sql)` for a statement with its values written in (no placeholders; a percent
    sign is itself), prepared on PostgreSQL outside a transaction."""
    _run(cursor, sql, (), using, literal=True)


def _run(cursor: Any, sql: str, params: Sequence[Any], using: str, *, literal: bool) -> None:
    wrapper = connections[using]
    if wrapper.vendor != "postgresql" or wrapper.in_atomic_block or wrapper.connection is None:
        cursor.execute(sql, None if literal else params)
        return
    name = statement_name(sql)
    names = _names(wrapper)
    run = f"EXECUTE {name}" + (f"({', '.join(['%s'] * len(params))})" if params else "")
    for _attempt in (1, 2):
        try:
            if name not in names:
                if len(names) >= MAX_PREPARED:
                    cursor.execute("DEALLOCATE ALL")
                    names.clear()
                body = sql if literal else _placeholders(sql, len(params))  # only to prepare it
                cursor.execute(f"PREPARE {name} AS {body}")
                names.add(name)
            cursor.execute(run, list(params) if params else None)
            return
        except DatabaseError as error:
            code = getattr(getattr(error, "__cause__", None), "pgcode", None)
            if code == _DUPLICATE:  # prepared on this server connection before (a pooler's): use it
                names.add(name)
            elif code == _MISSING:  # dropped under us: prepare it again
                names.discard(name)
            else:
                raise
    # Still missing or duplicate: the server connection changes between statements (a pooler in
    # transaction mode). The statement as it is, which is always right.
    cursor.execute(sql, None if literal else params)
