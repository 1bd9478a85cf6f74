"""Trial monitoring's reports on real Celery workers with Redis and PostgreSQL: the whole trip, and a
worker killed mid-job (its Albanian PDF, its Hearings sheet). CI runs these with every service required."""

import os
import signal
import time

import pypdf
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from mission.reports.models import ReportJob, ReportStatus
from mission.reports.services import report_request, reports_sweep
from tests.conftest import client_for
from tests.reports.conftest import PARAMS, _media  # noqa: F401 (report files in the test's folder, as the worker's)
from tests.test_celery_worker import start_worker, stop_worker

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _wait(job_id: int, until, seconds: float = 60) -> ReportJob:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = ReportJob.objects.get(pk=job_id)
        if until(job):
            return job
        time.sleep(0.1)
    pytest.fail(f"job {job_id} is still {job.status} ({job.progress} %, {job.progress_note!r}) after {seconds} s")


def test_a_report_asked_in_the_browser_is_made_by_the_worker(worker_queue, department_head, trial_data, tmp_path):
    worker = start_worker(worker_queue, {"MEDIA_ROOT": str(tmp_path / "media")})
    try:
        client = client_for(department_head)
        response = client.post(
            reverse("reports:create"),
            {
                "report_type": "trial_monitoring_data",
                "start": "2026-01",
                "end": "2026-03",
                "format": "xlsx",
                "language": "en",
            },
        )
        assert response.status_code == 302
        job = _wait(ReportJob.objects.get().pk, lambda j: j.finished)
        assert job.status == ReportStatus.DONE, job.error
        assert client.get(reverse("reports:status", args=[job.pk])).json()["progress"] == 100
        download = client.get(reverse("reports:download", args=[job.pk]))
        path = tmp_path / "report.xlsx"
        path.write_bytes(b"".join(download.streaming_content))
        workbook = load_workbook(path)
        assert len(list(workbook["Hearings"].iter_rows(min_row=2))) == 4

        bad = client.post(
            reverse("reports:create"),
            {
                "report_type": "trial_monitoring_data",
                "start": "2026-03",
                "end": "2026-01",
                "format": "xlsx",
                "language": "en",
            },
        )
        assert bad.status_code == 400
        assert "The first month of the period must not be after the last." in bad.content.decode()
        assert ReportJob.objects.count() == 1
    finally:
        stop_worker(worker)


def test_a_job_whose_worker_is_killed_is_finished_by_another(
    worker_queue, department_head, trial_data, settings, tmp_path
):
    """The whole worker dies (the machine, say): its message stays unacknowledged until the broker's
    visibility timeout, so the sweeper recovers the job from its silent heartbeat. With the default
    staleness and beat's sweep interval, that is within about a minute."""
    # Each progress step pauses, so the job is surely running when its worker is killed.
    drill = {"MEDIA_ROOT": str(tmp_path / "media"), "REPORTS_DRILL_DELAY": "0.5"}
    settings.MEDIA_ROOT = tmp_path / "media"
    sweep_every = settings.CELERY_BEAT_SCHEDULE["sweep-reports"]["schedule"]
    first = start_worker(worker_queue, drill)
    job = report_request(
        actor=department_head, report_type="trial_monitoring", parameters={**PARAMS, "format": "pdf", "language": "sq"}
    )
    _wait(job.pk, lambda j: j.status == ReportStatus.RUNNING and j.progress > 0)
    first.send_signal(signal.SIGKILL)
    first.wait()
    killed = time.monotonic()
    second = start_worker(worker_queue, drill)
    try:
        # Beat's sweep, on its schedule, until the job is handed over.
        while ReportJob.objects.get(pk=job.pk).attempts < 2:
            assert time.monotonic() - killed < 70, "the dead worker's job was not recovered within about a minute"
            reports_sweep()
            time.sleep(min(sweep_every, 5))
        recovered = time.monotonic() - killed
        assert recovered <= 65
        job = _wait(job.pk, lambda j: j.finished, seconds=90)
        assert job.status == ReportStatus.DONE, job.error
        assert job.attempts == 2
        text = "\n".join(page.extract_text() for page in pypdf.PdfReader(job.file.path).pages)
        assert "Monitorimi i gjykimeve" in text
        assert list((tmp_path / "media" / "reports").glob(f"{job.pk}/*")) == [tmp_path / "media" / job.file.name]
    finally:
        stop_worker(second)


def test_a_job_whose_worker_process_is_killed_is_resumed_on_its_redelivery(
    worker_queue, department_head, trial_data, settings, tmp_path
):
    """The process running the job dies (out of memory, killed) while its worker lives on: the broker
    delivers the task again at once, and the job is recognised as orphaned and resumed, without
    waiting for its heartbeat to go stale or for the sweeper."""
    drill = {"MEDIA_ROOT": str(tmp_path / "media"), "REPORTS_DRILL_DELAY": "0.5"}
    settings.MEDIA_ROOT = tmp_path / "media"
    worker = start_worker(worker_queue, drill, pool="prefork")
    try:
        job = report_request(
            actor=department_head, report_type="trial_monitoring", parameters={**PARAMS, "format": "pdf"}
        )
        job = _wait(job.pk, lambda j: j.status == ReportStatus.RUNNING and j.progress > 0)
        _node, pid = job.worker.rsplit(":", 1)
        assert int(pid) != worker.pid  # the pool's child, not the worker itself
        os.kill(int(pid), signal.SIGKILL)
        killed = time.monotonic()
        job = _wait(job.pk, lambda j: j.attempts == 2, seconds=60)
        assert time.monotonic() - killed < settings.REPORTS_STALE_SECONDS  # not the sweeper's doing
        job = _wait(job.pk, lambda j: j.finished, seconds=90)
        assert job.status == ReportStatus.DONE, job.error
        assert job.attempts == 2
        assert job.worker != f"{_node}:{pid}"
        assert list((tmp_path / "media" / "reports").glob(f"{job.pk}/*")) == [tmp_path / "media" / job.file.name]
    finally:
        stop_worker(worker)


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _redis(port: int, folder, *options: str):
    """A Redis of the test's own on `port`, keeping its files in `folder`; returns once it answers."""
    import subprocess

    import redis

    process = subprocess.Popen(
        ["redis-server", *options, "--port", str(port), "--dir", str(folder), "--bind", "127.0.0.1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    client = redis.Redis(port=port, socket_timeout=1)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if client.ping():
                return process, client
        except redis.ConnectionError:
            time.sleep(0.1)
    process.kill()
    pytest.fail("the test's Redis did not start")


def _queue_reports(url: str, queue: str, job_ids: list[int]) -> None:
    from mission.celery import app
    from mission.reports.tasks import run_report

    with app.connection_for_write(url) as connection:
        for job_id in job_ids:
            run_report.apply_async(args=(job_id,), connection=connection, queue=queue)  # type: ignore[call-arg]  # an option Celery passes on


def test_report_jobs_queued_in_a_durable_redis_survive_its_kill(
    worker_queue, department_head, trial_data, settings, tmp_path, monkeypatch
):
    """Ten report jobs wait in the queue when Redis is killed (SIGKILL: no chance to save). Started
    again with deploy/redis/redis.conf, it still holds all ten, and a worker makes them; with Redis's
    defaults of the test machines (nothing kept on disk) none would be left."""
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    from tests.conftest import require_service
    from tests.test_celery_worker import ROOT, _database_url

    require_service(
        shutil.which("redis-server") is not None, "redis", "redis-server (to start a Redis of the test's own)"
    )
    config = str(Path(__file__).resolve().parents[2] / "deploy" / "redis" / "redis.conf")
    monkeypatch.setattr("mission.reports.services.enqueue", lambda job_id: True)  # queued by hand below
    jobs = [
        report_request(
            actor=department_head, report_type="trial_monitoring_data", parameters={**PARAMS, "format": "csv"}
        )
        for _ in range(10)
    ]
    ids = [job.pk for job in jobs]

    # Without the configuration: everything queued is gone after the kill.
    volatile_port, volatile_folder = _free_port(), tmp_path / "volatile"
    volatile_folder.mkdir()
    plain = ("--appendonly", "no", "--save", "")
    process, client = _redis(volatile_port, volatile_folder, *plain)
    _queue_reports(f"redis://127.0.0.1:{volatile_port}/0", worker_queue, ids)
    assert client.llen(worker_queue) == 10
    process.kill()
    process.wait()
    process, client = _redis(volatile_port, volatile_folder, *plain)
    assert client.llen(worker_queue) == 0
    process.kill()
    process.wait()

    # With it: all ten are there, and a worker makes them.
    port, folder = _free_port(), tmp_path / "durable"
    folder.mkdir()
    process, client = _redis(port, folder, config)
    url = f"redis://127.0.0.1:{port}/0"
    _queue_reports(url, worker_queue, ids)
    process.kill()  # SIGKILL
    process.wait()
    process, client = _redis(port, folder, config)
    worker = None
    try:
        assert client.llen(worker_queue) == 10
        settings.MEDIA_ROOT = tmp_path / "media"
        env = {
            **os.environ,
            "DATABASE_URL": _database_url(),
            "REDIS_URL": url,
            "MEDIA_ROOT": str(tmp_path / "media"),
        }
        # Not start_worker: a solo worker starts on the ten jobs at once and answers no ping until done.
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "mission",
                "worker",
                "--pool=solo",
                "-Q",
                worker_queue,
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                "--loglevel=WARNING",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        for job_id in ids:
            job = _wait(job_id, lambda j: j.finished, seconds=120)
            assert job.status == ReportStatus.DONE, job.error
        assert ReportJob.objects.filter(pk__in=ids, attempts=1).count() == 10  # each made once
    finally:
        if worker is not None:
            stop_worker(worker)
        process.kill()
        process.wait()


def test_a_long_report_does_not_delay_a_password_reset_mail(
    worker_queue, department_head, monitor, trial_data, settings, tmp_path
):
    """Reports and mail have queues and workers of their own (CELERY_TASK_ROUTES): while the reports'
    only worker is busy with a slow report, the mail worker delivers a password reset at once."""
    from tests.test_celery_worker import routed_to

    reports, mail = f"{worker_queue}-reports", f"{worker_queue}-mail"
    routed_to({"mission.reports.tasks.run_report": {"queue": reports}, "mission.accounts.tasks.*": {"queue": mail}})
    mail_dir = tmp_path / "mail"
    media = {"MEDIA_ROOT": str(tmp_path / "media"), "REPORTS_DRILL_DELAY": "2"}
    settings.MEDIA_ROOT = tmp_path / "media"
    report_worker = start_worker(reports, media)
    mail_worker = start_worker(
        mail, {"EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend", "EMAIL_FILE_PATH": str(mail_dir)}
    )
    try:
        job = report_request(
            actor=department_head, report_type="trial_monitoring", parameters={**PARAMS, "format": "pdf"}
        )
        _wait(job.pk, lambda j: j.status == ReportStatus.RUNNING)
        asked = time.monotonic()
        client_for(None).post(reverse("accounts:password_reset"), {"email": monitor.email})
        while not (mail_dir.exists() and any(mail_dir.iterdir())):
            assert time.monotonic() - asked < 15, "the mail waited behind the report"
            time.sleep(0.1)
        assert ReportJob.objects.get(pk=job.pk).status == ReportStatus.RUNNING  # the report is still being made
        assert _wait(job.pk, lambda j: j.finished, seconds=120).status == ReportStatus.DONE
    finally:
        stop_worker(report_worker)
        stop_worker(mail_worker)
