"""The JSON error shape of API v1: ``{"detail": "<German>", "code": "..."}``."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def assert_german_error(response, status, code):
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == code
    assert isinstance(body["detail"], str) and body["detail"]
    # German, not ninja's or pydantic's English defaults.
    for english in (
        "Unauthorized",
        "Not Found",
        "Cannot parse",
        "Method not allowed",
        "Field required",
        "Input should",
    ):
        assert english not in body["detail"]
    return body


def test_anonymous_call_is_a_german_401(client, db):
    body = assert_german_error(client.get("/api/v1/me"), 401, "not_authenticated")

    assert (
        body["detail"] == "Bitte melden Sie sich an oder senden Sie ein gültiges Token."
    )


def test_the_browser_session_authenticates_the_api(member_client):
    response = member_client.get("/api/v1/me")

    assert response.status_code == 200
    assert response.json()["display_name"] == "Anna Schmidt"


@pytest.mark.parametrize(
    "path", ["/api/v1/gibt-es-nicht/", "/api/v1/gibt-es-nicht", "/api/v2/me", "/api/"]
)
def test_an_unknown_api_path_is_a_german_404_in_json(client, user, bearer, path):
    body = assert_german_error(client.get(path, headers=bearer), 404, "not_found")

    assert body["detail"] == "Nicht gefunden."


def test_an_unknown_member_is_a_german_404_in_json(client, user, bearer):
    body = assert_german_error(
        client.get("/api/v1/members/999999", headers=bearer), 404, "not_found"
    )

    assert body["detail"] == "Nicht gefunden."


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("page_size=1000", "page_size", "Der Wert darf höchstens 100 sein."),
        ("page_size=0", "page_size", "Der Wert muss mindestens 1 sein."),
        ("page=0", "page", "Der Wert muss mindestens 1 sein."),
        ("page=abc", "page", "Bitte eine ganze Zahl angeben."),
        ("tag=" + "x" * 51, "tag", "Höchstens 50 Zeichen."),
    ],
)
def test_invalid_list_parameters_are_a_german_400_with_field_errors(
    client, user, bearer, query, field, message
):
    body = assert_german_error(
        client.get(f"/api/v1/members?{query}", headers=bearer), 400, "invalid"
    )

    assert body["detail"] == "Die Eingabe ist ungültig."
    assert body["errors"] == {field: [message]}


def test_malformed_json_is_a_german_400_and_changes_nothing(client, user, bearer):
    response = client.patch(
        "/api/v1/me",
        data='{"position": "Neu",',
        content_type="application/json",
        headers=bearer,
    )

    assert_german_error(response, 400, response.json()["code"])
    assert response.json()["code"] in ("invalid", "bad_request")
    user.refresh_from_db()
    assert user.position == "Klimaschutzmanagerin"


@pytest.mark.parametrize("body", ["[1, 2]", '"Neu"', "42", "null"])
def test_a_json_body_that_is_not_an_object_is_a_german_400(client, user, bearer, body):
    response = client.patch(
        "/api/v1/me", data=body, content_type="application/json", headers=bearer
    )

    assert_german_error(response, 400, "invalid")


def test_an_overlong_display_name_is_a_german_400_with_the_field_named(
    client, user, bearer
):
    response = client.patch(
        "/api/v1/me",
        {"display_name": "A" * 101, "position": "Neu"},
        content_type="application/json",
        headers=bearer,
    )

    body = assert_german_error(response, 400, "invalid")
    assert body["errors"] == {"display_name": ["Höchstens 100 Zeichen."]}
    user.refresh_from_db()
    assert (user.display_name, user.position) == (
        "Anna Schmidt",
        "Klimaschutzmanagerin",
    )


def test_a_wrong_type_is_a_german_400(client, user, bearer):
    response = client.patch(
        "/api/v1/me",
        {"expertise": "E-Akte"},
        content_type="application/json",
        headers=bearer,
    )

    body = assert_german_error(response, 400, "invalid")
    assert body["errors"] == {"expertise": ["Bitte eine Liste angeben."]}


def test_an_unknown_organisation_is_a_german_400(client, user, bearer):
    response = client.patch(
        "/api/v1/me",
        {"organisation_id": 999999},
        content_type="application/json",
        headers=bearer,
    )

    body = assert_german_error(response, 400, response.json()["code"])
    assert body["detail"] == "Diese Organisation gibt es nicht."


def test_a_session_write_without_csrf_token_is_refused_in_json(user):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)

    response = browser.patch(
        "/api/v1/me", {"position": "Neu"}, content_type="application/json"
    )

    assert response.status_code in (401, 403)
    assert response["Content-Type"].startswith("application/json")
    assert "code" in response.json()
    user.refresh_from_db()
    assert user.position == "Klimaschutzmanagerin"


def test_a_token_write_needs_no_csrf_token(user, bearer):
    script = Client(enforce_csrf_checks=True)

    response = script.patch(
        "/api/v1/me",
        {"position": "Neu"},
        content_type="application/json",
        headers=bearer,
    )

    assert response.status_code == 200
    assert response.json()["position"] == "Neu"


def test_a_method_the_endpoint_does_not_support_is_a_german_405_in_json(
    client, user, bearer
):
    response = client.delete("/api/v1/members", headers=bearer)

    body = assert_german_error(response, 405, "method_not_allowed")
    assert body["detail"] == "Diese Methode ist hier nicht erlaubt."


def test_the_openapi_document_describes_the_member_endpoints(client, db):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {"/api/v1/me", "/api/v1/members", "/api/v1/organisations"} <= set(paths)
