"""Failed logins are counted in the shared cache, so every worker process sees the same count (R5)."""

import os
import uuid

import pytest
from django.urls import reverse

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_or_skip():
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("REQUIRE_REDIS"):  # set by .ci/run, which starts Redis if it is down
            pytest.fail(f"Redis is not reachable at {REDIS_URL}")
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    return client


@pytest.mark.django_db
def test_failed_logins_are_counted_in_redis_and_block_every_worker(client, trainee, settings):
    raw = redis_or_skip()
    prefix = f"ratelimit-test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    try:
        for _ in range(5):
            client.post(reverse("account_login"), {"login": trainee.email, "password": "wrong-password"})
        assert raw.keys(f"{prefix}*"), "the failed-login counters live in the shared cache"
        # A second "worker": a new client with its own cookies, reading the counts from Redis.
        from django.core.cache import cache
        from django.test import Client

        cache.close()

        other_worker = Client()
        response = other_worker.post(
            reverse("account_login"), {"login": trainee.email, "password": "correct-horse-battery"}
        )
        assert "_auth_user_id" not in other_worker.session
        assert response.status_code in (200, 429)
    finally:
        for key in raw.scan_iter(f"{prefix}*"):
            raw.delete(key)
