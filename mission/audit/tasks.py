import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task
def retention_purge() -> dict[str, int]:
    """Nightly (beat): purge or anonymise what is past its retention period (mission/retention.py)."""
    from mission.retention import retention_purge as purge

    done = purge()
    logger.info("Retention purge: %s", ", ".join(f"{label} {rows}" for label, rows in done.items()) or "nothing set")
    return done
