"""The demo wiki: German best-practice pages in the public and internal
communities, edited by several members, linked to each other, seeded once."""

import pytest
from django.db.models import Count
from wagtail.models import Revision

from communities.models import CommunityPage, Visibility
from communities.wiki.models import WikiLink, WikiPage
from members.demo import run_seeders

pytestmark = pytest.mark.django_db


def counts():
    return (
        WikiPage.objects.count(),
        Revision.page_revisions.count(),
        WikiLink.objects.count(),
    )


def test_public_and_internal_communities_get_pages_private_ones_none():
    run_seeders()

    readable = CommunityPage.objects.exclude(visibility=Visibility.PRIVATE)
    assert readable.count() >= 4
    for community in readable:
        pages = WikiPage.objects.descendant_of(community)
        assert 2 <= pages.count() <= 4, community.slug
    for community in CommunityPage.objects.filter(visibility=Visibility.PRIVATE):
        assert not WikiPage.objects.descendant_of(community).exists(), community.slug


def test_pages_have_revisions_by_several_members():
    run_seeders()

    for page in WikiPage.objects.all():
        revisions = Revision.page_revisions.filter(object_id=str(page.pk))
        assert revisions.count() >= 2, page.title
        assert revisions.values("user").distinct().count() >= 2, page.title


def test_links_resolve_and_there_is_a_sub_page():
    run_seeders()

    assert WikiLink.objects.exists()
    assert not WikiLink.objects.filter(target=None).exists()
    linking = WikiPage.objects.annotate(n=Count("outgoing_links")).filter(n__gt=0)
    assert linking.count() >= 6
    assert any(
        isinstance(page.get_parent().specific, WikiPage)
        for page in WikiPage.objects.all()
    )
    assert (
        'href="/wiki/'
        in WikiPage.objects.filter(title="E-Akte einführen: Checkliste").get().body_html
    )


def test_seeding_twice_adds_nothing():
    run_seeders()
    before = counts()

    run_seeders()

    assert counts() == before
