"""Writing the background processes' signs of life."""

from django.utils import timezone

from mission.health.models import Heartbeat

BEAT = "beat"


def worker_of(queue: str) -> str:
    """The heartbeat's name for the workers of a queue."""
    return f"worker:{queue}"


def heartbeat_record(name: str) -> None:
    Heartbeat.objects.update_or_create(name=name, defaults={"at": timezone.now()})
