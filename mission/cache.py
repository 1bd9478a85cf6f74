"""A Redis cache that never takes a request down with it.

The cache holds what can be rebuilt or lived without: the API's throttle counters above all. When Redis
is down or hung, a plain RedisCache raises (a 500) after its socket timeout (5 s by default) on every
request. This backend instead:

- gives Redis short socket timeouts (`REDIS_CACHE_TIMEOUT_SECONDS`, a fraction of a second);
- on an error opens a circuit breaker for `REDIS_CACHE_RETRY_SECONDS`: meanwhile every call goes to a
  per-process in-memory cache without touching Redis, and after it one call (one thread) tries Redis
  again. A hung Redis so costs at most one timeout per interval per process;
- answers from the per-process cache while the breaker is open. Throttling then counts per process,
  which is looser than across all workers but keeps the API answering.
"""

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT_SECONDS = 0.25
DEFAULT_RETRY_SECONDS = 30.0

# The cache operations that reach Redis; each falls back to the in-memory cache.
_OPERATIONS = (
    "add",
    "get",
    "set",
    "touch",
    "delete",
    "get_many",
    "has_key",
    "incr",
    "set_many",
    "delete_many",
    "clear",
)


class CircuitBreaker:
    """Closed: calls go through. After a failure: open for `retry_seconds`, calls are refused at once;
    then the first caller (and only it) tries again, and its success closes the breaker.

    One per Redis location and process: Django makes a cache object per thread, the breaker is shared."""

    def __init__(self, retry_seconds: float) -> None:
        self.retry_seconds = retry_seconds
        self._open_until = 0.0  # monotonic time; 0: closed
        self._lock = threading.Lock()

    def allow(self) -> bool:
        with self._lock:
            now = time.monotonic()
            if now < self._open_until:
                return False
            if self._open_until:
                # Half-open: this caller tries; everyone else waits out another interval.
                self._open_until = now + self.retry_seconds
            return True

    def succeeded(self) -> None:
        with self._lock:
            self._open_until = 0.0

    def failed(self) -> None:
        with self._lock:
            self._open_until = time.monotonic() + self.retry_seconds

    @property
    def is_open(self) -> bool:
        return self._open_until != 0.0


_breakers: dict[str, CircuitBreaker] = {}
_breakers_lock = threading.Lock()


def breaker_for(location: str, retry_seconds: float) -> CircuitBreaker:
    with _breakers_lock:
        if location not in _breakers:
            _breakers[location] = CircuitBreaker(retry_seconds)
        return _breakers[location]


class _RedisClient(RedisCacheClient):
    """Django's Redis client, with one redis-py client per connection pool instead of one made for
    every cache call: making it was half of a `get` (about 100 of 200 µs here)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        # Django's own (private, missing from the stubs): the pool (a read picks one of the servers at
        # random), the redis-py class. A pool lives as long as this client: its id names it.
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)  # type: ignore[attr-defined]
        return client


class ResilientRedisCache(RedisCache):
    """RedisCache with short timeouts, a circuit breaker and a per-process fallback (see the module).

    OPTIONS: `socket_timeout` and `socket_connect_timeout` (seconds, default 0.25), `retry_seconds`
    (the breaker's interval, default 30); the rest go to redis-py as with RedisCache."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS") or {})
        retry_seconds = float(options.pop("retry_seconds", DEFAULT_RETRY_SECONDS))
        options.setdefault("socket_timeout", DEFAULT_TIMEOUT_SECONDS)
        options.setdefault("socket_connect_timeout", DEFAULT_TIMEOUT_SECONDS)
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = _RedisClient
        self.breaker = breaker_for(str(server), retry_seconds)
        # LocMemCache instances of one name share their storage: one fallback per location and process.
        self.fallback = LocMemCache(f"redis-fallback:{server}", {**params, "OPTIONS": {}})

    def _guarded(self, name: str, *args: Any, **kwargs: Any) -> Any:
        if self.breaker.allow():
            try:
                result = getattr(super(), name)(*args, **kwargs)
            except (RedisError, OSError) as error:
                self.breaker.failed()
                logger.warning(
                    "Redis cache unreachable (%s); using the per-process cache for %ss.",
                    error,
                    self.breaker.retry_seconds,
                )
            else:
                self.breaker.succeeded()
                return result
        return getattr(self.fallback, name)(*args, **kwargs)


def _guard(name: str) -> Callable[..., Any]:
    def method(self: ResilientRedisCache, *args: Any, **kwargs: Any) -> Any:
        return self._guarded(name, *args, **kwargs)

    method.__name__ = name
    method.__doc__ = f"RedisCache.{name}, or the per-process cache while Redis is unreachable."
    return method


for _name in _OPERATIONS:
    setattr(ResilientRedisCache, _name, _guard(_name))
