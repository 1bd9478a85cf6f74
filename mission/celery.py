"""The Celery application. Configuration comes from Django settings (the CELERY_ prefix)."""

import os

from celery import Celery
from celery.signals import task_prerun, worker_init

from mission.observability import task_started

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mission.settings")

app = Celery("mission")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
task_prerun.connect(task_started)  # a task's log lines carry its id


@worker_init.connect
def _refuse_to_start_without_its_secrets(**_kwargs: object) -> None:
    from django.core.exceptions import ImproperlyConfigured

    from mission.startup import require_secrets

    try:
        require_secrets()
    except ImproperlyConfigured as error:
        raise SystemExit(str(error)) from None  # Celery logs and ignores a signal handler's exceptions
