"""Wagtail serves pages through the permission module.

Wagtail serves any live page to anyone unless told otherwise; this hook asks
``communities.permissions`` before every page inside a community is served
(the community page itself, and its wiki pages later): a private community
is a 404 to a non-member, an internal one asks anonymous visitors to log in.
"""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from wagtail import hooks

from . import permissions as perms
from .admin_sync import sync_moderator_group
from .models import CommunityPage


@hooks.register("before_serve_page")
def check_community_access(page, request, serve_args, serve_kwargs):
    try:
        perms.check_view_page(request.user, page)
    except PermissionDenied:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise


@hooks.register("after_create_page")
def set_up_new_community(request, page):
    """A community created in the admin gets its moderator group at once."""
    if isinstance(page.specific, CommunityPage):
        sync_moderator_group(page.specific)
