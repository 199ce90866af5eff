"""In a real browser (Debian's Chromium through Playwright, against the
whole ASGI application with the websocket): two people of different
municipalities chat in their community's room. One of them goes offline,
writes meanwhile ("wird gesendet") while the other writes too; back online,
every message reaches both pages, once and in order."""

import json
import re
import uuid

import pytest
from factories import OrganisationFactory, UserFactory
from factories.communities import make_community, make_member
from playwright.sync_api import expect
from test_browser_join_request import browser_page, log_in

from chat import services
from chat.models import Message, Room

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def anna_and_ben_in(title, slug):
    """Anna (anna@stadt.de) and Ben (ben@kreis.de) in the internal community
    ``title`` and its room "Allgemein": (anna, ben, room)."""
    community = make_community(title=title, slug=slug, visibility="internal")
    anna, ben = (
        make_member(community, UserFactory(email=email, display_name=name)).user
        for email, name in (
            ("anna@stadt.de", "Anna Asmus"),
            ("ben@kreis.de", "Ben Berg"),
        )
    )
    return anna, ben, Room.objects.get(community=community, name="Allgemein")


def write(page, text):
    box = page.get_by_label("Nachricht", exact=True)
    box.fill(text)
    box.press("Enter")


class Network:
    """A browser context's network for the chat socket, switched off and on
    as a lost connection would be: going offline drops the open websocket,
    and new ones are refused until it comes back. (Chromium's offline mode
    leaves websockets alone, so Playwright's websocket routing does it.)"""

    def __init__(self, page):
        self.page = page
        self.offline = False
        self.sockets = []
        self.dropping = 0  # message frames from the server to lose
        page.context.route_web_socket(re.compile(r"/ws/$"), self.route)

    def route(self, socket):
        if self.offline:
            socket.close()
            return
        server = socket.connect_to_server()
        server.on_message(lambda text: self.from_server(socket, text))
        self.sockets.append(socket)

    def from_server(self, socket, text):
        if self.dropping and json.loads(text).get("type") == "message":
            self.dropping -= 1
            return
        socket.send(text)

    def go_offline(self):
        self.offline = True
        self.page.context.set_offline(True)
        for socket in self.sockets:
            socket.close()
        self.sockets.clear()

    def go_online(self):
        self.offline = False
        self.page.context.set_offline(False)


def bodies(page):
    return [
        re.sub(r"\s+", " ", text).strip()
        for text in page.locator(".chat-messages .chat-message__body").all_inner_texts()
    ]


def both_in_the_room(chromium, base, room, annas_email, bens_email):
    """Anna's and Ben's pages (each in its own browser context) in ``room``,
    subscribed; Ben's network can be taken away."""
    anna = browser_page(chromium)
    log_in(anna, base, annas_email)
    ben = browser_page(chromium)
    bens_network = Network(ben)
    log_in(ben, base, bens_email)
    for page in (anna, ben):
        page.goto(f"{base}/chat/{room.pk}/")
        expect(page.locator(".chat-room")).to_have_attribute(
            "data-chat-connection", "subscribed"
        )
    return anna, ben, bens_network


def test_two_people_chat_one_goes_offline_and_nothing_is_lost(
    chromium, asgi_live_server
):
    base = asgi_live_server
    community = make_community(
        title="Digitalisierung", slug="digitalisierung", visibility="internal"
    )
    make_member(
        community,
        UserFactory(
            email="anna.asmus@stadt-beispiel.de",
            display_name="Anna Asmus",
            organisation=OrganisationFactory(name="Stadt Beispielstadt"),
        ),
    )
    make_member(
        community,
        UserFactory(
            email="ben.berg@kreis-beispiel.de",
            display_name="Ben Berg",
            organisation=OrganisationFactory(name="Landkreis Beispiel"),
        ),
    )
    room = Room.objects.get(community=community, name="Allgemein")

    anna, ben, bens_network = both_in_the_room(
        chromium,
        base,
        room,
        "anna.asmus@stadt-beispiel.de",
        "ben.berg@kreis-beispiel.de",
    )

    write(anna, "Guten Morgen! Wer nutzt schon die E-Akte?")
    expect(ben.locator(".chat-messages")).to_contain_text("Wer nutzt schon die E-Akte?")
    expect(ben.locator(".chat-messages")).to_contain_text("Stadt Beispielstadt")
    expect(ben.locator(".chat-room__presence")).to_contain_text("Anna Asmus")

    # Ben types: Anna sees it.
    ben.get_by_label("Nachricht", exact=True).press_sequentially("Wir")
    expect(anna.locator("[data-chat-typing]")).to_contain_text("Ben Berg schreibt")
    ben.get_by_label("Nachricht", exact=True).fill("")

    # Ben loses the network and writes anyway.
    bens_network.go_offline()
    expect(ben.locator(".chat-room")).to_have_attribute(
        "data-chat-connection", "offline"
    )
    write(ben, "Wir seit 2023, mit gutem Erfolg.")
    expect(ben.locator(".chat-message--pending")).to_contain_text("wird gesendet")
    write(anna, "Und wie lief die Schulung?")
    write(anna, "Wir planen gerade die Einführung.")
    expect(anna.locator(".chat-messages")).to_contain_text("planen gerade")

    # Back online: Ben's message goes out, Anna's two come in.
    bens_network.go_online()
    expect(ben.locator(".chat-message--pending")).to_have_count(0, timeout=30_000)
    expect(ben.locator(".chat-messages")).to_contain_text("planen gerade")
    expect(anna.locator(".chat-messages")).to_contain_text("Wir seit 2023")

    # An @mention, picked from the suggestions with the keyboard.
    box = anna.get_by_label("Nachricht", exact=True)
    box.press_sequentially("Danke @Ben")
    option = anna.get_by_role("option", name=re.compile("Ben Berg"))
    expect(option).to_be_visible()
    box.press("ArrowDown")
    box.press("Enter")  # picks Ben, does not send
    expect(box).to_have_value(re.compile(r"^Danke \[@Ben Berg\]\(/mitglieder/\d+/\) $"))
    box.press_sequentially("!")
    box.press("Enter")
    expect(ben.locator(".chat-messages a", has_text="@Ben Berg")).to_be_visible()
    mentioned = Message.objects.filter(room=room).latest("pk")
    assert [user.display_name for user in mentioned.mentions.all()] == ["Ben Berg"]

    expected = [m.body for m in Message.objects.filter(room=room).order_by("pk")]
    assert len(expected) == 5
    for page in (anna, ben):
        shown = bodies(page)
        assert shown[:4] == expected[:4], shown
        assert shown[4] == "Danke @Ben Berg !", shown


def test_the_header_shows_unread_messages_on_every_page(chromium, asgi_live_server):
    base = asgi_live_server
    anna_user, ben_user, room = anna_and_ben_in("Bauen", "bauen")
    direct, _created = services.direct_open(actor=anna_user, user_ids=[ben_user.pk])

    anna = browser_page(chromium)
    log_in(anna, base, "anna@stadt.de")
    ben = browser_page(chromium)
    log_in(ben, base, "ben@kreis.de")
    chat_link = ben.get_by_role("link", name=re.compile("^Chat"))
    badge = ben.locator("[data-chat-badge]")
    count = badge.locator("[data-chat-badge-count]")
    ben.goto(f"{base}/communities/")
    expect(chat_link).to_have_accessible_name("Chat")
    expect(badge).to_be_hidden()

    anna.goto(f"{base}/chat/{direct.pk}/")
    write(anna, "Hallo Ben, hast du kurz Zeit?")
    expect(anna.locator(".chat-message--pending")).to_have_count(0)
    ben.reload()
    expect(count).to_have_text("1")
    expect(chat_link).to_have_accessible_name(
        re.compile(r"^Chat ?, 1 ungelesene Nachricht$")
    )

    # In another room of the chat, the badge counts along.
    ben.goto(f"{base}/chat/{room.pk}/")
    expect(ben.locator(".chat-room")).to_have_attribute(
        "data-chat-connection", "subscribed"
    )
    write(anna, "Es geht um den Bauantrag.")
    expect(chat_link).to_have_accessible_name(
        re.compile(r"^Chat ?, 2 ungelesene Nachrichten$")
    )

    # Reading the conversation empties it.
    ben.locator(".chat-rooms__item", has_text="Anna Asmus").get_by_role("link").click()
    expect(ben.locator(".chat-messages")).to_contain_text("Bauantrag")
    expect(badge).to_be_hidden()

    # A direct conversation suggests its people for an @mention too (once
    # the page's script runs).
    expect(ben.locator(".chat-room")).to_have_attribute(
        "data-chat-connection", "subscribed"
    )
    ben.get_by_label("Nachricht", exact=True).press_sequentially("Danke @An")
    expect(ben.get_by_role("option", name=re.compile("Anna Asmus"))).to_be_visible()


def test_a_message_lost_on_the_way_is_fetched_when_the_next_one_shows_the_gap(
    chromium, asgi_live_server
):
    base = asgi_live_server
    _anna, _ben, room = anna_and_ben_in("Soziales", "soziales")
    anna, ben, bens_network = both_in_the_room(
        chromium, base, room, "anna@stadt.de", "ben@kreis.de"
    )

    # The server's frame of Anna's first message never reaches Ben (as when
    # a server drops frames for a socket that fell behind).
    bens_network.dropping = 1
    write(anna, "Wer kennt sich mit dem Bürgergeld aus?")
    expect(anna.locator(".chat-message--pending")).to_have_count(0)
    write(anna, "Es geht um einen Härtefall.")
    # The second names the first as its predecessor: Ben's page fetches it.
    expect(ben.locator(".chat-messages")).to_contain_text("Härtefall")
    expect(ben.locator(".chat-messages")).to_contain_text("Bürgergeld")
    assert bens_network.dropping == 0
    assert bodies(ben) == [
        "Wer kennt sich mit dem Bürgergeld aus?",
        "Es geht um einen Härtefall.",
    ]


def test_a_name_picked_while_a_lookup_waits_does_not_reopen_the_list(
    chromium, asgi_live_server
):
    """The lookup for "@Ben" waits 200 ms after the last key. A name picked
    from the list of "@Be" before then must not bring the list back: it
    would take the Enter that should send the message."""
    base = asgi_live_server
    _anna, ben_user, room = anna_and_ben_in("Soziales", "soziales")
    anna = browser_page(chromium)
    log_in(anna, base, "anna@stadt.de")
    lookups = []
    anna.on(
        "request",
        lambda request: "erwaehnen" in request.url and lookups.append(request.url),
    )
    anna.clock.install()
    anna.goto(f"{base}/chat/{room.pk}/")
    expect(anna.locator(".chat-room")).to_have_attribute(
        "data-chat-connection", "subscribed"
    )
    # Timers stand still from here; the test moves the clock.
    anna.clock.pause_at(anna.evaluate("Date.now()") + 1_000)
    box = anna.get_by_label("Nachricht", exact=True)
    box.press_sequentially("Danke @Be")
    anna.clock.run_for(300)
    expect(anna.get_by_role("option", name=re.compile("Ben Berg"))).to_be_visible()
    assert [url for url in lookups if "q=Be" in url]

    box.press("n")  # the lookup for "@Ben" waits for the clock
    box.press("ArrowDown")
    box.press("Enter")  # picks Ben from the list of "@Be"
    expect(box).to_have_value(f"Danke [@Ben Berg](/mitglieder/{ben_user.pk}/) ")
    anna.clock.run_for(1_000)
    assert not [url for url in lookups if "q=Ben" in url]
    expect(anna.get_by_role("listbox")).to_be_hidden()

    box.press_sequentially("!")
    box.press("Enter")  # sends
    expect(box).to_have_value("")
    anna.clock.resume()
    expect(anna.locator(".chat-messages a", has_text="@Ben Berg")).to_be_visible()
    expect(anna.locator(".chat-message--pending")).to_have_count(0)


def test_a_search_hit_opens_the_room_at_an_old_message(chromium, asgi_live_server):
    base = asgi_live_server
    _anna, ben_user, room = anna_and_ben_in("Bauen", "bauen")
    for number in range(90):
        services.message_send(
            author=ben_user,
            room=room,
            body="Die Vorlage zur Hitzewarnung liegt im Wiki."
            if number == 10
            else f"Nachricht {number}",
            client_id=uuid.uuid4(),
            broadcast=False,
        )

    anna = browser_page(chromium)
    log_in(anna, base, "anna@stadt.de")
    anna.goto(f"{base}/suche/?q=Hitzewarnung")
    anna.locator(".search-hit").get_by_role("link").first.click()
    expect(anna).to_have_url(re.compile(rf"/chat/{room.pk}/\?um=\d+#nachricht-\d+$"))
    target = anna.locator(".chat-message--target")
    expect(target).to_contain_text("Die Vorlage zur Hitzewarnung liegt im Wiki.")
    expect(target).to_be_in_viewport()
    expect(anna.get_by_role("link", name="Neuere Nachrichten")).to_be_attached()
    expect(anna.locator(".chat-room")).to_have_attribute(
        "data-chat-connection", "subscribed"
    )

    # A new message does not join this old page: the room counts it unread.
    ben = browser_page(chromium)
    log_in(ben, base, "ben@kreis.de")
    ben.goto(f"{base}/chat/{room.pk}/")
    write(ben, "Ganz neu: die Warnung von heute.")
    unread = anna.locator(".chat-rooms__item", has_text="Allgemein").locator(
        ".chat-unread"
    )
    expect(unread).to_have_text("1 ungelesen")
    expect(anna.locator(".chat-messages")).not_to_contain_text("Ganz neu")

    # Writing here opens the room at its newest, with both messages.
    write(anna, "Danke, gefunden!")
    expect(anna).to_have_url(re.compile(rf"/chat/{room.pk}/(#ende)?$"))
    messages = anna.locator(".chat-messages")
    expect(messages).to_contain_text("Ganz neu: die Warnung von heute.")
    expect(messages).to_contain_text("Danke, gefunden!")
    assert Message.objects.filter(body="Danke, gefunden!").count() == 1
