"""The role matrix of the wiki rules in ``communities.permissions``: every
role × every visibility × every action on wiki pages, against tables written
out for people to read (the tables of the communities and discussions issues
continue here). "yes" means the ``can_*`` question answers True.

Members write the wiki; a protected page only the moderation; protecting,
moving, deleting and restoring are the moderation's; a deleted page is seen
by the moderation only; pending, banned and outside people read where the
visibility lets them.
"""

import pytest
from factories.communities import make_community, make_member
from factories.roles import parse_table, person_with_role

from communities import permissions as perms
from communities.models import WikiPage
from communities.wiki import services

pytestmark = pytest.mark.django_db

VIEW_PAGE = """
                 public  internal  private
anonymous        yes     no        no
platform user    yes     yes       no
pending          yes     yes       no
member           yes     yes       yes
moderator        yes     yes       yes
owner            yes     yes       yes
banned           yes     no        no
staff            yes     yes       yes
"""

# Watching needs an account (the rest as reading).
WATCH_PAGE = """
                 public  internal  private
anonymous        no      no        no
platform user    yes     yes       no
pending          yes     yes       no
member           yes     yes       yes
moderator        yes     yes       yes
owner            yes     yes       yes
banned           yes     no        no
staff            yes     yes       yes
"""

CREATE_PAGE = EDIT_PAGE = """
                 public  internal  private
anonymous        no      no        no
platform user    no      no        no
pending          no      no        no
member           yes     yes       yes
moderator        yes     yes       yes
owner            yes     yes       yes
banned           no      no        no
staff            yes     yes       yes
"""

EDIT_PROTECTED_PAGE = MANAGE_PAGE = VIEW_DELETED_PAGE = """
                 public  internal  private
anonymous        no      no        no
platform user    no      no        no
pending          no      no        no
member           no      no        no
moderator        yes     yes       yes
owner            yes     yes       yes
banned           no      no        no
staff            yes     yes       yes
"""


def a_page(community, **fields) -> WikiPage:
    page = services.wiki_page_create(
        author=make_member(community).user,
        community=community,
        title="Checkliste",
        body="Text",
    )
    if fields:
        WikiPage.objects.filter(pk=page.pk).update(**fields)
        page = WikiPage.objects.get(pk=page.pk)
    return page


ACTIONS = {
    "read a page": (VIEW_PAGE, lambda p, c: perms.can_view_wiki_page(p, a_page(c))),
    "watch a page": (
        WATCH_PAGE,
        lambda p, c: perms.can_watch_wiki_page(p, a_page(c)),
    ),
    "create a page": (CREATE_PAGE, perms.can_create_wiki_page),
    "edit a page": (EDIT_PAGE, lambda p, c: perms.can_edit_wiki_page(p, a_page(c))),
    "edit a protected page": (
        EDIT_PROTECTED_PAGE,
        lambda p, c: perms.can_edit_wiki_page(p, a_page(c, protected=True)),
    ),
    "protect, move, delete or restore a page": (
        MANAGE_PAGE,
        lambda p, c: perms.can_manage_wiki_page(p, a_page(c)),
    ),
    "see a deleted page": (
        VIEW_DELETED_PAGE,
        lambda p, c: perms.can_view_wiki_page(
            p, a_page(c, deleted_at="2026-01-01T00:00:00Z")
        ),
    ),
}

MATRIX = [
    pytest.param(action, role, visibility, id=f"{action}-{role}-{visibility}")
    for action, (table, _question) in ACTIONS.items()
    for (role, visibility) in parse_table(table)
]


@pytest.mark.parametrize(("action", "role", "visibility"), MATRIX)
def test_wiki_role_matrix(action, role, visibility):
    table, question = ACTIONS[action]
    community = make_community(visibility=visibility)
    person = person_with_role(role, community)

    allowed = question(person, community)

    expected = parse_table(table)[(role, visibility)]
    assert allowed is expected, (
        f"{role} should {'' if expected else 'not '}be allowed to {action} "
        f"in a {visibility} community"
    )


def test_nobody_edits_a_deleted_page_before_it_is_restored():
    community = make_community(visibility="public")
    moderator = make_member(community, role="moderator").user
    page = a_page(community, deleted_at="2026-01-01T00:00:00Z")
    assert not perms.can_edit_wiki_page(moderator, page)
    assert perms.can_manage_wiki_page(moderator, page)
