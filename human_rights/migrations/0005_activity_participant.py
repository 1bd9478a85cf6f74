"""The participants of the department's activities: `ActivityParticipant`, so that their API schema
names never clash with another department's participants."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("human_rights", "0004_claim_and_file_names"),
    ]

    operations = [
        migrations.RenameModel("Participant", "ActivityParticipant"),
        migrations.RenameModel("HistoricalParticipant", "HistoricalActivityParticipant"),
    ]
