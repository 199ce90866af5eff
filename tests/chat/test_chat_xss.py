"""The public XSS corpus (shared/data/xss) in the chat: as message bodies
(rendered by the one Markdown pipeline), room names and descriptions, and
the names of people in a direct conversation, on the chat pages, in the API
and in the frames of the websocket. Nothing of it may become active content
in a page, and every body_html the browser script inserts is the sanitised
one."""

import uuid

import pytest
from django.test import Client
from django.utils.html import escape
from factories import UserFactory
from factories.communities import make_community, make_member
from factories.xss import Checker, active, corpus_lines

from chat import selectors, services
from chat.models import Message, Room
from kommunect.markdown import render_chat_markdown

pytestmark = pytest.mark.django_db

PAGE = 50  # messages on a room page (chat.views.HISTORY_PAGE)


@pytest.fixture
def world():
    community = make_community(slug="korpus", visibility="public")
    reader = make_member(community).user
    writer = make_member(community).user
    client = Client()
    client.force_login(reader)
    room = Room.objects.get(community=community, name="Allgemein")
    return community, reader, writer, client, room


def test_payloads_as_messages_stay_inert_on_the_pages_and_in_the_api(world):
    community, reader, writer, client, room = world
    payloads = corpus_lines()
    checker = Checker()
    checker.learn("room", client, f"/chat/{room.pk}/")
    # Stored as message_send stores them (rendered once); in bulk for speed,
    # and a sample through the service itself.
    for payload in payloads[:20]:
        services.message_send(
            author=writer, room=room, body=payload, client_id=uuid.uuid4()
        )
    Message.objects.bulk_create(
        Message(
            room=room,
            author=writer,
            body=payload[:4000],
            body_html=render_chat_markdown(payload[:4000]),
            client_id=uuid.uuid4(),
        )
        for payload in payloads[20:]
        if payload.strip()
    )
    ids = list(
        Message.objects.filter(room=room).order_by("pk").values_list("pk", flat=True)
    )
    Room.objects.filter(pk=room.pk).update(last_message_id=ids[-1])

    # Every page of the history, as the "Ältere Nachrichten" link walks it.
    before = None
    pages = 0
    while True:
        url = f"/chat/{room.pk}/" + (f"?vor={before}" if before else "")
        html = checker.get("room", client, url)
        pages += 1
        marker = 'data-chat-older="'
        if marker not in html:
            break
        before = html.split(marker, 1)[1].split('"', 1)[0]
    assert pages == -(-len(ids) // PAGE)
    checker.assert_inert()

    # The API (and the websocket, which sends the same frames) carries only
    # sanitised HTML: nothing active in any body_html.
    frames, _more = selectors.history(room, limit=len(ids))
    assert len(frames) == len(ids)
    problems = {
        f["id"]: active(f["body_html"]) for f in frames if active(f["body_html"])
    }
    assert not problems, list(problems.items())[:3]


def test_payloads_as_room_names_and_people_stay_inert(world):
    community, reader, writer, client, _room = world
    owner = make_member(community, role="owner").user
    payloads = [p for p in corpus_lines() if " ".join(p.split())][:400]
    checker = Checker()
    checker.learn("index", client, "/chat/")
    checker.learn("rooms", client, "/communities/korpus/chat/")
    for number, payload in enumerate(payloads[:200]):
        name = f"{number} {' '.join(payload.split())}"[:80]
        services.room_create(
            actor=owner, community=community, name=name, description=payload[:200]
        )
    # People with payloads as names write to the reader directly.
    for payload in payloads[200:260]:
        person = UserFactory(display_name=" ".join(payload.split())[:100] or "x")
        room, _ = services.direct_open(actor=person, user_ids=[reader.pk])
        services.message_send(
            author=person, room=room, body="Hallo", client_id=uuid.uuid4()
        )

    html = checker.get("index", client, "/chat/")
    for payload in payloads[200:260]:
        assert escape(" ".join(payload.split())[:100]) in html
    checker.get("rooms", client, "/communities/korpus/chat/")
    checker.assert_inert()
    # A room page shows its name in <title> and <h2>; a sample of them.
    checker.learn(
        "room", client, f"/chat/{Room.objects.filter(community=community).first().pk}/"
    )
    for room in Room.objects.filter(community=community).order_by("pk")[:40]:
        checker.get("room", client, f"/chat/{room.pk}/")
    checker.assert_inert()
