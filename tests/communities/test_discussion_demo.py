"""The demo discussions: German threads in the public and internal
communities, answered across municipalities, seeded once."""

import pytest
from django.db.models import Count, Max, Min
from django.utils import timezone

from communities.models import (
    CommunityPage,
    Membership,
    Post,
    Reaction,
    Thread,
    Visibility,
)
from members.demo import run_seeders

pytestmark = pytest.mark.django_db


def counts():
    return (
        Thread.objects.count(),
        Post.objects.count(),
        Reaction.objects.count(),
        Membership.objects.count(),
    )


def test_every_public_and_internal_community_has_five_to_eight_threads():
    run_seeders()

    readable = CommunityPage.objects.exclude(visibility=Visibility.PRIVATE)
    assert readable.count() >= 4
    for community in readable:
        assert 5 <= community.threads.count() <= 8, community.slug


def test_private_communities_get_no_demo_threads():
    run_seeders()

    assert not Thread.objects.filter(community__visibility=Visibility.PRIVATE).exists()


def test_replies_come_from_members_of_several_organisations():
    run_seeders()

    for community in CommunityPage.objects.exclude(visibility=Visibility.PRIVATE):
        replies = Post.objects.filter(thread__community=community, opened_thread=None)
        organisations = replies.values("author__organisation").distinct().count()
        assert organisations >= 2, community.slug
        for author_id in replies.values_list("author", flat=True).distinct():
            membership = Membership.objects.get(community=community, user=author_id)
            assert membership.state == Membership.State.ACTIVE


def test_some_threads_are_solved_pinned_tagged_and_reacted_to():
    run_seeders()

    assert Thread.objects.exclude(solution=None).count() >= 6
    assert Thread.objects.filter(pinned=True).exists()
    assert Thread.objects.filter(tags__isnull=False).distinct().count() >= 30
    assert Reaction.objects.count() >= 30
    assert Post.objects.exclude(reply_to=None).exists()
    assert Post.objects.filter(body_html__contains="<table>").exists()
    assert Post.objects.filter(body_html__contains="<a href=").exists()


def test_threads_spread_over_past_months_with_the_question_first():
    run_seeders()

    now = timezone.now()
    threads = Thread.objects.annotate(
        first=Min("posts__created"),
        last=Max("posts__created"),
        posts_total=Count("posts"),
    )
    for thread in threads:
        assert thread.opening_post.created == thread.first == thread.created
        assert thread.last_activity == thread.last < now
        assert thread.reply_count == thread.posts_total - 1
    spread = threads.aggregate(oldest=Min("created"), newest=Max("created"))
    assert (spread["newest"] - spread["oldest"]).days >= 90


def test_seeding_twice_adds_no_threads_posts_reactions_or_members():
    run_seeders()
    first = counts()

    lines = run_seeders()

    assert counts() == first
    assert any("Diskussionen" in line for line in lines)
