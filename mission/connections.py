"""A request's first statement as the check that its kept database connection still works.

With persistent connections (CONN_MAX_AGE) and CONN_HEALTH_CHECKS, Django checks a kept connection
before the first query of each request with a `SELECT 1`: a round trip of its own, on every page and
every API request. Here the first real statement of a request (the session's row for a page, the
token's for an API request) is that check: when it fails because the connection is dead (the
database restarted, a proxy dropped it), the connection is closed, a new one opened, and the
statement run again, which is what the check would have done before it. An error on a connection
that still works (a real error of the statement) is raised as it is.
"""

from collections.abc import Callable
from typing import TypeVar

from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections

T = TypeVar("T")


def first_statement(run: Callable[[], T], using: str = DEFAULT_DB_ALIAS) -> T:
    """`run()`, standing in for the health check of the connection `using` when it is due."""
    connection = connections[using]
    if (
        connection.connection is None  # a new connection is made for this request: nothing to check
        or not getattr(connection, "health_check_enabled", False)
        or getattr(connection, "health_check_done", True)
        or connection.in_atomic_block
    ):
        return run()
    # Django's own flag (BaseDatabaseWrapper), which the type stubs do not list.
    connection.health_check_done = True  # type: ignore[attr-defined]
    try:
        return run()
    except (OperationalError, InterfaceError):
        if connection.is_usable():
            raise
        connection.close()
        return run()
