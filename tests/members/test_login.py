"""Login, logout and login throttling (allauth, ACCOUNT_RATE_LIMITS)."""

import pytest

pytestmark = pytest.mark.django_db

LOGIN_URL = "/accounts/login/"
WRONG_PASSWORD = "das-ist-falsch-123"


def login(client, email, password, **extra):
    return client.post(LOGIN_URL, {"login": email, "password": password}, **extra)


def test_login_page_is_german_in_the_site_layout(client):
    response = client.get(LOGIN_URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="de">' in html
    assert "Zum Inhalt springen" in html
    assert "Anmeldung" in html or "Anmelden" in html
    assert 'name="login"' in html and 'name="password"' in html


def test_member_logs_in_with_email_and_password_and_sees_their_name(
    client, user, password
):
    response = login(client, user.email, password, follow=True)

    assert response.status_code == 200
    assert response.wsgi_request.user == user
    html = client.get("/").content.decode()
    assert "Anna Schmidt" in html
    assert "Abmelden" in html


def test_login_ignores_the_case_of_the_email_address(client, user, password):
    response = login(
        client, "Anna.Schmidt@Stadt-Musterhausen.DE", password, follow=True
    )

    assert response.wsgi_request.user == user


def test_login_with_wrong_password_shows_a_german_error_and_does_not_log_in(
    client, user
):
    response = login(client, user.email, WRONG_PASSWORD)

    html = response.content.decode()
    assert response.status_code == 200
    assert "E-Mail-Adresse und/oder das Passwort sind leider falsch" in html
    assert not response.wsgi_request.user.is_authenticated


def test_login_with_unknown_email_shows_the_same_german_error(client, db):
    response = login(client, "niemand@stadt-musterhausen.de", WRONG_PASSWORD)

    assert "E-Mail-Adresse und/oder das Passwort sind leider falsch" in (
        response.content.decode()
    )


def test_inactive_member_cannot_log_in(client, user, password):
    user.is_active = False
    user.save()

    response = login(client, user.email, password, follow=True)

    assert not response.wsgi_request.user.is_authenticated


def test_five_failed_logins_throttle_the_account_with_a_german_message(client, user):
    for _attempt in range(5):
        assert (
            "leider falsch"
            in login(client, user.email, WRONG_PASSWORD).content.decode()
        )

    response = login(client, user.email, WRONG_PASSWORD)

    assert response.status_code in (200, 429)
    assert "Zu viele gescheiterte Anmeldeversuche" in response.content.decode()


def test_throttled_account_is_refused_even_with_the_right_password(
    client, user, password
):
    for _attempt in range(6):
        login(client, user.email, WRONG_PASSWORD)

    response = login(client, user.email, password, follow=True)

    assert not response.wsgi_request.user.is_authenticated
    assert "Zu viele gescheiterte Anmeldeversuche" in response.content.decode()


def test_throttling_counts_per_account_even_from_changing_ip_addresses(
    client, user, password
):
    for attempt in range(6):
        login(client, user.email, WRONG_PASSWORD, REMOTE_ADDR=f"198.51.100.{attempt}")

    response = login(client, user.email, password, REMOTE_ADDR="203.0.113.7")

    assert not response.wsgi_request.user.is_authenticated
    assert "Zu viele gescheiterte Anmeldeversuche" in response.content.decode()


def test_throttling_one_account_does_not_lock_out_another_member_elsewhere(
    client, user, other_user, password
):
    for _attempt in range(6):
        login(client, user.email, WRONG_PASSWORD, REMOTE_ADDR="198.51.100.1")

    response = login(client, other_user.email, password, REMOTE_ADDR="203.0.113.7")

    assert response.wsgi_request.user == other_user


def test_logout_ends_the_session_and_shows_the_german_home_page(member_client):
    response = member_client.post("/accounts/logout/", follow=True)

    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated
    html = member_client.get("/").content.decode()
    assert "Anmelden" in html
    assert "Anna Schmidt" not in html


def test_password_reset_sends_a_german_email_with_a_reset_link(client, user):
    from django.core import mail

    response = client.post(
        "/accounts/password/reset/", {"email": user.email}, follow=True
    )

    assert response.status_code == 200
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    assert message.subject.startswith("[Kommunect] ")
    assert "Passwort" in message.subject
    assert "/accounts/password/reset/key/" in message.body
