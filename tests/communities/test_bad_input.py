"""Bad input and abuse: each attempt gets a clear German error (or 403/404)
and changes nothing."""

import html
import json
import re

import pytest
from django.core import mail
from factories import UserFactory
from factories.communities import make_community, make_member

from communities.invitations import invitation_token
from communities.models import Invitation, Membership, MembershipEvent
from communities.services import invitation_create

pytestmark = pytest.mark.django_db

TOO_LONG = "x" * 1001


def state_of_everything():
    """What an attempt must leave alone."""
    return {
        "memberships": sorted(
            Membership.objects.values_list(
                "user_id", "community_id", "role", "state", "decided_by_id", "reason"
            )
        ),
        "events": MembershipEvent.objects.count(),
        "invitations": sorted(
            Invitation.objects.values_list("pk", "email", "accepted_at")
        ),
        "mails": len(mail.outbox),
    }


def error_alerts(response) -> list[str]:
    """The red alert boxes of a page (Django messages with level error)."""
    found = re.findall(
        r'kern-alert--danger">\s*<div class="kern-alert__body"><p class="kern-body">'
        r"(.*?)</p>",
        response.content.decode(),
        re.S,
    )
    return [html.unescape(text) for text in found]


def api(client, method, path, payload=None):
    return client.generic(
        method,
        path,
        data=json.dumps(payload) if payload is not None else "",
        content_type="application/json",
    )


@pytest.fixture
def mobilitaet(db):
    return make_community(
        title="Mobilität", slug="mobilitaet", visibility="internal", join_policy="open"
    )


@pytest.fixture
def finanzen(db):
    return make_community(
        title="Finanzmanagement und Doppik",
        slug="finanzen",
        visibility="internal",
        join_policy="request",
    )


# --- joining twice ---------------------------------------------------------


def test_joining_twice_on_the_page_says_so_in_german_and_changes_nothing(
    client, mobilitaet
):
    member = make_member(mobilitaet).user
    client.force_login(member)
    before = state_of_everything()

    response = client.post("/communities/mobilitaet/beitreten/", follow=True)

    assert error_alerts(response) == ["Sie sind bereits Mitglied dieser Community."]
    assert state_of_everything() == before


def test_joining_twice_in_the_api_is_a_german_error_and_changes_nothing(
    client, mobilitaet
):
    client.force_login(make_member(mobilitaet).user)
    before = state_of_everything()

    response = api(client, "POST", "/api/v1/communities/mobilitaet/join")

    assert response.status_code == 409
    assert response.json()["detail"] == "Sie sind bereits Mitglied dieser Community."
    assert state_of_everything() == before


def test_asking_twice_says_the_request_is_already_there(client, finanzen):
    request = make_member(finanzen, state="pending", message="Erste Anfrage")
    client.force_login(request.user)
    before = state_of_everything()

    page = client.post(
        "/communities/finanzen/beitreten/", {"message": "Noch einmal"}, follow=True
    )
    response = api(
        client, "POST", "/api/v1/communities/finanzen/join", {"message": "Und nochmal"}
    )

    assert error_alerts(page) == ["Ihre Beitrittsanfrage liegt bereits vor."]
    assert response.status_code == 409
    assert response.json()["detail"] == "Ihre Beitrittsanfrage liegt bereits vor."
    assert state_of_everything() == before
    assert Membership.objects.get(pk=request.pk).message == "Erste Anfrage"


# --- deciding twice --------------------------------------------------------


def test_approving_an_already_decided_request_is_refused_and_changes_nothing(
    client, finanzen
):
    first = make_member(finanzen, role="moderator").user
    second = make_member(finanzen, role="moderator").user
    request = make_member(finanzen, state="pending")
    client.force_login(first)
    client.post(
        "/communities/finanzen/anfragen/",
        {"membership_id": request.pk, "decision": "approve", "reason": "Gern"},
    )
    client.force_login(second)
    before = state_of_everything()

    page = client.post(
        "/communities/finanzen/anfragen/",
        {"membership_id": request.pk, "decision": "decline", "reason": "Doch nicht"},
        follow=True,
    )
    response = api(
        client,
        "POST",
        f"/api/v1/communities/finanzen/requests/{request.pk}/approve",
        {"reason": "Nochmal"},
    )

    assert error_alerts(page) == ["Über diese Anfrage wurde bereits entschieden."]
    assert response.status_code == 409
    assert response.json()["detail"] == "Über diese Anfrage wurde bereits entschieden."
    assert state_of_everything() == before
    request.refresh_from_db()
    assert (request.state, request.decided_by, request.reason) == (
        "active",
        first,
        "Gern",
    )


def test_deciding_a_request_that_does_not_exist_is_a_german_error(client, finanzen):
    client.force_login(make_member(finanzen, role="moderator").user)
    before = state_of_everything()

    response = api(
        client, "POST", "/api/v1/communities/finanzen/requests/999999/decline"
    )

    assert response.status_code == 404
    assert response.json()["detail"] == "Diese Anfrage gibt es nicht."
    assert state_of_everything() == before


# --- inviting an existing member --------------------------------------------


def test_inviting_an_existing_member_is_refused_and_nothing_is_sent(
    client, mobilitaet, django_capture_on_commit_callbacks
):
    moderator = make_member(mobilitaet, role="moderator").user
    member = make_member(mobilitaet, UserFactory(email="jonas@kreis-beispiel.de")).user
    client.force_login(moderator)
    before = state_of_everything()

    with django_capture_on_commit_callbacks(execute=True):
        by_mail = client.post(
            "/communities/mobilitaet/einladen/",
            {"email": "Jonas@Kreis-Beispiel.de"},
            follow=True,
        )
        by_user = client.post(
            "/communities/mobilitaet/einladen/", {"user_id": member.pk}, follow=True
        )
        response = api(
            client,
            "POST",
            "/api/v1/communities/mobilitaet/invitations",
            {"user_id": member.pk},
        )

    assert error_alerts(by_mail) == ["Diese Person ist bereits Mitglied."]
    assert error_alerts(by_user) == ["Diese Person ist bereits Mitglied."]
    assert response.status_code == 409
    assert response.json()["detail"] == "Diese Person ist bereits Mitglied."
    assert state_of_everything() == before


def test_inviting_the_same_address_twice_is_refused(
    client, mobilitaet, django_capture_on_commit_callbacks
):
    moderator = make_member(mobilitaet, role="moderator").user
    invitation_create(actor=moderator, community=mobilitaet, email="neu@amt-x.de")
    client.force_login(moderator)
    before = state_of_everything()

    response = api(
        client,
        "POST",
        "/api/v1/communities/mobilitaet/invitations",
        {"email": "NEU@amt-x.de"},
    )

    assert response.status_code == 409
    assert response.json()["detail"] == "Diese Person ist bereits eingeladen."
    assert state_of_everything() == before


def test_an_invalid_email_address_is_a_german_field_error(client, mobilitaet):
    client.force_login(make_member(mobilitaet, role="moderator").user)
    before = state_of_everything()

    response = api(
        client,
        "POST",
        "/api/v1/communities/mobilitaet/invitations",
        {"email": "keine-adresse"},
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "email": ["Bitte geben Sie eine gültige E-Mail-Adresse an."]
    }
    assert state_of_everything() == before


# --- forged invitation links ---------------------------------------------------


@pytest.mark.parametrize("logged_in", [False, True], ids=["anonymous", "signed-in"])
def test_a_forged_invitation_link_is_a_german_404_and_changes_nothing(
    client, mobilitaet, logged_in
):
    moderator = make_member(mobilitaet, role="moderator").user
    visitor = UserFactory(email="fremd@stadt-beispiel.de")
    invitation = invitation_create(
        actor=moderator, community=mobilitaet, email="echt@stadt-beispiel.de"
    )
    real = invitation_token(invitation)
    tampered = real[:-3] + ("AAA" if not real.endswith("AAA") else "BBB")
    # The signed id of another invitation, re-signed without the secret key.
    made_up = "OTk5:1abcde:forgedsignature"
    if logged_in:
        client.force_login(visitor)
    before = state_of_everything()

    for token in (tampered, made_up, "einfach-geraten"):
        get = client.get(f"/einladung/{token}/")
        post = client.post(f"/einladung/{token}/")
        for response in (get, post):
            assert response.status_code == 404
            page = response.content.decode()
            assert "Seite nicht gefunden" in page
            assert "Mobilität" not in page

    assert state_of_everything() == before
    assert "invitation_token" not in client.session


def test_a_real_link_for_someone_else_does_not_let_them_in(client, mobilitaet):
    moderator = make_member(mobilitaet, role="moderator").user
    invitation = invitation_create(
        actor=moderator, community=mobilitaet, email="echt@stadt-beispiel.de"
    )
    client.force_login(UserFactory(email="fremd@stadt-beispiel.de"))
    before = state_of_everything()

    response = client.post(f"/einladung/{invitation_token(invitation)}/", follow=True)

    assert "Diese Einladung gilt für eine andere Person." in error_alerts(response)
    assert state_of_everything() == before


# --- banned people ------------------------------------------------------------


def test_a_banned_person_cannot_rejoin_a_public_community_and_is_told_why(client):
    community = make_community(slug="offen", visibility="public", join_policy="open")
    banned = make_member(community, state="banned", reason="Spam").user
    client.force_login(banned)
    before = state_of_everything()

    page = client.post("/communities/offen/beitreten/", follow=True)
    response = api(client, "POST", "/api/v1/communities/offen/join")

    assert error_alerts(page) == ["Sie sind in dieser Community gesperrt."]
    assert response.status_code == 403
    assert response.json()["detail"] == "Sie sind in dieser Community gesperrt."
    assert state_of_everything() == before


def test_a_banned_person_cannot_rejoin_an_internal_community(client, mobilitaet):
    banned = make_member(mobilitaet, state="banned", reason="Spam").user
    client.force_login(banned)
    before = state_of_everything()

    page = client.post("/communities/mobilitaet/beitreten/")
    response = api(client, "POST", "/api/v1/communities/mobilitaet/join")

    assert page.status_code == 403
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert state_of_everything() == before


def test_a_banned_person_cannot_accept_an_invitation(client, mobilitaet):
    moderator = make_member(mobilitaet, role="moderator").user
    banned = make_member(mobilitaet, state="banned", reason="Spam").user
    invitation = Invitation.objects.create(
        community=mobilitaet,
        user=banned,
        email=banned.email,
        invited_by=moderator,
        expires_at="2999-01-01T00:00:00Z",
    )
    client.force_login(banned)
    before = state_of_everything()

    response = client.post(f"/einladung/{invitation_token(invitation)}/", follow=True)

    assert "Sie sind in dieser Community gesperrt." in error_alerts(response)
    assert state_of_everything() == before


def test_inviting_a_banned_person_asks_to_lift_the_ban_first(client, mobilitaet):
    client.force_login(make_member(mobilitaet, role="moderator").user)
    banned = make_member(mobilitaet, state="banned", reason="Spam").user
    before = state_of_everything()

    response = api(
        client,
        "POST",
        "/api/v1/communities/mobilitaet/invitations",
        {"user_id": banned.pk},
    )

    assert response.status_code == 409
    assert "Heben Sie zuerst die Sperre auf" in response.json()["detail"]
    assert state_of_everything() == before


# --- a moderator of another community ------------------------------------------


@pytest.fixture
def stranger_moderator(db):
    """Moderates "Personalmanagement", nothing else."""
    other = make_community(title="Personalmanagement", slug="personal")
    return make_member(other, role="moderator").user


def test_a_moderator_of_another_community_cannot_act_here_on_the_web(
    client, finanzen, stranger_moderator
):
    member = make_member(finanzen).user
    request = make_member(finanzen, state="pending")
    client.force_login(stranger_moderator)
    before = state_of_everything()

    attempts = {
        "requests": client.post(
            "/communities/finanzen/anfragen/",
            {"membership_id": request.pk, "decision": "approve"},
        ),
        "invite": client.post(
            "/communities/finanzen/einladen/", {"email": "freund@amt-x.de"}
        ),
        "member": client.post(
            f"/communities/finanzen/mitglieder/{member.pk}/",
            {"action": "ban", "reason": "Ich darf das"},
        ),
        "edit": client.post(
            "/communities/finanzen/bearbeiten/",
            {
                "title": "Gekapert",
                "description": "x",
                "visibility": "public",
                "join_policy": "open",
            },
        ),
        "log": client.get("/communities/finanzen/protokoll/"),
    }

    assert {name: r.status_code for name, r in attempts.items()} == {
        "requests": 403,
        "invite": 403,
        "member": 403,
        "edit": 403,
        "log": 403,
    }
    assert "Kein Zugriff" in attempts["requests"].content.decode()
    assert state_of_everything() == before


def test_a_moderator_of_another_community_cannot_act_here_in_the_api(
    client, finanzen, stranger_moderator
):
    member = make_member(finanzen).user
    request = make_member(finanzen, state="pending")
    client.force_login(stranger_moderator)
    before = state_of_everything()

    responses = [
        client.get("/api/v1/communities/finanzen/requests"),
        api(
            client,
            "POST",
            f"/api/v1/communities/finanzen/requests/{request.pk}/approve",
        ),
        api(
            client,
            "POST",
            f"/api/v1/communities/finanzen/requests/{request.pk}/decline",
        ),
        api(
            client,
            "POST",
            "/api/v1/communities/finanzen/invitations",
            {"email": "freund@amt-x.de"},
        ),
        api(
            client,
            "PATCH",
            f"/api/v1/communities/finanzen/members/{member.pk}",
            {"state": "banned", "reason": "Ich darf das"},
        ),
        api(
            client,
            "PATCH",
            f"/api/v1/communities/finanzen/members/{member.pk}",
            {"role": "moderator"},
        ),
        client.get("/api/v1/communities/finanzen/members?state=banned"),
    ]

    for response in responses:
        assert response.status_code == 403, response.request["PATH_INFO"]
        body = response.json()
        assert body["code"] == "permission_denied"
        assert "Moderatorinnen und Moderatoren" in body["detail"]
    assert state_of_everything() == before


def test_a_moderator_of_another_community_gets_404_for_a_private_one(
    client, stranger_moderator
):
    make_community(slug="geheim", visibility="private", join_policy="invite")
    client.force_login(stranger_moderator)

    assert client.get("/communities/geheim/anfragen/").status_code == 404
    assert client.get("/api/v1/communities/geheim/requests").status_code == 404


# --- over-long input -------------------------------------------------------------


def test_an_over_long_request_message_is_refused_in_german_on_the_page(
    client, finanzen
):
    client.force_login(UserFactory())
    before = state_of_everything()

    response = client.post(
        "/communities/finanzen/beitreten/", {"message": TOO_LONG}, follow=True
    )

    alerts = error_alerts(response)
    assert len(alerts) == 1
    assert "höchstens 1000 Zeichen" in alerts[0]
    assert state_of_everything() == before


def test_an_over_long_request_message_is_a_german_400_in_the_api(client, finanzen):
    client.force_login(UserFactory())
    before = state_of_everything()

    response = api(
        client, "POST", "/api/v1/communities/finanzen/join", {"message": TOO_LONG}
    )

    assert response.status_code == 400
    assert response.json() == {
        "detail": "Die Eingabe ist ungültig.",
        "code": "invalid",
        "errors": {"message": ["Höchstens 1000 Zeichen."]},
    }
    assert state_of_everything() == before


def test_an_over_long_decision_reason_is_refused_and_the_request_stays_open(
    client, finanzen
):
    client.force_login(make_member(finanzen, role="moderator").user)
    request = make_member(finanzen, state="pending")
    before = state_of_everything()

    page = client.post(
        "/communities/finanzen/anfragen/",
        {"membership_id": request.pk, "decision": "decline", "reason": TOO_LONG},
        follow=True,
    )
    response = api(
        client,
        "POST",
        f"/api/v1/communities/finanzen/requests/{request.pk}/decline",
        {"reason": TOO_LONG},
    )

    assert error_alerts(page) == ["Bitte prüfen Sie Ihre Eingabe."]
    assert response.status_code == 400
    assert response.json()["errors"] == {"reason": ["Höchstens 1000 Zeichen."]}
    assert state_of_everything() == before


def test_an_over_long_ban_reason_is_refused(client, finanzen):
    client.force_login(make_member(finanzen, role="owner").user)
    member = make_member(finanzen).user
    before = state_of_everything()

    page = client.post(
        f"/communities/finanzen/mitglieder/{member.pk}/",
        {"action": "ban", "reason": TOO_LONG},
    )
    response = api(
        client,
        "PATCH",
        f"/api/v1/communities/finanzen/members/{member.pk}",
        {"state": "banned", "reason": TOO_LONG},
    )

    assert page.status_code == 200
    assert "höchstens 1000 Zeichen" in page.content.decode()
    assert response.status_code == 400
    assert response.json()["errors"] == {"reason": ["Höchstens 1000 Zeichen."]}
    assert state_of_everything() == before


def test_an_unknown_role_in_the_api_is_a_german_400(client, finanzen):
    client.force_login(make_member(finanzen, role="owner").user)
    member = make_member(finanzen).user
    before = state_of_everything()

    response = api(
        client,
        "PATCH",
        f"/api/v1/communities/finanzen/members/{member.pk}",
        {"role": "admin"},
    )

    assert response.status_code == 400
    assert response.json()["detail"] == "Die Eingabe ist ungültig."
    assert "role" in response.json()["errors"]
    assert state_of_everything() == before


# --- rate limit -----------------------------------------------------------------


@pytest.fixture
def eleven_communities(db):
    return [
        make_community(
            title=f"Arbeitskreis {n}",
            slug=f"arbeitskreis-{n}",
            visibility="public",
            join_policy="request",
        )
        for n in range(1, 12)
    ]


def test_the_eleventh_join_request_within_an_hour_is_refused_on_the_page(
    client, eleven_communities
):
    person = UserFactory()
    client.force_login(person)
    for community in eleven_communities[:10]:
        client.post(f"/communities/{community.slug}/beitreten/", {"message": "Hallo"})
    assert Membership.objects.filter(user=person, state="pending").count() == 10
    before = state_of_everything()

    response = client.post(
        "/communities/arbeitskreis-11/beitreten/", {"message": "Hallo"}, follow=True
    )

    assert error_alerts(response) == [
        "Sie haben in kurzer Zeit sehr viele Beitrittsanfragen gestellt. "
        "Bitte versuchen Sie es später erneut."
    ]
    assert state_of_everything() == before


def test_the_eleventh_join_request_within_an_hour_is_a_429_in_the_api(
    client, eleven_communities
):
    person = UserFactory()
    client.force_login(person)
    for community in eleven_communities[:10]:
        assert (
            api(client, "POST", f"/api/v1/communities/{community.slug}/join")
        ).status_code == 200
    before = state_of_everything()

    response = api(client, "POST", "/api/v1/communities/arbeitskreis-11/join")

    assert response.status_code == 429
    body = response.json()
    assert set(body) == {"detail", "code"}
    assert body["code"] == "rate_limited"
    assert "Beitrittsanfragen" in body["detail"]
    assert "Bitte versuchen Sie es später erneut." in body["detail"]
    assert 0 < int(response["Retry-After"]) <= 3600
    assert state_of_everything() == before


def test_the_join_limit_is_per_person(client, eleven_communities):
    first = UserFactory()
    client.force_login(first)
    for community in eleven_communities[:10]:
        api(client, "POST", f"/api/v1/communities/{community.slug}/join")

    client.force_login(UserFactory())
    response = api(client, "POST", "/api/v1/communities/arbeitskreis-11/join")

    assert response.status_code == 200


def test_a_request_id_of_another_community_cannot_be_decided_here(client, finanzen):
    other = make_community(
        slug="anderswo", visibility="internal", join_policy="request"
    )
    foreign_request = make_member(other, state="pending")
    client.force_login(make_member(finanzen, role="moderator").user)
    before = state_of_everything()

    page = client.post(
        "/communities/finanzen/anfragen/",
        {"membership_id": foreign_request.pk, "decision": "approve"},
        follow=True,
    )
    response = api(
        client,
        "POST",
        f"/api/v1/communities/finanzen/requests/{foreign_request.pk}/approve",
    )

    assert error_alerts(page) == ["Diese Anfrage gibt es nicht."]
    assert response.status_code == 404
    assert response.json()["detail"] == "Diese Anfrage gibt es nicht."
    assert state_of_everything() == before


def test_a_member_of_another_community_cannot_be_managed_here(client, finanzen):
    other = make_community(slug="anderswo", visibility="internal")
    outsider = make_member(other).user
    client.force_login(make_member(finanzen, role="owner").user)
    before = state_of_everything()

    response = api(
        client,
        "PATCH",
        f"/api/v1/communities/finanzen/members/{outsider.pk}",
        {"state": "banned", "reason": "Fremd"},
    )

    assert response.status_code == 400
    assert response.json()["detail"] == (
        "Diese Person ist kein aktives Mitglied dieser Community."
    )
    assert state_of_everything() == before
