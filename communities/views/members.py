"""Member list and, for moderators, requests, invitations, member actions,
the front-page editor and the audit log."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kommunect.validation import parse_id
from members.models import User
from members.selectors import member_directory

from .. import permissions as perms
from .. import selectors, services
from ..forms import (
    CommunityEditForm,
    DecisionForm,
    InvitationForm,
    MemberActionForm,
    MemberFilterForm,
)
from ..models import Membership
from .helpers import service_errors_as_messages

MEMBERS_PAGE_SIZE = 50


def _page(request, queryset, size):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
def member_list(request, slug):
    community = perms.get_community_for(request.user, slug)
    perms.check_view_members(request.user, community)
    form = MemberFilterForm(
        request.GET or None,
        organisations=selectors.community_organisations(community=community),
    )
    organisation = role = None
    if form.is_valid():
        organisation = form.cleaned_data["organisation"]
        role = form.cleaned_data["role"]
    memberships = selectors.community_members(
        community=community,
        organisation=organisation.pk if organisation else None,
        role=role or "",
    )
    can_moderate = perms.can_moderate(request.user, community)
    return render(
        request,
        "communities/members.html",
        {
            "community": community,
            "form": form,
            "page": _page(request, memberships, MEMBERS_PAGE_SIZE),
            "query": _query_without_page(request),
            "can_moderate": can_moderate,
            "banned": selectors.community_members(
                community=community, state=Membership.State.BANNED
            )
            if can_moderate
            else [],
        },
    )


@login_required
def member_manage(request, slug, user_id):
    community = perms.get_community_for(request.user, slug)
    perms.check_moderate(request.user, community)
    membership = (
        selectors.community_members(community=community).filter(user_id=user_id).first()
    ) or selectors.community_members(
        community=community, state=Membership.State.BANNED
    ).filter(user_id=user_id).first()
    if membership is None:
        messages.error(request, _("Diese Person ist kein Mitglied dieser Community."))
        return redirect("communities:members", slug=slug)
    form = MemberActionForm(request.POST or None, initial={"role": membership.role})
    if request.method == "POST" and request.POST.get("action") == "unban":
        with service_errors_as_messages(request):
            services.membership_unban(
                actor=request.user, community=community, user_id=user_id
            )
            messages.success(request, _("Die Sperre wurde aufgehoben."))
        return redirect("communities:members", slug=slug)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with service_errors_as_messages(request):
            try:
                if data["action"] == "role":
                    services.membership_set_role(
                        actor=request.user,
                        community=community,
                        user_id=user_id,
                        role=data["role"],
                    )
                    messages.success(request, _("Die Rolle wurde geändert."))
                else:
                    services.membership_remove(
                        actor=request.user,
                        community=community,
                        user_id=user_id,
                        reason=data["reason"],
                        ban=data["action"] == "ban",
                        banned_until=data["banned_until"],
                    )
                    messages.success(
                        request,
                        _("Die Person wurde gesperrt.")
                        if data["action"] == "ban"
                        else _("Die Person wurde aus der Community entfernt."),
                    )
            except PermissionDenied as denied:
                messages.error(request, str(denied))
            else:
                return redirect("communities:members", slug=slug)
    return render(
        request,
        "communities/member_manage.html",
        {"community": community, "membership": membership, "form": form},
    )


@login_required
def request_list(request, slug):
    community = perms.get_community_for(request.user, slug)
    perms.check_moderate(request.user, community)
    if request.method == "POST":
        form = DecisionForm(request.POST)
        membership_id = parse_id(request.POST.get("membership_id", ""))
        if form.is_valid() and membership_id is not None:
            approve = form.cleaned_data["decision"] == "approve"
            with service_errors_as_messages(request):
                services.membership_decide(
                    actor=request.user,
                    community=community,
                    membership_id=membership_id,
                    approve=approve,
                    reason=form.cleaned_data["reason"],
                )
                messages.success(
                    request,
                    _("Die Anfrage wurde angenommen.")
                    if approve
                    else _("Die Anfrage wurde abgelehnt."),
                )
        else:
            messages.error(request, _("Bitte prüfen Sie Ihre Eingabe."))
        return redirect("communities:requests", slug=slug)
    return render(
        request,
        "communities/requests.html",
        {
            "community": community,
            "requests": selectors.pending_requests(community=community),
            "form": DecisionForm(),
        },
    )


@login_required
def invite(request, slug):
    community = perms.get_community_for(request.user, slug)
    perms.check_moderate(request.user, community)
    form = InvitationForm(
        request.POST or None, initial={"user_id": request.GET.get("user")}
    )
    invitee = None
    user_id = request.POST.get("user_id") or request.GET.get("user")
    if user_id and parse_id(user_id) is not None:
        invitee = User.objects.filter(pk=parse_id(user_id), is_active=True).first()
    search = request.GET.get("q", "").strip()[:100]
    if request.method == "POST" and form.is_valid():
        with service_errors_as_messages(request):
            services.invitation_create(
                actor=request.user,
                community=community,
                user=invitee,
                email=form.cleaned_data["email"],
                message=form.cleaned_data["message"],
            )
            messages.success(request, _("Die Einladung wurde verschickt."))
            return redirect("communities:invite", slug=slug)
    return render(
        request,
        "communities/invite.html",
        {
            "community": community,
            "form": form,
            "invitee": invitee,
            "search": search,
            "candidates": member_directory(q=search)[:20] if search else [],
            "invitations": community.invitations.select_related("user", "invited_by")[
                :50
            ],
        },
    )


@login_required
def community_edit(request, slug):
    community = perms.get_community_for(request.user, slug)
    perms.check_manage(request.user, community)
    initial = {
        "title": community.title,
        "description": community.description,
        "intro": community.intro,
        "topics": [t.name for t in community.topics.all()],
        "visibility": community.visibility,
        "join_policy": community.join_policy,
    }
    form = CommunityEditForm(
        request.POST or None, request.FILES or None, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        with service_errors_as_messages(request):
            community = services.community_update(
                actor=request.user, community=community, **form.cleaned_data
            )
            messages.success(request, _("Die Community-Seite wurde gespeichert."))
            return redirect(community.url)
    return render(
        request, "communities/edit.html", {"community": community, "form": form}
    )


@login_required
def audit_log(request, slug):
    community = perms.get_community_for(request.user, slug)
    perms.check_moderate(request.user, community)
    return render(
        request,
        "communities/log.html",
        {
            "community": community,
            "page": _page(
                request, selectors.membership_events(community=community), 50
            ),
            "query": "",
        },
    )
