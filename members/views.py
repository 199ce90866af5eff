"""Profile, member directory and API token pages: thin adapters."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .forms import ApiTokenForm, DirectoryFilterForm, ProfileForm
from .models import User
from .selectors import member_directory, organisation_suggest_for_email
from .services import user_profile_update
from .tokens import api_token_create, api_token_revoke, api_tokens_of

DIRECTORY_PAGE_SIZE = 24


@login_required
def profile_detail(request, user_id):
    member = get_object_or_404(
        User.objects.select_related("organisation").prefetch_related("expertise"),
        pk=user_id,
        is_active=True,
    )
    return render(request, "members/profile_detail.html", {"member": member})


@login_required
def profile_edit(request):
    user = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST, request.FILES, instance=user)
        if form.is_valid():
            data = form.cleaned_data
            user_profile_update(
                user=user,
                display_name=data["display_name"],
                organisation=data["organisation"],
                position=data["position"],
                bio=data["bio"],
                expertise=data["expertise"],
                avatar=data["avatar"] if "avatar" in form.changed_data else None,
            )
            messages.success(request, _("Ihr Profil wurde gespeichert."))
            return redirect("members:profile", user_id=user.pk)
        user.refresh_from_db()
    else:
        form = ProfileForm(instance=user)
    return render(request, "members/profile_edit.html", {"form": form})


@login_required
def directory(request):
    form = DirectoryFilterForm(request.GET or None)
    filters = {"q": "", "organisation": None, "tag": ""}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "q": data["q"].strip(),
            "organisation": data["organisation"].pk if data["organisation"] else None,
            "tag": data["tag"].strip(),
        }
    paginator = Paginator(member_directory(**filters), DIRECTORY_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "members/directory.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@login_required
def tokens(request):
    new_token = None
    if request.method == "POST":
        form = ApiTokenForm(request.POST)
        if form.is_valid():
            _token, new_token = api_token_create(
                user=request.user, name=form.cleaned_data["name"]
            )
            messages.success(
                request,
                _(
                    "Das Token wurde erstellt. Kopieren Sie es jetzt: es wird nur "
                    "dieses eine Mal angezeigt."
                ),
            )
            form = ApiTokenForm()
    else:
        form = ApiTokenForm()
    return render(
        request,
        "members/tokens.html",
        {"form": form, "new_token": new_token, "tokens": api_tokens_of(request.user)},
    )


@login_required
@require_POST
def token_revoke(request, token_id):
    api_token_revoke(user=request.user, token_id=token_id)
    messages.success(request, _("Das Token wurde widerrufen."))
    return redirect("members:tokens")


@require_GET
def organisation_suggestion(request):
    """Used live by the sign-up form: the organisation for an e-mail domain."""
    organisation = organisation_suggest_for_email(request.GET.get("email", "")[:254])
    if organisation is None:
        return JsonResponse({"organisation": None})
    return JsonResponse(
        {"organisation": {"id": organisation.pk, "name": organisation.name}}
    )
