"""Fill trial monitoring's live counts (`rights.services.counters`: open flags, observations waiting
for review, by region and monitor) from the records once, so the overview reads them right from the
deploy on; from then on the services keep them, and the nightly rebuild counts them again.

(Branch kit/flat; the lead renumbers it against the other branches' rights migrations.)
"""

from django.db import migrations
from django.db.models import Count, F


def fill(apps, schema_editor):
    db = schema_editor.connection.alias
    flag = apps.get_model("rights", "Flag")
    observation = apps.get_model("rights", "Observation")
    live_count = apps.get_model("dashboards", "LiveCount")
    rows = {}
    flags = (
        flag.objects.using(db)
        .filter(status="open")
        .order_by()
        .values(region=F("case__municipality__region_id"))
        .annotate(n=Count("pk"))
    )
    for row in flags:
        rows[("rights.open_flags", row["region"], None)] = row["n"]
    waiting = (
        observation.objects.using(db)
        .filter(status="submitted")
        .order_by()
        .values(region=F("hearing__case__municipality__region_id"), owner=F("monitor_id"))
        .annotate(n=Count("pk"))
    )
    for row in waiting:
        rows[("rights.waiting_review", row["region"], row["owner"])] = row["n"]
        total = ("rights.waiting_review", row["region"], None)
        rows[total] = rows.get(total, 0) + row["n"]
    names = ["rights.open_flags", "rights.waiting_review"]
    live_count.objects.using(db).filter(name__in=names).delete()
    live_count.objects.using(db).bulk_create(
        live_count(name=name, department="rights", region_id=region, owner_id=owner, count=n)
        for (name, region, owner), n in rows.items()
        if n
    )


class Migration(migrations.Migration):
    dependencies = [
        ("rights", "0020_hearing_court_and_municipality_month_by_court"),
        ("dashboards", "0004_live_count"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop, elidable=True)]
