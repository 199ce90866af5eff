"""Odd input that a fuzzing run found to end in a 500 (each case is named):
ids beyond a bigint where the key is a link to another table, a number
field sent empty, a date that overflows in UTC, an unknown API path called
with a token, a field named ``body``, a tampered hidden field. Each gets a
German 4xx and changes nothing."""

import json

import pytest
from django.test import Client
from factories import client_for
from factories.communities import make_community, make_member
from factories.discussions import make_thread

from chat.models import Block
from communities.models import Membership, Post, WikiPage
from communities.wiki import services as wiki

pytestmark = pytest.mark.django_db

# A bigint holds up to 2**63 - 1.
BEYOND = [str(2**63), str(2**64), "9" * 20]


@pytest.fixture
def klima():
    community = make_community(title="Klimaschutz", slug="klima")
    owner = make_member(community, role="owner").user
    member = make_member(community).user
    page = wiki.wiki_page_create(
        author=owner, community=community, title="Hitzeaktionsplan", body="Erst."
    )
    return community, owner, member, page


def send(client, method, path, payload, **headers):
    return client.generic(
        method,
        path,
        data=json.dumps(payload),
        content_type="application/json",
        **headers,
    )


@pytest.mark.parametrize("number", BEYOND)
def test_wiki_and_member_addresses_beyond_a_bigint_are_not_found(klima, number):
    _community, owner, _member, _page = klima
    client = client_for(owner)
    for path in (
        f"/wiki/{number}/",
        f"/wiki/{number}/bearbeiten/",
        f"/wiki/{number}/versionen/",
        f"/wiki/{number}/vergleich/",
    ):
        assert client.get(path).status_code == 404, path
    # As for any member who is not one: back to the list, with a message.
    unknown = client.get("/communities/klima/mitglieder/999999/")
    beyond = client.get(f"/communities/klima/mitglieder/{number}/")
    assert (beyond.status_code, beyond.url) == (unknown.status_code, unknown.url)
    assert client.post(f"/wiki/{number}/zuruecksetzen/").status_code == 404
    for path in (
        f"/api/v1/wiki/{number}",
        f"/api/v1/wiki/{number}/revisions",
        f"/api/v1/wiki/{number}/backlinks",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("number", [2**63, 2**64, -(2**63) - 1])
def test_a_wiki_parent_beyond_a_bigint_is_a_field_error(klima, number):
    _community, owner, _member, _page = klima
    response = send(
        client_for(owner),
        "POST",
        "/api/v1/communities/klima/wiki",
        {"title": "Neue Seite", "parent_id": number},
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["parent_id"]
    assert not WikiPage.objects.filter(title="Neue Seite").exists()


@pytest.mark.parametrize("revision", ["", "abc", "²", "1.5", str(2**64)])
def test_reverting_to_a_revision_that_is_no_number_says_so(klima, revision):
    _community, owner, _member, page = klima
    response = client_for(owner).post(
        f"/wiki/{page.pk}/zuruecksetzen/", {"revision": revision}, follow=True
    )
    assert response.status_code == 200
    assert "Diese Version gehört nicht zu dieser Seite." in response.text
    assert WikiPage.objects.get(pk=page.pk).body == "Erst."


@pytest.mark.parametrize(
    "until", ["9999-12-31T23:59:59-01:00", "3000-01-01T00:00:00+01:00"]
)
def test_a_ban_that_would_end_after_the_year_2999_is_refused(klima, until):
    # 9999-12-31 at -01:00 is in the year 10000 in UTC: it overflowed.
    _community, owner, member, _page = klima
    path = f"/api/v1/communities/klima/members/{member.pk}"
    ban = {"state": "banned", "reason": "t", "banned_until": until}
    response = send(client_for(owner), "PATCH", path, ban)
    assert response.status_code == 400
    assert response.json()["errors"]["banned_until"] == [
        "Bitte ein Ende der Sperre vor dem Jahr 3000 angeben."
    ]
    membership = Membership.objects.get(community__slug="klima", user=member)
    assert membership.state == Membership.State.ACTIVE
    # The last day before is taken.
    ban["banned_until"] = "2999-12-31T23:59:59-01:00"
    assert send(client_for(owner), "PATCH", path, ban).status_code == 200
    membership.refresh_from_db()
    assert membership.state == Membership.State.BANNED


def test_an_error_of_a_field_named_body_names_the_field(klima):
    community, owner, _member, _page = klima
    thread = make_thread(community, owner)
    client = client_for(owner)
    path = f"/api/v1/threads/{thread.pk}/posts"
    response = send(client, "POST", path, {})
    assert response.status_code == 400
    assert response.json()["errors"] == {"body": ["Dieses Feld ist erforderlich."]}
    response = send(client, "POST", path, {"body": ["eine", "Liste"]})
    assert list(response.json()["errors"]) == ["body"]
    assert Post.objects.filter(thread=thread).count() == 1


def test_an_unknown_api_path_is_not_found_for_a_token_caller_that_posts(user, bearer):
    # CSRF is checked, as for a real caller (the test client skips it).
    response = Client(enforce_csrf_checks=True).post(
        "/api/v1/gibt-es-nicht", "{}", content_type="application/json", headers=bearer
    )
    assert response.status_code == 404
    assert response.json() == {"detail": "Nicht gefunden.", "code": "not_found"}


@pytest.mark.parametrize(
    "field",
    [
        {"reply_to": "abc"},
        {"reply_to": "²"},
        {"form_token": "abc"},
        {"reply_to": "abc", "form_token": "abc"},
    ],
)
def test_a_tampered_hidden_field_of_the_reply_form_is_explained(klima, field):
    community, owner, _member, _page = klima
    thread = make_thread(community, owner)
    response = client_for(owner).post(
        f"/communities/klima/diskussionen/{thread.pk}/antworten/",
        {"body": "Antwort", **field},
    )
    assert response.status_code == 400
    # Said once, however many hidden fields were refused.
    assert response.text.count("Das Formular ist nicht vollständig angekommen.") == 1
    assert Post.objects.filter(thread=thread).count() == 1


def test_a_service_message_about_a_hidden_field_is_shown_as_it_is(klima):
    community, owner, _member, _page = klima
    thread, other = make_thread(community, owner), make_thread(community, owner)
    response = client_for(owner).post(
        f"/communities/klima/diskussionen/{thread.pk}/antworten/",
        {"body": "Antwort", "reply_to": other.opening_post.pk},
    )
    assert response.status_code == 400
    assert "nicht vollständig angekommen" not in response.text
    assert "gehört nicht zu dieser Diskussion." in response.text
    assert Post.objects.filter(thread=thread).count() == 1


@pytest.mark.parametrize(
    ("method", "path", "payload", "field"),
    [
        ("POST", "/api/v1/chat/blocks", {"user_id": True}, "user_id"),
        ("POST", "/api/v1/chat/direct", {"user_ids": [True]}, "user_ids.0"),
        (
            "POST",
            "/api/v1/communities/klima/wiki",
            {"title": "T", "parent_id": True},
            "parent_id",
        ),
    ],
)
def test_true_is_no_id(klima, method, path, payload, field):
    # pydantic's lax mode read true as 1: {"user_id": true} blocked user 1.
    _community, owner, _member, _page = klima
    response = send(client_for(owner), method, path, payload)
    assert response.status_code == 400
    assert response.json()["errors"] == {field: ["Bitte eine ganze Zahl angeben."]}
    assert not Block.objects.exists()
    assert not WikiPage.objects.filter(title="T").exists()


def test_an_id_in_digits_is_still_read(klima):
    _community, owner, member, _page = klima
    response = send(
        client_for(owner), "POST", "/api/v1/chat/blocks", {"user_id": str(member.pk)}
    )
    assert response.status_code == 201
    assert Block.objects.filter(user=owner, blocked=member).exists()
