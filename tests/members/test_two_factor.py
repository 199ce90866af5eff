"""Optional two-factor login with an authenticator app (TOTP, allauth.mfa)."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    format_hotp_value,
    hotp_value,
)

pytestmark = pytest.mark.django_db


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def log_in(client, user, password):
    return client.post(
        "/accounts/login/", {"login": user.email, "password": password}, follow=True
    )


def confirm_password(client, password):
    """allauth asks for the password again before security settings change."""
    asked = client.get("/accounts/2fa/totp/activate/")
    assert asked["Location"].startswith("/accounts/reauthenticate/")
    client.post(asked["Location"], {"password": password})


def activate_totp(client, user, password) -> str:
    log_in(client, user, password)
    confirm_password(client, password)
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post(
        "/accounts/2fa/totp/activate/", {"code": current_code(secret)}, follow=True
    )
    assert response.status_code == 200
    return secret


def test_a_member_sets_up_an_authenticator_app_after_confirming_the_password(
    client, user, password
):
    log_in(client, user, password)
    confirm_password(client, password)

    page = client.get("/accounts/2fa/totp/activate/")

    text = page.content.decode()
    assert '<html lang="de">' in text
    assert "Authenticator" in text
    assert 'name="code"' in text


def test_after_activation_login_asks_for_the_code_and_a_right_code_signs_in(
    client, user, password
):
    secret = activate_totp(client, user, password)
    assert Authenticator.objects.filter(user=user, type="totp").exists()
    client.post("/accounts/logout/")

    asked = log_in(client, user, password)

    assert asked.redirect_chain[-1][0].startswith("/accounts/2fa/authenticate/")
    assert "_auth_user_id" not in client.session
    signed_in = client.post(
        "/accounts/2fa/authenticate/", {"code": current_code(secret)}, follow=True
    )
    assert int(client.session["_auth_user_id"]) == user.pk
    assert user.display_name in signed_in.content.decode()


def test_a_wrong_code_is_refused_in_german_and_does_not_sign_in(client, user, password):
    activate_totp(client, user, password)
    client.post("/accounts/logout/")
    log_in(client, user, password)

    response = client.post("/accounts/2fa/authenticate/", {"code": "000000"})

    assert "_auth_user_id" not in client.session
    assert "Falscher Code." in response.content.decode()
