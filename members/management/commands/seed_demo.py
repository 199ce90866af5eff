"""``manage.py seed_demo``: German demo data for the embedded default.

Idempotent: running it again changes nothing. Later features add their own
demo content through ``members.demo.register_seeder``.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from members.demo import run_seeders


class Command(BaseCommand):
    help = "Legt deutsche Demo-Daten an (Organisationen, Personen, Demo-Logins)."

    def handle(self, *args, **options):
        if not getattr(settings, "KOMMUNECT_DEMO_LOGINS", False):
            raise CommandError(
                "Demo-Daten mit bekannten Passwörtern werden nur in der eingebetteten "
                "Standardkonfiguration angelegt, nie mit Produktionseinstellungen."
            )
        with transaction.atomic():
            for line in run_seeders():
                self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Demo-Daten sind bereit."))
