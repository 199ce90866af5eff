"""The chat's JSON API and pages: rooms with unread counts and mentions,
direct conversations and groups, history in both directions, sending with a
client_id (stored once), edits, deletions, flags, read markers, room
management by the moderation, blocking, and the German refusals."""

import json
import uuid

import pytest
from factories import UserFactory, client_for
from factories.communities import make_community, make_member

from chat import services
from chat.models import Message, MessageFlag, Room, RoomMember

pytestmark = pytest.mark.django_db


@pytest.fixture
def community():
    return make_community(slug="klima", title="Klimaanpassung", visibility="private")


@pytest.fixture
def anna(community):
    return make_member(community, UserFactory(display_name="Anna Schmidt")).user


@pytest.fixture
def bernd(community):
    return make_member(community, UserFactory(display_name="Bernd Becker")).user


@pytest.fixture
def room(community):
    return Room.objects.get(community=community, name="Allgemein")


def call(client, method, path, data=None):
    return client.generic(
        method,
        path,
        data=json.dumps(data) if data is not None else "",
        content_type="application/json",
    )


def messages_of(response) -> list[str]:
    """The German detail of a refusal and its messages per field."""
    data = response.json()
    return [data["detail"]] + [m for ms in data.get("errors", {}).values() for m in ms]


def say(author, room, body):
    return services.message_send(
        author=author, room=room, body=body, client_id=uuid.uuid4()
    )[0]


def test_every_community_has_its_room_allgemein(community):
    assert list(
        Room.objects.filter(community=community).values_list("name", flat=True)
    ) == ["Allgemein"]


def test_rooms_list_unread_counts_and_mentions(community, anna, bernd, room):
    annas = client_for(anna)
    listed = annas.get("/api/v1/chat/rooms").json()
    assert [(r["name"], r["community"], r["unread"]) for r in listed] == [
        ("Allgemein", "klima", 0)
    ]
    say(anna, room, "Guten Morgen!")  # one's own messages are not unread
    say(bernd, room, "Morgen!")
    say(bernd, room, f"[@Anna Schmidt](/mitglieder/{anna.pk}/), hast du die Liste?")

    (row,) = annas.get("/api/v1/chat/rooms").json()
    assert (row["unread"], row["mentions"]) == (2, 1)
    # Someone who joins later starts with what was said as history.
    later = make_member(community).user
    (row,) = client_for(later).get("/api/v1/chat/rooms").json()
    assert row["unread"] == 0

    read = call(annas, "POST", f"/api/v1/chat/rooms/{room.pk}/read", {"last_id": 0})
    assert read.json() == {"room": room.pk, "unread": 2, "mentions": 1}
    # Writing in a room reads it up to one's own message.
    say(anna, room, "Ja, kommt gleich.")
    (row,) = annas.get("/api/v1/chat/rooms").json()
    assert (row["unread"], row["mentions"]) == (0, 0)
    say(bernd, room, "Danke!")
    newest = Message.objects.filter(room=room).latest("pk").pk
    read = call(
        annas, "POST", f"/api/v1/chat/rooms/{room.pk}/read", {"last_id": newest}
    )
    assert read.json() == {"room": room.pk, "unread": 0, "mentions": 0}
    # A marker never goes back.
    call(annas, "POST", f"/api/v1/chat/rooms/{room.pk}/read", {"last_id": 1})
    assert RoomMember.objects.get(room=room, user=anna).last_read_id == newest


def test_the_header_total_counts_open_rooms_and_direct_conversations(
    community, anna, bernd, room, django_assert_num_queries
):
    annas = client_for(anna)
    bauen = services.room_create(
        actor=make_member(community, role="owner").user,
        community=community,
        name="Bauen",
    )
    services.ensure_read_markers(anna, [room, bauen])
    other = make_community(slug="andere", visibility="private")
    services.ensure_read_markers(anna, [Room.objects.get(community=other)])
    say(make_member(other).user, Room.objects.get(community=other), "Nicht für Anna")
    assert annas.get("/api/v1/chat/unread").json() == {
        "unread": 0,
        "mentions": 0,
        "rooms": 0,
    }

    say(anna, room, "Guten Morgen!")  # one's own message does not count
    say(bernd, room, "Morgen!")
    say(bernd, room, f"[@Anna Schmidt](/mitglieder/{anna.pk}/), hast du die Liste?")
    gone = say(bernd, room, "Vertippt")
    services.message_delete(actor=bernd, message=gone)
    dm, _created = services.direct_open(actor=bernd, user_ids=[anna.pk])
    say(bernd, dm, "Kurze Frage unter uns")
    say(bernd, bauen, "Im Raum Bauen")
    with django_assert_num_queries(3):  # session, user, the count
        total = annas.get("/api/v1/chat/unread").json()
    assert total == {"unread": 4, "mentions": 1, "rooms": 3}

    # An archived room is history, not news.
    services.room_update(
        actor=make_member(community, role="owner").user, room=bauen, archived=True
    )
    assert annas.get("/api/v1/chat/unread").json()["unread"] == 3
    # Reading a room takes it out of the total.
    services.room_mark_read(user=anna, room=dm, last_id=dm.last_message_id)
    assert annas.get("/api/v1/chat/unread").json() == {
        "unread": 2,
        "mentions": 1,
        "rooms": 1,
    }
    # Who leaves the community no longer counts its rooms.
    anna.memberships.filter(community=community).delete()
    assert annas.get("/api/v1/chat/unread").json()["unread"] == 0
    assert client_for(bernd).get("/api/v1/chat/unread").json()["unread"] == 0


def test_history_pages_backwards_and_forwards(anna, room):
    ids = [say(anna, room, f"Nachricht {n}").pk for n in range(7)]
    client = client_for(anna)
    url = f"/api/v1/chat/rooms/{room.pk}/messages"

    newest = client.get(url, {"limit": 3}).json()
    assert [m["id"] for m in newest["items"]] == ids[-3:] and newest["has_more"]
    older = client.get(url, {"limit": 3, "before": ids[-3]}).json()
    assert [m["id"] for m in older["items"]] == ids[1:4] and older["has_more"]
    oldest = client.get(url, {"limit": 3, "before": ids[1]}).json()
    assert [m["id"] for m in oldest["items"]] == ids[:1] and not oldest["has_more"]
    after = client.get(url, {"limit": 4, "after": ids[1]}).json()
    assert [m["id"] for m in after["items"]] == ids[2:6] and after["has_more"]
    both = client.get(url, {"before": ids[3], "after": ids[1]})
    assert both.status_code == 400
    assert both.json()["detail"] == (
        "Bitte geben Sie entweder „before“ oder „after“ an, nicht beides."
    )
    assert client.get(url, {"limit": 500}).status_code == 400


def test_sending_over_http_stores_a_client_id_once(anna, room):
    client = client_for(anna)
    url = f"/api/v1/chat/rooms/{room.pk}/messages"
    client_id = str(uuid.uuid4())
    first = call(
        client, "POST", url, {"body": "Hallo **alle**", "client_id": client_id}
    )
    again = call(
        client, "POST", url, {"body": "Hallo **alle**", "client_id": client_id}
    )

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["body_html"] == "<p>Hallo <strong>alle</strong></p>\n"
    assert Message.objects.count() == 1


@pytest.mark.parametrize(
    ("payload", "detail"),
    [
        ({"body": " ", "client_id": "UUID"}, "Bitte schreiben Sie einen Text."),
        (
            {"body": "x" * 4001, "client_id": "UUID"},
            "Der Text darf höchstens 4000 Zeichen lang sein.",
        ),
        (
            {"body": "Hallo", "client_id": "abc"},
            "Bitte geben Sie als „client_id“ eine UUID an.",
        ),
        ({"client_id": "UUID"}, "Dieses Feld ist erforderlich."),
    ],
)
def test_bad_messages_are_refused_in_german_and_nothing_is_stored(
    anna, room, payload, detail
):
    payload = {k: str(uuid.uuid4()) if v == "UUID" else v for k, v in payload.items()}
    response = call(
        client_for(anna), "POST", f"/api/v1/chat/rooms/{room.pk}/messages", payload
    )
    assert response.status_code == 400
    assert detail in messages_of(response)
    assert Message.objects.count() == 0


def test_messages_know_the_chat_subset_of_markdown(anna, room):
    message = say(
        anna,
        room,
        "# Keine Überschrift\n\n**fett**, _kursiv_, ~~weg~~, `code`\n\n"
        "> zitiert\n\n- eins\n- zwei\n\n![Bild](/media/x.png) "
        "https://www.kgst.de\n\n---\n\n<script>alert(1)</script>",
    )
    html = message.body_html
    assert "<h1>" not in html and "<hr" not in html and "<img" not in html
    assert "<p># Keine Überschrift</p>" in html
    for part in [
        "<strong>fett</strong>",
        "<em>kursiv</em>",
        "<s>weg</s>",
        "<code>code</code>",
        "<blockquote>",
        "<li>eins</li>",
    ]:
        assert part in html, part
    assert (
        'href="https://www.kgst.de"' in html and 'rel="nofollow ugc noopener"' in html
    )
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_a_client_id_of_another_room_is_refused(community, anna, room):
    client_id = uuid.uuid4()
    services.message_send(author=anna, room=room, body="Hier", client_id=client_id)
    other = Room.objects.create(kind="community", community=community, name="Bauen")
    response = call(
        client_for(anna),
        "POST",
        f"/api/v1/chat/rooms/{other.pk}/messages",
        {"body": "Dort", "client_id": str(client_id)},
    )
    assert response.status_code == 400
    assert "anderen Raum" in response.json()["detail"]


def test_ten_messages_in_ten_seconds_then_429(anna, room):
    client = client_for(anna)
    url = f"/api/v1/chat/rooms/{room.pk}/messages"
    for n in range(10):
        sent = call(
            client, "POST", url, {"body": f"{n}", "client_id": str(uuid.uuid4())}
        )
        assert sent.status_code == 201
    refused = call(client, "POST", url, {"body": "11", "client_id": str(uuid.uuid4())})
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1
    assert Message.objects.count() == 10


def test_edit_and_delete_own_messages_moderators_delete_any(
    community, anna, bernd, room
):
    message = say(anna, room, "Tippfeler")
    annas, bernds = client_for(anna), client_for(bernd)
    url = f"/api/v1/chat/messages/{message.pk}"

    assert call(bernds, "PATCH", url, {"body": "Übernommen"}).status_code == 403
    edited = call(annas, "PATCH", url, {"body": "Tippfehler"}).json()
    assert edited["body_html"] == "<p>Tippfehler</p>\n" and edited["edited"]
    assert call(bernds, "DELETE", url).status_code == 403

    moderator = make_member(community, role="moderator").user
    assert call(client_for(moderator), "DELETE", url).status_code == 204
    gone = client_for(anna).get(f"/api/v1/chat/rooms/{room.pk}/messages").json()
    assert gone["items"][0]["deleted"] and gone["items"][0]["body"] == ""
    assert call(annas, "PATCH", url, {"body": "Wieder da"}).status_code == 403


def test_flags_are_recorded_once(anna, bernd, room):
    message = say(anna, room, "Kauft meine Software!")
    url = f"/api/v1/chat/messages/{message.pk}/flag"
    first = call(client_for(bernd), "POST", url, {"reason": "Werbung"})
    again = call(client_for(bernd), "POST", url, {"reason": "Werbung"})
    own = call(client_for(anna), "POST", url, {"reason": ""})

    assert first.status_code == 201
    assert again.status_code == 400
    assert again.json()["detail"] == "Sie haben diese Nachricht bereits gemeldet."
    assert own.status_code == 403
    assert MessageFlag.objects.get().reason == "Werbung"


def test_direct_conversations_and_groups_across_municipalities(anna):
    elsewhere = UserFactory(display_name="Carla Krüger")
    third = UserFactory(display_name="Dieter Dorn")
    client = client_for(anna)

    opened = call(client, "POST", "/api/v1/chat/direct", {"user_ids": [elsewhere.pk]})
    assert opened.status_code == 201
    room = opened.json()
    assert room["kind"] == "direct" and room["community"] is None
    assert room["name"] == "Carla Krüger"
    # The same people again: the same conversation.
    again = call(
        client_for(elsewhere), "POST", "/api/v1/chat/direct", {"user_ids": [anna.pk]}
    )
    assert again.status_code == 200 and again.json()["id"] == room["id"]
    assert again.json()["name"] == "Anna Schmidt"

    group = call(
        client, "POST", "/api/v1/chat/direct", {"user_ids": [elsewhere.pk, third.pk]}
    ).json()
    assert group["id"] != room["id"]
    assert group["name"] == "Carla Krüger, Dieter Dorn"

    # Nobody else reads them.
    outsider = client_for(UserFactory())
    assert outsider.get(f"/api/v1/chat/rooms/{room['id']}/messages").status_code == 404
    assert client_for(third).get(f"/api/v1/chat/rooms/{room['id']}").status_code == 404
    assert outsider.get(f"/chat/{room['id']}/").status_code == 404


@pytest.mark.parametrize(
    ("ids", "detail"),
    [
        ("SELF", "Bitte wählen Sie eine andere Person als sich selbst."),
        ([10**12], "Diese Person gibt es nicht."),
        ("TWENTY", "Eine Gruppe hat höchstens 20 Personen."),
        ([], "Mindestens 1 Einträge."),
    ],
)
def test_bad_conversations_are_refused(anna, ids, detail):
    if ids == "SELF":
        ids = [anna.pk]
    elif ids == "TWENTY":
        ids = [UserFactory().pk for _ in range(20)]
    response = call(client_for(anna), "POST", "/api/v1/chat/direct", {"user_ids": ids})
    assert response.status_code == 400
    assert detail in messages_of(response)
    assert not Room.objects.filter(kind="direct").exists()


def test_a_blocked_person_cannot_write_or_start_a_conversation(anna, bernd):
    room, _ = services.direct_open(actor=anna, user_ids=[bernd.pk])
    bernds = client_for(bernd)
    assert (
        call(
            client_for(anna), "POST", "/api/v1/chat/blocks", {"user_id": bernd.pk}
        ).status_code
        == 201
    )

    sent = call(
        bernds,
        "POST",
        f"/api/v1/chat/rooms/{room.pk}/messages",
        {"body": "Hallo?", "client_id": str(uuid.uuid4())},
    )
    assert sent.status_code == 403
    assert sent.json()["detail"] == (
        "Sie können in dieser Unterhaltung keine Nachrichten senden."
    )
    room.delete()
    refused = call(bernds, "POST", "/api/v1/chat/direct", {"user_ids": [anna.pk]})
    assert refused.status_code == 403
    assert refused.json()["detail"] == (
        "Anna Schmidt möchte keine Nachrichten von Ihnen erhalten."
    )
    assert [
        b["display_name"] for b in client_for(anna).get("/api/v1/chat/blocks").json()
    ] == ["Bernd Becker"]
    assert (
        call(client_for(anna), "DELETE", f"/api/v1/chat/blocks/{bernd.pk}").status_code
        == 204
    )
    assert (
        call(bernds, "POST", "/api/v1/chat/direct", {"user_ids": [anna.pk]}).status_code
        == 201
    )


def test_the_moderation_adds_renames_and_archives_rooms(community, anna):
    owner = make_member(community, role="owner").user
    owners, annas = client_for(owner), client_for(anna)
    url = "/api/v1/communities/klima/chat/rooms"

    assert call(annas, "POST", url, {"name": "Bauen"}).status_code == 403
    created = call(
        owners, "POST", url, {"name": "Bauen", "description": "Bauleitplanung"}
    )
    assert created.status_code == 201
    duplicate = call(owners, "POST", url, {"name": "bauen"})
    assert duplicate.status_code == 400
    assert (
        duplicate.json()["detail"] == "Einen Raum mit diesem Namen gibt es hier schon."
    )
    room_id = created.json()["id"]
    archived = call(
        owners, "PATCH", f"/api/v1/chat/rooms/{room_id}", {"archived": True}
    )
    assert archived.json()["archived"] is True
    sent = call(
        annas,
        "POST",
        f"/api/v1/chat/rooms/{room_id}/messages",
        {"body": "Noch da?", "client_id": str(uuid.uuid4())},
    )
    assert sent.status_code == 403
    assert sent.json()["detail"] == "Dieser Raum ist archiviert."
    # The history stays readable.
    assert annas.get(f"/api/v1/chat/rooms/{room_id}/messages").status_code == 200


def test_the_chat_page_works_without_javascript(anna, bernd, room):
    say(bernd, room, "Wer kennt eine gute **Vorlage**?")
    client = client_for(anna)
    page = client.get(f"/chat/{room.pk}/")
    assert page.status_code == 200
    assert "<strong>Vorlage</strong>" in page.text
    assert "Bernd Becker" in page.text
    client_id = str(uuid.uuid4())
    for _ in range(2):  # the form sent twice: stored once
        sent = client.post(
            f"/chat/{room.pk}/senden/",
            {"body": "Ich schicke sie.", "client_id": client_id},
        )
        assert sent.status_code == 302
    assert Message.objects.filter(author=anna).count() == 1
    refused = client.post(
        f"/chat/{room.pk}/senden/", {"body": "x" * 4001, "client_id": str(uuid.uuid4())}
    )
    assert refused.status_code == 400
    assert "Der Text darf höchstens 4000 Zeichen lang sein." in refused.text
    assert "x" * 4001 in refused.text  # the text is kept
    # Opening the room marks it read.
    assert client.get("/api/v1/chat/rooms").json()[0]["unread"] == 0


def test_a_room_opens_around_an_old_message(community, anna, bernd, room):
    """A search hit for an old message opens the room there, with the pages
    before and after it; only the page with the newest message is live."""
    client = client_for(anna)

    def unread():
        return client.get("/api/v1/chat/rooms").json()[0]["unread"]

    assert unread() == 0
    ids = [say(bernd, room, f"Nachricht {n}").pk for n in range(120)]
    other_community = make_community()
    make_member(other_community, bernd)
    elsewhere = say(
        bernd, Room.objects.get(community=other_community, name="Allgemein"), "Anderswo"
    )

    def shown(html):
        return [
            int(part.split('"', 1)[0]) for part in html.split('data-message-id="')[1:]
        ]

    page = client.get(Message.objects.get(pk=ids[60]).get_absolute_url()).text
    assert shown(page) == ids[35:85]
    assert f'chat-message--target" aria-current="true" id="nachricht-{ids[60]}"' in page
    assert page.count('aria-current="true" id="nachricht-') == 1
    assert f'href="?vor={ids[35]}" data-chat-older="{ids[35]}"' in page
    assert f'href="?nach={ids[84]}">Neuere Nachrichten</a>' in page
    assert "Zu den neuesten Nachrichten" in page and 'data-live="false"' in page
    assert unread() == 120  # an old page does not mark the room read

    newer = client.get(f"/chat/{room.pk}/?nach={ids[84]}").text
    assert shown(newer) == ids[85:]
    assert 'data-live="true"' in newer and "Neuere Nachrichten" not in newer
    assert f'href="?vor={ids[85]}"' in newer
    assert unread() == 0

    # Near the newest: the page is filled with older ones, and it is live.
    near = client.get(f"/chat/{room.pk}/?um={ids[110]}").text
    assert shown(near) == ids[70:] and 'data-live="true"' in near
    # The oldest: no older page.
    first = client.get(f"/chat/{room.pk}/?um={ids[0]}").text
    assert shown(first) == ids[:25] and "Ältere Nachrichten" not in first
    # A message of another room shows nothing of that room; nonsense is
    # the newest page.
    other = client.get(f"/chat/{room.pk}/?um={elsewhere.pk}").text
    assert "Anderswo" not in other and elsewhere.pk not in shown(other)
    assert shown(client.get(f"/chat/{room.pk}/?um=abc").text) == ids[-50:]
    # Outsiders get nothing.
    outsider = client_for(UserFactory())
    assert outsider.get(f"/chat/{room.pk}/?um={ids[60]}").status_code == 404


def test_a_profile_offers_a_message_and_blocking(anna, bernd):
    client = client_for(anna)
    profile = client.get(f"/mitglieder/{bernd.pk}/")
    assert "Nachricht senden" in profile.text and "Blockieren" in profile.text
    opened = client.post("/chat/neu/", {"user_ids": [bernd.pk]})
    room = Room.objects.get(kind="direct")
    assert opened["Location"] == f"/chat/{room.pk}/"
    client.post(
        f"/chat/blockieren/{bernd.pk}/", {"block": "1", "next": "https://evil.example/"}
    )
    assert "Blockierung aufheben" in client.get(f"/mitglieder/{bernd.pk}/").text


def test_the_member_directory_leads_to_a_new_conversation(anna, bernd):
    client = client_for(anna)
    directory = client.get("/mitglieder/").text
    assert (
        f'href="/chat/neu/?mit={bernd.pk}">Nachricht an Bernd Becker</a>' in directory
    )
    assert "Nachricht an Anna Schmidt" not in directory  # not to oneself
    form = client.get(f"/chat/neu/?mit={bernd.pk}").text
    assert f'name="user_ids" value="{bernd.pk}" id="person-{bernd.pk}" checked' in form
    found = client.get("/chat/neu/", {"q": "Becker"}).text
    assert f'value="{bernd.pk}"' in found


def test_mention_suggestions_offer_the_people_of_the_room(community, anna, bernd, room):
    outsider = UserFactory(display_name="Berta Außen")
    carla = UserFactory(display_name="Carla Bergmann")
    group, _created = services.direct_open(actor=anna, user_ids=[bernd.pk, carla.pk])
    annas = client_for(anna)

    def names(room_id, q):
        response = annas.get(f"/chat/{room_id}/erwaehnen/", {"q": q})
        assert response.status_code == 200
        return [person["display_name"] for person in response.json()["results"]]

    # A direct conversation offers its people, names beginning with "Be" first.
    assert names(group.pk, "Be") == ["Bernd Becker", "Carla Bergmann"]
    assert names(group.pk, "Anna") == []  # not oneself
    (bernds,) = annas.get(f"/chat/{group.pk}/erwaehnen/", {"q": "bernd"}).json()[
        "results"
    ]
    assert bernds["markdown"] == f"[@Bernd Becker](/mitglieder/{bernd.pk}/)"
    # A community's room offers its members, never outsiders.
    assert names(room.pk, "Be") == ["Bernd Becker"]
    assert names(room.pk, "") == []
    # The rooms of others stay hidden.
    other = client_for(outsider)
    assert other.get(f"/chat/{group.pk}/erwaehnen/", {"q": "Be"}).status_code == 404
    assert other.get(f"/chat/{room.pk}/erwaehnen/", {"q": "Be"}).status_code == 404
