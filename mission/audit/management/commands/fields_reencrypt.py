from typing import Any

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from mission.encryption import encrypted_columns, keyring, reencrypt, rewrite_column
from mission.sql import column_of


class Command(BaseCommand):
    help = (
        "Encrypt every encrypted field (history tables included) with the first of FIELD_ENCRYPTION_KEYS. "
        "Run it after putting a new key first; then the old keys may leave the list."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        keyring()  # no keys: stop here, before any table
        for model, field in encrypted_columns():
            table, pk = model._meta.db_table, column_of(model, model._meta.pk.name)
            with transaction.atomic():
                changed = rewrite_column(connection, table, pk, column_of(model, field.name), reencrypt)
            self.stdout.write(f"{model._meta.label}.{field.name}: {changed} re-encrypted")
