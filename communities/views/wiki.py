"""Wiki pages in the front end: the community's wiki (the page tree), a new
page, a page itself (served by Wagtail through ``WikiPage.serve``) and the
permalink by id that ``[[links]]`` point to."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .. import permissions as perms
from ..discussions.forms import split_tags
from ..wiki import services
from ..wiki.forms import WikiPageForm
from ..wiki.models import WikiPage
from .discussions import form_errors_from


def _tree(community, user):
    """The community's live wiki pages in tree order, with their depth below
    the community (1 = top level)."""
    pages = (
        WikiPage.objects.descendant_of(community)
        .filter(deleted_at__isnull=True)
        .order_by("path")
        .only("pk", "title", "path", "depth", "url_path", "latest_revision_created_at")
    )
    return [(page, page.depth - community.depth) for page in pages]


def wiki_index(request, slug):
    community = perms.get_community_for(request.user, slug)
    return render(
        request,
        "communities/wiki/index.html",
        {
            "community": community,
            "tree": _tree(community, request.user),
            "can_create": perms.can_create_wiki_page(request.user, community),
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
            .filter(pk=parent_id if str(parent_id).isdigit() else 0)
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
            page = services.wiki_page_create(
                author=request.user,
                community=community,
                parent=parent,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                summary=form.cleaned_data["summary"],
                tags=split_tags(form.cleaned_data["tags"]),
            )
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
    page = WikiPage.objects.filter(pk=page_id).first()
    if page is None:
        raise Http404(_("Diese Wiki-Seite gibt es nicht."))
    perms.check_view_wiki_page(request.user, page)
    return redirect(page.url)


def wiki_page_view(request, page):
    """A wiki page for its readers (``WikiPage.serve``)."""
    perms.check_view_wiki_page(request.user, page)
    community = perms.community_of_page(page)
    ancestors = (
        WikiPage.objects.ancestor_of(page)
        .filter(depth__gt=community.depth)
        .order_by("depth")
    )
    backlinks = (
        WikiPage.objects.filter(outgoing_links__target=page, deleted_at__isnull=True)
        .distinct()
        .order_by("title")
    )
    return render(
        request,
        "communities/wiki/page.html",
        {
            "page": page,
            "self": page,
            "community": community,
            "ancestors": ancestors,
            "children": page.get_children()
            .type(WikiPage)
            .specific()
            .filter(wikipage__deleted_at__isnull=True),
            "backlinks": backlinks,
            "tree": _tree(community, request.user),
            "can_create": perms.can_create_wiki_page(request.user, community),
        },
    )
