from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS case_latest_idx ON rights_case (last_hearing_date DESC NULLS LAST, id DESC)"
)
DROP = "DROP INDEX IF EXISTS case_latest_idx"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("rights", "0003_fill_case_last_hearing")]

    operations = [migrations.RunPython(create, drop)]
