from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("rights", "0017_fill_observation_hearing_date")]

    operations = [
        migrations.AlterField(
            model_name="observation",
            name="hearing_date",
            field=models.DateField(editable=False, verbose_name="hearing date"),
        ),
        migrations.AddIndex(
            model_name="observation",
            index=models.Index(fields=["-hearing_date", "-id"], name="observation_hearing_date_idx"),
        ),
        migrations.AddIndex(
            model_name="observation",
            index=models.Index(fields=["status", "-hearing_date", "-id"], name="observation_status_date_idx"),
        ),
    ]
