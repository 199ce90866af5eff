"""THE permission module: every "may this user see/do this?" is answered here.

- ``can_*`` return a bool,
- ``check_*`` raise: ``Http404`` where the user may not even know that the
  thing exists (a private community and everything in it), otherwise
  ``PermissionDenied``,
- ``filter_*`` narrow a queryset by the same rules.

Roles: anonymous, platform user (signed in, no membership), pending, member,
moderator, owner, banned, and platform staff (``is_staff``), who may do
everything. Visibilities: public (anyone reads), internal (any signed-in
user reads), private (only members; hidden from everyone else).

A person's memberships are loaded once per user object (one query) and
cached on it; services that change memberships call ``forget_memberships``.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from kommunect.validation import parse_id

from .models import (
    Attachment,
    CommunityPage,
    JoinPolicy,
    Membership,
    Post,
    Thread,
    Visibility,
    WikiPage,
)

Role = Membership.Role
State = Membership.State

ROLE_BANNED = "banned"
ROLE_PENDING = "pending"
PARTICIPATING_ROLES = {Role.OWNER, Role.MODERATOR, Role.MEMBER}
MODERATING_ROLES = {Role.OWNER, Role.MODERATOR}

_CACHE_ATTR = "_kommunect_memberships"


# --- who is the user in this community? -----------------------------------


def is_platform_staff(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)


def _memberships(user) -> dict[int, Membership]:
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = {m.community_id: m for m in Membership.objects.filter(user=user)}
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_memberships(user) -> None:
    """Drop the cached memberships of this user object (after a change)."""
    if user is not None and hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def ban_in_force(membership: Membership) -> bool:
    return membership.state == State.BANNED and (
        membership.banned_until is None or membership.banned_until > timezone.now()
    )


def membership_of(user, community: CommunityPage) -> Membership | None:
    """The user's membership row, or None; an expired ban counts as none."""
    if not (user and user.is_authenticated):
        return None
    membership = _memberships(user).get(community.pk)
    if membership and membership.state == State.BANNED and not ban_in_force(membership):
        return None
    return membership


def role_in(user, community: CommunityPage) -> str | None:
    """``owner``, ``moderator``, ``member``, ``pending``, ``banned`` or None."""
    membership = membership_of(user, community)
    if membership is None:
        return None
    if membership.state == State.BANNED:
        return ROLE_BANNED
    if membership.state == State.PENDING:
        return ROLE_PENDING
    return membership.role


# --- communities ----------------------------------------------------------


def can_view_community(user, community: CommunityPage) -> bool:
    """Read the community and its content."""
    if not community.live:
        return is_platform_staff(user)
    if is_platform_staff(user):
        return True
    role = role_in(user, community)
    if community.visibility == Visibility.PUBLIC:
        return True
    if role == ROLE_BANNED:
        return False
    if community.visibility == Visibility.INTERNAL:
        return bool(user and user.is_authenticated)
    return role in PARTICIPATING_ROLES


def can_participate(user, community: CommunityPage) -> bool:
    """Write in the community: threads, posts, wiki, chat."""
    return is_platform_staff(user) or role_in(user, community) in PARTICIPATING_ROLES


def can_moderate(user, community: CommunityPage) -> bool:
    """Decide requests, invite, change roles of members, remove and ban."""
    return is_platform_staff(user) or role_in(user, community) in MODERATING_ROLES


def can_manage(user, community: CommunityPage) -> bool:
    """Edit the community's front page, visibility and join policy."""
    return is_platform_staff(user) or role_in(user, community) == Role.OWNER


def can_view_members(user, community: CommunityPage) -> bool:
    """The member list is for signed-in people who may read the community."""
    return bool(user and user.is_authenticated) and can_view_community(user, community)


def can_join(user, community: CommunityPage) -> bool:
    """Join an open community with one click."""
    return (
        bool(user and user.is_authenticated)
        and role_in(user, community) is None
        and community.join_policy == JoinPolicy.OPEN
        and can_view_community(user, community)
    )


def can_request_membership(user, community: CommunityPage) -> bool:
    """Ask to join a community whose join policy is ``request``."""
    return (
        bool(user and user.is_authenticated)
        and role_in(user, community) is None
        and community.join_policy == JoinPolicy.REQUEST
        and can_view_community(user, community)
    )


def can_leave(user, community: CommunityPage) -> bool:
    """Leave (or withdraw a pending request). The last owner is stopped by the
    service, with a message saying why."""
    return role_in(user, community) in {*PARTICIPATING_ROLES, ROLE_PENDING}


def can_invite(user, community: CommunityPage) -> bool:
    return can_moderate(user, community)


def can_decide_requests(user, community: CommunityPage) -> bool:
    return can_moderate(user, community)


def can_change_role(
    user, community: CommunityPage, target: Membership, new_role: str
) -> bool:
    """Owners (and staff) set any role; moderators move people between
    member and moderator, but never touch owners or make one."""
    if target.community_id != community.pk or target.state != State.ACTIVE:
        return False
    if is_platform_staff(user) or role_in(user, community) == Role.OWNER:
        return True
    if role_in(user, community) == Role.MODERATOR:
        return target.role != Role.OWNER and new_role != Role.OWNER
    return False


def can_remove_member(user, community: CommunityPage, target: Membership) -> bool:
    """Remove or ban: owners (and staff) anyone but themselves; moderators
    only plain members."""
    if target.community_id != community.pk or target.user_id == getattr(
        user, "pk", None
    ):
        return False
    if is_platform_staff(user) or role_in(user, community) == Role.OWNER:
        return True
    if role_in(user, community) == Role.MODERATOR:
        return target.role == Role.MEMBER
    return False


def check_view_community(user, community: CommunityPage) -> None:
    """404 where the user may not know the community exists, else 403."""
    if can_view_community(user, community):
        return
    if community.visibility == Visibility.PRIVATE or not community.live:
        raise Http404(_("Diese Community gibt es nicht."))
    raise PermissionDenied(
        _("Diese Community ist nur für angemeldete Personen sichtbar.")
    )


def _check(allowed: bool, user, community: CommunityPage, message: str) -> None:
    check_view_community(user, community)
    if not allowed:
        raise PermissionDenied(message)


def check_participate(user, community: CommunityPage) -> None:
    _check(
        can_participate(user, community),
        user,
        community,
        _("Dafür müssen Sie Mitglied dieser Community sein."),
    )


def check_moderate(user, community: CommunityPage) -> None:
    _check(
        can_moderate(user, community),
        user,
        community,
        _("Das dürfen nur Moderatorinnen und Moderatoren dieser Community."),
    )


def check_manage(user, community: CommunityPage) -> None:
    _check(
        can_manage(user, community),
        user,
        community,
        _("Das dürfen nur Eigentümerinnen und Eigentümer dieser Community."),
    )


def check_view_members(user, community: CommunityPage) -> None:
    _check(
        can_view_members(user, community),
        user,
        community,
        _("Bitte melden Sie sich an, um die Mitglieder zu sehen."),
    )


def filter_visible_communities(
    user, qs: QuerySet[CommunityPage]
) -> QuerySet[CommunityPage]:
    """The communities of ``qs`` that ``user`` may see (live ones only)."""
    if is_platform_staff(user):
        return qs
    qs = qs.filter(live=True)
    if not (user and user.is_authenticated):
        return qs.filter(visibility=Visibility.PUBLIC)
    now = timezone.now()
    mine = Membership.objects.filter(community=OuterRef("pk"), user=user)
    banned = mine.filter(state=State.BANNED).filter(
        Q(banned_until__isnull=True) | Q(banned_until__gt=now)
    )
    active = mine.filter(state=State.ACTIVE)
    return qs.filter(
        Q(visibility=Visibility.PUBLIC)
        | (Q(visibility=Visibility.INTERNAL) & ~Exists(banned))
        | (Q(visibility=Visibility.PRIVATE) & Exists(active))
    )


def get_community_for(user, slug: str) -> CommunityPage:
    """Fetch and check in one call: the community ``slug`` if ``user`` may see
    it, else 404 (private, unknown) or 403."""
    community = CommunityPage.objects.filter(slug=slug).select_related("image").first()
    if community is None:
        raise Http404(_("Diese Community gibt es nicht."))
    check_view_community(user, community)
    return community


def get_community_to_leave(user, slug: str) -> CommunityPage:
    """Like ``get_community_for``, but a person who asked to join (or is a
    member) may always leave, even if the community has turned private."""
    community = CommunityPage.objects.filter(slug=slug).first()
    if community is not None and role_in(user, community) in {
        *PARTICIPATING_ROLES,
        ROLE_PENDING,
    }:
        return community
    return get_community_for(user, slug)


def community_of_page(page) -> CommunityPage | None:
    """The community a Wagtail page belongs to (itself or an ancestor)."""
    specific = getattr(page, "specific_deferred", page)
    if isinstance(specific, CommunityPage):
        return specific
    # Asked by every check of a request about the same page object: looked
    # up once per object (a page does not leave its community).
    if "_community_of_page" not in page.__dict__:
        page._community_of_page = (
            CommunityPage.objects.ancestor_of(page, inclusive=False)
            .order_by("-depth")
            .first()
        )
    return page._community_of_page


def can_view_page(user, page) -> bool:
    """Any page of the site: pages inside a community follow the community."""
    community = community_of_page(page)
    return community is None or can_view_community(user, community)


def check_view_page(user, page) -> None:
    community = community_of_page(page)
    if community is not None:
        check_view_community(user, community)


def filter_visible_pages(user, qs):
    """Wagtail pages of ``qs`` the user may see: pages inside a community the
    user may not see are left out (used for the admin's choosers and lists)."""
    if is_platform_staff(user):
        return qs
    hidden = CommunityPage.objects.exclude(
        pk__in=filter_visible_communities(user, CommunityPage.objects.all()).values(
            "pk"
        )
    ).values_list("path", flat=True)
    for path in hidden:
        qs = qs.exclude(path__startswith=path)
    return qs


# --- discussions ------------------------------------------------------------


def can_view_thread(user, thread) -> bool:
    return can_view_community(user, thread.community)


def can_start_thread(user, community: CommunityPage) -> bool:
    return can_participate(user, community)


def can_reply(user, thread) -> bool:
    """Members reply to open threads; a locked thread takes no replies, not
    even from moderators (they unlock it first)."""
    return not thread.locked and can_participate(user, thread.community)


def _is_author(user, post) -> bool:
    return bool(user and user.is_authenticated and post.author_id == user.pk)


def can_edit_post(user, post) -> bool:
    """Authors edit their own posts while they may take part; moderators
    edit (and hide) any post of their community."""
    if post.deleted is not None:
        return False
    community = post.thread.community
    if can_moderate(user, community):
        return True
    return _is_author(user, post) and can_participate(user, community)


def can_delete_post(user, post) -> bool:
    return can_edit_post(user, post)


def can_view_post_history(user, post) -> bool:
    """Earlier versions are for the author and the moderators."""
    community = post.thread.community
    return can_view_community(user, community) and (
        _is_author(user, post) or can_moderate(user, community)
    )


def can_react(user, post) -> bool:
    return post.deleted is None and can_participate(user, post.thread.community)


def can_mark_solution(user, thread) -> bool:
    """The person who asked, or a moderator."""
    return can_edit_thread(user, thread)


def can_edit_thread(user, thread) -> bool:
    """Title and tags: the person who asked (while taking part), moderators."""
    community = thread.community
    if can_moderate(user, community):
        return True
    return (
        bool(user and user.is_authenticated)
        and thread.author_id == user.pk
        and can_participate(user, community)
    )


def can_pin_or_lock(user, thread) -> bool:
    return can_moderate(user, thread.community)


def can_watch_thread(user, thread) -> bool:
    return bool(user and user.is_authenticated) and can_view_thread(user, thread)


def filter_visible_threads(user, qs):
    """Threads in communities the user may see."""
    visible = filter_visible_communities(user, CommunityPage.objects.all())
    return qs.filter(community__in=visible.values("pk"))


def get_thread_for(user, thread_id) -> Thread:
    """Fetch and check in one call: 404 for a thread the user may not see
    (a private community's threads do not exist for outsiders)."""
    thread = (
        Thread.objects.select_related("community", "author", "opening_post")
        .filter(pk=thread_id)
        .first()
    )
    if thread is None or not can_view_thread(user, thread):
        if thread is not None and thread.community.visibility != Visibility.PRIVATE:
            check_view_community(user, thread.community)
        raise Http404(_("Diese Diskussion gibt es nicht."))
    return thread


def get_post_for(user, post_id):
    """The post ``post_id`` if its thread is visible to ``user``, else 404."""
    post = (
        Post.objects.select_related("thread", "thread__community", "author")
        .filter(pk=post_id)
        .first()
    )
    if post is None or not can_view_thread(user, post.thread):
        raise Http404(_("Diesen Beitrag gibt es nicht."))
    return post


# --- attachments ------------------------------------------------------------


def can_upload_attachment(user, community: CommunityPage) -> bool:
    """Those who may write in a community may attach files to what they write."""
    return can_participate(user, community)


def check_upload_attachment(user, community: CommunityPage) -> None:
    _check(
        can_upload_attachment(user, community),
        user,
        community,
        _("Dateien hochladen dürfen nur Mitglieder dieser Community."),
    )


def can_view_attachment(user, attachment: Attachment) -> bool:
    """An attachment follows its community, one of a wiki page follows the
    page. Until it belongs to a post or page (a draft) and once its post is
    deleted, only the person who uploaded it and the moderators may open it."""
    community = attachment.community
    if not can_view_community(user, community):
        return False
    if attachment.wiki_page_id is not None:
        return can_view_wiki_page(user, attachment.wiki_page)
    post = attachment.post
    if post is not None and post.deleted is None:
        return True
    uploader = bool(
        user and user.is_authenticated and attachment.uploaded_by_id == user.pk
    )
    return uploader or can_moderate(user, community)


def check_view_attachment(user, attachment: Attachment) -> None:
    """404/403 as for the community; an attachment that is not (or no longer)
    part of a visible post is a 404."""
    check_view_community(user, attachment.community)
    if not can_view_attachment(user, attachment):
        raise Http404(_("Diese Datei gibt es nicht."))


def check_view_document(user, document) -> None:
    """Wagtail documents: an attachment follows ``check_view_attachment``;
    other documents (the editors' own) are Wagtail's business."""
    attachment = (
        Attachment.objects.select_related("community", "post")
        .filter(document_id=document.pk)
        .first()
    )
    if attachment is not None:
        check_view_attachment(user, attachment)


def filter_visible_documents(user, qs):
    """Documents of ``qs`` without the attachments of communities the user may
    not see (for the admin's document chooser)."""
    if is_platform_staff(user):
        return qs
    visible = filter_visible_communities(user, CommunityPage.objects.all())
    # By id on the document itself: the admin's search backend filters only
    # on the document's own indexed fields, not across a join.
    hidden = Attachment.objects.exclude(community__in=visible.values("pk"))
    return qs.exclude(pk__in=hidden.values("document_id"))


# --- wiki -------------------------------------------------------------------


def can_view_wiki_page(user, page) -> bool:
    """A wiki page is read like its community; a deleted one only by the
    moderation (who may restore it)."""
    community = community_of_page(page)
    if community is None or not can_view_community(user, community):
        return False
    return page.deleted_at is None or can_moderate(user, community)


def check_view_wiki_page(user, page) -> None:
    community = community_of_page(page)
    if community is not None:
        check_view_community(user, community)
    if not can_view_wiki_page(user, page):
        raise Http404(_("Diese Wiki-Seite gibt es nicht."))


def get_wiki_page_for(user, page_id) -> WikiPage:
    """Fetch and check in one call: the wiki page ``page_id`` if ``user`` may
    read it, else 404 (or 403, as ``check_view_wiki_page``). An id beyond a
    bigint is not found either: a wiki page's key is a link to its Wagtail
    page, which Django does not check for range before the database."""
    page = WikiPage.objects.filter(pk=parse_id(page_id) or 0).first()
    if page is None:
        raise Http404(_("Diese Wiki-Seite gibt es nicht."))
    check_view_wiki_page(user, page)
    return page


def can_create_wiki_page(user, community: CommunityPage) -> bool:
    return can_participate(user, community)


def can_edit_wiki_page(user, page) -> bool:
    """Members edit; a protected page only the moderation. Nobody edits a
    deleted page before it is restored."""
    community = community_of_page(page)
    if community is None or page.deleted_at is not None:
        return False
    if page.protected:
        return can_moderate(user, community)
    return can_participate(user, community)


def can_manage_wiki_page(user, page) -> bool:
    """Protect, move, delete and restore: the moderation."""
    community = community_of_page(page)
    return community is not None and can_moderate(user, community)


def can_watch_wiki_page(user, page) -> bool:
    return bool(user and user.is_authenticated) and can_view_wiki_page(user, page)


# --- chat -------------------------------------------------------------------
# Rooms and messages are passed in (the chat app depends on this module, not
# the reverse): a room has ``kind``, ``community`` and ``members`` (the
# people of a direct conversation), a message ``room`` and ``author_id``.


def _is_active_user(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def _takes_part(user, room) -> bool:
    """Whether ``user`` is one of the people of a direct conversation (looked
    up once per room object)."""
    if "_participant_ids" not in room.__dict__:
        room._participant_ids = set(room.members.values_list("user_id", flat=True))
    return user.pk in room._participant_ids


def can_view_room(user, room) -> bool:
    """Read a room and its history: a community's rooms are for the people
    who take part in the community, a direct conversation for its people.
    An archived room stays readable."""
    if not _is_active_user(user):
        return False
    if room.kind == "direct":
        return _takes_part(user, room)
    community = room.community
    return can_view_community(user, community) and can_participate(user, community)


def check_view_room(user, room) -> None:
    """404 for rooms the user may not see: unknown and foreign rooms answer
    alike."""
    if room is None or not can_view_room(user, room):
        raise Http404(_("Diesen Chatraum gibt es nicht."))


def can_subscribe_room(user, room) -> bool:
    """Receive the room's messages live: not in an archived room."""
    return room.archived_at is None and can_view_room(user, room)


def has_blocked(user, other) -> bool:
    """Whether ``user`` blocked ``other`` (see ``chat.models.Block``)."""
    return user.chat_blocks.filter(blocked=other).exists()


def can_message_user(sender, recipient) -> bool:
    """Start a direct conversation with ``recipient``: an active person who
    has not blocked the sender."""
    return (
        _is_active_user(sender)
        and recipient is not None
        and recipient.is_active
        and recipient.pk != sender.pk
        and not has_blocked(recipient, sender)
    )


def can_post_in_room(user, room) -> bool:
    """Write in a room one may subscribe to; in a conversation of two, not
    once the other person has blocked the writer."""
    if not can_subscribe_room(user, room):
        return False
    if room.kind == "direct" and len(room._participant_ids) == 2:
        (other_id,) = room._participant_ids - {user.pk}
        return not user.__class__.objects.filter(
            pk=other_id, chat_blocks__blocked=user
        ).exists()
    return True


def can_edit_message(user, message) -> bool:
    return (
        message.deleted_at is None
        and message.author_id == getattr(user, "pk", None)
        and can_post_in_room(user, message.room)
    )


def can_delete_message(user, message) -> bool:
    """Authors delete their own messages, the moderation any in its
    community's rooms."""
    if message.deleted_at is not None or not can_view_room(user, message.room):
        return False
    if message.author_id == user.pk:
        return True
    room = message.room
    return room.kind == "community" and can_moderate(user, room.community)


def can_flag_message(user, message) -> bool:
    return (
        message.deleted_at is None
        and message.author_id != getattr(user, "pk", None)
        and can_view_room(user, message.room)
    )


def can_manage_rooms(user, community: CommunityPage) -> bool:
    """Add, rename and archive a community's rooms: the moderation."""
    return can_moderate(user, community)


def filter_chat_rooms(user, qs):
    """The rooms in ``user``'s room list: those of the communities they take
    part in (platform staff open others by address) and their direct
    conversations."""
    if not _is_active_user(user):
        return qs.none()
    communities = filter_visible_communities(user, CommunityPage.objects.all()).filter(
        memberships__user=user,
        memberships__state=State.ACTIVE,
        memberships__role__in=PARTICIPATING_ROLES,
    )
    return qs.filter(
        Q(kind="community", community__in=communities)
        | Q(kind="direct", members__user=user)
    ).distinct()


# --- search ---------------------------------------------------------------------


def search_scopes(user) -> dict:
    """What ``user`` may find in search: ``reader_communities`` (the content
    of communities they may read), ``participant_communities`` (the chat of
    those they take part in), ``direct_rooms`` (their direct conversations)
    and ``signed_in`` (the profiles of other people). The search engines
    filter by it in the query itself (``search.backends.base.Access``)."""
    readable = set(
        filter_visible_communities(user, CommunityPage.objects.all()).values_list(
            "pk", flat=True
        )
    )
    if not _is_active_user(user):
        return {
            "reader_communities": readable,
            "participant_communities": set(),
            "direct_rooms": set(),
            "signed_in": False,
        }
    if is_platform_staff(user):
        participating = readable
    else:
        participating = {
            community_id
            for community_id, membership in _memberships(user).items()
            if membership.state == State.ACTIVE
            and membership.role in PARTICIPATING_ROLES
        } & readable
    direct_rooms = set(
        user.chat_rooms.filter(room__kind="direct").values_list("room_id", flat=True)
    )
    return {
        "reader_communities": readable,
        "participant_communities": participating,
        "direct_rooms": direct_rooms,
        "signed_in": True,
    }
