from django.db import migrations, models

import mission.api.disclosure

MODELS = ("Journalist", "Participant")


def fill(apps, schema_editor):
    """Give every existing row its own random key (adding the column gave them all one value), in the
    database, as rights/migrations/0012_fill_record_keys.py does."""
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        draw = "('x' || substr(md5(gen_random_uuid()::text), 1, 8))::bit(32)::bigint"
    else:
        draw = "(random() & 4294967295)"  # the low 32 bits: [0, 2**32), as new_record_key draws
    for name in MODELS:
        table = connection.ops.quote_name(apps.get_model("democratization", name)._meta.db_table)
        schema_editor.execute(f"UPDATE {table} SET record_key = {draw}")  # noqa: S608 (our table names)


def _key() -> models.BigIntegerField:
    return models.BigIntegerField(
        default=mission.api.disclosure.new_record_key,
        editable=False,
        help_text="Random; used to perturb published counts. Never shown to partners.",
        verbose_name="record key",
    )


class Migration(migrations.Migration):
    dependencies = [("democratization", "0004_assessment_order")]

    operations = [
        migrations.AddField(model_name="journalist", name="record_key", field=_key()),
        migrations.AddField(model_name="participant", name="record_key", field=_key()),
        migrations.RunPython(fill, migrations.RunPython.noop),  # nothing to undo: going back drops the column
    ]
