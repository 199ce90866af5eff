"""German error pages (400, 403, 404, 500) without debug information; JSON
under /api/."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import path

from kommunect import urls as project_urls

pytestmark = pytest.mark.django_db

DEBUG_TRACES = (
    "Traceback",
    "DEBUG",
    "SECRET_KEY",
    "ROOT_URLCONF",
    "kommunect.urls",
    "kommunect.settings",
    "urlpatterns",
    "Django tried these URL patterns",
    "Request Method:",
    "Exception Value",
    "site-packages",
)


def forbidden(request):
    raise PermissionDenied("Interne Begründung, geheim")


def broken(request):
    raise RuntimeError("Interner Fehler mit Geheimnis SECRET_KEY=abc")


# The project's URLs and error handlers, plus two views that fail on purpose.
urlpatterns = [
    path("test-verboten/", forbidden),
    path("api/v1/test-kaputt/", broken),
    path("test-kaputt/", broken),
    *project_urls.urlpatterns,
]
handler400 = project_urls.handler400
handler403 = project_urls.handler403
handler404 = project_urls.handler404
handler500 = project_urls.handler500


def assert_german_page_without_debug_information(response, status, heading):
    html = response.content.decode()
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    assert '<html lang="de">' in html
    assert heading in html
    for trace in DEBUG_TRACES:
        assert trace not in html, trace
    return html


def test_an_unknown_page_is_a_german_404(client):
    html = assert_german_page_without_debug_information(
        client.get("/gibt-es-nicht/"), 404, "Seite nicht gefunden"
    )

    assert "Zur Startseite" in html


def test_an_unknown_member_is_a_german_404(member_client):
    assert_german_page_without_debug_information(
        member_client.get("/mitglieder/999999/"), 404, "Seite nicht gefunden"
    )


@pytest.mark.urls(__name__)
def test_a_forbidden_page_is_a_german_403_without_the_internal_reason(member_client):
    html = assert_german_page_without_debug_information(
        member_client.get("/test-verboten/"), 403, "Kein Zugriff"
    )

    assert "fehlt Ihnen die Berechtigung" in html
    assert "geheim" not in html


def test_a_failed_csrf_check_is_a_german_403_without_debug_hints(user):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)

    response = browser.post("/profil/tokens/", {"name": "Skript"})

    assert_german_page_without_debug_information(response, 403, "Kein Zugriff")


def test_a_request_for_a_foreign_host_is_a_german_400(client):
    assert_german_page_without_debug_information(
        client.get("/", HTTP_HOST="angreifer.example"), 400, "Ungültige Anfrage"
    )


@pytest.mark.urls(__name__)
def test_a_server_error_is_a_german_500_without_the_traceback(user):
    browser = Client(raise_request_exception=False)

    response = browser.get("/test-kaputt/")

    html = assert_german_page_without_debug_information(
        response, 500, "Ein interner Fehler ist aufgetreten"
    )
    assert "Geheimnis" not in html


@pytest.mark.urls(__name__)
def test_a_server_error_under_the_api_is_a_german_500_in_json(user):
    browser = Client(raise_request_exception=False)

    response = browser.get("/api/v1/test-kaputt/")

    assert response.status_code == 500
    assert response.json() == {
        "detail": "Ein interner Fehler ist aufgetreten.",
        "code": "server_error",
    }


def test_the_home_page_is_german_with_one_heading_and_a_skip_link(client):
    response = client.get("/")

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="de">' in html
    assert html.count("<h1") == 1
    assert "Kommunect – Wissen teilen zwischen Kommunen" in html
    assert 'href="#inhalt"' in html and "Zum Inhalt springen" in html
    assert "<main" in html and "<nav" in html and "<footer" in html
