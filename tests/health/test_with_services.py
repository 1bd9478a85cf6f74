"""/readyz/ against the real things: Redis answering, a real worker running the heartbeat task, and a
real Celery beat process recording that it sends the schedule."""

import os
import subprocess
import sys
import time

import pytest
from django.urls import reverse

from mission.health.models import Heartbeat
from mission.health.services import BEAT, worker_of
from tests.conftest import client_for
from tests.test_celery_worker import ROOT, _database_url, start_worker, stop_worker, worker_queue  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _wait_for(name: str, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if Heartbeat.objects.filter(name=name).exists():
            return True
        time.sleep(0.2)
    return False


def test_a_real_worker_and_beat_make_the_portal_ready(worker_queue, administrator, settings, tmp_path):  # noqa: F811
    settings.CELERY_TASK_ALWAYS_EAGER = False
    admin = client_for(administrator)
    before = admin.get(reverse("readyz"))
    assert before.status_code == 503  # no heartbeat yet
    assert before.json()["checks"]["redis"]["ok"] is True  # the real Redis answers

    worker = start_worker(worker_queue)
    try:
        from mission.health.tasks import heartbeat

        for queue in settings.CELERY_QUEUES_IN_USE:  # as beat sends one to each queue
            heartbeat.apply_async(args=(queue,), queue=worker_queue)
        for queue in settings.CELERY_QUEUES_IN_USE:
            assert _wait_for(worker_of(queue)), "the worker did not run the heartbeat task within 30 s"
    finally:
        stop_worker(worker)

    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "HEALTH_HEARTBEAT_SECONDS": "1",
        "HEALTH_STALE_SECONDS": "60",
    }
    beat = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "mission",
            "beat",
            "--schedule",
            str(tmp_path / "schedule"),
            "-l",
            "INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert _wait_for(BEAT), "beat recorded no heartbeat within 30 s"
    finally:
        beat.terminate()
        beat.wait(timeout=20)

    after = admin.get(reverse("readyz"))
    assert after.status_code == 200, after.json()
    assert after.json()["checks"]["worker"]["ok"]
    assert after.json()["checks"]["beat"]["ok"]
