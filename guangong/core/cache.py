"""A Redis cache that keeps working when Redis does not.

The cache holds rate-limit counters (API token throttling, the public help desk) and nothing a
request cannot do without. With ``REDIS_URL`` set, ``ResilientRedisCache`` talks to Redis; when
a call fails (Redis stopped, unreachable, timing out) it answers from the database cache table
``guangong_cache`` instead, and leaves Redis alone for ``RETRY_SECONDS`` before trying it again,
so that a dead Redis costs one short time-out, not one per call. Counters kept meanwhile live in
the database, shared by every process, and are not copied back: after an outage the limits start
afresh, which only ever errs towards letting a person through once more.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.redis import RedisCache

log = logging.getLogger(__name__)

RETRY_SECONDS = 15
TABLE = "guangong_cache"


def _redis_errors() -> tuple[type[BaseException], ...]:
    from redis.exceptions import ConnectionError, TimeoutError

    return (ConnectionError, TimeoutError, OSError)


class ResilientRedisCache(BaseCache):
    def __init__(self, server, params):
        super().__init__(params)
        options = dict(params.get("OPTIONS") or {})
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 1)
        self.primary = RedisCache(server, {**params, "OPTIONS": options})
        self.fallback = DatabaseCache(TABLE, {k: v for k, v in params.items() if k != "OPTIONS"})
        self._down_until = 0.0
        self._lock = threading.Lock()
        self._errors = _redis_errors()

    @property
    def redis_available(self) -> bool:
        return time.monotonic() >= self._down_until

    def _call(self, name: str, *args, **kwargs):
        if self.redis_available:
            try:
                return getattr(self.primary, name)(*args, **kwargs)
            except self._errors as error:
                with self._lock:
                    if self.redis_available:
                        log.warning("Redis unavailable, caching in the database: %s", error)
                    self._down_until = time.monotonic() + RETRY_SECONDS
        return getattr(self.fallback, name)(*args, **kwargs)

    # The cache API, each call through _call.
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", key, version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", keys, version)

    def clear(self):
        return self._call("clear")

    def close(self, **kwargs):
        for cache in (self.primary, self.fallback):
            with contextlib.suppress(*self._errors):
                cache.close(**kwargs)
