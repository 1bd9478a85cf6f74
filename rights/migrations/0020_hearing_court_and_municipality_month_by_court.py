"""The case's court on each hearing (kept equal by the services), with an index on (court, date), so
that an incremental summary refresh reads one court's month and nothing else; and the court on the
municipality summary, so that it too is rebuilt by court.

Hearings get their court with one UPDATE … FROM (a correlated subquery on SQLite). The municipality
summary rows have no court to give: they are deleted, and the summary's refresh record with them, so
the next refresh (Celery beat within a minute, or the next dashboard read in process) rebuilds the
summary whole, as for a summary never built.

(Branch kit/summaries; the lead renumbers it against the other branches' rights migrations.)
"""

import django.db.models.deletion
from django.db import migrations, models


def fill_hearing_courts(apps, schema_editor):
    hearing = schema_editor.quote_name(apps.get_model("rights", "Hearing")._meta.db_table)
    case = schema_editor.quote_name(apps.get_model("rights", "Case")._meta.db_table)
    if schema_editor.connection.vendor == "postgresql":
        # Check the new foreign key row by row now, not at commit: the ALTER TABLE that follows refuses
        # to run with a million deferred checks pending.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        sql = f"UPDATE {hearing} AS h SET court_id = c.court_id FROM {case} AS c WHERE c.id = h.case_id"
    else:
        sql = f"UPDATE {hearing} SET court_id = (SELECT c.court_id FROM {case} AS c WHERE c.id = {hearing}.case_id)"
    schema_editor.execute(sql)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")


def forget_municipality_rows(apps, schema_editor):
    apps.get_model("rights", "MunicipalityMonth").objects.all().delete()
    apps.get_model("dashboards", "SummaryRefresh").objects.filter(name="trial_monitoring").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("rights", "0019_add_created_list_indexes"),
        ("dashboards", "0002_incremental_refresh"),
    ]

    operations = [
        migrations.AddField(
            model_name="hearing",
            name="court",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="rights.court",
                verbose_name="court",
            ),
        ),
        migrations.RunPython(fill_hearing_courts, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="hearing",
            name="court",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="rights.court",
                verbose_name="court",
            ),
        ),
        migrations.AddIndex(
            model_name="hearing",
            index=models.Index(fields=["court", "date"], name="hearing_court_date_idx"),
        ),
        migrations.RunPython(forget_municipality_rows, migrations.RunPython.noop),
        migrations.AddField(
            model_name="municipalitymonth",
            name="court",
            field=models.ForeignKey(
                default=None,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="rights.court",
                verbose_name="court",
            ),
            preserve_default=False,
        ),
    ]
