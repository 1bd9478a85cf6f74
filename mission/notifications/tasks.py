from typing import Any

from celery import shared_task


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notifications_mail(ids: list[int]) -> int:
    """E-mail these notifications to whoever wants them at once. Takes ids only: no text, no address
    in the broker's message or the worker's log."""
    from mission.notifications.services import notifications_mail_now

    return notifications_mail_now(ids)


@shared_task
def notifications_morning_task() -> dict[str, Any]:
    from mission.notifications.services import notifications_morning

    return notifications_morning()
