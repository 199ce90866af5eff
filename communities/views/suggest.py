"""Suggestions for the Markdown editor: people to @mention and discussion tags.

Both answer JSON to the editor's script (static/js/editor.js) while a person
types; each asks the permission module first, so a private community's
members and tags stay hidden from outsiders (404, as for its pages).
"""

import re

from django.db.models import Case, Count, IntegerField, QuerySet, Value, When
from django.http import JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from kommunect.preview import json_endpoint

from .. import permissions as perms
from ..models import CommunityPage, DiscussionTag, Membership

MENTION_LIMIT = 8
TAG_LIMIT = 10
MAX_QUERY_LENGTH = 100

# Characters that would end the link text or start emphasis or code in
# ``[@Name](…)``; a backslash escapes any ASCII punctuation in CommonMark.
_MARKDOWN_SPECIAL = re.compile(r"([\\\[\]*_`~<])")


def mention_markdown(display_name: str, profile_url: str) -> str:
    """``[@Display Name](/mitglieder/<id>/)``, the name escaped for Markdown."""
    name = _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(display_name.split()))
    return f"[@{name}]({profile_url})"


def mention_candidates(*, community: CommunityPage, q: str) -> QuerySet[Membership]:
    """Active members whose display name contains ``q``; names that begin
    with it first."""
    return by_name_match(
        Membership.objects.filter(
            community=community,
            state=Membership.State.ACTIVE,
            user__is_active=True,
        ).select_related("user", "user__organisation"),
        q,
        "user__",
    )


def by_name_match(qs: QuerySet, q: str, prefix: str = "") -> QuerySet:
    """Rows of ``qs`` whose person's display name contains ``q`` (``prefix``
    leads to the person), names that begin with it first."""
    starts_first = Case(
        When(**{f"{prefix}display_name__istartswith": q}, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return (
        qs.filter(**{f"{prefix}display_name__icontains": q})
        .annotate(starts_first=starts_first)
        .order_by("starts_first", f"{prefix}display_name", f"{prefix}id")
    )


def tag_candidates(*, community: CommunityPage, q: str) -> QuerySet[DiscussionTag]:
    """Tags of the community's threads containing ``q``, most used first."""
    # The filter on the thread comes before the Count, so the count is the
    # uses in this community, not across the platform.
    qs = DiscussionTag.objects.filter(
        tagged_threads__content_object__community=community
    )
    if q:
        qs = qs.filter(name__icontains=q)
    return qs.annotate(uses=Count("tagged_threads")).order_by("-uses", "name")


def suggest_query(request) -> str:
    return " ".join(request.GET.get("q", "").split())[:MAX_QUERY_LENGTH]


@require_GET
@json_endpoint
def mention_suggest(request, slug):
    """Up to eight members of the community for ``q`` (the text after "@")."""
    community = perms.get_community_for(request.user, slug)
    perms.check_view_members(request.user, community)
    q = suggest_query(request)
    if not q:
        return JsonResponse({"results": []})
    return mention_results(
        membership.user
        for membership in mention_candidates(community=community, q=q)[:MENTION_LIMIT]
    )


def mention_results(users) -> JsonResponse:
    """The answer the editor's @mention list reads (``select_related`` the
    organisation)."""
    return JsonResponse(
        {
            "results": [
                {
                    "id": user.pk,
                    "display_name": user.display_name,
                    "organisation": user.organisation.name if user.organisation else "",
                    "markdown": mention_markdown(
                        user.display_name, reverse("members:profile", args=[user.pk])
                    ),
                }
                for user in users
            ]
        }
    )


@require_GET
@json_endpoint
def tag_suggest(request, slug):
    """Up to ten tags of the community's discussions for ``q``; without
    ``q`` the most used ones."""
    community = perms.get_community_for(request.user, slug)
    results = [
        {"name": tag.name, "count": tag.uses}
        for tag in tag_candidates(community=community, q=suggest_query(request))[
            :TAG_LIMIT
        ]
    ]
    return JsonResponse({"results": results})
