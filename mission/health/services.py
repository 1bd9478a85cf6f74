"""Writing the background processes' signs of life."""

from django.utils import timezone

from mission.health.models import Heartbeat

BEAT, WORKER = "beat", "worker"


def heartbeat_record(name: str) -> None:
    Heartbeat.objects.update_or_create(name=name, defaults={"at": timezone.now()})
