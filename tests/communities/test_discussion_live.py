"""Live posts in a thread over the websocket (``watch_thread``): who may watch,
what watchers receive after a reply, an edit or a deletion commits, and the
German error frames for bad requests, with the connection left open."""

import pytest
from asgiref.sync import sync_to_async
from factories import UserFactory
from factories.communities import make_community, make_member
from factories.discussions import make_thread
from factories.websocket import (
    assert_closed_as_forbidden,
    assert_error,
    no_persistent_connections,  # noqa: F401 - autouse in this module
    open_socket,
    private_community_with,
)

from communities import services as community_services
from communities.discussions import realtime as discussions_realtime
from communities.discussions.models import Post
from communities.discussions.services import post_create, post_delete, post_edit

NO_SUCH_THREAD = "Diese Diskussion gibt es nicht."

# Consumers reach the database from other threads, so the data must be
# committed (and so the services' on_commit broadcasts run); see
# tests/kommunect/test_websocket.py for serialized_rollback.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


async def watch(socket, thread_id):
    await socket.send_json_to({"type": "watch_thread", "thread": thread_id})
    return await socket.receive_json_from(timeout=3)


@sync_to_async
def private_thread():
    """A private community with its owner, two members and a thread."""
    community, owner, anna, bernd = private_community_with(
        "Anna Schmidt", "Bernd Becker"
    )
    thread = make_thread(community, anna)
    return community, owner, anna, bernd, thread


reply = sync_to_async(post_create)


@pytest.mark.asyncio
async def test_a_reply_reaches_the_other_member_watching_the_thread():
    _community, _owner, anna, bernd, thread = await private_thread()
    annas_tab, bernds_tab = await open_socket(anna), await open_socket(bernd)
    for tab in (annas_tab, bernds_tab):
        assert await watch(tab, thread.pk) == {"type": "watching", "thread": thread.pk}

    post = await reply(author=anna, thread=thread, body="Die **Vorlage** hängt an.")

    event = await bernds_tab.receive_json_from(timeout=3)
    assert event["type"] == "post"
    assert event["thread"] == thread.pk
    assert event["id"] == post.pk
    assert event["author"] == {"id": anna.pk, "display_name": "Anna Schmidt"}
    assert event["body_html"] == post.body_html
    assert "<strong>Vorlage</strong>" in event["body_html"]
    assert event["created"] == post.created.isoformat()
    assert event["url"] == f"/beitrag/{post.pk}/"
    assert (await annas_tab.receive_json_from(timeout=3))["id"] == post.pk
    await annas_tab.disconnect()
    await bernds_tab.disconnect()


@pytest.mark.asyncio
async def test_a_reply_in_another_thread_is_not_sent():
    community, _owner, anna, bernd, thread = await private_thread()
    other_thread = await sync_to_async(make_thread)(community, anna)
    socket = await open_socket(bernd)
    await watch(socket, thread.pk)

    await reply(author=anna, thread=other_thread, body="Anderes Thema.")

    assert await socket.receive_nothing(timeout=0.5)
    await socket.disconnect()


@pytest.mark.asyncio
async def test_edits_and_deletions_reach_the_watchers():
    _community, _owner, anna, bernd, thread = await private_thread()
    post = await reply(author=anna, thread=thread, body="Erste Fassung.")
    socket = await open_socket(bernd)
    await watch(socket, thread.pk)

    await sync_to_async(post_edit)(editor=anna, post=post, body="Zweite _Fassung_.")
    edited = await socket.receive_json_from(timeout=3)
    await sync_to_async(post_delete)(actor=anna, post=post)
    deleted = await socket.receive_json_from(timeout=3)

    assert edited["type"] == "post_edited"
    assert (edited["thread"], edited["id"]) == (thread.pk, post.pk)
    assert "<em>Fassung</em>" in edited["body_html"]
    assert deleted == {"type": "post_deleted", "thread": thread.pk, "id": post.pk}
    await socket.disconnect()


@pytest.mark.asyncio
async def test_an_outsider_cannot_watch_a_private_thread_and_receives_nothing():
    _community, _owner, anna, _bernd, thread = await private_thread()
    outsider = await sync_to_async(UserFactory)()
    socket = await open_socket(outsider)

    answer = await watch(socket, thread.pk)
    await reply(author=anna, thread=thread, body="Nur für Mitglieder.")

    assert answer["type"] == "error"
    assert answer["detail"] == NO_SUCH_THREAD
    assert await socket.receive_nothing(timeout=0.5)
    await socket.disconnect()


@pytest.mark.asyncio
async def test_a_private_thread_answers_like_one_that_does_not_exist():
    _community, _owner, _anna, _bernd, thread = await private_thread()
    outsider = await sync_to_async(UserFactory)()
    socket = await open_socket(outsider)

    hidden = await watch(socket, thread.pk)
    missing = await watch(socket, thread.pk + 1000)

    assert hidden == missing
    assert missing == {"type": "error", "code": "not_found", "detail": NO_SUCH_THREAD}
    await socket.disconnect()


@pytest.mark.asyncio
async def test_a_member_banned_while_watching_is_disconnected_with_4403():
    community, owner, _anna, bernd, thread = await private_thread()
    socket = await open_socket(bernd)
    await watch(socket, thread.pk)

    await sync_to_async(community_services.membership_remove)(
        actor=owner, community=community, user_id=bernd.pk, reason="Spam", ban=True
    )

    await assert_closed_as_forbidden(socket)


@pytest.mark.asyncio
async def test_a_member_who_unwatches_gets_no_more_posts():
    _community, _owner, anna, bernd, thread = await private_thread()
    socket = await open_socket(bernd)
    await watch(socket, thread.pk)

    await socket.send_json_to({"type": "unwatch_thread", "thread": thread.pk})
    answer = await socket.receive_json_from(timeout=3)
    await reply(author=anna, thread=thread, body="Hört keiner mehr.")

    assert answer == {"type": "unwatched", "thread": thread.pk}
    assert await socket.receive_nothing(timeout=0.5)
    await socket.disconnect()


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("frame", "code", "german"),
    [
        ({"type": "watch_thread"}, "invalid_thread", "Nummer einer Diskussion"),
        (
            {"type": "watch_thread", "thread": "abc"},
            "invalid_thread",
            "Nummer einer Diskussion",
        ),
        (
            {"type": "watch_thread", "thread": 1.5},
            "invalid_thread",
            "Nummer einer Diskussion",
        ),
        (
            {"type": "watch_thread", "thread": True},
            "invalid_thread",
            "Nummer einer Diskussion",
        ),
        (
            {"type": "watch_thread", "thread": [1]},
            "invalid_thread",
            "Nummer einer Diskussion",
        ),
        (
            {"type": "watch_thread", "thread": -3},
            "invalid_thread",
            "Nummer einer Diskussion",
        ),
        ({"type": "watch_thread", "thread": 999_999}, "not_found", NO_SUCH_THREAD),
        ({"type": "unwatch_thread"}, "invalid_thread", "Nummer einer Diskussion"),
    ],
)
async def test_a_bad_watch_frame_gets_a_german_error_and_the_connection_stays_open(
    frame, code, german
):
    user = await sync_to_async(UserFactory)()
    socket = await open_socket(user)

    await socket.send_json_to(frame)
    answer = await socket.receive_json_from(timeout=3)

    assert_error(answer, code, german)
    await socket.send_json_to({"type": "watch_thread", "thread": "x"})
    assert (await socket.receive_json_from(timeout=3))["type"] == "error"
    await socket.disconnect()


@pytest.mark.asyncio
async def test_a_thread_id_sent_as_text_is_accepted():
    _community, _owner, anna, _bernd, thread = await private_thread()
    socket = await open_socket(anna)

    answer = await watch(socket, str(thread.pk))

    assert answer == {"type": "watching", "thread": thread.pk}
    await socket.disconnect()


def test_a_reply_is_saved_when_the_channel_layer_is_down(monkeypatch, caplog):
    community = make_community(visibility="public")
    member = make_member(community).user
    thread = make_thread(community, member)

    def layer_down(group, frame):
        raise ConnectionError("Redis nicht erreichbar")

    monkeypatch.setattr(discussions_realtime, "send_to_group", layer_down)

    post = post_create(author=member, thread=thread, body="Trotzdem gespeichert.")

    assert Post.objects.filter(pk=post.pk, body="Trotzdem gespeichert.").exists()
    assert "websocket post for post" in caplog.text


@pytest.mark.asyncio
async def test_a_reconnecting_reader_first_gets_the_replies_it_missed():
    _community, _owner, anna, bernd, thread = await private_thread()
    seen = await reply(author=anna, thread=thread, body="Schon gesehen.")
    missed = [
        await reply(author=anna, thread=thread, body=f"Verpasst {number}.")
        for number in (1, 2)
    ]
    gone = await reply(author=anna, thread=thread, body="Gelöscht.")
    await sync_to_async(post_delete)(actor=anna, post=gone)
    socket = await open_socket(bernd)

    await socket.send_json_to(
        {"type": "watch_thread", "thread": thread.pk, "after": seen.pk}
    )
    frames = [await socket.receive_json_from(timeout=3) for _ in range(3)]

    assert [(f["type"], f.get("id")) for f in frames] == [
        ("post", missed[0].pk),
        ("post", missed[1].pk),
        ("watching", None),
    ]
    assert frames[0]["body_html"] == missed[0].body_html
    assert frames[2] == {"type": "watching", "thread": thread.pk, "more": False}
    assert await socket.receive_nothing(timeout=0.2)
    await socket.disconnect()


@pytest.mark.asyncio
async def test_a_reader_who_missed_too_much_is_told_there_is_more(monkeypatch):
    monkeypatch.setattr(discussions_realtime, "MAX_CATCH_UP", 1)
    _community, _owner, anna, bernd, thread = await private_thread()
    first = await reply(author=anna, thread=thread, body="Eins.")
    await reply(author=anna, thread=thread, body="Zwei.")
    socket = await open_socket(bernd)

    await socket.send_json_to({"type": "watch_thread", "thread": thread.pk, "after": 0})
    frames = [await socket.receive_json_from(timeout=3) for _ in range(2)]

    assert frames[0]["id"] == thread.opening_post_id
    assert frames[1] == {"type": "watching", "thread": thread.pk, "more": True}
    assert first.pk not in [frame.get("id") for frame in frames]
    await socket.disconnect()


@pytest.mark.asyncio
@pytest.mark.parametrize("after", ["abc", -1, 1.5, False, {"id": 1}])
async def test_a_bad_after_gets_a_german_error_and_no_subscription(after):
    _community, _owner, anna, _bernd, thread = await private_thread()
    socket = await open_socket(anna)

    await socket.send_json_to(
        {"type": "watch_thread", "thread": thread.pk, "after": after}
    )
    answer = await socket.receive_json_from(timeout=3)
    await reply(author=anna, thread=thread, body="Nicht abonniert.")

    assert answer["code"] == "invalid_after"
    assert "Nummer eines Beitrags" in answer["detail"]
    assert await socket.receive_nothing(timeout=0.5)
    await socket.disconnect()
