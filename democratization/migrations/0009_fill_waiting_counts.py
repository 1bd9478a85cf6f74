"""Count the records waiting for review into their live counts once (`mission.records.counters`), so
the overview reads them right from the deploy on; from then on every write keeps them."""

from django.db import migrations

from mission.records.counters import waiting_counts_fill


class Migration(migrations.Migration):
    dependencies = [
        ("democratization", "0008_flag_rows_from_the_kit"),
        ("dashboards", "0008_record_counts_covered"),
    ]

    operations = [
        migrations.RunPython(
            waiting_counts_fill(
                "democratization",
                "democratization",
                ("JournalistIncident", "ParticipationActivity", "GovernanceAssessment"),
            ),
            migrations.RunPython.noop,
            elidable=True,
        )
    ]
