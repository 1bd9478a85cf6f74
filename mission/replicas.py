"""Read replicas: the read-only work reads from PostgreSQL streaming replicas, everything else from the
primary.

`DATABASE_REPLICA_URLS` names the replicas (settings make them the aliases `replica1`, `replica2`, …,
and install `ReplicaRouter` only then: with none set nothing here runs). Only work that is declared
read-only goes to a replica, inside `replica_reads()` (or a view under `@reads_from_replica`): the
dashboards, the partner API's lists and aggregates, and the building of reports. Everything else, every
write, and every read inside a transaction on the primary, goes to the primary, so a form never
validates against a copy that is a moment behind.

- **Read-your-writes.** A request that may have written (any method but GET, HEAD, OPTIONS, TRACE)
  leaves a signed cookie on the browser; for REPLICA_PIN_SECONDS after it, that browser's read-only
  work reads from the primary, so a user who just saved sees what they saved on a dashboard or in the
  API at once, while everyone else reads the replica.
- **Fallback.** The first replica read of a unit of work checks that the replica answers (Django's
  health check on a kept connection, or a new connection with a short timeout). One that does not is
  left alone for REPLICA_RETRY_SECONDS, in this process, and the reads go to another replica or to the
  primary, with no error for the user.
- **Caught up.** Work that must see what was committed just before it (a report's build: its job
  and its requester's last saves; a page or report that just brought summaries up to date) calls
  `replica_caught_up()`, which waits briefly for the replica to replay the primary's position, and
  otherwise sends the rest of the work to the primary. Lists of reference data are always built from
  the primary (`mission.choices`): they are kept under the version read there.
- A replica is a moment behind the primary (its replay lag): figures read from it are as of then. The
  dashboards already say how fresh their summaries are.
"""

import functools
import logging
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.models import Model
from django.http import HttpRequest, HttpResponseBase

logger = logging.getLogger(__name__)

PREFIX = "replica"
PIN_COOKIE = "mp_primary"
_PIN_SALT = "mission.replicas.pin"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

P = ParamSpec("P")
R = TypeVar("R")


@dataclass
class _Reading:
    """One unit of read-only work: the replica it reads from, chosen (and checked) at its first read."""

    alias: str | None = None
    chosen: bool = False


_reading: ContextVar[_Reading | None] = ContextVar("mission_replica_reading", default=None)
_pinned: ContextVar[bool] = ContextVar("mission_replica_pinned", default=False)
# Per process: replica alias -> time.monotonic() until which it is not tried again.
_down_until: dict[str, float] = {}


def replica_aliases() -> list[str]:
    """The aliases of the configured replicas (none on the embedded default)."""
    return [alias for alias in settings.DATABASES if alias.startswith(PREFIX)]


@contextmanager
def replica_reads() -> Iterator[None]:
    """Reads inside are read-only work and may come from a replica (nested: the outer one counts)."""
    if _reading.get() is not None:
        yield
        return
    token = _reading.set(_Reading())
    try:
        yield
    finally:
        _reading.reset(token)


def reads_from_replica(view: Callable[P, R]) -> Callable[P, R]:
    """A view whose reads may come from a replica (a dashboard): it must not write what it reads."""

    @functools.wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        with replica_reads():
            return view(*args, **kwargs)

    return wrapped


@contextmanager
def primary_reads() -> Iterator[None]:
    """Reads inside come from the primary even in read-only work (the pin of a user who just saved)."""
    token = _pinned.set(True)
    try:
        yield
    finally:
        _pinned.reset(token)


def replica_caught_up(wait_seconds: float = 2.0) -> None:
    """In read-only work: make sure that the replica it reads has replayed everything the primary has
    committed until now (the job the user just asked for, the summaries this work just brought up to
    date), waiting up to `wait_seconds`; if it has not by then, the rest of the work reads the primary."""
    reading = _reading.get()
    if reading is None or _pinned.get():
        return
    if not reading.chosen:
        reading.alias, reading.chosen = _healthy_replica(), True
    if reading.alias is None:
        return
    primary, replica = connections[DEFAULT_DB_ALIAS], connections[reading.alias]
    if primary.vendor != "postgresql" or replica.vendor != "postgresql":
        return
    try:
        with primary.cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()::text")
            target = cursor.fetchone()[0]
        deadline = time.monotonic() + wait_seconds
        while True:
            with replica.cursor() as cursor:
                cursor.execute("SELECT COALESCE(pg_last_wal_replay_lsn() >= %s::pg_lsn, false)", [target])
                if cursor.fetchone()[0]:
                    return
            if time.monotonic() >= deadline:
                break
            time.sleep(0.05)
    except DatabaseError:
        pass
    reading.alias = None  # the primary, for the rest of this work


def _healthy_replica() -> str | None:
    """A replica that answers now (trying them from a random one, to spread the load), or None."""
    aliases = replica_aliases()
    if not aliases:
        return None
    start = random.randrange(len(aliases))  # noqa: S311 - spreading load, not a secret
    now = time.monotonic()
    for alias in aliases[start:] + aliases[:start]:
        if _down_until.get(alias, 0.0) > now:
            continue
        connection = connections[alias]
        try:
            connection.close_if_health_check_failed()
            connection.ensure_connection()
        except DatabaseError as error:
            _down_until[alias] = now + settings.REPLICA_RETRY_SECONDS
            logger.warning(
                "replica %s does not answer (%s); reading from the primary for %s s",
                alias,
                type(error).__name__,
                settings.REPLICA_RETRY_SECONDS,
            )
            with suppress(DatabaseError):
                connection.close()
            continue
        _down_until.pop(alias, None)
        return alias
    return None


class ReplicaRouter:
    """Django's database router for the replicas (installed by settings only when there are some)."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        reading = _reading.get()
        if reading is None or _pinned.get() or connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return None  # the primary
        if not reading.chosen:
            reading.alias, reading.chosen = _healthy_replica(), True
        return reading.alias

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool:
        return True  # the replicas hold the primary's rows

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool | None:
        return False if db.startswith(PREFIX) else None


class ReplicaPinMiddleware:
    """Read-your-writes: a browser that just sent a write reads from the primary for a short while."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.used = bool(replica_aliases())

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not self.used:
            return self.get_response(request)
        window = settings.REPLICA_PIN_SECONDS
        pinned = request.get_signed_cookie(PIN_COOKIE, default=None, salt=_PIN_SALT, max_age=window) is not None
        token = _pinned.set(pinned)
        try:
            response = self.get_response(request)
        finally:
            _pinned.reset(token)
        if request.method not in _SAFE_METHODS:
            response.set_signed_cookie(
                PIN_COOKIE,
                "1",
                salt=_PIN_SALT,
                max_age=window,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
