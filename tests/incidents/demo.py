import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from field_offices.models import Municipality
from mission.records.services import record_create, record_update
from mission.review.services import record_approve
from tests.incidents.models import Category, Incident


def incidents_demo_load(*, records: int) -> str:
    """Incidents in Prizren by the demo monitor, through the kit's services as a monitor would log
    them: drafts, submitted ones, and one approved by the demo supervisor."""
    users = get_user_model().objects
    monitor = users.get(username="demo.incidents.monitor")
    supervisor = users.get(username="demo.incidents.supervisor")
    places = list(Municipality.objects.filter(region=monitor.region).order_by("code")[:3])
    if Incident.objects.exists() or not places:
        return "incidents: already there"
    today = timezone.localdate()
    made = []
    for n in range(max(3, min(records, 30))):
        fields = {
            "date": today - datetime.timedelta(days=3 * n),
            "municipality": places[n % len(places)],
            "category": list(Category)[n % len(Category)],
            "victim_name": f"Demo Person {n + 1}",
            "description": "Demo incident.",
        }
        incident = record_create(actor=monitor, model=Incident, fields=fields)
        if n % 2:
            record_update(actor=monitor, record=incident, expected_version=incident.version, fields={}, submit=True)
        made.append(incident)
    record_approve(actor=supervisor, record=made[1], expected_version=made[1].version)
    return f"incidents: {len(made)}"
