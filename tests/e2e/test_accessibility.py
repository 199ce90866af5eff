"""Automated accessibility checks (BITV 2.0 / WCAG 2.1 AA) with axe-core.

Debian's Chromium, driven by Playwright, opens the pages of the live server as
a visitor, as the demo member and as the demo moderator; axe-core (from the
npm package in node_modules/) checks every page against the WCAG 2.0/2.1 A and
AA rules. One test per role keeps one seeded database and one login; every
page is its own subtest, so a failure names the URL and lists each violation
with its rule, impact, help text and the first offending elements.

axe finds only part of the WCAG problems (roughly a third to a half); it does
not replace manual checks with keyboard and screen reader.
"""

import os
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.management import call_command

from chat.models import Room
from communities.discussions import services as discussions
from communities.models import CommunityPage, Membership, Thread
from members.models import User

pytestmark = [
    pytest.mark.e2e,
    # The live server needs committed data; serialized_rollback brings back the
    # home page and community directory of the migrations that the flush of a
    # transactional test removes.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

AXE_JS = (
    Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
)
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": WCAG_TAGS},
    # Only what is needed for the report: smaller results, faster runs.
    "resultTypes": ["violations"],
}
MAX_TARGETS = 5

DEMO_PASSWORD = "kommunect-demo"
DEMO_MEMBER = "mitglied@kommunect.example"
DEMO_MODERATOR = "moderatorin@kommunect.example"
# Owned by the demo moderator (communities/demo.py); public, the demo member is in.
COMMUNITY = "/communities/klimaschutz/"


@pytest.fixture
def demo_data(transactional_db):
    """The demo data, seeded before the browser starts: Playwright's event loop
    in this thread would keep the realtime notifications of seed_demo from
    being sent (async_to_sync refuses to run beside a running loop)."""
    call_command("seed_demo", verbosity=0)


@pytest.fixture
def demo_discussion(demo_data):
    """A solved demo thread of the community grown into every state a post
    can show: the demo member's own edited reply with a reaction of theirs,
    a reply its author deleted and one the moderator hid with a reason.
    Written before the browser starts (see ``demo_data``)."""
    member = User.objects.get(email=DEMO_MEMBER)
    moderator = User.objects.get(email=DEMO_MODERATOR)
    thread = (
        Thread.objects.filter(community__slug="klimaschutz", solution__isnull=False)
        .order_by("pk")
        .first()
    )
    colleague = (
        Membership.objects.filter(
            community=thread.community,
            state=Membership.State.ACTIVE,
            role=Membership.Role.MEMBER,
        )
        .exclude(user__in=[member, moderator])
        .order_by("pk")
        .first()
        .user
    )
    own = discussions.post_create(
        author=member, thread=thread, body="Wir haben eine **Vorlage** im Entwurf."
    )
    discussions.post_edit(
        editor=member,
        post=own,
        body="Wir haben eine **Vorlage** im Entwurf, Stand März.",
        reason="Stand ergänzt",
    )
    withdrawn = discussions.post_create(
        author=colleague, thread=thread, body="Das war die falsche Diskussion."
    )
    discussions.post_delete(actor=colleague, post=withdrawn)
    hidden = discussions.post_create(
        author=colleague, thread=thread, body="Kaufen Sie unser Produkt!"
    )
    discussions.post_delete(actor=moderator, post=hidden, reason="Werbung")
    discussions.reaction_add(user=member, post=thread.solution, emoji="💡")
    return {
        "list": COMMUNITY + "diskussionen/",
        "thread": f"{COMMUNITY}diskussionen/{thread.pk}/",
        "new": COMMUNITY + "diskussionen/neu/",
        "own_post": own.pk,
        "other_post": thread.solution_id,
        "tag": thread.tags.order_by("name").first().name,
    }


@pytest.fixture
def demo_wiki(demo_data):
    """Wiki pages of the community in the states a page can show: one with
    tags, a sub-page, a link from another page, a link to a page that does
    not exist yet, headings and two versions (history and diff). Written
    before the browser starts (see ``demo_data``)."""
    from communities.wiki import services as wiki

    community = CommunityPage.objects.get(slug="klimaschutz")
    member = User.objects.get(email=DEMO_MEMBER)
    moderator = User.objects.get(email=DEMO_MODERATOR)
    body = (
        "## Ziel\n\n"
        "Der Hitzeaktionsplan schützt besonders gefährdete Menschen.\n\n"
        # A long address without a place to break the line: at 320 px the
        # diff of the paragraphs around it scrolls sideways.
        "Quelle: <https://www.umweltbundesamt.de/sites/default/files/medien/479/"
        "publikationen/kwra2021_teilbericht_1_zusammenfassung_bf_211027_0.pdf"
        "?download=1&format=barrierefrei&sprache=de>\n\n"
        "## Maßnahmen\n\n"
        "- Trinkwasserbrunnen in der Innenstadt\n"
        "- Kühle Räume in Bibliotheken\n\n"
        "Siehe die [[Checkliste Hitzeschutz]] und "
        "[[Karte kühler Orte|die Karte der kühlen Orte]].\n"
    )
    plan = wiki.wiki_page_create(
        author=member,
        community=community,
        title="Hitzeaktionsplan",
        body=body,
        summary="Erste Fassung",
        tags=["Hitzeschutz", "Vorlage"],
    )
    wiki.wiki_page_create(
        author=moderator,
        community=community,
        title="Checkliste Hitzeschutz",
        body="1. Warnungen des DWD abonnieren\n2. Kitas informieren\n",
        parent=plan,
    )
    wiki.wiki_page_create(
        author=moderator,
        community=community,
        title="Hitzewarnungen",
        body="Die Warnungen ergänzen den [[Hitzeaktionsplan]].",
    )
    first = plan.latest_revision_id
    wiki.wiki_page_save(
        editor=moderator,
        page=plan,
        body=body.replace("besonders gefährdete Menschen", "Ältere, Kranke und Kinder"),
        summary="Ziel genauer",
        base_revision=first,
    )
    plan.refresh_from_db()
    return {
        "index": COMMUNITY + "wiki/",
        "page": plan.url,
        "new": COMMUNITY + "wiki/neu/",
        "edit": f"/wiki/{plan.pk}/bearbeiten/",
        "history": f"/wiki/{plan.pk}/versionen/",
        "diff": f"/wiki/{plan.pk}/vergleich/?von={first}&bis={plan.latest_revision_id}",
        "first_revision": first,
    }


@pytest.fixture
def axe_page(demo_discussion, demo_wiki, page):
    """The browser page, once axe-core is known to be installed."""
    if not AXE_JS.exists():
        message = (
            f"axe-core is missing ({AXE_JS}); install the front-end packages "
            "with `make assets` or `npm install`"
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI must run the accessibility tests: " + message)
        pytest.skip(message)
    return page


def axe_violations(page):
    """Run axe-core on the page as it is now and return its violations."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(
        "options => axe.run(document, options).then(r => r.violations)",
        AXE_OPTIONS,
    )


def report(url, violations):
    lines = [f"{len(violations)} axe violation(s) on {url}:"]
    for violation in violations:
        nodes = violation["nodes"]
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']} "
            f"– {len(nodes)} element(s), {violation['helpUrl']}"
        )
        for node in nodes[:MAX_TARGETS]:
            # A target is a list of selectors (more than one inside iframes or
            # shadow roots).
            target = " >> ".join(
                s if isinstance(s, str) else " > ".join(s) for s in node["target"]
            )
            lines.append(f"    {target}")
            summary = (node.get("failureSummary") or "").strip().splitlines()
            if len(summary) > 1:
                lines.append(f"      {summary[1].strip()}")
        if len(nodes) > MAX_TARGETS:
            lines.append(f"    … and {len(nodes) - MAX_TARGETS} more")
    return "\n".join(lines)


def assert_no_violations(page, label=""):
    violations = axe_violations(page)
    if violations:
        # pytrace=False: the report is the message, without the test's code.
        pytest.fail(report(page.url + label, violations), pytrace=False)


def visit(subtests, page, base_url, path, status=200):
    """Open path and check it, as its own subtest."""
    with subtests.test(msg=path):
        response = page.goto(base_url + path)
        assert response is not None
        assert response.status == status, f"{path}: HTTP {response.status}"
        assert "/accounts/login/" not in page.url or path.startswith("/accounts/"), (
            f"{path} redirected to the login page"
        )
        assert page.locator("html").get_attribute("lang") == "de"
        assert_no_violations(page)


def log_in(page, base_url, email, password=DEMO_PASSWORD):
    page.goto(base_url + "/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.locator("form:has(input[name=password]) button[type=submit]").click()
    page.wait_for_load_state()


def visit_wiki(subtests, page, base_url, wiki):
    """The wiki as a member or moderator of the community: its pages, the
    forms (also with errors and with a conflict), the versions and their
    diff. Nothing is saved."""
    for path in [
        wiki["index"],
        wiki["page"],
        wiki["new"],
        wiki["edit"],
        wiki["history"],
        wiki["diff"],
    ]:
        visit(subtests, page, base_url, path)

    with subtests.test(msg=wiki["diff"] + " bei 320 px Breite"):
        # Narrow, the diff table scrolls: its scroll box must take the focus.
        size = page.viewport_size
        page.set_viewport_size({"width": 320, "height": 640})
        try:
            page.goto(base_url + wiki["diff"])
            assert_no_violations(page, " (320 px)")
        finally:
            page.set_viewport_size(size)

    with subtests.test(msg=wiki["new"] + " mit Fehlern"):
        page.goto(base_url + wiki["new"])
        form = page.locator("main form.post-form")
        form.locator("input[name=title]").fill("")
        form.locator("textarea[name=body]").fill("Ein Text ohne Titel.")
        form.locator("button[type=submit]").click()
        page.wait_for_load_state()
        assert page.get_by_text("Bitte geben Sie einen Titel ein.").count(), (
            "the new-page form shows no error"
        )
        assert page.locator("input[name=title][aria-invalid=true]").count(), (
            "the new-page form marks no invalid field"
        )
        assert_no_violations(page, " (mit Fehlermeldungen)")

    with subtests.test(msg=wiki["edit"] + " mit Konflikt"):
        # An editor opened at the first version while the second was saved:
        # both changed the same paragraph.
        page.goto(base_url + wiki["edit"])
        form = page.locator("main form.post-form")
        form.locator("input[name=base_revision]").evaluate(
            "(input, id) => { input.value = id; }", wiki["first_revision"]
        )
        body = form.locator("textarea[name=body]")
        body.fill(
            body.input_value().replace(
                "Ältere, Kranke und Kinder", "alle, die Hitze schlecht vertragen"
            )
        )
        form.locator("button[type=submit]").click()
        page.wait_for_load_state()
        text = page.locator("textarea[name=body]").input_value()
        assert "<<<<<<< Ihre Fassung" in text, "the editor shows no conflict"
        assert_no_violations(page, " (mit Konflikt)")


def test_pages_for_visitors(
    axe_page, demo_discussion, demo_wiki, live_server, subtests
):
    page, base = axe_page, live_server.url

    for path in [
        "/",
        "/communities/",
        COMMUNITY,
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/suche/",
        "/suche/?q=Klima",
        "/suche/?q=Klimma",  # nothing found: "Meinten Sie …?" and help
    ]:
        visit(subtests, page, base, path)
    visit(subtests, page, base, "/diese-seite-gibt-es-nicht/", status=404)
    visit(subtests, page, base, "/suche/?q=Klima&type=gedicht", status=400)

    discussion = demo_discussion
    for path in [
        discussion["list"],
        discussion["list"] + "?sort=solved&tag=" + quote(discussion["tag"]),
        discussion["thread"],
        demo_wiki["index"],
        demo_wiki["page"],
    ]:
        visit(subtests, page, base, path)

    with subtests.test(msg="/accounts/login/ mit falschem Passwort"):
        log_in(page, base, DEMO_MEMBER, password="falsches-passwort")
        assert "/accounts/login/" in page.url, "the wrong password logged in"
        assert (
            page.locator("form:has(input[name=password])").get_by_text("falsch").count()
        ), "the login form shows no error"
        assert_no_violations(page, " (mit Fehlermeldungen)")


def test_pages_for_the_demo_member(
    axe_page, demo_discussion, demo_wiki, live_server, subtests
):
    page, base = axe_page, live_server.url
    member = User.objects.get(email=DEMO_MEMBER)
    log_in(page, base, DEMO_MEMBER)
    assert "/accounts/login/" not in page.url, "the demo member could not log in"

    for path in [
        "/",
        "/mitglieder/",
        f"/mitglieder/{member.pk}/",
        "/profil/bearbeiten/",
        "/profil/tokens/",
        COMMUNITY,
        COMMUNITY + "mitglieder/",
    ]:
        visit(subtests, page, base, path)

    discussion = demo_discussion
    own = discussion["own_post"]
    for path in [
        discussion["list"],
        discussion["thread"],
        discussion["new"],
        f"/beitrag/{own}/bearbeiten/",
        f"/beitrag/{own}/versionen/",
        f"/beitrag/{own}/loeschen/",
    ]:
        visit(subtests, page, base, path)

    with subtests.test(msg=discussion["new"] + " mit Fehlern"):
        page.goto(base + discussion["new"])
        form = page.locator("main form.post-form")
        form.locator("input[name=title]").fill("x" * 201)
        form.locator("input[name=tags]").fill("y" * 51)
        form.locator("button[type=submit]").click()
        page.wait_for_load_state()
        assert page.get_by_text("Bitte schreiben Sie einen Text.").count(), (
            "the new-thread form shows no error"
        )
        assert_no_violations(page, " (mit Fehlermeldungen)")

    with subtests.test(msg=discussion["thread"] + " mit leerer Antwort"):
        page.goto(base + discussion["thread"])
        page.locator("#reply-form button[type=submit]").click()
        page.wait_for_load_state()
        assert page.get_by_text("Bitte schreiben Sie einen Text.").count(), (
            "the reply form shows no error"
        )
        assert_no_violations(page, " (mit Fehlermeldungen)")

    with subtests.test(msg="/profil/bearbeiten/ mit Fehlern"):
        page.goto(base + "/profil/bearbeiten/")
        form = page.locator("main form[enctype='multipart/form-data']")
        form.locator("input[name=display_name]").fill("")
        form.locator("input[name=expertise]").fill(
            ", ".join(f"Thema {n}" for n in range(12))
        )
        form.locator("button[type=submit]").click()
        page.wait_for_load_state()
        assert "/profil/bearbeiten/" in page.url, "the invalid profile was saved"
        assert page.locator("input[name=display_name][aria-invalid=true]").count(), (
            "the profile form marks no invalid field"
        )
        assert_no_violations(page, " (mit Fehlermeldungen)")

    visit_wiki(subtests, page, base, demo_wiki)

    # The chat (this live server speaks no websocket: the pages show their
    # "no live connection" line, which is checked too).
    room = Room.objects.get(community__slug="klimaschutz", name="Allgemein")
    for path in [
        "/chat/",
        f"/chat/{room.pk}/",
        # Opened at an old message, as a search hit opens it.
        room.messages.order_by("pk").first().get_absolute_url(),
        "/chat/neu/?q=Vogt",
        "/chat/blockiert/",
        COMMUNITY + "chat/",
        "/suche/?q=Hitze",
        "/suche/?q=Hitze&type=wiki&sort=date",
    ]:
        visit(subtests, page, base, path)


def test_pages_for_the_demo_moderator(
    axe_page, demo_discussion, demo_wiki, live_server, subtests
):
    page, base = axe_page, live_server.url
    # A pending request, so that anfragen/ shows a request with its form.
    Membership.objects.create(
        community=CommunityPage.objects.get(slug="klimaschutz"),
        user=User.objects.get(email="t.huber@muenchen.de"),
        state=Membership.State.PENDING,
        message="Ich plane gerade den Hitzeschutz in unseren Kitas.",
    )
    log_in(page, base, DEMO_MODERATOR)
    assert "/accounts/login/" not in page.url, "the demo moderator could not log in"

    for path in [
        COMMUNITY,
        COMMUNITY + "mitglieder/",
        COMMUNITY + "anfragen/",
        COMMUNITY + "einladen/",
        COMMUNITY + "bearbeiten/",
        COMMUNITY + "protokoll/",
    ]:
        visit(subtests, page, base, path)

    discussion = demo_discussion
    other = discussion["other_post"]
    for path in [
        discussion["thread"],
        f"/beitrag/{other}/bearbeiten/",
        f"/beitrag/{other}/loeschen/",
        f"/beitrag/{discussion['own_post']}/versionen/",
    ]:
        visit(subtests, page, base, path)

    # The wiki page with the moderation box (protect, delete, move).
    visit_wiki(subtests, page, base, demo_wiki)
