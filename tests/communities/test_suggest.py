"""Suggestions of the Markdown editor: members to @mention and tags of the
community's discussions, for people who may read the community only."""

import pytest
from django.urls import reverse
from factories import OrganisationFactory, UserFactory
from factories.communities import make_community, make_member
from factories.discussions import make_thread

from communities.views.suggest import mention_markdown

pytestmark = pytest.mark.django_db


def mention_url(community, q):
    return reverse("communities:mention_suggest", args=[community.slug]) + f"?q={q}"


def tag_url(community, q=""):
    return reverse("communities:tag_suggest", args=[community.slug]) + f"?q={q}"


@pytest.fixture
def klima():
    return make_community(title="Klimaschutz", slug="klimaschutz")


@pytest.fixture
def reader(klima):
    return make_member(klima, UserFactory(display_name="Rita Leserin")).user


def test_urls_are_german_paths(klima):
    assert mention_url(klima, "") == "/communities/klimaschutz/erwaehnen/?q="
    assert tag_url(klima) == "/communities/klimaschutz/diskussionen/schlagwoerter/?q="


# --- mentions -----------------------------------------------------------------


def test_mention_suggestions_list_active_members_with_their_markdown(
    client, klima, reader
):
    kreis = OrganisationFactory(name="Kreis Lippe")
    anna = make_member(
        klima, UserFactory(display_name="Anna Schmidt", organisation=kreis)
    ).user
    make_member(klima, UserFactory(display_name="Bernd Becker"))
    client.force_login(reader)

    response = client.get(mention_url(klima, "anna"))

    assert response.status_code == 200
    assert response.json() == {
        "results": [
            {
                "id": anna.pk,
                "display_name": "Anna Schmidt",
                "organisation": "Kreis Lippe",
                "markdown": f"[@Anna Schmidt](/mitglieder/{anna.pk}/)",
            }
        ]
    }


def test_names_starting_with_the_query_come_before_names_containing_it(
    client, klima, reader
):
    for name in ("Hannah Anders", "Annika Berg", "Susanne Anderl", "Anton Meier"):
        make_member(klima, UserFactory(display_name=name))
    client.force_login(reader)

    names = [
        r["display_name"]
        for r in client.get(mention_url(klima, "AN")).json()["results"]
    ]

    assert names[:2] == ["Annika Berg", "Anton Meier"]
    assert set(names[2:]) == {"Hannah Anders", "Susanne Anderl"}


def test_people_who_are_not_active_members_are_not_suggested(client, klima, reader):
    other = make_community()
    make_member(other, UserFactory(display_name="Karla Anderswo"))
    make_member(klima, UserFactory(display_name="Karla Anfrage"), state="pending")
    make_member(
        klima, UserFactory(display_name="Karla Gesperrt"), state="banned", reason="x"
    )
    make_member(klima, UserFactory(display_name="Karla Inaktiv", is_active=False))
    make_member(klima, UserFactory(display_name="Karla Aktiv"))
    client.force_login(reader)

    results = client.get(mention_url(klima, "karla")).json()["results"]

    assert [r["display_name"] for r in results] == ["Karla Aktiv"]


def test_at_most_eight_members_are_suggested(client, klima, reader):
    for number in range(12):
        make_member(klima, UserFactory(display_name=f"Mara Muster {number:02d}"))
    client.force_login(reader)

    results = client.get(mention_url(klima, "mara")).json()["results"]

    assert len(results) == 8


def test_an_empty_query_suggests_nobody(client, klima, reader):
    client.force_login(reader)

    assert client.get(mention_url(klima, "")).json() == {"results": []}


def test_brackets_and_markdown_characters_in_names_are_escaped(client, klima, reader):
    person = make_member(
        klima, UserFactory(display_name="Kim [Kämmerei] *Stab*_IT")
    ).user
    client.force_login(reader)

    result = client.get(mention_url(klima, "kim")).json()["results"][0]

    assert result["display_name"] == "Kim [Kämmerei] *Stab*_IT"
    assert result["markdown"] == (
        rf"[@Kim \[Kämmerei\] \*Stab\*\_IT](/mitglieder/{person.pk}/)"
    )


def test_an_escaped_mention_renders_as_one_link_with_the_plain_name():
    from kommunect.markdown import render_markdown

    html = render_markdown(mention_markdown("Kim [Kämmerei] *Stab*", "/mitglieder/7/"))

    assert '<a href="/mitglieder/7/"' in html
    assert ">@Kim [Kämmerei] *Stab*</a>" in html


def test_mentions_are_suggested_in_a_public_community_to_signed_in_readers(
    client, klima
):
    make_member(klima, UserFactory(display_name="Olaf Offen"))
    client.force_login(UserFactory())

    response = client.get(mention_url(klima, "olaf"))

    assert response.status_code == 200
    assert len(response.json()["results"]) == 1


def test_the_mention_lookup_takes_few_queries(
    client, klima, reader, django_assert_max_num_queries
):
    for number in range(8):
        make_member(klima, UserFactory(display_name=f"Pia Probe {number}"))
    client.force_login(reader)
    client.get(mention_url(klima, "pia"))  # session and user loaded once

    # session, user, community, the reader's memberships, the suggestions
    with django_assert_max_num_queries(5):
        response = client.get(mention_url(klima, "pia"))

    assert len(response.json()["results"]) == 8


# --- tags ---------------------------------------------------------------------


def test_tag_suggestions_are_the_communitys_tags_most_used_first(client, klima, reader):
    make_thread(klima, tags=["Hitzeschutz", "Förderung"])
    make_thread(klima, tags=["Hitzeschutz", "Hitzeaktionsplan"])
    make_thread(klima, tags=["Hitzeschutz", "Hitzeaktionsplan"])
    make_thread(make_community(), tags=["Hitzewelle", "Hitzeaktionsplan"])
    client.force_login(reader)

    response = client.get(tag_url(klima, "hitze"))

    assert response.status_code == 200
    assert response.json() == {
        "results": [
            {"name": "Hitzeschutz", "count": 3},
            {"name": "Hitzeaktionsplan", "count": 2},
        ]
    }


def test_tags_match_anywhere_in_the_name(client, klima, reader):
    make_thread(klima, tags=["Kommunale Wärmeplanung", "Förderung"])
    client.force_login(reader)

    results = client.get(tag_url(klima, "WÄRME")).json()["results"]

    # SQLite folds only ASCII letters; PostgreSQL folds "Ä" as well.
    assert results in ([{"name": "Kommunale Wärmeplanung", "count": 1}], [])
    assert client.get(tag_url(klima, "planung")).json()["results"] == [
        {"name": "Kommunale Wärmeplanung", "count": 1}
    ]


def test_without_a_query_the_most_used_tags_are_suggested_at_most_ten(
    client, klima, reader
):
    make_thread(klima, tags=[f"Thema {n:02d}" for n in range(12)])
    make_thread(klima, tags=["Thema 11"])
    client.force_login(reader)

    results = client.get(tag_url(klima)).json()["results"]

    assert len(results) == 10
    assert results[0] == {"name": "Thema 11", "count": 2}


# --- who may ask --------------------------------------------------------------


@pytest.fixture
def vertraulich():
    community = make_community(
        title="Vergabe vertraulich", slug="vergabe-vertraulich", visibility="private"
    )
    make_member(community, UserFactory(display_name="Geheim Person"))
    make_thread(community, tags=["Vergabe"])
    return community


@pytest.mark.parametrize(("url", "q"), [(mention_url, "geheim"), (tag_url, "ver")])
def test_a_private_community_does_not_exist_for_outsiders(client, vertraulich, url, q):
    client.force_login(UserFactory())

    response = client.get(url(vertraulich, q))

    assert response.status_code == 404
    assert response.json() == {"detail": "Nicht gefunden.", "code": "not_found"}


def test_an_unknown_community_answers_the_same_404(client, user):
    client.force_login(user)

    response = client.get("/communities/gibt-es-nicht/erwaehnen/?q=ge")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_members_of_a_private_community_get_its_suggestions(client, vertraulich):
    client.force_login(make_member(vertraulich).user)

    mentions = client.get(mention_url(vertraulich, "geheim")).json()["results"]
    tags = client.get(tag_url(vertraulich, "ver")).json()["results"]

    assert [m["display_name"] for m in mentions] == ["Geheim Person"]
    assert tags == [{"name": "Vergabe", "count": 1}]


def test_pending_and_banned_people_get_no_suggestions_of_a_private_community(
    client, vertraulich
):
    pending = make_member(vertraulich, state="pending", message="Bitte").user
    banned = make_member(vertraulich, state="banned", reason="Beleidigend").user

    for person in (pending, banned):
        client.force_login(person)
        assert client.get(mention_url(vertraulich, "geheim")).status_code == 404
        assert client.get(tag_url(vertraulich, "ver")).status_code == 404


@pytest.mark.parametrize("url", [mention_url, tag_url])
def test_anonymous_visitors_get_a_german_json_401(client, klima, url):
    response = client.get(url(klima, "a"))

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
