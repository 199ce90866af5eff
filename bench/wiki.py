"""Wiki diff, merge and pages against their baselines.

    python bench/wiki.py [--keep] [--requests 15] [--warmup 3] [--runs 15]

Times, in one run, the diff (``diff_lines`` + ``render_diff_html``) of a
5,000-line page with about 50 changed lines against ``difflib.unified_diff``
of the same texts, and the three-way merge (``merge_texts``) of three
5,000-line versions changed in different places against one
``difflib.SequenceMatcher(...).get_opcodes()``. Then, in a database of its
own (as ``bench/discussions.py``), it generates a community with a tree of
2,000 wiki pages and one with a page that 500 pages link to, and a member,
logged in with ``django.test.Client``, requests the wiki index and the
linked page, each against a *floor*: a view of this module that fetches the
same rows in one query and renders them into a trivial template.

It prints figures and asserts nothing.
"""

import difflib
import random
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path[0:0] = [str(BASE_DIR)]

from bench import common  # noqa: E402
from bench.common import out  # noqa: E402

TREE_SLUG = "bench-wiki-baum"
LINKS_SLUG = "bench-wiki-links"
TREE_PAGES = 2_000
BACKLINKS = 500
LINES = 5_000
CHANGED_LINES = 50
TARGET_TITLE = "Zentrale Handreichung"

SENTENCES = [
    "Die Gemeinde prüft jährlich, ob die Förderrichtlinie noch passt.",
    "Der Hitzeaktionsplan nennt Zuständigkeiten für Schulen und Kitas.",
    "Für die E-Akte gilt: erst die Prozesse, dann die Software.",
    "Die Starkregengefahrenkarte wird mit dem Kreis abgestimmt.",
    "Bürgerinnen und Bürger werden früh über das Vorhaben informiert.",
    "Die Kosten werden nach Fläche verteilt, nicht nach Einwohnern.",
    "Der Personalrat ist vor der Einführung zu beteiligen.",
    "Offene Daten werden unter einer freien Lizenz veröffentlicht.",
    "Die Vergabe erfolgt nach UVgO, ab dem Schwellenwert nach VgV.",
    "Straßenbäume brauchen in heißen Sommern zusätzliche Bewässerung.",
]
WORDS = ["Überprüfung", "Änderung", "Maßnahme", "Fördermittel", "Zuständigkeit"]


# --- the texts -----------------------------------------------------------------


def page_lines(rng: random.Random) -> list[str]:
    """A German page of ``LINES`` lines: headings, list items and sentences."""
    lines = []
    for n in range(LINES):
        if n % 100 == 0:
            lines.append(f"## Abschnitt {n // 100 + 1}")
        elif n % 7 == 0:
            lines.append(f"- Punkt {n}: {rng.choice(SENTENCES)}")
        else:
            lines.append(f"{rng.choice(SENTENCES)} (Zeile {n})")
    return lines


def changed(lines: list[str], positions, rng: random.Random) -> list[str]:
    """A copy of ``lines`` with a word replaced in each of ``positions``."""
    result = list(lines)
    for n in positions:
        words = result[n].split(" ")
        words[rng.randrange(len(words))] = rng.choice(WORDS)
        result[n] = " ".join(words)
    return result


def measure_texts(runs: int) -> None:
    from communities.wiki.diff import diff_lines, render_diff_html
    from communities.wiki.merge import merge_texts

    rng = random.Random(7)
    base_lines = page_lines(rng)
    step = LINES // CHANGED_LINES
    new_lines = changed(
        base_lines,
        [n * step + rng.randrange(1, step) for n in range(CHANGED_LINES)],
        rng,
    )
    base, new = "\n".join(base_lines) + "\n", "\n".join(new_lines) + "\n"

    def ours_diff():
        render_diff_html(diff_lines(base, new))

    def baseline_diff():
        "".join(
            difflib.unified_diff(
                base.splitlines(keepends=True), new.splitlines(keepends=True)
            )
        )

    # Theirs changed the first half, mine the second: a clean merge.
    half = LINES // 2
    theirs_lines = changed(base_lines, rng.sample(range(1, half), 25), rng)
    mine_lines = changed(base_lines, rng.sample(range(half, LINES), 25), rng)
    theirs, mine = "\n".join(theirs_lines) + "\n", "\n".join(mine_lines) + "\n"
    merged = merge_texts(base, theirs, mine)

    def ours_merge():
        merge_texts(base, theirs, mine)

    def baseline_merge():
        difflib.SequenceMatcher(
            None, base.splitlines(), mine.splitlines()
        ).get_opcodes()

    hunks = diff_lines(base, new)
    out(
        f"Texts: {LINES:,} lines; diff with {CHANGED_LINES} changed lines "
        f"({len(hunks)} hunks); merge of 25 + 25 changes "
        f"({len(merged.conflicts)} conflicts); median of {runs} runs"
    )
    out()
    common.table_header(
        f"{'operation':<34} {'median ms':>10} {'baseline ms':>12} {'ratio':>7}"
    )
    for label, ours, baseline in [
        ("diff_lines + render_diff_html", ours_diff, baseline_diff),
        ("merge_texts", ours_merge, baseline_merge),
    ]:
        ours_ms = common.median_ms(ours, runs)
        baseline_ms = common.median_ms(baseline, runs)
        out(
            f"{label:<34} {ours_ms:>10.1f} {baseline_ms:>12.1f} "
            f"{ours_ms / baseline_ms:>6.1f}×"
        )
    out("(baselines: difflib.unified_diff; one SequenceMatcher base→mine opcodes)")
    out()


# --- the floor -----------------------------------------------------------------
# Imported again as ``bench.wiki`` by ``bench.urls``: nothing at module level
# may need Django set up.

FLOOR_TREE = """<!doctype html><title>Wiki</title><ul>
{% for page in pages %}<li data-depth="{{ page.depth }}"><a href="/wiki/{{ page.pk }}/">{{ page.title }}</a>
{{ page.latest_revision_created_at|date:"d.m.Y" }}</li>{% endfor %}</ul>"""

FLOOR_PAGE = """<!doctype html><title>{{ page.title }}</title>
{{ page.body_html|safe }}<h2>Links auf diese Seite</h2><ul>
{% for link in backlinks %}<li><a href="/wiki/{{ link.pk }}/">{{ link.title }}</a></li>
{% endfor %}</ul>"""


def floor_wiki_index(request, slug):
    """One query for the community's live wiki pages in tree order."""
    from django.db.models import Subquery
    from django.http import HttpResponse

    from communities.models import CommunityPage, WikiPage

    request.user.is_authenticated  # noqa: B018 - the same viewer as the real page
    community = CommunityPage.objects.filter(slug=slug)
    path = Subquery(community.values("path")[:1])
    depth = Subquery(community.values("depth")[:1])
    pages = (
        WikiPage.objects.filter(
            path__startswith=path, depth__gt=depth, deleted_at__isnull=True
        )
        .order_by("path")
        .only("pk", "title", "path", "depth", "latest_revision_created_at")
    )
    return HttpResponse(common.floor_template(FLOOR_TREE).render({"pages": pages}))


def floor_wiki_page(request, page_id):
    """One query for the page's backlinks (the page itself as a subquery
    column is not needed: its row is fetched with them)."""
    from django.http import HttpResponse

    from communities.models import WikiPage

    request.user.is_authenticated  # noqa: B018 - the same viewer as the real page
    backlinks = list(
        WikiPage.objects.filter(
            outgoing_links__target_id=page_id, deleted_at__isnull=True
        )
        .order_by("title")
        .only("pk", "title")
    )
    page = WikiPage(pk=page_id, title=TARGET_TITLE, body_html="<p>Ziel</p>")
    return HttpResponse(
        common.floor_template(FLOOR_PAGE).render({"page": page, "backlinks": backlinks})
    )


# --- the data ------------------------------------------------------------------


def _community(slug, title, people):
    """An internal community with a big wiki: people[1] its owner, the reader
    (people[0]) a member."""
    from communities.models import Membership

    community = common.internal_community(
        slug, title, "Ein großes Wiki.", owner=people[1]
    )
    Membership.objects.create(
        community=community,
        user=people[0],
        role=Membership.Role.MEMBER,
        state=Membership.State.ACTIVE,
    )
    return community


def _wiki_page(parent, title, body):
    from django.utils import timezone
    from django.utils.text import slugify

    from communities.models import WikiPage

    page = WikiPage(
        title=title,
        slug=slugify(title),
        body=body,
        body_html=f"<p>{body}</p>",
        latest_revision_created_at=timezone.now(),
    )
    parent.add_child(instance=page)
    return page


def generate() -> None:
    from django.db import transaction

    from communities.models import WikiLink
    from members.models import Organisation

    rng = random.Random(5)
    with transaction.atomic():
        organisation = Organisation.objects.create(
            name="Benchstadt", kind="stadt", bundesland="NW"
        )
        people = common.bench_people([organisation], 2)

        # A tree of 2,000 pages: 20 top-level pages, 10 below each, and the
        # rest spread under those.
        tree = _community(TREE_SLUG, "Bench: Wiki-Baum", people)
        top = [
            _wiki_page(tree, f"Bereich {n}", rng.choice(SENTENCES)) for n in range(20)
        ]
        middle = [
            _wiki_page(parent, f"Thema {p}-{n}", rng.choice(SENTENCES))
            for p, parent in enumerate(top)
            for n in range(10)
        ]
        rest = TREE_PAGES - len(top) - len(middle)
        for n in range(rest):
            parent = middle[n % len(middle)]
            _wiki_page(parent, f"Seite {n}", rng.choice(SENTENCES))

        # A page with 500 pages linking to it.
        links = _community(LINKS_SLUG, "Bench: Wiki-Links", people)
        target = _wiki_page(links, TARGET_TITLE, "Die Seite, auf die alle zeigen.")
        sources = [
            _wiki_page(links, f"Verweis {n}", f"Siehe [[{TARGET_TITLE}]].")
            for n in range(BACKLINKS)
        ]
        WikiLink.objects.bulk_create(
            WikiLink(source=source, target=target, target_title=TARGET_TITLE)
            for source in sources
        )


# --- the measurement -------------------------------------------------------------


def measure_pages(warmup: int, requests: int) -> None:
    from django.db import connection
    from django.urls import reverse

    from communities.models import CommunityPage, WikiPage

    tree = CommunityPage.objects.get(slug=TREE_SLUG)
    links = CommunityPage.objects.get(slug=LINKS_SLUG)
    target = WikiPage.objects.child_of(links).get(title=TARGET_TITLE)
    tree_size = WikiPage.objects.descendant_of(tree).count()
    backlinks = target.incoming_links.count()
    client = common.reader_client()

    pages = [
        (
            f"wiki index ({tree_size:,} pages)",
            reverse("communities:wiki", args=[TREE_SLUG]),
            reverse("bench:wiki", args=[TREE_SLUG]),
        ),
        (
            f"page with {backlinks} backlinks",
            target.url,
            reverse("bench:wiki_page", args=[target.pk]),
        ),
    ]
    out(f"Pages: {connection.vendor}, median of {requests} requests after {warmup}")
    out()
    header = (
        f"{'page':<30} {'median ms':>10} {'floor ms':>9} {'ratio':>7} "
        f"{'queries':>7} {'floor q':>7}"
    )
    common.table_header(header)
    for label, url, floor_url in pages:
        figures = common.against_floor(
            client, label, url, floor_url, warmup, requests, 30
        )
        if figures is None:
            continue
        real_ms, floor_ms, real_queries, floor_queries = figures
        out(
            f"{label:<30} {real_ms:>10.1f} {floor_ms:>9.1f} "
            f"{real_ms / floor_ms:>6.1f}× {real_queries:>7} {floor_queries:>7}"
        )


def main(argv=None) -> None:
    parser = common.arguments(__doc__, requests=15, warmup=3)
    parser.add_argument("--runs", type=int, default=15, help="runs of diff and merge")
    args = parser.parse_args(argv)
    with common.bench_database("wiki", args.keep) as database_url:
        measure_texts(args.runs)
        common.migrate_and_generate(
            database_url,
            TREE_SLUG,
            generate,
            f"a tree of {TREE_PAGES:,} wiki pages and a page with "
            f"{BACKLINKS} backlinks",
        )
        measure_pages(args.warmup, args.requests)


if __name__ == "__main__":
    main()
