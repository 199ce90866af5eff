"""The membership services: each change is checked, recorded (who, when, why)
and mirrored into the community's Wagtail moderator group."""

import re
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.utils import timezone
from factories import UserFactory
from factories.communities import make_community, make_member
from wagtail.models import GroupPagePermission

from communities import permissions as perms
from communities import services
from communities.models import CommunityPage, Invitation, Membership, MembershipEvent
from members.models import User

pytestmark = pytest.mark.django_db

Action = MembershipEvent.Action


@pytest.fixture
def klimaschutz(db):
    return make_community(
        title="Klimaschutz und Klimafolgenanpassung",
        slug="klimaschutz",
        visibility="internal",
        join_policy="open",
    )


@pytest.fixture
def vergabe(db):
    return make_community(
        title="Vergaberecht",
        slug="vergaberecht",
        visibility="internal",
        join_policy="request",
    )


@pytest.fixture
def owner(klimaschutz):
    return make_member(
        klimaschutz, UserFactory(display_name="Olga Owner"), role="owner"
    ).user


@pytest.fixture
def moderator(klimaschutz):
    return make_member(
        klimaschutz, UserFactory(display_name="Moritz Moderator"), role="moderator"
    ).user


def fresh(user):
    """The user as the next request would load it (no cached memberships)."""
    return User.objects.get(pk=user.pk)


def last_event(community, user) -> MembershipEvent:
    return MembershipEvent.objects.filter(community=community, user=user).first()


def assert_recorded(event, *, action, actor, reason="", role=None):
    assert event is not None, "no MembershipEvent was recorded"
    assert event.action == action
    assert event.actor == actor
    assert event.reason == reason
    assert timezone.now() - event.created < timedelta(minutes=1)
    if role is not None:
        assert event.role == role


# --- join and request ------------------------------------------------------


def test_joining_an_open_community_makes_an_active_member_and_records_it(klimaschutz):
    anna = UserFactory()

    membership = services.membership_join(user=anna, community=klimaschutz)

    assert (membership.state, membership.role) == ("active", "member")
    assert perms.role_in(fresh(anna), klimaschutz) == "member"
    assert_recorded(
        last_event(klimaschutz, anna), action=Action.JOINED, actor=anna, role="member"
    )


def test_joining_a_request_community_asks_for_a_request(vergabe):
    with pytest.raises(ValidationError) as refused:
        services.membership_join(user=UserFactory(), community=vergabe)

    assert "Beitrittsanfrage" in refused.value.messages[0]
    assert not Membership.objects.filter(community=vergabe).exists()


def test_joining_an_invite_only_community_is_refused():
    community = make_community(visibility="public", join_policy="invite")

    with pytest.raises(PermissionDenied, match="nur auf Einladung"):
        services.membership_join(user=UserFactory(), community=community)

    assert not Membership.objects.filter(community=community).exists()


def test_a_request_is_pending_with_its_message_and_recorded(vergabe):
    bernd = UserFactory()

    membership = services.membership_request(
        user=bernd, community=vergabe, message="Ich betreue Vergaben im Bauamt."
    )

    assert membership.state == "pending"
    assert membership.message == "Ich betreue Vergaben im Bauamt."
    assert perms.role_in(fresh(bernd), vergabe) == "pending"
    assert_recorded(
        last_event(vergabe, bernd),
        action=Action.REQUESTED,
        actor=bernd,
        reason="Ich betreue Vergaben im Bauamt.",
    )


def test_approving_a_request_makes_an_active_member_and_records_who_and_why(vergabe):
    moderator = make_member(vergabe, role="moderator").user
    request = make_member(vergabe, state="pending", message="Bitte")

    membership = services.membership_decide(
        actor=moderator,
        community=vergabe,
        membership_id=request.pk,
        approve=True,
        reason="Willkommen im Bauamt-Team",
    )

    assert (membership.state, membership.role) == ("active", "member")
    assert membership.decided_by == moderator
    assert membership.decided_at is not None
    assert membership.reason == "Willkommen im Bauamt-Team"
    assert_recorded(
        last_event(vergabe, request.user),
        action=Action.APPROVED,
        actor=moderator,
        reason="Willkommen im Bauamt-Team",
        role="member",
    )


def test_declining_a_request_removes_it_and_keeps_the_reason_for_the_requester(
    vergabe,
):
    moderator = make_member(vergabe, role="moderator").user
    request = make_member(vergabe, state="pending")

    result = services.membership_decide(
        actor=moderator,
        community=vergabe,
        membership_id=request.pk,
        approve=False,
        reason="Nur für Vergabestellen",
    )

    assert result is None
    assert not Membership.objects.filter(pk=request.pk).exists()
    assert_recorded(
        last_event(vergabe, request.user),
        action=Action.DECLINED,
        actor=moderator,
        reason="Nur für Vergabestellen",
    )
    # Declined is not banned: the person may ask again later.
    services.membership_request(user=fresh(request.user), community=vergabe)


def test_a_plain_member_cannot_decide_requests(vergabe):
    member = make_member(vergabe).user
    request = make_member(vergabe, state="pending")

    with pytest.raises(PermissionDenied):
        services.membership_decide(
            actor=member, community=vergabe, membership_id=request.pk, approve=True
        )

    request.refresh_from_db()
    assert request.state == "pending"


# --- invitations -----------------------------------------------------------


def invitation_path(message) -> str:
    match = re.search(r"https?://[^/\s]+(/einladung/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_inviting_a_known_person_mails_them_a_link_and_records_it(
    klimaschutz, moderator, django_capture_on_commit_callbacks
):
    clara = UserFactory(email="clara.weber@kreis-beispiel.de")

    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(
            actor=moderator, community=klimaschutz, user=clara, message="Komm dazu!"
        )

    assert invitation.user == clara
    assert invitation.email == "clara.weber@kreis-beispiel.de"
    assert invitation.expires_at > timezone.now() + timedelta(days=29)
    assert_recorded(
        last_event(klimaschutz, clara),
        action=Action.INVITED,
        actor=moderator,
        reason="Komm dazu!",
    )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["clara.weber@kreis-beispiel.de"]


def test_an_invitation_by_email_sends_a_german_mail_whose_link_lets_the_person_in(
    client, klimaschutz, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(
            actor=moderator,
            community=klimaschutz,
            email="Dora.Neu@Gemeinde-Beispiel.de",
            message="Wir brauchen Ihre Erfahrung mit Hitzeaktionsplänen.",
        )

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["dora.neu@gemeinde-beispiel.de"]
    assert message.subject == (
        "[Kommunect] Einladung in die Community „Klimaschutz und Klimafolgenanpassung“"
    )
    assert "Moritz Moderator lädt Sie in die Community" in message.body
    assert "Hitzeaktionsplänen" in message.body
    # A stranger's browser shows the invitation (and would ask to sign in).
    page = Client().get(invitation_path(message))
    assert page.status_code == 200
    assert (
        "Einladung in „Klimaschutz und Klimafolgenanpassung“" in page.content.decode()
    )

    dora = UserFactory(email="dora.neu@gemeinde-beispiel.de")
    client.force_login(dora)
    accepted = client.post(invitation_path(message))

    assert accepted.status_code == 302
    assert accepted["Location"] == klimaschutz.url
    assert perms.role_in(fresh(dora), klimaschutz) == "member"
    assert_recorded(
        last_event(klimaschutz, dora),
        action=Action.INVITATION_ACCEPTED,
        actor=dora,
        role="member",
    )
    assert Invitation.objects.get().accepted_at is not None


def test_a_person_who_opens_the_link_and_then_logs_in_lands_in_the_community(
    client, klimaschutz, moderator, password, django_capture_on_commit_callbacks
):
    emil = UserFactory(email="emil.berg@amt-beispiel.de")
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(
            actor=moderator, community=klimaschutz, email=emil.email
        )

    client.get(invitation_path(mail.outbox[0]))
    client.post("/accounts/login/", {"login": emil.email, "password": password})

    assert perms.role_in(fresh(emil), klimaschutz) == "member"


def test_a_new_person_who_registers_through_the_link_lands_in_the_community(
    client, klimaschutz, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(
            actor=moderator, community=klimaschutz, email="frieda.neu@stadt-beispiel.de"
        )
    client.get(invitation_path(mail.outbox[0]))

    client.post(
        "/accounts/signup/",
        {
            "email": "frieda.neu@stadt-beispiel.de",
            "password1": "ein-langes-passwort-2025",
            "password2": "ein-langes-passwort-2025",
            "display_name": "Frieda Neu",
            "organisation": "",
            "position": "",
        },
    )
    confirmation = re.search(
        r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", mail.outbox[-1].body
    ).group(1)
    client.post(confirmation)

    frieda = User.objects.get(email="frieda.neu@stadt-beispiel.de")
    assert perms.role_in(frieda, klimaschutz) == "member"


def test_an_invitation_for_someone_else_cannot_be_accepted(klimaschutz, moderator):
    invitation = services.invitation_create(
        actor=moderator, community=klimaschutz, email="gerda@stadt-beispiel.de"
    )
    intruder = UserFactory()

    with pytest.raises(PermissionDenied, match="andere Person"):
        services.invitation_accept(user=intruder, invitation=invitation)

    assert perms.role_in(fresh(intruder), klimaschutz) is None


def test_an_invitation_lets_a_person_into_an_invite_only_private_community():
    community = make_community(visibility="private", join_policy="invite")
    owner = make_member(community, role="owner").user
    hanna = UserFactory()

    invitation = services.invitation_create(
        actor=owner, community=community, user=hanna
    )
    services.invitation_accept(user=hanna, invitation=invitation)

    assert perms.can_view_community(fresh(hanna), community)
    assert perms.can_participate(fresh(hanna), community)


# --- leave -----------------------------------------------------------------


def test_a_member_leaves_and_it_is_recorded(klimaschutz):
    ida = make_member(klimaschutz).user

    services.membership_leave(user=ida, community=klimaschutz)

    assert not Membership.objects.filter(community=klimaschutz, user=ida).exists()
    assert_recorded(last_event(klimaschutz, ida), action=Action.LEFT, actor=ida)


def test_withdrawing_a_request_is_recorded_as_withdrawn(vergabe):
    request = make_member(vergabe, state="pending")

    services.membership_leave(user=request.user, community=vergabe)

    assert not Membership.objects.filter(pk=request.pk).exists()
    assert last_event(vergabe, request.user).action == Action.WITHDRAWN


def test_the_only_owner_cannot_leave(klimaschutz, owner):
    with pytest.raises(ValidationError) as refused:
        services.membership_leave(user=owner, community=klimaschutz)

    assert "einzige Eigentümerin" in refused.value.messages[0]
    assert perms.role_in(fresh(owner), klimaschutz) == "owner"
    assert last_event(klimaschutz, owner).action == Action.ROLE_CHANGED


def test_an_owner_may_leave_when_another_owner_remains(klimaschutz, owner):
    make_member(klimaschutz, role="owner")

    services.membership_leave(user=owner, community=klimaschutz)

    assert perms.role_in(fresh(owner), klimaschutz) is None


# --- ban and unban ---------------------------------------------------------


def test_a_ban_without_end_date_takes_effect_at_once_and_is_recorded(
    klimaschutz, moderator
):
    jan = make_member(klimaschutz).user
    assert perms.can_view_community(jan, klimaschutz)

    services.membership_remove(
        actor=moderator,
        community=klimaschutz,
        user_id=jan.pk,
        ban=True,
        reason="Werbung trotz Ermahnung",
    )

    membership = Membership.objects.get(community=klimaschutz, user=jan)
    assert membership.state == "banned"
    assert membership.banned_until is None
    assert membership.reason == "Werbung trotz Ermahnung"
    assert not perms.can_view_community(fresh(jan), klimaschutz)
    assert_recorded(
        last_event(klimaschutz, jan),
        action=Action.BANNED,
        actor=moderator,
        reason="Werbung trotz Ermahnung",
    )
    with pytest.raises(PermissionDenied):
        services.membership_join(user=fresh(jan), community=klimaschutz)


def test_a_ban_needs_a_reason(klimaschutz, moderator):
    jan = make_member(klimaschutz).user

    with pytest.raises(ValidationError) as refused:
        services.membership_remove(
            actor=moderator, community=klimaschutz, user_id=jan.pk, ban=True
        )

    assert refused.value.message_dict["reason"] == ["Bitte begründen Sie die Sperre."]
    assert Membership.objects.get(community=klimaschutz, user=jan).state == "active"


def test_a_ban_until_a_date_in_the_past_is_refused(klimaschutz, moderator):
    jan = make_member(klimaschutz).user

    with pytest.raises(ValidationError) as refused:
        services.membership_remove(
            actor=moderator,
            community=klimaschutz,
            user_id=jan.pk,
            ban=True,
            reason="Spam",
            banned_until=timezone.now() - timedelta(days=1),
        )

    assert "Zukunft" in refused.value.message_dict["banned_until"][0]
    assert Membership.objects.get(community=klimaschutz, user=jan).state == "active"


def test_a_ban_with_end_date_ends_by_itself_and_the_person_may_rejoin(
    klimaschutz, moderator
):
    karl = make_member(klimaschutz).user
    until = timezone.now() + timedelta(days=7)

    services.membership_remove(
        actor=moderator,
        community=klimaschutz,
        user_id=karl.pk,
        ban=True,
        reason="Eine Woche Pause",
        banned_until=until,
    )

    membership = Membership.objects.get(community=klimaschutz, user=karl)
    assert membership.banned_until == until
    assert perms.role_in(fresh(karl), klimaschutz) == "banned"

    Membership.objects.filter(pk=membership.pk).update(
        banned_until=timezone.now() - timedelta(seconds=1)
    )
    assert perms.role_in(fresh(karl), klimaschutz) is None
    rejoined = services.membership_join(user=fresh(karl), community=klimaschutz)

    assert (rejoined.state, rejoined.role) == ("active", "member")
    assert Membership.objects.filter(community=klimaschutz, user=karl).count() == 1


def test_removing_a_member_deletes_the_membership_and_records_why(
    klimaschutz, moderator
):
    lea = make_member(klimaschutz).user

    services.membership_remove(
        actor=moderator, community=klimaschutz, user_id=lea.pk, reason="Doppelkonto"
    )

    assert not Membership.objects.filter(community=klimaschutz, user=lea).exists()
    assert_recorded(
        last_event(klimaschutz, lea),
        action=Action.REMOVED,
        actor=moderator,
        reason="Doppelkonto",
    )


def test_unbanning_lets_the_person_join_again_and_is_recorded(klimaschutz, moderator):
    max_ = make_member(klimaschutz, state="banned", reason="Spam").user

    services.membership_unban(actor=moderator, community=klimaschutz, user_id=max_.pk)

    assert not Membership.objects.filter(community=klimaschutz, user=max_).exists()
    assert_recorded(
        last_event(klimaschutz, max_), action=Action.UNBANNED, actor=moderator
    )
    services.membership_join(user=fresh(max_), community=klimaschutz)
    assert perms.role_in(fresh(max_), klimaschutz) == "member"


def test_unbanning_someone_who_is_not_banned_is_refused(klimaschutz, moderator):
    nora = make_member(klimaschutz).user

    with pytest.raises(ValidationError, match="nicht gesperrt"):
        services.membership_unban(
            actor=moderator, community=klimaschutz, user_id=nora.pk
        )

    assert Membership.objects.get(community=klimaschutz, user=nora).state == "active"


# --- roles -----------------------------------------------------------------


def test_an_owner_promotes_a_member_to_moderator_and_it_is_recorded(klimaschutz, owner):
    otto = make_member(klimaschutz).user

    membership = services.membership_set_role(
        actor=owner, community=klimaschutz, user_id=otto.pk, role="moderator"
    )

    assert membership.role == "moderator"
    assert perms.can_moderate(fresh(otto), klimaschutz)
    assert_recorded(
        last_event(klimaschutz, otto),
        action=Action.ROLE_CHANGED,
        actor=owner,
        role="moderator",
    )


def test_an_owner_makes_another_owner_and_may_then_step_down(klimaschutz, owner):
    paula = make_member(klimaschutz).user

    services.membership_set_role(
        actor=owner, community=klimaschutz, user_id=paula.pk, role="owner"
    )
    services.membership_set_role(
        actor=fresh(owner), community=klimaschutz, user_id=owner.pk, role="member"
    )

    assert perms.role_in(fresh(paula), klimaschutz) == "owner"
    assert perms.role_in(fresh(owner), klimaschutz) == "member"


def test_the_last_owner_cannot_be_demoted(klimaschutz, owner):
    with pytest.raises(ValidationError) as refused:
        services.membership_set_role(
            actor=owner, community=klimaschutz, user_id=owner.pk, role="moderator"
        )

    assert "letzte Eigentümerin" in refused.value.messages[0]
    assert perms.role_in(fresh(owner), klimaschutz) == "owner"


def test_the_last_owner_cannot_be_demoted_or_removed_even_by_staff(klimaschutz, owner):
    staff = UserFactory(is_staff=True)

    with pytest.raises(ValidationError):
        services.membership_set_role(
            actor=staff, community=klimaschutz, user_id=owner.pk, role="member"
        )
    with pytest.raises(ValidationError, match="nicht entfernt"):
        services.membership_remove(
            actor=staff, community=klimaschutz, user_id=owner.pk, reason="Test"
        )
    with pytest.raises(ValidationError):
        services.membership_remove(
            actor=staff, community=klimaschutz, user_id=owner.pk, reason="X", ban=True
        )

    assert perms.role_in(fresh(owner), klimaschutz) == "owner"


def test_an_unknown_role_is_refused(klimaschutz, owner):
    quirin = make_member(klimaschutz).user

    with pytest.raises(ValidationError):
        services.membership_set_role(
            actor=owner, community=klimaschutz, user_id=quirin.pk, role="admin"
        )

    assert perms.role_in(fresh(quirin), klimaschutz) == "member"


def test_moderators_cannot_touch_owners(klimaschutz, owner, moderator):
    with pytest.raises(PermissionDenied):
        services.membership_set_role(
            actor=moderator, community=klimaschutz, user_id=owner.pk, role="member"
        )
    with pytest.raises(PermissionDenied):
        services.membership_remove(
            actor=moderator, community=klimaschutz, user_id=owner.pk, reason="Putsch"
        )
    with pytest.raises(PermissionDenied):
        services.membership_remove(
            actor=moderator,
            community=klimaschutz,
            user_id=owner.pk,
            reason="Putsch",
            ban=True,
        )

    assert perms.role_in(fresh(owner), klimaschutz) == "owner"


def test_moderators_cannot_make_owners_or_remove_other_moderators(
    klimaschutz, owner, moderator
):
    rita = make_member(klimaschutz).user
    sven = make_member(klimaschutz, role="moderator").user

    with pytest.raises(PermissionDenied):
        services.membership_set_role(
            actor=moderator, community=klimaschutz, user_id=rita.pk, role="owner"
        )
    with pytest.raises(PermissionDenied):
        services.membership_remove(
            actor=moderator, community=klimaschutz, user_id=sven.pk, reason="Streit"
        )

    assert perms.role_in(fresh(rita), klimaschutz) == "member"
    assert perms.role_in(fresh(sven), klimaschutz) == "moderator"


def test_a_moderator_may_promote_and_demote_between_member_and_moderator(
    klimaschutz, moderator
):
    tom = make_member(klimaschutz).user

    services.membership_set_role(
        actor=moderator, community=klimaschutz, user_id=tom.pk, role="moderator"
    )
    services.membership_set_role(
        actor=moderator, community=klimaschutz, user_id=tom.pk, role="member"
    )

    assert perms.role_in(fresh(tom), klimaschutz) == "member"
    assert [e.role for e in MembershipEvent.objects.filter(user=tom)[:2]] == [
        "member",
        "moderator",
    ]


def test_a_moderator_of_another_community_gets_permission_denied_here(
    klimaschutz, vergabe
):
    stranger = make_member(vergabe, role="moderator").user
    ulla = make_member(klimaschutz).user
    request = make_member(klimaschutz, state="pending")
    banned = make_member(klimaschutz, state="banned", reason="Spam").user
    events_before = MembershipEvent.objects.count()

    attempts = [
        lambda: services.membership_decide(
            actor=stranger,
            community=klimaschutz,
            membership_id=request.pk,
            approve=True,
        ),
        lambda: services.membership_set_role(
            actor=stranger, community=klimaschutz, user_id=ulla.pk, role="moderator"
        ),
        lambda: services.membership_remove(
            actor=stranger, community=klimaschutz, user_id=ulla.pk, reason="x"
        ),
        lambda: services.membership_unban(
            actor=stranger, community=klimaschutz, user_id=banned.pk
        ),
        lambda: services.invitation_create(
            actor=stranger, community=klimaschutz, email="x@stadt-beispiel.de"
        ),
        lambda: services.community_update(
            actor=stranger,
            community=klimaschutz,
            title="Gekapert",
            description="x",
            intro="",
            topics=[],
            visibility="public",
            join_policy="open",
        ),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            attempt()

    assert MembershipEvent.objects.count() == events_before
    assert not Invitation.objects.exists()
    assert CommunityPage.objects.get(pk=klimaschutz.pk).title == (
        "Klimaschutz und Klimafolgenanpassung"
    )


# --- Wagtail moderator group -------------------------------------------------


def can_edit_in_admin(user, community) -> bool:
    page = CommunityPage.objects.get(pk=community.pk)
    return page.permissions_for_user(fresh(user)).can_edit()


def test_a_promoted_moderator_joins_the_community_group_with_page_permissions(
    klimaschutz, owner
):
    vera = make_member(klimaschutz).user
    assert not can_edit_in_admin(vera, klimaschutz)

    services.membership_set_role(
        actor=owner, community=klimaschutz, user_id=vera.pk, role="moderator"
    )

    group = CommunityPage.objects.get(pk=klimaschutz.pk).moderator_group
    assert group is not None
    assert set(group.user_set.all()) == {owner, vera}
    assert set(
        GroupPagePermission.objects.filter(group=group, page=klimaschutz).values_list(
            "permission__codename", flat=True
        )
    ) >= {"add_page", "change_page", "publish_page"}
    assert can_edit_in_admin(vera, klimaschutz)
    assert fresh(vera).has_perm("wagtailadmin.access_admin")


def test_a_demoted_moderator_leaves_the_community_group(klimaschutz, owner, moderator):
    assert can_edit_in_admin(moderator, klimaschutz)

    services.membership_set_role(
        actor=owner, community=klimaschutz, user_id=moderator.pk, role="member"
    )

    group = CommunityPage.objects.get(pk=klimaschutz.pk).moderator_group
    assert moderator not in group.user_set.all()
    assert not can_edit_in_admin(moderator, klimaschutz)


def test_a_moderator_who_leaves_or_is_banned_leaves_the_community_group(
    klimaschutz, owner, moderator
):
    wim = make_member(klimaschutz, role="moderator").user

    services.membership_leave(user=moderator, community=klimaschutz)
    services.membership_set_role(
        actor=owner, community=klimaschutz, user_id=wim.pk, role="member"
    )
    services.membership_remove(
        actor=owner, community=klimaschutz, user_id=wim.pk, reason="Spam", ban=True
    )

    group = CommunityPage.objects.get(pk=klimaschutz.pk).moderator_group
    assert set(group.user_set.all()) == {owner}


def test_plain_members_do_not_get_page_permissions(klimaschutz, owner):
    xaver = make_member(klimaschutz).user

    assert not can_edit_in_admin(xaver, klimaschutz)
    assert not fresh(xaver).has_perm("wagtailadmin.access_admin")


def test_the_moderator_group_of_one_community_cannot_edit_another(
    klimaschutz, vergabe, moderator
):
    assert can_edit_in_admin(moderator, klimaschutz)
    assert not can_edit_in_admin(moderator, vergabe)


def test_moderators_work_in_their_communitys_admin_subtree_but_only_owners_edit_the_community_page(
    client, klimaschutz, moderator
):
    owner = make_member(klimaschutz, role="owner").user
    member = make_member(klimaschutz).user
    explorer_url = f"/admin/pages/{klimaschutz.pk}/"
    edit_url = f"/admin/pages/{klimaschutz.pk}/edit/"

    client.force_login(moderator)
    moderator_explorer = client.get(explorer_url)
    moderator_edit = client.get(edit_url)
    client.force_login(owner)
    owner_edit = client.get(edit_url)
    client.force_login(member)
    member_edit = client.get(edit_url)

    assert moderator_explorer.status_code == 200
    assert moderator_edit.status_code == 302
    assert "/admin/login/" not in moderator_edit["Location"]
    assert owner_edit.status_code == 200
    assert member_edit.status_code == 302
    assert "/admin/login/" in member_edit["Location"]


def test_a_moderator_cannot_change_visibility_through_the_wagtail_admin(
    client, klimaschutz, moderator
):
    client.force_login(moderator)

    client.post(
        f"/admin/pages/{klimaschutz.pk}/edit/",
        {
            "title": klimaschutz.title,
            "slug": klimaschutz.slug,
            "visibility": "private",
            "join_policy": "invite",
            "description": "x",
            "action-publish": "1",
        },
    )

    klimaschutz.refresh_from_db()
    assert (klimaschutz.visibility, klimaschutz.join_policy) == ("internal", "open")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_join_clicks_make_one_membership_and_one_event():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL (DATABASE_URL)")
    community = make_community(visibility="public", join_policy="open")
    make_member(community, role="owner")
    person = UserFactory()
    both_ready = threading.Barrier(2)
    outcomes = []

    def click():
        try:
            user = User.objects.get(pk=person.pk)
            page = CommunityPage.objects.get(pk=community.pk)
            both_ready.wait()
            services.membership_join(user=user, community=page)
            outcomes.append("beigetreten")
        except ValidationError as refused:
            outcomes.append(refused.messages[0])
        finally:
            connection.close()

    clicks = [threading.Thread(target=click) for _ in range(2)]
    for thread in clicks:
        thread.start()
    for thread in clicks:
        thread.join(timeout=30)

    assert sorted(outcomes) == [
        "Sie sind bereits Mitglied dieser Community.",
        "beigetreten",
    ]
    assert Membership.objects.filter(community=community, user=person).count() == 1
    assert (
        MembershipEvent.objects.filter(
            community=community, user=person, action=Action.JOINED
        ).count()
        == 1
    )
