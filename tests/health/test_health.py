"""/healthz/ (liveness: the process answers, nothing else) and /readyz/ (the database, Redis, a worker's
and beat's heartbeats, the summaries' freshness), with the detail only for monitoring's token and
administrators."""

import datetime
import time

import pytest
from django.conf import settings as django_settings
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone

from mission.dashboards.models import SummaryRefresh
from mission.health import signals
from mission.health.models import Heartbeat
from mission.health.services import BEAT, worker_of
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
TOKEN = "monitoring-token-for-tests-0123456789"


@pytest.fixture
def broker(settings):
    """As with a broker: tasks go to workers, beat keeps the schedule."""
    settings.CELERY_TASK_ALWAYS_EAGER = False


def beats(age_seconds: float = 0) -> None:
    at = timezone.now() - datetime.timedelta(seconds=age_seconds)
    for name in (*(worker_of(queue) for queue in django_settings.CELERY_QUEUES_IN_USE), BEAT):
        Heartbeat.objects.update_or_create(name=name, defaults={"at": at})


def readyz(client=None, **headers):
    return (client or client_for(None)).get(reverse("readyz"), headers=headers)


def test_liveness_needs_no_database_and_no_sign_in(django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client_for(None).get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_ready_on_the_embedded_default_without_detail_for_anyone(monitor):
    for client in (client_for(None), client_for(monitor)):
        response = readyz(client)
        assert response.status_code == 200
        assert response.json() == {"status": "ready"}


def test_detail_for_administrators_and_the_monitoring_token(administrator, settings):
    settings.HEALTH_READYZ_TOKEN = TOKEN
    detail = readyz(client_for(administrator)).json()["checks"]
    assert set(detail) == {"database", "redis", "worker", "beat", "summaries", "replicas"}
    assert detail["worker"] == {"ok": True, "used": False, "ms": detail["worker"]["ms"]}
    assert detail["replicas"] == {"ok": True, "used": False, "ms": detail["replicas"]["ms"]}
    assert "checks" in readyz(Authorization=f"Bearer {TOKEN}").json()
    assert "checks" not in readyz(Authorization="Bearer wrong").json()
    settings.HEALTH_READYZ_TOKEN = ""
    assert "checks" not in readyz(Authorization="Bearer ").json()


def test_with_a_broker_a_silent_worker_or_beat_is_not_ready(broker, settings):
    settings.HEALTH_READYZ_TOKEN = TOKEN
    response = readyz(Authorization=f"Bearer {TOKEN}")
    assert response.status_code == 503
    assert response.json()["status"] == "not ready"
    checks = response.json()["checks"]
    assert not checks["worker"]["ok"]
    assert not checks["beat"]["ok"]

    beats(age_seconds=5)
    assert readyz().status_code == 200

    beats(age_seconds=settings.HEALTH_STALE_SECONDS + 1)
    stale = readyz(Authorization=f"Bearer {TOKEN}").json()["checks"]
    assert not stale["worker"]["ok"]
    assert stale["worker"]["queues"]["mail"]["age_seconds"] > settings.HEALTH_STALE_SECONDS

    beats(age_seconds=5)
    Heartbeat.objects.filter(name=worker_of("reports")).delete()  # the reports' workers never seen
    one_queue = readyz(Authorization=f"Bearer {TOKEN}")
    assert one_queue.status_code == 503
    queues = one_queue.json()["checks"]["worker"]["queues"]
    assert not queues["reports"]["ok"]
    assert queues["mail"]["ok"]


def test_late_summaries_are_not_ready(broker):
    beats()
    SummaryRefresh.objects.create(name="trial_monitoring", refreshed_at=timezone.now(), duration_ms=1, rows=0)
    assert readyz().status_code == 200
    SummaryRefresh.objects.update(refreshed_at=timezone.now() - datetime.timedelta(hours=1))
    assert readyz().status_code == 503


def test_a_database_that_fails_is_not_ready(monkeypatch, administrator):
    admin = client_for(administrator)
    admin.get(reverse("home"))  # the session is read before the fault

    def refuse(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("mission.health.checks._database", refuse)
    response = readyz(admin)
    assert response.status_code == 503
    database = response.json()["checks"]["database"]
    assert database["ok"] is False
    assert database["error"] == "OperationalError"
    assert "server closed" not in response.content.decode()  # the kind of failure, not its text


def test_redis_that_does_not_answer_is_not_ready_and_answers_fast(settings, administrator):
    settings.REDIS_URL = "redis://127.0.0.1:9/0"  # nothing listens there
    started = time.monotonic()
    response = readyz(client_for(administrator))
    assert time.monotonic() - started < 3
    assert response.status_code == 503
    assert response.json()["checks"]["redis"]["ok"] is False


def test_the_heartbeat_task_records_the_worker():
    from mission.health.tasks import heartbeat

    heartbeat.delay("mail")
    assert Heartbeat.objects.filter(name=worker_of("mail")).exists()


def test_only_the_beat_process_records_beat(monkeypatch):
    """The receiver of Celery's before_task_publish (a real beat process: tests/health/test_with_services.py)."""
    signals._beat_sent(sender="mission.health.tasks.heartbeat")
    assert not Heartbeat.objects.filter(name=BEAT).exists()  # a web process or worker sending a task
    monkeypatch.setattr(signals, "_in_beat", True)
    signals._beat_sent(sender="mission.health.tasks.heartbeat")
    assert Heartbeat.objects.filter(name=BEAT).exists()


def test_tasks_are_routed_to_their_queues():
    from mission.celery import app

    def queue_of(task: str) -> str:
        return app.amqp.router.route({}, task)["queue"].name

    assert queue_of("mission.reports.tasks.run_report") == "reports"
    assert queue_of("mission.accounts.tasks.send_password_reset") == "mail"
    assert queue_of("mission.dashboards.tasks.refresh_changed_summaries") == "summaries"
    assert queue_of("mission.audit.tasks.retention_purge") == "celery"
    scheduled = {
        entry["options"]["queue"]
        for name, entry in django_settings.CELERY_BEAT_SCHEDULE.items()
        if name.startswith("heartbeat-")
    }
    assert scheduled == set(django_settings.CELERY_QUEUES_IN_USE)
