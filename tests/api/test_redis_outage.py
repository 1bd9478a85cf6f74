"""The partner API while Redis, which holds the throttle counters, is down or hung: it keeps answering
within a second, throttling per process, and a hung Redis costs one timeout per interval, not one per
request."""

import socket
import threading
import time

import pytest

from mission import cache as resilient
from mission.api.throttling import TokenRateThrottle
from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db


@pytest.fixture
def point_cache_at(settings, monkeypatch):
    """Point the default cache at 127.0.0.1:<port> through our Redis backend, with fresh breakers."""
    monkeypatch.setattr(resilient, "_breakers", {})
    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"token": "3/minute"})

    def point(port: int) -> None:
        settings.CACHES = {
            "default": {
                "BACKEND": "mission.cache.ResilientRedisCache",
                "LOCATION": f"redis://127.0.0.1:{port}/0",
                "OPTIONS": {"socket_timeout": 0.25, "socket_connect_timeout": 0.25, "retry_seconds": 30},
            }
        }

    return point


@pytest.fixture
def closed_port() -> int:
    """A port with nothing listening: connections are refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def hung_redis():
    """A server that accepts connections and never answers; yields its port and the accepted sockets."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.05)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1], accepted
    stop.set()
    thread.join()
    for connection in accepted:
        connection.close()
    server.close()


@pytest.fixture
def cache_time(monkeypatch) -> list[float]:
    """The seconds each cache call took (the machine may be busy: whole requests are timed loosely)."""
    spent: list[float] = []
    guarded = resilient.ResilientRedisCache._guarded

    def timed(self, name, *args, **kwargs):
        started = time.monotonic()
        try:
            return guarded(self, name, *args, **kwargs)
        finally:
            spent.append(time.monotonic() - started)

    monkeypatch.setattr(resilient.ResilientRedisCache, "_guarded", timed)
    return spent


def _statuses(key: str, count: int) -> list[int]:
    client = bearer(key)
    statuses = []
    for _ in range(count):
        started = time.monotonic()
        statuses.append(client.get("/api/v1/regions/").status_code)
        assert time.monotonic() - started < 3  # a plain RedisCache: 500 after 5 s
    return statuses


def test_with_nothing_listening_the_api_answers_and_throttles_per_process(
    partner_key, point_cache_at, closed_port, cache_time
):
    point_cache_at(closed_port)
    assert _statuses(partner_key, 5) == [200, 200, 200, 429, 429]
    assert sum(cache_time) < 0.5


def test_a_hung_redis_costs_one_timeout_per_interval(partner_key, point_cache_at, hung_redis, cache_time):
    port, accepted = hung_redis
    point_cache_at(port)
    assert _statuses(partner_key, 5) == [200, 200, 200, 429, 429]
    # One call waited for the 0.25 s timeout; the breaker spared every other call from trying Redis.
    assert len([spent for spent in cache_time if spent >= 0.2]) == 1
    assert sum(cache_time) < 1
    assert len(accepted) == 1


def test_the_breaker_lets_one_caller_try_again_after_the_interval(monkeypatch):
    now = [100.0]
    monkeypatch.setattr(resilient.time, "monotonic", lambda: now[0])
    breaker = resilient.CircuitBreaker(retry_seconds=30)
    assert breaker.allow()
    breaker.failed()
    assert not breaker.allow()
    now[0] += 31
    assert breaker.allow()  # this caller tries Redis again...
    assert not breaker.allow()  # ...and nobody else meanwhile
    breaker.succeeded()
    assert breaker.allow()
    assert breaker.allow()


def test_with_redis_configured_the_cache_is_the_resilient_one():
    import json
    import os
    import subprocess
    import sys

    code = "from django.conf import settings; import json; print(json.dumps(settings.CACHES['default']))"
    env = {**os.environ, "REDIS_URL": "redis://127.0.0.1:6379/9", "DJANGO_SETTINGS_MODULE": "mission.settings"}
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"], env=env, capture_output=True, text=True
    )
    cache = json.loads(out.stdout)
    assert cache["BACKEND"] == "mission.cache.ResilientRedisCache"
    assert cache["OPTIONS"] == {"socket_timeout": 0.25, "socket_connect_timeout": 0.25, "retry_seconds": 30.0}


def test_the_cache_reuses_one_redis_client_per_connection_pool(settings):
    """Django's Redis backend makes a redis-py client for every call (half of a `get`); ours makes one
    per pool, and every operation still reaches Redis through it."""
    from django.core.cache import caches

    from tests.conftest import require_service
    from tests.test_celery_worker import _reachable

    require_service(_reachable(settings.REDIS_URL), "redis", "Redis (REDIS_URL)")
    url = settings.REDIS_URL.rsplit("/", 1)[0] + "/12"
    settings.CACHES = {**settings.CACHES, "reuse": {"BACKEND": "mission.cache.ResilientRedisCache", "LOCATION": url}}
    cache = caches["reuse"]
    client = cache._cache.get_client()
    assert cache._cache.get_client(write=True) is client
    cache.set("reuse-check", {"n": 1}, 30)
    assert cache.get("reuse-check") == {"n": 1}
    cache.delete("reuse-counter")
    assert cache.add("reuse-counter", 0, 30)
    assert cache.incr("reuse-counter") == 1
    assert cache._cache.get_client() is client
    assert not cache.breaker.is_open  # every call reached Redis
    cache.delete_many(["reuse-check", "reuse-counter"])
