"""The role matrix of the wiki rules in ``communities.permissions``: every
role × every visibility × every action on wiki pages, against tables written
out for people to read (the tables of the communities and discussions issues,
in factories/roles.py, continue here). "yes" means the ``can_*`` question
answers True.

Members write the wiki; a protected page only the moderation; protecting,
moving, deleting and restoring are the moderation's; a deleted page is seen
by the moderation only; pending, banned and outside people read where the
visibility lets them.
"""

import pytest
from factories import roles
from factories.communities import make_community, make_member

from communities import permissions as perms
from communities.models import WikiPage
from communities.wiki import services

pytestmark = pytest.mark.django_db

# Reading as the community's threads; watching needs an account (the rest as
# reading); writing is the members'; a protected page, managing pages and
# seeing deleted ones are the moderation's.
VIEW_PAGE = roles.READ
WATCH_PAGE = roles.READ_SIGNED_IN
CREATE_PAGE = EDIT_PAGE = roles.TAKE_PART
EDIT_PROTECTED_PAGE = MANAGE_PAGE = VIEW_DELETED_PAGE = roles.MODERATE


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


@pytest.mark.parametrize(("action", "role", "visibility"), roles.matrix_cases(ACTIONS))
def test_wiki_role_matrix(action, role, visibility):
    table, question = ACTIONS[action]
    roles.check_cell(table, question, action, role, visibility)


def test_nobody_edits_a_deleted_page_before_it_is_restored():
    community = make_community(visibility="public")
    moderator = make_member(community, role="moderator").user
    page = a_page(community, deleted_at="2026-01-01T00:00:00Z")
    assert not perms.can_edit_wiki_page(moderator, page)
    assert perms.can_manage_wiki_page(moderator, page)
