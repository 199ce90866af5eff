"""Discussion pages against their floor.

    python bench/discussions.py [--keep] [--requests 30] [--warmup 5]

Generates one community with 10,000 threads (tags, solutions, reactions,
read marks) and one thread with 1,000 posts, in its own database: a
throwaway SQLite file, or the PostgreSQL database ``kommunect_bench`` on the
server of ``DATABASE_URL`` when that is set. Then a member, logged in with
``django.test.Client``, requests the thread list and the big thread; each
page is timed against a *floor*: a view of this module that fetches the same
rows in one query and renders them into a trivial template. The ratio says
how much the real page costs beyond fetching and printing its rows.

It prints figures and asserts nothing.
"""

import math
import random
import sys
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path[0:0] = [str(BASE_DIR)]

from bench import common  # noqa: E402
from bench.common import out  # noqa: E402

SLUG = "bench-diskussionen"
THREADS = 10_000
BIG_THREAD_POSTS = 1_000
PEOPLE = 200
TARGET_RATIO = 3.0

TITLES = [
    "Erfahrungen mit der E-Akte in kleinen Gemeinden?",
    "Hitzeaktionsplan: wer hat eine Vorlage?",
    "Starkregengefahrenkarte gemeinsam ausschreiben",
    "Fachkräftezulage für IT-Stellen",
    "Rufbus im ländlichen Raum: Kosten pro Fahrgast",
    "Beteiligungsbericht: Kennzahlen für den Rat",
    "Dienstvereinbarung mobiles Arbeiten überarbeiten",
    "Open Data: Welche Datensätze werden genutzt?",
    "Ersetzendes Scannen nach TR-RESISCAN",
    "Sozialraumanalyse: Indikatoren im Vergleich",
]
BODIES = [
    "Wir stehen vor der gleichen Frage. Hat jemand eine **Vorlage**, die "
    "sich für eine Gemeinde mit 20.000 Einwohnern eignet?",
    "Bei uns hat sich bewährt:\n\n- früh den Personalrat einbinden\n"
    "- einen Pilotbereich wählen\n- nach sechs Monaten auswerten\n\n"
    "Mehr dazu bei der [KGSt](https://www.kgst.de).",
    "| Phase | Dauer |\n|---|---|\n| Vorbereitung | 3 Monate |\n"
    "| Pilot | 4 Monate |\n| Rollout | 12 Monate |\n\n"
    "Die Vorbereitung ist der wichtigste Teil.",
    "Danke, das hilft uns sehr. Ich berichte, wie es im Rat ankommt.",
    "Wir haben das über den Kreis gelöst; die Kosten wurden nach Fläche "
    "verteilt, nicht nach Einwohnern. Das war im Ausschuss gut vermittelbar.",
    "Achten Sie auf die Wartung und darauf, wer die Daten später pflegt. "
    "Ohne klare Zuständigkeit schläft so ein Projekt schnell ein.",
    "> Die Vorbereitung ist der wichtigste Teil.\n\nDem kann ich nur "
    "zustimmen – bei uns hat sie länger gedauert als der Pilot.",
    "Kurze Rückfrage: Gilt das auch für Kreise, oder nur für "
    "kreisangehörige Gemeinden?",
]
TAG_NAMES = [
    "E-Akte",
    "OZG",
    "Hitzeschutz",
    "Förderprogramme",
    "Personal",
    "Radverkehr",
    "ÖPNV",
    "Doppik",
    "Vergabe",
    "Open Data",
    "KI",
    "Datenschutz",
    "Starkregen",
    "Wärmeplanung",
    "Quartier",
    "Kita",
    "Ausbildung",
    "Haushalt",
    "IT-Sicherheit",
    "Bürgerservice",
]


# --- the floor ---------------------------------------------------------------
# Imported again as ``bench.discussions`` by ``bench.urls``: nothing at module
# level may need Django set up.

FLOOR_THREADS = """<!doctype html><title>Diskussionen</title><ol>
{% for thread in threads %}<li><a href="{{ thread.pk }}/">{{ thread.title }}</a>
{{ thread.author.display_name }} ({{ thread.author.organisation.name }})
{{ thread.reply_count }} {{ thread.last_activity|date:"d.m.Y H:i" }}
{% if thread.pinned %}angeheftet{% endif %}{% if thread.solution_id %}gelöst{% endif %}
</li>{% endfor %}</ol>"""

FLOOR_POSTS = """<!doctype html><title>Diskussion</title>
{% for post in posts %}<article id="beitrag-{{ post.pk }}">
<p>{{ post.author.display_name }} ({{ post.author.organisation.name }})
{{ post.created|date:"d.m.Y H:i" }}</p>{{ post.body_html|safe }}</article>
{% endfor %}"""


def _page_number(request) -> int:
    try:
        return max(int(request.GET.get("page", 1)), 1)
    except ValueError:
        return 1


def page_sizes() -> tuple[int, int]:
    """Threads and posts per page of the real views (the views' constants
    where they define them, else those of the selectors they use)."""
    from communities.discussions import selectors
    from communities.views import discussions as views

    return (
        getattr(views, "THREADS_PER_PAGE", selectors.THREADS_PER_PAGE),
        getattr(views, "POSTS_PER_PAGE", selectors.POSTS_PER_PAGE),
    )


def floor_thread_list(request, slug):
    """One query for one page of threads (without tags), in list order."""
    from django.db.models import Subquery
    from django.http import HttpResponse

    from communities.models import CommunityPage, Thread

    request.user.is_authenticated  # noqa: B018 - the same viewer as the real page
    per_page, _posts = page_sizes()
    start = (_page_number(request) - 1) * per_page
    # The community as a scalar subquery, not a join: so the database walks
    # the thread index of that one community.
    community = CommunityPage.objects.filter(slug=slug).values("pk")[:1]
    threads = (
        Thread.objects.filter(community_id=Subquery(community))
        .select_related("author__organisation")
        .order_by("-pinned", "-last_activity", "-pk")[start : start + per_page]
    )
    return HttpResponse(
        common.floor_template(FLOOR_THREADS).render({"threads": threads})
    )


def floor_thread(request, slug, thread_id):
    """One query for one page of answers (the question left out)."""
    from django.http import HttpResponse

    from communities.models import Post

    request.user.is_authenticated  # noqa: B018 - the same viewer as the real page
    _threads, per_page = page_sizes()
    start = (_page_number(request) - 1) * per_page
    posts = (
        Post.objects.filter(
            thread_id=thread_id, thread__community__slug=slug, opened_thread=None
        )
        .select_related("author__organisation")
        .order_by("created", "pk")[start : start + per_page]
    )
    return HttpResponse(common.floor_template(FLOOR_POSTS).render({"posts": posts}))


# --- the data ----------------------------------------------------------------


@contextmanager
def written_timestamps(*models):
    """Let bulk_create keep the ``created`` times given (auto_now_add would
    set them all to now)."""
    fields = [model._meta.get_field("created") for model in models]
    for field in fields:
        field.auto_now_add = False
    try:
        yield
    finally:
        for field in fields:
            field.auto_now_add = True


def generate() -> None:
    from django.db import transaction
    from django.utils import timezone
    from django.utils.text import slugify

    from communities.discussions.models import (
        REACTIONS,
        DiscussionTag,
        Post,
        Reaction,
        TaggedThread,
        Thread,
        ThreadReadState,
        ThreadSubscription,
    )
    from communities.models import CommunityPage, Membership
    from kommunect.markdown import render_markdown
    from members.models import Organisation

    rng = random.Random(4)
    now = timezone.now()
    rendered = {body: render_markdown(body) for body in BODIES}

    with transaction.atomic():
        organisations = Organisation.objects.bulk_create(
            Organisation(name=f"Benchstadt {n}", kind="stadt", bundesland="NW")
            for n in range(20)
        )
        people = common.bench_people(organisations, PEOPLE)
        community = common.internal_community(
            SLUG,
            "Bench: Diskussionen",
            "Eine Community mit sehr vielen Diskussionen.",
            owner=people[1],
        )
        Membership.objects.bulk_create(
            Membership(
                community=community,
                user=person,
                role=Membership.Role.MEMBER,
                state=Membership.State.ACTIVE,
            )
            for person in people
            if person is not people[1]
        )

        # Threads over two years; the big one among the recent ones.
        starts = sorted(
            now - timedelta(minutes=rng.randint(60, 730 * 24 * 60))
            for _ in range(THREADS)
        )
        with written_timestamps(Thread, Post, Reaction):
            threads = Thread.objects.bulk_create(
                Thread(
                    community=community,
                    title=f"{rng.choice(TITLES)} ({n})",
                    author=rng.choice(people),
                    created=start,
                    last_activity=start,
                )
                for n, start in enumerate(starts)
            )
            big = threads[-20]
            plans = {}
            for thread in threads:
                replies = BIG_THREAD_POSTS - 1 if thread is big else _reply_count(rng)
                # Answers come within weeks; the big thread runs until now.
                span = (now - thread.created).total_seconds()
                if thread is not big:
                    span = min(span, 45 * 24 * 3600)
                moments = sorted(
                    thread.created + timedelta(seconds=rng.uniform(60, span))
                    for _ in range(replies)
                )
                plans[thread.pk] = [thread.created, *moments]
            posts = []
            for thread in threads:
                for index, moment in enumerate(plans[thread.pk]):
                    body = rng.choice(BODIES)
                    posts.append(
                        Post(
                            thread=thread,
                            author=thread.author if index == 0 else rng.choice(people),
                            body=body,
                            body_html=rendered[body],
                            created=moment,
                        )
                    )
            posts = Post.objects.bulk_create(posts, batch_size=2000)
            by_thread = {}
            for post in posts:
                by_thread.setdefault(post.thread_id, []).append(post)

            # Answers to earlier posts in the big thread.
            big_posts = by_thread[big.pk]
            quoting = []
            for index in range(2, len(big_posts)):
                if rng.random() < 0.15:
                    big_posts[index].reply_to = big_posts[rng.randrange(1, index)]
                    quoting.append(big_posts[index])
            Post.objects.bulk_update(quoting, ["reply_to"], batch_size=500)

            reactions = []
            for post in posts:
                share = 0.8 if post.thread_id == big.pk else 0.1
                if rng.random() < share:
                    for person in rng.sample(people, rng.randint(1, 4)):
                        reactions.append(
                            Reaction(
                                post=post,
                                user=person,
                                emoji=rng.choice(REACTIONS),
                                created=post.created + timedelta(minutes=30),
                            )
                        )
            Reaction.objects.bulk_create(reactions, batch_size=2000)

        for thread in threads:
            thread_posts = by_thread[thread.pk]
            thread.opening_post = thread_posts[0]
            thread.last_post = thread_posts[-1]
            thread.reply_count = len(thread_posts) - 1
            thread.last_activity = thread_posts[-1].created
            if thread.reply_count and rng.random() < 0.25:
                thread.solution = rng.choice(thread_posts[1:])
        for thread in rng.sample(threads, 3):
            thread.pinned = True
        consistent = ["opening_post", "reply_count", "last_activity", "solution"]
        consistent += ["pinned"]
        if any(f.name == "last_post" for f in Thread._meta.get_fields()):
            consistent.append("last_post")
        Thread.objects.bulk_update(threads, consistent, batch_size=500)

        tags = DiscussionTag.objects.bulk_create(
            DiscussionTag(name=name, slug=slugify(name)) for name in TAG_NAMES
        )
        TaggedThread.objects.bulk_create(
            (
                TaggedThread(content_object=thread, tag=tag)
                for thread in threads
                for tag in rng.sample(tags, rng.randint(0, 3))
            ),
            batch_size=2000,
        )

        # The reader has read most older threads, some only partly.
        reader = people[0]
        ThreadReadState.objects.bulk_create(
            (
                ThreadReadState(
                    thread=thread,
                    user=reader,
                    last_read_post_id=rng.choice(by_thread[thread.pk]).pk,
                )
                for thread in threads
                if rng.random() < 0.6
            ),
            batch_size=2000,
        )
        ThreadSubscription.objects.create(thread=big, user=reader)
        CommunityPage.objects.filter(pk=community.pk).update(
            last_activity=max(t.last_activity for t in threads)
        )


def _reply_count(rng: random.Random) -> int:
    return rng.choices([0, 1, 2, 3, 5, 8, 12], weights=[15, 20, 20, 20, 12, 8, 5])[0]


# --- the measurement ---------------------------------------------------------


def measure(warmup: int, requests: int) -> None:
    from django.db import connection
    from django.urls import reverse

    from communities.models import Thread

    threads_per_page, posts_per_page = page_sizes()
    big = Thread.objects.filter(community__slug=SLUG).order_by("-reply_count").first()
    last_page = max(math.ceil(big.reply_count / posts_per_page), 1)
    client = common.reader_client()

    def pair(name, args, floor_name, query=""):
        return (
            reverse(name, args=args) + query,
            reverse(floor_name, args=args) + query,
        )

    pages = [
        ("thread list, page 1", pair("communities:threads", [SLUG], "bench:threads")),
        (
            "thread list, page 50",
            pair("communities:threads", [SLUG], "bench:threads", "?page=50"),
        ),
        (
            f"thread ({big.reply_count + 1} posts), page 1",
            pair("communities:thread", [SLUG, big.pk], "bench:thread"),
        ),
        (
            f"thread ({big.reply_count + 1} posts), page {last_page}",
            pair(
                "communities:thread",
                [SLUG, big.pk],
                "bench:thread",
                f"?page={last_page}",
            ),
        ),
    ]
    out(
        f"{connection.vendor}, {threads_per_page} threads and {posts_per_page} "
        f"posts per page, median of {requests} requests after {warmup} warm-up"
    )
    out()
    header = (
        f"{'page':<32} {'median ms':>10} {'floor ms':>9} {'ratio':>7}  "
        f"{'target ≤ 3×':<12} {'queries':>7} {'floor q':>7}"
    )
    common.table_header(header)
    for label, (url, floor_url) in pages:
        figures = common.against_floor(
            client, label, url, floor_url, warmup, requests, 32
        )
        if figures is None:
            continue
        real_ms, floor_ms, real_queries, floor_queries = figures
        ratio = real_ms / floor_ms
        verdict = "met" if ratio <= TARGET_RATIO else "missed"
        out(
            f"{label:<32} {real_ms:>10.1f} {floor_ms:>9.1f} {ratio:>6.1f}×  "
            f"{verdict:<12} {real_queries:>7} {floor_queries:>7}"
        )


def main(argv=None) -> None:
    args = common.arguments(__doc__, requests=30, warmup=5).parse_args(argv)
    with common.bench_database("discussions", args.keep) as database_url:
        common.migrate_and_generate(
            database_url,
            SLUG,
            generate,
            f"{THREADS:,} threads and a {BIG_THREAD_POSTS:,}-post thread",
        )
        measure(args.warmup, args.requests)


if __name__ == "__main__":
    main()
