"""The role matrix of the discussion rules in ``communities.permissions``:
every role × every visibility × every action on threads and posts, against
tables written out for people to read.

The tables say what the design (issue 4, on top of the roles of issue 3)
promises; they are not derived from the code. Members take part, moderators
and owners moderate their community, platform staff may do everything;
pending, banned and outside people read where the visibility lets them and do
nothing else; a private community's threads do not exist for outsiders.
"yes" means the ``can_*`` question answers True.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from factories import roles
from factories.communities import make_community, make_member
from factories.discussions import make_post, make_thread
from factories.roles import ROLES, person_with_role

from communities import permissions as perms
from communities.models import CommunityPage, Thread

pytestmark = pytest.mark.django_db


# Threads are read like the community they belong to (factories.roles.READ:
# a ban in a public community takes away taking part, not reading).
VIEW_THREAD = roles.READ

# Starting a thread, replying to an open one and reacting are taking part:
# active members only (and staff).
START_THREAD = REPLY_TO_OPEN_THREAD = REACT = roles.TAKE_PART

# A locked thread accepts no replies, not from anybody: moderators unlock it
# first.
REPLY_TO_LOCKED_THREAD = """
                 public  internal  private
anonymous        no      no        no
platform user    no      no        no
pending          no      no        no
member           no      no        no
moderator        no      no        no
owner            no      no        no
banned           no      no        no
staff            no      no        no
"""

# Asked of the post's own author, who has the role now: someone who has left
# (platform user), whose membership is pending again or who was banned keeps
# the post but no longer edits it. Anonymous visitors are asked about a post
# whose author's account was deleted: nobody owns it.
EDIT_OWN_POST = DELETE_OWN_POST = roles.TAKE_PART

# Somebody else's post (written by a member): moderation, or pinning and
# locking a thread, or marking the solution of somebody else's question.
EDIT_OTHERS_POST = DELETE_OTHERS_POST = PIN_OR_LOCK = MARK_SOLUTION_OF_OTHERS = (
    roles.MODERATE
)

# The person who asked marks the solution of their own question while they
# take part in the community. (Anonymous: a thread whose author's account was
# deleted.)
MARK_SOLUTION_OF_OWN_THREAD = roles.TAKE_PART


# Title and tags of a thread: the person who asked (while taking part) and the
# moderation; the same people as for the solution.
EDIT_OWN_THREAD = MARK_SOLUTION_OF_OWN_THREAD

# Earlier versions of someone else's post: moderators (and staff) only.
HISTORY_OF_OTHERS_POST = roles.MODERATE

# Watching is for signed-in people who may read the thread.
WATCH_THREAD = roles.READ_SIGNED_IN

# Files are attached by those who write; an attached file of a post is read
# by whoever reads the thread.
UPLOAD_ATTACHMENT = START_THREAD
VIEW_ATTACHMENT_OF_A_POST = VIEW_THREAD


def an_attachment(community, post):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from wagtail.documents.models import Document

    from communities.models import Attachment

    document = Document.objects.create(
        title="Vorlage.pdf", file=SimpleUploadedFile("Vorlage.pdf", b"%PDF-1.4")
    )
    return Attachment.objects.create(document=document, community=community, post=post)


def own(person):
    """The author to write a post or thread "of" ``person``: an anonymous
    visitor owns nothing, so they get one whose author's account is gone."""
    return person if person.is_authenticated else None


def a_members_thread(community: CommunityPage, **fields) -> Thread:
    return make_thread(community, make_member(community).user, **fields)


# action: (table, question asked of the person in the community)
ACTIONS = {
    "view a thread": (
        VIEW_THREAD,
        lambda person, community: perms.can_view_thread(
            person, a_members_thread(community)
        ),
    ),
    "start a thread": (START_THREAD, perms.can_start_thread),
    "reply to an open thread": (
        REPLY_TO_OPEN_THREAD,
        lambda person, community: perms.can_reply(person, a_members_thread(community)),
    ),
    "reply to a locked thread": (
        REPLY_TO_LOCKED_THREAD,
        lambda person, community: perms.can_reply(
            person, a_members_thread(community, locked=True)
        ),
    ),
    "edit their own post": (
        EDIT_OWN_POST,
        lambda person, community: perms.can_edit_post(
            person, make_post(a_members_thread(community), own(person))
        ),
    ),
    "delete their own post": (
        DELETE_OWN_POST,
        lambda person, community: perms.can_delete_post(
            person, make_post(a_members_thread(community), own(person))
        ),
    ),
    "edit someone else's post": (
        EDIT_OTHERS_POST,
        lambda person, community: perms.can_edit_post(
            person,
            make_post(a_members_thread(community), make_member(community).user),
        ),
    ),
    "delete someone else's post": (
        DELETE_OTHERS_POST,
        lambda person, community: perms.can_delete_post(
            person,
            make_post(a_members_thread(community), make_member(community).user),
        ),
    ),
    "react to a post": (
        REACT,
        lambda person, community: perms.can_react(
            person, make_post(a_members_thread(community))
        ),
    ),
    "mark the solution of their own thread": (
        MARK_SOLUTION_OF_OWN_THREAD,
        lambda person, community: perms.can_mark_solution(
            person, make_thread(community, own(person))
        ),
    ),
    "mark the solution of someone else's thread": (
        MARK_SOLUTION_OF_OTHERS,
        lambda person, community: perms.can_mark_solution(
            person, a_members_thread(community)
        ),
    ),
    "change title and tags of their own thread": (
        EDIT_OWN_THREAD,
        lambda person, community: perms.can_edit_thread(
            person, make_thread(community, own(person))
        ),
    ),
    "change title and tags of someone else's thread": (
        MARK_SOLUTION_OF_OTHERS,
        lambda person, community: perms.can_edit_thread(
            person, a_members_thread(community)
        ),
    ),
    "see earlier versions of someone else's post": (
        HISTORY_OF_OTHERS_POST,
        lambda person, community: perms.can_view_post_history(
            person,
            make_post(a_members_thread(community), make_member(community).user),
        ),
    ),
    "watch a thread": (
        WATCH_THREAD,
        lambda person, community: perms.can_watch_thread(
            person, a_members_thread(community)
        ),
    ),
    "upload an attachment": (UPLOAD_ATTACHMENT, perms.can_upload_attachment),
    "open an attachment of a post": (
        VIEW_ATTACHMENT_OF_A_POST,
        lambda person, community: perms.can_view_attachment(
            person, an_attachment(community, make_post(a_members_thread(community)))
        ),
    ),
    "pin or lock a thread": (
        PIN_OR_LOCK,
        lambda person, community: perms.can_pin_or_lock(
            person, a_members_thread(community)
        ),
    ),
}


@pytest.mark.parametrize(("action", "role", "visibility"), roles.matrix_cases(ACTIONS))
def test_discussion_role_matrix(action, role, visibility):
    table, question = ACTIONS[action]
    roles.check_cell(table, question, action, role, visibility)


def test_a_moderator_of_another_community_moderates_nothing_here():
    community = make_community(visibility="public")
    elsewhere = make_community(visibility="public")
    moderator = make_member(elsewhere, role="moderator").user
    thread = a_members_thread(community)
    post = make_post(thread, make_member(community).user)

    assert not perms.can_edit_post(moderator, post)
    assert not perms.can_delete_post(moderator, post)
    assert not perms.can_pin_or_lock(moderator, thread)
    assert not perms.can_mark_solution(moderator, thread)
    assert not perms.can_reply(moderator, thread)


@pytest.mark.parametrize("role", ["member", "moderator", "owner", "staff"])
def test_nobody_edits_a_deleted_post(role):
    community = make_community(visibility="public")
    person = person_with_role(role, community)
    post = make_post(a_members_thread(community), own(person), deleted=timezone.now())

    assert not perms.can_edit_post(person, post)
    assert not perms.can_react(person, post)


# --- fetch and check in one call ---------------------------------------------


@pytest.mark.parametrize("role", ["anonymous", "platform user", "pending", "banned"])
def test_a_private_communitys_thread_is_not_found_for_people_outside_it(role):
    community = make_community(visibility="private")
    thread = a_members_thread(community)
    person = person_with_role(role, community)

    with pytest.raises(Http404):
        perms.get_thread_for(person, thread.pk)


@pytest.mark.parametrize("role", ["anonymous", "platform user", "pending", "banned"])
def test_a_post_in_a_private_community_is_not_found_for_people_outside_it(role):
    community = make_community(visibility="private")
    post = make_post(a_members_thread(community))
    person = person_with_role(role, community)

    with pytest.raises(Http404):
        perms.get_post_for(person, post.pk)


def test_an_unknown_thread_is_not_found(user):
    with pytest.raises(Http404):
        perms.get_thread_for(user, 987_654)


def test_an_unknown_post_is_not_found(user):
    with pytest.raises(Http404):
        perms.get_post_for(user, 987_654)


def test_an_internal_communitys_thread_is_forbidden_not_hidden_for_visitors():
    thread = a_members_thread(make_community(visibility="internal"))

    with pytest.raises(PermissionDenied):
        perms.get_thread_for(AnonymousUser(), thread.pk)


@pytest.mark.parametrize("role", ["member", "moderator", "owner", "staff"])
def test_members_and_staff_get_the_thread_of_a_private_community(role):
    community = make_community(visibility="private")
    thread = a_members_thread(community, title="Vorlage Hitzeaktionsplan")
    post = make_post(thread)
    person = person_with_role(role, community)

    assert perms.get_thread_for(person, thread.pk).title == "Vorlage Hitzeaktionsplan"
    assert perms.get_post_for(person, post.pk) == post


def test_the_thread_of_an_unpublished_community_is_not_found_for_its_members():
    community = make_community(visibility="public")
    member = make_member(community).user
    thread = make_thread(community, member)
    community.unpublish()

    with pytest.raises(Http404):
        perms.get_thread_for(member, thread.pk)


@pytest.mark.parametrize("role", ROLES)
def test_filter_visible_threads_returns_exactly_what_the_view_table_allows(role):
    person, communities = roles.person_in_every_visibility(role)
    threads = {
        visibility: [
            make_thread(community, title=f"{visibility} {number}") for number in (1, 2)
        ]
        for visibility, community in communities.items()
    }

    visible = perms.filter_visible_threads(person, Thread.objects.all())

    assert set(visible.values_list("title", flat=True)) == {
        thread.title
        for visibility in roles.visibilities_allowed(VIEW_THREAD, role)
        for thread in threads[visibility]
    }
