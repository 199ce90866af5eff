"""Threads and posts for the tests (``from factories.discussions import …``).

They write the rows directly, as the state a test starts from, so a thread or
post may belong to anyone (someone who has since left or been banned, too).
Tests of the services themselves call the services; the counters the
services keep (``reply_count``, ``last_activity``) are kept here as well.
"""

import itertools

from django.db.models import F
from django.utils import timezone

from communities.models import CommunityPage, Post, Thread
from factories import UserFactory
from kommunect.markdown import render_markdown

_numbers = itertools.count(1)


def make_thread(
    community: CommunityPage,
    author=None,
    *,
    title: str | None = None,
    body: str = "Hat jemand eine Vorlage für den Hitzeaktionsplan?",
    tags: list[str] | tuple[str, ...] = (),
    **fields,
) -> Thread:
    """A thread in ``community`` with its opening post by ``author``."""
    author = author or UserFactory()
    thread = Thread.objects.create(
        community=community,
        author=author,
        title=title or f"Erfahrungen mit der E-Akte {next(_numbers)}",
        last_activity=timezone.now(),
        **fields,
    )
    thread.opening_post = Post.objects.create(
        thread=thread, author=author, body=body, body_html=render_markdown(body)
    )
    thread.last_post = thread.opening_post
    thread.save(update_fields=["opening_post", "last_post"])
    if tags:
        thread.tags.set(list(tags))
    return thread


def make_post(
    thread: Thread,
    author=None,
    *,
    body: str = "Wir nutzen die Vorlage des Landkreises, sie passt gut.",
    **fields,
) -> Post:
    """A reply to ``thread`` by ``author``; the thread counts it."""
    post = Post.objects.create(
        thread=thread,
        author=author or UserFactory(),
        body=body,
        body_html=render_markdown(body),
        **fields,
    )
    Thread.objects.filter(pk=thread.pk).update(
        reply_count=F("reply_count") + 1, last_activity=timezone.now(), last_post=post
    )
    thread.refresh_from_db(fields=["reply_count", "last_activity", "last_post"])
    return post
