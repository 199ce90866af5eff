"""The wiki's services: pages as Wagtail revisions, [[links]] by page id,
saving from a base revision (merge or conflict, never a lost edit), revert,
protection, moving, soft deletion, and the permission module's answers."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from factories import UserFactory, client_for
from factories.communities import make_community, make_member

from communities import permissions as perms
from communities.models import WikiLink, WikiPage, WikiWatch
from communities.wiki import services
from communities.wiki.services import EditConflict

pytestmark = pytest.mark.django_db

THREE_PARAGRAPHS = "Erster Absatz.\n\nZweiter Absatz.\n\nDritter Absatz.\n"


@pytest.fixture
def wiki_visibility():
    """The community of these tests (tests/wiki/conftest.py) is internal."""
    return "internal"


def new_page(community, author, title="Hitzeaktionsplan", body=THREE_PARAGRAPHS, **kw):
    return services.wiki_page_create(
        author=author, community=community, title=title, body=body, **kw
    )


def save_paragraph(editor, page, base, old, new):
    """``editor`` saves, from revision ``base``, the three paragraphs with
    ``old`` changed to ``new``."""
    body = THREE_PARAGRAPHS.replace(old, new)
    return services.wiki_page_save(
        editor=editor, page=page, body=body, base_revision=base
    )


def test_a_page_is_a_published_revision_with_its_summary(community, author):
    page = new_page(community, author, summary="Erste Fassung", tags=["Hitze"])

    assert page.live and page.get_parent().specific == community
    assert page.slug == "hitzeaktionsplan"
    revision = page.latest_revision
    assert revision.user == author
    assert revision.content["edit_summary"] == "Erste Fassung"
    assert revision.content["body"] == THREE_PARAGRAPHS
    assert "<p>Erster Absatz.</p>" in page.body_html
    assert [t.name for t in page.tags.all()] == ["Hitze"]
    assert WikiWatch.objects.filter(page=page, user=author).exists()


def test_slugs_are_readable_unique_and_do_not_shadow_community_paths(community, author):
    first = new_page(community, author, title="Straßenreinigung: Übersicht")
    assert first.slug == "strassenreinigung-uebersicht"
    members = new_page(community, author, title="Mitglieder")
    assert members.slug == "mitglieder-seite"
    child = new_page(community, author, title="Mitglieder Liste", parent=members)
    assert child.get_parent().pk == members.pk


def test_links_resolve_by_id_survive_a_rename_and_show_missing_pages(community, author):
    target = new_page(community, author, title="Checkliste Hitze")
    source = new_page(
        community,
        author,
        title="Übersicht",
        body="Siehe [[checkliste  hitze]] und [[Muster|die Vorlage]].",
    )

    assert f'href="/wiki/{target.pk}/"' in source.body_html
    assert ">checkliste hitze</a>" in source.body_html
    assert 'href="/communities/klima/wiki/neu/?titel=Muster"' in source.body_html
    assert 'title="Diese Seite gibt es noch nicht' in source.body_html
    assert list(WikiPage.objects.filter(outgoing_links__target=target)) == [source]

    # Renamed: the link still reaches the page (by id).
    services.wiki_page_save(
        editor=author,
        page=target,
        title="Checkliste Hitzeschutz",
        body=target.body,
        base_revision=target.latest_revision_id,
    )
    response = client_for(author).get(f"/wiki/{target.pk}/")
    assert response.status_code == 302
    assert response["Location"] == WikiPage.objects.get(pk=target.pk).url

    # The missing page is created: the waiting link now points at it.
    muster = new_page(community, author, title="Muster")
    source.refresh_from_db()
    assert f'href="/wiki/{muster.pk}/"' in source.body_html
    assert WikiLink.objects.get(source=source, target_title="Muster").target == muster


def test_a_link_loop_is_just_two_links(community, author):
    a = new_page(community, author, title="A", body="Zu [[B]]")
    b = new_page(community, author, title="B", body="Zurück zu [[A]] und zu [[B]]")
    a = WikiPage.objects.get(pk=a.pk)
    assert f'href="/wiki/{b.pk}/"' in a.body_html
    assert (
        f'href="/wiki/{a.pk}/"' in b.body_html
        and f'href="/wiki/{b.pk}/"' in b.body_html
    )


def test_saving_from_the_latest_revision_saves(community, author):
    page = new_page(community, author)
    result = services.wiki_page_save(
        editor=author,
        page=page,
        body=THREE_PARAGRAPHS + "\nVierter Absatz.\n",
        summary="Ergänzt",
        base_revision=page.latest_revision_id,
    )
    assert not result.merged
    assert result.page.body.endswith("Vierter Absatz.\n")
    assert result.revision.content["edit_summary"] == "Ergänzt"


def test_two_edits_of_different_paragraphs_are_merged(community, author):
    page = new_page(community, author)
    base = page.latest_revision_id
    other = make_member(community).user
    save_paragraph(other, page, base, "Erster", "Geänderter erster")

    result = save_paragraph(author, page, base, "Dritter", "Geänderter dritter")

    assert result.merged
    assert "Geänderter erster Absatz." in result.page.body
    assert "Geänderter dritter Absatz." in result.page.body


def test_a_conflict_saves_nothing_and_returns_the_editors_text(community, author):
    page = new_page(community, author)
    base = page.latest_revision_id
    other = make_member(community).user
    save_paragraph(other, page, base, "Zweiter", "Ihr zweiter")
    saved = WikiPage.objects.get(pk=page.pk).latest_revision_id

    with pytest.raises(EditConflict) as conflict:
        save_paragraph(author, page, base, "Zweiter", "Mein zweiter")

    assert "Mein zweiter Absatz." in conflict.value.merged_body
    assert "Ihr zweiter Absatz." in conflict.value.merged_body
    assert len(conflict.value.conflicts) == 1
    assert conflict.value.revision_id == saved
    assert WikiPage.objects.get(pk=page.pk).latest_revision_id == saved


def test_a_base_revision_of_another_page_is_refused(community, author):
    page = new_page(community, author)
    other = new_page(community, author, title="Andere Seite")
    with pytest.raises(ValidationError) as error:
        services.wiki_page_save(
            editor=author, page=page, body="x", base_revision=other.latest_revision_id
        )
    assert "gehört nicht zu dieser Seite" in str(error.value)
    with pytest.raises(ValidationError):
        services.wiki_page_revert(
            editor=author, page=page, revision=other.latest_revision_id
        )
    assert WikiPage.objects.get(pk=page.pk).body == THREE_PARAGRAPHS


def test_revert_is_a_new_revision_with_the_old_text(community, author):
    page = new_page(community, author)
    first = page.latest_revision_id
    services.wiki_page_save(
        editor=author, page=page, body="Alles neu.", base_revision=first
    )

    result = services.wiki_page_revert(editor=author, page=page, revision=first)

    assert result.page.body == THREE_PARAGRAPHS
    assert result.revision.pk not in (first,)
    assert (
        "Zurückgesetzt auf die Version vom" in result.revision.content["edit_summary"]
    )
    assert page.revisions.count() == 3


@pytest.mark.parametrize(
    ("title", "body", "message"),
    [
        (" ", "", "Bitte geben Sie einen Titel ein."),
        ("x" * 201, "", "höchstens 200 Zeichen"),
        ("Gut", "x" * 200_001, "höchstens 200000 Zeichen"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_created(
    community, author, title, body, message
):
    with pytest.raises(ValidationError) as error:
        new_page(community, author, title=title, body=body)
    assert message in str(error.value)
    assert not WikiPage.objects.exists()


def test_titles_are_unique_in_a_wiki(community, author):
    new_page(community, author, title="Checkliste")
    with pytest.raises(ValidationError) as error:
        new_page(community, author, title="checkliste")
    assert "gibt es in diesem Wiki schon" in str(error.value)


def test_protected_pages_are_edited_by_moderators_only(community, author):
    page = new_page(community, author)
    moderator = make_member(community, role="moderator").user
    with pytest.raises(PermissionDenied):
        services.wiki_page_protect(actor=author, page=page, protected=True)
    services.wiki_page_protect(actor=moderator, page=page, protected=True)

    with pytest.raises(PermissionDenied) as refused:
        services.wiki_page_save(
            editor=author, page=page, body="x", base_revision=page.latest_revision_id
        )
    assert "geschützt" in str(refused.value)
    services.wiki_page_save(
        editor=moderator,
        page=page,
        body="Gepflegt.",
        base_revision=page.latest_revision_id,
    )


def test_a_page_cannot_move_below_itself(community, author):
    moderator = make_member(community, role="moderator").user
    parent = new_page(community, author, title="Eltern")
    child = new_page(community, author, title="Kind", parent=parent)
    with pytest.raises(ValidationError) as error:
        services.wiki_page_move(actor=moderator, page=parent, new_parent=child)
    assert "nicht unter sich selbst" in str(error.value)
    other = new_page(community, author, title="Andere")
    moved = services.wiki_page_move(actor=moderator, page=child, new_parent=other)
    assert moved.get_parent().pk == other.pk
    top = services.wiki_page_move(actor=moderator, page=moved, new_parent=community)
    assert top.get_parent().pk == community.pk


def test_deleted_pages_are_hidden_and_restorable_by_moderators(community, author):
    moderator = make_member(community, role="moderator").user
    page = new_page(community, author)
    child = new_page(community, author, title="Unterseite", parent=page)
    with pytest.raises(PermissionDenied):
        services.wiki_page_delete(actor=author, page=page)
    services.wiki_page_delete(actor=moderator, page=page)

    assert not perms.can_view_wiki_page(author, WikiPage.objects.get(pk=child.pk))
    assert perms.can_view_wiki_page(moderator, WikiPage.objects.get(pk=page.pk))
    assert client_for(author).get(page.url).status_code == 404

    services.wiki_page_restore(actor=moderator, page=WikiPage.objects.get(pk=page.pk))
    assert client_for(author).get(page.url).status_code == 200
    assert perms.can_view_wiki_page(author, WikiPage.objects.get(pk=child.pk))


def test_a_private_communitys_wiki_does_not_exist_for_outsiders():
    secret = make_community(slug="geheim", visibility="private")
    member = make_member(secret).user
    page = new_page(secret, member, title="Vertrauliche Checkliste")
    outsider = UserFactory()

    for url in (page.url, f"/wiki/{page.pk}/", "/communities/geheim/wiki/"):
        assert client_for(outsider).get(url).status_code == 404, url
        assert client_for(member).get(url).status_code in (200, 302), url
    with pytest.raises(Http404):
        perms.check_view_wiki_page(outsider, page)
    with pytest.raises(Http404):
        services.wiki_page_save(
            editor=outsider, page=page, body="x", base_revision=page.latest_revision_id
        )


def test_the_wiki_pages_show_tree_backlinks_and_create_form(community, author):
    top = new_page(community, author, title="Handreichungen")
    new_page(
        community, author, title="Checkliste", parent=top, body="Zu [[Handreichungen]]"
    )
    client = client_for(author)

    index = client.get("/communities/klima/wiki/")
    assert "Handreichungen" in index.text and "Checkliste" in index.text
    page = client.get(top.url)
    assert page.status_code == 200
    assert "Links auf diese Seite" in page.text and ">Checkliste</a>" in page.text

    form = client.get("/communities/klima/wiki/neu/?titel=Muster")
    assert 'value="Muster"' in form.text
    created = client.post(
        "/communities/klima/wiki/neu/",
        {"title": "Muster", "body": "# Muster\n\nText", "summary": "Neu"},
    )
    assert created.status_code == 302
    assert WikiPage.objects.filter(title="Muster").exists()
    refused = client.post("/communities/klima/wiki/neu/", {"title": " "})
    assert refused.status_code == 400
    assert "Bitte geben Sie einen Titel ein." in refused.text


def test_editing_in_the_browser_merges_or_shows_the_conflict_with_the_text_kept(
    community, author
):
    page = new_page(community, author)
    base = page.latest_revision_id
    other = make_member(community).user
    edit_url = f"/wiki/{page.pk}/bearbeiten/"
    form = client_for(author).get(edit_url)
    assert f'name="base_revision" value="{base}"' in form.text

    client_for(other).post(
        edit_url,
        {
            "title": page.title,
            "body": THREE_PARAGRAPHS.replace("Erster", "Ihr erster"),
            "summary": "Erster Absatz",
            "base_revision": base,
        },
    )
    merged = client_for(author).post(
        edit_url,
        {
            "title": page.title,
            "body": THREE_PARAGRAPHS.replace("Dritter", "Mein dritter"),
            "summary": "Dritter Absatz",
            "base_revision": base,
        },
        follow=True,
    )
    assert "beide Änderungen wurden zusammengeführt" in merged.text
    body = WikiPage.objects.get(pk=page.pk).body
    assert "Ihr erster" in body and "Mein dritter" in body

    conflict = client_for(author).post(
        edit_url,
        {
            "title": page.title,
            "body": THREE_PARAGRAPHS.replace("Erster", "Nochmal mein erster"),
            "summary": "",
            "base_revision": base,
        },
    )
    assert conflict.status_code == 409
    assert "Nochmal mein erster Absatz." in conflict.text
    assert "&lt;&lt;&lt;&lt;&lt;&lt;&lt; Ihre Fassung" in conflict.text
    latest = WikiPage.objects.get(pk=page.pk).latest_revision_id
    assert f'name="base_revision" value="{latest}"' in conflict.text
    assert "Nochmal" not in WikiPage.objects.get(pk=page.pk).body


def test_history_diff_and_revert_in_the_browser(community, author):
    page = new_page(community, author, body="Die Straße wird gereinigt.\n")
    first = page.latest_revision_id
    services.wiki_page_save(
        editor=author,
        page=page,
        body="Die Straße wird wöchentlich gereinigt.\n",
        summary="Häufigkeit ergänzt",
        base_revision=first,
    )
    client = client_for(author)
    history = client.get(f"/wiki/{page.pk}/versionen/")
    assert "Häufigkeit ergänzt" in history.text
    latest = WikiPage.objects.get(pk=page.pk).latest_revision_id
    diff = client.get(f"/wiki/{page.pk}/vergleich/?von={first}&bis={latest}")
    assert diff.status_code == 200
    assert "<ins>wöchentlich" in diff.text
    other = new_page(community, author, title="Andere")
    refused = client.get(
        f"/wiki/{page.pk}/vergleich/?von={other.latest_revision_id}&bis={latest}",
        follow=True,
    )
    assert "Bitte wählen Sie zwei Versionen dieser Seite." in refused.text
    # Digits that str.isdigit() takes and int() does not: no 500.
    for odd in ("²", "٣"):
        refused = client.get(
            f"/wiki/{page.pk}/vergleich/?von={odd}&bis={latest}", follow=True
        )
        assert "Bitte wählen Sie zwei Versionen dieser Seite." in refused.text
        parent = client.get(f"/communities/{community.slug}/wiki/neu/?parent={odd}")
        assert parent.status_code == 404

    client.post(f"/wiki/{page.pk}/zuruecksetzen/", {"revision": first})
    assert WikiPage.objects.get(pk=page.pk).body == "Die Straße wird gereinigt.\n"


def test_a_long_history_is_paginated_with_the_same_queries(
    community, author, monkeypatch
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from communities.views import wiki as wiki_views

    monkeypatch.setattr(wiki_views, "HISTORY_PER_PAGE", 5)
    page = new_page(community, author, body="Fassung 0\n")
    for number in range(1, 12):
        services.wiki_page_save(
            editor=make_member(community).user,
            page=page,
            body=f"Fassung {number}\n",
            summary=f"Änderung {number}",
            base_revision=WikiPage.objects.get(pk=page.pk).latest_revision_id,
        )
    client = client_for(author)
    url = f"/wiki/{page.pk}/versionen/"
    first = client.get(url).text
    assert "Änderung 11" in first and "Änderung 7" in first
    assert "Änderung 6" not in first
    assert "Seite 1 von 3" in first and "(aktuell)" in first
    assert first.count('form="revert-') == 4  # not for the current version
    with CaptureQueriesContext(connection) as queries:
        last = client.get(f"{url}?page=3")
    assert "Änderung 1<" in last.text and "Änderung 2" not in last.text
    assert "Seite 3 von 3" in last.text and "(aktuell)" not in last.text
    assert last.text.count('form="revert-') == 2
    with CaptureQueriesContext(connection) as second:
        client.get(f"{url}?page=2")
    assert len(second) == len(queries)


def test_moderators_manage_pages_in_the_browser(community, author):
    moderator = make_member(community, role="moderator").user
    parent = new_page(community, author, title="Eltern")
    page = new_page(community, author, title="Kind")
    mod = client_for(moderator)
    assert "Verschieben unter" in mod.get(page.url).text
    assert "Verschieben unter" not in client_for(author).get(page.url).text

    mod.post(f"/wiki/{page.pk}/verwalten/", {"action": "protect"})
    assert WikiPage.objects.get(pk=page.pk).protected
    assert client_for(author).get(f"/wiki/{page.pk}/bearbeiten/").status_code == 403
    mod.post(f"/wiki/{page.pk}/verwalten/", {"action": "move", "parent": parent.pk})
    assert WikiPage.objects.get(pk=page.pk).get_parent().pk == parent.pk
    loop = mod.post(
        f"/wiki/{parent.pk}/verwalten/",
        {"action": "move", "parent": page.pk},
        follow=True,
    )
    assert "nicht unter sich selbst" in loop.text
    assert (
        client_for(author)
        .post(f"/wiki/{page.pk}/verwalten/", {"action": "delete"})
        .status_code
        == 403
    )


def test_headings_get_anchors_and_a_table_of_contents(community, author):
    page = new_page(
        community,
        author,
        title="Leitfaden",
        body="## Ablauf\n\nText\n\n### Fristen & <Termine>\n\nText\n\n## Ablauf\n",
    )
    assert '<h2 id="abschnitt-ablauf">Ablauf</h2>' in page.body_html
    assert '<h2 id="abschnitt-ablauf-2">Ablauf</h2>' in page.body_html
    html = client_for(author).get(page.url).text
    assert 'href="#abschnitt-fristen-termine">Fristen &amp; &lt;Termine&gt;</a>' in html


def test_recent_changes_list_every_save_with_a_diff_link(community, author):
    page = new_page(community, author, title="Checkliste")
    first = page.latest_revision_id
    services.wiki_page_save(
        editor=author, page=page, body="Neu", summary="Gekürzt", base_revision=first
    )
    latest = WikiPage.objects.get(pk=page.pk).latest_revision_id
    html = client_for(author).get("/communities/klima/wiki/aenderungen/").text
    assert "Gekürzt" in html and "neu angelegt" in html
    assert f"/wiki/{page.pk}/vergleich/?von={first}&amp;bis={latest}" in html


def test_a_solved_thread_becomes_a_wiki_page_linking_back(community, author):
    from factories.discussions import make_post, make_thread

    thread = make_thread(community, author, title="Hitzeschutz in Kitas?", body="Wie?")
    answer = make_post(thread, body="Mit Sonnensegeln.")
    thread.solution = answer
    thread.save()
    url = f"/communities/klima/diskussionen/{thread.pk}/als-wiki-seite/"
    client = client_for(author)
    assert (
        "Als Wiki-Seite übernehmen"
        in client.get(f"/communities/klima/diskussionen/{thread.pk}/").text
    )
    form = client.get(url)
    assert "Mit Sonnensegeln." in form.text and "Wie?" in form.text
    assert client_for(make_member(community).user).get(url).status_code == 403

    data = {
        "title": "Hitzeschutz in Kitas",
        "body": "## Frage\n\nWie?\n\n## Lösung\n\nMit Sonnensegeln.",
        "summary": "Übernommen",
    }
    assert client.post(url, data).status_code == 302
    page = WikiPage.objects.get(title="Hitzeschutz in Kitas")
    assert page.source_thread == thread


def test_files_of_a_wiki_page_are_served_to_its_readers_only(settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from communities.discussions.attachments import attachment_upload

    settings.MEDIA_ROOT = tmp_path
    secret = make_community(slug="geheim", visibility="private")
    member = make_member(secret).user
    upload = attachment_upload(
        user=member,
        community=secret,
        file=SimpleUploadedFile("Muster.pdf", b"%PDF-1.4 Mustervorlage"),
    )
    response = client_for(member).post(
        "/communities/geheim/wiki/neu/",
        {"title": "Mustervorlagen", "body": "Siehe Anhang", "attachments": [upload.pk]},
    )
    assert response.status_code == 302
    page = WikiPage.objects.get(title="Mustervorlagen")
    upload.refresh_from_db()
    assert upload.wiki_page_id == page.pk
    assert "Muster.pdf" in client_for(member).get(page.url).text

    url = upload.document.url
    assert client_for(member).get(url).status_code == 200
    assert client_for(UserFactory()).get(url).status_code == 404


def test_a_rename_and_tags_saved_in_between_are_kept(community, author):
    page = new_page(community, author, title="Alt", tags=["A"])
    base = page.latest_revision_id
    other = make_member(community).user
    services.wiki_page_save(
        editor=other,
        page=page,
        title="Neu",
        tags=["A", "B"],
        body=THREE_PARAGRAPHS,
        base_revision=base,
    )
    result = services.wiki_page_save(
        editor=author,
        page=page,
        title="Alt",
        tags=["A", "C"],
        body=THREE_PARAGRAPHS.replace("Dritter", "Letzter"),
        base_revision=base,
    )
    page = WikiPage.objects.get(pk=page.pk)
    assert result.merged
    assert page.title == "Neu"
    assert sorted(t.name for t in page.tags.all()) == ["A", "B", "C"]
    assert "Letzter Absatz." in page.body


def test_moderators_find_deleted_pages_in_the_wiki_and_restore_them(community, author):
    moderator = make_member(community, role="moderator").user
    page = new_page(community, author, title="Veraltete Checkliste")
    client_for(moderator).post(f"/wiki/{page.pk}/verwalten/", {"action": "delete"})

    assert (
        "Veraltete Checkliste"
        not in client_for(author).get("/communities/klima/wiki/").text
    )
    index = client_for(moderator).get("/communities/klima/wiki/").text
    assert "Gelöschte Seiten" in index and "Veraltete Checkliste" in index
    client_for(moderator).post(f"/wiki/{page.pk}/verwalten/", {"action": "restore"})
    assert (
        "Veraltete Checkliste"
        in client_for(author).get("/communities/klima/wiki/").text
    )
