"""The wiki's page tree as nested lists, the sidebar of a large wiki, and
the query counts of the tree and of a page with many backlinks, pinned:
they must not grow with the number of pages or links."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from factories import client_for
from factories.communities import make_community, make_member

from communities.models import WikiLink, WikiPage
from communities.wiki import services

pytestmark = pytest.mark.django_db

# What a member's request costs, whatever the size of the wiki: the session,
# the user, the membership, Wagtail's routing (one query per path segment)
# and the page's own parts (tree, backlinks, tags, files, watching).
INDEX_QUERIES = 6
PAGE_QUERIES = 19


@pytest.fixture
def community():
    return make_community(slug="klima", title="Klimaanpassung")


@pytest.fixture
def author(community):
    return make_member(community).user


def new_page(community, author, title, parent=None, body="Text"):
    return services.wiki_page_create(
        author=author, community=community, title=title, body=body, parent=parent
    )


def count_queries(client, url) -> tuple[int, str]:
    client.get(url)  # the session and Wagtail's site root paths, once
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.text


def tree_of(html: str) -> str:
    """The sidebar/index tree, reduced to its list structure and titles."""
    nav = re.search(r'<nav class="wiki-tree".*?</nav>', html, re.S).group(0)
    nav = re.sub(r'<a [^>]*aria-current="page"[^>]*>', "*", nav)
    nav = re.sub(r"<a [^>]*>|</a>", "", nav)
    nav = re.sub(r"<(ul|li)[^>]*>", r"<\1>", nav)
    return re.sub(r"<nav[^>]*>|</nav>|\s", "", nav)


def test_the_tree_is_nested_lists_and_the_sidebar_folds_other_branches(
    community, author
):
    a = new_page(community, author, "Anleitung")
    a1 = new_page(community, author, "Erster Schritt", parent=a)
    new_page(community, author, "Detail", parent=a1)
    b = new_page(community, author, "Beispiele")
    new_page(community, author, "Stadt Musterhausen", parent=b)
    client = client_for(author)

    index = client.get("/communities/klima/wiki/").text
    assert tree_of(index) == (
        "<ul><li>Anleitung<ul><li>ErsterSchritt<ul><li>Detail</li></ul></li></ul>"
        "</li><li>Beispiele<ul><li>StadtMusterhausen</li></ul></li></ul>"
    )
    # On a page, the branch it is in is open, the others folded.
    page = client.get(a1.url).text
    assert tree_of(page) == (
        "<ul><li>Anleitung<ul><li>*ErsterSchritt<ul><li>Detail</li></ul></li></ul>"
        "</li><li>Beispiele</li></ul>"
    )
    assert 'aria-current="page">Erster Schritt</a>' in page


def test_a_sub_page_restored_on_its_own_brings_its_parents_back(community, author):
    moderator = make_member(community, role="moderator").user
    parent = new_page(community, author, "Anleitung")
    child = new_page(community, author, "Erster Schritt", parent=parent)
    services.wiki_page_delete(actor=moderator, page=parent)

    services.wiki_page_restore(actor=moderator, page=WikiPage.objects.get(pk=child.pk))

    assert WikiPage.objects.filter(deleted_at__isnull=True).count() == 2
    index = client_for(author).get("/communities/klima/wiki/").text
    assert (
        tree_of(index) == "<ul><li>Anleitung<ul><li>ErsterSchritt</li></ul></li></ul>"
    )


def test_the_index_takes_the_same_queries_for_a_larger_tree(community, author):
    client = client_for(author)
    top = new_page(community, author, "Bereich")
    small, _ = count_queries(client, "/communities/klima/wiki/")

    for n in range(4):
        middle = new_page(community, author, f"Thema {n}", parent=top)
        for m in range(3):
            new_page(community, author, f"Seite {n}-{m}", parent=middle)
    large, html = count_queries(client, "/communities/klima/wiki/")

    assert small == large == INDEX_QUERIES
    assert html.count('class="wiki-tree__item"') == 17


def test_a_page_takes_the_same_queries_for_more_backlinks_and_pages(community, author):
    moderator = make_member(community, role="moderator").user
    target = new_page(community, author, "Zentrale Handreichung")
    source = new_page(community, author, "Verweis", body="[[Zentrale Handreichung]]")
    member, manager = client_for(author), client_for(moderator)
    few = count_queries(member, target.url)[0], count_queries(manager, target.url)[0]

    parent = new_page(community, author, "Sammlung")
    for n in range(12):
        new_page(
            community,
            author,
            f"Verweis {n}",
            parent=parent if n % 2 else None,
            body="Siehe [[Zentrale Handreichung]].",
        )
    new_page(community, author, "Unterseite", parent=target)
    assert WikiLink.objects.filter(target=target).count() == 13
    (many, html), (many_managed, managed_html) = (
        count_queries(member, target.url),
        count_queries(manager, target.url),
    )

    assert few == (many, many_managed)
    assert many == PAGE_QUERIES
    backlinks = html.split('id="backlinks-title"')[1].split("</section>")[0]
    assert backlinks.count("<li>") == 13
    assert f'href="{source.url}">Verweis</a>' in backlinks
    # The moderation's move form offers every page but the page itself and
    # what is below it, indented by level.
    options = re.findall(r"<option value=\"(\d+)\"[^>]*>([^<]*)</option>", managed_html)
    assert len(options) == WikiPage.objects.count() - 2
    assert (str(parent.pk), "Sammlung") in options
    assert any(label == "\u2003Verweis 1" for _, label in options)


def test_creating_and_saving_take_the_same_queries_in_a_larger_wiki(community, author):
    """Creating and saving go through Wagtail (the page, a revision, its
    publication, the log, Wagtail's own search index): many queries, but as
    many in a wiki of twenty pages as in one of two."""
    client = client_for(author)

    def create(title):
        with CaptureQueriesContext(connection) as queries:
            response = client.post(
                "/communities/klima/wiki/neu/",
                {"title": title, "body": "Siehe [[Erste]].", "tags": "Hitze, Kita"},
            )
        assert response.status_code == 302
        return len(queries)

    def save(page, text):
        page = WikiPage.objects.get(pk=page.pk)
        with CaptureQueriesContext(connection) as queries:
            response = client.post(
                f"/wiki/{page.pk}/bearbeiten/",
                {
                    "title": page.title,
                    "body": text,
                    "tags": "Hitze",
                    "base_revision": page.latest_revision_id,
                },
            )
        assert response.status_code == 302
        return len(queries)

    new_page(community, author, "Erste")
    create("Erster Entwurf")  # the session, the two tags and Django's
    save(WikiPage.objects.get(title="Erster Entwurf"), "Neu")  # content types
    small = create("Zweite"), save(WikiPage.objects.get(title="Zweite"), "Neu")
    for n in range(18):
        new_page(community, author, f"Seite {n}", body="[[Erste]] und [[Zweite]]")
    large = create("Dritte"), save(WikiPage.objects.get(title="Dritte"), "Neu")

    assert small == large
