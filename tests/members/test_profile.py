"""The profile page and editing one's own profile."""

import pytest
from factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

EDIT_URL = "/profil/bearbeiten/"


def profile_data(user, **overrides):
    data = {
        "display_name": user.display_name,
        "organisation": user.organisation_id or "",
        "position": user.position,
        "bio": user.bio,
        "expertise": ", ".join(t.name for t in user.expertise.all()),
    }
    data.update(overrides)
    return data


def test_profile_page_shows_name_position_organisation_and_expertise(
    member_client, other_user
):
    other_user.expertise.set(["Vergaberecht", "E-Akte"])

    response = member_client.get(f"/mitglieder/{other_user.pk}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1" in html and "Bernd Becker" in html
    assert other_user.organisation.name in html
    assert "Sachgebietsleitung IT" in html
    assert "Vergaberecht" in html and "E-Akte" in html


def test_own_profile_offers_editing_and_tokens_but_others_do_not(
    member_client, user, other_user
):
    own = member_client.get(f"/mitglieder/{user.pk}/").content.decode()
    foreign = member_client.get(f"/mitglieder/{other_user.pk}/").content.decode()

    assert "Profil bearbeiten" in own and "API-Tokens" in own
    assert "Profil bearbeiten" not in foreign and "API-Tokens" not in foreign


def test_profile_of_an_inactive_member_is_not_found(member_client):
    gone = UserFactory(is_active=False)

    response = member_client.get(f"/mitglieder/{gone.pk}/")

    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    ["/mitglieder/", "/profil/bearbeiten/", "/profil/tokens/", "/mitglieder/{pk}/"],
)
def test_anonymous_visitors_are_sent_to_the_login_page(client, user, url):
    response = client.get(url.format(pk=user.pk))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_edit_form_is_prefilled_with_the_current_profile(member_client, user):
    user.expertise.set(["Klimaschutz"])

    html = member_client.get(EDIT_URL).content.decode()

    assert 'value="Anna Schmidt"' in html
    assert 'value="Klimaschutzmanagerin"' in html
    assert "Klimaschutz" in html


def test_editing_the_profile_saves_it_and_shows_a_german_confirmation(
    member_client, user
):
    new_organisation = OrganisationFactory(name="Landkreis Harburg", kind="kreis")

    response = member_client.post(
        EDIT_URL,
        profile_data(
            user,
            display_name="  Dr.  Anna   Schmidt ",
            organisation=new_organisation.pk,
            position="Leiterin Klimaschutz",
            bio="Ich arbeite seit 2019 am Hitzeaktionsplan.",
            expertise="Hitzeschutz, Klimaanpassung, hitzeschutz",
        ),
        follow=True,
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Ihr Profil wurde gespeichert." in html
    assert "Dr. Anna Schmidt" in html
    assert "Landkreis Harburg" in html
    assert "Leiterin Klimaschutz" in html
    assert "Hitzeaktionsplan" in html
    user.refresh_from_db()
    assert user.display_name == "Dr. Anna Schmidt"
    assert user.organisation == new_organisation
    assert sorted(t.name for t in user.expertise.all()) == [
        "Hitzeschutz",
        "Klimaanpassung",
    ]


def test_expertise_tags_can_be_cleared(member_client, user):
    user.expertise.set(["Klimaschutz"])

    member_client.post(EDIT_URL, profile_data(user, expertise=""))

    assert list(user.expertise.all()) == []


def test_more_than_ten_expertise_tags_show_a_german_error_and_save_nothing(
    member_client, user
):
    user.expertise.set(["Klimaschutz"])
    tags = ", ".join(f"Thema {n}" for n in range(11))

    response = member_client.post(
        EDIT_URL, profile_data(user, display_name="Neuer Name", expertise=tags)
    )

    assert response.status_code == 200
    assert "Höchstens 10 Fachgebiete sind möglich." in response.content.decode()
    user.refresh_from_db()
    assert user.display_name == "Anna Schmidt"
    assert [t.name for t in user.expertise.all()] == ["Klimaschutz"]


def test_an_expertise_tag_longer_than_fifty_characters_shows_a_german_error(
    member_client, user
):
    response = member_client.post(
        EDIT_URL,
        profile_data(user, position="Neue Funktion", expertise="E-Akte, " + "x" * 51),
    )

    assert response.status_code == 200
    assert "höchstens 50 Zeichen" in response.content.decode()
    user.refresh_from_db()
    assert user.position == "Klimaschutzmanagerin"
    assert list(user.expertise.all()) == []


def test_an_overlong_display_name_shows_a_german_error_and_saves_nothing(
    member_client, user
):
    response = member_client.post(
        EDIT_URL, profile_data(user, display_name="A" * 101, position="Neu")
    )

    assert response.status_code == 200
    assert "höchstens 100 Zeichen" in response.content.decode()
    user.refresh_from_db()
    assert user.display_name == "Anna Schmidt"
    assert user.position == "Klimaschutzmanagerin"


def test_an_empty_display_name_is_refused_in_german(member_client, user):
    response = member_client.post(EDIT_URL, profile_data(user, display_name=""))

    assert response.status_code == 200
    assert "muss ausgefüllt werden" in response.content.decode()
    user.refresh_from_db()
    assert user.display_name == "Anna Schmidt"


def test_the_page_header_keeps_the_saved_name_after_a_refused_edit(member_client, user):
    response = member_client.post(EDIT_URL, profile_data(user, display_name="A" * 101))

    header_link = f'<a class="kern-link" href="/mitglieder/{user.pk}/">Anna Schmidt</a>'
    assert header_link in response.content.decode()


def test_profile_can_be_changed_through_the_api(client, user, bearer):
    response = client.patch(
        "/api/v1/me",
        {
            "position": "Leiterin Klimaschutz",
            "expertise": ["Hitzeschutz", "Radverkehr"],
        },
        content_type="application/json",
        headers=bearer,
    )

    assert response.status_code == 200
    body = response.json()
    assert body["position"] == "Leiterin Klimaschutz"
    assert sorted(body["expertise"]) == ["Hitzeschutz", "Radverkehr"]
    assert body["display_name"] == "Anna Schmidt"


def test_api_profile_change_with_too_many_tags_is_a_german_400_and_saves_nothing(
    client, user, bearer
):
    response = client.patch(
        "/api/v1/me",
        {"position": "Neu", "expertise": [f"Thema {n}" for n in range(11)]},
        content_type="application/json",
        headers=bearer,
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    user.refresh_from_db()
    assert user.position == "Klimaschutzmanagerin"


def test_api_profile_change_with_an_overlong_tag_is_a_german_400_and_saves_nothing(
    client, user, bearer
):
    response = client.patch(
        "/api/v1/me",
        {"position": "Neu", "expertise": ["x" * 51]},
        content_type="application/json",
        headers=bearer,
    )

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert "höchstens 50 Zeichen" in body["detail"]
    user.refresh_from_db()
    assert user.position == "Klimaschutzmanagerin"
    assert list(user.expertise.all()) == []


def test_a_member_uploads_a_profile_picture_that_shows_on_the_profile(
    member_client, user, settings, tmp_path
):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), (200, 30, 30)).save(buffer, format="PNG")
    data = profile_data(user)
    data["avatar"] = SimpleUploadedFile("ich.png", buffer.getvalue(), "image/png")

    response = member_client.post(EDIT_URL, data, follow=True)

    user.refresh_from_db()
    assert user.avatar.name.startswith("avatars/")
    assert f'src="{user.avatar.url}"' in response.content.decode()
