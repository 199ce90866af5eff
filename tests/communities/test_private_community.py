"""A private community does not exist for non-members: 404 everywhere, absent
from every list; its members see all of it; a ban takes it away at once."""

import json

import pytest
from django.test import Client
from factories import UserFactory
from factories.communities import make_community, make_member

from communities import services
from communities.models import Membership

pytestmark = pytest.mark.django_db

SLUG = "vertrauliche-personalfragen"
TITLE = "Vertrauliche Personalfragen"

PAGES = [
    "/communities/{slug}/",
    "/communities/{slug}/mitglieder/",
    "/communities/{slug}/mitglieder/{member_id}/",
    "/communities/{slug}/anfragen/",
    "/communities/{slug}/einladen/",
    "/communities/{slug}/bearbeiten/",
    "/communities/{slug}/protokoll/",
]

API_READS = [
    "/api/v1/communities/{slug}",
    "/api/v1/communities/{slug}/members",
    "/api/v1/communities/{slug}/requests",
]

API_WRITES = [
    ("POST", "/api/v1/communities/{slug}/join", {"message": "Hallo"}),
    ("POST", "/api/v1/communities/{slug}/leave", None),
    ("POST", "/api/v1/communities/{slug}/invitations", {"email": "a@amt-x.de"}),
    ("POST", "/api/v1/communities/{slug}/requests/{request_id}/approve", None),
    ("POST", "/api/v1/communities/{slug}/requests/{request_id}/decline", None),
    ("PATCH", "/api/v1/communities/{slug}/members/{member_id}", {"role": "owner"}),
]


@pytest.fixture
def private(db):
    community = make_community(
        title=TITLE,
        slug=SLUG,
        description="Personalrat, BEM und Konflikte – im geschützten Raum.",
        visibility="private",
        join_policy="invite",
        topics=["Personal"],
    )
    make_community(title="Offene Runde", slug="offene-runde", topics=["Personal"])
    owner = make_member(community, role="owner").user
    member = make_member(community, UserFactory(display_name="Mira Mitglied")).user
    request = make_member(community, state="pending")
    return {
        "community": community,
        "owner": owner,
        "member": member,
        "ids": {"slug": SLUG, "member_id": member.pk, "request_id": request.pk},
    }


def send(client, method, path, payload=None):
    return client.generic(
        method,
        path,
        data=json.dumps(payload) if payload is not None else "",
        content_type="application/json",
    )


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def listed_slugs(client, query="") -> set[str]:
    response = client.get("/api/v1/communities" + query)
    assert response.status_code == 200
    return {item["slug"] for item in response.json()["items"]}


@pytest.mark.parametrize("path", PAGES)
def test_a_non_member_gets_404_on_every_page_of_a_private_community(private, path):
    client = as_user(UserFactory())

    response = client.get(path.format(**private["ids"]))

    assert response.status_code == 404
    page = response.content.decode()
    assert "Seite nicht gefunden" in page
    assert TITLE not in page


def test_an_anonymous_visitor_gets_404_on_the_page_of_a_private_community(private):
    response = Client().get(f"/communities/{SLUG}/")

    assert response.status_code == 404
    assert TITLE not in response.content.decode()


def test_a_pending_requester_does_not_see_a_private_community_either(private):
    requester = Membership.objects.get(pk=private["ids"]["request_id"]).user

    response = as_user(requester).get(f"/communities/{SLUG}/")

    assert response.status_code == 404


@pytest.mark.parametrize("path", API_READS)
def test_a_non_member_gets_404_from_the_api_resources_of_a_private_community(
    private, path
):
    response = as_user(UserFactory()).get(path.format(**private["ids"]))

    assert response.status_code == 404
    assert response.json() == {"detail": "Nicht gefunden.", "code": "not_found"}


@pytest.mark.parametrize(("method", "path", "payload"), API_WRITES)
def test_a_non_member_gets_404_from_the_api_actions_of_a_private_community(
    private, method, path, payload
):
    memberships = sorted(Membership.objects.values_list("user_id", "role", "state"))

    response = send(
        as_user(UserFactory()), method, path.format(**private["ids"]), payload
    )

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert sorted(Membership.objects.values_list("user_id", "role", "state")) == (
        memberships
    )


def test_the_404_of_a_private_community_equals_that_of_one_that_does_not_exist(private):
    client = as_user(UserFactory())

    hidden = client.get(f"/api/v1/communities/{SLUG}")
    missing = client.get("/api/v1/communities/gibt-es-nicht")

    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()


@pytest.mark.parametrize(
    "query", ["", "?tag=personal", "?tag=Personal", "?mine=1", "?page_size=100"]
)
def test_a_private_community_is_absent_from_the_api_list_for_non_members(
    private, query
):
    stranger = UserFactory()

    assert SLUG not in listed_slugs(as_user(stranger), query)
    assert SLUG not in listed_slugs(Client(), query)


def test_the_api_list_counts_do_not_reveal_a_private_community(private):
    body = as_user(UserFactory()).get("/api/v1/communities?tag=personal").json()

    assert body["count"] == 1
    assert [item["slug"] for item in body["items"]] == ["offene-runde"]


@pytest.mark.parametrize("query", ["", "?tag=personal", "?mine=1"])
def test_a_private_community_is_absent_from_the_directory_for_non_members(
    private, query
):
    for client in (as_user(UserFactory()), Client()):
        page = client.get("/communities/" + query).content.decode()

        assert TITLE not in page
        assert SLUG not in page


def test_a_member_sees_the_private_community_everywhere(private):
    client = as_user(private["member"])

    page = client.get(f"/communities/{SLUG}/")
    members = client.get(f"/communities/{SLUG}/mitglieder/")
    detail = client.get(f"/api/v1/communities/{SLUG}")
    api_members = client.get(f"/api/v1/communities/{SLUG}/members")

    assert page.status_code == 200
    assert "Sie sind Mitglied dieser Community." in page.content.decode()
    assert "Mira Mitglied" in members.content.decode()
    assert detail.json()["role"] == "member"
    assert {m["user_id"] for m in api_members.json()["items"]} == {
        private["owner"].pk,
        private["member"].pk,
    }
    assert TITLE in client.get("/communities/").content.decode()
    assert TITLE in client.get("/communities/?mine=1").content.decode()
    assert TITLE in client.get("/communities/?tag=personal").content.decode()
    for query in ("", "?mine=1", "?tag=personal"):
        assert SLUG in listed_slugs(client, query)


def test_the_owner_sees_the_moderation_pages_of_the_private_community(private):
    client = as_user(private["owner"])

    for path in PAGES:
        assert client.get(path.format(**private["ids"])).status_code == 200, path
    for path in API_READS:
        assert client.get(path.format(**private["ids"])).status_code == 200, path


def test_staff_see_a_private_community(private):
    client = as_user(UserFactory(is_staff=True))

    assert client.get(f"/communities/{SLUG}/").status_code == 200
    assert SLUG in listed_slugs(client)


def test_a_banned_member_loses_access_with_the_next_request(private):
    client = as_user(private["member"])
    assert client.get(f"/communities/{SLUG}/").status_code == 200
    assert client.get(f"/api/v1/communities/{SLUG}").status_code == 200

    services.membership_remove(
        actor=private["owner"],
        community=private["community"],
        user_id=private["member"].pk,
        reason="Vertrauliches weitergegeben",
        ban=True,
    )

    assert client.get(f"/communities/{SLUG}/").status_code == 404
    assert client.get(f"/communities/{SLUG}/mitglieder/").status_code == 404
    assert client.get(f"/api/v1/communities/{SLUG}").status_code == 404
    assert client.get(f"/api/v1/communities/{SLUG}/members").status_code == 404
    assert SLUG not in listed_slugs(client)
    assert SLUG not in listed_slugs(client, "?mine=1")
    assert TITLE not in client.get("/communities/?mine=1").content.decode()


def test_a_member_who_is_removed_loses_access_with_the_next_request(private):
    client = as_user(private["member"])
    assert client.get(f"/communities/{SLUG}/").status_code == 200

    services.membership_remove(
        actor=private["owner"],
        community=private["community"],
        user_id=private["member"].pk,
        reason="Wechsel der Stelle",
    )

    assert client.get(f"/communities/{SLUG}/").status_code == 404


def test_a_member_who_leaves_a_private_community_lands_on_the_directory(private):
    client = as_user(private["member"])

    response = client.post(f"/communities/{SLUG}/verlassen/", follow=True)

    assert response.redirect_chain[-1][0] == "/communities/"
    assert "Sie haben die Community verlassen." in response.content.decode()
    assert TITLE not in response.content.decode()
