"""Celery beat's sign of life: each time beat sends a scheduled task, it records the time. Only the beat
process records (it says so at start); a web process or worker that sends tasks records nothing."""

import logging
from typing import Any

from celery.signals import beat_init, before_task_publish
from django.db import connection

from mission.health.services import BEAT, heartbeat_record

logger = logging.getLogger(__name__)
_in_beat = False


@beat_init.connect
def _beat_started(sender: Any = None, **kwargs: Any) -> None:
    global _in_beat
    _in_beat = True


@before_task_publish.connect
def _beat_sent(sender: Any = None, **kwargs: Any) -> None:
    if not _in_beat:
        return
    try:
        heartbeat_record(BEAT)
    except Exception:  # a database away must not stop beat sending the schedule
        logger.warning("beat could not record its heartbeat", exc_info=True)
        connection.close()  # beat is long-lived: the next heartbeat connects again
