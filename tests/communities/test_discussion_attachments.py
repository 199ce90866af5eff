"""Files attached to posts: uploading them (editor and API), linking them to a
post, and who gets them when Wagtail serves the document.

An attachment is served like its community's pages (a private community's
files do not exist for outsiders, an internal one asks anonymous visitors to
log in); until a post holds it, or once its post is deleted, only the person
who uploaded it and the moderators get it.
"""

import re

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from factories import UserFactory
from factories.communities import make_community, make_member
from factories.discussions import make_post, make_thread
from factories.roles import ROLES, VISIBILITIES, person_with_role
from wagtail.documents.models import Document
from wagtail.models import Collection

from communities.discussions.attachments import (
    MAX_ATTACHMENTS_PER_POST,
    attachment_upload,
    attachments_link,
)
from communities.models import Attachment, CommunityPage
from communities.views import attachments as upload_views

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files land in a folder of this test."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def pdf(name="Hitzeaktionsplan Entwurf.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def as_user(user) -> Client:
    client = Client()
    if user.is_authenticated:
        client.force_login(user)
    return client


def stored_files(media_root) -> list:
    return [p for p in media_root.rglob("*") if p.is_file()]


def upload_url(community) -> str:
    return f"/communities/{community.slug}/anhaenge/"


def api_url(community) -> str:
    return f"/api/v1/communities/{community.slug}/attachments"


def linked_attachment(community, author=None, name="Satzung.pdf"):
    """An attachment of ``author`` (a member) in a post of theirs."""
    author = author or make_member(community).user
    attachment = attachment_upload(user=author, community=community, file=pdf(name))
    post = make_post(make_thread(community), author=author)
    attachments_link(user=author, post=post, ids=[attachment.pk])
    attachment.refresh_from_db()
    return attachment


def page_without_tokens(response, path) -> str:
    """The HTML page without its CSRF tokens and the requested path."""
    page = response.content.decode().replace(path, "")
    return re.sub(r"[A-Za-z0-9]{64}", "", page)


def served(response) -> bytes:
    return b"".join(response.streaming_content)


# --- uploading from the editor ------------------------------------------------


def test_a_member_uploads_a_file_into_the_community_collection(media_root):
    community = make_community(title="Klimaschutz", visibility="private")
    member = make_member(community).user

    response = as_user(member).post(upload_url(community), {"file": pdf()})

    assert response.status_code == 201
    body = response.json()
    attachment = Attachment.objects.get()
    document = attachment.document
    assert body == {
        "id": attachment.pk,
        "title": "Hitzeaktionsplan Entwurf.pdf",
        "url": document.url,
        "size": len(PDF),
        "markdown": f"[Hitzeaktionsplan Entwurf.pdf]({document.url})",
    }
    assert body["url"].startswith(f"/documents/{document.pk}/")
    assert attachment.community == community
    assert attachment.uploaded_by == member
    assert attachment.post is None
    assert document.uploaded_by_user == member
    community.refresh_from_db()
    assert document.collection == community.collection
    assert community.collection.name == "Klimaschutz"
    assert community.collection.get_parent() == Collection.get_first_root_node()
    assert [p.read_bytes() for p in stored_files(media_root)] == [PDF]


def test_the_community_collection_is_made_once_for_all_uploads():
    community = make_community()
    member = make_member(community).user
    before = Collection.objects.count()

    first = attachment_upload(user=member, community=community, file=pdf("a.pdf"))
    second = attachment_upload(
        user=member,
        community=CommunityPage.objects.get(pk=community.pk),
        file=pdf("b.pdf"),
    )

    assert Collection.objects.count() == before + 1
    assert first.document.collection_id == second.document.collection_id


def test_a_title_with_markdown_characters_is_escaped_in_the_link():
    community = make_community(slug="vorlagen")
    client = as_user(make_member(community).user)

    response = client.post(upload_url(community), {"file": pdf("Plan [v2]_*neu*.pdf")})

    assert response.status_code == 201
    assert response.json()["markdown"].startswith(r"[Plan \[v2\]\_\*neu\*.pdf](")


def test_an_outsider_of_a_private_community_gets_404_on_upload(media_root):
    community = make_community(visibility="private")
    make_member(community, role="owner")

    response = as_user(UserFactory()).post(upload_url(community), {"file": pdf()})

    assert response.status_code == 404
    assert response.json() == {"detail": "Nicht gefunden.", "code": "not_found"}
    assert not Document.objects.exists()
    assert not stored_files(media_root)


def test_a_non_member_of_a_public_community_may_not_upload():
    community = make_community(visibility="public")

    response = as_user(UserFactory()).post(upload_url(community), {"file": pdf()})

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert "Mitglieder" in response.json()["detail"]
    assert not Attachment.objects.exists()


def test_anonymous_visitors_are_asked_to_sign_in_to_upload():
    community = make_community()

    response = Client().post(upload_url(community), {"file": pdf()})

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert not Attachment.objects.exists()


def test_an_upload_needs_the_csrf_token():
    community = make_community()
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_member(community).user)

    response = client.post(upload_url(community), {"file": pdf()})

    assert response.status_code == 403
    assert not Attachment.objects.exists()


def test_a_post_without_a_file_is_refused_in_german():
    community = make_community()

    response = as_user(make_member(community).user).post(upload_url(community))

    assert response.status_code == 400
    assert response.json() == {
        "detail": "Bitte wählen Sie eine Datei aus.",
        "code": "required",
    }


# A little over the limit is found by the service; far over it, before the
# request's files are read.
@pytest.mark.parametrize("copies", [100, 2000])
def test_a_file_over_the_limit_is_refused_and_nothing_is_kept(
    settings, media_root, copies
):
    settings.KOMMUNECT_ATTACHMENT_MAX_SIZE = 1024
    community = make_community()
    client = as_user(make_member(community).user)

    response = client.post(upload_url(community), {"file": pdf(content=PDF * copies)})

    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert response.json()["detail"] == (
        "Die Datei ist zu groß. Erlaubt sind höchstens 1 KB."
    )
    assert not Document.objects.exists()
    assert not Attachment.objects.exists()
    assert not stored_files(media_root)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("Programm.exe", b"MZ\x90\x00"),
        ("Seite.html", b"<html><script>alert(1)</script></html>"),
        ("Logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
        ("Skript.js", b"alert(1)"),
        ("Ohne Endung", PDF),
        # Renamed: the content is not what the extension says.
        ("Satzung.pdf", b"<html><body>Keine PDF</body></html>"),
        ("Tabelle.xlsx", b"%PDF-1.4"),
        ("Notiz.txt", b"<!DOCTYPE html><html><script>alert(1)</script>"),
        ("Daten.csv", b"a;b\x00c"),
    ],
)
def test_a_file_of_the_wrong_type_is_refused_and_nothing_is_kept(
    media_root, name, content
):
    community = make_community()
    client = as_user(make_member(community).user)

    response = client.post(
        upload_url(community), {"file": SimpleUploadedFile(name, content)}
    )

    assert response.status_code == 400
    assert response.json()["code"] == "file_type"
    assert "Datei" in response.json()["detail"]
    assert not Document.objects.exists()
    assert not Attachment.objects.exists()
    assert not stored_files(media_root)


def test_markup_is_refused_even_where_the_document_settings_allow_it(settings):
    settings.WAGTAILDOCS_EXTENSIONS = [*settings.WAGTAILDOCS_EXTENSIONS, "html", "svg"]
    community = make_community()
    member = make_member(community).user

    for name in ("Seite.html", "Logo.svg"):
        with pytest.raises(ValidationError) as refused:
            attachment_upload(
                user=member,
                community=community,
                file=SimpleUploadedFile(name, b"<p>Hallo</p>"),
            )
        assert refused.value.code == "file_type"


def test_plain_text_and_office_files_are_accepted():
    community = make_community()
    member = make_member(community).user

    for name, content in [
        ("Liste.csv", b"Kommune;Einwohner\nMusterhausen;12000\n"),
        ("Notiz.txt", "Grüße aus der Kämmerei".encode()),
        ("Vorlage.docx", b"PK\x03\x04" + b"\x00" * 40),
        ("Satzung.odt", b"PK\x03\x04" + b"\x00" * 40),
    ]:
        attachment_upload(
            user=member, community=community, file=SimpleUploadedFile(name, content)
        )

    assert Attachment.objects.count() == 4


def test_a_long_file_name_is_kept_as_title_and_shortened_on_disk():
    community = make_community()
    name = "Dienstanweisung " + "zur Nutzung der E-Akte " * 10 + ".PDF"
    client = as_user(make_member(community).user)

    response = client.get(
        client.post(upload_url(community), {"file": pdf(name)}).json()["url"]
    )

    document = Attachment.objects.get().document
    assert document.title == " ".join(name.split())
    assert len(document.file.name) <= 100
    assert response.status_code == 200
    assert served(response) == PDF


def test_uploads_are_rate_limited_per_person(monkeypatch):
    monkeypatch.setattr(upload_views, "UPLOAD_RATE", "2/h")
    community = make_community()
    client = as_user(make_member(community).user)

    statuses = [
        client.post(upload_url(community), {"file": pdf(f"{n}.pdf")}).status_code
        for n in range(3)
    ]

    assert statuses == [201, 201, 429]
    limited = client.post(upload_url(community), {"file": pdf()})
    assert limited.json()["code"] == "rate_limited"
    assert int(limited["Retry-After"]) > 0
    assert Attachment.objects.count() == 2


# --- uploading through the API -------------------------------------------------


def test_a_member_uploads_through_the_api_with_a_token(client, user, bearer):
    community = make_community(slug="ozg", visibility="private")
    make_member(community, user)

    response = client.post(api_url(community), {"file": pdf()}, headers=bearer)

    assert response.status_code == 201
    attachment = Attachment.objects.get()
    assert response.json()["id"] == attachment.pk
    assert response.json()["url"] == attachment.document.url
    assert response.json()["markdown"].startswith("[Hitzeaktionsplan Entwurf.pdf](")
    assert attachment.uploaded_by == user


def test_the_api_refuses_outsiders_anonymous_callers_and_bad_files(
    client, user, bearer, settings
):
    private = make_community(slug="vertraulich", visibility="private")
    mine = make_community(slug="meine")
    make_member(mine, user)

    outsider = client.post(api_url(private), {"file": pdf()}, headers=bearer)
    anonymous = Client().post(api_url(mine), {"file": pdf()})
    wrong_type = client.post(
        api_url(mine), {"file": SimpleUploadedFile("a.html", b"<p>")}, headers=bearer
    )
    settings.KOMMUNECT_ATTACHMENT_MAX_SIZE = 10
    too_large = client.post(api_url(mine), {"file": pdf()}, headers=bearer)
    missing = client.post(api_url(mine), headers=bearer)

    assert (outsider.status_code, outsider.json()["code"]) == (404, "not_found")
    assert (anonymous.status_code, anonymous.json()["code"]) == (
        401,
        "not_authenticated",
    )
    assert (wrong_type.status_code, wrong_type.json()["code"]) == (400, "file_type")
    assert (too_large.status_code, too_large.json()["code"]) == (413, "too_large")
    assert "zu groß" in too_large.json()["detail"]
    assert (missing.status_code, missing.json()["code"]) == (400, "required")
    assert not Attachment.objects.exists()


# --- serving the file --------------------------------------------------------------

# What Wagtail's document view answers each role for an attachment of a post:
# like the community's pages.
SERVE_LINKED = """
                 public  internal  private
anonymous        200     302       404
platform user    200     200       404
pending          200     200       404
member           200     200       200
moderator        200     200       200
owner            200     200       200
banned           200     403       404
staff            200     200       200
"""


def status_table(table: str) -> dict[tuple[str, str], int]:
    header, *rows = [line for line in table.strip().splitlines() if line.strip()]
    assert tuple(header.split()) == VISIBILITIES
    expected = {}
    for row in rows:
        words = row.split()
        role, cells = " ".join(words[:-3]), words[-3:]
        for visibility, cell in zip(VISIBILITIES, cells, strict=True):
            expected[(role, visibility)] = int(cell)
    assert {role for role, _ in expected} == set(ROLES)
    return expected


@pytest.mark.parametrize("visibility", VISIBILITIES)
@pytest.mark.parametrize("role", ROLES)
def test_an_attachment_is_served_to_those_who_may_read_the_community(role, visibility):
    community = make_community(visibility=visibility)
    attachment = linked_attachment(community)
    person = person_with_role(role, community)

    response = as_user(person).get(attachment.document.url)

    expected = status_table(SERVE_LINKED)[(role, visibility)]
    assert response.status_code == expected
    if expected == 200:
        assert served(response) == PDF
        assert response["X-Content-Type-Options"] == "nosniff"
    if expected == 302:
        assert response["Location"].startswith("/accounts/login/")


def test_an_outsider_of_a_private_community_cannot_fetch_its_file_and_a_member_can():
    community = make_community(visibility="private")
    attachment = linked_attachment(community, name="Vergabevermerk.pdf")
    url = attachment.document.url
    unknown_url = f"/documents/{attachment.document.pk + 1}/Vergabevermerk.pdf"
    outsider_client = as_user(UserFactory())

    outsider = outsider_client.get(url)
    unknown = outsider_client.get(unknown_url)
    member = as_user(make_member(community).user).get(url)

    assert outsider.status_code == unknown.status_code == 404
    # The same page as for a document that does not exist.
    assert page_without_tokens(outsider, url) == page_without_tokens(
        unknown, unknown_url
    )
    assert member.status_code == 200
    assert served(member) == PDF


def test_a_file_not_yet_in_a_post_is_only_for_its_uploader_and_the_moderators():
    community = make_community()
    uploader = make_member(community).user
    attachment = attachment_upload(user=uploader, community=community, file=pdf())
    url = attachment.document.url

    assert as_user(uploader).get(url).status_code == 200
    assert (
        as_user(make_member(community, role="moderator").user).get(url).status_code
        == 200
    )
    assert as_user(make_member(community).user).get(url).status_code == 404
    assert Client().get(url).status_code == 404


def test_the_file_of_a_deleted_post_is_only_for_its_author_and_the_moderators():
    community = make_community()
    author = make_member(community).user
    attachment = linked_attachment(community, author=author)
    attachment.post.deleted = timezone.now()
    attachment.post.save(update_fields=["deleted"])
    url = attachment.document.url

    assert as_user(make_member(community).user).get(url).status_code == 404
    assert as_user(author).get(url).status_code == 200
    assert (
        as_user(make_member(community, role="moderator").user).get(url).status_code
        == 200
    )


def test_documents_that_are_not_attachments_are_served_as_wagtail_does():
    document = Document.objects.create(
        title="Impressum",
        file=SimpleUploadedFile("impressum.pdf", PDF),
        collection=Collection.get_first_root_node(),
    )

    response = Client().get(document.url)

    assert response.status_code == 200
    assert served(response) == PDF


# --- linking to a post -----------------------------------------------------------


def test_attachments_link_links_only_the_authors_own_unlinked_attachments():
    community = make_community()
    other_community = make_community()
    author = make_member(community).user
    make_member(other_community, author)
    colleague = make_member(community).user
    post = make_post(make_thread(community), author=author)
    mine = attachment_upload(user=author, community=community, file=pdf("mein.pdf"))
    theirs = attachment_upload(user=colleague, community=community, file=pdf())
    elsewhere = attachment_upload(
        user=author, community=other_community, file=pdf("anderswo.pdf")
    )
    taken = attachment_upload(user=author, community=community, file=pdf("alt.pdf"))
    earlier_post = make_post(make_thread(community), author=author)
    attachments_link(user=author, post=earlier_post, ids=[taken.pk])

    linked = attachments_link(
        user=author,
        post=post,
        ids=[mine.pk, theirs.pk, elsewhere.pk, taken.pk, 999_999, "kein"],
    )

    assert linked == [mine]
    assert list(post.attachments.all()) == [mine]
    for attachment, holder in [
        (theirs, None),
        (elsewhere, None),
        (taken, earlier_post),
    ]:
        attachment.refresh_from_db()
        assert attachment.post == holder


def test_a_post_holds_at_most_ten_attachments():
    community = make_community()
    author = make_member(community).user
    post = make_post(make_thread(community), author=author)
    ids = [
        attachment_upload(user=author, community=community, file=pdf(f"{n}.pdf")).pk
        for n in range(MAX_ATTACHMENTS_PER_POST + 1)
    ]
    attachments_link(user=author, post=post, ids=ids[:-1])

    with pytest.raises(ValidationError) as refused:
        attachments_link(user=author, post=post, ids=ids[-1:])

    assert refused.value.code == "too_many"
    assert "höchstens 10 Anhänge" in refused.value.messages[0]
    assert post.attachments.count() == MAX_ATTACHMENTS_PER_POST


def test_only_someone_who_may_edit_the_post_links_attachments_to_it():
    community = make_community()
    author = make_member(community).user
    colleague = make_member(community).user
    post = make_post(make_thread(community), author=author)
    attachment = attachment_upload(user=colleague, community=community, file=pdf())

    with pytest.raises(PermissionDenied):
        attachments_link(user=colleague, post=post, ids=[attachment.pk])

    attachment.refresh_from_db()
    assert attachment.post is None


# --- the Wagtail admin -----------------------------------------------------------


def test_a_moderator_of_another_community_sees_no_private_attachment_in_the_admin(
    client,
):
    secret = make_community(title="Geheimrat Tagung", visibility="private")
    linked_attachment(secret, name="Geheimrat-Protokoll.pdf")
    mine = make_community(title="Offene Runde")
    client.force_login(make_member(mine, role="moderator").user)

    listing = client.get("/admin/documents/")
    chooser = client.get("/admin/documents/chooser/", {"q": "Protokoll"})

    # Moderators hold no document permissions: no listing, an empty chooser.
    assert listing.status_code == 302
    assert "Geheimrat" not in chooser.content.decode()


def test_wagtail_editors_do_not_find_private_attachments_in_the_document_chooser():
    secret = make_community(title="Geheimrat Tagung", visibility="private")
    open_community = make_community(title="Offene Runde")
    # Words apart, so that PostgreSQL's full-text search (which reads
    # "Offenes-Protokoll.pdf" as one file name) finds them by "Protokoll".
    linked_attachment(secret, name="Geheimrat Protokoll.pdf")
    linked_attachment(open_community, name="Offenes Protokoll.pdf")
    editor = UserFactory()
    editor.groups.add(Group.objects.get(name="Editors"))

    client = as_user(editor)

    for query in ({}, {"q": "Protokoll"}):
        chooser = client.get("/admin/documents/chooser/results/", query)

        assert chooser.status_code == 200
        assert "Geheimrat" not in chooser.content.decode()
        assert "Offenes Protokoll" in chooser.content.decode()
