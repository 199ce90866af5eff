"""What people see and do on the community pages, and the API shapes of
shared/API.md for the same things."""

import html
import json
import re

import pytest
from django.test import Client
from factories import OrganisationFactory, UserFactory
from factories.communities import make_community, make_member

from communities import permissions as perms
from communities import services
from communities.models import CommunityPage, Membership, MembershipEvent
from members.models import User

pytestmark = pytest.mark.django_db

COMMUNITY_FIELDS = {
    "slug",
    "title",
    "description",
    "visibility",
    "join_policy",
    "role",
    "member_count",
    "tags",
    "url",
}
MEMBER_FIELDS = {"user_id", "display_name", "organisation", "role", "state"}
REQUEST_FIELDS = {"id", "user_id", "email", "message", "created"}
LIST_FIELDS = {"items", "count", "page", "pages"}


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def send(client, method, path, payload=None):
    return client.generic(
        method,
        path,
        data=json.dumps(payload) if payload is not None else "",
        content_type="application/json",
    )


def text_of(response) -> str:
    """The page as a person reads it: tags removed, whitespace collapsed."""
    page = response.content.decode()
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def cards(response) -> dict[str, str]:
    """Directory cards by title: each card's visible text."""
    page = response.content.decode()
    found = {}
    for card in page.split('<li class="kern-card community-card">')[1:]:
        title = re.search(r'kern-link--stretched" href="[^"]+">([^<]+)</a>', card)
        body = card.split('<div class="kern-card__footer">')[1].split("</div>")[0]
        head = card.split('<div class="kern-card__footer">')[0]
        found[html.unescape(title.group(1))] = " ".join(
            html.unescape(re.sub(r"<[^>]+>", " ", head + body)).split()
        )
    return found


@pytest.fixture
def klima(db):
    community = make_community(
        title="Klimaschutz und Klimafolgenanpassung",
        slug="klimaschutz",
        description="Hitzeaktionspläne, Starkregen und kommunaler Klimaschutz.",
        visibility="public",
        join_policy="open",
        topics=["Klimaschutz", "Hitze"],
        intro=(
            "Wir teilen **Hitzeaktionspläne** und *Mustervorlagen*.\n\n"
            "- Starkregen\n- Hitze\n\n"
            "<script>alert('xss')</script>\n\n"
            "[Klick](javascript:alert(1)) und [KGSt](https://www.kgst.de)"
        ),
    )
    make_member(community, role="owner")
    make_member(community)
    return community


@pytest.fixture
def ozg(db):
    community = make_community(
        title="Digitalisierung und OZG-Umsetzung",
        slug="ozg",
        description="Onlinezugangsgesetz in der Praxis.",
        visibility="internal",
        join_policy="request",
        topics=["Digitalisierung"],
    )
    make_member(community, role="owner")
    return community


# --- the directory -----------------------------------------------------------


def test_the_directory_shows_each_community_with_its_facts(client, klima, ozg):
    client.force_login(UserFactory())

    response = client.get("/communities/")

    shown = cards(response)
    assert list(shown) == [
        "Digitalisierung und OZG-Umsetzung",
        "Klimaschutz und Klimafolgenanpassung",
    ]
    klima_card = shown["Klimaschutz und Klimafolgenanpassung"]
    assert "Hitzeaktionspläne, Starkregen und kommunaler Klimaschutz." in klima_card
    assert "Klimaschutz" in klima_card and "Hitze" in klima_card
    assert "2 Mitglieder" in klima_card
    assert "Öffentlich" in klima_card
    assert "Beitritt: Offen" in klima_card
    assert "Letzte Aktivität" in klima_card
    ozg_card = shown["Digitalisierung und OZG-Umsetzung"]
    assert "1 Mitglied ·" in ozg_card
    assert "Intern" in ozg_card
    assert "Beitritt: Auf Anfrage" in ozg_card
    assert "2 Communities" in text_of(response)


def test_anonymous_visitors_see_only_public_communities_in_the_directory(
    client, klima, ozg
):
    response = client.get("/communities/")

    assert list(cards(response)) == ["Klimaschutz und Klimafolgenanpassung"]
    assert "Meine Communities" not in text_of(response)


def test_the_directory_filter_mine_shows_my_communities_and_my_role(client, klima, ozg):
    me = UserFactory()
    make_member(ozg, me, state="pending")
    client.force_login(me)

    response = client.get("/communities/?mine=1")

    shown = cards(response)
    assert list(shown) == ["Digitalisierung und OZG-Umsetzung"]
    assert "Anfrage gestellt" in shown["Digitalisierung und OZG-Umsetzung"]


def test_the_directory_filter_mine_explains_an_empty_result(client, klima):
    client.force_login(UserFactory())

    response = client.get("/communities/?mine=1")

    assert cards(response) == {}
    assert "Sie sind noch in keiner Community." in text_of(response)


def test_the_directory_filters_by_topic_tag(client, klima, ozg):
    client.force_login(UserFactory())

    response = client.get("/communities/?tag=digitalisierung")

    assert list(cards(response)) == ["Digitalisierung und OZG-Umsetzung"]
    assert '<option value="digitalisierung" selected>' in response.content.decode()


# --- the community page ------------------------------------------------------


def test_the_community_page_shows_the_intro_as_sanitised_markdown(client, klima):
    response = client.get("/communities/klimaschutz/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "<strong>Hitzeaktionspläne</strong>" in page
    assert "<em>Mustervorlagen</em>" in page
    assert "<li>Starkregen</li>" in page
    assert "<script>alert" not in page
    assert 'href="javascript' not in page
    assert 'href="https://www.kgst.de"' in page


def test_anonymous_visitors_are_asked_to_sign_in_to_take_part(client, klima):
    response = client.get("/communities/klimaschutz/")

    text = text_of(response)
    assert "Melden Sie sich an" in text
    assert "um mitzumachen." in text
    assert "Beitreten" not in text


def test_a_platform_user_sees_the_join_button_and_joins_with_one_click(klima):
    anna = UserFactory()
    client = as_user(anna)
    assert "Beitreten" in text_of(client.get("/communities/klimaschutz/"))

    response = client.post("/communities/klimaschutz/beitreten/", follow=True)

    text = text_of(response)
    assert "Willkommen! Sie sind jetzt Mitglied." in text
    assert "Sie sind Mitglied dieser Community." in text
    assert "Community verlassen" in text


def test_a_request_community_shows_a_request_form_with_a_message(ozg):
    bernd = UserFactory()
    client = as_user(bernd)
    page = client.get("/communities/ozg/")
    assert "Beitritt anfragen" in text_of(page)
    assert 'name="message"' in page.content.decode()

    response = client.post(
        "/communities/ozg/beitreten/",
        {"message": "Ich setze das OZG im Landkreis um."},
        follow=True,
    )

    text = text_of(response)
    assert "Ihre Anfrage wurde gesendet." in text
    assert "Ihre Beitrittsanfrage liegt der Moderation vor." in text
    assert "Anfrage zurückziehen" in text
    assert Membership.objects.get(user=bernd).message == (
        "Ich setze das OZG im Landkreis um."
    )


def test_an_invite_only_community_says_how_to_get_in(client):
    make_community(slug="nur-einladung", visibility="public", join_policy="invite")
    client.force_login(UserFactory())

    text = text_of(client.get("/communities/nur-einladung/"))

    assert "Dieser Community treten Sie auf Einladung der Moderation bei." in text
    assert "Beitreten" not in text
    assert "Beitritt anfragen" not in text


def test_a_member_leaves_from_the_community_page(klima):
    member = make_member(klima).user
    client = as_user(member)

    response = client.post("/communities/klimaschutz/verlassen/", follow=True)

    assert "Sie haben die Community verlassen." in text_of(response)
    assert perms.role_in(User.objects.get(pk=member.pk), klima) is None


def test_the_only_owner_is_told_in_german_why_they_cannot_leave(klima):
    owner = Membership.objects.get(community=klima, role="owner").user

    response = as_user(owner).post("/communities/klimaschutz/verlassen/", follow=True)

    assert "Sie sind die einzige Eigentümerin bzw. der einzige Eigentümer." in (
        text_of(response)
    )
    assert Membership.objects.get(community=klima, user=owner).role == "owner"


def test_the_community_page_shows_members_to_signed_in_readers(klima):
    organisation = OrganisationFactory(name="Stadt Wolfsburg")
    make_member(
        klima, UserFactory(display_name="Paul Pieper", organisation=organisation)
    )

    text = text_of(as_user(UserFactory()).get("/communities/klimaschutz/"))

    assert "Paul Pieper (Stadt Wolfsburg)" in text
    assert "Alle Mitglieder anzeigen" in text


def test_the_member_list_filters_by_organisation_and_role(klima):
    wolfsburg = OrganisationFactory(name="Stadt Wolfsburg")
    make_member(klima, UserFactory(display_name="Paul Pieper", organisation=wolfsburg))
    make_member(
        klima,
        UserFactory(display_name="Petra Pohl", organisation=wolfsburg),
        role="moderator",
    )
    client = as_user(UserFactory())

    by_organisation = text_of(
        client.get(f"/communities/klimaschutz/mitglieder/?organisation={wolfsburg.pk}")
    )
    by_role = text_of(client.get("/communities/klimaschutz/mitglieder/?role=moderator"))

    assert "2 Mitglieder" in by_organisation
    assert "Paul Pieper" in by_organisation and "Petra Pohl" in by_organisation
    assert "1 Mitglied" in by_role
    assert "Petra Pohl" in by_role and "Paul Pieper" not in by_role


# --- moderation ----------------------------------------------------------------


def test_moderators_see_requests_and_approve_with_a_reason(ozg):
    moderator = make_member(ozg, role="moderator").user
    carla = UserFactory(display_name="Carla Conrad")
    request = make_member(ozg, carla, state="pending", message="Bitte aufnehmen!")
    client = as_user(moderator)
    assert "Beitrittsanfragen (1)" in text_of(client.get("/communities/ozg/"))

    listing = text_of(client.get("/communities/ozg/anfragen/"))
    response = client.post(
        "/communities/ozg/anfragen/",
        {"membership_id": request.pk, "decision": "approve", "reason": "Gern!"},
        follow=True,
    )

    assert "Carla Conrad" in listing and "Bitte aufnehmen!" in listing
    assert "Die Anfrage wurde angenommen." in text_of(response)
    assert "Keine offenen Anfragen." in text_of(response)
    event = MembershipEvent.objects.filter(user=carla).first()
    assert (event.action, event.actor, event.reason) == ("approved", moderator, "Gern!")
    assert "Sie sind Mitglied dieser Community." in text_of(
        as_user(carla).get("/communities/ozg/")
    )


def test_the_requester_sees_the_decline_reason_on_the_community_page(ozg):
    moderator = make_member(ozg, role="moderator").user
    dieter = UserFactory()
    request = make_member(ozg, dieter, state="pending")
    as_user(moderator).post(
        "/communities/ozg/anfragen/",
        {
            "membership_id": request.pk,
            "decision": "decline",
            "reason": "Nur für Beschäftigte der Verwaltung",
        },
    )

    text = text_of(as_user(dieter).get("/communities/ozg/"))

    assert "Ihre Beitrittsanfrage wurde am" in text
    assert "abgelehnt. Begründung: Nur für Beschäftigte der Verwaltung" in text
    assert "Beitritt anfragen" in text


def test_the_audit_log_shows_who_did_what_and_why(ozg):
    owner = Membership.objects.get(community=ozg, role="owner").user
    request = make_member(ozg, UserFactory(display_name="Eva Ernst"), state="pending")
    services.membership_decide(
        actor=owner,
        community=ozg,
        membership_id=request.pk,
        approve=False,
        reason="Doppelt",
    )

    text = text_of(as_user(owner).get("/communities/ozg/protokoll/"))

    assert "Eva Ernst Anfrage abgelehnt" in text
    assert f"{owner.display_name} Doppelt" in text


def test_a_moderator_bans_a_member_with_an_end_date_on_the_member_page(klima):
    moderator = make_member(klima, role="moderator").user
    franz = make_member(klima, UserFactory(display_name="Franz Faber")).user
    client = as_user(moderator)

    response = client.post(
        f"/communities/klimaschutz/mitglieder/{franz.pk}/",
        {"action": "ban", "reason": "Werbung", "banned_until": "2099-05-01T12:00"},
        follow=True,
    )

    text = text_of(response)
    assert "Die Person wurde gesperrt." in text
    assert "Gesperrte Personen" in text
    assert "Franz Faber – bis 1. Mai 2099 12:00 (Werbung)" in text


# --- owners edit the front page ---------------------------------------------------


def test_owners_edit_the_front_page_and_it_is_published_as_a_new_revision(klima):
    owner = Membership.objects.get(community=klima, role="owner").user
    revisions_before = klima.revisions.count()
    client = as_user(owner)
    form = client.get("/communities/klimaschutz/bearbeiten/")
    assert form.status_code == 200

    response = client.post(
        "/communities/klimaschutz/bearbeiten/",
        {
            "title": "Klimaanpassung",
            "description": "Hitze und Starkregen in Kommunen.",
            "intro": "## Neu\n\nMit **Musterhitzeplan**.",
            "topics": "Hitze, Starkregen",
            "visibility": "internal",
            "join_policy": "request",
        },
        follow=True,
    )

    text = text_of(response)
    assert "Die Community-Seite wurde gespeichert." in text
    assert "Klimaanpassung" in text
    assert "<strong>Musterhitzeplan</strong>" in response.content.decode()
    community = CommunityPage.objects.get(pk=klima.pk)
    assert community.title == "Klimaanpassung"
    assert community.description == "Hitze und Starkregen in Kommunen."
    assert (community.visibility, community.join_policy) == ("internal", "request")
    assert sorted(t.name for t in community.topics.all()) == ["Hitze", "Starkregen"]
    assert community.revisions.count() == revisions_before + 1
    assert community.live_revision == community.latest_revision
    assert community.latest_revision.user == owner
    assert not community.has_unpublished_changes


def test_moderators_who_are_not_owners_cannot_edit_the_front_page(klima):
    moderator = make_member(klima, role="moderator").user
    client = as_user(moderator)

    response = client.post(
        "/communities/klimaschutz/bearbeiten/",
        {
            "title": "Gekapert",
            "description": "x",
            "visibility": "public",
            "join_policy": "open",
        },
    )

    assert response.status_code == 403
    assert "Community-Seite bearbeiten" not in text_of(
        client.get("/communities/klimaschutz/")
    )
    assert CommunityPage.objects.get(pk=klima.pk).title == (
        "Klimaschutz und Klimafolgenanpassung"
    )


def test_the_edit_form_explains_its_errors_in_german(klima):
    owner = Membership.objects.get(community=klima, role="owner").user

    response = as_user(owner).post(
        "/communities/klimaschutz/bearbeiten/",
        {"title": "", "description": "", "visibility": "geheim", "join_policy": "open"},
    )

    text = text_of(response)
    assert response.status_code == 200
    assert "Titel Dieses Feld muss ausgefüllt werden." in text
    assert "geheim ist keine gültige Auswahl." in text
    assert CommunityPage.objects.get(pk=klima.pk).title == (
        "Klimaschutz und Klimafolgenanpassung"
    )


# --- API shapes -------------------------------------------------------------------


def test_the_api_lists_communities_in_the_list_shape_with_the_core_fields(klima, ozg):
    me = UserFactory()
    make_member(klima, me)

    body = as_user(me).get("/api/v1/communities").json()

    assert set(body) == LIST_FIELDS
    assert (body["count"], body["page"], body["pages"]) == (2, 1, 1)
    by_slug = {item["slug"]: item for item in body["items"]}
    assert set(by_slug["klimaschutz"]) >= COMMUNITY_FIELDS
    assert (
        by_slug["klimaschutz"].items()
        >= {
            "slug": "klimaschutz",
            "title": "Klimaschutz und Klimafolgenanpassung",
            "description": "Hitzeaktionspläne, Starkregen und kommunaler Klimaschutz.",
            "visibility": "public",
            "join_policy": "open",
            "role": "member",
            "member_count": 3,
        }.items()
    )
    assert sorted(by_slug["klimaschutz"]["tags"]) == ["Hitze", "Klimaschutz"]
    assert by_slug["klimaschutz"]["url"] == "/communities/klimaschutz/"
    assert by_slug["ozg"]["role"] is None
    assert by_slug["ozg"]["member_count"] == 1


def test_the_api_community_list_pages_and_filters(klima, ozg):
    me = UserFactory()
    make_member(ozg, me, state="pending")
    client = as_user(me)

    first = client.get("/api/v1/communities?page_size=1").json()
    second = client.get("/api/v1/communities?page_size=1&page=2").json()
    mine = client.get("/api/v1/communities?mine=1").json()
    tagged = client.get("/api/v1/communities?tag=hitze").json()

    assert (first["count"], first["pages"], len(first["items"])) == (2, 2, 1)
    assert first["items"][0]["slug"] != second["items"][0]["slug"]
    assert [(i["slug"], i["role"]) for i in mine["items"]] == [("ozg", "pending")]
    assert [i["slug"] for i in tagged["items"]] == ["klimaschutz"]


def test_the_api_page_size_is_capped_with_a_german_error(klima):
    response = Client().get("/api/v1/communities?page_size=101")

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "page_size": ["Der Wert darf höchstens 100 sein."]
    }


def test_the_api_community_detail_carries_the_callers_role(klima, ozg):
    owner = Membership.objects.get(community=ozg, role="owner").user

    anonymous = Client().get("/api/v1/communities/klimaschutz").json()
    mine = as_user(owner).get("/api/v1/communities/ozg").json()

    assert set(anonymous) >= COMMUNITY_FIELDS
    assert anonymous["role"] is None
    assert mine["role"] == "owner"
    assert mine["visibility"] == "internal"


def test_the_api_internal_community_is_403_for_anonymous_callers(ozg):
    response = Client().get("/api/v1/communities/ozg")

    assert response.status_code == 403
    assert response.json() == {
        "detail": "Diese Community ist nur für angemeldete Personen sichtbar.",
        "code": "permission_denied",
    }


def test_the_api_members_have_the_core_fields(klima):
    organisation = OrganisationFactory(name="Landkreis Harburg")
    gabi = UserFactory(display_name="Gabi Gärtner", organisation=organisation)
    make_member(klima, gabi, role="moderator")

    body = as_user(UserFactory()).get("/api/v1/communities/klimaschutz/members").json()

    assert set(body) == LIST_FIELDS
    assert body["count"] == 3
    for item in body["items"]:
        assert set(item) >= MEMBER_FIELDS
    assert [item["role"] for item in body["items"]] == ["owner", "moderator", "member"]
    gabi_item = body["items"][1]
    assert gabi_item["user_id"] == gabi.pk
    assert gabi_item["display_name"] == "Gabi Gärtner"
    assert gabi_item["organisation"]["name"] == "Landkreis Harburg"
    assert gabi_item["state"] == "active"


def test_the_api_member_list_needs_a_signed_in_caller(klima):
    response = Client().get("/api/v1/communities/klimaschutz/members")

    assert response.status_code == 401


def test_the_api_requests_show_the_email_to_moderators(ozg):
    moderator = make_member(ozg, role="moderator").user
    hugo = UserFactory(email="hugo@stadt-beispiel.de")
    request = make_member(ozg, hugo, state="pending", message="Hallo OZG")

    body = as_user(moderator).get("/api/v1/communities/ozg/requests").json()

    assert len(body) == 1
    assert set(body[0]) >= REQUEST_FIELDS
    assert body[0]["id"] == request.pk
    assert body[0]["user_id"] == hugo.pk
    assert body[0]["email"] == "hugo@stadt-beispiel.de"
    assert body[0]["message"] == "Hallo OZG"
    assert re.match(r"\d{4}-\d\d-\d\dT.*([+-]\d\d:\d\d|Z)$", body[0]["created"])


def test_the_api_join_request_approve_and_leave_round_trip(ozg):
    moderator = make_member(ozg, role="moderator").user
    ines = UserFactory()
    client = as_user(ines)

    asked = send(client, "POST", "/api/v1/communities/ozg/join", {"message": "Hi"})
    request_id = Membership.objects.get(user=ines).pk
    approved = send(
        as_user(moderator),
        "POST",
        f"/api/v1/communities/ozg/requests/{request_id}/approve",
        {"reason": "Passt"},
    )
    detail = client.get("/api/v1/communities/ozg").json()
    left = send(client, "POST", "/api/v1/communities/ozg/leave")

    assert asked.json() == {"detail": "Ihre Anfrage wurde gesendet.", "role": "pending"}
    assert approved.status_code == 200
    assert approved.json()["detail"] == "Die Anfrage wurde angenommen."
    assert detail["role"] == "member"
    assert left.json() == {"detail": "Sie haben die Community verlassen.", "role": None}
    assert not Membership.objects.filter(user=ines).exists()


def test_the_api_joins_an_open_community_and_refuses_an_invite_only_one(klima):
    client = as_user(UserFactory())
    make_community(slug="geschlossen", visibility="public", join_policy="invite")

    joined = send(client, "POST", "/api/v1/communities/klimaschutz/join")
    refused = send(client, "POST", "/api/v1/communities/geschlossen/join")

    assert joined.json() == {"detail": "Sie sind jetzt Mitglied.", "role": "member"}
    assert refused.status_code == 403
    assert refused.json() == {
        "detail": "Dieser Community können Sie nur auf Einladung beitreten.",
        "code": "permission_denied",
    }


def test_the_api_declines_with_a_reason(ozg):
    moderator = make_member(ozg, role="moderator").user
    request = make_member(ozg, state="pending")

    response = send(
        as_user(moderator),
        "POST",
        f"/api/v1/communities/ozg/requests/{request.pk}/decline",
        {"reason": "Leider nicht"},
    )

    assert response.json()["detail"] == "Die Anfrage wurde abgelehnt."
    assert MembershipEvent.objects.filter(user=request.user).first().reason == (
        "Leider nicht"
    )


def test_the_api_invites_by_email_and_by_user_id(
    klima, django_capture_on_commit_callbacks
):
    from django.core import mail

    moderator = make_member(klima, role="moderator").user
    jana = UserFactory()
    client = as_user(moderator)

    with django_capture_on_commit_callbacks(execute=True):
        by_email = send(
            client,
            "POST",
            "/api/v1/communities/klimaschutz/invitations",
            {"email": "neu@amt-beispiel.de", "message": "Willkommen"},
        )
        by_user = send(
            client,
            "POST",
            "/api/v1/communities/klimaschutz/invitations",
            {"user_id": jana.pk},
        )

    assert by_email.status_code == 201
    assert set(by_email.json()) >= {"id", "email", "user_id", "expires_at"}
    assert by_email.json()["email"] == "neu@amt-beispiel.de"
    assert by_email.json()["user_id"] is None
    assert by_user.status_code == 201
    assert by_user.json()["user_id"] == jana.pk
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        ["neu@amt-beispiel.de", jana.email]
    )


def test_the_api_changes_roles_bans_and_unbans(klima):
    owner = Membership.objects.get(community=klima, role="owner").user
    kai = make_member(klima).user
    client = as_user(owner)
    path = f"/api/v1/communities/klimaschutz/members/{kai.pk}"

    promoted = send(client, "PATCH", path, {"role": "moderator"})
    role_after_promotion = Membership.objects.get(community=klima, user=kai).role
    banned = send(
        client,
        "PATCH",
        path,
        {
            "state": "banned",
            "reason": "Spam",
            "banned_until": "2099-01-01T00:00:00+01:00",
        },
    )
    banned_list = client.get("/api/v1/communities/klimaschutz/members?state=banned")
    unbanned = send(client, "PATCH", path, {"state": "active"})

    assert promoted.json()["detail"] == "Die Rolle wurde geändert."
    assert role_after_promotion == "moderator"
    assert banned.json()["detail"] == "Die Person wurde gesperrt."
    assert [(m["user_id"], m["state"]) for m in banned_list.json()["items"]] == [
        (kai.pk, "banned")
    ]
    assert unbanned.json()["detail"] == "Die Sperre wurde aufgehoben."
    assert not Membership.objects.filter(community=klima, user=kai).exists()


def test_the_api_patch_without_role_or_state_is_a_german_400(klima):
    owner = Membership.objects.get(community=klima, role="owner").user
    kai = make_member(klima).user

    response = send(
        as_user(owner), "PATCH", f"/api/v1/communities/klimaschutz/members/{kai.pk}", {}
    )

    assert response.status_code == 400
    assert response.json() == {
        "detail": "Bitte geben Sie eine Rolle oder einen Status an.",
        "code": "bad_request",
    }


def test_the_api_me_lists_my_memberships(klima, ozg):
    me = UserFactory()
    make_member(klima, me, role="moderator")

    body = as_user(me).get("/api/v1/me").json()

    assert body["memberships"] == [
        {
            "community": "klimaschutz",
            "title": "Klimaschutz und Klimafolgenanpassung",
            "role": "moderator",
            "url": "/communities/klimaschutz/",
        }
    ]


def test_the_api_accepts_a_bearer_token(klima, api_token, user):
    make_member(klima, user)

    response = Client().get(
        "/api/v1/communities/klimaschutz",
        headers={"Authorization": f"Bearer {api_token[1]}"},
    )

    assert response.json()["role"] == "member"


def test_anonymous_visitors_of_an_internal_community_are_asked_to_log_in(client, ozg):
    page = client.get("/communities/ozg/")
    members = client.get("/communities/ozg/mitglieder/")

    assert page.status_code == 302
    assert page["Location"] == "/accounts/login/?next=/communities/ozg/"
    assert members.status_code == 302
    assert members["Location"].startswith("/accounts/login/")


def test_a_moderator_invites_a_person_chosen_in_the_member_directory(
    klima, django_capture_on_commit_callbacks
):
    from django.core import mail

    moderator = make_member(klima, role="moderator").user
    lisa = UserFactory(display_name="Lisa Lorenz", email="lisa@kreis-beispiel.de")
    client = as_user(moderator)

    form = client.get(f"/communities/klimaschutz/einladen/?user={lisa.pk}")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/communities/klimaschutz/einladen/",
            {"user_id": lisa.pk, "message": "Schau mal rein"},
            follow=True,
        )

    assert "Sie laden Lisa Lorenz ein." in text_of(form)
    text = text_of(response)
    assert "Die Einladung wurde verschickt." in text
    assert "Lisa Lorenz – offen bis" in text
    assert [m.to for m in mail.outbox] == [["lisa@kreis-beispiel.de"]]


def test_member_counts_include_only_active_members(client, klima):
    make_member(klima, state="pending")
    make_member(klima, state="banned", reason="Spam")

    directory = cards(client.get("/communities/"))
    page = text_of(client.get("/communities/klimaschutz/"))
    api = client.get("/api/v1/communities/klimaschutz").json()

    assert "2 Mitglieder" in directory["Klimaschutz und Klimafolgenanpassung"]
    assert "2 Mitglieder" in page
    assert api["member_count"] == 2
