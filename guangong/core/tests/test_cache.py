"""The cache behind rate limits keeps working when Redis does not: sign-in, API tokens and the
help desk's limits carry on against the database table, and go back to Redis when it returns."""

import pytest
from django.core.cache import caches

from guangong.core import cache as resilient
from guangong.helpdesk import protection

DEAD = "redis://127.0.0.1:1/0"  # nothing listens on port 1
LIVE = "redis://127.0.0.1:6379/6"


def use_redis(settings, url):
    settings.CACHES = {
        "default": {"BACKEND": "guangong.core.cache.ResilientRedisCache", "LOCATION": url}
    }
    return caches["default"]


@pytest.fixture
def dead_redis(settings, db):
    backend = use_redis(settings, DEAD)
    yield backend
    backend.fallback.clear()


def test_with_redis_down_the_cache_answers_from_the_database(dead_redis):
    assert dead_redis.add("counter", 0, timeout=60)
    assert dead_redis.incr("counter") == 1
    assert dead_redis.get("counter") == 1
    assert not dead_redis.redis_available  # one failure, then Redis is left alone a while
    assert dead_redis.fallback.get("counter") == 1


def test_with_redis_down_a_token_is_still_issued(dead_redis, api_for, a_clerk):
    api = api_for(a_clerk)  # asserts 200 from /api/auth/token/ (throttled through the cache)
    assert api.get("/api/orgs/").status_code == 200


def test_with_redis_down_signing_in_works(dead_redis, client, a_clerk, password):
    response = client.post("/accounts/login/", {"username": a_clerk.username, "password": password})
    assert response.status_code == 302


def test_with_redis_down_the_help_desk_limits_still_count(dead_redis, settings):
    rule = protection.limit("lookup_ip")
    answers = [protection.hit("lookup_ip", "203.0.113.9") for _ in range(rule.count + 1)]
    assert answers[: rule.count] == [True] * rule.count
    assert answers[-1] is False  # the limit holds: counted in the database


def test_the_cache_goes_back_to_redis_when_it_returns(settings, db, monkeypatch):
    backend = use_redis(settings, LIVE)
    backend.primary.clear()
    monkeypatch.setattr(resilient, "RETRY_SECONDS", 0)
    backend._down_until = 0
    backend.set("seen", "in redis", timeout=60)
    assert backend.primary.get("seen") == "in redis"
    assert backend.fallback.get("seen") is None
    backend.primary.clear()


def test_without_redis_url_the_process_cache_is_used():
    assert caches["default"].__class__.__name__ == "LocMemCache"
