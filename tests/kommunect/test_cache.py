"""The production cache (Redis) must not take the site down with it: with
nothing listening where Redis should be, the cache answers as an empty one
and pages, the API and rate limits go on working."""

import pytest
from django.core.cache import caches
from factories import client_for
from factories.communities import make_community, make_member

from kommunect.localservers import free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_down(settings):
    """The default cache pointed at a port where nothing listens."""
    settings.CACHES = {
        "default": {
            "BACKEND": "kommunect.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
        }
    }
    # Django's test signals rebuild the cache handlers for the new setting.
    return caches["default"]


def test_an_unreachable_redis_answers_as_an_empty_cache(redis_down):
    cache = redis_down
    assert cache.get("k", "standard") == "standard"
    assert cache.set("k", 1) is None
    assert cache.add("k", 1) is False
    assert cache.incr("k") is None
    assert cache.get_many(["a", "b"]) == {}
    assert cache.delete("k") is False


def test_pages_the_api_and_chat_work_while_redis_is_down(redis_down):
    community = make_community(slug="klima")
    member = make_member(community).user
    client = client_for(member)
    assert client.get("/").status_code == 200
    assert client.get("/communities/klima/").status_code == 200
    assert client.get("/api/v1/chat/rooms").status_code == 200
    room_id = client.get("/api/v1/chat/rooms").json()[0]["id"]
    # Rate limits let messages through rather than refuse everyone.
    sent = client.post(
        f"/api/v1/chat/rooms/{room_id}/messages",
        data={
            "body": "Trotzdem da",
            "client_id": "3f0c3b8e-3c1d-4d7e-9a55-0c7e3b1a2f11",
        },
        content_type="application/json",
    )
    assert sent.status_code == 201
