"""API: attaching files to posts (shared/API.md, discussions).

``POST /communities/{slug}/attachments`` takes a multipart field ``file``
and answers like the Markdown editor's upload (``communities.views.
attachments``): the attachment with the Markdown link to insert into the
post's text. The post then names it in ``attachments`` when it is saved.
"""

from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from ..views.attachments import attachment_json, upload

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
    attachment, refusal = upload(request, slug, file)
    if refusal is not None:
        return refusal
    return Status(201, attachment_json(attachment))
