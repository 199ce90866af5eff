"""Input that once reached the database unchecked: huge ids and NUL bytes.
Each gets a normal answer or a German 400, never a 500."""

import pytest
from factories.communities import make_community, make_member

from kommunect.markdown import render_markdown

pytestmark = pytest.mark.django_db

HUGE = "9" * 40


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/members?organisation={HUGE}",
        f"/api/v1/communities/huge/members?organisation={HUGE}",
        f"/mitglieder/?organisation={HUGE}",
        f"/communities/huge/mitglieder/?organisation={HUGE}",
    ],
)
def test_an_id_too_large_for_the_database_is_a_normal_answer(client, user, url):
    community = make_community(slug="huge")
    make_member(community, user=user)
    client.force_login(user)

    response = client.get(url)

    assert response.status_code in (200, 400)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/members?q=%00",
        "/api/v1/communities?tag=a%00b",
        "/communities/?tag=%00",
        "/mitglieder/?q=%00",
    ],
)
def test_a_nul_byte_in_the_query_is_a_german_400(client, user, url):
    client.force_login(user)

    response = client.get(url)

    assert response.status_code == 400
    text = response.content.decode()
    assert (
        "Ungültige Anfrage" in text
        or "Die Anfrage konnte nicht verarbeitet werden" in text
    )


def test_a_nul_byte_in_a_json_body_is_a_german_400_and_changes_nothing(
    client, user, bearer
):
    response = client.patch(
        "/api/v1/me",
        '{"position": "Amt\\u0000leitung"}',
        content_type="application/json",
        headers=bearer,
    )

    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"
    user.refresh_from_db()
    assert "\x00" not in user.position


def test_a_nul_byte_in_a_form_is_a_german_400(client, user):
    client.force_login(user)

    response = client.post("/profil/tokens/", {"name": "Skript\x00"})

    assert response.status_code == 400
    assert "Ungültige Anfrage" in response.content.decode()


def test_markdown_keeps_images_of_this_site_and_drops_external_ones():
    html = render_markdown(
        "![Plan](/media/plan.png) ![Pixel](https://tracker.example/p.gif) "
        "![Auch](//tracker.example/p.gif)"
    )

    assert '<img src="/media/plan.png" alt="Plan">' in html
    assert "tracker.example" not in html
