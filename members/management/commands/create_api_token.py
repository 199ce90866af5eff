"""``manage.py create_api_token EMAIL``: prints a new personal access token once."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from members.models import User
from members.tokens import api_token_create


class Command(BaseCommand):
    help = "Erstellt ein persönliches API-Token und gibt es einmalig aus."

    def add_arguments(self, parser):
        parser.add_argument("email", help="E-Mail-Adresse des Kontos")
        parser.add_argument(
            "--name", default="Kommandozeile", help="Bezeichnung des Tokens"
        )

    def handle(self, *args, email, name, **options):
        user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
        if user is None:
            raise CommandError(f"Kein aktives Konto mit der E-Mail-Adresse {email}.")
        try:
            _token, plaintext = api_token_create(user=user, name=name)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(plaintext)
