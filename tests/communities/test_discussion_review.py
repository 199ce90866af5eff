"""Review of the discussions: side doors of a private community, bans, locks,
bad input on pages and in the API, and what half-finished requests leave
behind. Every case asserts what the person at the browser or the API client
sees: the status, the German message, and that nothing was saved."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from factories import UserFactory, client_for
from factories.communities import make_community, make_member
from factories.discussions import make_post, make_thread

from communities.discussions.attachments import (
    MAX_ATTACHMENTS_PER_POST,
    attachment_upload,
)
from communities.discussions.services import post_edit
from communities.models import Post, PostRevision, Reaction, Thread

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


def api_post(client, url, data):
    return client.post(url, data, content_type="application/json")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def community():
    return make_community(title="Klimaschutz", slug="klima", visibility="public")


@pytest.fixture
def thread(community, member):
    return make_thread(community, member, title="Hitzeaktionsplan", tags=["Hitze"])


@pytest.fixture
def reply(thread, community):
    return make_post(thread, make_member(community).user, body="Unsere Vorlage.")


# --- a private community does not exist for outsiders ------------------------


@pytest.fixture
def private_world():
    community = make_community(slug="geheim", visibility="private")
    author = make_member(community).user
    thread = make_thread(community, author, title="Interne Personalfrage")
    post = make_post(thread, author, body="Geheime Antwort")
    post_edit(editor=author, post=post, body="Geheime Antwort, geändert")
    Reaction.objects.create(post=post, user=author, emoji="👍")
    return community, thread, post


def private_urls(thread, post):
    base = f"/communities/geheim/diskussionen/{thread.pk}/"
    return {
        "get": [
            "/communities/geheim/diskussionen/",
            "/communities/geheim/diskussionen/neu/",
            base,
            f"{base}?page=2",
            f"{base}ungelesen/",
            f"{base}bearbeiten/",
            f"/beitrag/{post.pk}/",
            f"/beitrag/{post.pk}/html/",
            f"/beitrag/{post.pk}/bearbeiten/",
            f"/beitrag/{post.pk}/loeschen/",
            f"/beitrag/{post.pk}/versionen/",
            "/communities/geheim/erwaehnen/?q=a",
            "/communities/geheim/diskussionen/schlagwoerter/?q=",
            "/api/v1/communities/geheim/threads",
            f"/api/v1/threads/{thread.pk}",
            f"/api/v1/posts/{post.pk}/history",
        ],
        "post": [
            ("/communities/geheim/diskussionen/neu/", {"title": "T", "body": "B"}),
            (f"{base}antworten/", {"body": "Hallo"}),
            (f"{base}bearbeiten/", {"title": "Neu"}),
            (f"{base}loesung/", {"post_id": post.pk}),
            (f"{base}moderieren/", {"action": "lock"}),
            (f"{base}beobachten/", {"watch": "1"}),
            (f"/beitrag/{post.pk}/bearbeiten/", {"body": "Überschrieben"}),
            (f"/beitrag/{post.pk}/loeschen/", {}),
            (f"/beitrag/{post.pk}/reaktion/", {"emoji": "👍"}),
            ("/communities/geheim/anhaenge/", {}),
        ],
        "api": [
            ("post", "/api/v1/communities/geheim/threads", {"title": "T", "body": "B"}),
            ("post", f"/api/v1/threads/{thread.pk}/posts", {"body": "Hallo"}),
            ("patch", f"/api/v1/threads/{thread.pk}", {"title": "Neu"}),
            ("post", f"/api/v1/threads/{thread.pk}/solution", {"post_id": post.pk}),
            ("post", f"/api/v1/threads/{thread.pk}/subscription", {}),
            ("patch", f"/api/v1/posts/{post.pk}", {"body": "Neu"}),
            ("delete", f"/api/v1/posts/{post.pk}", {}),
            ("post", f"/api/v1/posts/{post.pk}/reactions", {"emoji": "👍"}),
            ("delete", f"/api/v1/posts/{post.pk}/reactions", {"emoji": "👍"}),
            ("post", "/api/v1/communities/geheim/attachments", {}),
        ],
    }


@pytest.mark.parametrize("who", ["platform user", "banned member", "pending"])
def test_every_door_of_a_private_thread_is_a_404_for_outsiders(private_world, who):
    community, thread, post = private_world
    outsider = UserFactory()
    if who == "banned member":
        make_member(community, outsider, state="banned")
    elif who == "pending":
        make_member(community, outsider, state="pending")
    client = client_for(outsider)
    urls = private_urls(thread, post)
    for url in urls["get"]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Interne Personalfrage" not in response.text, url
        assert "Geheime Antwort" not in response.text, url
    for url, data in urls["post"]:
        response = client.post(url, data)
        assert response.status_code == 404, url
    for method, url, data in urls["api"]:
        response = getattr(client, method)(url, data, content_type="application/json")
        assert response.status_code == 404, (method, url)
        assert response.json()["detail"] == "Nicht gefunden."
    post.refresh_from_db()
    thread.refresh_from_db()
    assert post.body == "Geheime Antwort, geändert" and post.deleted is None
    assert not thread.locked and thread.title == "Interne Personalfrage"
    assert thread.posts.count() == 2 and Thread.objects.count() == 1
    assert Reaction.objects.count() == 1


def test_anonymous_visitors_find_no_private_thread_pages(private_world):
    _community, thread, post = private_world
    client = client_for()
    for url in [
        "/communities/geheim/diskussionen/",
        f"/communities/geheim/diskussionen/{thread.pk}/",
        f"/beitrag/{post.pk}/",
        f"/beitrag/{post.pk}/html/",
        f"/api/v1/threads/{thread.pk}",
        "/api/v1/communities/geheim/threads",
    ]:
        assert client.get(url).status_code == 404, url


def test_a_thread_under_another_communitys_slug_is_not_found(community, thread):
    other = make_community(slug="andere", visibility="public")
    client = client_for(make_member(other).user)
    base = f"/communities/andere/diskussionen/{thread.pk}/"
    for url in [base, f"{base}ungelesen/", f"{base}bearbeiten/"]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Hitzeaktionsplan" not in response.text
    assert client.post(f"{base}antworten/", {"body": "x"}).status_code == 404
    assert thread.posts.count() == 1


# --- bans and locks ------------------------------------------------------------


@pytest.fixture
def banned(community, thread, reply):
    user = make_post(thread, body="Vor dem Bann geschrieben").author
    make_member(community, user, state="banned")
    return user


def test_a_banned_member_reads_a_public_thread_but_writes_nothing(
    community, thread, reply, banned
):
    client = client_for(banned)
    url = f"/communities/klima/diskussionen/{thread.pk}/"
    own = thread.posts.get(author=banned)
    page = client.get(url)
    assert page.status_code == 200
    assert 'id="reply-form"' not in page.text
    assert "Treten Sie der Community bei" not in page.text

    refused = client.post(
        f"{url}antworten/", {"body": "Trotzdem", "form_token": str(uuid.uuid4())}
    )
    assert refused.status_code == 403
    assert client.get("/communities/klima/diskussionen/neu/").status_code == 403
    assert client.post(f"/beitrag/{own.pk}/bearbeiten/", {"body": "x"}).status_code == (
        403
    )
    assert client.post(f"/beitrag/{own.pk}/loeschen/").status_code == 403
    assert (
        client.post(f"/beitrag/{reply.pk}/reaktion/", {"emoji": "👍"}).status_code
        == 403
    )
    api = api_post(client, f"/api/v1/threads/{thread.pk}/posts", {"body": "API"})
    assert api.status_code == 403
    assert api.json()["detail"] == "Dafür müssen Sie Mitglied dieser Community sein."
    own.refresh_from_db()
    assert own.body == "Vor dem Bann geschrieben" and own.deleted is None
    assert thread.posts.count() == 3 and not Reaction.objects.exists()


def test_a_reply_refused_for_a_lost_membership_says_why_and_keeps_the_text(
    thread, banned
):
    refused = client_for(banned).post(
        f"/communities/klima/diskussionen/{thread.pk}/antworten/",
        {"body": "Meine lange Antwort", "form_token": str(uuid.uuid4())},
    )
    assert refused.status_code == 403
    assert "Dafür müssen Sie Mitglied dieser Community sein." in refused.text
    assert "Meine lange Antwort</textarea>" in refused.text


def test_a_locked_thread_refuses_a_reply_and_keeps_the_text_to_copy(
    thread, member, moderator
):
    Thread.objects.filter(pk=thread.pk).update(locked=True)
    url = f"/communities/klima/diskussionen/{thread.pk}/"
    for person in (member, moderator):
        response = client_for(person).post(
            f"{url}antworten/",
            {"body": "Meine lange Antwort", "form_token": str(uuid.uuid4())},
        )
        assert response.status_code == 403
        assert "Diese Diskussion ist gesperrt und nimmt keine Antworten an." in (
            response.text
        )
        assert "Meine lange Antwort</textarea>" in response.text
    api = api_post(
        client_for(member), f"/api/v1/threads/{thread.pk}/posts", {"body": "x"}
    )
    assert api.status_code == 403 and "gesperrt" in api.json()["detail"]
    assert thread.posts.count() == 1


# --- bad input on the pages ----------------------------------------------------


@pytest.mark.parametrize(
    "page", ["abc", "999999", "-1", "0", "1.5", "99999999999999999999999999"]
)
def test_any_page_number_shows_a_page_of_the_thread_and_of_the_list(
    community, thread, reply, member, page
):
    client = client_for(member)
    response = client.get(f"/communities/klima/diskussionen/{thread.pk}/?page={page}")
    assert response.status_code == 200
    assert "Unsere Vorlage." in response.text
    listing = client.get(f"/communities/klima/diskussionen/?page={page}&sort=x&tag=")
    assert listing.status_code == 200 and "Hitzeaktionsplan" in listing.text


def test_a_thread_or_post_number_that_is_no_number_or_too_large_is_a_404(
    community, member
):
    client = client_for(member)
    huge = "9" * 30
    for url in [
        "/communities/klima/diskussionen/abc/",
        f"/communities/klima/diskussionen/{huge}/",
        "/beitrag/abc/",
        f"/beitrag/{huge}/",
        f"/beitrag/{huge}/html/",
        f"/api/v1/threads/{huge}",
        f"/api/v1/posts/{huge}/history",
    ]:
        assert client.get(url).status_code == 404, url
    api = client.get("/api/v1/threads/abc")
    assert api.status_code == 400
    assert api.json()["detail"] == "Die Eingabe ist ungültig."
    assert ["Bitte eine ganze Zahl angeben."] in api.json()["errors"].values()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"body": "  "}, "Bitte schreiben Sie einen Text."),
        ({"body": "x" * 50_001}, "Der Text darf höchstens 50000 Zeichen lang sein."),
    ],
)
def test_a_bad_reply_is_refused_in_german_and_the_text_is_kept(
    thread, member, data, message
):
    response = client_for(member).post(
        f"/communities/klima/diskussionen/{thread.pk}/antworten/",
        {**data, "form_token": str(uuid.uuid4())},
    )
    assert response.status_code == 400
    assert message in response.text
    assert thread.posts.count() == 1


def test_a_reply_with_errors_comes_back_on_the_last_page(community, thread, member):
    for n in range(25):
        make_post(thread, member, body=f"Antwort Nummer {n}")
    response = client_for(member).post(
        f"/communities/klima/diskussionen/{thread.pk}/antworten/",
        {"body": " ", "form_token": str(uuid.uuid4())},
    )
    assert response.status_code == 400
    assert "Bitte schreiben Sie einen Text." in response.text
    assert "Seite 2 von 2" in response.text
    assert "Antwort Nummer 24" in response.text


def test_a_reply_to_a_post_of_another_thread_is_not_stored_as_such(
    community, thread, member
):
    elsewhere = make_post(make_thread(community), body="Anderswo")
    response = client_for(member).post(
        f"/communities/klima/diskussionen/{thread.pk}/antworten/",
        {"body": "Hallo", "reply_to": elsewhere.pk, "form_token": str(uuid.uuid4())},
    )
    saved = thread.posts.exclude(pk=thread.opening_post_id).first()
    assert saved is None or saved.reply_to_id is None
    assert response.status_code in (302, 400)


def test_a_bad_thread_edit_is_refused_in_german_and_changes_nothing(thread, member):
    url = f"/communities/klima/diskussionen/{thread.pk}/bearbeiten/"
    client = client_for(member)
    for data, message in [
        ({"title": "x" * 201, "tags": ""}, "höchstens 200 Zeichen"),
        ({"title": "Neu", "tags": "y" * 51}, "höchstens 50 Zeichen"),
        ({"title": "  ", "tags": ""}, "Bitte geben Sie einen Titel ein."),
    ]:
        response = client.post(url, data)
        assert response.status_code == 400
        assert message in response.text
    thread.refresh_from_db()
    assert thread.title == "Hitzeaktionsplan"
    assert [t.name for t in thread.tags.all()] == ["Hitze"]


def test_an_unknown_reaction_is_refused_in_german(reply, member):
    client = client_for(member)
    url = f"/beitrag/{reply.pk}/reaktion/"
    htmx = client.post(url, {"emoji": "💩"}, HTTP_HX_REQUEST="true")
    assert htmx.status_code == 400
    assert "Diese Reaktion gibt es nicht." in htmx.text
    page = client.post(url, {"emoji": "<script>"}, follow=True)
    assert "Diese Reaktion gibt es nicht." in page.text
    api = api_post(client, f"/api/v1/posts/{reply.pk}/reactions", {"emoji": "💩"})
    assert api.status_code == 400
    assert api.json()["detail"] == "Diese Reaktion gibt es nicht."
    assert not Reaction.objects.exists()


def test_a_reaction_button_pressed_twice_takes_the_reaction_back(reply, member):
    client = client_for(member)
    url = f"/beitrag/{reply.pk}/reaktion/"
    first = client.post(url, {"emoji": "💡"}, HTTP_HX_REQUEST="true")
    assert first.status_code == 200 and 'aria-pressed="true"' in first.text
    second = client.post(url, {"emoji": "💡"}, HTTP_HX_REQUEST="true")
    assert second.status_code == 200 and 'aria-pressed="true"' not in second.text
    assert not Reaction.objects.exists()


def test_a_heart_without_its_variation_selector_can_be_taken_back_in_the_api(
    reply, member
):
    client = client_for(member)
    url = f"/api/v1/posts/{reply.pk}/reactions"
    assert api_post(client, url, {"emoji": "\u2764"}).status_code == 201
    assert Reaction.objects.get().emoji == "\u2764\ufe0f"
    removed = client.delete(url, {"emoji": "\u2764"}, content_type="application/json")
    assert removed.status_code == 200
    assert {"emoji": "\u2764\ufe0f", "count": 0, "mine": False} in removed.json()
    assert not Reaction.objects.exists()


def test_a_bad_solution_choice_says_why_and_marks_nothing(community, thread, member):
    elsewhere = make_post(make_thread(community), body="Anderswo")
    url = f"/communities/klima/diskussionen/{thread.pk}/loesung/"
    client = client_for(member)
    for post_id, message in [
        ("abc", "Diesen Beitrag gibt es nicht."),
        ("9" * 30, "Diesen Beitrag gibt es nicht."),
        (elsewhere.pk, "Als Lösung taugt nur eine Antwort dieser Diskussion."),
        (
            thread.opening_post_id,
            "Als Lösung taugt nur eine Antwort dieser Diskussion.",
        ),
    ]:
        response = client.post(url, {"post_id": post_id}, follow=True)
        assert response.status_code == 200
        assert message in response.text, post_id
    api = api_post(
        client, f"/api/v1/threads/{thread.pk}/solution", {"post_id": elsewhere.pk}
    )
    assert api.status_code == 400
    assert (
        api.json()["detail"] == "Als Lösung taugt nur eine Antwort dieser Diskussion."
    )
    thread.refresh_from_db()
    assert thread.solution_id is None


def test_an_unknown_moderation_action_changes_nothing(thread, moderator):
    response = client_for(moderator).post(
        f"/communities/klima/diskussionen/{thread.pk}/moderieren/",
        {"action": "explode"},
        follow=True,
    )
    assert "Diese Aktion gibt es nicht." in response.text
    thread.refresh_from_db()
    assert not thread.locked and not thread.pinned


# --- the opening post, hiding, history -----------------------------------------


def test_the_question_cannot_be_deleted_on_its_own(thread, member, moderator):
    for person in (member, moderator):
        response = client_for(person).post(
            f"/beitrag/{thread.opening_post_id}/loeschen/", {"reason": "weg"}
        )
        assert response.status_code == 400
        assert (
            "Die Frage einer Diskussion kann nicht einzeln gelöscht werden."
            in response.text
        )
    api = client_for(member).delete(f"/api/v1/posts/{thread.opening_post_id}")
    assert api.status_code == 400
    assert Post.objects.get(pk=thread.opening_post_id).deleted is None


def test_a_hidden_post_shows_the_moderators_reason_to_everyone(
    community, thread, reply, moderator
):
    form = client_for(moderator).get(f"/beitrag/{reply.pk}/loeschen/")
    assert '<h1 class="kern-heading-large">Beitrag ausblenden</h1>' in form.text
    assert "mit Ihrer Begründung, die alle Lesenden sehen" in form.text
    client_for(moderator).post(
        f"/beitrag/{reply.pk}/loeschen/", {"reason": "Enthält Werbung"}
    )
    for reader in (make_member(community).user, None):
        page = client_for(reader).get(f"/communities/klima/diskussionen/{thread.pk}/")
        assert "Beitrag von der Moderation entfernt." in page.text
        assert "Begründung: Enthält Werbung" in page.text
        assert "Unsere Vorlage." not in page.text
    api = client_for().get(f"/api/v1/threads/{thread.pk}").json()
    hidden = api["posts"]["items"][0]
    assert hidden["deleted"] is True and hidden["body"] == ""


def test_the_history_of_a_post_is_for_its_author_and_the_moderators(
    community, reply, moderator
):
    post_edit(editor=reply.author, post=reply, body="Unsere neue Vorlage.")
    url = f"/beitrag/{reply.pk}/versionen/"
    assert client_for(reply.author).get(url).status_code == 200
    page = client_for(moderator).get(url)
    assert page.status_code == 200 and "Unsere Vorlage." in page.text

    other = client_for(make_member(community).user)
    refused = other.get(url)
    assert refused.status_code == 403
    assert "Unsere Vorlage.</p>" not in refused.text
    api = other.get(f"/api/v1/posts/{reply.pk}/history")
    assert api.status_code == 403
    assert api.json()["detail"] == (
        "Frühere Fassungen sehen die verfassende Person und die Moderation."
    )
    assert client_for().get(url).status_code == 302  # to the login page
    thread_page = other.get(f"/communities/klima/diskussionen/{reply.thread_id}/")
    assert "Frühere Fassungen" not in thread_page.text


# --- the API: conflicts, rate limit, nothing half-saved ---------------------------


def test_the_api_answers_409_for_a_second_identical_reaction(reply, member):
    client = client_for(member)
    url = f"/api/v1/posts/{reply.pk}/reactions"
    assert api_post(client, url, {"emoji": "👍"}).status_code == 201
    twice = api_post(client, url, {"emoji": "👍"})
    assert twice.status_code == 409
    assert twice.json() == {
        "detail": "Sie haben so bereits reagiert.",
        "code": "already_reacted",
        "errors": {"__all__": ["Sie haben so bereits reagiert."]},
    }
    assert Reaction.objects.count() == 1


def test_the_api_answers_409_for_a_form_token_sent_twice(community, thread, member):
    client = client_for(member)
    token = str(uuid.uuid4())
    url = f"/api/v1/threads/{thread.pk}/posts"
    assert api_post(
        client, url, {"body": "Einmal", "form_token": token}
    ).status_code == (201)
    again = api_post(client, url, {"body": "Einmal", "form_token": token})
    assert again.status_code == 409
    assert again.json()["code"] == "duplicate_submission"
    assert again.json()["detail"] == "Dieser Beitrag wurde bereits gespeichert."
    new = {"title": "Neu", "body": "Text", "form_token": str(uuid.uuid4())}
    threads = "/api/v1/communities/klima/threads"
    assert api_post(client, threads, new).status_code == 201
    assert api_post(client, threads, new).status_code == 409
    assert thread.posts.count() == 2 and Thread.objects.count() == 2


def test_the_eleventh_post_within_a_minute_is_a_429_with_retry_after(thread, member):
    client = client_for(member)
    url = f"/api/v1/threads/{thread.pk}/posts"
    for n in range(10):
        assert api_post(client, url, {"body": f"Antwort {n}"}).status_code == 201
    limited = api_post(client, url, {"body": "Zu viel"})
    assert limited.status_code == 429
    assert limited.json()["code"] == "rate_limited"
    assert "sehr viele Beiträge" in limited.json()["detail"]
    assert 1 <= int(limited["Retry-After"]) <= 60
    threads = api_post(
        client, "/api/v1/communities/klima/threads", {"title": "T", "body": "B"}
    )
    assert threads.status_code == 429
    page = client.post(
        f"/communities/klima/diskussionen/{thread.pk}/antworten/",
        {"body": "Auf der Seite", "form_token": str(uuid.uuid4())},
    )
    assert page.status_code == 400 and "sehr viele Beiträge" in page.text
    assert "Auf der Seite</textarea>" in page.text
    assert thread.posts.count() == 11


def test_the_api_list_refuses_bad_page_and_sort_in_german(community, member):
    client = client_for(member)
    for query in ["page=0", "page=-1", "page=abc", "page_size=1000", "sort=x"]:
        response = client.get(f"/api/v1/communities/klima/threads?{query}")
        assert response.status_code == 400, query
        assert response.json()["detail"] == "Die Eingabe ist ungültig."


def test_a_title_change_with_a_refused_pin_changes_nothing(thread, member):
    response = client_for(member).patch(
        f"/api/v1/threads/{thread.pk}",
        {"title": "Neuer Titel", "pinned": True},
        content_type="application/json",
    )
    assert response.status_code == 403
    thread.refresh_from_db()
    assert thread.title == "Hitzeaktionsplan" and not thread.pinned


def _uploads(community, user, n):
    return [
        attachment_upload(
            user=user,
            community=community,
            file=SimpleUploadedFile(f"{i}.pdf", PDF, content_type="application/pdf"),
        ).pk
        for i in range(n)
    ]


def test_a_reply_with_too_many_attachments_is_not_saved_in_the_api(
    community, thread, member
):
    ids = _uploads(community, member, MAX_ATTACHMENTS_PER_POST + 1)
    response = api_post(
        client_for(member),
        f"/api/v1/threads/{thread.pk}/posts",
        {"body": "Mit Anlagen", "attachments": ids},
    )
    assert response.status_code == 400
    assert "höchstens 10 Anhänge" in response.json()["detail"]
    assert thread.posts.count() == 1
    thread.refresh_from_db()
    assert thread.reply_count == 0


def test_a_new_thread_with_too_many_attachments_is_not_saved_in_the_api(
    community, member
):
    ids = _uploads(community, member, MAX_ATTACHMENTS_PER_POST + 1)
    response = api_post(
        client_for(member),
        "/api/v1/communities/klima/threads",
        {"title": "Mit Anlagen", "body": "Text", "attachments": ids},
    )
    assert response.status_code == 400
    assert not Thread.objects.exists()


def test_a_reply_with_too_many_attachments_is_not_saved_on_the_page(
    community, thread, member
):
    ids = _uploads(community, member, MAX_ATTACHMENTS_PER_POST + 1)
    response = client_for(member).post(
        f"/communities/klima/diskussionen/{thread.pk}/antworten/",
        {"body": "Mit Anlagen", "attachments": ids, "form_token": str(uuid.uuid4())},
    )
    assert response.status_code == 400
    assert "höchstens 10 Anhänge" in response.text
    assert thread.posts.count() == 1


def test_an_edit_with_too_many_attachments_keeps_the_earlier_text(reply):
    ids = _uploads(reply.thread.community, reply.author, MAX_ATTACHMENTS_PER_POST + 1)
    response = client_for(reply.author).post(
        f"/beitrag/{reply.pk}/bearbeiten/",
        {"body": "Neuer Text", "attachments": ids},
    )
    assert response.status_code == 400
    reply.refresh_from_db()
    assert reply.body == "Unsere Vorlage." and not PostRevision.objects.exists()


def test_attachment_numbers_past_the_id_range_are_ignored_not_a_500(
    community, thread, member
):
    client = client_for(member)
    huge = "9" * 30
    page = client.post(
        f"/communities/klima/diskussionen/{thread.pk}/antworten/",
        {"body": "Mit Anlage", "attachments": [huge, "abc", "-1"]},
    )
    assert page.status_code == 302
    api = api_post(
        client,
        f"/api/v1/threads/{thread.pk}/posts",
        {"body": "Per API", "attachments": [int(huge), -1, 0]},
    )
    assert api.status_code == 201 and api.json()["attachments"] == []
    assert thread.posts.count() == 3


def test_an_unknown_reply_to_in_the_api_is_a_field_error(community, thread, member):
    hidden = make_post(make_thread(make_community(visibility="private")))
    client = client_for(member)
    for reply_to in (hidden.pk, 10**30):
        response = api_post(
            client,
            f"/api/v1/threads/{thread.pk}/posts",
            {"body": "Antwort", "reply_to": reply_to},
        )
        assert response.status_code == 400, reply_to
        assert response.json()["errors"] == {
            "reply_to": ["Diesen Beitrag gibt es nicht."]
        }
    assert thread.posts.count() == 1


def test_the_api_names_no_files_of_a_deleted_post(community, thread, reply, moderator):
    ids = _uploads(community, reply.author, 1)
    client_for(reply.author).post(
        f"/beitrag/{reply.pk}/bearbeiten/",
        {"body": "Mit Anlage Gehaltsliste", "attachments": ids},
    )
    reader = client_for(make_member(community).user)
    shown = reader.get(f"/api/v1/threads/{thread.pk}").json()["posts"]["items"][0]
    assert [a["title"] for a in shown["attachments"]] == ["0.pdf"]

    client_for(moderator).post(f"/beitrag/{reply.pk}/loeschen/", {"reason": "Daten"})
    hidden = reader.get(f"/api/v1/threads/{thread.pk}").json()["posts"]["items"][0]
    assert hidden["deleted"] is True and hidden["attachments"] == []
    page = reader.get(f"/communities/klima/diskussionen/{thread.pk}/")
    assert "0.pdf" not in page.text


# --- the websocket when a community turns private ------------------------------


@pytest.fixture
def no_persistent_connections(monkeypatch):
    from django.db import connections

    monkeypatch.setitem(connections["default"].settings_dict, "CONN_MAX_AGE", 0)


async def _open_socket(user):
    from asgiref.sync import sync_to_async
    from channels.testing import WebsocketCommunicator
    from django.conf import settings

    from kommunect.asgi import application

    @sync_to_async
    def cookie():
        browser = client_for(user)
        session_id = browser.cookies[settings.SESSION_COOKIE_NAME].value
        return (b"cookie", f"{settings.SESSION_COOKIE_NAME}={session_id}".encode())

    socket = WebsocketCommunicator(
        application, "/ws/", headers=[(b"origin", b"http://testserver"), await cookie()]
    )
    connected, _code = await socket.connect(timeout=3)
    assert connected
    return socket


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("no_persistent_connections")
async def test_an_outsider_watching_a_thread_is_cut_off_when_the_community_turns_private():
    from asgiref.sync import sync_to_async

    from communities.discussions.services import post_create
    from communities.services import community_update

    @sync_to_async
    def world():
        community = make_community(visibility="public", join_policy="open")
        owner = make_member(community, role="owner").user
        member = make_member(community).user
        return community, owner, member, make_thread(community, member)

    community, owner, member, thread = await world()
    outsider_socket = await _open_socket(await sync_to_async(UserFactory)())
    member_socket = await _open_socket(member)
    for socket in (outsider_socket, member_socket):
        await socket.send_json_to({"type": "watch_thread", "thread": thread.pk})
        assert (await socket.receive_json_from(timeout=3))["type"] == "watching"

    await sync_to_async(community_update)(
        actor=owner,
        community=community,
        title=community.title,
        description=community.description,
        intro="",
        topics=[],
        visibility="private",
        join_policy="invite",
    )
    closed = await outsider_socket.receive_output(timeout=3)
    await sync_to_async(post_create)(
        author=member, thread=thread, body="Nur noch für Mitglieder"
    )

    assert closed == {"type": "websocket.close", "code": 4403}
    frame = await member_socket.receive_json_from(timeout=3)
    assert frame["type"] == "post" and "Nur noch für Mitglieder" in frame["body_html"]
    await member_socket.disconnect()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("no_persistent_connections")
async def test_a_watcher_is_cut_off_when_staff_make_the_community_private_in_the_admin():
    """The Wagtail admin publishes the page without the front end's service;
    the page_published signal re-checks the watchers just the same."""
    from asgiref.sync import sync_to_async

    @sync_to_async
    def world():
        community = make_community(visibility="public", join_policy="open")
        return community, make_thread(community, make_member(community).user)

    @sync_to_async
    def publish_private(community):
        community.visibility = "private"
        community.save_revision().publish()

    community, thread = await world()
    outsider_socket = await _open_socket(await sync_to_async(UserFactory)())
    await outsider_socket.send_json_to({"type": "watch_thread", "thread": thread.pk})
    assert (await outsider_socket.receive_json_from(timeout=3))["type"] == "watching"

    await publish_private(community)

    assert await outsider_socket.receive_output(timeout=3) == {
        "type": "websocket.close",
        "code": 4403,
    }
