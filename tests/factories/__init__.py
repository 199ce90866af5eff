"""Central factory_boy factories for the tests (imported as ``factories``)."""

import factory
import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from factory.django import DjangoModelFactory, Password

from members.models import Organisation, OrganisationDomain

# The helpers that assert report the values compared, as in a test module.
pytest.register_assert_rewrite(
    "factories.roles", "factories.websocket", "factories.xss"
)

DEFAULT_PASSWORD = "sicheres-passwort-2025"


class OrganisationFactory(DjangoModelFactory):
    """A municipality with a unique name and a valid, unique AGS."""

    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Stadt Musterhausen {n}")
    kind = Organisation.Kind.STADT
    bundesland = Organisation.Bundesland.NW
    ags = factory.Sequence(lambda n: f"{5_000_000 + n:08d}")


class OrganisationDomainFactory(DjangoModelFactory):
    """An e-mail domain that suggests its organisation at sign-up."""

    class Meta:
        model = OrganisationDomain

    organisation = factory.SubFactory(OrganisationFactory)
    domain = factory.Sequence(lambda n: f"stadt-musterhausen-{n}.de")


class UserFactory(DjangoModelFactory):
    """A member who can log in: password set, primary e-mail address verified.

    ``UserFactory(expertise=["E-Akte", "Vergaberecht"])`` sets expertise tags;
    ``UserFactory(email_verified=False)`` leaves the address unconfirmed.
    """

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@stadt-musterhausen.de")
    display_name = factory.Sequence(lambda n: f"Erika Mustermann {n}")
    organisation = factory.SubFactory(OrganisationFactory)
    position = "Sachgebietsleitung IT"
    password = Password(DEFAULT_PASSWORD)

    @factory.post_generation
    def email_verified(self, create, extracted, **kwargs):
        if not create:
            return
        EmailAddress.objects.create(
            user=self,
            email=self.email,
            primary=True,
            verified=True if extracted is None else bool(extracted),
        )

    @factory.post_generation
    def expertise(self, create, extracted, **kwargs):
        if create and extracted:
            self.expertise.set(list(extracted))


def client_for(user=None):
    """A test client signed in as ``user`` (anonymous for None)."""
    from django.test import Client

    client = Client()
    if user is not None:
        client.force_login(user)
    return client
