"""Reports on real Celery workers with Redis and PostgreSQL: the whole trip, and a worker killed
mid-job. CI runs these with every service required."""

import signal
import time

import pypdf
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from mission.reports.models import ReportJob, ReportStatus
from mission.reports.services import report_request, reports_sweep
from tests.conftest import client_for
from tests.reports.conftest import PARAMS
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
    # Each progress step pauses, so the job is surely running when its worker is killed; a worker
    # silent for two seconds counts as dead.
    drill = {"MEDIA_ROOT": str(tmp_path / "media"), "REPORTS_DRILL_DELAY": "0.5", "REPORTS_STALE_SECONDS": "2"}
    settings.REPORTS_STALE_SECONDS = 2
    settings.MEDIA_ROOT = tmp_path / "media"
    first = start_worker(worker_queue, drill)
    job = report_request(
        actor=department_head, report_type="trial_monitoring", parameters={**PARAMS, "format": "pdf", "language": "sq"}
    )
    _wait(job.pk, lambda j: j.status == ReportStatus.RUNNING and j.progress > 0)
    first.send_signal(signal.SIGKILL)
    first.wait()
    second = start_worker(worker_queue, drill)
    try:
        time.sleep(2.5)  # the dead worker's heartbeat goes stale
        assert reports_sweep()["recovered"] == 1
        job = _wait(job.pk, lambda j: j.finished, seconds=90)
        assert job.status == ReportStatus.DONE, job.error
        assert job.attempts == 2
        text = "\n".join(page.extract_text() for page in pypdf.PdfReader(job.file.path).pages)
        assert "Monitorimi i gjykimeve" in text
        assert list((tmp_path / "media" / "reports").glob(f"{job.pk}/*")) == [tmp_path / "media" / job.file.name]
    finally:
        stop_worker(second)
