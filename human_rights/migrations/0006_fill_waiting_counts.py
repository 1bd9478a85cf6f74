"""Count the records waiting for review into their live counts once (`mission.records.counters`), so
the overview reads them right from the deploy on; from then on every write keeps them."""

from django.db import migrations

from mission.records.counters import waiting_counts_fill


class Migration(migrations.Migration):
    dependencies = [
        ("human_rights", "0005_activity_participant"),
        ("dashboards", "0008_record_counts_covered"),
    ]

    operations = [
        migrations.RunPython(
            waiting_counts_fill(
                "rights",
                "human_rights",
                (
                    "CommunityIncident",
                    "LanguageAssessment",
                    "ReturnMovement",
                    "PropertyCase",
                    "HeritageIncident",
                    "GbvCase",
                    "RightsActivity",
                ),
            ),
            migrations.RunPython.noop,
            elidable=True,
        )
    ]
