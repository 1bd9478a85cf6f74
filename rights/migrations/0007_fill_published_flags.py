from django.db import migrations
from django.db.models import Exists, OuterRef


def fill(apps, schema_editor):
    Case = apps.get_model("rights", "Case")
    Hearing = apps.get_model("rights", "Hearing")
    Observation = apps.get_model("rights", "Observation")
    Hearing.objects.update(published=Exists(Observation.objects.filter(hearing=OuterRef("pk"), status="approved")))
    Case.objects.update(published=Exists(Hearing.objects.filter(case=OuterRef("pk"), published=True)))


def clear(apps, schema_editor):
    apps.get_model("rights", "Hearing").objects.update(published=False)
    apps.get_model("rights", "Case").objects.update(published=False)


class Migration(migrations.Migration):
    dependencies = [("rights", "0006_published_flags")]

    operations = [migrations.RunPython(fill, clear)]
