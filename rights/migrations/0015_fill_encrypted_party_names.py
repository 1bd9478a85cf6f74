from django.db import migrations

from mission.encryption import decrypt_to_clear, encrypt_clear, migrate_columns

# The names in the records and in their history (which held every earlier name too).
COLUMNS = [("Party", "name"), ("HistoricalParty", "name")]


class Migration(migrations.Migration):
    """Encrypt the names stored in clear before 0014 with the first of FIELD_ENCRYPTION_KEYS; backwards,
    write them in clear again. Plain SQL through `mission.encryption.rewrite_column` (the models of this
    state would try to decrypt the clear text), on SQLite and PostgreSQL alike."""

    dependencies = [("rights", "0014_encrypt_party_names")]

    operations = [
        migrations.RunPython(
            migrate_columns("rights", COLUMNS, encrypt_clear),
            migrate_columns("rights", COLUMNS, decrypt_to_clear),
        )
    ]
