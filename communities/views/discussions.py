"""Discussion pages: the thread list, a thread with its posts, writing,
editing, reactions, solution, moderation, watching, permalinks.

Every view fetches through ``communities.permissions`` (a private community's
threads are a 404 to outsiders) and writes through the discussion services.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from kommunect.ratelimit import RateLimited, check_rate
from kommunect.validation import parse_id

from .. import permissions as perms
from ..discussions import selectors, services
from ..discussions.forms import (
    PostEditForm,
    ReasonForm,
    ReplyForm,
    ThreadEditForm,
    ThreadForm,
    split_tags,
)
from ..discussions.models import REACTIONS, PostRevision, Reaction
from .helpers import validation_messages

POST_RATE = "10/m"
SORT_LABELS = {
    "activity": gettext_lazy("Letzte Aktivität"),
    "new": gettext_lazy("Neueste"),
    "unanswered": gettext_lazy("Unbeantwortet"),
    "solved": gettext_lazy("Gelöst"),
}


def check_post_rate(request) -> None:
    """Writing threads and replies is rate limited per user (pages and API)."""
    check_rate(
        request,
        group="discussion-post",
        rate=POST_RATE,
        detail=_(
            "Sie haben in kurzer Zeit sehr viele Beiträge geschrieben. "
            "Bitte warten Sie einen Moment."
        ),
    )


def attachment_ids(request) -> list[int]:
    found = (parse_id(value) for value in request.POST.getlist("attachments")[:20])
    return [number for number in found if number is not None]


def link_attachments(user, post, ids) -> None:
    if ids:
        from ..discussions.attachments import attachments_link

        attachments_link(user=user, post=post, ids=ids)


def post_url(post, thread=None) -> str:
    """The permalink target: the page of the thread that shows the post."""
    thread = thread or post.thread
    url = reverse("communities:thread", args=[thread.community.slug, thread.pk])
    page = selectors.page_of_post(post)
    if page > 1:
        url += f"?page={page}"
    return f"{url}#beitrag-{post.pk}"


def form_errors_from(form, error: ValidationError) -> None:
    """Put a service's German errors on the form's fields, or on the form
    (where the field is hidden or not the form's)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            field = form.fields.get(name)
            field = name if field and not field.widget.is_hidden else None
            for e in errors:
                for message in e.messages:
                    form.add_error(field, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def _thread_for(request, slug, thread_id):
    thread = perms.get_thread_for(request.user, thread_id)
    if thread.community.slug != slug:
        raise Http404(_("Diese Diskussion gibt es nicht."))
    return thread


# --- the list ---------------------------------------------------------------


def thread_list(request, slug):
    community = perms.get_community_for(request.user, slug)
    sort = request.GET.get("sort", "activity")
    if sort not in SORT_LABELS:
        sort = "activity"
    tag = request.GET.get("tag", "").strip()[:50]
    qs = selectors.thread_list(
        user=request.user, community=community, sort=sort, tag=tag
    )
    page = Paginator(qs, selectors.THREADS_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    for thread in page.object_list:
        thread.community = community  # one object for all rows
    selectors.mark_unread(page.object_list, request.user)
    query = urlencode({k: v for k, v in (("sort", sort), ("tag", tag)) if v})
    return render(
        request,
        "communities/discussions/thread_list.html",
        {
            "community": community,
            "page": page,
            "sort": sort,
            "sorts": SORT_LABELS.items(),
            "tag": tag,
            "tags": selectors.community_tags(community),
            "query": query,
            "can_start": perms.can_start_thread(request.user, community),
            "role": perms.role_in(request.user, community),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def thread_create(request, slug):
    community = perms.get_community_for(request.user, slug)
    perms.check_participate(request.user, community)
    form = ThreadForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            check_post_rate(request)
            # Attachments that cannot be linked leave no thread behind.
            with transaction.atomic():
                thread = services.thread_create(
                    author=request.user,
                    community=community,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                    tags=split_tags(form.cleaned_data["tags"]),
                    form_token=form.cleaned_data["form_token"],
                )
                link_attachments(
                    request.user, thread.opening_post, attachment_ids(request)
                )
        except services.DuplicateSubmission as duplicate:
            messages.info(request, duplicate.messages[0])
            return redirect(post_url(duplicate.post))
        except RateLimited as limited:
            form.add_error(None, limited.detail)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Ihre Diskussion wurde eröffnet."))
            return redirect(
                "communities:thread", community.slug, thread.pk, permanent=False
            )
    return render(
        request,
        "communities/discussions/thread_form.html",
        {"community": community, "form": form, "status": 400 if form.errors else 200},
        status=400 if form.errors else 200,
    )


# --- a thread ---------------------------------------------------------------


def add_post_flags(view, user, thread, read_mark: int = 0) -> None:
    """What the reader may do with one post (asked of the permission module)."""
    post = view.post
    view.is_new = bool(user.is_authenticated and read_mark and post.pk > read_mark)
    view.can_edit = perms.can_edit_post(user, post)
    view.can_delete = view.can_edit and post.pk != thread.opening_post_id
    view.can_react = perms.can_react(user, post)
    view.can_history = post.edited is not None and perms.can_view_post_history(
        user, post
    )
    view.can_mark_solution = (
        post.pk != thread.opening_post_id
        and post.deleted is None
        and perms.can_mark_solution(user, thread)
    )


def thread_context(request, thread, page_number):
    user = request.user
    community = thread.community
    paginator = Paginator(
        range(selectors.replies(thread).count()), selectors.POSTS_PER_PAGE
    )
    # Paginator knows no "last" (only ListView does): it would give page 1.
    page = paginator.get_page(
        paginator.num_pages if page_number == "last" else page_number
    )
    opening, solution, rows = selectors.thread_posts(thread, page=page.number)
    shown = [p for p in (opening, solution, *rows) if p is not None]
    views = {v.pk: v for v in selectors.decorate_posts(shown, user)}
    state = selectors.reader_state(thread, user)
    read_mark = state.read_mark
    newest = max((p.pk for p in shown), default=0)
    if newest > read_mark:
        services.thread_mark_read(user=user, thread=thread, post_id=newest)
    can_moderate = perms.can_moderate(user, community)
    for view in views.values():
        add_post_flags(view, user, thread, read_mark)
    return {
        "community": community,
        "thread": thread,
        "tags": list(thread.tags.all()),
        "opening": views.get(opening.pk) if opening else None,
        "solution": views.get(solution.pk) if solution else None,
        "posts": [views[p.pk] for p in rows],
        "page": page,
        "is_last_page": page.number == paginator.num_pages,
        "role": perms.role_in(user, community),
        "can_reply": perms.can_reply(user, thread),
        "can_participate": perms.can_participate(user, community),
        "can_moderate": can_moderate,
        "can_edit_thread": perms.can_edit_thread(user, thread),
        "watching": state.watching,
        "reactions": REACTIONS,
        "solution_url": reverse(
            "communities:thread_solution", args=[community.slug, thread.pk]
        ),
    }


def thread_detail(request, slug, thread_id):
    thread = _thread_for(request, slug, thread_id)
    context = thread_context(request, thread, request.GET.get("page"))
    context["form"] = ReplyForm()
    return render(request, "communities/discussions/thread.html", context)


@login_required
def thread_unread(request, slug, thread_id):
    """Jump to the first post the reader has not read yet."""
    thread = _thread_for(request, slug, thread_id)
    post = selectors.first_unread(thread, request.user)
    if post is None:
        return redirect("communities:thread", slug, thread.pk)
    return redirect(post_url(post, thread))


@login_required
@require_POST
def thread_reply(request, slug, thread_id):
    thread = _thread_for(request, slug, thread_id)
    form = ReplyForm(request.POST)
    status = 400
    if form.is_valid():
        reply_to = None
        if form.cleaned_data["reply_to"]:
            reply_to = thread.posts.filter(pk=form.cleaned_data["reply_to"]).first()
        try:
            if form.cleaned_data["reply_to"] and reply_to is None:
                raise ValidationError(
                    _(
                        "Der Beitrag, auf den Sie antworten, gehört nicht zu dieser "
                        "Diskussion."
                    )
                )
            check_post_rate(request)
            # Attachments that cannot be linked leave no reply behind.
            with transaction.atomic():
                post = services.post_create(
                    author=request.user,
                    thread=thread,
                    body=form.cleaned_data["body"],
                    reply_to=reply_to,
                    form_token=form.cleaned_data["form_token"],
                )
                link_attachments(request.user, post, attachment_ids(request))
        except services.DuplicateSubmission as duplicate:
            messages.info(request, duplicate.messages[0])
            return redirect(post_url(duplicate.post, thread))
        except RateLimited as limited:
            form.add_error(None, limited.detail)
        except ValidationError as error:
            form_errors_from(form, error)
        except PermissionDenied as refused:
            # Locked meanwhile, or membership lost: say why, keep the text.
            form.add_error(None, str(refused))
            status = 403
        else:
            messages.success(request, _("Ihre Antwort wurde veröffentlicht."))
            return redirect(post_url(post, thread))
    # Back to the last page with the text intact and the errors shown.
    context = thread_context(request, thread, "last")
    context["form"] = form
    return render(
        request, "communities/discussions/thread.html", context, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def thread_edit(request, slug, thread_id):
    thread = _thread_for(request, slug, thread_id)
    if not perms.can_edit_thread(request.user, thread):
        raise PermissionDenied(_("Diese Diskussion dürfen Sie nicht ändern."))
    if request.method == "POST":
        form = ThreadEditForm(request.POST)
        if form.is_valid():
            try:
                services.thread_update(
                    actor=request.user,
                    thread=thread,
                    title=form.cleaned_data["title"],
                    tags=split_tags(form.cleaned_data["tags"]),
                )
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                messages.success(request, _("Die Diskussion wurde geändert."))
                return redirect("communities:thread", slug, thread.pk)
    else:
        form = ThreadEditForm(
            initial={
                "title": thread.title,
                "tags": ", ".join(t.name for t in thread.tags.all()),
            }
        )
    return render(
        request,
        "communities/discussions/thread_edit.html",
        {"community": thread.community, "thread": thread, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def thread_solution(request, slug, thread_id):
    thread = _thread_for(request, slug, thread_id)
    post = None
    post_id = request.POST.get("post_id", "")
    if post_id:
        try:
            post = perms.get_post_for(request.user, int(post_id))
        except (ValueError, Http404):
            messages.error(request, _("Diesen Beitrag gibt es nicht."))
            return redirect("communities:thread", slug, thread.pk)
    try:
        services.thread_set_solution(actor=request.user, thread=thread, post=post)
    except ValidationError as error:
        for message in validation_messages(error):
            messages.error(request, message)
        return redirect("communities:thread", slug, thread.pk)
    if post is None:
        messages.success(request, _("Die Markierung als Lösung wurde entfernt."))
        return redirect("communities:thread", slug, thread.pk)
    messages.success(request, _("Die Antwort ist als Lösung markiert."))
    return redirect(post_url(post, thread))


MODERATION_ACTIONS = {
    "pin": ({"pinned": True}, gettext_lazy("Die Diskussion ist angeheftet.")),
    "unpin": (
        {"pinned": False},
        gettext_lazy("Die Diskussion ist nicht mehr angeheftet."),
    ),
    "lock": ({"locked": True}, gettext_lazy("Die Diskussion ist gesperrt.")),
    "unlock": ({"locked": False}, gettext_lazy("Die Diskussion ist wieder offen.")),
}


@login_required
@require_POST
def thread_moderate(request, slug, thread_id):
    thread = _thread_for(request, slug, thread_id)
    action = MODERATION_ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        messages.error(request, _("Diese Aktion gibt es nicht."))
    else:
        services.thread_moderate(actor=request.user, thread=thread, **action[0])
        messages.success(request, action[1])
    return redirect("communities:thread", slug, thread.pk)


@login_required
@require_POST
def thread_watch(request, slug, thread_id):
    thread = _thread_for(request, slug, thread_id)
    watch = request.POST.get("watch") == "1"
    services.thread_watch(user=request.user, thread=thread, watch=watch)
    messages.success(
        request,
        _("Sie beobachten diese Diskussion.")
        if watch
        else _("Sie beobachten diese Diskussion nicht mehr."),
    )
    return redirect("communities:thread", slug, thread.pk)


# --- a post -----------------------------------------------------------------


def post_permalink(request, post_id):
    post = perms.get_post_for(request.user, post_id)
    return redirect(post_url(post))


def post_fragment(request, post_id):
    """One post rendered for the reader (live updates fetch it)."""
    post = perms.get_post_for(request.user, post_id)
    thread = post.thread
    context = thread_context_for_posts(request, thread, [post])
    return TemplateResponse(request, "communities/discussions/_post.html", context)


def thread_context_for_posts(request, thread, posts):
    user = request.user
    view = selectors.decorate_posts(posts, user)[0]
    add_post_flags(view, user, thread)
    return {
        "view": view,
        "thread": thread,
        "community": thread.community,
        "can_reply": perms.can_reply(user, thread),
        "reactions": REACTIONS,
        "solution_url": reverse(
            "communities:thread_solution", args=[thread.community.slug, thread.pk]
        ),
    }


def _post_form_page(request, name, post, form):
    """The edit or delete page of a post (400 while the form has errors)."""
    return render(
        request,
        f"communities/discussions/{name}.html",
        {
            "community": post.thread.community,
            "thread": post.thread,
            "post": post,
            "form": form,
            "moderating": post.author_id != request.user.pk,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def post_edit(request, post_id):
    post = perms.get_post_for(request.user, post_id)
    if not perms.can_edit_post(request.user, post):
        raise PermissionDenied(_("Diesen Beitrag dürfen Sie nicht bearbeiten."))
    if request.method == "POST":
        form = PostEditForm(request.POST)
        if form.is_valid():
            try:
                # Attachments that cannot be linked leave the text unchanged.
                with transaction.atomic():
                    services.post_edit(
                        editor=request.user,
                        post=post,
                        body=form.cleaned_data["body"],
                        reason=form.cleaned_data["reason"],
                    )
                    link_attachments(request.user, post, attachment_ids(request))
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                messages.success(request, _("Der Beitrag wurde geändert."))
                return redirect(post_url(post))
    else:
        form = PostEditForm(initial={"body": post.body})
    return _post_form_page(request, "post_edit", post, form)


@login_required
@require_http_methods(["GET", "POST"])
def post_delete(request, post_id):
    post = perms.get_post_for(request.user, post_id)
    if not perms.can_delete_post(request.user, post):
        raise PermissionDenied(_("Diesen Beitrag dürfen Sie nicht löschen."))
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.post_delete(
                actor=request.user, post=post, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Der Beitrag wurde gelöscht."))
            return redirect(post_url(post))
    return _post_form_page(request, "post_delete", post, form)


@login_required
def post_history(request, post_id):
    post = perms.get_post_for(request.user, post_id)
    if not perms.can_view_post_history(request.user, post):
        raise PermissionDenied(
            _("Frühere Fassungen sehen die verfassende Person und die Moderation.")
        )
    revisions = PostRevision.objects.filter(post=post).select_related("replaced_by")
    return render(
        request,
        "communities/discussions/post_history.html",
        {
            "community": post.thread.community,
            "thread": post.thread,
            "post": post,
            "revisions": revisions,
        },
    )


@login_required
@require_POST
def post_react(request, post_id):
    """Toggle one reaction; htmx swaps the reaction bar, others get redirected."""
    post = perms.get_post_for(request.user, post_id)
    emoji = services.normalise_emoji(request.POST.get("emoji", ""))
    # The buttons toggle: pressing one's own reaction again takes it back.
    toggled_off = Reaction.objects.filter(
        post=post, user=request.user, emoji=emoji
    ).exists()
    try:
        if request.POST.get("remove") == "1" or toggled_off:
            services.reaction_remove(user=request.user, post=post, emoji=emoji)
        else:
            services.reaction_add(user=request.user, post=post, emoji=emoji)
    except ValidationError as error:
        if request.headers.get("HX-Request"):
            return render(
                request,
                "communities/discussions/_message.html",
                {"text": validation_messages(error)[0]},
                status=400,
            )
        for message in validation_messages(error):
            messages.error(request, message)
    if request.headers.get("HX-Request"):
        context = thread_context_for_posts(request, post.thread, [post])
        return render(request, "communities/discussions/_reactions.html", context)
    return redirect(post_url(post))
