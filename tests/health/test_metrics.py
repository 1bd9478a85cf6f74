"""/metrics/ (mission/health/metrics.py): Prometheus's format, for monitoring's token or an
administrator; request times by view; report jobs, their failures and times; summary and heartbeat
ages; queue lengths from Redis; and, with several gunicorn workers, every worker's requests counted."""

import datetime
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from mission.dashboards.models import SummaryRefresh
from mission.health.models import Heartbeat
from mission.reports.models import ReportJob, ReportStatus
from mission.reports.services import report_request
from tests.conftest import client_for, require_service

pytestmark = pytest.mark.django_db
TOKEN = "metrics-token-for-tests-0123456789"


def scrape(client=None, token: str | None = TOKEN) -> str:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = (client or client_for(None)).get(reverse("metrics"), headers=headers)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    return response.content.decode()


def value(text: str, name: str, **labels: str) -> float | None:
    for line in text.splitlines():
        if not line.startswith(name + "{") and not line.startswith(name + " "):
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', line.split("}")[0] if "{" in line else ""))
        if all(found.get(k) == v for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return None


@pytest.fixture(autouse=True)
def _token(settings):
    settings.METRICS_TOKEN = TOKEN


def test_only_monitoring_and_administrators_read_them(monitor, administrator, partner):
    for client in (client_for(None), client_for(monitor), client_for(partner)):
        assert client.get(reverse("metrics")).status_code == 403
    assert client_for(None).get(reverse("metrics"), headers={"Authorization": "Bearer wrong"}).status_code == 403
    assert "mission_report_jobs" in scrape(client_for(administrator), token=None)
    assert "mission_report_jobs" in scrape()


def test_request_times_by_view_and_status(db):
    before = value(scrape(), "mission_request_duration_seconds_count", view="healthz", status="200") or 0
    for _ in range(3):
        client_for(None).get(reverse("healthz"))
    client_for(None).get("/no-such-page/")
    text = scrape()
    assert (
        value(text, "mission_request_duration_seconds_count", view="healthz", method="GET", status="200") == before + 3
    )
    assert value(text, "mission_request_duration_seconds_count", view="unresolved", status="404") >= 1


def test_report_jobs_their_failures_and_times(department_head, monkeypatch):
    monkeypatch.setattr("mission.reports.services.enqueue", lambda job_id: True)
    from tests.reports.conftest import PARAMS

    jobs = [
        report_request(
            actor=department_head, report_type="trial_monitoring_data", parameters={**PARAMS, "format": "csv"}
        )
        for _ in range(4)
    ]
    now = timezone.now()
    for job, seconds in zip(jobs[:2], (10, 30), strict=True):
        ReportJob.objects.filter(pk=job.pk).update(
            status=ReportStatus.DONE, started_at=now - datetime.timedelta(seconds=seconds), finished_at=now
        )
    ReportJob.objects.filter(pk=jobs[2].pk).update(status=ReportStatus.FAILED, finished_at=now)
    text = scrape()
    assert value(text, "mission_report_jobs", status="done") == 2
    assert value(text, "mission_report_jobs", status="failed") == 1
    assert value(text, "mission_report_jobs", status="queued") == 1
    assert value(text, "mission_report_job_failures_total") == 1
    assert value(text, "mission_report_job_seconds_count") == 2
    assert value(text, "mission_report_job_seconds_sum") == pytest.approx(40, abs=0.5)
    assert value(text, "mission_report_job_seconds", quantile="0.5") == pytest.approx(20, abs=0.5)


def test_summary_and_heartbeat_ages(db):
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    SummaryRefresh.objects.create(name="trial_monitoring", refreshed_at=an_hour_ago, duration_ms=1, rows=0)
    Heartbeat.objects.create(name="worker", at=an_hour_ago)
    text = scrape()
    assert value(text, "mission_summary_age_seconds", summary="trial_monitoring") == pytest.approx(3600, abs=30)
    assert value(text, "mission_heartbeat_age_seconds", process="worker") == pytest.approx(3600, abs=30)


def test_nothing_in_them_names_anyone(monitor):
    text = scrape()
    assert monitor.username not in text
    assert monitor.last_name not in text


@pytest.mark.services
def test_queue_lengths_from_redis(settings):
    import redis

    require_service(bool(settings.REDIS_URL), "redis", "Redis (REDIS_URL)")
    settings.CELERY_TASK_ALWAYS_EAGER = False
    queue = f"metrics-test-{os.getpid()}"
    settings.METRICS_QUEUES = (queue,)
    client = redis.Redis.from_url(settings.REDIS_URL)
    client.delete(queue)
    client.rpush(queue, "a", "b", "c")
    try:
        assert value(scrape(), "mission_queue_length", queue=queue) == 3
    finally:
        client.delete(queue)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_every_gunicorn_worker_is_counted(tmp_path):
    """Two gunicorn workers answer 40 requests between them; whichever answers the scrape counts all
    (counted from a first scrape: the start-up probes are requests too)."""
    require_service(connection.vendor == "postgresql", "postgresql", "PostgreSQL (DATABASE_URL)")
    from tests.test_celery_worker import ROOT, _database_url

    port, folder = _free_port(), tmp_path / "prometheus"
    folder.mkdir()
    env = {
        **os.environ,
        "DEBUG": "true",
        "DATABASE_URL": _database_url(),
        "METRICS_TOKEN": TOKEN,
        "PROMETHEUS_MULTIPROC_DIR": str(folder),
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "mission.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{base}/healthz/", timeout=2).read()  # noqa: S310 (our own server)
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.2)

        def scraped() -> str:
            request = urllib.request.Request(f"{base}/metrics/", headers={"Authorization": f"Bearer {TOKEN}"})  # noqa: S310
            return urllib.request.urlopen(request, timeout=5).read().decode()  # noqa: S310

        before = value(scraped(), "mission_request_duration_seconds_count", view="healthz", status="200")
        for _ in range(40):
            urllib.request.urlopen(f"{base}/healthz/", timeout=5).read()  # noqa: S310
        pids = set()
        for _ in range(6):  # several scrapes, answered by either worker: the same count
            text = scraped()
            assert value(text, "mission_request_duration_seconds_count", view="healthz", status="200") == before + 40
            pids |= {f.name for f in folder.iterdir()}
        assert len([p for p in pids if p.startswith("histogram_")]) == 2  # both workers wrote timings
    finally:
        server.terminate()
        server.wait(timeout=20)
