"""Sign-up with allauth: profile fields, German verification e-mail, confirm link."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from members.models import User

pytestmark = pytest.mark.django_db

SIGNUP_URL = "/accounts/signup/"
NEW_PASSWORD = "ein-langes-passwort-2025"


def signup_data(**overrides):
    data = {
        "email": "lena.neumann@stadt-musterhausen.de",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "display_name": "Lena Neumann",
        "organisation": "",
        "position": "Mobilitätsplanung",
    }
    data.update(overrides)
    return data


def confirmation_path(message):
    match = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


def error_texts(response):
    """The visible error messages of a form page (KERN markup or Django's list)."""
    html = response.content.decode()
    found = re.findall(
        r'class="kern-error"[^>]*>.*?<span class="kern-body">(.*?)</span>', html, re.S
    )
    found += re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', html, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", text) for text in found)


def test_signup_form_is_german_and_asks_for_the_profile_fields(client):
    response = client.get(SIGNUP_URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="de">' in html
    assert "Registrieren" in html
    for label in ("Anzeigename", "Organisation", "Funktion", "Passwort"):
        assert label in html


def test_signup_sends_a_german_verification_email_and_creates_an_unverified_account(
    client,
):
    response = client.post(SIGNUP_URL, signup_data())

    assert response.status_code == 302
    user = User.objects.get(email="lena.neumann@stadt-musterhausen.de")
    assert user.display_name == "Lena Neumann"
    assert user.position == "Mobilitätsplanung"
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lena.neumann@stadt-musterhausen.de"]
    assert message.subject.startswith("[Kommunect] ")
    assert "E-Mail-Adresse" in message.subject
    assert "bestätig" in message.subject.lower()
    assert "/accounts/confirm-email/" in message.body


def test_signup_page_after_submitting_asks_in_german_to_check_the_mailbox(client):
    response = client.post(SIGNUP_URL, signup_data(), follow=True)

    html = response.content.decode()
    assert response.status_code == 200
    assert "lena.neumann@stadt-musterhausen.de" in html
    assert "E-Mail" in html and "bestätig" in html.lower()


def test_confirmation_link_shows_a_german_confirm_button(client):
    client.post(SIGNUP_URL, signup_data())

    response = client.get(confirmation_path(mail.outbox[0]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Bestätigen" in html
    assert "lena.neumann@stadt-musterhausen.de" in html


def test_confirming_the_email_verifies_the_address_and_logs_the_person_in(client):
    client.post(SIGNUP_URL, signup_data())

    response = client.post(confirmation_path(mail.outbox[0]), follow=True)

    assert response.status_code == 200
    user = User.objects.get(email="lena.neumann@stadt-musterhausen.de")
    assert EmailAddress.objects.get(user=user).verified
    assert response.wsgi_request.user == user
    home = client.get("/")
    assert "Lena Neumann" in home.content.decode()
    assert "Abmelden" in home.content.decode()


def test_unconfirmed_account_cannot_log_in(client):
    client.post(SIGNUP_URL, signup_data())
    client.logout()

    response = client.post(
        "/accounts/login/",
        {"login": "lena.neumann@stadt-musterhausen.de", "password": NEW_PASSWORD},
        follow=True,
    )

    assert not response.wsgi_request.user.is_authenticated
    assert "bestätig" in response.content.decode().lower()


def test_signup_with_overlong_display_name_shows_german_error_and_saves_nothing(
    client,
):
    response = client.post(SIGNUP_URL, signup_data(display_name="A" * 101))

    assert response.status_code == 200
    assert "höchstens 100 Zeichen" in error_texts(response)
    assert not User.objects.exists()
    assert mail.outbox == []


def test_signup_with_blank_display_name_shows_german_error(client):
    response = client.post(SIGNUP_URL, signup_data(display_name="    "))

    assert response.status_code == 200
    assert "muss ausgefüllt werden" in error_texts(response)
    assert not User.objects.exists()


def test_signup_with_overlong_position_shows_german_error(client):
    response = client.post(SIGNUP_URL, signup_data(position="P" * 151))

    assert response.status_code == 200
    assert "höchstens 150 Zeichen" in error_texts(response)
    assert not User.objects.exists()


def test_signup_with_invalid_email_shows_german_error_and_saves_nothing(client):
    response = client.post(SIGNUP_URL, signup_data(email="keine-adresse"))

    assert response.status_code == 200
    assert "gültige E-Mail-Adresse" in error_texts(response)
    assert not User.objects.exists()
    assert mail.outbox == []


def test_signup_with_mismatching_passwords_shows_german_error(client):
    response = client.post(
        SIGNUP_URL, signup_data(password2="ein-anderes-passwort-2025")
    )

    assert response.status_code == 200
    assert "Passw" in error_texts(response)
    assert not User.objects.exists()


def test_signup_with_short_password_shows_german_error(client):
    response = client.post(
        SIGNUP_URL, signup_data(password1="kurz1", password2="kurz1")
    )

    assert response.status_code == 200
    assert "mindestens 10 Zeichen" in error_texts(response)
    assert not User.objects.exists()


@pytest.mark.parametrize(
    "email",
    ["anna.schmidt@stadt-musterhausen.de", "ANNA.Schmidt@Stadt-Musterhausen.de"],
)
def test_signup_with_taken_email_creates_no_second_account_and_warns_the_owner(
    client, user, email
):
    # allauth prevents account enumeration: the form does not reveal that the
    # address is taken; the owner of the address gets a German notice instead.
    response = client.post(SIGNUP_URL, signup_data(email=email))

    assert response.status_code in (200, 302)
    assert User.objects.count() == 1
    assert User.objects.get().display_name == "Anna Schmidt"
    assert EmailAddress.objects.count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["anna.schmidt@stadt-musterhausen.de"]
    assert "existiert bereits" in mail.outbox[0].subject
