"""Platform staff use the Wagtail admin at /admin/; members do not."""

import pytest
from factories import UserFactory

pytestmark = pytest.mark.django_db


def test_staff_log_into_the_wagtail_admin_with_their_e_mail(client, password):
    staff = UserFactory(is_staff=True, is_superuser=True)

    response = client.post(
        "/admin/login/", {"username": staff.email, "password": password}, follow=True
    )

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/admin/"
    assert int(client.session["_auth_user_id"]) == staff.pk


def test_a_member_without_staff_rights_is_kept_out_of_the_admin(client, user):
    client.force_login(user)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_staff_manage_organisations_in_the_admin(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.get("/admin/snippets/members/organisation/")

    assert response.status_code == 200
    assert "Organisationen" in response.content.decode()
