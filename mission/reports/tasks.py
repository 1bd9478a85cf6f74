"""Report tasks. They take IDs, never objects; acknowledgement is late, so a worker killed mid-job
leaves the message to be delivered again: at once when only the pool's process died (the task is
rejected and requeued), and the job is resumed because its recorded process is gone; after the
broker's visibility timeout when the whole worker died, by which time the sweeper has recovered the
job from its silent heartbeat."""

from typing import Any

from celery import Task, shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from mission.reports import services


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError, InterfaceError, OSError),
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
    soft_time_limit=settings.REPORTS_SOFT_TIME_LIMIT,
    time_limit=settings.REPORTS_SOFT_TIME_LIMIT + 120,
)
def run_report(self: Task[[int], str], job_id: int) -> str:
    job = services.report_execute(job_id=job_id, attempt=services.Attempt.of(self.request))
    return job.status if job else "skipped"


@shared_task(acks_late=True, soft_time_limit=300, time_limit=360)
def sweep_reports() -> dict[str, Any]:
    return services.reports_sweep()


@shared_task(acks_late=True, soft_time_limit=600, time_limit=660)
def cleanup_reports() -> int:
    return services.reports_cleanup()


@shared_task(acks_late=True, soft_time_limit=300, time_limit=360)
def schedule_monthly_reports() -> int:
    return len(services.reports_schedule_monthly())
