from django.db import migrations
from django.db.models import Max, OuterRef, Subquery


def fill(apps, schema_editor):
    Case = apps.get_model("rights", "Case")
    Hearing = apps.get_model("rights", "Hearing")
    latest = Hearing.objects.filter(case=OuterRef("pk")).order_by().values("case").annotate(d=Max("date")).values("d")
    Case.objects.update(last_hearing_date=Subquery(latest))


def empty(apps, schema_editor):
    apps.get_model("rights", "Case").objects.update(last_hearing_date=None)


class Migration(migrations.Migration):
    dependencies = [("rights", "0002_case_last_hearing_and_list_indexes")]

    operations = [migrations.RunPython(fill, empty)]
