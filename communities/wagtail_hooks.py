"""Wagtail serves pages, and shows them in its admin, through the
permission module.

Wagtail serves any live page to anyone unless told otherwise; these hooks
ask ``communities.permissions`` before every page inside a community is
served (the community page itself, and its wiki pages later): a private
community is a 404 to a non-member, an internal one asks anonymous visitors
to log in. In the admin, which moderators enter to edit their community's
pages, choosers and listings leave out what the user may not see, and the
community page itself (visibility, join policy, publishing) is changed only
by those who may manage it: moderators edit the pages below it.

Documents that are attachments of posts follow their community the same way
when Wagtail serves them (``before_serve_document``), and the admin's
document chooser leaves out those of communities the user may not see.
"""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.dispatch import receiver
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.signals import page_published, page_unpublished

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


@hooks.register("construct_page_chooser_queryset")
def hide_invisible_pages_from_choosers(pages, request):
    return perms.filter_visible_pages(request.user, pages)


@hooks.register("construct_explorer_page_queryset")
def hide_invisible_pages_from_explorer(parent_page, pages, request):
    return perms.filter_visible_pages(request.user, pages)


def _refuse_unless_manager(request, page):
    specific = page.specific_deferred
    if isinstance(specific, CommunityPage) and not perms.can_manage(
        request.user, specific
    ):
        raise PermissionDenied(
            _("Die Community-Seite selbst ändern nur Eigentümerinnen und Eigentümer.")
        )


@hooks.register("before_edit_page")
def check_edit_community_page(request, page):
    _refuse_unless_manager(request, page)


@hooks.register("before_unpublish_page")
def check_unpublish_community_page(request, page):
    _refuse_unless_manager(request, page)


@hooks.register("before_delete_page")
def check_delete_community_page(request, page):
    _refuse_unless_manager(request, page)


@hooks.register("before_copy_page")
def check_copy_community_page(request, page):
    _refuse_unless_manager(request, page)


@hooks.register("before_move_page")
def check_move_community_page(request, page, destination):
    _refuse_unless_manager(request, page)


@hooks.register("before_serve_document")
def check_attachment_access(document, request):
    """Attachments of posts are served like their community's pages: a 404
    for outsiders of a private community, the login page for anonymous
    visitors of an internal one. Other documents are served as Wagtail does."""
    try:
        perms.check_view_document(request.user, document)
    except PermissionDenied:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise


@hooks.register("construct_document_chooser_queryset")
def hide_invisible_attachments_from_chooser(documents, request):
    return perms.filter_visible_documents(request.user, documents)


@receiver(page_published, sender=CommunityPage)
@receiver(page_unpublished, sender=CommunityPage)
def recheck_thread_watchers(sender, instance, **kwargs):
    """A community published with another visibility in the admin, or
    unpublished: open sockets watching its threads check their access again
    (the front end's ``community_update`` does the same)."""
    from .discussions.realtime import notify_watchers_of_community

    community_id = instance.pk
    transaction.on_commit(
        lambda: notify_watchers_of_community(community_id), robust=True
    )
