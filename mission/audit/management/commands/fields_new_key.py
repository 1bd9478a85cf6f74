from typing import Any

from django.core.management.base import BaseCommand

from mission.encryption import new_key


class Command(BaseCommand):
    help = "Print a new random key for FIELD_ENCRYPTION_KEYS (put it first, then run fields_reencrypt)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(new_key())
