"""Writes of attachments: files that people attach to their posts.

A file is uploaded while the post is still being written (the Markdown editor
inserts a link to it), so it is stored first as an ``Attachment`` without a
post; saving the post then links it with ``attachments_link``. The file itself
is a Wagtail document in the community's own collection, served by Wagtail's
document view behind the ``before_serve_document`` hook, which asks
``communities.permissions``.
"""

import os
import unicodedata

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.documents.models import Document
from wagtail.models import Collection
from wagtail.utils.file import hash_filelike

from kommunect.validation import parse_id

from .. import permissions as perms
from ..models import CommunityPage
from ..signals import content_changed
from .models import Attachment, Post

MAX_ATTACHMENTS_PER_POST = 10
MAX_TITLE = 255

# Never accepted, whatever WAGTAILDOCS_EXTENSIONS says: a browser would run
# them as markup or script of this site.
REFUSED_EXTENSIONS = {
    "htm",
    "html",
    "shtml",
    "xhtml",
    "svg",
    "svgz",
    "js",
    "mjs",
    "xml",
    "xsl",
}

# The first bytes each binary format starts with: a file whose content does
# not match its extension is refused (a renamed HTML page is not a PDF).
_SIGNATURES = {
    "pdf": (b"%PDF-",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "pptx": (b"PK\x03\x04",),
    "odt": (b"PK\x03\x04",),
    "ods": (b"PK\x03\x04",),
    "rtf": (b"{\\rtf",),
}
_TEXT_EXTENSIONS = {"txt", "csv"}
_MARKUP_STARTS = (b"<!doctype", b"<html", b"<svg", b"<script", b"<?xml", b"<head")
_SNIFF_BYTES = 8192


def max_attachment_size() -> int:
    return getattr(
        settings, "KOMMUNECT_ATTACHMENT_MAX_SIZE", settings.WAGTAILDOCS_MAX_UPLOAD_SIZE
    )


def allowed_extensions() -> list[str]:
    return [
        extension.lower()
        for extension in settings.WAGTAILDOCS_EXTENSIONS
        if extension.lower() not in REFUSED_EXTENSIONS
    ]


def size_label(size: int) -> str:
    megabytes = size / (1024 * 1024)
    return f"{megabytes:.0f} MB" if megabytes >= 1 else f"{size // 1024} KB"


def _extension(name: str) -> str:
    return os.path.splitext(name)[1][1:].lower()


def _clean_title(name: str) -> str:
    """The file name as people will read it: no path, no control characters."""
    name = os.path.basename((name or "").replace("\\", "/"))
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C")
    name = " ".join(name.split())
    if len(name) > MAX_TITLE:
        stem, dot_extension = os.path.splitext(name)
        name = stem[: MAX_TITLE - len(dot_extension)] + dot_extension
    return name


def _read_head(file) -> bytes:
    file.seek(0)
    head = file.read(_SNIFF_BYTES)
    file.seek(0)
    return head if isinstance(head, bytes) else head.encode()


def _content_matches(extension: str, head: bytes) -> bool:
    signatures = _SIGNATURES.get(extension)
    if signatures is not None:
        return head.startswith(signatures)
    if extension in _TEXT_EXTENSIONS:
        if b"\x00" in head:
            return False
        start = head.removeprefix(b"\xef\xbb\xbf").lstrip().lower()
        return not start.startswith(_MARKUP_STARTS)
    return True


def too_large_error() -> ValidationError:
    return ValidationError(
        _("Die Datei ist zu groß. Erlaubt sind höchstens %(size)s.")
        % {"size": size_label(max_attachment_size())},
        code="too_large",
    )


def attachment_validate_file(file) -> str:
    """Refuse files that are too large, of a type not on the list or whose
    content does not match their extension; return the title to store."""
    if file is None:
        raise ValidationError(_("Bitte wählen Sie eine Datei aus."), code="required")
    title = _clean_title(file.name)
    extension = _extension(title)
    allowed = allowed_extensions()
    if not title or extension not in allowed:
        raise ValidationError(
            _(
                "Dateien dieser Art können nicht angehängt werden. Erlaubt sind: "
                "%(extensions)s."
            )
            % {"extensions": ", ".join(sorted(allowed))},
            code="file_type",
        )
    if file.size == 0:
        raise ValidationError(_("Die Datei ist leer."), code="empty")
    if file.size > max_attachment_size():
        raise too_large_error()
    if not _content_matches(extension, _read_head(file)):
        raise ValidationError(
            _(
                "Der Inhalt der Datei passt nicht zu ihrer Endung .%(extension)s. "
                "Bitte laden Sie die Datei im angegebenen Format hoch."
            )
            % {"extension": extension},
            code="file_type",
        )
    return title


def community_collection(community: CommunityPage) -> Collection:
    """The community's Wagtail collection, made below the root collection with
    the first upload (under a lock of the community's row, so two first
    uploads make one)."""
    if community.collection_id:
        return community.collection
    with transaction.atomic():
        locked = CommunityPage.objects.select_for_update().get(pk=community.pk)
        if locked.collection_id:
            collection = locked.collection
        else:
            # The root is locked as well: treebeard numbers a new child after
            # the last one, so two communities' first uploads would collide.
            root = Collection.objects.select_for_update().get(
                pk=Collection.get_first_root_node().pk
            )
            collection = root.add_child(name=locked.title[:MAX_TITLE])
            CommunityPage.objects.filter(pk=locked.pk).update(collection=collection)
    community.collection = collection
    return collection


def attachment_upload(*, user, community: CommunityPage, file) -> Attachment:
    """Store ``file`` as a document in the community's collection and as an
    attachment of ``user`` that no post holds yet."""
    perms.check_upload_attachment(user, community)
    title = attachment_validate_file(file)
    collection = community_collection(community)
    document = Document(
        title=title,
        collection=collection,
        uploaded_by_user=user,
        file_size=file.size,
        file_hash=hash_filelike(file),
    )
    document.file.save(title, file, save=False)
    try:
        with transaction.atomic():
            document.save()
            attachment = Attachment.objects.create(
                document=document, community=community, uploaded_by=user
            )
    except Exception:
        # The rows are rolled back; the file written above must go, too.
        document.file.delete(save=False)
        raise
    return attachment


def _ids(values) -> set[int]:
    # parse_id also drops numbers past the id column's range, which the
    # database refuses with an error instead of finding nothing.
    return {number for number in map(parse_id, values or ()) if number is not None}


@transaction.atomic
def _linkable(user, community_id, wanted) -> list[Attachment]:
    """The user's own uploads among ``wanted`` in that community that no post
    or wiki page holds yet."""
    return list(
        Attachment.objects.select_related("document").filter(
            pk__in=wanted,
            uploaded_by=user,
            community_id=community_id,
            post__isnull=True,
            wiki_page__isnull=True,
        )
    )


def attachments_link_wiki(*, user, page, ids) -> list[Attachment]:
    """The same for a wiki page the user may edit (files stay with the page
    through all its versions)."""
    if not perms.can_edit_wiki_page(user, page):
        raise PermissionDenied(_("Diese Seite dürfen Sie nicht bearbeiten."))
    wanted = _ids(ids)
    if not wanted:
        return []
    community = perms.community_of_page(page)
    linkable = _linkable(user, community.pk, wanted)
    Attachment.objects.filter(pk__in=[a.pk for a in linkable]).update(wiki_page=page)
    content_changed.send(
        sender=Attachment, model=Attachment, ids=[a.pk for a in linkable]
    )
    return linkable


def attachments_link(*, user, post: Post, ids) -> list[Attachment]:
    """Attach the user's own attachments ``ids`` that no post holds yet and
    that were uploaded to the post's community. Other ids (someone else's,
    another community's, already in a post) are left alone without a word:
    an error would tell whether they exist. Returns the newly linked ones."""
    if not perms.can_edit_post(user, post):
        raise PermissionDenied(_("Diesen Beitrag dürfen Sie nicht ändern."))
    wanted = _ids(ids)
    if not wanted:
        return []
    # Locks the post's row: two saves at once cannot pass ten together.
    Post.objects.select_for_update().filter(pk=post.pk).first()
    linkable = _linkable(user, post.thread.community_id, wanted)
    if not linkable:
        return []
    if post.attachments.count() + len(linkable) > MAX_ATTACHMENTS_PER_POST:
        raise ValidationError(
            _("Ein Beitrag kann höchstens %(n)d Anhänge haben.")
            % {"n": MAX_ATTACHMENTS_PER_POST},
            code="too_many",
        )
    Attachment.objects.filter(pk__in=[a.pk for a in linkable]).update(post=post)
    content_changed.send(
        sender=Attachment, model=Attachment, ids=[a.pk for a in linkable]
    )
    for attachment in linkable:
        attachment.post = post
    return linkable
