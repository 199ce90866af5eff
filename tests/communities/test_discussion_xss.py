"""The public XSS corpus (shared/data/xss, 6,613 payloads) as thread titles,
tags and post bodies, in the pages people see: the thread list, the thread
page and the API. Nothing of it may become active content: no script element
beyond the page's own, no event-handler attribute, no javascript:/data:/
vbscript: URL, no dangerous element."""

import pytest
from django.test import Client
from django.utils import timezone
from factories.communities import make_community, make_member
from factories.xss import Checker, active, corpus_lines

from communities.discussions import selectors
from communities.models import DiscussionTag, Post, TaggedThread, Thread
from kommunect.markdown import render_markdown

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    community = make_community(slug="korpus", visibility="public")
    reader = make_member(community).user
    client = Client()
    client.force_login(reader)
    return community, reader, client


def _bulk_threads(community, author, titles):
    now = timezone.now()
    threads = Thread.objects.bulk_create(
        Thread(community=community, author=author, title=t, last_activity=now)
        for t in titles
    )
    return threads


def test_payloads_as_titles_and_tags_stay_inert_in_the_thread_list(world):
    community, reader, client = world
    payloads = corpus_lines()
    checker = Checker()
    checker.learn("list", client, "/communities/korpus/diskussionen/")
    titles = [" ".join(p.split())[:200] or "leer" for p in payloads]
    threads = _bulk_threads(community, reader, titles)
    tags = DiscussionTag.objects.bulk_create(
        DiscussionTag(name=p[:50], slug=f"payload-{i}")
        for i, p in enumerate(dict.fromkeys(p[:50] for p in payloads))
    )
    by_name = {t.name: t for t in tags}
    TaggedThread.objects.bulk_create(
        TaggedThread(content_object=thread, tag=by_name[p[:50]])
        for thread, p in zip(threads, payloads, strict=True)
    )

    pages = -(-len(threads) // selectors.THREADS_PER_PAGE)
    for number in range(1, pages + 1):
        checker.get("list", client, f"/communities/korpus/diskussionen/?page={number}")
    checker.assert_inert()

    # The thread page shows the title in <title> and <h1>; a sample of them.
    thread_page_baseline = None
    for thread in threads[:: max(1, len(threads) // 60)]:
        html = client.get(f"/communities/korpus/diskussionen/{thread.pk}/").text
        found = active(html)
        if thread_page_baseline is None:
            thread_page_baseline = found
        assert found == thread_page_baseline, (
            thread.title,
            found - thread_page_baseline,
        )

    api = client.get("/api/v1/communities/korpus/threads?page_size=100").json()
    assert {t["title"] for t in api["items"]} <= set(titles)


def test_payloads_as_post_bodies_stay_inert_on_the_thread_page(world):
    community, reader, client = world
    payloads = corpus_lines()
    (thread,) = _bulk_threads(community, reader, ["Korpus"])
    opening = Post.objects.create(
        thread=thread, author=reader, body="Frage", body_html=render_markdown("Frage")
    )
    thread.opening_post = thread.last_post = opening
    thread.save()
    url = f"/communities/korpus/diskussionen/{thread.pk}/"
    checker = Checker()
    checker.learn("thread", client, url)
    Post.objects.bulk_create(
        Post(thread=thread, author=reader, body=p, body_html=render_markdown(p))
        for p in payloads
    )
    pages = -(-len(payloads) // selectors.POSTS_PER_PAGE)
    for number in range(1, pages + 1):
        checker.get("thread", client, f"{url}?page={number}")
    checker.assert_inert()
