"""Wiki pages in the front end: the community's wiki (the page tree), a new
page, a page itself (served by Wagtail through ``WikiPage.serve``) and the
permalink by id that ``[[links]]`` point to."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.models import Revision

from kommunect.validation import parse_id

from .. import permissions as perms
from ..discussions.attachments import attachments_link_wiki
from ..discussions.forms import split_tags
from ..wiki import services
from ..wiki.diff import diff_lines, diff_stats, render_diff_html
from ..wiki.forms import WikiEditForm, WikiPageForm
from ..wiki.models import WikiPage, WikiWatch
from ..wiki.toc import table_of_contents
from ..wiki.tree import page_tree, sidebar_of, tree_html, with_hrefs
from .discussions import attachment_ids, form_errors_from
from .helpers import validation_messages


def _create_page(request, community, form, **extra) -> WikiPage:
    """Create the page of a valid form with the files uploaded for it, in one
    transaction."""
    with transaction.atomic():
        page = services.wiki_page_create(
            author=request.user,
            community=community,
            title=form.cleaned_data["title"],
            body=form.cleaned_data["body"],
            summary=form.cleaned_data["summary"],
            tags=split_tags(form.cleaned_data["tags"]),
            **extra,
        )
        attachments_link_wiki(user=request.user, page=page, ids=attachment_ids(request))
    return page


def wiki_index(request, slug):
    community = perms.get_community_for(request.user, slug)
    return render(
        request,
        "communities/wiki/index.html",
        {
            "community": community,
            "tree_html": tree_html(page_tree(community, request)),
            "can_create": perms.can_create_wiki_page(request.user, community),
            # The moderation's way back to deleted pages (to restore them).
            "deleted": WikiPage.objects.descendant_of(community)
            .filter(deleted_at__isnull=False)
            .select_related("deleted_by")
            .order_by("-deleted_at")
            if perms.can_moderate(request.user, community)
            else [],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def wiki_create(request, slug):
    community = perms.get_community_for(request.user, slug)
    perms.check_participate(request.user, community)
    parent = None
    parent_id = request.GET.get("parent") or request.POST.get("parent")
    if parent_id:
        parent = (
            WikiPage.objects.descendant_of(community)
            .filter(pk=parse_id(parent_id) or 0)
            .first()
        )
        if parent is None:
            raise Http404(_("Diese Wiki-Seite gibt es nicht."))
    form = WikiPageForm(
        request.POST if request.method == "POST" else None,
        initial={"title": request.GET.get("titel", "")[:200]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            page = _create_page(request, community, form, parent=parent)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Die Seite wurde angelegt."))
            return redirect(page.url)
    return render(
        request,
        "communities/wiki/create.html",
        {"community": community, "form": form, "parent": parent},
        status=400 if form.errors else 200,
    )


def wiki_permalink(request, page_id):
    """``/wiki/<id>/``: where the page is now (links survive renames)."""
    return redirect(_page_for(request, page_id).url)


def wiki_page_view(request, page):
    """A wiki page for its readers (``WikiPage.serve``).

    The tree of the community's pages is fetched once and gives the
    breadcrumbs, the sidebar, the sub-pages and the moderation's move
    targets; the backlinks are one more query, whatever their number."""
    perms.check_view_wiki_page(request.user, page)
    community = perms.community_of_page(page)
    can_manage = perms.can_manage_wiki_page(request.user, page)
    tree = page_tree(community, request)
    own = next((node for node in tree if node.pk == page.pk), None)
    ancestors = [
        node for node in tree if page.path.startswith(node.path) and node is not own
    ]
    backlinks = with_hrefs(
        list(
            WikiPage.objects.filter(
                outgoing_links__target=page, deleted_at__isnull=True
            )
            .distinct()
            .order_by("title", "pk")
            .only("pk", "title", "url_path")
        ),
        community,
        request,
    )
    return render(
        request,
        "communities/wiki/page.html",
        {
            "page": page,
            "self": page,
            "community": community,
            "ancestors": ancestors,
            "children": [node for node in tree if node.parent_id == page.pk],
            "backlinks": backlinks,
            "toc": table_of_contents(page.body_html),
            "attachments": page.attachments.select_related("document"),
            "tree_html": tree_html(sidebar_of(tree, page), current_id=page.pk),
            "can_create": perms.can_create_wiki_page(request.user, community),
            "can_edit": perms.can_edit_wiki_page(request.user, page),
            "can_manage": can_manage,
            "watching": request.user.is_authenticated
            and WikiWatch.objects.filter(page=page, user=request.user).exists(),
            "parent_id": own.parent_id if own else None,
            # Indented by level with em spaces: a <select> has no nesting.
            "move_targets": [
                (node.pk, "\u2003" * (node.level - 1) + node.title)
                for node in tree
                if not node.path.startswith(page.path)
            ]
            if can_manage
            else [],
        },
    )


# --- editing, history, management -------------------------------------------


def _page_for(request, page_id) -> WikiPage:
    return perms.get_wiki_page_for(request.user, page_id)


def _revision_of(page, revision_id):
    revision_id = parse_id(revision_id)
    if revision_id is None:
        return None
    return page.revisions.filter(pk=revision_id).first()


@login_required
@require_http_methods(["GET", "POST"])
def wiki_edit(request, page_id):
    page = _page_for(request, page_id)
    community = perms.community_of_page(page)
    if not perms.can_edit_wiki_page(request.user, page):
        raise PermissionDenied(
            _("Diese Seite ist geschützt: nur die Moderation darf sie bearbeiten.")
            if page.protected
            else _("Diese Seite dürfen Sie nicht bearbeiten.")
        )
    status = 200
    conflicts = []
    if request.method == "POST":
        form = WikiEditForm(request.POST)
        if form.is_valid():
            try:
                # One transaction: files that cannot be attached save nothing.
                with transaction.atomic():
                    result = services.wiki_page_save(
                        editor=request.user,
                        page=page,
                        title=form.cleaned_data["title"],
                        body=form.cleaned_data["body"],
                        summary=form.cleaned_data["summary"],
                        tags=split_tags(form.cleaned_data["tags"]),
                        base_revision=form.cleaned_data["base_revision"],
                    )
                    attachments_link_wiki(
                        user=request.user, page=page, ids=attachment_ids(request)
                    )
            except services.EditConflict as conflict:
                # Nothing saved: the editor gets their text back, merged with
                # the other save and the conflicts marked, based on the latest.
                data = request.POST.copy()
                data["body"] = conflict.merged_body
                data["base_revision"] = conflict.revision_id
                form = WikiEditForm(data)
                form.is_valid()
                form.add_error(None, conflict.messages[0])
                conflicts = conflict.conflicts
                status = 409
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "Gespeichert. Jemand hatte die Seite inzwischen geändert; "
                        "beide Änderungen wurden zusammengeführt."
                    )
                    if result.merged
                    else _("Die Seite wurde gespeichert."),
                )
                return redirect(result.page.url)
        if status == 200 and form.errors:
            status = 400
    else:
        form = WikiEditForm(
            initial={
                "title": page.title,
                "body": page.body,
                "tags": ", ".join(t.name for t in page.tags.all()),
                "base_revision": page.latest_revision_id,
            }
        )
    return render(
        request,
        "communities/wiki/edit.html",
        {"page": page, "community": community, "form": form, "conflicts": conflicts},
        status=status,
    )


HISTORY_PER_PAGE = 50


def wiki_history(request, page_id):
    page = _page_for(request, page_id)
    revisions = Paginator(
        page.revisions.select_related("user").order_by("-created_at", "-pk"),
        HISTORY_PER_PAGE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "communities/wiki/history.html",
        {
            "page": page,
            "community": perms.community_of_page(page),
            "revisions": revisions,
            "can_edit": perms.can_edit_wiki_page(request.user, page),
        },
    )


def wiki_diff(request, page_id):
    page = _page_for(request, page_id)
    old = _revision_of(page, request.GET.get("von"))
    new = _revision_of(page, request.GET.get("bis")) or page.latest_revision
    if old is None or new is None:
        messages.error(request, _("Bitte wählen Sie zwei Versionen dieser Seite."))
        return redirect("communities:wiki_history", page.pk)
    if old.created_at > new.created_at:
        old, new = new, old
    old_body = (old.content or {}).get("body", "")
    new_body = (new.content or {}).get("body", "")
    added, removed = diff_stats(old_body, new_body)
    return render(
        request,
        "communities/wiki/diff.html",
        {
            "page": page,
            "community": perms.community_of_page(page),
            "old": old,
            "new": new,
            "diff_html": render_diff_html(diff_lines(old_body, new_body)),
            "added": added,
            "removed": removed,
        },
    )


@login_required
@require_POST
def wiki_revert(request, page_id):
    page = _page_for(request, page_id)
    try:
        services.wiki_page_revert(
            editor=request.user,
            page=page,
            revision=parse_id(request.POST.get("revision", "")) or 0,
        )
    except ValidationError as error:
        for message in validation_messages(error):
            messages.error(request, message)
        return redirect("communities:wiki_history", page.pk)
    messages.success(request, _("Die frühere Version ist wiederhergestellt."))
    return redirect(page.url)


WIKI_ACTIONS = {
    "protect": lambda actor, page: services.wiki_page_protect(
        actor=actor, page=page, protected=True
    ),
    "unprotect": lambda actor, page: services.wiki_page_protect(
        actor=actor, page=page, protected=False
    ),
    "delete": lambda actor, page: services.wiki_page_delete(actor=actor, page=page),
    "restore": lambda actor, page: services.wiki_page_restore(actor=actor, page=page),
}


@login_required
@require_POST
def wiki_manage(request, page_id):
    """Moderation: protect, delete, restore, move (``parent``)."""
    page = _page_for(request, page_id)
    community = perms.community_of_page(page)
    action = request.POST.get("action", "")
    try:
        if action == "move":
            parent_id = request.POST.get("parent", "")
            parent = (
                community
                if parent_id in ("", str(community.pk))
                else WikiPage.objects.descendant_of(community)
                .filter(pk=parse_id(parent_id) or 0)
                .first()
            )
            if parent is None:
                raise ValidationError(
                    _("Die übergeordnete Seite gehört nicht zu diesem Wiki.")
                )
            page = services.wiki_page_move(
                actor=request.user, page=page, new_parent=parent
            )
        elif action in WIKI_ACTIONS:
            page = WIKI_ACTIONS[action](request.user, page)
        else:
            raise ValidationError(_("Diese Aktion gibt es nicht."))
    except ValidationError as error:
        for message in validation_messages(error):
            messages.error(request, message)
    else:
        messages.success(request, _("Erledigt."))
    if page.deleted_at is not None and action == "delete":
        return redirect("communities:wiki", community.slug)
    return redirect(WikiPage.objects.get(pk=page.pk).url)


@login_required
@require_POST
def wiki_watch(request, page_id):
    page = _page_for(request, page_id)
    watch = request.POST.get("watch") == "1"
    services.wiki_watch(user=request.user, page=page, watch=watch)
    messages.success(
        request,
        _("Sie beobachten diese Seite.")
        if watch
        else _("Sie beobachten diese Seite nicht mehr."),
    )
    return redirect(page.url)


def wiki_changes(request, slug):
    """ "Letzte Änderungen": the newest revisions of the community's wiki,
    each with the one before it for the diff link (a fixed number of queries)."""
    community = perms.get_community_for(request.user, slug)
    page_ids = [
        str(pk)
        for pk in WikiPage.objects.descendant_of(community)
        .filter(deleted_at__isnull=True)
        .values_list("pk", flat=True)
    ]
    page_type = ContentType.objects.get_for_model(WikiPage)
    earlier = Revision.objects.filter(
        base_content_type=OuterRef("base_content_type"),
        object_id=OuterRef("object_id"),
        created_at__lt=OuterRef("created_at"),
    ).order_by("-created_at", "-pk")
    revisions = (
        Revision.page_revisions.filter(content_type=page_type, object_id__in=page_ids)
        .select_related("user")
        .annotate(previous_id=Subquery(earlier.values("pk")[:1]))
        .order_by("-created_at", "-pk")
    )
    page = Paginator(revisions, 50).get_page(request.GET.get("page"))
    titles = dict(
        WikiPage.objects.filter(
            pk__in=[int(r.object_id) for r in page.object_list]
        ).values_list("pk", "title")
    )
    for revision in page.object_list:
        revision.page_id = int(revision.object_id)
        revision.page_title = titles.get(revision.page_id, "")
    return render(
        request,
        "communities/wiki/changes.html",
        {"community": community, "page": page},
    )


@login_required
@require_http_methods(["GET", "POST"])
def wiki_from_thread(request, slug, thread_id):
    """ "Als Wiki-Seite übernehmen": a solved discussion becomes a page with
    the question and the solution, linking back to the thread."""
    thread = perms.get_thread_for(request.user, thread_id)
    community = thread.community
    if community.slug != slug or thread.solution_id is None:
        raise Http404(_("Diese Diskussion gibt es nicht."))
    if not (
        perms.can_mark_solution(request.user, thread)
        and perms.can_create_wiki_page(request.user, community)
    ):
        raise PermissionDenied(
            _("Das dürfen die fragende Person und die Moderation dieser Community.")
        )
    if request.method == "POST":
        form = WikiPageForm(request.POST)
        if form.is_valid():
            try:
                page = _create_page(request, community, form, source_thread=thread)
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                messages.success(request, _("Die Seite wurde angelegt."))
                return redirect(page.url)
    else:
        form = WikiPageForm(initial=wiki_draft_from_thread(request, thread))
    return render(
        request,
        "communities/wiki/create.html",
        {"community": community, "form": form, "thread": thread},
        status=400 if form.errors else 200,
    )


def wiki_draft_from_thread(request, thread) -> dict:
    question = thread.opening_post.body if thread.opening_post else ""
    solution = thread.solution.body if thread.solution else ""
    link = request.build_absolute_uri(
        reverse("communities:thread", args=[thread.community.slug, thread.pk])
    )
    body = "\n\n".join(
        [
            "## " + _("Frage"),
            question,
            "## " + _("Lösung"),
            solution,
            "---",
            _("Übernommen aus der Diskussion [%(title)s](%(url)s).")
            % {"title": thread.title.replace("[", "(").replace("]", ")"), "url": link},
        ]
    )
    return {
        "title": thread.title,
        "body": body,
        "summary": _("Aus einer gelösten Diskussion übernommen"),
        "tags": ", ".join(thread.tag_names()),
    }
