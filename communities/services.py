"""Writes of communities and memberships.

Every function checks its rule through ``communities.permissions``, changes
the database atomically, records a ``MembershipEvent`` and keeps the Wagtail
page permissions of the community's moderators in step (``admin_sync``).
A refused action raises ``PermissionDenied``/``Http404`` (who may) or
``ValidationError`` (what is asked makes no sense now), with German text.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kommunect.realtime import notify_access_changed
from kommunect.validation import MAX_YEAR

from . import permissions as perms
from .admin_sync import sync_moderator_group
from .discussions.realtime import notify_watchers_of_community
from .models import CommunityPage, Invitation, JoinPolicy, Membership, MembershipEvent

Role = Membership.Role
State = Membership.State
Action = MembershipEvent.Action

INVITATION_LIFETIME = timedelta(days=30)
MAX_REASON = 1000


def _clean_text(value: str | None, field: str, max_length: int = MAX_REASON) -> str:
    value = (value or "").strip()
    if len(value) > max_length:
        raise ValidationError(
            {field: _("Höchstens %(n)d Zeichen.") % {"n": max_length}},
            code="max_length",
        )
    return value


def _record(community, user, actor, action, *, role="", reason="") -> MembershipEvent:
    return MembershipEvent.objects.create(
        community=community,
        user=user,
        actor=actor,
        action=action,
        role=role,
        reason=reason,
    )


def _locked_membership(community, user) -> Membership | None:
    return (
        Membership.objects.select_for_update()
        .filter(community=community, user=user)
        .first()
    )


def _after_change(community, *users) -> None:
    for user in users:
        perms.forget_memberships(user)
    sync_moderator_group(community)
    # Open websockets of these people re-check what they may still see.
    user_ids = [user.pk for user in users]
    transaction.on_commit(lambda: notify_access_changed(user_ids), robust=True)


def _touch(community: CommunityPage) -> None:
    CommunityPage.objects.filter(pk=community.pk).update(last_activity=timezone.now())


def _active_owner_count(community) -> int:
    """Counted under a lock on the community row, so two owners leaving or
    demoting each other at once cannot leave it without an owner."""
    CommunityPage.objects.select_for_update().filter(pk=community.pk).exists()
    return Membership.objects.filter(
        community=community, state=State.ACTIVE, role=Role.OWNER
    ).count()


@transaction.atomic
def membership_join(*, user, community: CommunityPage) -> Membership:
    """Join an open community, or send a request where the policy asks for one."""
    perms.check_view_community(user, community)
    _make_way_for_membership(community, user)
    if community.join_policy == JoinPolicy.INVITE:
        raise PermissionDenied(
            _("Dieser Community können Sie nur auf Einladung beitreten.")
        )
    if community.join_policy == JoinPolicy.REQUEST:
        raise ValidationError(
            _("Für diese Community stellen Sie bitte eine Beitrittsanfrage."),
            code="request_required",
        )
    membership = _create_membership(
        user=user, community=community, state=State.ACTIVE, decided_by=user
    )
    _record(community, user, user, Action.JOINED, role=Role.MEMBER)
    _touch(community)
    _after_change(community, user)
    return membership


@transaction.atomic
def membership_request(
    *, user, community: CommunityPage, message: str = ""
) -> Membership:
    """Ask to join a community with the ``request`` policy."""
    perms.check_view_community(user, community)
    message = _clean_text(message, "message")
    _make_way_for_membership(community, user)
    if community.join_policy != JoinPolicy.REQUEST:
        if community.join_policy == JoinPolicy.INVITE:
            raise PermissionDenied(
                _("Dieser Community können Sie nur auf Einladung beitreten.")
            )
        raise ValidationError(
            _("Dieser Community können Sie direkt beitreten."), code="open_policy"
        )
    membership = _create_membership(
        user=user, community=community, state=State.PENDING, message=message
    )
    _record(community, user, user, Action.REQUESTED, reason=message)
    _after_change(community, user)
    return membership


def _make_way_for_membership(community, user) -> None:
    """Lock the person's row in this community and refuse if they are in it
    already (or banned); the row of an expired ban makes way. Everything runs
    in the caller's transaction, so a later refusal undoes the deletion."""
    existing = _locked_membership(community, user)
    if existing is None:
        return
    if existing.state == State.BANNED and not perms.ban_in_force(existing):
        existing.delete()
        return
    code = "banned" if existing.state == State.BANNED else "already_member"
    raise ValidationError(_already_message(existing), code=code)


def _already_message(membership: Membership) -> str:
    if membership.state == State.BANNED:
        return _("Sie sind in dieser Community gesperrt.")
    if membership.state == State.PENDING:
        return _("Ihre Beitrittsanfrage liegt bereits vor.")
    return _("Sie sind bereits Mitglied dieser Community.")


def _create_membership(**fields) -> Membership:
    try:
        with transaction.atomic():
            return Membership.objects.create(
                decided_at=timezone.now() if fields.get("decided_by") else None,
                **fields,
            )
    except IntegrityError as exc:  # a concurrent second click
        raise ValidationError(
            _("Sie sind bereits Mitglied dieser Community."), code="already_member"
        ) from exc


@transaction.atomic
def membership_decide(
    *,
    actor,
    community: CommunityPage,
    membership_id: int,
    approve: bool,
    reason: str = "",
) -> Membership | None:
    """Approve or decline a pending request; the requester sees the reason."""
    perms.check_moderate(actor, community)
    reason = _clean_text(reason, "reason")
    membership = (
        Membership.objects.select_for_update()
        .filter(pk=membership_id, community=community)
        .select_related("user")
        .first()
    )
    if membership is None:
        raise ValidationError(_("Diese Anfrage gibt es nicht."), code="not_found")
    if membership.state != State.PENDING:
        raise ValidationError(
            _("Über diese Anfrage wurde bereits entschieden."), code="already_decided"
        )
    user = membership.user
    if approve:
        membership.state = State.ACTIVE
        membership.role = Role.MEMBER
        membership.decided_by = actor
        membership.decided_at = timezone.now()
        membership.reason = reason
        membership.save()
        _record(
            community, user, actor, Action.APPROVED, role=Role.MEMBER, reason=reason
        )
        _touch(community)
    else:
        membership.delete()
        membership = None
        _record(community, user, actor, Action.DECLINED, reason=reason)
    _after_change(community, user, actor)
    return membership


@transaction.atomic
def membership_leave(*, user, community: CommunityPage) -> None:
    """Leave, or withdraw a pending request. An owner leaves only if another
    owner remains."""
    membership = _locked_membership(community, user)
    if membership is None or membership.state == State.BANNED:
        perms.check_view_community(user, community)
        raise ValidationError(
            _("Sie sind kein Mitglied dieser Community."), code="not_member"
        )
    if (
        membership.role == Role.OWNER
        and membership.state == State.ACTIVE
        and _active_owner_count(community) <= 1
    ):
        raise ValidationError(
            _(
                "Sie sind die einzige Eigentümerin bzw. der einzige Eigentümer. "
                "Bitte übertragen Sie die Rolle zuerst an eine andere Person."
            ),
            code="last_owner",
        )
    action = Action.WITHDRAWN if membership.state == State.PENDING else Action.LEFT
    membership.delete()
    _record(community, user, user, action)
    _after_change(community, user)


@transaction.atomic
def membership_set_role(
    *, actor, community: CommunityPage, user_id: int, role: str
) -> Membership:
    """Change a member's role; the last owner cannot be demoted."""
    perms.check_moderate(actor, community)
    if role not in Role.values:
        raise ValidationError({"role": _("Unbekannte Rolle.")}, code="invalid_role")
    membership = _active_membership_for_update(community, user_id)
    if not perms.can_change_role(actor, community, membership, role):
        raise PermissionDenied(_("Diese Rolle dürfen Sie nicht vergeben oder ändern."))
    if membership.role == role:
        return membership
    if membership.role == Role.OWNER and _active_owner_count(community) <= 1:
        raise ValidationError(
            _(
                "Die letzte Eigentümerin bzw. der letzte Eigentümer kann nicht "
                "zurückgestuft werden."
            ),
            code="last_owner",
        )
    membership.role = role
    membership.decided_by = actor
    membership.decided_at = timezone.now()
    membership.save()
    _record(community, membership.user, actor, Action.ROLE_CHANGED, role=role)
    _after_change(community, membership.user, actor)
    return membership


def _active_membership_for_update(community, user_id) -> Membership:
    membership = (
        Membership.objects.select_for_update()
        .filter(community=community, user_id=user_id)
        .select_related("user")
        .first()
    )
    if membership is None or membership.state != State.ACTIVE:
        raise ValidationError(
            _("Diese Person ist kein aktives Mitglied dieser Community."),
            code="not_member",
        )
    return membership


@transaction.atomic
def membership_remove(
    *,
    actor,
    community: CommunityPage,
    user_id: int,
    reason: str = "",
    ban: bool = False,
    banned_until: datetime | None = None,
) -> Membership | None:
    """Remove a member, or ban them (optionally until a date). A ban takes
    effect at once: every permission check reads the new state."""
    perms.check_moderate(actor, community)
    reason = _clean_text(reason, "reason")
    if ban and not reason:
        raise ValidationError(
            {"reason": _("Bitte begründen Sie die Sperre.")}, code="reason_required"
        )
    if banned_until is not None and banned_until.year > MAX_YEAR:
        raise ValidationError(
            {
                "banned_until": _(
                    "Bitte ein Ende der Sperre vor dem Jahr %(year)s angeben."
                )
                % {"year": MAX_YEAR + 1}
            },
            code="invalid_date",
        )
    if banned_until is not None and timezone.is_naive(banned_until):
        banned_until = timezone.make_aware(banned_until)
    if banned_until is not None and banned_until <= timezone.now():
        raise ValidationError(
            {"banned_until": _("Das Ende der Sperre muss in der Zukunft liegen.")},
            code="invalid_date",
        )
    membership = _active_membership_for_update(community, user_id)
    if not perms.can_remove_member(actor, community, membership):
        raise PermissionDenied(
            _("Diese Person dürfen Sie nicht entfernen oder sperren.")
        )
    if membership.role == Role.OWNER and _active_owner_count(community) <= 1:
        raise ValidationError(
            _(
                "Die letzte Eigentümerin bzw. der letzte Eigentümer kann nicht "
                "entfernt werden."
            ),
            code="last_owner",
        )
    user = membership.user
    if ban:
        membership.state = State.BANNED
        membership.role = Role.MEMBER
        membership.reason = reason
        membership.banned_until = banned_until
        membership.decided_by = actor
        membership.decided_at = timezone.now()
        membership.save()
        _record(community, user, actor, Action.BANNED, reason=reason)
    else:
        membership.delete()
        membership = None
        _record(community, user, actor, Action.REMOVED, reason=reason)
    _after_change(community, user, actor)
    return membership


@transaction.atomic
def membership_unban(*, actor, community: CommunityPage, user_id: int) -> None:
    """Lift a ban; the person may join again by the usual way."""
    perms.check_moderate(actor, community)
    membership = (
        Membership.objects.select_for_update()
        .filter(community=community, user_id=user_id, state=State.BANNED)
        .select_related("user")
        .first()
    )
    if membership is None:
        raise ValidationError(_("Diese Person ist nicht gesperrt."), code="not_banned")
    membership.delete()
    _record(community, membership.user, actor, Action.UNBANNED)
    _after_change(community, membership.user, actor)


@transaction.atomic
def membership_grant(
    *, community: CommunityPage, user, role: str, actor=None
) -> Membership:
    """Make ``user`` an active member with ``role`` (platform staff creating a
    community, demo data). Not reachable by members: no permission check."""
    membership, _created = Membership.objects.update_or_create(
        community=community,
        user=user,
        defaults={
            "role": role,
            "state": State.ACTIVE,
            "decided_by": actor,
            "decided_at": timezone.now(),
            "banned_until": None,
        },
    )
    _record(community, user, actor, Action.ROLE_CHANGED, role=role)
    _after_change(community, user)
    return membership


@transaction.atomic
def invitation_create(
    *, actor, community: CommunityPage, user=None, email: str = "", message: str = ""
) -> Invitation:
    """Invite a known person or an e-mail address; the e-mail goes out on commit."""
    from members.models import User

    from .invitations import send_invitation_on_commit

    perms.check_moderate(actor, community)
    message = _clean_text(message, "message")
    email = (email or "").strip().lower()
    if user is None and not email:
        raise ValidationError(
            {"email": _("Bitte geben Sie eine E-Mail-Adresse oder eine Person an.")},
            code="required",
        )
    if user is None:
        from django.core.validators import validate_email

        try:
            validate_email(email)
        except ValidationError as exc:
            raise ValidationError(
                {"email": _("Bitte geben Sie eine gültige E-Mail-Adresse an.")},
                code="invalid_email",
            ) from exc
        user = User.objects.filter(email__iexact=email, is_active=True).first()
    if user is not None:
        existing = Membership.objects.filter(community=community, user=user).first()
        if existing is not None and existing.state == State.ACTIVE:
            raise ValidationError(
                _("Diese Person ist bereits Mitglied."), code="already_member"
            )
        if existing is not None and perms.ban_in_force(existing):
            raise ValidationError(
                _("Diese Person ist gesperrt. Heben Sie zuerst die Sperre auf."),
                code="invitee_banned",
            )
        email = user.email
    open_invitation = Invitation.objects.filter(
        community=community,
        email__iexact=email,
        accepted_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).first()
    if open_invitation is not None:
        raise ValidationError(
            _("Diese Person ist bereits eingeladen."), code="already_invited"
        )
    invitation = Invitation.objects.create(
        community=community,
        user=user,
        email=email,
        invited_by=actor,
        message=message,
        expires_at=timezone.now() + INVITATION_LIFETIME,
    )
    _record(community, user, actor, Action.INVITED, reason=message)
    send_invitation_on_commit(invitation)
    return invitation


@transaction.atomic
def invitation_accept(*, user, invitation: Invitation) -> Membership:
    """Accept an invitation addressed to this person; they become a member
    (a pending request is granted on the way)."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    community = invitation.community
    if not invitation.is_open:
        raise ValidationError(
            _("Diese Einladung ist abgelaufen oder wurde bereits angenommen."),
            code="invitation_closed",
        )
    addressed = invitation.user_id == user.pk or (
        bool(invitation.email)
        and EmailAddress.objects.filter(
            user=user, email__iexact=invitation.email, verified=True
        ).exists()
    )
    if not addressed:
        raise PermissionDenied(_("Diese Einladung gilt für eine andere Person."))
    existing = _locked_membership(community, user)
    if existing is not None and perms.ban_in_force(existing):
        raise PermissionDenied(_("Sie sind in dieser Community gesperrt."))
    if existing is not None and existing.state == State.ACTIVE:
        raise ValidationError(
            _("Sie sind bereits Mitglied dieser Community."), code="already_member"
        )
    if existing is not None:
        existing.delete()
    membership = _create_membership(
        user=user,
        community=community,
        state=State.ACTIVE,
        decided_by=invitation.invited_by,
    )
    invitation.accepted_at = timezone.now()
    invitation.user = user
    invitation.save(update_fields=["accepted_at", "user"])
    _record(community, user, user, Action.INVITATION_ACCEPTED, role=Role.MEMBER)
    _touch(community)
    _after_change(community, user)
    return membership


@transaction.atomic
def community_update(
    *,
    actor,
    community: CommunityPage,
    title: str,
    description: str,
    intro: str,
    topics: list[str],
    visibility: str,
    join_policy: str,
    image_upload=None,
) -> CommunityPage:
    """Owners edit the front page; saved as a new published Wagtail revision.
    A new image is stored in the same transaction (nothing half-saved)."""
    perms.check_manage(actor, community)
    community = CommunityPage.objects.select_for_update().get(pk=community.pk)
    visibility_changed = community.visibility != visibility
    community.title = " ".join((title or "").split())
    community.draft_title = community.title
    community.description = (description or "").strip()
    community.intro = intro or ""
    community.visibility = visibility
    community.join_policy = join_policy
    community.topics.set(topics, clear=True)
    community.full_clean()
    if image_upload:
        community.image = _image_from_upload(
            title=community.title, upload=image_upload, actor=actor
        )
    revision = community.save_revision(user=actor, log_action=True)
    revision.publish(user=actor)
    community = CommunityPage.objects.get(pk=community.pk)
    sync_moderator_group(community)  # the group is named after the community
    if visibility_changed:
        # Sockets of people who may no longer read the threads are closed.
        community_id = community.pk
        transaction.on_commit(
            lambda: notify_watchers_of_community(community_id), robust=True
        )
    return community


def _image_from_upload(*, title: str, upload, actor):
    """A front-page image as a Wagtail image (in the admin's image library,
    where platform staff can manage it)."""
    from wagtail.images import get_image_model

    image_model = get_image_model()
    image = image_model(
        title=_("Bild der Community „%(title)s“") % {"title": title},
        file=upload,
        uploaded_by_user=actor,
    )
    image.full_clean(exclude=["collection"])
    image.save()
    return image
