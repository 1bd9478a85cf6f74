from django.db import migrations


def fill(apps, schema_editor):
    # One UPDATE … FROM (PostgreSQL, and SQLite from 3.33): a join, not a subquery per row, so a million
    # observations take seconds.
    schema_editor.execute(
        "UPDATE rights_observation SET hearing_date = rights_hearing.date FROM rights_hearing "
        "WHERE rights_hearing.id = rights_observation.hearing_id"
    )
    if schema_editor.connection.vendor == "postgresql":
        # Fresh statistics, or the planner reads the rewritten table by its old, stale figures.
        schema_editor.execute("ANALYZE rights_observation")


def empty(apps, schema_editor):
    apps.get_model("rights", "Observation").objects.update(hearing_date=None)


class Migration(migrations.Migration):
    dependencies = [("rights", "0016_add_observation_hearing_date")]

    operations = [migrations.RunPython(fill, empty)]
