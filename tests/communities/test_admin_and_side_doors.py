"""Side doors found in review: Wagtail's admin choosers, invitations claimed
with an unverified address, bans with a local date, leaving a community that
turned private, a front-page image left behind by a failed save."""

import io

import pytest
from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from factories import UserFactory
from factories.communities import make_community, make_member
from PIL import Image as PILImage
from wagtail.images import get_image_model

from communities import services
from communities.models import Invitation, Membership

pytestmark = pytest.mark.django_db


def test_a_moderator_of_another_community_does_not_see_a_private_title_in_the_page_chooser(
    client,
):
    secret = make_community(title="Geheimrat Tagung", visibility="private")
    make_member(secret, role="owner")
    mine = make_community(title="Offene Runde")
    client.force_login(make_member(mine, role="moderator").user)

    searched = client.get("/admin/choose-page/search/", {"q": "Geheimrat"})
    browsed = client.get(f"/admin/choose-page/{secret.get_parent().pk}/")

    assert searched.status_code == 200
    assert "Geheimrat" not in searched.content.decode()
    assert "Geheimrat" not in browsed.content.decode()
    assert "Offene Runde" in browsed.content.decode()


def test_an_invitation_by_email_is_not_claimed_with_an_unverified_address(client):
    community = make_community(visibility="private", join_policy="invite")
    moderator = make_member(community, role="moderator").user
    invitation = services.invitation_create(
        actor=moderator, community=community, email="neu@stadt-beispiel.de"
    )
    impostor = UserFactory()
    impostor.email = "neu@stadt-beispiel.de"
    impostor.save()
    EmailAddress.objects.filter(user=impostor).update(
        email="neu@stadt-beispiel.de", verified=False
    )

    with pytest.raises(services.PermissionDenied):
        services.invitation_accept(user=impostor, invitation=invitation)

    assert not Membership.objects.filter(community=community, user=impostor).exists()
    assert Invitation.objects.get(pk=invitation.pk).accepted_at is None


def test_the_admin_offers_no_e_mail_change_that_skips_verification(client):
    community = make_community()
    client.force_login(make_member(community, role="moderator").user)

    response = client.get("/admin/account/")

    assert response.status_code == 200
    assert 'name="name_email-email"' not in response.content.decode()


def test_a_ban_until_a_date_without_time_zone_is_taken_as_local_time(client):
    community = make_community(slug="zeit")
    owner = make_member(community, role="owner").user
    member = make_member(community).user
    client.force_login(owner)

    response = client.patch(
        f"/api/v1/communities/zeit/members/{member.pk}",
        {"state": "banned", "reason": "Spam", "banned_until": "2099-01-01T00:00:00"},
        content_type="application/json",
    )

    assert response.status_code == 200
    ban = Membership.objects.get(community=community, user=member)
    assert ban.state == "banned"
    local_end = timezone.localtime(ban.banned_until)
    assert (local_end.year, local_end.month, local_end.day, local_end.hour) == (
        2099,
        1,
        1,
        0,
    )


def test_a_person_who_asked_to_join_can_withdraw_after_the_community_turned_private(
    client,
):
    community = make_community(slug="wird-privat", join_policy="request")
    requester = make_member(community, state="pending").user
    community.visibility = "private"
    community.save()
    client.force_login(requester)

    response = client.post("/api/v1/communities/wird-privat/leave")

    assert response.status_code == 200
    assert not Membership.objects.filter(community=community, user=requester).exists()


def test_a_failed_front_page_save_stores_no_image(client):
    community = make_community(slug="bild")
    client.force_login(make_member(community, role="owner").user)
    buffer = io.BytesIO()
    PILImage.new("RGB", (20, 20)).save(buffer, format="PNG")
    images_before = get_image_model().objects.count()

    response = client.post(
        "/communities/bild/bearbeiten/",
        {
            "title": "   ",
            "description": "Beschreibung",
            "visibility": "public",
            "join_policy": "open",
            "image_upload": SimpleUploadedFile("b.png", buffer.getvalue(), "image/png"),
        },
    )

    assert response.status_code == 200
    assert get_image_model().objects.count() == images_before
