"""Organisations: AGS validation, e-mail domains and the suggestion at sign-up."""

import pytest
from django.core.exceptions import ValidationError
from factories import OrganisationDomainFactory, OrganisationFactory, UserFactory

from members.models import Organisation, OrganisationDomain, User

pytestmark = pytest.mark.django_db

SUGGEST_URL = "/konto/organisation-vorschlag/"
ADMIN_ADD_URL = "/admin/snippets/members/organisation/add/"
PASSWORD = "ein-langes-passwort-2025"


@pytest.fixture
def freiburg(db):
    organisation = OrganisationFactory(
        name="Stadt Freiburg im Breisgau", bundesland="BW"
    )
    OrganisationDomainFactory(organisation=organisation, domain="freiburg.de")
    return organisation


@pytest.fixture
def freiburg_umwelt(db):
    """A more specific domain below freiburg.de, of another organisation."""
    organisation = OrganisationFactory(name="Umweltschutzamt Freiburg", kind="sonstige")
    OrganisationDomainFactory(organisation=organisation, domain="umwelt.freiburg.de")
    return organisation


def signup(client, email, organisation=""):
    return client.post(
        "/accounts/signup/",
        {
            "email": email,
            "password1": PASSWORD,
            "password2": PASSWORD,
            "display_name": "Felix Zimmermann",
            "organisation": organisation,
            "position": "",
        },
    )


# --- suggestion by e-mail domain ------------------------------------------


def test_suggestion_names_the_organisation_of_the_email_domain(client, freiburg):
    response = client.get(SUGGEST_URL, {"email": "f.zimmermann@freiburg.de"})

    assert response.status_code == 200
    assert response.json() == {
        "organisation": {"id": freiburg.pk, "name": "Stadt Freiburg im Breisgau"}
    }


def test_suggestion_matches_subdomains_of_a_registered_domain(client, freiburg):
    response = client.get(
        SUGGEST_URL, {"email": "f.zimmermann@stadtplanung.freiburg.de"}
    )

    assert response.json()["organisation"]["id"] == freiburg.pk


def test_suggestion_prefers_the_most_specific_domain(client, freiburg, freiburg_umwelt):
    response = client.get(SUGGEST_URL, {"email": "a.b@labor.umwelt.freiburg.de"})

    assert response.json()["organisation"]["id"] == freiburg_umwelt.pk


def test_suggestion_ignores_the_case_of_the_address(client, freiburg):
    response = client.get(SUGGEST_URL, {"email": "  F.Zimmermann@FREIBURG.DE "})

    assert response.json()["organisation"]["id"] == freiburg.pk


@pytest.mark.parametrize(
    "email",
    [
        "jemand@gmail.com",
        "kein-at-zeichen",
        "",
        "x@de",
        "x@notfreiburg.de",
        "x@freiburg.de.evil.example",
    ],
)
def test_suggestion_is_empty_for_unknown_or_malformed_addresses(
    client, freiburg, email
):
    response = client.get(SUGGEST_URL, {"email": email})

    assert response.status_code == 200
    assert response.json() == {"organisation": None}


def test_suggestion_only_answers_get(client, freiburg):
    response = client.post(SUGGEST_URL, {"email": "f.zimmermann@freiburg.de"})

    assert response.status_code == 405


def test_signup_without_organisation_gets_the_one_of_the_email_domain(client, freiburg):
    signup(client, "f.zimmermann@freiburg.de")

    assert User.objects.get().organisation == freiburg


def test_signup_from_a_subdomain_gets_the_organisation_of_the_parent_domain(
    client, freiburg
):
    signup(client, "f.zimmermann@amt-37.freiburg.de")

    assert User.objects.get().organisation == freiburg


def test_signup_keeps_an_explicitly_chosen_organisation(client, freiburg):
    other = OrganisationFactory(name="Dataport AöR", kind="unternehmen")

    signup(client, "f.zimmermann@freiburg.de", organisation=other.pk)

    assert User.objects.get().organisation == other


def test_signup_from_an_unknown_domain_leaves_the_organisation_empty(client, freiburg):
    signup(client, "f.zimmermann@example.org")

    assert User.objects.get().organisation is None


def test_signup_with_a_nonexistent_organisation_shows_a_german_error(client, freiburg):
    response = signup(client, "f.zimmermann@freiburg.de", organisation="999999")

    assert response.status_code == 200
    assert "gültige Auswahl" in response.content.decode()
    assert not User.objects.exists()


# --- AGS and domains --------------------------------------------------------


@pytest.mark.parametrize(
    "ags", ["0531500", "053150001", "05A15000", "ABCDEFGH", "0531 500"]
)
def test_an_invalid_ags_is_refused_with_a_german_message(ags):
    organisation = Organisation(name="Stadt Köln", kind="stadt", ags=ags)

    with pytest.raises(ValidationError) as excinfo:
        organisation.full_clean()

    assert (
        "Der Amtliche Gemeindeschlüssel (AGS) besteht aus genau 8 Ziffern."
        in excinfo.value.message_dict["ags"]
    )


def test_a_valid_ags_and_an_empty_ags_are_accepted():
    Organisation(name="Stadt Köln", kind="stadt", ags="05315000").full_clean()
    Organisation(name="KGSt", kind="verband", ags="").full_clean()


def test_two_organisations_cannot_share_an_ags():
    OrganisationFactory(name="Stadt Köln", ags="05315000")
    duplicate = Organisation(name="Köln (doppelt)", kind="stadt", ags="05315000")

    with pytest.raises(ValidationError) as excinfo:
        duplicate.full_clean()

    assert "Eine Organisation mit diesem AGS gibt es bereits." in str(excinfo.value)


def test_many_organisations_may_have_no_ags():
    OrganisationFactory(name="KGSt", kind="verband", ags="")
    second = Organisation(name="Dataport AöR", kind="unternehmen", ags="")

    second.full_clean()
    second.save()

    assert Organisation.objects.filter(ags="").count() == 2


def test_email_domains_are_stored_in_lower_case():
    domain = OrganisationDomainFactory(domain="  Stadt-Koeln.DE ")

    domain.refresh_from_db()
    assert domain.domain == "stadt-koeln.de"


@pytest.mark.parametrize(
    "domain", ["koeln", "http://koeln.de", "kö ln.de", "@koeln.de"]
)
def test_an_invalid_email_domain_is_refused_in_german(domain):
    organisation = OrganisationFactory()

    with pytest.raises(ValidationError) as excinfo:
        OrganisationDomain(organisation=organisation, domain=domain).full_clean()

    assert "gültige Domain" in str(excinfo.value)


# --- managing organisations in the Wagtail admin -------------------------------


@pytest.fixture
def staff_client(client, db):
    admin = UserFactory(
        is_staff=True, is_superuser=True, display_name="Redaktion", organisation=None
    )
    client.force_login(admin)
    return client


def admin_form(**overrides):
    data = {
        "name": "Stadt Ludwigsburg",
        "kind": "stadt",
        "bundesland": "BW",
        "ags": "08118048",
        "domains-TOTAL_FORMS": "1",
        "domains-INITIAL_FORMS": "0",
        "domains-MIN_NUM_FORMS": "0",
        "domains-MAX_NUM_FORMS": "1000",
        "domains-0-domain": "ludwigsburg.de",
        "domains-0-id": "",
        "domains-0-ORDER": "1",
        "domains-0-DELETE": "",
    }
    data.update(overrides)
    return data


def test_staff_create_an_organisation_with_a_domain_in_the_admin(staff_client):
    response = staff_client.post(ADMIN_ADD_URL, admin_form())

    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Stadt Ludwigsburg")
    assert organisation.ags == "08118048"
    assert [d.domain for d in organisation.domains.all()] == ["ludwigsburg.de"]


@pytest.mark.parametrize("ags", ["0811804", "08A18048"])
def test_admin_shows_a_german_error_for_an_invalid_ags_and_saves_nothing(
    staff_client, ags
):
    response = staff_client.post(ADMIN_ADD_URL, admin_form(ags=ags))

    assert response.status_code == 200
    assert "besteht aus genau 8 Ziffern" in response.content.decode()
    assert not Organisation.objects.exists()
    assert not OrganisationDomain.objects.exists()


def test_admin_shows_a_german_error_for_a_duplicate_ags(staff_client):
    OrganisationFactory(name="Stadt Ludwigsburg (alt)", ags="08118048")

    response = staff_client.post(ADMIN_ADD_URL, admin_form())

    assert response.status_code == 200
    assert (
        "Eine Organisation mit diesem AGS gibt es bereits." in response.content.decode()
    )
    assert Organisation.objects.count() == 1


def test_members_cannot_reach_the_organisation_admin(member_client):
    response = member_client.get(ADMIN_ADD_URL)

    assert response.status_code in (302, 403)
    assert not Organisation.objects.filter(name="Stadt Ludwigsburg").exists()
