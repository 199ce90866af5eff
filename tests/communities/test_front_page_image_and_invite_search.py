"""Owners upload a front-page image; moderators find people to invite in the
member directory from the invitation page."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from factories import UserFactory
from factories.communities import make_community, make_member
from PIL import Image as PILImage
from wagtail.images import get_image_model

pytestmark = pytest.mark.django_db


def png_upload(name="bild.png", size=(40, 30)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (0, 90, 160)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def edit_data(community, **overrides):
    data = {
        "title": community.title,
        "description": community.description,
        "intro": "",
        "topics": "",
        "visibility": community.visibility,
        "join_policy": community.join_policy,
    }
    data.update(overrides)
    return data


def test_an_owner_uploads_a_front_page_image_that_becomes_the_communitys_image(client):
    community = make_community(title="Hitzeschutz")
    owner = make_member(community, role="owner").user
    client.force_login(owner)

    response = client.post(
        f"/communities/{community.slug}/bearbeiten/",
        edit_data(community, image_upload=png_upload()),
    )

    assert response.status_code == 302
    community.refresh_from_db()
    assert community.image is not None
    assert community.image.title == "Bild der Community „Hitzeschutz“"
    assert community.image.uploaded_by_user == owner


def test_a_file_that_is_not_an_image_is_refused_in_german_and_nothing_is_saved(client):
    community = make_community(title="Hitzeschutz")
    client.force_login(make_member(community, role="owner").user)
    images_before = get_image_model().objects.count()

    response = client.post(
        f"/communities/{community.slug}/bearbeiten/",
        edit_data(
            community,
            title="Neuer Titel",
            image_upload=SimpleUploadedFile("bild.png", b"kein Bild", "image/png"),
        ),
    )

    assert response.status_code == 200
    assert "Bitte ein gültiges Bild hochladen." in response.content.decode()
    community.refresh_from_db()
    assert community.title == "Hitzeschutz"
    assert community.image is None
    assert get_image_model().objects.count() == images_before


def test_a_moderator_finds_a_person_in_the_directory_and_invites_them(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    community = make_community(title="Mobilität")
    client.force_login(make_member(community, role="moderator").user)
    person = UserFactory(display_name="Lena Radverkehr")

    found = client.get(f"/communities/{community.slug}/einladen/", {"q": "Radverkehr"})
    assert "Lena Radverkehr" in found.content.decode()
    assert f"?user={person.pk}" in found.content.decode()

    chosen = client.get(f"/communities/{community.slug}/einladen/", {"user": person.pk})
    assert "Sie laden <strong>Lena Radverkehr</strong> ein." in chosen.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/communities/{community.slug}/einladen/",
            {"user_id": person.pk, "email": "", "message": "Willkommen!"},
        )

    assert response.status_code == 302
    assert community.invitations.get().user == person
    assert [m.to for m in mailoutbox] == [[person.email]]


def test_a_plain_member_cannot_search_people_to_invite(client):
    community = make_community()
    client.force_login(make_member(community).user)

    response = client.get(f"/communities/{community.slug}/einladen/", {"q": "a"})

    assert response.status_code == 403
