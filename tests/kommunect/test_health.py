"""``/healthz``: one line per backing service, 200 when all are reachable."""

import pytest

pytestmark = pytest.mark.django_db


def test_healthz_reports_every_service_ok(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "database": "ok",
        "channel_layer": "ok",
        "search": "ok",
        "search_backend": "database",
        "search_index_lag_seconds": 0.0,
    }


def test_healthz_needs_no_login_and_is_never_cached(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    cache_control = response["Cache-Control"]
    assert "no-cache" in cache_control or "max-age=0" in cache_control


def test_healthz_reports_an_unreachable_search_engine_with_503(client, settings):
    # Port 9 (discard) on localhost: nothing listens, the connection is refused.
    settings.SEARCH_URL = "http://127.0.0.1:9/"

    response = client.get("/healthz")

    body = response.json()
    assert response.status_code == 503
    assert body["database"] == "ok"
    assert body["channel_layer"] == "ok"
    assert body["search"].startswith("error: ")


def test_healthz_only_answers_get(client):
    assert client.post("/healthz").status_code == 405
