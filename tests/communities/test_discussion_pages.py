"""Discussions in the browser (without JavaScript) and through the API: what
a member sees and can do, from the thread list to the solution."""

import re
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from factories import client_for
from factories.communities import make_community, make_member
from factories.discussions import make_post, make_thread
from wagtail.documents.models import Document

from communities.discussions import selectors
from communities.models import (
    Attachment,
    Post,
    PostRevision,
    Reaction,
    Thread,
    ThreadSubscription,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def community():
    return make_community(title="Klimaschutz", slug="klima", visibility="internal")


def test_start_a_thread_in_the_browser(community, member):
    client = client_for(member)
    form = client.get("/communities/klima/diskussionen/neu/")
    assert form.status_code == 200
    token = re.search(r'name="form_token" value="([^"]+)"', form.text).group(1)
    response = client.post(
        "/communities/klima/diskussionen/neu/",
        {
            "title": "Hitzeaktionsplan: wer hat eine Vorlage?",
            "body": "Wir suchen eine **Vorlage**.",
            "tags": "Hitzeschutz, Vorlage",
            "form_token": token,
        },
        follow=True,
    )
    thread = Thread.objects.get()
    assert (
        response.redirect_chain[-1][0]
        == f"/communities/klima/diskussionen/{thread.pk}/"
    )
    assert "Ihre Diskussion wurde eröffnet." in response.text
    assert "<strong>Vorlage</strong>" in response.text
    assert sorted(t.name for t in thread.tags.all()) == ["Hitzeschutz", "Vorlage"]
    assert ThreadSubscription.objects.filter(thread=thread, user=member).exists()

    listing = client.get("/communities/klima/diskussionen/")
    assert "Hitzeaktionsplan: wer hat eine Vorlage?" in listing.text
    assert "1 Diskussion" in listing.text


def test_the_same_form_sent_twice_posts_once(community, member):
    client = client_for(member)
    token = str(uuid.uuid4())
    data = {"title": "Doppelt?", "body": "Einmal bitte.", "form_token": token}
    first = client.post("/communities/klima/diskussionen/neu/", data)
    second = client.post("/communities/klima/diskussionen/neu/", data, follow=True)
    assert first.status_code == 302
    assert Thread.objects.count() == 1 and Post.objects.count() == 1
    assert "Dieser Beitrag wurde bereits gespeichert." in second.text

    thread = Thread.objects.get()
    reply = {"body": "Antwort", "form_token": str(uuid.uuid4())}
    url = f"/communities/klima/diskussionen/{thread.pk}/antworten/"
    client.post(url, reply)
    client.post(url, reply)
    assert thread.posts.count() == 2
    thread.refresh_from_db()
    assert thread.reply_count == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "   ", "body": "Text"}, "Bitte geben Sie einen Titel ein."),
        ({"title": "Titel", "body": " \n "}, "Bitte schreiben Sie einen Text."),
        ({"title": "x" * 201, "body": "Text"}, "höchstens 200 Zeichen"),
        ({"title": "Titel", "body": "x" * 50_001}, "höchstens 50000 Zeichen"),
        (
            {
                "title": "Titel",
                "body": "Text",
                "tags": ",".join(f"t{i}" for i in range(11)),
            },
            "Höchstens 10 Schlagwörter",
        ),
        ({"title": "Titel", "body": "Text", "tags": "x" * 51}, "höchstens 50 Zeichen"),
    ],
)
def test_bad_thread_input_is_refused_in_german_and_kept(
    community, member, data, message
):
    response = client_for(member).post("/communities/klima/diskussionen/neu/", data)
    assert response.status_code == 400
    assert message in response.text
    assert Thread.objects.count() == 0 and Post.objects.count() == 0
    # The text the person wrote is still in the form.
    if data["body"].strip():
        assert data["body"][:100] in response.text


def test_reply_quote_and_permalink_to_a_later_page(community, member):
    thread = make_thread(community, member)
    for i in range(selectors.POSTS_PER_PAGE):
        make_post(thread, body=f"Antwort {i}")
    client = client_for(member)
    response = client.post(
        f"/communities/klima/diskussionen/{thread.pk}/antworten/",
        {"body": "> Zitat\n\nMeine Antwort", "form_token": str(uuid.uuid4())},
    )
    post = Post.objects.latest("pk")
    assert response.status_code == 302
    assert response["Location"] == (
        f"/communities/klima/diskussionen/{thread.pk}/?page=2#beitrag-{post.pk}"
    )
    permalink = client.get(f"/beitrag/{post.pk}/")
    assert permalink["Location"] == response["Location"]
    page2 = client.get(f"/communities/klima/diskussionen/{thread.pk}/?page=2")
    assert f'id="beitrag-{post.pk}"' in page2.text
    assert "<blockquote>" in page2.text


def test_unread_marks_in_the_list(community, member):
    reader = make_member(community).user
    thread = make_thread(community, member, title="Neue Frage")
    client = client_for(reader)
    assert "thread-item--unread" in client.get("/communities/klima/diskussionen/").text
    client.get(f"/communities/klima/diskussionen/{thread.pk}/")
    assert (
        "thread-item--unread" not in client.get("/communities/klima/diskussionen/").text
    )
    reply = make_post(thread, member, body="Nachtrag")
    listing = client.get("/communities/klima/diskussionen/")
    assert "thread-item--unread" in listing.text
    jump = client.get(f"/communities/klima/diskussionen/{thread.pk}/ungelesen/")
    assert jump["Location"].endswith(f"#beitrag-{reply.pk}")
    page = client.get(f"/communities/klima/diskussionen/{thread.pk}/")
    assert "post--new" in page.text


def test_sorts_and_tag_filter(community, member):
    answered = make_thread(community, member, title="Beantwortet", tags=["OZG"])
    make_post(answered)
    make_thread(community, member, title="Offen", tags=["E-Akte"])
    solved = make_thread(community, member, title="Erledigt")
    solved.solution = make_post(solved)
    solved.save()
    client = client_for(member)

    def titles(query):
        text = client.get(f"/communities/klima/diskussionen/?{query}").text
        return re.findall(r'thread-item__title">\s*<a[^>]*>([^<]+)</a>', text)

    assert titles("sort=unanswered") == ["Offen"]
    assert titles("sort=solved") == ["Erledigt"]
    assert titles("tag=ozg") == ["Beantwortet"]
    assert set(titles("sort=new")) == {"Beantwortet", "Offen", "Erledigt"}


def test_solution_edit_history_delete_and_reactions(community, member, moderator):
    thread = make_thread(community, member)
    helper = make_member(community).user
    answer = make_post(thread, helper, body="So geht es.")
    client = client_for(member)
    url = f"/communities/klima/diskussionen/{thread.pk}/"

    client.post(f"{url}loesung/", {"post_id": answer.pk})
    thread.refresh_from_db()
    assert thread.solution == answer
    page = client.get(url).text
    assert "Gelöst" in page and 'aria-labelledby="solution-title"' in page

    helper_client = client_for(helper)
    helper_client.post(
        f"/beitrag/{answer.pk}/bearbeiten/", {"body": "So geht es besser."}
    )
    assert PostRevision.objects.filter(post=answer).count() == 1
    page = helper_client.get(url).text
    assert "bearbeitet" in page and f"/beitrag/{answer.pk}/versionen/" in page
    history = helper_client.get(f"/beitrag/{answer.pk}/versionen/")
    assert "So geht es." in history.text
    assert client.get(f"/beitrag/{answer.pk}/versionen/").status_code == 403
    assert (
        client_for(moderator).get(f"/beitrag/{answer.pk}/versionen/").status_code == 200
    )

    client.post(f"/beitrag/{answer.pk}/reaktion/", {"emoji": "👍"})
    assert Reaction.objects.filter(post=answer).count() == 1
    # The button toggles: pressed again (with htmx), the reaction is taken back.
    hx = client.post(
        f"/beitrag/{answer.pk}/reaktion/",
        {"emoji": "👍"},
        headers={"HX-Request": "true"},
    )
    assert hx.status_code == 200 and 'class="reactions"' in hx.text
    assert "reaction--mine" not in hx.text
    assert Reaction.objects.filter(post=answer).count() == 0
    hx = client.post(
        f"/beitrag/{answer.pk}/reaktion/",
        {"emoji": "💡"},
        headers={"HX-Request": "true"},
    )
    assert 'value="💡" class="reaction reaction--mine" aria-pressed="true"' in hx.text
    bad = client.post(f"/beitrag/{answer.pk}/reaktion/", {"emoji": "💩"}, follow=True)
    assert "Diese Reaktion gibt es nicht." in bad.text
    assert Reaction.objects.filter(post=answer).count() == 1

    reply = make_post(thread, member, body="Danke!")
    make_post(thread, helper, body="Gern", reply_to=reply)
    client.post(f"/beitrag/{reply.pk}/loeschen/", {})
    page = client.get(url).text
    assert "Beitrag gelöscht" in page and "Danke!" not in page
    assert "Gern" in page


def test_moderator_locks_pins_and_hides_with_reason(community, member, moderator):
    thread = make_thread(community, member)
    post = make_post(thread, member, body="Werbung für ein Produkt")
    mod = client_for(moderator)
    url = f"/communities/klima/diskussionen/{thread.pk}/"
    mod.post(f"{url}moderieren/", {"action": "lock"})
    mod.post(f"{url}moderieren/", {"action": "pin"})
    thread.refresh_from_db()
    assert thread.locked and thread.pinned
    refused = client_for(member).post(
        f"{url}antworten/", {"body": "Noch was", "form_token": str(uuid.uuid4())}
    )
    assert refused.status_code == 403
    assert "gesperrt" in refused.text
    mod.post(f"/beitrag/{post.pk}/loeschen/", {"reason": "Werbung"})
    page = client_for(member).get(url).text
    assert "Beitrag von der Moderation entfernt." in page and "Werbung" in page
    assert (
        client_for(member).post(f"{url}moderieren/", {"action": "unlock"}).status_code
        == 403
    )


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _attach(post, name="Vorlage.pdf"):
    document = Document.objects.create(
        title=name, file=SimpleUploadedFile(name, b"%PDF-1.4 Vorlage")
    )
    Attachment.objects.create(
        document=document, community=post.thread.community, post=post
    )


def _grow(thread, people, replies):
    for i in range(replies):
        post = make_post(thread, people[i % len(people)], body=f"Antwort **{i}**")
        for person in people:
            for emoji in ("👍", "💡"):
                Reaction.objects.create(post=post, user=person, emoji=emoji)
        _attach(post, f"Anlage-{i}.pdf")


def test_thread_page_and_list_run_a_fixed_number_of_queries(
    community, member, django_assert_max_num_queries
):
    """Pinned: the number of queries does not depend on the number of posts,
    reactions, tags and attachments (and stays under a small ceiling)."""
    people = [make_member(community).user for _ in range(3)]
    small = make_thread(community, member, tags=["A"])
    _grow(small, people, 1)
    large = make_thread(community, member, tags=["A", "B", "C", "D"])
    _grow(large, people, selectors.POSTS_PER_PAGE + 5)
    large.solution = large.posts.last()
    large.save()
    for i in range(30):
        make_thread(community, people[i % 3], tags=[f"T{i}", "A"])
    client = client_for(member)
    base = "/communities/klima/diskussionen/"
    client.get(f"{base}{small.pk}/")  # the first visit writes the read mark
    client.get(f"{base}{large.pk}/")

    small_count = _queries(client, f"{base}{small.pk}/")
    large_count = _queries(client, f"{base}{large.pk}/")
    assert large_count == small_count
    with django_assert_max_num_queries(16):
        client.get(f"{base}{large.pk}/?page=2")

    community2 = make_community(slug="klein", visibility="internal")
    make_member(community2, member)
    make_thread(community2, member, tags=["A"])
    few = _queries(client, "/communities/klein/diskussionen/")
    many = _queries(client, base)
    assert many == few
    api_few = _queries(client, "/api/v1/communities/klein/threads")
    api_many = _queries(client, "/api/v1/communities/klima/threads")
    assert api_many == api_few
    assert _queries(client, f"/api/v1/threads/{large.pk}") == _queries(
        client, f"/api/v1/threads/{small.pk}"
    )
    with django_assert_max_num_queries(12):
        client.get(base)


# --- API ---------------------------------------------------------------------


def test_api_thread_lifecycle(community, member, moderator):
    client = client_for(member)
    created = client.post(
        "/api/v1/communities/klima/threads",
        {
            "title": "E-Akte in kleinen Gemeinden?",
            "body": "Erfahrungen?",
            "tags": ["E-Akte"],
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    thread = created.json()
    assert thread["title"] == "E-Akte in kleinen Gemeinden?"
    assert (
        thread["body_html"] == "<p>Erfahrungen?</p>\n"
        or "Erfahrungen?" in thread["body_html"]
    )
    assert thread["tags"] == ["E-Akte"] and thread["solved"] is False

    other = client_for(make_member(community).user)
    reply = other.post(
        f"/api/v1/threads/{thread['id']}/posts",
        {"body": "Läuft gut bei uns."},
        content_type="application/json",
    )
    assert reply.status_code == 201
    post_id = reply.json()["id"]

    assert (
        other.post(
            f"/api/v1/posts/{post_id}/reactions",
            {"emoji": "💡"},
            content_type="application/json",
        ).status_code
        == 201
    )
    twice = other.post(
        f"/api/v1/posts/{post_id}/reactions",
        {"emoji": "💡"},
        content_type="application/json",
    )
    assert twice.status_code == 409 and twice.json()["code"] == "already_reacted"

    solution = client.post(
        f"/api/v1/threads/{thread['id']}/solution",
        {"post_id": post_id},
        content_type="application/json",
    )
    assert solution.json()["solved"] is True
    assert solution.json()["solution_post_id"] == post_id

    detail = client.get(f"/api/v1/threads/{thread['id']}").json()
    assert detail["posts"]["count"] == 1
    assert detail["posts"]["items"][0]["reactions"][2] == {
        "emoji": "💡",
        "count": 1,
        "mine": False,
    }

    edited = other.patch(
        f"/api/v1/posts/{post_id}",
        {"body": "Läuft sehr gut."},
        content_type="application/json",
    )
    assert edited.status_code == 200 and edited.json()["edited"]
    history = other.get(f"/api/v1/posts/{post_id}/history").json()
    assert [h["body"] for h in history] == ["Läuft gut bei uns."]
    assert client.get(f"/api/v1/posts/{post_id}/history").status_code == 403

    locked = client_for(moderator).patch(
        f"/api/v1/threads/{thread['id']}",
        {"locked": True},
        content_type="application/json",
    )
    assert locked.json()["locked"] is True
    refused = other.post(
        f"/api/v1/threads/{thread['id']}/posts",
        {"body": "Noch was"},
        content_type="application/json",
    )
    assert refused.status_code == 403
    assert (
        client.patch(
            f"/api/v1/threads/{thread['id']}",
            {"pinned": True},
            content_type="application/json",
        ).status_code
        == 403
    )

    listing = client.get("/api/v1/communities/klima/threads?sort=solved").json()
    assert [t["id"] for t in listing["items"]] == [thread["id"]]

    assert other.delete(f"/api/v1/threads/{thread['id']}/subscription").json() == {
        "thread": thread["id"],
        "watching": False,
    }


def test_api_bad_input(community, member):
    client = client_for(member)
    thread = make_thread(community, member)
    other_thread = make_thread(community, member)
    other_post = make_post(other_thread)
    cases = [
        ("/api/v1/communities/klima/threads", {"title": " ", "body": "x"}),
        ("/api/v1/communities/klima/threads", {"title": "x" * 201, "body": "x"}),
        ("/api/v1/communities/klima/threads", {"title": "T", "body": "x" * 50_001}),
        (
            "/api/v1/communities/klima/threads",
            {"title": "T", "body": "x", "tags": [f"t{i}" for i in range(11)]},
        ),
        (f"/api/v1/threads/{thread.pk}/posts", {"body": ""}),
        (f"/api/v1/threads/{thread.pk}/solution", {"post_id": other_post.pk}),
        (
            f"/api/v1/threads/{thread.pk}/posts",
            {"body": "x", "reply_to": other_post.pk},
        ),
    ]
    for url, data in cases:
        response = client.post(url, data, content_type="application/json")
        assert response.status_code == 400, (url, data, response.content)
        assert response.json()["detail"]
    assert Thread.objects.count() == 2
    assert Post.objects.count() == 3
