import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from field_offices.models import Municipality
from mission.review.services import record_approve
from tests.incidents.models import Category, Incident


def incidents_demo_load(*, records: int) -> str:
    """A few incidents in Prizren by the demo monitor, one approved, one waiting for review."""
    users = get_user_model().objects
    monitor = users.get(username="demo.incidents.monitor")
    supervisor = users.get(username="demo.incidents.supervisor")
    places = list(Municipality.objects.filter(region=monitor.region).order_by("code")[:3])
    if Incident.objects.exists() or not places:
        return "incidents: already there"
    now = timezone.now()
    today = timezone.localdate()
    made = []
    for n in range(max(3, min(records, 30))):
        made.append(
            Incident.objects.create(
                reporter=monitor,
                date=today - datetime.timedelta(days=3 * n),
                municipality=places[n % len(places)],
                category=list(Category)[n % len(Category)],
                victim_name=f"Demo Person {n + 1}",
                description="Demo incident.",
                status="submitted" if n % 2 else "draft",
                submitted_at=now if n % 2 else None,
            )
        )
    record_approve(actor=supervisor, record=made[1], expected_version=made[1].version)
    return f"incidents: {len(made)}"
