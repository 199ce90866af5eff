"""Writes of the wiki: checked through ``communities.permissions``, atomic,
every save a Wagtail revision, and no edit ever lost.

Saving carries the revision the editor started from. If somebody saved in
between, the three are merged line by line (``wiki.merge``): a clean merge
is saved (and the editor told so), a conflict saves nothing and hands the
editor's text back with the conflicting parts marked (``EditConflict``).
"""

from dataclasses import dataclass

from anyascii import anyascii
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.models import Revision

from kommunect.validation import clean_tags, clean_text, clean_title, limit_length

from .. import permissions as perms
from ..models import CommunityPage
from ..signals import content_changed
from .links import link_titles, normalise_title, render_wiki
from .merge import merge_texts
from .models import MAX_BODY, MAX_SUMMARY, MAX_TITLE, WikiLink, WikiPage, WikiWatch

MAX_TAGS = 10
MAX_TAG_LENGTH = 50
# Paths of the community that a page slug must not shadow.
RESERVED_SLUGS = {
    "beitreten",
    "chat",
    "verlassen",
    "mitglieder",
    "anfragen",
    "einladen",
    "bearbeiten",
    "protokoll",
    "erwaehnen",
    "diskussionen",
    "anhaenge",
    "wiki",
}


class EditConflict(ValidationError):
    """Somebody saved the page while this edit was open, and the two changed
    the same lines. Nothing was saved; ``merged_body`` is the editor's text
    merged with the other save, the conflicting parts marked."""

    def __init__(self, *, merged_body: str, conflicts: list, revision_id: int):
        super().__init__(
            _(
                "Während Sie bearbeitet haben, hat jemand anderes dieselben Stellen "
                "geändert. Ihr Text ist erhalten; bitte lösen Sie die markierten "
                "Konflikte auf und speichern Sie erneut."
            ),
            code="edit_conflict",
        )
        self.merged_body = merged_body
        self.conflicts = conflicts
        self.revision_id = revision_id


@dataclass
class SaveResult:
    page: WikiPage
    revision: Revision
    merged: bool = False


def _clean_title(title: str) -> str:
    return clean_title(title, limit=MAX_TITLE)


def _clean_body(body: str) -> str:
    """A page may be empty (a new page to be filled later)."""
    return clean_text(body, limit=MAX_BODY, required=False)


def _clean_summary(summary: str) -> str:
    return limit_length(
        " ".join((summary or "").split()),
        field="summary",
        limit=MAX_SUMMARY,
        message=_("Die Zusammenfassung darf höchstens %(n)d Zeichen lang sein."),
    )


def _clean_tags(tags) -> list[str]:
    return clean_tags(tags, max_tags=MAX_TAGS, max_length=MAX_TAG_LENGTH)


def slug_for(title: str) -> str:
    """A readable ASCII slug: ``Straßenreinigung: Übersicht`` →
    ``strassenreinigung-uebersicht``."""
    german = (
        title.replace("ß", "ss")
        .replace("ä", "ae")
        .replace("ö", "oe")
        .replace("ü", "ue")
        .replace("Ä", "Ae")
        .replace("Ö", "Oe")
        .replace("Ü", "Ue")
    )
    return slugify(anyascii(german))[:80].strip("-") or "seite"


def _free_slug(parent, title: str, page=None) -> str:
    base = slug_for(title)
    if isinstance(parent, CommunityPage) and base in RESERVED_SLUGS:
        base = f"{base}-seite"
    siblings = set(
        parent.get_children()
        .exclude(pk=getattr(page, "pk", None))
        .values_list("slug", flat=True)
    )
    slug, number = base, 2
    while slug in siblings:
        slug = f"{base}-{number}"
        number += 1
    return slug


def wiki_pages_by_title(community) -> dict:
    """The community's live wiki pages by ``normalise_title`` of their title."""
    pages = WikiPage.objects.descendant_of(community).filter(deleted_at__isnull=True)
    return {normalise_title(p.title): p for p in pages.only("pk", "title", "path")}


def _render(page: WikiPage, community) -> None:
    page.body_html = render_wiki(
        page.body, community=community, pages_by_title=wiki_pages_by_title(community)
    )


def _sync_links(page: WikiPage, community) -> None:
    """Keep the page's ``WikiLink`` rows in step with its text, and point
    links of other pages that name this page's title at it."""
    by_title = wiki_pages_by_title(community)
    titles = link_titles(page.body)
    WikiLink.objects.filter(source=page).exclude(target_title__in=titles).delete()
    for title in titles:
        target = by_title.get(normalise_title(title))
        WikiLink.objects.update_or_create(
            source=page, target_title=title, defaults={"target": target}
        )
    # Pages that linked to this title before it existed now reach it.
    waiting = WikiLink.objects.filter(
        source__path__startswith=community.path, target__isnull=True
    ).exclude(source=page)
    for link in waiting:
        if normalise_title(link.target_title) == normalise_title(page.title):
            link.target = page
            link.save(update_fields=["target"])
            source = link.source
            _render(source, community)
            WikiPage.objects.filter(pk=source.pk).update(body_html=source.body_html)


def _publish(page: WikiPage, user) -> Revision:
    """Save and publish a revision by ``user``. Members have no Wagtail page
    permissions: the permission module decided above, so Wagtail's own check
    (for its admin) is skipped here."""
    revision = page.save_revision(user=user, clean=False, log_action=True)
    revision.publish(user=user, skip_permission_checks=True)
    return revision


@transaction.atomic
def wiki_page_create(
    *,
    author,
    community: CommunityPage,
    title: str,
    body: str = "",
    summary: str = "",
    tags=None,
    parent=None,
    source_thread=None,
) -> WikiPage:
    """A new page at the top of the community's wiki or below ``parent``."""
    perms.check_participate(author, community)
    if parent is not None and (
        perms.community_of_page(parent) != community
        or not isinstance(parent.specific, WikiPage)
        or parent.specific.deleted_at is not None
    ):
        raise ValidationError(
            {"parent_id": _("Die übergeordnete Seite gehört nicht zu diesem Wiki.")},
            code="invalid_parent",
        )
    title, body = _clean_title(title), _clean_body(body)
    summary, tags = _clean_summary(summary), _clean_tags(tags)
    if normalise_title(title) in wiki_pages_by_title(community):
        raise ValidationError(
            {"title": _("Eine Seite mit diesem Titel gibt es in diesem Wiki schon.")},
            code="duplicate_title",
        )
    parent = (parent.specific if parent is not None else None) or community
    page = WikiPage(
        title=title,
        slug=_free_slug(parent, title),
        body=body,
        edit_summary=summary or _("Seite angelegt"),
        owner=author,
        source_thread=source_thread,
    )
    parent.add_child(instance=page)
    _render(page, community)  # now that it exists, its links to itself resolve
    page.tags.set(tags)
    _publish(page, author)
    _sync_links(page, community)
    WikiWatch.objects.get_or_create(page=page, user=author)
    return page


def _revision_tags(revision: Revision) -> list[str]:
    """Tag names stored in a revision (ClusterTaggableManager keeps them as
    ``tagged_items`` with the tag's id)."""
    from .models import WikiTag

    ids = [item.get("tag") for item in (revision.content or {}).get("tagged_items", [])]
    return list(
        WikiTag.objects.filter(pk__in=[i for i in ids if i]).values_list(
            "name", flat=True
        )
    )


def _revision_body(revision: Revision) -> str:
    return (revision.content or {}).get("body", "")


@transaction.atomic
def wiki_page_save(
    *,
    editor,
    page: WikiPage,
    body: str,
    summary: str = "",
    base_revision: int | None,
    title: str | None = None,
    tags=None,
) -> SaveResult:
    """Save an edit that started from ``base_revision``: merged with what
    was saved in between, or refused with an ``EditConflict``."""
    page = WikiPage.objects.select_for_update().get(pk=page.pk)
    community = perms.community_of_page(page)
    if not perms.can_edit_wiki_page(editor, page):
        perms.check_view_wiki_page(editor, page)
        raise PermissionDenied(
            _("Diese Seite ist geschützt: nur die Moderation darf sie bearbeiten.")
            if page.protected
            else _("Diese Seite dürfen Sie nicht bearbeiten.")
        )
    body, summary = _clean_body(body), _clean_summary(summary)
    new_title = _clean_title(title) if title is not None else page.title
    if normalise_title(new_title) != normalise_title(page.title):
        taken = wiki_pages_by_title(community).get(normalise_title(new_title))
        if taken is not None and taken.pk != page.pk:
            raise ValidationError(
                {
                    "title": _(
                        "Eine Seite mit diesem Titel gibt es in diesem Wiki schon."
                    )
                },
                code="duplicate_title",
            )
    tags = _clean_tags(tags) if tags is not None else None
    latest = page.latest_revision
    base = Revision.page_revisions.filter(
        pk=base_revision, object_id=str(page.pk)
    ).first()
    if base is None:
        raise ValidationError(
            {"base_revision": _("Diese Version gehört nicht zu dieser Seite.")},
            code="invalid_revision",
        )
    merged = False
    if latest is not None and base.pk != latest.pk:
        # Title and tags follow the same rule as the text: what the editor
        # did not change keeps what was saved in between.
        base_title = (base.content or {}).get("title", page.title)
        if new_title == base_title and page.title != base_title:
            new_title, merged = page.title, True
        base_tags = _revision_tags(base)
        current_tags = [t.name for t in page.tags.all()]
        if tags is not None and sorted(tags, key=str.casefold) != sorted(
            current_tags, key=str.casefold
        ):
            mine = {t.casefold(): t for t in tags}
            base_set = {t.casefold() for t in base_tags}
            kept = {t.casefold(): t for t in current_tags}
            for key in base_set - set(mine):
                kept.pop(key, None)  # the editor removed it
            kept.update({k: v for k, v in mine.items() if k not in base_set})
            merged = merged or set(kept) != set(mine)
            tags = list(kept.values())
        result = merge_texts(_revision_body(base), page.body, body)
        if not result.clean:
            raise EditConflict(
                merged_body=result.text,
                conflicts=result.conflicts,
                revision_id=latest.pk,
            )
        merged = merged or result.text != body
        body = result.text
    page.title = new_title
    page.body = body
    page.edit_summary = summary
    _render(page, community)
    if tags is not None:
        page.tags.set(tags)
    revision = _publish(page, editor)
    _sync_links(page, community)
    WikiWatch.objects.get_or_create(page=page, user=editor)
    return SaveResult(page=page, revision=revision, merged=merged)


@transaction.atomic
def wiki_page_revert(*, editor, page: WikiPage, revision: int) -> SaveResult:
    """A new revision with the text of an earlier one (nothing is lost)."""
    page = WikiPage.objects.select_for_update().get(pk=page.pk)
    old = Revision.page_revisions.filter(pk=revision, object_id=str(page.pk)).first()
    if old is None:
        raise ValidationError(
            {"revision": _("Diese Version gehört nicht zu dieser Seite.")},
            code="invalid_revision",
        )
    return wiki_page_save(
        editor=editor,
        page=page,
        body=_revision_body(old),
        title=(old.content or {}).get("title", page.title),
        summary=_("Zurückgesetzt auf die Version vom %(date)s")
        % {"date": timezone.localtime(old.created_at).strftime("%d.%m.%Y %H:%M")},
        base_revision=page.latest_revision_id,
    )


def _recheck_editors(page_ids) -> None:
    """After commit: open editors of these pages check their access again
    (a protected or deleted page closes the editors of the members)."""
    from .realtime import notify_editors_of_pages

    transaction.on_commit(lambda: notify_editors_of_pages(page_ids), robust=True)


def _check_manage(actor, page) -> None:
    if not perms.can_manage_wiki_page(actor, page):
        perms.check_view_wiki_page(actor, page)
        raise PermissionDenied(
            _("Das dürfen nur Moderatorinnen und Moderatoren dieser Community.")
        )


@transaction.atomic
def wiki_page_protect(*, actor, page: WikiPage, protected: bool) -> WikiPage:
    _check_manage(actor, page)
    WikiPage.objects.filter(pk=page.pk).update(protected=protected)
    page.protected = protected
    if protected:
        _recheck_editors([page.pk])
    return page


@transaction.atomic
def wiki_page_move(*, actor, page: WikiPage, new_parent) -> WikiPage:
    """Below another page of the same wiki, or (``new_parent`` is the
    community) to the top; never below itself."""
    _check_manage(actor, page)
    community = perms.community_of_page(page)
    target = new_parent.specific
    if target.pk == page.pk or target.path.startswith(page.path):
        raise ValidationError(
            {"parent_id": _("Eine Seite kann nicht unter sich selbst stehen.")},
            code="move_into_itself",
        )
    if perms.community_of_page(target) != community or not isinstance(
        target, WikiPage | CommunityPage
    ):
        raise ValidationError(
            {"parent_id": _("Die übergeordnete Seite gehört nicht zu diesem Wiki.")},
            code="invalid_parent",
        )
    if target.pk != page.get_parent().pk:
        slug = _free_slug(target, page.title, page)
        if slug != page.slug:
            page.slug = slug
            page.save(update_fields=["slug"])
        page.move(target, pos="last-child", user=actor)
    return WikiPage.objects.get(pk=page.pk)


@transaction.atomic
def wiki_page_delete(*, actor, page: WikiPage) -> WikiPage:
    """Soft delete: the page (and its sub-pages) leave the wiki; the
    moderation can restore them."""
    _check_manage(actor, page)
    now = timezone.now()
    pages = WikiPage.objects.descendant_of(page, inclusive=True).filter(
        deleted_at__isnull=True
    )
    page_ids = list(pages.values_list("pk", flat=True))
    pages.update(deleted_at=now, deleted_by=actor)
    content_changed.send(sender=WikiPage, model=WikiPage, ids=page_ids)
    _recheck_editors(page_ids)
    return WikiPage.objects.get(pk=page.pk)


@transaction.atomic
def wiki_page_restore(*, actor, page: WikiPage) -> WikiPage:
    _check_manage(actor, page)
    restored = WikiPage.objects.descendant_of(page, inclusive=True).filter(
        deleted_at=page.deleted_at
    )
    ids = list(restored.values_list("pk", flat=True))
    restored.update(deleted_at=None, deleted_by=None)
    # A sub-page comes back with the pages above it, so that it has its
    # place in the tree again.
    parents = WikiPage.objects.ancestor_of(page).filter(deleted_at__isnull=False)
    ids += list(parents.values_list("pk", flat=True))
    parents.update(deleted_at=None, deleted_by=None)
    content_changed.send(sender=WikiPage, model=WikiPage, ids=ids)
    return WikiPage.objects.get(pk=page.pk)


@transaction.atomic
def wiki_watch(*, user, page: WikiPage, watch: bool = True) -> None:
    if not perms.can_watch_wiki_page(user, page):
        perms.check_view_wiki_page(user, page)
        raise PermissionDenied(_("Bitte melden Sie sich an."))
    if watch:
        WikiWatch.objects.get_or_create(page=page, user=user)
    else:
        WikiWatch.objects.filter(page=page, user=user).delete()
