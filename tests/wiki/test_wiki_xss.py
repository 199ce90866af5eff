"""The public XSS corpus (shared/data/xss, 6,613 payloads) through the wiki:
page bodies (also inside ``[[Seitenname]]`` and ``[[Seite|Linktext]]``),
titles, edit summaries, the editor (also when it shows a conflict), the
version history and the diff of two versions. Nothing of it may become
active content: no script element beyond the page's own, no event-handler
attribute, no javascript:/data:/vbscript: URL, no dangerous element.

Every payload goes through every context at least once; to keep the run
short, many payloads share one page. Bodies hold many payloads, one block
each. Titles (at most 200 characters) hold several payloads each; a batch of
pages is created through the service and then given the next batch of titles
(written as the service writes them), and for every batch the pages that list
all titles (the wiki index, the page tree, the backlinks and the moderator's
"Verschieben unter" list) are checked; the pages that show one title (its
page with its breadcrumbs, the editor, the history, the form for a sub-page)
are checked for a sample of every batch. Edit summaries: a few saves through the
service, the rest as further revisions of the same page, all shown in one
history.
"""

import re
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.html import escape
from factories.communities import make_community, make_member
from factories.xss import Checker, active, corpus_lines
from wagtail.models import Revision

from communities.models import WikiPage
from communities.wiki import services
from communities.wiki.links import WIKI_LINK
from communities.wiki.models import MAX_BODY, MAX_SUMMARY, MAX_TITLE

pytestmark = pytest.mark.django_db


def one_line(text: str) -> str:
    """As the services keep titles and summaries: whitespace collapsed."""
    return " ".join(text.split())


def pack(payloads, limit: int) -> list[str]:
    """The payloads, whitespace collapsed, packed into numbered texts of at
    most ``limit`` characters (numbered, so titles stay unique). A payload
    longer than the room is split over consecutive texts: every character
    of every payload is in some text."""
    texts, current, number = [], "", 0

    def start():
        nonlocal number
        number += 1
        return f"{number:04d}"

    current = start()
    for payload in payloads:
        rest = one_line(payload)
        while rest:
            room = limit - len(current) - 1
            if room < min(len(rest), 20):
                texts.append(current)
                current = start()
                continue
            piece = rest[:room].rstrip()
            current += " " + piece
            rest = rest[len(piece) :].lstrip()
    texts.append(current)
    for text in texts:
        assert len(text) <= limit and text == one_line(text)
    return texts


def chunks(lines, *, limit: int, separator: str, extra_per_line: int = 0):
    """``lines`` joined by ``separator`` into texts that stay below ``limit``
    (also after ``extra_per_line`` more characters on every line); each as
    (text, its lines)."""
    result, current = [], []
    size = 0
    for line in lines:
        cost = len(line) + len(separator) + extra_per_line
        if current and size + cost > limit:
            result.append((separator.join(current), current))
            current, size = [], 0
        current.append(line)
        size += cost
    if current:
        result.append((separator.join(current), current))
    return result


def test_the_checker_sees_active_content():
    assert active('<p>Text <a href="/wiki/1/" title="x">Link</a></p>') == set()
    for html in [
        "<script>alert(1)</script>",
        '<img src="/x.png" onerror="alert(1)">',
        '<a href=" java\tscript:alert(1)">x</a>',
        '<a href="&#106;avascript:alert(1)">x</a>',
        '<iframe src="/"></iframe>',
        '<svg><circle r="4"/></svg>',
        '<p style="background: url(javascript:alert(1))">x</p>',
    ]:
        assert active(html), html


@pytest.fixture
def wiki():
    """A public community's wiki with a page that has a sub-page, a link
    from it, tags and two versions; the baselines of every kind of page."""
    community = make_community(slug="korpus", visibility="public")
    member = make_member(community).user
    moderator = make_member(community, role="moderator").user
    home = services.wiki_page_create(
        author=member,
        community=community,
        title="Seite",
        body="Start mit [[Unterseite]] und [[Fehlt noch|einer neuen Seite]].",
        tags=["Korpus"],
    )
    child = services.wiki_page_create(
        author=member,
        community=community,
        title="Unterseite",
        body="Zurück zur [[Seite]].",
        parent=home,
    )
    first = home.latest_revision_id
    services.wiki_page_save(
        editor=member,
        page=home,
        body="Jetzt mit [[Unterseite]].",
        summary="Geändert",
        base_revision=first,
    )
    home.refresh_from_db()
    reader, moderation = Client(), Client()
    reader.force_login(member)
    moderation.force_login(moderator)

    checker = Checker()
    checker.learn("index", reader, "/communities/korpus/wiki/")
    checker.learn("page", reader, child.url)
    checker.learn("page-moderator", moderation, child.url)
    checker.learn("edit", reader, f"/wiki/{home.pk}/bearbeiten/")
    checker.learn("history", reader, f"/wiki/{home.pk}/versionen/")
    checker.learn(
        "diff",
        reader,
        f"/wiki/{home.pk}/vergleich/?von={first}&bis={home.latest_revision_id}",
    )
    checker.learn("create", reader, f"/communities/korpus/wiki/neu/?parent={home.pk}")
    # The editor with the form's errors (a conflict is one).
    refused = moderation.post(
        f"/wiki/{child.pk}/bearbeiten/",
        {"title": "Unterseite", "body": "Ganz anders.", "base_revision": 0},
    )
    assert refused.status_code == 400  # no such version of the page
    checker.baseline["edit-error"] = active(refused.content.decode())
    return {
        "community": community,
        "member": member,
        "moderator": moderator,
        "home": home,
        "reader": reader,
        "moderation": moderation,
        "checker": checker,
    }


def _latest(page) -> int:
    return WikiPage.objects.get(pk=page.pk).latest_revision_id


def test_payloads_in_bodies_the_editor_a_conflict_and_the_diff_stay_inert(wiki):
    member, reader, checker = wiki["member"], wiki["reader"], wiki["checker"]
    moderation = wiki["moderation"]
    payloads = corpus_lines()
    changed = " geändert "
    bodies = chunks(
        payloads,
        limit=MAX_BODY - 1_000,
        separator="\n\n",
        extra_per_line=len("Alt: ") + len(changed),
    )
    for number, (body, lines) in enumerate(bodies, 1):
        page = services.wiki_page_create(
            author=member,
            community=wiki["community"],
            title=f"Korpus {number}",
            body="Anfang\n",
        )
        start = _latest(page)
        services.wiki_page_save(
            editor=member, page=page, body=body, summary="Korpus", base_revision=start
        )
        with_payloads = _latest(page)
        html = checker.get("page", reader, page.url)
        assert WikiPage.objects.get(pk=page.pk).body_html in html
        html = checker.get("edit", reader, f"/wiki/{page.pk}/bearbeiten/")
        assert escape(lines[-1]) in html

        # Every line changed in its middle: the diff marks words inside the
        # payloads.
        variant = "\n\n".join(
            line[: len(line) // 2] + changed + line[len(line) // 2 :] for line in lines
        )
        services.wiki_page_save(
            editor=member,
            page=page,
            body=variant,
            summary="Mitte",
            base_revision=with_payloads,
        )
        changed_revision = _latest(page)
        checker.get("page", reader, page.url)

        # Somebody else edited every line from the same version: the editor
        # comes back with both texts between conflict markers.
        response = moderation.post(
            f"/wiki/{page.pk}/bearbeiten/",
            {
                "title": page.title,
                "body": "\n\n".join(f"Alt: {line}" for line in lines),
                "summary": "Konflikt",
                "base_revision": with_payloads,
            },
        )
        assert response.status_code == 409
        html = checker.check("edit-error", response, f"Konflikt {page.pk}")
        assert "&lt;&lt;&lt;&lt;&lt;&lt;&lt; Ihre Fassung" in html
        assert escape(f"Alt: {lines[-1]}") in html

        services.wiki_page_save(
            editor=member,
            page=page,
            body="Ende\n",
            summary="Ende",
            base_revision=changed_revision,
        )
        end = _latest(page)
        diff = f"/wiki/{page.pk}/vergleich/"
        # Inserted lines, changed lines (words marked), deleted lines.
        html = checker.get("diff", reader, f"{diff}?von={start}&bis={with_payloads}")
        assert html.count("wiki-diff__row--insert") >= len(lines)
        html = checker.get(
            "diff", reader, f"{diff}?von={with_payloads}&bis={changed_revision}"
        )
        assert html.count("<ins>") >= len(lines), html.count("<ins>")
        html = checker.get("diff", reader, f"{diff}?von={changed_revision}&bis={end}")
        assert html.count("wiki-diff__row--delete") >= len(lines)
    checker.assert_inert()


def test_payloads_in_wiki_links_stay_inert(wiki):
    """``[[payload]]`` (a page that does not exist yet: a link to the form
    that creates it) and ``[[Seite|payload]]`` (the existing page, the
    payload its text)."""
    member, reader, checker, home = (
        wiki["member"],
        wiki["reader"],
        wiki["checker"],
        wiki["home"],
    )
    payloads = corpus_lines()
    lines = [f"[[{p}]]\n\n[[Seite|{p}]]" for p in payloads]
    for number, (body, _lines) in enumerate(
        chunks(lines, limit=MAX_BODY - 1_000, separator="\n\n"), 1
    ):
        page = services.wiki_page_create(
            author=member,
            community=wiki["community"],
            title=f"Links {number}",
            body=body,
        )
        html = checker.get("page", reader, page.url)
        body_html = WikiPage.objects.get(pk=page.pk).body_html
        assert body_html in html
        # Every [[link]] of the text became a link, to a page or to the form
        # that creates it; and the payloads inside them did not add any.
        expected = sum(1 for m in WIKI_LINK.finditer(body) if m.group(1).split())
        to_pages = len(re.findall(r'href="/wiki/\d+/"', body_html))
        to_new = body_html.count('href="/communities/korpus/wiki/neu/?titel=')
        assert to_pages + to_new == expected, (number, to_pages, to_new, expected)
        checker.get("edit", reader, f"/wiki/{page.pk}/bearbeiten/")
    # The page linked to lists every page that links to it.
    html = checker.get("page", reader, home.url)
    assert "Links 1" in html
    checker.assert_inert()


def test_payloads_as_titles_stay_inert(wiki):
    member, reader, moderation, checker, home = (
        wiki["member"],
        wiki["reader"],
        wiki["moderation"],
        wiki["checker"],
        wiki["home"],
    )
    titles = pack(corpus_lines(), MAX_TITLE)
    batch, chain = 50, 10
    # Chains of pages, each below the one before: breadcrumbs and sub-page
    # lists show titles too. Each links to "Seite", whose backlinks list all.
    pages = []
    for number, title in enumerate(titles[:batch]):
        pages.append(
            services.wiki_page_create(
                author=member,
                community=wiki["community"],
                title=title,
                body="Siehe [[Seite]].",
                parent=pages[-1] if number % chain else None,
            )
        )
    sample = 0
    for start in range(0, len(titles), batch):
        names = titles[start : start + batch]
        if start:
            # The next titles, as the service writes them (a rename through
            # the service per title would take minutes).
            for page, name in zip(pages, names, strict=False):
                page.title = page.draft_title = name
            WikiPage.objects.bulk_update(pages[: len(names)], ["title", "draft_title"])
        label = f"(Titel {start + 1}–{start + len(names)})"
        html = checker.get("index", reader, "/communities/korpus/wiki/")
        missing = [n for n in names if escape(n) not in html]
        assert not missing, f"{label}: titles missing from the index: {missing[:2]}"
        # Backlinks and the moderator's move list: every title (the sidebar
        # folds the other branches; the index above shows the whole tree).
        html = checker.get("page-moderator", moderation, home.url)
        assert html.count(escape(names[-1])) >= 2, label
        # A sample of the pages that show one title.
        # The last page of a chain (breadcrumbs), or the first (sub-pages).
        round_ = start // batch
        first = round_ // 2 % (batch // chain) * chain
        shown = pages[first if round_ % 2 else first + chain - 1]
        checker.get("page", reader, shown.url)
        one = pages[sample % len(names)]
        sample += 7
        checker.get("edit", reader, f"/wiki/{one.pk}/bearbeiten/")
        if round_ % 2:
            checker.get("history", reader, f"/wiki/{one.pk}/versionen/")
        else:
            checker.get(
                "create", reader, f"/communities/korpus/wiki/neu/?parent={one.pk}"
            )
    checker.assert_inert()


def test_payloads_as_edit_summaries_stay_inert(wiki):
    member, reader, checker = wiki["member"], wiki["reader"], wiki["checker"]
    summaries = pack(corpus_lines(), MAX_SUMMARY)
    page = services.wiki_page_create(
        author=member, community=wiki["community"], title="Versionen", body="Text"
    )
    saved = 12
    for number, summary in enumerate(summaries[:saved]):
        services.wiki_page_save(
            editor=member,
            page=page,
            body=f"Fassung {number}",
            summary=summary,
            base_revision=_latest(page),
        )
        # The page shows the summary of its latest version.
        html = checker.get("page", reader, page.url)
        assert escape(summary) in html
    # The others as further versions of the page, as the service stores them.
    latest = Revision.objects.get(pk=_latest(page))
    now = timezone.now()
    Revision.objects.bulk_create(
        Revision(
            content_type_id=latest.content_type_id,
            base_content_type_id=latest.base_content_type_id,
            object_id=latest.object_id,
            object_str=latest.object_str,
            user=member,
            created_at=now + timedelta(seconds=number),
            content={**latest.content, "edit_summary": summary},
        )
        for number, summary in enumerate(summaries[saved:], 1)
    )
    # Every page of the history (50 versions each).
    pages, number = [], 1
    while True:
        html = checker.get(
            "history", reader, f"/wiki/{page.pk}/versionen/?page={number}"
        )
        pages.append(html)
        if 'rel="next"' not in html:
            break
        number += 1
    assert len(pages) == -(-(len(summaries) + 1) // 50)
    html = "".join(pages)
    missing = [s for s in summaries if escape(s) not in html]
    assert not missing, f"summaries missing from the history: {missing[:2]}"
    checker.assert_inert()


def test_payloads_prefilled_in_the_create_form_stay_inert(wiki):
    """A [[link]] to a page that does not exist yet opens the form with the
    title filled in (``?titel=``): a sample of the titles, one per form."""
    reader, checker = wiki["reader"], wiki["checker"]
    titles = pack(corpus_lines(), MAX_TITLE)
    for title in titles[::25]:
        html = checker.get(
            "create",
            reader,
            "/communities/korpus/wiki/neu/?" + urlencode({"titel": title}),
        )
        assert f'value="{escape(title)}"' in html
    checker.assert_inert()
