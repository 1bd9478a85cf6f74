from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("rights", "0015_fill_encrypted_party_names")]

    operations = [
        # Nullable until 0017 fills it from the hearings and 0018 makes it required.
        migrations.AddField(
            model_name="observation",
            name="hearing_date",
            field=models.DateField(editable=False, null=True, verbose_name="hearing date"),
        ),
    ]
