"""The editor's preview: the HTML of the one Markdown pipeline, for signed-in
people, protected against cross-site requests and floods."""

import pytest
from django.test import Client
from django.urls import reverse
from factories import UserFactory

from kommunect.markdown import render_markdown
from kommunect.preview import PREVIEW_MAX_CHARS

pytestmark = pytest.mark.django_db

URL = "/markdown/vorschau/"


def test_the_url_name_points_to_the_german_path():
    assert reverse("markdown_preview") == URL


def test_preview_is_exactly_what_render_markdown_stores(member_client):
    text = (
        "## Hitzeaktionsplan\n\n**Wichtig:** siehe [Vorlage](https://example.org).\n\n"
        "| Stufe | Maßnahme |\n|---|---|\n| 1 | Trinkwasser |\n\n- eins\n- zwei"
    )

    response = member_client.post(URL, {"text": text})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"html": render_markdown(text)}
    assert "<strong>Wichtig:</strong>" in response.json()["html"]


def test_script_in_the_text_comes_back_sanitised(member_client):
    text = (
        '<script>alert("x")</script>\n\n[klick](javascript:alert(1))\n\n'
        '<img src=x onerror="alert(1)">\n\n![Bild](https://tracker.example/p.gif)'
    )

    html = member_client.post(URL, {"text": text}).json()["html"]

    # Raw HTML is shown as text; the unsafe link and the external image go.
    assert "<script" not in html
    assert "&lt;script&gt;" in html
    assert "<img src=x" not in html
    assert 'href="javascript:' not in html
    assert "tracker.example" not in html
    assert html == render_markdown(text)


def test_empty_text_gives_empty_html(member_client):
    response = member_client.post(URL, {})

    assert response.status_code == 200
    assert response.json() == {"html": ""}


def test_anonymous_visitors_get_a_german_json_401_not_a_login_page(client):
    response = client.post(URL, {"text": "Hallo"})

    assert response.status_code == 401
    assert response.json() == {
        "detail": "Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.",
        "code": "not_authenticated",
    }


def test_text_longer_than_the_limit_is_refused_in_german(member_client):
    response = member_client.post(URL, {"text": "a" * (PREVIEW_MAX_CHARS + 1)})

    assert response.status_code == 400
    assert response.json() == {
        "detail": "Der Text ist zu lang für die Vorschau (höchstens 200.000 Zeichen).",
        "code": "too_long",
    }


def test_text_of_exactly_the_limit_is_previewed(member_client):
    response = member_client.post(URL, {"text": "a" * PREVIEW_MAX_CHARS})

    assert response.status_code == 200


def test_get_is_not_allowed(member_client):
    assert member_client.get(URL, {"text": "Hallo"}).status_code == 405


def test_a_post_without_csrf_token_is_refused(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)

    response = client.post(URL, {"text": "Hallo"})

    assert response.status_code == 403
    assert "Die Sicherheitsprüfung des Formulars ist fehlgeschlagen" in (
        response.content.decode()
    )


def test_a_post_with_the_csrf_header_is_answered(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/")  # sets the csrftoken cookie, as a page of the site does
    token = client.cookies["csrftoken"].value

    response = client.post(URL, {"text": "*Hallo*"}, headers={"X-CSRFToken": token})

    assert response.status_code == 200
    assert response.json() == {"html": "<p><em>Hallo</em></p>\n"}


def test_previews_are_rate_limited_per_person(client, settings):
    person, other = UserFactory(), UserFactory()
    client.force_login(person)
    for _ in range(120):
        assert client.post(URL, {"text": "x"}).status_code == 200

    limited = client.post(URL, {"text": "x"})

    assert limited.status_code == 429
    assert limited.json()["code"] == "rate_limited"
    assert "Bitte warten Sie einen Moment" in limited.json()["detail"]
    assert int(limited["Retry-After"]) >= 1
    client.force_login(other)
    assert client.post(URL, {"text": "x"}).status_code == 200
