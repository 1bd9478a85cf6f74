from django.db import migrations

MODELS = ("Hearing", "Party", "StandardRating")


def fill(apps, schema_editor):
    """Give every existing record its own random key (adding the column gave them all one value).
    In the database, so that a million rows do not pass through Python: PostgreSQL draws from
    gen_random_uuid() (a cryptographic source), SQLite from its random(), seeded by the system."""
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        draw = "('x' || substr(md5(gen_random_uuid()::text), 1, 8))::bit(32)::bigint"
    else:
        draw = "(random() & 4294967295)"  # the low 32 bits: [0, 2**32), as new_record_key draws
    for name in MODELS:
        table = connection.ops.quote_name(apps.get_model("rights", name)._meta.db_table)
        schema_editor.execute(f"UPDATE {table} SET record_key = {draw}")  # noqa: S608 (our table names)


class Migration(migrations.Migration):
    dependencies = [("rights", "0011_add_record_keys")]

    # Nothing to undo: going back removes the column.
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
