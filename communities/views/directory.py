"""The community directory (the CommunityIndexPage)."""

from django.shortcuts import render

from .. import permissions as perms
from ..selectors import community_list


def community_directory(request, *, index_page):
    mine = request.GET.get("mine") == "1" and request.user.is_authenticated
    tag = request.GET.get("tag", "").strip()[:100]
    communities = list(community_list(user=request.user, mine=mine, tag=tag))
    for community in communities:
        community.my_role = perms.role_in(request.user, community)
    topics = sorted(
        {topic for community in communities for topic in community.topics.all()},
        key=lambda topic: topic.name.casefold(),
    )
    return render(
        request,
        "communities/community_index_page.html",
        {
            "page": index_page,
            "self": index_page,
            "communities": communities,
            "mine": mine,
            "tag": tag,
            "topics": topics,
        },
    )
