"""API: attaching files to posts (shared/API.md, discussions).

``POST /communities/{slug}/attachments`` takes a multipart field ``file``
and answers like the Markdown editor's upload (``communities.views.
attachments``): the attachment with the Markdown link to insert into the
post's text. The post then names it in ``attachments`` when it is saved.
"""

from django.core.exceptions import ValidationError
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from .. import permissions as perms
from ..views.attachments import (
    attachment_json,
    check_upload_rate,
    refusal_json,
    too_large_to_read,
)
from . import attachments as services

router = Router(tags=["Diskussionen"])


class AttachmentOut(Schema):
    id: int
    title: str
    url: str
    size: int | None
    markdown: str


@router.post(
    "/communities/{slug}/attachments",
    response={201: AttachmentOut},
    summary="Datei für einen Beitrag hochladen",
)
def attachment_upload(request, slug: str, file: File[UploadedFile | None] = None):
    community = perms.get_community_for(request.user, slug)
    perms.check_upload_attachment(request.user, community)
    check_upload_rate(request)
    if too_large_to_read(request):
        return refusal_json(services.too_large_error())
    try:
        attachment = services.attachment_upload(
            user=request.user, community=community, file=file
        )
    except ValidationError as error:
        return refusal_json(error)
    return Status(201, attachment_json(attachment))
