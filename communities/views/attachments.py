"""Uploading files from the Markdown editor of posts.

The editor's script (static/js/editor.js) sends the file and inserts the
Markdown link it gets back; like the editor's other helpers
(``kommunect.preview.json_endpoint``) it answers errors, a missing session
included, as JSON ``{"detail": "<German message>", "code": …}`` for the
script to show. The API (``communities.discussions.api_attachments``)
answers in the same shape.
"""

import re

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kommunect.preview import json_endpoint, json_error
from kommunect.ratelimit import check_rate

from .. import permissions as perms
from ..discussions import attachments as services
from .helpers import validation_messages

UPLOAD_RATE = "30/h"
# Service refusals that are not a plain 400.
STATUS_BY_CODE = {"too_large": 413}
# Multipart framing around the file; a request much larger than the limit is
# refused before Django reads it.
_MULTIPART_OVERHEAD = 64 * 1024

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#!|~])")


def check_upload_rate(request) -> None:
    """Uploads are rate limited per user (editor and API alike)."""
    check_rate(
        request,
        group="attachment-upload",
        rate=UPLOAD_RATE,
        detail=_(
            "Sie haben in kurzer Zeit sehr viele Dateien hochgeladen. "
            "Bitte versuchen Sie es später erneut."
        ),
    )


def attachment_markdown(attachment) -> str:
    """A Markdown link to the file, its title escaped as link text."""
    title = _MARKDOWN_SPECIAL.sub(r"\\\1", attachment.document.title)
    return f"[{title}]({attachment.document.url})"


def attachment_json(attachment) -> dict:
    document = attachment.document
    return {
        "id": attachment.pk,
        "title": document.title,
        "url": document.url,
        "size": document.file_size,
        "markdown": attachment_markdown(attachment),
    }


def too_large_to_read(request) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > services.max_attachment_size() + _MULTIPART_OVERHEAD


def refusal_json(error: ValidationError) -> JsonResponse:
    """A service's ValidationError as the JSON error of the editor and API."""
    code = getattr(error, "code", None) or "invalid"
    return json_error(
        STATUS_BY_CODE.get(code, 400), validation_messages(error)[0], code
    )


@require_POST
@json_endpoint
def attachment_upload(request, slug):
    """Multipart field ``file``; 201 with the attachment and its Markdown."""
    attachment, refusal = upload(request, slug, request.FILES.get("file"))
    if refusal is not None:
        return refusal
    return JsonResponse(attachment_json(attachment), status=201)


def upload(request, slug, file):
    """Check, rate-limit and store an upload for the editor and the API:
    ``(attachment, None)``, or ``(None, a German JSON refusal)``."""
    community = perms.get_community_for(request.user, slug)
    perms.check_upload_attachment(request.user, community)
    check_upload_rate(request)
    if too_large_to_read(request):
        return None, refusal_json(services.too_large_error())
    try:
        attachment = services.attachment_upload(
            user=request.user, community=community, file=file
        )
    except ValidationError as error:
        return None, refusal_json(error)
    return attachment, None
