"""Readiness: whether this instance can serve, and whether the machinery behind it runs. Each check
answers quickly (short timeouts) and never raises; `/readyz/` (`mission.health.views`) answers 503
when one fails.

- database: a statement answers;
- redis: the broker and cache answer a PING (when REDIS_URL is set);
- worker: on every queue (CELERY_QUEUES_IN_USE), a worker ran the heartbeat task beat sends it every
  HEALTH_HEARTBEAT_SECONDS, recently;
- beat: beat sent a scheduled task recently;
- summaries: the dashboards' summaries were brought up to date on schedule;
- replicas (when DATABASE_REPLICA_URLS is set): whether each read replica answers, and how far its
  replay is behind. It never fails readiness: the read-only work reads from the primary meanwhile
  (mission/replicas.py); alert on it from the detail.

With tasks in-process (the embedded default: no broker, no worker, no beat) the last three are not
used and pass: pages bring their summaries up to date themselves."""

import datetime
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from mission.health.services import BEAT, worker_of


@dataclass
class Check:
    name: str
    ok: bool
    detail: dict[str, Any] = field(default_factory=dict)


def _timed(name: str, probe: Callable[[], dict[str, Any]]) -> Check:
    started = time.monotonic()
    try:
        detail = probe()
    except Exception as error:
        return Check(name, False, {"error": type(error).__name__, "ms": _ms(started)})
    ok = bool(detail.pop("ok", True))
    return Check(name, ok, {**detail, "ms": _ms(started)})


def _ms(started: float) -> float:
    return round((time.monotonic() - started) * 1000, 1)


def _database() -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {}


def _redis() -> dict[str, Any]:
    if not settings.REDIS_URL:
        return {"used": False}
    import redis

    timeout = settings.HEALTH_REDIS_TIMEOUT_SECONDS
    client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=timeout, socket_connect_timeout=timeout)
    try:
        return {"ok": bool(client.ping())}
    finally:
        client.close()


def _tasks_in_process() -> bool:
    return bool(settings.CELERY_TASK_ALWAYS_EAGER)


def _heartbeat(name: str) -> Callable[[], dict[str, Any]]:
    def probe() -> dict[str, Any]:
        if _tasks_in_process():
            return {"used": False}
        from mission.health.models import Heartbeat

        seen = Heartbeat.objects.filter(name=name).values_list("at", flat=True).first()
        if seen is None:
            return {"ok": False, "seen": None}
        age = (timezone.now() - seen).total_seconds()
        return {"ok": age <= settings.HEALTH_STALE_SECONDS, "age_seconds": round(age)}

    return probe


def _workers() -> dict[str, Any]:
    """Every queue's workers: ok when each queue's heartbeat is fresh."""
    if _tasks_in_process():
        return {"used": False}
    queues = {queue: _heartbeat(worker_of(queue))() for queue in settings.CELERY_QUEUES_IN_USE}
    return {"ok": all(q["ok"] for q in queues.values()), "queues": queues}


def _summaries() -> dict[str, Any]:
    if _tasks_in_process():
        return {"used": False}
    from mission.dashboards.models import SummaryRefresh

    oldest = SummaryRefresh.objects.order_by("refreshed_at").values_list("refreshed_at", flat=True).first()
    if oldest is None:
        return {"ok": True, "built": False}  # nothing built yet: the first refresh builds them
    # As the dashboards say "late" (mission.dashboards.services.Freshness.late).
    from mission.dashboards.services import LATE_AFTER_INTERVALS, LATE_AFTER_MINUTES_AT_LEAST

    late_after = max(settings.DASHBOARD_REFRESH_MINUTES * LATE_AFTER_INTERVALS, LATE_AFTER_MINUTES_AT_LEAST)
    age = timezone.now() - oldest
    return {"ok": age <= datetime.timedelta(minutes=late_after), "age_seconds": round(age.total_seconds())}


_REPLICA_STATE = (
    # Whether the replica receives WAL from the primary, and how far its replay is behind: nothing when
    # everything received is replayed and it still streams, else the age of the last replayed commit
    # (a replica that stopped streaming has replayed all it received, but that grows old).
    "SELECT EXISTS (SELECT 1 FROM pg_stat_wal_receiver WHERE status = 'streaming'), "
    "CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() "
    "AND EXISTS (SELECT 1 FROM pg_stat_wal_receiver WHERE status = 'streaming') THEN 0 "
    "ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) END"
)


def _replicas() -> dict[str, Any]:
    from django.db import DatabaseError, connections

    from mission import replicas

    aliases = replicas.replica_aliases()
    if not aliases:
        return {"used": False}
    found: dict[str, Any] = {}
    now = time.monotonic()
    for alias in aliases:
        if replicas._down_until.get(alias, 0.0) > now:  # the router found it down: not tried again yet
            found[alias] = {"answers": False, "error": "left alone after failing"}
            continue
        replica = connections[alias]
        try:
            with replica.cursor() as cursor:
                if replica.vendor == "postgresql":
                    cursor.execute(_REPLICA_STATE)
                    row = cursor.fetchone()
                    streaming, lag = (bool(row[0]), row[1]) if row else (False, None)
                    found[alias] = {
                        "answers": True,
                        "streaming": streaming,
                        "lag_seconds": None if lag is None else round(float(lag), 1),
                    }
                else:
                    found[alias] = {"answers": True}
        except DatabaseError as error:
            replica.close()
            found[alias] = {"answers": False, "error": type(error).__name__}
    return {"replicas": found}


def readiness() -> list[Check]:
    return [
        _timed("database", _database),
        _timed("redis", _redis),
        _timed("worker", _workers),
        _timed("beat", _heartbeat(BEAT)),
        _timed("summaries", _summaries),
        _timed("replicas", _replicas),
    ]
