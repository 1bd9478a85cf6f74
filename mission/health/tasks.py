from celery import shared_task

from mission.health.services import WORKER, heartbeat_record


@shared_task(ignore_result=True, expires=120)
def heartbeat() -> None:
    """Celery beat sends this every HEALTH_HEARTBEAT_SECONDS; the worker that runs it records that the
    workers take tasks. Expires unrun after two minutes: a queue that was stuck does not replay a
    backlog of them."""
    heartbeat_record(WORKER)
