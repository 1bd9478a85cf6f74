"""Count the records waiting for review into their live counts once (`mission.records.counters`), so
the overview reads them right from the deploy on; from then on every write keeps them."""

from django.db import migrations

from mission.records.counters import waiting_counts_fill


class Migration(migrations.Migration):
    dependencies = [
        ("public_safety", "0005_forums_women_in_police"),
        ("dashboards", "0008_record_counts_covered"),
    ]

    operations = [
        migrations.RunPython(
            waiting_counts_fill(
                "public_safety",
                "public_safety",
                ("HateCrimeIncident", "Training", "ForumMeeting", "Mentoring"),
            ),
            migrations.RunPython.noop,
            elidable=True,
        )
    ]
