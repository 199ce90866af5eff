"""The wiki in the JSON API (shared/API.md): the page tree, creating, reading
and saving from a base revision (200, merged, or 409 with the editor's text),
history, diff, revert and backlinks, with the permission module's answers."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from factories import UserFactory, client_for
from factories.communities import make_community, make_member

from communities.models import WikiPage
from communities.wiki import services

pytestmark = pytest.mark.django_db

THREE_PARAGRAPHS = "Erster Absatz.\n\nZweiter Absatz.\n\nDritter Absatz.\n"


@pytest.fixture
def colleague(community):
    return make_member(community).user


def new_page(community, author, title="Hitzeaktionsplan", body=THREE_PARAGRAPHS, **kw):
    return services.wiki_page_create(
        author=author, community=community, title=title, body=body, **kw
    )


def send(client, method, path, data):
    return client.generic(
        method, path, data=json.dumps(data), content_type="application/json"
    )


def save_as(user, page, body, base, **data):
    """``user`` saves ``body`` to ``page`` through the API, from revision
    ``base``."""
    data = {"body": body, "base_revision": base, **data}
    return send(client_for(user), "PUT", f"/api/v1/wiki/{page.pk}", data)


def save_paragraph(user, page, base, old, new, **data):
    """``user`` saves, through the API from revision ``base``, the three
    paragraphs with ``old`` changed to ``new``."""
    return save_as(user, page, THREE_PARAGRAPHS.replace(old, new), base, **data)


def latest_revision(page) -> int:
    return WikiPage.objects.get(pk=page.pk).latest_revision_id


# --- tree, create, read -------------------------------------------------------


def test_a_member_creates_pages_and_the_tree_shows_them(community, author):
    client = client_for(author)

    created = send(
        client,
        "POST",
        "/api/v1/communities/klima/wiki",
        {
            "title": "Handreichungen",
            "body": "# Übersicht\n\nAlles Wichtige.",
            "summary": "Erste Fassung",
            "tags": ["Hitze"],
        },
    )
    assert created.status_code == 201
    top = created.json()
    assert top["community"] == "klima"
    assert top["parent_id"] is None
    assert top["revision"] == latest_revision(WikiPage.objects.get(pk=top["id"]))
    assert ">Übersicht</h1>" in top["body_html"]
    assert top["tags"] == ["Hitze"]
    assert top["url"] == "/communities/klima/handreichungen/"

    child = send(
        client,
        "POST",
        "/api/v1/communities/klima/wiki",
        {"title": "Checkliste", "body": "- prüfen", "parent_id": top["id"]},
    ).json()
    assert child["parent_id"] == top["id"]

    tree = client_for().get("/api/v1/communities/klima/wiki")
    assert tree.status_code == 200
    assert [(p["title"], p["parent_id"], p["depth"]) for p in tree.json()] == [
        ("Handreichungen", None, 1),
        ("Checkliste", top["id"], 2),
    ]
    assert tree.json()[1]["url"] == "/communities/klima/handreichungen/checkliste/"
    assert tree.json()[0]["updated"]


def test_a_parent_from_another_wiki_is_refused(community, author):
    elsewhere = make_community(slug="anderswo")
    foreign = new_page(elsewhere, make_member(elsewhere).user, title="Fremd")

    response = send(
        client_for(author),
        "POST",
        "/api/v1/communities/klima/wiki",
        {"title": "Neu", "body": "", "parent_id": foreign.pk},
    )

    assert response.status_code == 400
    assert response.json()["errors"]["parent_id"] == [
        "Die übergeordnete Seite gehört nicht zu diesem Wiki."
    ]
    assert not WikiPage.objects.filter(title="Neu").exists()


def test_only_members_create_pages(community):
    outsider = UserFactory()
    response = send(
        client_for(outsider),
        "POST",
        "/api/v1/communities/klima/wiki",
        {"title": "Neu", "body": "Text"},
    )
    assert response.status_code == 403
    assert response.json()["detail"] == (
        "Dafür müssen Sie Mitglied dieser Community sein."
    )
    anonymous = send(
        client_for(), "POST", "/api/v1/communities/klima/wiki", {"title": "Neu"}
    )
    assert anonymous.status_code == 401


def test_anyone_reads_a_public_page_with_its_latest_revision(community, author):
    page = new_page(community, author, tags=["Hitze"])

    response = client_for().get(f"/api/v1/wiki/{page.pk}")

    assert response.status_code == 200
    data = response.json()
    assert data["title"] == "Hitzeaktionsplan"
    assert data["body"] == THREE_PARAGRAPHS
    assert "<p>Erster Absatz.</p>" in data["body_html"]
    assert data["revision"] == page.latest_revision_id
    assert data["parent_id"] is None
    assert data["can_edit"] is False
    assert client_for(author).get(f"/api/v1/wiki/{page.pk}").json()["can_edit"]


# --- saving -------------------------------------------------------------------


def test_saving_from_the_latest_revision_saves(community, author):
    page = new_page(community, author)

    response = save_as(
        author,
        page,
        THREE_PARAGRAPHS + "\nVierter Absatz.\n",
        page.latest_revision_id,
        summary="Ergänzt",
        title="Hitzeaktionsplan 2025",
    )

    assert response.status_code == 200
    data = response.json()
    assert data["merged"] is False
    assert data["title"] == "Hitzeaktionsplan 2025"
    assert data["body"].endswith("Vierter Absatz.\n")
    assert data["revision"] == latest_revision(page) != page.latest_revision_id
    assert WikiPage.objects.get(pk=page.pk).body.endswith("Vierter Absatz.\n")


def test_two_saves_of_different_paragraphs_from_one_base_are_merged(
    community, author, colleague
):
    page = new_page(community, author)
    base = page.latest_revision_id
    first = save_paragraph(
        colleague, page, base, "Erster", "Geänderter erster", summary="Erster Absatz"
    )
    assert first.status_code == 200

    second = save_paragraph(
        author, page, base, "Dritter", "Geänderter dritter", summary="Dritter Absatz"
    )

    assert second.status_code == 200
    data = second.json()
    assert data["merged"] is True
    assert "Geänderter erster Absatz." in data["body"]
    assert "Geänderter dritter Absatz." in data["body"]
    assert data["revision"] == latest_revision(page)
    saved = WikiPage.objects.get(pk=page.pk).body
    assert "Geänderter erster Absatz." in saved and "Geänderter dritter" in saved


def test_a_conflict_is_a_409_with_the_editors_text_and_saves_nothing(
    community, author, colleague
):
    page = new_page(community, author)
    base = page.latest_revision_id
    save_paragraph(colleague, page, base, "Zweiter", "Ihr zweiter")
    saved_revision = latest_revision(page)
    saved_body = WikiPage.objects.get(pk=page.pk).body

    response = save_paragraph(
        author, page, base, "Zweiter", "Mein zweiter", summary="Meine Änderung"
    )

    assert response.status_code == 409
    data = response.json()
    assert data["code"] == "edit_conflict"
    assert data["detail"].startswith("Während Sie bearbeitet haben")
    assert "Mein zweiter Absatz." in data["merged_body"]
    assert "Ihr zweiter Absatz." in data["merged_body"]
    assert data["revision"] == saved_revision
    assert data["conflicts"] == [
        {
            "line": 3,
            "base": "Zweiter Absatz.\n",
            "theirs": "Ihr zweiter Absatz.\n",
            "mine": "Mein zweiter Absatz.\n",
        }
    ]
    page = WikiPage.objects.get(pk=page.pk)
    assert page.latest_revision_id == saved_revision
    assert page.body == saved_body
    assert page.revisions.count() == 2


def test_a_base_revision_of_another_page_is_refused(community, author):
    page = new_page(community, author)
    other = new_page(community, author, title="Andere Seite")

    response = save_as(author, page, "Überschrieben?", other.latest_revision_id)

    assert response.status_code == 400
    assert response.json()["errors"]["base_revision"] == [
        "Diese Version gehört nicht zu dieser Seite."
    ]
    assert WikiPage.objects.get(pk=page.pk).body == THREE_PARAGRAPHS


def test_a_save_without_base_revision_is_refused_in_german(community, author):
    page = new_page(community, author)

    response = send(
        client_for(author), "PUT", f"/api/v1/wiki/{page.pk}", {"body": "Neu"}
    )

    assert response.status_code == 400
    assert response.json()["errors"]["base_revision"] == [
        "Dieses Feld ist erforderlich."
    ]


def test_a_protected_page_is_saved_by_moderators_only(community, author):
    moderator = make_member(community, role="moderator").user
    page = new_page(community, author)
    services.wiki_page_protect(actor=moderator, page=page, protected=True)

    refused = save_as(author, page, "Meins.", page.latest_revision_id)
    assert refused.status_code == 403
    assert "geschützt" in refused.json()["detail"]
    assert client_for(author).get(f"/api/v1/wiki/{page.pk}").json()["protected"]

    saved = save_as(moderator, page, "Gepflegt.", page.latest_revision_id)
    assert saved.status_code == 200
    assert WikiPage.objects.get(pk=page.pk).body == "Gepflegt."


# --- history, diff, revert, backlinks -----------------------------------------


def test_the_history_lists_revisions_newest_first_with_summaries(
    community, author, colleague
):
    page = new_page(community, author, summary="Erste Fassung")
    services.wiki_page_save(
        editor=colleague,
        page=page,
        body=THREE_PARAGRAPHS + "\nNachtrag.\n",
        summary="Nachtrag ergänzt",
        base_revision=page.latest_revision_id,
    )

    response = client_for().get(f"/api/v1/wiki/{page.pk}/revisions")

    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 2 and data["page"] == 1 and data["pages"] == 1
    assert [r["summary"] for r in data["items"]] == [
        "Nachtrag ergänzt",
        "Erste Fassung",
    ]
    assert [r["author"] for r in data["items"]] == [
        {"id": colleague.pk, "display_name": colleague.display_name},
        {"id": author.pk, "display_name": author.display_name},
    ]
    assert data["items"][0]["id"] == latest_revision(page)
    assert data["items"][0]["created"] >= data["items"][1]["created"]

    second_page = client_for().get(
        f"/api/v1/wiki/{page.pk}/revisions", {"page": 2, "page_size": 1}
    )
    assert second_page.json()["pages"] == 2
    assert [r["summary"] for r in second_page.json()["items"]] == ["Erste Fassung"]


def test_the_diff_marks_changed_words(community, author):
    page = new_page(community, author)
    first = page.latest_revision_id
    services.wiki_page_save(
        editor=author,
        page=page,
        body=THREE_PARAGRAPHS.replace("Zweiter Absatz", "Zweiter Abschnitt"),
        base_revision=first,
    )
    second = latest_revision(page)

    response = client_for().get(
        f"/api/v1/wiki/{page.pk}/diff", {"from": first, "to": second}
    )

    assert response.status_code == 200
    data = response.json()
    assert data["from"] == first and data["to"] == second
    assert "<del>Absatz</del>" in data["html"]
    assert "<ins>Abschnitt</ins>" in data["html"]
    assert (data["added"], data["removed"]) == (1, 1)


def test_a_diff_with_a_revision_of_another_page_is_refused(community, author):
    page = new_page(community, author)
    other = new_page(community, author, title="Andere Seite")

    response = client_for().get(
        f"/api/v1/wiki/{page.pk}/diff",
        {"from": other.latest_revision_id, "to": page.latest_revision_id},
    )

    assert response.status_code == 400
    assert response.json()["detail"] == "Diese Version gehört nicht zu dieser Seite."
    assert "from" in response.json()["errors"]


def test_a_diff_without_revisions_is_refused_in_german(community, author):
    page = new_page(community, author)

    response = client_for().get(f"/api/v1/wiki/{page.pk}/diff")

    assert response.status_code == 400
    assert response.json()["errors"]["from"] == ["Dieses Feld ist erforderlich."]


def test_revert_brings_back_the_old_text_as_a_new_revision(community, author):
    page = new_page(community, author)
    first = page.latest_revision_id
    services.wiki_page_save(
        editor=author, page=page, body="Alles neu.", base_revision=first
    )

    response = send(
        client_for(author),
        "POST",
        f"/api/v1/wiki/{page.pk}/revert",
        {"revision": first},
    )

    assert response.status_code == 200
    assert response.json()["body"] == THREE_PARAGRAPHS
    assert response.json()["revision"] not in (first, None)
    assert WikiPage.objects.get(pk=page.pk).body == THREE_PARAGRAPHS
    history = client_for().get(f"/api/v1/wiki/{page.pk}/revisions").json()
    assert history["count"] == 3
    assert history["items"][0]["summary"].startswith("Zurückgesetzt auf die Version")


def test_revert_to_a_revision_of_another_page_is_refused(community, author):
    page = new_page(community, author)
    other = new_page(community, author, title="Andere Seite")

    response = send(
        client_for(author),
        "POST",
        f"/api/v1/wiki/{page.pk}/revert",
        {"revision": other.latest_revision_id},
    )

    assert response.status_code == 400
    assert response.json()["errors"]["revision"] == [
        "Diese Version gehört nicht zu dieser Seite."
    ]


def test_backlinks_are_the_live_pages_that_link_here(community, author):
    moderator = make_member(community, role="moderator").user
    target = new_page(community, author, title="Checkliste")
    new_page(community, author, title="Übersicht", body="Siehe [[Checkliste]].")
    gone = new_page(community, author, title="Alt", body="[[checkliste]]")
    new_page(community, author, title="Ohne Link", body="Nichts.")
    services.wiki_page_delete(actor=moderator, page=gone)

    response = client_for().get(f"/api/v1/wiki/{target.pk}/backlinks")

    assert response.status_code == 200
    assert [(p["title"], p["url"]) for p in response.json()] == [
        ("Übersicht", "/communities/klima/uebersicht/")
    ]


# --- who sees what ------------------------------------------------------------


def test_a_private_communitys_wiki_is_a_404_to_outsiders_everywhere():
    secret = make_community(slug="geheim", visibility="private")
    member = make_member(secret).user
    page = new_page(secret, member, title="Vertrauliche Checkliste")
    revision = page.latest_revision_id
    reads = [
        "/api/v1/communities/geheim/wiki",
        f"/api/v1/wiki/{page.pk}",
        f"/api/v1/wiki/{page.pk}/revisions",
        f"/api/v1/wiki/{page.pk}/diff?from={revision}&to={revision}",
        f"/api/v1/wiki/{page.pk}/backlinks",
    ]
    writes = [
        ("POST", "/api/v1/communities/geheim/wiki", {"title": "Neu"}),
        ("PUT", f"/api/v1/wiki/{page.pk}", {"body": "x", "base_revision": revision}),
        ("POST", f"/api/v1/wiki/{page.pk}/revert", {"revision": revision}),
    ]

    for client in (client_for(), client_for(UserFactory())):
        for url in reads:
            response = client.get(url)
            assert response.status_code == 404, url
            assert response.json()["code"] == "not_found"
    outsider = client_for(UserFactory())
    for method, url, data in writes:
        assert send(outsider, method, url, data).status_code == 404, url
    for url in reads:
        assert client_for(member).get(url).status_code == 200, url
    assert WikiPage.objects.get(pk=page.pk).body == THREE_PARAGRAPHS
    assert WikiPage.objects.count() == 1


def test_a_deleted_page_is_a_404_except_for_the_moderation(community, author):
    moderator = make_member(community, role="moderator").user
    page = new_page(community, author)
    services.wiki_page_delete(actor=moderator, page=page)

    for client in (client_for(), client_for(author)):
        assert client.get(f"/api/v1/wiki/{page.pk}").status_code == 404
        assert client.get(f"/api/v1/wiki/{page.pk}/revisions").status_code == 404
    assert save_as(author, page, "x", page.latest_revision_id).status_code == 404
    seen = client_for(moderator).get(f"/api/v1/wiki/{page.pk}")
    assert seen.status_code == 200 and seen.json()["deleted"] is True
    assert client_for(author).get("/api/v1/communities/klima/wiki").json() == []


def test_an_internal_communitys_page_asks_anonymous_visitors_to_sign_in():
    internal = make_community(slug="intern", visibility="internal")
    page = new_page(internal, make_member(internal).user)

    response = client_for().get(f"/api/v1/wiki/{page.pk}")

    assert response.status_code == 403
    assert client_for(UserFactory()).get(f"/api/v1/wiki/{page.pk}").status_code == 200


def test_an_unknown_page_is_a_404():
    assert client_for().get("/api/v1/wiki/999999").status_code == 404


# --- bad input ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "body", "field", "message"),
    [
        (" ", "", "title", "Bitte geben Sie einen Titel ein."),
        ("x" * 201, "", "title", "Der Titel darf höchstens 200 Zeichen lang sein."),
        ("Gut", "x" * 200_001, "body", "Der Text darf höchstens 200000 Zeichen"),
    ],
)
def test_bad_input_is_refused_in_german_and_nothing_is_created(
    community, author, title, body, field, message
):
    response = send(
        client_for(author),
        "POST",
        "/api/v1/communities/klima/wiki",
        {"title": title, "body": body},
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert response.json()["errors"][field][0].startswith(message)
    assert not WikiPage.objects.exists()


@pytest.mark.parametrize(
    ("title", "body", "field", "message"),
    [
        ("", "Text", "title", "Bitte geben Sie einen Titel ein."),
        ("x" * 201, "Text", "title", "Der Titel darf höchstens 200 Zeichen lang sein."),
        (None, "x" * 200_001, "body", "Der Text darf höchstens 200000 Zeichen"),
    ],
)
def test_bad_input_to_a_save_is_refused_in_german_and_nothing_is_saved(
    community, author, title, body, field, message
):
    page = new_page(community, author)

    response = save_as(author, page, body, page.latest_revision_id, title=title)

    assert response.status_code == 400
    assert response.json()["errors"][field][0].startswith(message)
    saved = WikiPage.objects.get(pk=page.pk)
    assert (saved.title, saved.body) == ("Hitzeaktionsplan", THREE_PARAGRAPHS)
    assert saved.latest_revision_id == page.latest_revision_id


# --- queries ------------------------------------------------------------------


def count_queries(client, url) -> int:
    client.get(url)  # the session and Wagtail's site root paths, once
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_tree_and_the_history_take_as_many_queries_for_many_pages(
    community, author
):
    page = new_page(community, author)
    client = client_for(author)
    tree, history = (
        count_queries(client, "/api/v1/communities/klima/wiki"),
        count_queries(client, f"/api/v1/wiki/{page.pk}/revisions"),
    )
    for number in range(5):
        new_page(community, author, title=f"Seite {number}", parent=page)
        services.wiki_page_save(
            editor=make_member(community).user,
            page=page,
            body=f"Fassung {number}",
            base_revision=latest_revision(page),
        )

    assert count_queries(client, "/api/v1/communities/klima/wiki") == tree
    assert count_queries(client, f"/api/v1/wiki/{page.pk}/revisions") == history
