from celery import shared_task

from mission.records.flags import record_flags_sweep


@shared_task(soft_time_limit=30 * 60, time_limit=35 * 60, acks_late=True)
def sweep_record_flags() -> str:
    """What time alone makes true: the declared records' flag rules, checked nightly."""
    return f"{record_flags_sweep()} flags raised"
