from celery import shared_task

from mission.health.services import heartbeat_record, worker_of


@shared_task(ignore_result=True, expires=120)
def heartbeat(queue: str = "celery") -> None:
    """Celery beat sends this to every queue every HEALTH_HEARTBEAT_SECONDS; the worker that runs it
    records that the queue's workers take tasks. Expires unrun after two minutes: a queue that was
    stuck does not replay a backlog of them."""
    heartbeat_record(worker_of(queue))
