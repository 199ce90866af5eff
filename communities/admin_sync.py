"""Community roles mirrored into Wagtail page permissions.

Each community has one Django group (``Moderation: <Community>``) that may
edit and publish the pages of the community's subtree in the Wagtail admin
(and may enter the admin). Its members are exactly the community's active
moderators and owners; the services call ``sync_moderator_group`` after
every membership change, so nobody keeps it by hand.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import GroupPagePermission

from .models import CommunityPage, Membership

PAGE_PERMISSION_TYPES = ("add", "change", "publish")


def _admin_access_permission() -> Permission:
    return Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )


def _group_name(community: CommunityPage) -> str:
    return f"Moderation: {community.title[:100]} ({community.pk})"


def ensure_moderator_group(community: CommunityPage) -> Group:
    """The community's moderator group, created with its page permissions
    (under a row lock, so two first members at once make one group)."""
    locked = CommunityPage.objects.select_for_update().get(pk=community.pk)
    if locked.moderator_group_id:
        group = Group.objects.get(pk=locked.moderator_group_id)
        if group.name != _group_name(locked):
            group.name = _group_name(locked)
            group.save(update_fields=["name"])
        return group
    group, _created = Group.objects.get_or_create(name=_group_name(locked))
    group.permissions.add(_admin_access_permission())
    for permission_type in PAGE_PERMISSION_TYPES:
        if not GroupPagePermission.objects.filter(
            group=group, page=community, permission__codename=f"{permission_type}_page"
        ).exists():
            GroupPagePermission.objects.create(
                group=group, page=community, permission_type=permission_type
            )
    CommunityPage.objects.filter(pk=community.pk).update(moderator_group=group)
    community.moderator_group = group
    return group


@transaction.atomic
def sync_moderator_group(community: CommunityPage) -> None:
    """Make the group's members exactly the active moderators and owners."""
    group = ensure_moderator_group(community)
    moderator_ids = set(
        Membership.objects.filter(
            community=community,
            state=Membership.State.ACTIVE,
            role__in=[Membership.Role.OWNER, Membership.Role.MODERATOR],
        ).values_list("user_id", flat=True)
    )
    current = set(group.user_set.values_list("pk", flat=True))
    if moderator_ids - current:
        group.user_set.add(*(moderator_ids - current))
    if current - moderator_ids:
        group.user_set.remove(*(current - moderator_ids))
