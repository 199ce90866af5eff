"""``manage.py seed_demo``: German demo data, idempotent, with the three
documented demo logins."""

from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command
from django.test import Client

from members.models import Organisation, OrganisationDomain, User

pytestmark = pytest.mark.django_db

DEMO_LOGINS = [
    "admin@kommunect.example",
    "moderatorin@kommunect.example",
    "mitglied@kommunect.example",
]
DEMO_PASSWORD = "kommunect-demo"


def seed():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts():
    return (
        Organisation.objects.count(),
        OrganisationDomain.objects.count(),
        User.objects.count(),
        EmailAddress.objects.count(),
        User.expertise.through.objects.count(),
    )


def test_seed_demo_creates_about_twenty_organisations_and_thirty_people():
    seed()

    assert 18 <= Organisation.objects.count() <= 25
    assert 28 <= User.objects.count() <= 35
    assert Organisation.objects.exclude(ags="").count() >= 15
    assert Organisation.objects.values("bundesland").distinct().count() >= 5


def test_seed_demo_is_idempotent():
    seed()
    first = counts()

    seed()

    assert counts() == first


def test_seed_demo_data_is_german_and_valid():
    seed()

    for organisation in Organisation.objects.all():
        organisation.full_clean()
    for domain in OrganisationDomain.objects.all():
        domain.full_clean()
    assert Organisation.objects.filter(name__startswith="Stadt").exists()
    assert Organisation.objects.filter(kind="kreis").exists()
    assert Organisation.objects.filter(kind="gemeinde").exists()
    assert all(u.display_name and u.organisation_id for u in User.objects.all())


def test_the_three_documented_demo_logins_work_with_the_demo_password():
    seed()

    for email in DEMO_LOGINS:
        client = Client()
        response = client.post(
            "/accounts/login/", {"login": email, "password": DEMO_PASSWORD}, follow=True
        )
        assert response.wsgi_request.user.is_authenticated, email
        assert response.wsgi_request.user.email == email


def test_only_the_demo_admin_is_staff():
    seed()

    assert list(User.objects.filter(is_staff=True).values_list("email", flat=True)) == [
        "admin@kommunect.example"
    ]


def test_seed_demo_keeps_a_changed_demo_password():
    # Running it again must not reset what people did with the demo accounts.
    seed()
    member = User.objects.get(email="mitglied@kommunect.example")
    member.set_password("ein-eigenes-passwort-1")
    member.save()

    seed()

    member.refresh_from_db()
    assert member.check_password("ein-eigenes-passwort-1")


def test_seed_demo_refuses_to_run_with_production_settings(settings):
    settings.KOMMUNECT_DEMO_LOGINS = False

    with pytest.raises(CommandError, match="nie mit Produktionseinstellungen"):
        seed()

    assert not User.objects.exists()
