"""A community's front page, joining and leaving, invitations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kommunect.ratelimit import RateLimited, check_rate

from .. import permissions as perms
from .. import selectors, services
from ..forms import JoinRequestForm
from ..invitations import invitation_from_token
from ..models import JoinPolicy, Thread
from .helpers import service_errors_as_messages

JOIN_RATE = "10/h"


def check_join_rate(request) -> None:
    """Join requests are rate limited per user (pages and API alike)."""
    check_rate(
        request,
        group="community-join",
        rate=JOIN_RATE,
        detail=_(
            "Sie haben in kurzer Zeit sehr viele Beitrittsanfragen gestellt. "
            "Bitte versuchen Sie es später erneut."
        ),
    )


def community_home(request, *, community):
    perms.check_view_community(request.user, community)
    user = request.user
    role = perms.role_in(user, community)
    context = {
        "page": community,
        "self": community,
        "community": community,
        "role": role,
        "member_count": selectors.community_member_count(community),
        "can_join": perms.can_join(user, community),
        "can_request": perms.can_request_membership(user, community),
        "can_leave": perms.can_leave(user, community),
        "can_moderate": perms.can_moderate(user, community),
        "can_manage": perms.can_manage(user, community),
        "can_view_members": perms.can_view_members(user, community),
        "can_participate": perms.can_participate(user, community),
        "recent_threads": Thread.objects.filter(community=community).order_by(
            "-last_activity", "-pk"
        )[:5],
        "join_form": JoinRequestForm(),
        "last_event": selectors.last_decision_for(community=community, user=user)
        if role is None
        else None,
    }
    if context["can_view_members"]:
        context["members_preview"] = selectors.members_preview(community=community)
    if context["can_moderate"]:
        context["pending_count"] = selectors.pending_requests(
            community=community
        ).count()
    return render(request, "communities/community_page.html", context)


@login_required
@require_POST
def community_join(request, slug):
    community = perms.get_community_for(request.user, slug)
    try:
        check_join_rate(request)
    except RateLimited as limited:
        messages.error(request, limited.detail)
        return redirect(community.url)
    with service_errors_as_messages(request):
        if community.join_policy == JoinPolicy.REQUEST:
            form = JoinRequestForm(request.POST)
            if not form.is_valid():
                for error in form.errors.get("message", []):
                    messages.error(request, error)
                return redirect(community.url)
            services.membership_request(
                user=request.user,
                community=community,
                message=form.cleaned_data["message"],
            )
            messages.success(
                request,
                _(
                    "Ihre Anfrage wurde gesendet. Sie werden benachrichtigt, sobald die "
                    "Moderation entschieden hat."
                ),
            )
        else:
            services.membership_join(user=request.user, community=community)
            messages.success(request, _("Willkommen! Sie sind jetzt Mitglied."))
    return redirect(community.url)


@login_required
@require_POST
def community_leave(request, slug):
    community = perms.get_community_to_leave(request.user, slug)
    was_pending = perms.role_in(request.user, community) == perms.ROLE_PENDING
    with service_errors_as_messages(request):
        services.membership_leave(user=request.user, community=community)
        messages.success(
            request,
            _("Ihre Anfrage wurde zurückgezogen.")
            if was_pending
            else _("Sie haben die Community verlassen."),
        )
        if not perms.can_view_community(request.user, community):
            return redirect("/communities/")
    return redirect(community.url)


def invitation_detail(request, token):
    """The page an invitation link opens: accept it, or sign in/up first."""
    invitation = invitation_from_token(token)
    community = invitation.community
    if not request.user.is_authenticated:
        request.session["invitation_token"] = token
        return render(
            request,
            "communities/invitation.html",
            {"invitation": invitation, "community": community, "anonymous": True},
        )
    if request.method == "POST":
        with service_errors_as_messages(request):
            try:
                services.invitation_accept(user=request.user, invitation=invitation)
            except PermissionDenied as denied:
                messages.error(request, str(denied))
                return redirect("/")
            messages.success(request, _("Willkommen! Sie sind jetzt Mitglied."))
            return redirect(community.url)
    return render(
        request,
        "communities/invitation.html",
        {"invitation": invitation, "community": community},
    )
