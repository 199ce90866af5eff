"""Personal access tokens: created and revoked on the profile page and by
``manage.py create_api_token``, used as ``Authorization: Bearer``; only a hash
is stored."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from factories import UserFactory
from wagtail.models import APIToken

pytestmark = pytest.mark.django_db

TOKENS_URL = "/profil/tokens/"
NOT_AUTHENTICATED = {
    "detail": "Bitte melden Sie sich an oder senden Sie ein gültiges Token.",
    "code": "not_authenticated",
}


def shown_token(response):
    match = re.search(
        r'<code class="token-value" id="new-token">([^<]+)</code>',
        response.content.decode(),
    )
    return match.group(1) if match else None


def me(token):
    """``GET /api/v1/me`` from a script: no browser session, only the token."""
    return Client().get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})


def token_table_rows_contain(plaintext):
    """Whether any stored column of any token row contains the plaintext."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {APIToken._meta.db_table}")
        rows = cursor.fetchall()
    return any(plaintext in str(value) for row in rows for value in row)


def test_token_page_explains_tokens_in_german(member_client):
    html = member_client.get(TOKENS_URL).content.decode()

    assert "Persönliche API-Tokens" in html
    assert "Sie haben noch kein aktives Token." in html


def test_creating_a_token_shows_it_once_and_lists_it_by_its_prefix(member_client):
    response = member_client.post(TOKENS_URL, {"name": "Statistik-Export"})

    plaintext = shown_token(response)
    assert response.status_code == 200
    assert plaintext
    assert "nur dieses eine Mal angezeigt" in response.content.decode()
    later = member_client.get(TOKENS_URL)
    assert shown_token(later) is None
    assert plaintext not in later.content.decode()
    assert "Statistik-Export" in later.content.decode()
    assert plaintext[:8] in later.content.decode()


def test_only_a_hash_of_the_token_is_stored(member_client, user):
    plaintext = shown_token(member_client.post(TOKENS_URL, {"name": "Skript"}))

    token = APIToken.objects.get(user=user)
    assert token.key_hash != plaintext
    assert len(token.key_hash) == 64
    assert not token_table_rows_contain(plaintext)
    assert plaintext.startswith(token.prefix)


def test_a_created_token_authenticates_the_api_as_its_owner(member_client, user):
    plaintext = shown_token(member_client.post(TOKENS_URL, {"name": "Skript"}))

    response = me(plaintext)

    assert response.status_code == 200
    assert response.json()["email"] == "anna.schmidt@stadt-musterhausen.de"
    assert response.json()["display_name"] == "Anna Schmidt"


def test_a_token_without_a_name_is_refused_in_german(member_client, user):
    response = member_client.post(TOKENS_URL, {"name": "   "})

    assert "muss ausgefüllt werden" in response.content.decode()
    assert not APIToken.objects.exists()


def test_a_token_name_longer_than_100_characters_is_refused_in_german(
    member_client, user
):
    response = member_client.post(TOKENS_URL, {"name": "x" * 101})

    assert "höchstens 100 Zeichen" in response.content.decode()
    assert not APIToken.objects.exists()


def test_revoking_a_token_on_the_profile_page_stops_it_working(
    member_client, api_token
):
    token, plaintext = api_token

    response = member_client.post(f"/profil/tokens/{token.pk}/widerrufen/", follow=True)

    html = response.content.decode()
    assert "Das Token wurde widerrufen." in html
    assert "Sie haben noch kein aktives Token." in html
    revoked = me(plaintext)
    assert revoked.status_code == 401
    assert revoked.json() == NOT_AUTHENTICATED


def test_revoking_needs_a_post(member_client, api_token):
    token, plaintext = api_token

    response = member_client.get(f"/profil/tokens/{token.pk}/widerrufen/")

    assert response.status_code == 405
    assert me(plaintext).status_code == 200


def test_nobody_can_revoke_someone_elses_token(client, api_token, other_user):
    token, plaintext = api_token
    client.force_login(other_user)

    response = client.post(f"/profil/tokens/{token.pk}/widerrufen/")

    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.content.decode()
    assert me(plaintext).status_code == 200


def test_the_token_page_lists_only_the_own_tokens(client, api_token, other_user):
    client.force_login(other_user)

    html = client.get(TOKENS_URL).content.decode()

    assert "Hitzeaktionsplan-Export" not in html


@pytest.mark.parametrize(
    "authorization",
    [
        "Bearer wagtail_unbekannt",
        "Bearer " + "x" * 60,
        "Bearer ",
        "Token abc",
        "Basic YW5uYTpnZWhlaW0=",
    ],
)
def test_an_unknown_or_malformed_token_is_a_german_401(client, user, authorization):
    response = client.get("/api/v1/me", headers={"Authorization": authorization})

    assert response.status_code == 401
    assert response.json() == NOT_AUTHENTICATED


def test_a_wellformed_but_unknown_token_is_a_german_401(db):
    response = me(APIToken.generate_token())

    assert response.status_code == 401
    assert response.json() == NOT_AUTHENTICATED


def test_the_token_of_a_deactivated_member_no_longer_works(user, api_token):
    user.is_active = False
    user.save()

    response = me(api_token[1])

    assert response.status_code == 401


def test_using_a_token_records_when_it_was_last_used(api_token):
    token, plaintext = api_token
    assert token.last_used_at is None

    me(plaintext)

    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_token_does_not_log_its_user_into_html_pages(client, api_token, bearer):
    response = client.get("/mitglieder/", headers=bearer)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# --- manage.py create_api_token ----------------------------------------------


def test_create_api_token_command_prints_a_working_token_once(user):
    out = StringIO()

    call_command("create_api_token", "anna.schmidt@stadt-musterhausen.de", stdout=out)

    plaintext = out.getvalue().strip()
    assert len(plaintext.splitlines()) == 1
    assert me(plaintext).json()["email"] == user.email
    token = APIToken.objects.get(user=user)
    assert token.key_hash != plaintext
    assert not token_table_rows_contain(plaintext)


def test_create_api_token_command_accepts_a_name_and_any_case(user):
    call_command(
        "create_api_token",
        "ANNA.SCHMIDT@stadt-musterhausen.de",
        "--name",
        "Fachverfahren Klimaschutz",
        stdout=StringIO(),
    )

    assert APIToken.objects.get(user=user).name == "Fachverfahren Klimaschutz"


def test_create_api_token_command_refuses_an_unknown_email_in_german(db):
    with pytest.raises(CommandError, match="Kein aktives Konto"):
        call_command("create_api_token", "niemand@example.org", stdout=StringIO())

    assert not APIToken.objects.exists()


def test_create_api_token_command_refuses_an_inactive_account(db):
    UserFactory(email="weg@example.org", is_active=False)

    with pytest.raises(CommandError, match="Kein aktives Konto"):
        call_command("create_api_token", "weg@example.org", stdout=StringIO())
