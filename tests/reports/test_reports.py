"""Reports: asking, running (in-process here; on a real worker in test_worker.py), the files, names
and pseudonyms, re-runs, the sweeper, the monthly schedule, clean-up, and who may do what."""

import datetime
import io
import socket
import threading
import time
import zipfile
from pathlib import Path

import pypdf
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from mission.audit.models import AccessLog
from mission.reports.models import ReportJob, ReportStatus
from mission.reports.services import (
    report_execute,
    report_open,
    report_request,
    report_rerun,
    reports_cleanup,
    reports_schedule_monthly,
    reports_sweep,
)
from tests.conftest import client_for
from tests.reports.conftest import PARAMS

pytestmark = pytest.mark.django_db
XLSX = {**PARAMS, "format": "xlsx"}


def _ask(user, report_type="trial_monitoring_data", **overrides):
    """Ask, and run what the request queues once it commits (tasks run in-process here)."""
    with committed():
        return report_request(actor=user, report_type=report_type, parameters={**PARAMS, **overrides})


def committed():
    """Run the on-commit callbacks (the test's transaction never commits)."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def _of(obj) -> dict:
    """The access-log filter for one record (ids of different models can be equal)."""
    from django.contrib.contenttypes.models import ContentType

    return {"content_type": ContentType.objects.get_for_model(obj), "object_id": str(obj.pk)}


def _clear(job) -> io.BytesIO:
    """The file as it is downloaded (a file with names is stored encrypted: tests/sensitivity)."""
    with report_open(job) as handle:
        return io.BytesIO(handle.read())


def _pdf_text(job) -> str:
    reader = pypdf.PdfReader(_clear(job))
    return "\n".join(page.extract_text() for page in reader.pages)


class TestFiles:
    def test_the_pdf_is_made_in_the_language_asked(self, department_head, trial_data):
        job = _ask(department_head, "trial_monitoring", format="pdf", language="sq")
        job.refresh_from_db()
        assert job.status == ReportStatus.DONE, job.error
        assert job.progress == 100
        assert job.file_name == "trial-monitoring-mission-2026-01-2026-03-sq.pdf"
        text = _pdf_text(job)
        assert "Monitorimi i gjykimeve" in text
        assert "Seancat e monitoruara" in text
        assert "Hearings monitored" not in text
        assert len(pypdf.PdfReader(_clear(job)).pages) >= 5

    def test_the_pdf_has_the_figures_and_a_section_per_region(self, department_head, trial_data):
        job = _ask(department_head, "trial_monitoring", format="pdf")
        job.refresh_from_db()
        text = _pdf_text(job)
        assert "Hearings monitored 4 1" in text
        for name in ("Gjilan/Gnjilane", "Mitrovicë/Mitrovica", "Prizren", "Method"):
            assert name in text
        assert "A standard was rated a violation" in text  # the flag, in the flagged issues

    def test_the_pdf_counts_accused_persons_once_each(self, department_head, trial_data):
        job = _ask(department_head, "trial_monitoring", format="pdf")
        job.refresh_from_db()
        text = _pdf_text(job)
        # One accused in each case; the Prizren one was heard three times, the Mitrovica one before too.
        assert "Accused persons 2 1" in text
        assert "Accused persons by sex" in text
        assert "Female 1 50.0 %" in text
        assert "Accused persons: juveniles and adults" in text
        assert "Accused persons by community" in text

    def test_the_xlsx_has_a_typed_sheet_each_with_a_frozen_header(self, department_head, trial_data):
        job = _ask(department_head, format="xlsx")
        job.refresh_from_db()
        assert job.status == ReportStatus.DONE, job.error
        workbook = load_workbook(_clear(job))
        assert workbook.sheetnames == ["Hearings", "Observations", "Accused"]
        hearings = workbook["Hearings"]
        assert hearings.freeze_panes == "A2"
        assert hearings["A1"].value == "Date"
        assert hearings["A1"].font.bold
        rows = list(hearings.iter_rows(min_row=2, values_only=True))
        assert len(rows) == 4  # the four hearings of January to March
        assert isinstance(rows[0][0], datetime.datetime)
        assert {row[6] for row in rows} == {True, False}  # held, as booleans
        observations = list(workbook["Observations"].iter_rows(min_row=2, values_only=True))
        assert len(observations) == 2
        # Each accused person once, however many hearings: the Prizren accused was heard three times.
        accused = list(workbook["Accused"].iter_rows(min_row=2, values_only=True))
        assert [row[4:] for row in accused] == [
            ("Male", "26–40", "Adult", "Albanian"),
            ("Female", "14–17", "Juvenile (under 18)", "Serb"),
        ]
        assert all(row[3].startswith("Accused ") for row in accused)  # pseudonyms, never names

    def test_the_csv_comes_as_three_files(self, department_head, trial_data):
        job = _ask(department_head, format="csv", language="sr-latn")
        job.refresh_from_db()
        assert job.file_name.endswith(".zip")
        with zipfile.ZipFile(_clear(job)) as archive:
            files = [archive.read(name).decode("utf-8-sig").splitlines() for name in archive.namelist()]
        assert len(files) == 3
        hearings = next(lines for lines in files if lines[0].startswith("Datum"))
        assert len(hearings) == 5  # header and four hearings
        assert sorted(len(lines) for lines in files) == [3, 3, 5]  # two observations, two accused persons

    @pytest.mark.parametrize("report_format", ["xlsx", "csv"])
    def test_no_file_carries_a_live_formula(self, supervisor, trial_data, report_format):
        from rights.models import Case, Observation, Party

        Case.objects.filter(pk=trial_data["prizren"].pk).update(case_number="=1+2")
        Party.objects.filter(case=trial_data["prizren"]).update(name="@SUM(A1:A9)")
        Observation.objects.update(summary="-2+3")
        job = _ask(supervisor, format=report_format)
        job.refresh_from_db()
        assert job.status == ReportStatus.DONE, job.error
        if report_format == "xlsx":
            workbook = load_workbook(_clear(job))
            hearings = list(workbook["Hearings"].iter_rows(min_row=2))
            cell = next(row[1] for row in hearings if "1+2" in row[1].value)
            assert (cell.value, cell.data_type) == ("'=1+2", "s")  # text, not a formula
            # Only the start of a cell counts: a name after the pseudonym is left as typed.
            accused = {row[10].value for row in hearings if row[1].value == "'=1+2"}
            assert len(accused) == 1
            assert accused.pop().startswith("Accused ")
            observations = list(workbook["Observations"].iter_rows(min_row=2, values_only=True))
            assert {row[8] for row in observations} == {"'-2+3"}
            assert {type(row[6]) for row in observations} == {int}  # the revision stays a number
        else:
            with zipfile.ZipFile(_clear(job)) as archive:
                hearings = archive.read("hearings.csv").decode("utf-8-sig")
                observations = archive.read("observations.csv").decode("utf-8-sig")
            assert "'=1+2" in hearings
            assert ",=1+2" not in hearings
            assert "'-2+3" in observations


class TestNames:
    def test_staff_who_see_names_get_them(self, supervisor, trial_data):
        job = _ask(supervisor, format="xlsx")
        job.refresh_from_db()
        assert job.includes_restricted
        accused = {row[10] for row in load_workbook(_clear(job))["Hearings"].iter_rows(min_row=2, values_only=True)}
        assert any("Test Person" in value for value in accused)

    def test_management_gets_pseudonyms(self, management, trial_data):
        job = _ask(management, format="xlsx")
        job.refresh_from_db()
        assert not job.includes_restricted
        accused = {row[10] for row in load_workbook(_clear(job))["Hearings"].iter_rows(min_row=2, values_only=True)}
        assert all(value.startswith("Accused ") and ":" not in value for value in accused)
        assert len(accused) == 2

    def test_a_file_with_names_is_not_for_management_and_its_download_is_logged(
        self, supervisor, management, trial_data
    ):
        job = _ask(supervisor, format="xlsx")
        url = reverse("reports:download", args=[job.pk])
        assert client_for(management).get(url).status_code == 403
        response = client_for(supervisor).get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content)[:2] == b"PK"
        assert AccessLog.objects.filter(user=supervisor, **_of(job)).count() == 1

    @pytest.mark.parametrize("report_format", ["xlsx", "csv"])
    def test_a_file_with_names_is_kept_encrypted_and_downloaded_in_clear(self, supervisor, trial_data, report_format):
        job = _ask(supervisor, format=report_format)
        job.refresh_from_db()
        assert job.includes_restricted
        stored = Path(job.file.path).read_bytes()
        assert stored.startswith(b"MPF1")
        with pytest.raises(zipfile.BadZipFile):
            zipfile.ZipFile(io.BytesIO(stored))
        response = client_for(supervisor).get(reverse("reports:download", args=[job.pk]))
        content = b"".join(response.streaming_content)
        assert content == _clear(job).getvalue()
        assert int(response["Content-Length"]) == len(content) == job.file_size
        names = zipfile.ZipFile(io.BytesIO(content)).namelist()
        assert names  # a whole workbook or archive

    def test_a_file_without_names_is_kept_as_it_is(self, management, trial_data):
        job = _ask(management, format="csv")
        job.refresh_from_db()
        assert not job.includes_restricted
        assert Path(job.file.path).read_bytes()[:2] == b"PK"

    def test_downloading_a_file_with_names_logs_each_case_it_names(self, department_head, monitor, trial_data):
        from django.contrib.contenttypes.models import ContentType

        from rights.models import Case
        from tests.factories import CaseFactory, HearingFactory, PartyFactory

        outside = CaseFactory(created_by=monitor)  # its only hearing is before the period: not in the file
        PartyFactory(case=outside)
        HearingFactory(case=outside, date=datetime.date(2025, 6, 1))
        job = _ask(department_head, format="xlsx")
        response = client_for(department_head).get(reverse("reports:download", args=[job.pk]))
        assert response.status_code == 200
        logged = set(
            AccessLog.objects.filter(
                user=department_head, content_type=ContentType.objects.get_for_model(Case)
            ).values_list("object_id", flat=True)
        )
        assert logged == {str(trial_data["prizren"].pk), str(trial_data["mitrovica"].pk)}
        assert AccessLog.objects.filter(user=department_head, **_of(job)).count() == 1

    def test_a_file_naming_more_cases_costs_no_more_queries(self, department_head, monitor, trial_data):
        """The cases a file names are recorded in bulk, not with a query for each case's court."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from tests.factories import CaseFactory, HearingFactory, PartyFactory

        def queries() -> int:
            with CaptureQueriesContext(connection) as captured:
                _ask(department_head, format="csv")
            return len(captured.captured_queries)

        queries()  # the first run also fills caches (content types, the summaries)
        before = queries()
        for _ in range(4):
            case = CaseFactory(created_by=monitor, court=trial_data["prizren"].court)
            PartyFactory(case=case)
            HearingFactory(case=case, date=datetime.date(2026, 2, 10))
        assert queries() == before


class TestAsking:
    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"from": "2026-13"}, "from"),
            ({"from": "2026-03", "to": "2026-01"}, "to"),
            ({"to": "2999-01"}, "to"),
            ({"from": "0001-01", "to": "0001-03"}, "from"),  # the report's previous period: year 0
            ({"format": "pdf"}, "format"),
            ({"language": "de"}, "language"),
            ({"region": "XXX"}, "region"),
        ],
    )
    def test_bad_parameters_are_refused_and_nothing_is_kept(self, department_head, trial_data, overrides, field):
        with pytest.raises(ValidationError) as error:
            _ask(department_head, **overrides)
        assert field in error.value.message_dict
        assert not ReportJob.objects.exists()

    def test_a_supervisor_cannot_ask_for_another_region(self, supervisor, trial_data):
        with pytest.raises(ValidationError) as error:
            _ask(supervisor, region="MIT")
        assert error.value.message_dict["region"] == ["You may only ask for reports on your own region."]
        job = _ask(supervisor, format="csv")  # no region: their own
        assert job.region.code == "PRZ"

    def test_an_unknown_report_is_refused(self, department_head):
        with pytest.raises(ValidationError):
            report_request(actor=department_head, report_type="nope", parameters=PARAMS)

    def test_monitors_may_not_ask(self, monitor):
        with pytest.raises(PermissionDenied):
            _ask(monitor, format="xlsx")

    def test_the_job_is_queued_when_the_request_commits(
        self, department_head, trial_data, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            job = report_request(actor=department_head, report_type="trial_monitoring_data", parameters=XLSX)
        assert len(callbacks) == 1
        assert ReportJob.objects.get(pk=job.pk).status == ReportStatus.QUEUED

    def test_the_form_shows_what_is_wrong(self, department_head, trial_data):
        response = client_for(department_head).post(
            reverse("reports:create"),
            {
                "report_type": "trial_monitoring",
                "start": "2026-01",
                "end": "2026-03",
                "format": "xlsx",
                "language": "en",
            },
        )
        assert response.status_code == 400
        assert "This report comes as PDF." in response.content.decode()
        assert not ReportJob.objects.exists()

    def test_in_process_the_form_says_the_report_is_made_while_the_user_waits(self, department_head, settings):
        settings.CELERY_TASK_ALWAYS_EAGER = True  # the embedded default: no broker, no worker
        content = client_for(department_head).get(reverse("reports:create")).content.decode()
        assert "made in the background" not in content
        assert "made while you wait" in content

    def test_with_a_worker_the_form_says_the_report_is_made_in_the_background(self, department_head, settings):
        settings.CELERY_TASK_ALWAYS_EAGER = False
        content = client_for(department_head).get(reverse("reports:create")).content.decode()
        assert "made in the background" in content
        assert "made while you wait" not in content

    def test_the_form_makes_the_report_and_shows_it(self, department_head, trial_data):
        client = client_for(department_head)
        with committed():
            response = client.post(
                reverse("reports:create"),
                {
                    "report_type": "trial_monitoring",
                    "start": "2026-01",
                    "end": "2026-03",
                    "format": "pdf",
                    "language": "sq",
                },
            )
        job = ReportJob.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("reports:detail", args=[job.pk])
        page = client.get(response["Location"]).content.decode()
        assert 'value="100"' in page
        assert reverse("reports:download", args=[job.pk]) in page
        assert client.get(reverse("reports:status", args=[job.pk])).json()["status"] == "done"
        listing = client.get(reverse("reports:list")).content.decode()
        assert "Trial-monitoring report" in listing


class TestRunning:
    def test_a_rerun_replaces_the_file(self, department_head, trial_data):
        job = _ask(department_head, format="xlsx")
        job.refresh_from_db()
        first = job.file.name
        with committed():
            report_rerun(actor=department_head, job=job)
        job.refresh_from_db()
        assert job.status == ReportStatus.DONE
        assert job.file.name != first
        assert not job.file.storage.exists(first)
        assert job.file.storage.exists(job.file.name)

    def test_running_a_done_job_again_changes_nothing(self, department_head, trial_data):
        job = _ask(department_head, format="xlsx")
        job.refresh_from_db()
        assert report_execute(job_id=job.pk) is None
        assert ReportJob.objects.get(pk=job.pk).file.name == job.file.name

    def test_a_live_job_is_not_taken_twice(self, department_head, trial_data, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=False):
            job = report_request(actor=department_head, report_type="trial_monitoring_data", parameters=XLSX)
        ReportJob.objects.filter(pk=job.pk).update(status="running", heartbeat_at=timezone.now())
        assert report_execute(job_id=job.pk) is None
        assert ReportJob.objects.get(pk=job.pk).attempts == 0

    def test_a_redelivery_whose_worker_process_is_gone_is_resumed_at_once(
        self, department_head, trial_data, django_capture_on_commit_callbacks
    ):
        """The broker hands the same task again because the process running it died: the heartbeat
        still looks fresh, but the owner is recorded and gone, so the job is not left "running"."""
        import os
        import subprocess

        from mission.reports.services import Attempt

        with django_capture_on_commit_callbacks(execute=False):
            job = report_request(actor=department_head, report_type="trial_monitoring_data", parameters=XLSX)
        dead = subprocess.Popen(["true"])
        dead.wait()
        ReportJob.objects.filter(pk=job.pk).update(
            status="running", heartbeat_at=timezone.now(), attempts=1, worker=f"node@here:{dead.pid}", task_id="t-1"
        )
        redelivery = Attempt(task_id="t-1", node="node@here", pid=os.getpid())
        assert report_execute(job_id=job.pk, attempt=redelivery).status == ReportStatus.DONE
        job.refresh_from_db()
        assert (job.attempts, job.worker, job.task_id) == (2, f"node@here:{os.getpid()}", "t-1")

    def test_a_redelivery_while_its_worker_process_lives_is_skipped(
        self, department_head, trial_data, django_capture_on_commit_callbacks
    ):
        import os

        from mission.reports.services import Attempt

        with django_capture_on_commit_callbacks(execute=False):
            job = report_request(actor=department_head, report_type="trial_monitoring_data", parameters=XLSX)
        ReportJob.objects.filter(pk=job.pk).update(
            status="running", heartbeat_at=timezone.now(), attempts=1, worker=f"node@here:{os.getppid()}", task_id="t-1"
        )
        for attempt in (
            Attempt(task_id="t-1", node="node@here", pid=os.getpid()),  # the broker's redelivery of a long job
            Attempt(task_id="t-2", node="node@here", pid=os.getpid()),  # another message for the same job
        ):
            assert report_execute(job_id=job.pk, attempt=attempt) is None
        assert ReportJob.objects.get(pk=job.pk).attempts == 1

    def test_by_default_a_silent_job_is_recovered_within_a_minute(self, settings):
        """The heartbeat's staleness plus the sweeper's interval: how long a job whose worker vanished
        (no redelivery: the whole worker machine is gone) stays "running"."""
        from mission.reports.services import heartbeat_interval

        sweep = settings.CELERY_BEAT_SCHEDULE["sweep-reports"]["schedule"]
        assert settings.REPORTS_STALE_SECONDS + sweep <= 60
        assert heartbeat_interval() * 3 <= settings.REPORTS_STALE_SECONDS  # three missed beats, not one

    def test_the_task_runs_the_job(self, department_head, trial_data, django_capture_on_commit_callbacks):
        from mission.reports.tasks import run_report

        with django_capture_on_commit_callbacks(execute=False):
            job = report_request(actor=department_head, report_type="trial_monitoring_data", parameters=XLSX)
        assert run_report(job.pk) == "done"

    def test_the_sweeper_queues_again_what_never_started(
        self, department_head, trial_data, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=False):  # the broker never saw it
            job = report_request(actor=department_head, report_type="trial_monitoring_data", parameters=XLSX)
        ReportJob.objects.filter(pk=job.pk).update(enqueued_at=timezone.now() - datetime.timedelta(minutes=10))
        assert reports_sweep()["requeued"] == 1
        assert ReportJob.objects.get(pk=job.pk).status == ReportStatus.DONE

    def test_the_sweeper_recovers_a_job_whose_worker_died(
        self, department_head, trial_data, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=False):
            job = report_request(actor=department_head, report_type="trial_monitoring_data", parameters=XLSX)
        gone = timezone.now() - datetime.timedelta(hours=1)
        ReportJob.objects.filter(pk=job.pk).update(status="running", heartbeat_at=gone, attempts=1)
        assert reports_sweep()["recovered"] == 1
        job.refresh_from_db()
        assert job.status == ReportStatus.DONE
        assert job.attempts == 2

    def test_the_sweeper_gives_up_after_the_last_attempt(self, department_head, trial_data, settings):
        job = _ask(department_head, format="xlsx")
        gone = timezone.now() - datetime.timedelta(hours=1)
        ReportJob.objects.filter(pk=job.pk).update(
            status="running", heartbeat_at=gone, attempts=settings.REPORTS_MAX_ATTEMPTS
        )
        assert reports_sweep()["failed"] == 1
        job.refresh_from_db()
        assert job.status == ReportStatus.FAILED
        assert "stopped 3 times" in job.error

    def test_the_sweeper_command(self, trial_data):
        from django.core.management import call_command

        out = io.StringIO()
        call_command("reports_sweep", "--cleanup", stdout=out)
        assert "requeued 0, recovered 0, failed 0" in out.getvalue()
        assert "removed 0 old report files" in out.getvalue()

    def test_old_files_are_removed(self, department_head, trial_data):
        job = _ask(department_head, format="xlsx")
        job.refresh_from_db()
        name = job.file.name
        ReportJob.objects.filter(pk=job.pk).update(finished_at=timezone.now() - datetime.timedelta(days=40))
        assert reports_cleanup() == 1
        job.refresh_from_db()
        assert job.status == ReportStatus.EXPIRED
        assert not job.file
        assert not job.file.storage.exists(name)

    def test_the_monthly_reports_are_made_once_per_region(self, supervisor, trial_data):
        with committed():
            jobs = reports_schedule_monthly(month=datetime.date(2026, 2, 1))
        assert len(jobs) == 5
        assert reports_schedule_monthly(month=datetime.date(2026, 2, 1)) == []
        prizren = ReportJob.objects.get(region__code="PRZ")
        assert prizren.requested_by is None
        assert prizren.status == ReportStatus.DONE
        assert prizren.parameters["from"] == prizren.parameters["to"] == "2026-02"
        assert "Hearings monitored 2" in _pdf_text(prizren)
        # Scheduled reports of a region are the region's: its supervisor sees that one only.
        assert list(ReportJob.objects.visible_to(supervisor)) == [prizren]


class _SilentServer:
    """A TCP server that accepts connections and never answers: a hung Redis."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.clients = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                self.clients.append(self.sock.accept()[0])
            except OSError:
                return

    def close(self) -> None:
        self.sock.close()
        for client in self.clients:
            client.close()


@pytest.fixture
def broker(settings):
    """Point Celery at a broker URL for one test, with tasks no longer run in-process."""
    from mission.celery import app

    saved = {"broker_url": app.conf.broker_url, "task_always_eager": app.conf.task_always_eager}
    pools = app._pool, app.amqp._producer_pool

    def use(url):
        settings.CELERY_TASK_ALWAYS_EAGER = False
        app._pool = app.amqp._producer_pool = None  # connect afresh, to this URL
        app.conf.update(broker_url=url, task_always_eager=False)

    yield use
    if app._pool is not None:
        app._pool.force_close_all()
    app._pool, app.amqp._producer_pool = pools
    app.conf.update(**saved)


@pytest.mark.parametrize("state", ["stopped", "hung"])
def test_asking_while_the_broker_is_down_answers_quickly_and_keeps_the_job(department_head, trial_data, broker, state):
    server = _SilentServer() if state == "hung" else None
    if server is None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]  # nobody listens here once the probe is closed
    else:
        port = server.port
    broker(f"redis://127.0.0.1:{port}/0")
    try:
        started = time.monotonic()
        with committed():
            response = client_for(department_head).post(
                reverse("reports:create"),
                {
                    "report_type": "trial_monitoring_data",
                    "start": "2026-01",
                    "end": "2026-03",
                    "format": "csv",
                    "language": "en",
                },
            )
        elapsed = time.monotonic() - started
    finally:
        if server:
            server.close()
    assert response.status_code == 302
    assert elapsed < 10, f"the request took {elapsed:.1f} s"
    job = ReportJob.objects.get()
    assert job.status == ReportStatus.QUEUED
    assert "Waiting for the job queue" in job.progress_note


class TestAccess:
    URLS = ["reports:list", "reports:create"]

    @pytest.mark.parametrize("actor", ["monitor", "partner", "administrator", "other_department_monitor"])
    def test_who_may_not_use_reports(self, request, actor):
        client = client_for(request.getfixturevalue(actor))
        for name in self.URLS:
            assert client.get(reverse(name)).status_code == 403

    @pytest.mark.parametrize("page", ["99999999999999999999", "0", "²"])
    def test_a_page_number_that_cannot_be_is_a_400(self, department_head, page):
        response = client_for(department_head).get(reverse("reports:list"), {"page": page})
        assert response.status_code == 400
        assert "There is no page" in response.content.decode()

    def test_anonymous_users_are_sent_to_sign_in(self):
        assert client_for(None).get(reverse("reports:list")).status_code == 302

    def test_another_regions_job_is_not_found(self, supervisor, geography, trial_data):
        from tests.factories import UserFactory

        other = UserFactory(username="supervisor.mitrovica", supervisor=True, region=geography["MIT"])
        job = _ask(other, format="csv")
        client = client_for(supervisor)
        for name in ("reports:detail", "reports:status", "reports:download"):
            assert client.get(reverse(name, args=[job.pk])).status_code == 404
        assert client.post(reverse("reports:rerun", args=[job.pk])).status_code == 404

    @pytest.mark.parametrize(
        ("actor", "expected"),
        [
            ("supervisor", 200),  # asked for it
            ("department_head", 200),  # their department
            ("management", 200),  # everything (the file has no names)
            ("other_region_monitor", 403),  # no reports at all
            ("monitor", 403),
            ("partner", 403),
            ("administrator", 403),
            ("other_department_monitor", 403),
            ("anonymous", 302),
        ],
    )
    def test_every_actor_on_a_job(self, request, actor, expected, trial_data):
        job = _ask(request.getfixturevalue("management"), format="csv", region="PRZ")
        user = None if actor == "anonymous" else request.getfixturevalue(actor)
        if actor == "supervisor":
            job = _ask(user, format="csv")
            ReportJob.objects.filter(pk=job.pk).update(includes_restricted=False)
        client = client_for(user)
        for name in ("reports:detail", "reports:status", "reports:download"):
            assert client.get(reverse(name, args=[job.pk])).status_code == expected, name
        rerun = client.post(reverse("reports:rerun", args=[job.pk]))
        assert rerun.status_code == (302 if expected == 200 else expected)

    def test_the_head_sees_the_regions_reports(self, supervisor, department_head, trial_data):
        job = _ask(supervisor, format="csv")
        assert client_for(department_head).get(reverse("reports:detail", args=[job.pk])).status_code == 200


def test_the_database_writes_the_csv_as_python_does(department_head, trial_data, tmp_path):
    """On PostgreSQL the CSV comes from COPY; it must say exactly what the portable writer says."""
    from django.db import connection

    from mission.exports import copy_csv_zip, python_csv_zip
    from mission.reports.registry import ReportContext
    from rights import reports
    from tests.conftest import require_service

    require_service(connection.vendor == "postgresql", "postgresql", "PostgreSQL (DATABASE_URL)")
    from rights.models import Party

    Party.objects.filter(role="accused").update(name='Name, with "quotes"')
    # Text that a spreadsheet would run: both writers neutralise it the same way.
    from rights.models import Case, Observation

    Case.objects.filter(pk=trial_data["prizren"].pk).update(case_number="=1+2")
    Case.objects.filter(pk=trial_data["mitrovica"].pk).update(case_number="\t@cmd")
    Observation.objects.update(summary="-2+3")
    job = ReportJob(report_type="trial_monitoring_data", department="rights", language="en", format="csv")
    outputs = {}
    for name, writer in (("copy", copy_csv_zip), ("python", python_csv_zip)):
        context = ReportContext(
            job=job,
            user=department_head,
            parameters=PARAMS,
            output=tmp_path / f"{name}.zip",
            progress=lambda fraction, note: None,
            includes_restricted=True,
        )
        regions = reports._regions(context)
        tables = [reports._hearing_table(context, regions), reports._observation_table(context, regions)]
        writer(context.output, [*tables, reports._accused_table(context, regions)], context.progress)
        with zipfile.ZipFile(context.output) as archive:
            outputs[name] = {n: archive.read(n) for n in sorted(archive.namelist())}
    assert outputs["copy"] == outputs["python"]
    assert b'Name, with ""quotes""' in outputs["copy"]["hearings.csv"]
    assert b",'=1+2," in outputs["copy"]["hearings.csv"]
    assert b",'\t@cmd," in outputs["copy"]["hearings.csv"]
    assert b",'-2+3\n" in outputs["copy"]["observations.csv"]


def test_a_job_that_keeps_failing_transiently_is_given_up(department_head, trial_data, settings, monkeypatch):
    """A database that keeps failing: the job returns to the queue between retries, and once it has
    used its attempts the sweeper marks it failed instead of queueing it for ever."""
    from django.db import OperationalError

    from rights import reports

    def broken(context):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(reports, "build_trial_monitoring_data", broken)
    from mission.reports import registry

    kind = registry.get("trial_monitoring_data")
    monkeypatch.setitem(registry._types, kind.key, type(kind)(**{**kind.__dict__, "build": broken}))
    job = _ask(department_head, format="csv")  # in-process: the retries run at once and all fail
    job.refresh_from_db()
    assert job.status == ReportStatus.QUEUED
    assert job.attempts >= 1
    ReportJob.objects.filter(pk=job.pk).update(
        attempts=settings.REPORTS_MAX_ATTEMPTS, enqueued_at=timezone.now() - datetime.timedelta(hours=1)
    )
    assert reports_sweep()["failed"] == 1
    job.refresh_from_db()
    assert job.status == ReportStatus.FAILED
    assert "could not be made after 3 attempts" in job.error


class TestReviewedEdges:
    def test_a_requester_who_lost_the_right_to_names_cannot_download_them(self, supervisor, trial_data):
        job = _ask(supervisor, format="xlsx")
        supervisor.role, supervisor.region, supervisor.department = "management", None, "mission"
        supervisor.save()
        assert client_for(supervisor).get(reverse("reports:download", args=[job.pk])).status_code == 403

    def test_a_rerun_reads_the_requesters_rights_again(self, supervisor, department_head, trial_data):
        job = _ask(supervisor, format="xlsx")
        assert ReportJob.objects.get(pk=job.pk).includes_restricted
        supervisor.is_active = False  # left the mission
        supervisor.save(update_fields=["is_active"])
        with committed():
            report_rerun(actor=_head(), job=job)
        job.refresh_from_db()
        assert job.status == ReportStatus.FAILED
        assert "may no longer have it" in job.error

    def test_a_run_that_lost_the_job_to_another_keeps_no_file(self, department_head, trial_data, tmp_path):
        from mission.reports import services

        with TestCase.captureOnCommitCallbacks(execute=False):
            job = report_request(actor=department_head, report_type="trial_monitoring_data", parameters=XLSX)
        claimed = services._claim(job.pk)
        ReportJob.objects.filter(pk=job.pk).update(attempts=claimed.attempts + 1)  # another run took over
        path = tmp_path / "late.xlsx"
        path.write_bytes(b"late")
        services._store(claimed, path, "late.xlsx")
        job.refresh_from_db()
        assert job.status == ReportStatus.RUNNING
        assert not job.file
        assert not list((tmp_path / "media" / "reports").glob(f"{job.pk}/*"))

    def test_clean_up_removes_failed_runs_files_and_old_scratch(self, department_head, trial_data, settings):
        import os

        from mission.reports.services import _scratch_root

        job = _ask(department_head, format="xlsx")
        job.refresh_from_db()
        name = job.file.name
        ReportJob.objects.filter(pk=job.pk).update(
            status="failed", finished_at=timezone.now() - datetime.timedelta(days=40)
        )
        scratch = Path(_scratch_root()) / "report-1-left"
        scratch.mkdir()
        old = time.time() - settings.REPORTS_SOFT_TIME_LIMIT - 3600
        os.utime(scratch, (old, old))
        assert reports_cleanup() == 1
        job.refresh_from_db()
        assert job.status == ReportStatus.FAILED
        assert not job.file.storage.exists(name)
        assert not scratch.exists()

    def test_a_scope_that_sees_nothing_sums_to_nothing(self):
        from django.db.models import F

        from mission.dashboards.rollup import Rollup, rollup_many
        from rights.models import HearingMonth

        nothing = Rollup(HearingMonth.objects.none(), {"month": F("month")}, {"hearings": F("hearings")})
        assert rollup_many([nothing]) == {}


def _head():
    from mission.accounts.models import User

    return User.objects.get(username="head")


class TestWhatUsersNoticed:
    """Issue 11, item 32: a tagged PDF, a filterable XLSX, a download link in the list, formats per report."""

    def test_the_pdf_is_tagged_for_screen_readers(self, department_head, trial_data):
        job = _ask(department_head, "trial_monitoring", format="pdf")
        job.refresh_from_db()
        catalog = pypdf.PdfReader(_clear(job)).trailer["/Root"]
        assert "/StructTreeRoot" in catalog
        assert bool(catalog["/MarkInfo"]["/Marked"])
        assert catalog["/Lang"]  # the language a screen reader speaks it in

    def test_the_xlsx_sheets_have_an_autofilter_over_the_whole_table(self, department_head, trial_data):
        job = _ask(department_head, format="xlsx")
        job.refresh_from_db()
        workbook = load_workbook(_clear(job))
        hearings = workbook["Hearings"]
        assert hearings.auto_filter.ref == f"A1:{hearings.cell(1, hearings.max_column).column_letter}5"
        assert workbook["Observations"].auto_filter.ref.startswith("A1:")

    def test_the_list_links_each_finished_report_to_its_file(self, department_head, trial_data):
        done = _ask(department_head, format="xlsx")
        queued = ReportJob.objects.create(
            report_type="trial_monitoring_data",
            department="rights",
            requested_by=department_head,
            parameters={**XLSX},
            language="en",
            format="xlsx",
        )
        listing = client_for(department_head).get(reverse("reports:list")).content.decode()
        assert f'href="{reverse("reports:download", args=[done.pk])}"' in listing
        assert reverse("reports:download", args=[queued.pk]) not in listing

    def test_the_list_offers_no_download_of_a_file_the_user_may_not_have(self, supervisor, management, trial_data):
        with_names = _ask(supervisor, format="xlsx")
        assert with_names.includes_restricted
        listing = client_for(management).get(reverse("reports:list")).content.decode()
        assert reverse("reports:detail", args=[with_names.pk]) in listing  # listed, as before
        assert reverse("reports:download", args=[with_names.pk]) not in listing

    def test_the_form_tells_the_browser_which_formats_each_report_comes_in(self, department_head):
        html = client_for(department_head).get(reverse("reports:create")).content.decode()
        assert 'data-formats="{&quot;trial_monitoring&quot;: [&quot;pdf&quot;]' in html


def _page_fills(document) -> list[tuple[float, bool]]:
    """For each laid-out page of a WeasyPrint document: how far down its content reaches, as a share of
    the page's text block, and whether it starts a new part (`.new-page`: an earlier page may end short)."""
    pages = []
    for page in document.pages:
        box = page._page_box
        bottoms, starts_part = [], False
        for child in box.children[0].descendants():
            if child.element_tag not in ("html", "body"):
                bottoms.append(child.position_y + child.margin_height())
            element = getattr(child, "element", None)
            if element is not None and "new-page" in (element.get("class") or ""):
                starts_part = True
        pages.append(((max(bottoms, default=box.margin_top) - box.margin_top) / box.height, starts_part))
    return pages


def test_the_pdf_leaves_no_page_nearly_empty_before_a_long_chart(department_head, geography, monitor, monkeypatch):
    """A chart with a bar per court (about 40) and its table no longer jump whole to the next page,
    leaving most of a page empty (issue 11, item 29)."""
    from weasyprint.document import Document

    from rights.models import Court
    from tests.factories import CaseFactory, HearingFactory

    laid_out = []
    write_pdf = Document.write_pdf
    monkeypatch.setattr(Document, "write_pdf", lambda self, *a, **k: laid_out.append(self) or write_pdf(self, *a, **k))
    for court in Court.objects.filter(seat__isnull=False):
        HearingFactory(case=CaseFactory(court=court, created_by=monitor), date=datetime.date(2026, 2, 2))
    job = _ask(department_head, "trial_monitoring", format="pdf")
    job.refresh_from_db()
    assert job.status == ReportStatus.DONE, job.error
    fills = _page_fills(laid_out[0])
    # The title page stands alone; a page may end short where the next starts a new part, and the last.
    for n in range(1, len(fills) - 1):
        fill, next_starts_part = fills[n][0], fills[n + 1][1]
        if not next_starts_part:
            assert fill > 0.5, f"page {n + 1} of {len(fills)} is {fill:.0%} full"
