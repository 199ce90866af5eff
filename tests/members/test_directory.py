"""The member directory: search by name, organisation and expertise; paginated."""

import re

import pytest
from factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

DIRECTORY_URL = "/mitglieder/"


def listed_names(response):
    """The display names on the member cards of a directory page."""
    return re.findall(
        r'<a class="kern-link kern-link--stretched" href="/mitglieder/\d+/">([^<]+)</a>',
        response.content.decode(),
    )


@pytest.fixture
def colleagues(db):
    koeln = OrganisationFactory(name="Stadt Köln")
    harburg = OrganisationFactory(name="Landkreis Harburg", kind="kreis")
    return {
        "miriam": UserFactory(
            display_name="Miriam Vogt",
            organisation=koeln,
            position="Klimaschutzmanagerin",
            expertise=["Hitzeschutz", "Klimaschutz"],
        ),
        "oliver": UserFactory(
            display_name="Oliver Frank",
            organisation=koeln,
            position="Amt für Umwelt",
            expertise=["Starkregen"],
        ),
        "daniel": UserFactory(
            display_name="Daniel Schröder",
            organisation=harburg,
            position="Digitalisierungsbeauftragter",
            expertise=["E-Akte", "OZG"],
        ),
    }


def test_directory_lists_active_members_in_german(client, colleagues):
    UserFactory(display_name="Ausgeschieden", is_active=False)
    client.force_login(colleagues["miriam"])

    response = client.get(DIRECTORY_URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Mitgliederverzeichnis" in html
    assert "3 Mitglieder gefunden" in html
    assert listed_names(response) == ["Daniel Schröder", "Miriam Vogt", "Oliver Frank"]


def test_directory_requires_login(client, colleagues):
    response = client.get(DIRECTORY_URL + "?q=Vogt")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_directory_finds_members_by_part_of_their_name(client, colleagues):
    client.force_login(colleagues["miriam"])

    response = client.get(DIRECTORY_URL, {"q": "schrö"})

    assert listed_names(response) == ["Daniel Schröder"]
    assert "1 Mitglied gefunden" in response.content.decode()


def test_directory_search_words_narrow_the_result(client, colleagues):
    client.force_login(colleagues["miriam"])

    response = client.get(DIRECTORY_URL, {"q": "Köln Umwelt"})

    assert listed_names(response) == ["Oliver Frank"]


def test_directory_free_text_finds_expertise_without_duplicates(client, colleagues):
    client.force_login(colleagues["oliver"])

    response = client.get(DIRECTORY_URL, {"q": "schutz"})

    assert listed_names(response) == ["Miriam Vogt"]


def test_directory_filters_by_organisation(client, colleagues):
    client.force_login(colleagues["miriam"])
    koeln = colleagues["miriam"].organisation

    response = client.get(DIRECTORY_URL, {"organisation": koeln.pk})

    assert listed_names(response) == ["Miriam Vogt", "Oliver Frank"]


def test_directory_filters_by_expertise_tag_name_or_slug(client, colleagues):
    client.force_login(colleagues["miriam"])

    by_name = client.get(DIRECTORY_URL, {"tag": "e-akte"})
    by_slug = client.get(DIRECTORY_URL, {"tag": "hitzeschutz"})

    assert listed_names(by_name) == ["Daniel Schröder"]
    assert listed_names(by_slug) == ["Miriam Vogt"]


def test_expertise_links_on_a_profile_lead_to_the_filtered_directory(
    client, colleagues
):
    client.force_login(colleagues["oliver"])
    profile = client.get(f"/mitglieder/{colleagues['daniel'].pk}/").content.decode()
    link = re.search(r'href="(/mitglieder/\?tag=[^"]+)">OZG<', profile).group(1)

    response = client.get(link.replace("&amp;", "&"))

    assert listed_names(response) == ["Daniel Schröder"]


def test_directory_shows_a_german_hint_when_nobody_matches(client, colleagues):
    client.force_login(colleagues["miriam"])

    response = client.get(DIRECTORY_URL, {"q": "Niemand Sonst"})

    html = response.content.decode()
    assert listed_names(response) == []
    assert "0 Mitglieder gefunden" in html
    assert "Niemand passt zu diesen Filtern" in html


def test_directory_with_an_unknown_organisation_shows_a_german_error(
    client, colleagues
):
    client.force_login(colleagues["miriam"])

    response = client.get(DIRECTORY_URL, {"organisation": "999999"})

    assert response.status_code == 200
    assert "gültige Auswahl" in response.content.decode()


def test_directory_is_paginated_with_24_members_per_page(client, db):
    members = [UserFactory(display_name=f"Person {n:02d}") for n in range(30)]
    client.force_login(members[0])

    first = client.get(DIRECTORY_URL)
    second = client.get(DIRECTORY_URL, {"page": 2})
    beyond = client.get(DIRECTORY_URL, {"page": 99})

    assert len(listed_names(first)) == 24
    assert listed_names(first)[0] == "Person 00"
    assert "Seite 1 von 2" in first.content.decode()
    assert "Nächste Seite" in first.content.decode()
    assert listed_names(second) == [f"Person {n:02d}" for n in range(24, 30)]
    assert "Seite 2 von 2" in second.content.decode()
    assert "Vorherige Seite" in second.content.decode()
    assert listed_names(beyond) == listed_names(second)


def test_pagination_links_keep_the_search(client, db):
    members = [
        UserFactory(display_name=f"Person {n:02d}", expertise=["OZG"])
        for n in range(26)
    ]
    UserFactory(display_name="Person ohne OZG")
    client.force_login(members[0])

    html = client.get(DIRECTORY_URL, {"tag": "OZG"}).content.decode()

    assert "26 Mitglieder gefunden" in html
    assert 'href="?organisation=&amp;tag=OZG&amp;page=2"' in html or (
        "tag=OZG&amp;page=2" in html
    )


def test_directory_page_needs_a_fixed_number_of_queries(
    client, db, django_assert_max_num_queries
):
    organisations = [OrganisationFactory() for _ in range(5)]
    members = [
        UserFactory(
            organisation=organisations[n % 5],
            expertise=[f"Thema {n % 7}", f"Thema {n % 3 + 10}"],
        )
        for n in range(30)
    ]
    client.force_login(members[0])

    with django_assert_max_num_queries(8):
        response = client.get(DIRECTORY_URL, {"q": "Erika"})

    assert len(listed_names(response)) == 24


def test_member_list_api_searches_and_paginates(client, colleagues, bearer):
    response = client.get(
        "/api/v1/members", {"q": "Köln", "page_size": 1, "page": 2}, headers=bearer
    )

    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 2
    assert body["pages"] == 2
    assert body["page"] == 2
    assert [m["display_name"] for m in body["items"]] == ["Oliver Frank"]
    assert body["items"][0]["organisation"]["name"] == "Stadt Köln"
    assert body["items"][0]["expertise"] == ["Starkregen"]


def test_member_list_api_filters_by_organisation_and_tag(client, colleagues, bearer):
    koeln = colleagues["miriam"].organisation

    by_id = client.get("/api/v1/members", {"organisation": koeln.pk}, headers=bearer)
    by_name = client.get(
        "/api/v1/members", {"organisation": "landkreis harburg"}, headers=bearer
    )
    by_tag = client.get("/api/v1/members", {"tag": "OZG"}, headers=bearer)

    assert [m["display_name"] for m in by_id.json()["items"]] == [
        "Miriam Vogt",
        "Oliver Frank",
    ]
    assert [m["display_name"] for m in by_name.json()["items"]] == ["Daniel Schröder"]
    assert [m["display_name"] for m in by_tag.json()["items"]] == ["Daniel Schröder"]


def test_member_list_api_does_not_show_email_addresses(client, colleagues, bearer):
    body = client.get("/api/v1/members", headers=bearer).json()

    assert all("email" not in member for member in body["items"])
    assert "@" not in repr(body)


def test_member_list_api_needs_a_fixed_number_of_queries(
    client, db, user, bearer, django_assert_max_num_queries
):
    for n in range(30):
        UserFactory(expertise=[f"Thema {n % 7}", "OZG"])

    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/members", {"page_size": 100}, headers=bearer)

    assert response.json()["count"] == 31


def test_member_list_api_requires_authentication(client, colleagues):
    response = client.get("/api/v1/members")

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_organisation_list_api_searches_by_name(client, colleagues, bearer):
    response = client.get("/api/v1/organisations", {"q": "harb"}, headers=bearer)

    body = response.json()
    assert body["count"] == 1
    assert body["items"][0]["name"] == "Landkreis Harburg"
    assert body["items"][0]["kind_display"] == "Kreis"


def test_names_with_markup_are_shown_as_text_not_html(client, db):
    sneaky = UserFactory(
        display_name='<script>alert("x")</script>Eve',
        position="<b>Chefin</b>",
        expertise=["<img src=x onerror=alert(1)>"],
    )
    client.force_login(sneaky)

    for url in (DIRECTORY_URL, f"/mitglieder/{sneaky.pk}/"):
        html = client.get(url).content.decode()
        assert '<script>alert("x")</script>' not in html
        assert "&lt;script&gt;" in html
        assert "<b>Chefin</b>" not in html
        assert "<img src=x" not in html
