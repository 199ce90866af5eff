"""Every community list page runs a fixed number of queries, whatever the
number of communities and members: the count measured on a small setup is
the ceiling for a large one (5,000 members, 50 communities)."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from factories import OrganisationFactory, UserFactory
from factories.communities import make_community, make_member

from communities.models import Membership
from members.models import User

pytestmark = pytest.mark.django_db

BIG = 5_000


def add_members(community, count, *, state="active", role="member", tag="m"):
    """``count`` more people in ``community``, written in bulk, from 20
    organisations (the member filter lists organisations)."""
    organisations = [
        OrganisationFactory(name=f"Gemeinde {community.slug} {n}") for n in range(20)
    ]
    users = User.objects.bulk_create(
        User(
            email=f"{tag}{n}@{community.slug}.example",
            display_name=f"Person {n:05d}",
            organisation=organisations[n % len(organisations)],
        )
        for n in range(count)
    )
    Membership.objects.bulk_create(
        Membership(community=community, user=user, role=role, state=state)
        for user in users
    )


def cold_cache():
    """Start a measured request with an empty shared cache. Wagtail keeps the
    site root paths there, and with Redis another process may clear it at any
    moment; measuring both cases cold makes the counts comparable."""
    cache.clear()


def queries_for(client, url) -> int:
    cold_cache()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


@pytest.fixture
def moderator_client(client):
    """A moderator of every community this test makes: sees every section."""
    moderator = UserFactory(display_name="Mona Moderatorin")
    client.force_login(moderator)
    client.moderator = moderator
    return client


def community_with(moderator, members, *, pending, banned, slug):
    community = make_community(
        slug=slug, visibility="internal", join_policy="request", topics=["Haushalt"]
    )
    make_member(community, moderator, role="owner")
    add_members(community, members - 1)
    add_members(community, pending, state="pending", tag="p")
    add_members(community, banned, state="banned", tag="b")
    return community


COMMUNITY_PAGES = [
    "/communities/",
    "/api/v1/communities",
    "/communities/{slug}/",
    "/communities/{slug}/mitglieder/",
    "/communities/{slug}/mitglieder/?page=50",
    "/api/v1/communities/{slug}",
    "/api/v1/communities/{slug}/members",
]


def test_community_pages_with_5000_members_run_no_more_queries_than_with_3(
    moderator_client, django_assert_max_num_queries
):
    moderator = moderator_client.moderator
    small = community_with(moderator, 3, pending=1, banned=1, slug="klein")
    make_community(slug="nachbar")
    small_counts = {}
    for page in COMMUNITY_PAGES:
        moderator_client.get(page.format(slug=small.slug))  # per-process caches
        small_counts[page] = queries_for(moderator_client, page.format(slug=small.slug))

    big = community_with(moderator, BIG, pending=100, banned=100, slug="gross")
    assert Membership.objects.filter(community=big, state="active").count() == BIG

    for page in COMMUNITY_PAGES:
        cold_cache()
        with django_assert_max_num_queries(small_counts[page], info=page):
            response = moderator_client.get(page.format(slug=big.slug))
        assert response.status_code == 200, page

    # ... and the pages still show what people expect.
    page = moderator_client.get(f"/communities/{big.slug}/").content.decode()
    members = moderator_client.get(f"/communities/{big.slug}/mitglieder/")
    directory = moderator_client.get("/communities/").content.decode()
    five_thousand = re.compile(r"\b5\.?000 Mitglieder")
    assert five_thousand.search(page)
    assert "Beitrittsanfragen (100)" in page
    assert five_thousand.search(members.content.decode())
    assert five_thousand.search(directory)


def directory_of(count, moderator, prefix):
    for n in range(count):
        community = make_community(
            title=f"{prefix} {n:02d}",
            slug=f"{prefix.lower()}-{n}",
            visibility=("public", "internal", "private")[n % 3],
            topics=[f"Thema {n % 7}", "Verwaltung"],
        )
        make_member(community, moderator, role=("owner", "member", "moderator")[n % 3])
        add_members(community, 3, tag=f"{prefix}{n}-")


DIRECTORY_PAGES = [
    "/communities/",
    "/communities/?mine=1",
    "/communities/?tag=verwaltung",
    "/api/v1/communities?page_size=100",
    "/api/v1/communities?mine=1&page_size=100",
]


def test_the_directory_with_50_communities_runs_no_more_queries_than_with_2(
    moderator_client, django_assert_max_num_queries
):
    moderator = moderator_client.moderator
    directory_of(2, moderator, "Klein")
    small_counts = {}
    for page in DIRECTORY_PAGES:
        moderator_client.get(page)  # per-process caches
        small_counts[page] = queries_for(moderator_client, page)

    directory_of(48, moderator, "Gross")

    for page in DIRECTORY_PAGES:
        cold_cache()
        with django_assert_max_num_queries(small_counts[page], info=page):
            response = moderator_client.get(page)
        assert response.status_code == 200, page
        assert response.content.decode().count("Gross ") == 48, page
