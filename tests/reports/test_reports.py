"""Reports as every department's use them: asking, running (in-process here), files with names kept
encrypted and their downloads logged, re-runs, the sweeper, the monthly schedule, clean-up, and who may
do what. Each department's report and records come from its test contract (tests/departments.py:
`REPORT_TYPE`, `REPORT_PARAMETERS`, `<label>_actors`, `<label>_objects`); what trial monitoring's
reports say is tested in tests/rights/test_reports.py."""

import datetime
import io
import socket
import threading
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from mission.audit.models import AccessLog
from mission.reports import registry
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
from tests.departments import contract_fixtures, contracts
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

globals().update(contract_fixtures())
CONTRACTS = contracts()


@dataclass
class Department:
    label: str
    contract: ModuleType
    actors: dict

    @property
    def report_type(self) -> str:
        return self.contract.REPORT_TYPE

    def parameters(self, **overrides) -> dict:
        return {**self.contract.REPORT_PARAMETERS, "format": "xlsx", **overrides}


@pytest.fixture(params=sorted(CONTRACTS))
def department(request) -> Department:
    label = request.param
    request.getfixturevalue(f"{label}_objects")
    return Department(label, CONTRACTS[label], request.getfixturevalue(f"{label}_actors"))


def committed():
    """Run the on-commit callbacks (the test's transaction never commits)."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def _ask(department: Department, actor="department_head", **overrides):
    """Ask for the department's report, and run what the request queues once it commits."""
    user = department.actors[actor] if isinstance(actor, str) else actor
    with committed():
        return report_request(
            actor=user, report_type=department.report_type, parameters=department.parameters(**overrides)
        )


def _queued(department: Department, django_capture_on_commit_callbacks):
    """Ask, without running: the broker never saw it."""
    with django_capture_on_commit_callbacks(execute=False):
        return report_request(
            actor=department.actors["department_head"],
            report_type=department.report_type,
            parameters=department.parameters(),
        )


def _of(obj) -> dict:
    """The access-log filter for one record (ids of different models can be equal)."""
    from django.contrib.contenttypes.models import ContentType

    return {"content_type": ContentType.objects.get_for_model(obj), "object_id": str(obj.pk)}


def _clear(job) -> io.BytesIO:
    """The file as it is downloaded (a file with names is stored encrypted: tests/sensitivity)."""
    with report_open(job) as handle:
        return io.BytesIO(handle.read())


def test_each_department_has_a_report_of_its_own():
    from mission import departments

    for config in departments.all():
        if config.label not in CONTRACTS:
            continue
        report_type = registry.get(CONTRACTS[config.label].REPORT_TYPE)
        label = config.label
        assert report_type is not None, label
        assert report_type.department == config.department, label
        assert {"xlsx", "csv"} <= set(report_type.formats), label
        assert report_type.may_include_restricted, label


class TestNames:
    def test_a_file_with_names_is_not_for_management_and_its_download_is_logged(self, department):
        job = _ask(department, "supervisor")
        url = reverse("reports:download", args=[job.pk])
        assert client_for(department.actors["management"]).get(url).status_code == 403
        supervisor = department.actors["supervisor"]
        response = client_for(supervisor).get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content)[:2] == b"PK"
        assert AccessLog.objects.filter(user=supervisor, **_of(job)).count() == 1

    @pytest.mark.parametrize("report_format", ["xlsx", "csv"])
    def test_a_file_with_names_is_kept_encrypted_and_downloaded_in_clear(self, department, report_format):
        job = _ask(department, "supervisor", format=report_format)
        job.refresh_from_db()
        assert job.includes_restricted
        stored = Path(job.file.path).read_bytes()
        assert stored.startswith(b"MPF1")
        with pytest.raises(zipfile.BadZipFile):
            zipfile.ZipFile(io.BytesIO(stored))
        response = client_for(department.actors["supervisor"]).get(reverse("reports:download", args=[job.pk]))
        content = b"".join(response.streaming_content)
        assert content == _clear(job).getvalue()
        assert int(response["Content-Length"]) == len(content) == job.file_size
        names = zipfile.ZipFile(io.BytesIO(content)).namelist()
        assert names  # a whole workbook or archive

    def test_a_file_without_names_is_kept_as_it_is(self, department):
        job = _ask(department, "management", format="csv")
        job.refresh_from_db()
        assert not job.includes_restricted
        assert Path(job.file.path).read_bytes()[:2] == b"PK"


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
    def test_bad_parameters_are_refused_and_nothing_is_kept(self, department, overrides, field):
        with pytest.raises(ValidationError) as error:
            _ask(department, **overrides)
        assert field in error.value.message_dict
        assert not ReportJob.objects.exists()

    def test_a_supervisor_cannot_ask_for_another_region(self, department):
        with pytest.raises(ValidationError) as error:
            _ask(department, "supervisor", region="MIT")
        assert error.value.message_dict["region"] == ["You may only ask for reports on your own region."]
        job = _ask(department, "supervisor", format="csv")  # no region: their own
        assert job.region == department.actors["supervisor"].region

    def test_an_unknown_report_is_refused(self, department_head):
        with pytest.raises(ValidationError):
            report_request(actor=department_head, report_type="nope", parameters={"from": "2026-01", "to": "2026-01"})

    @pytest.mark.parametrize("actor", ["monitor", "other_region_monitor", "partner", "other_department_monitor"])
    def test_monitors_and_others_may_not_ask(self, department, actor):
        with pytest.raises(PermissionDenied):
            _ask(department, actor)

    def test_the_job_is_queued_when_the_request_commits(self, department, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            job = report_request(
                actor=department.actors["department_head"],
                report_type=department.report_type,
                parameters=department.parameters(),
            )
        assert len(callbacks) == 1
        assert ReportJob.objects.get(pk=job.pk).status == ReportStatus.QUEUED

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

    @pytest.mark.parametrize("actor", ["supervisor", "department_head"])
    def test_the_form_makes_the_report_and_shows_it(self, department, actor):
        client = client_for(department.actors[actor])
        parameters = department.parameters()
        with committed():
            response = client.post(
                reverse("reports:create"),
                {
                    "report_type": department.report_type,
                    "start": parameters["from"],
                    "end": parameters["to"],
                    "format": "xlsx",
                    "language": "en",
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
        assert str(registry.get(department.report_type).label) in listing


class TestRunning:
    def test_a_rerun_replaces_the_file(self, department):
        job = _ask(department)
        job.refresh_from_db()
        first = job.file.name
        with committed():
            report_rerun(actor=department.actors["department_head"], job=job)
        job.refresh_from_db()
        assert job.status == ReportStatus.DONE
        assert job.file.name != first
        assert not job.file.storage.exists(first)
        assert job.file.storage.exists(job.file.name)

    def test_running_a_done_job_again_changes_nothing(self, department):
        job = _ask(department)
        job.refresh_from_db()
        assert report_execute(job_id=job.pk) is None
        assert ReportJob.objects.get(pk=job.pk).file.name == job.file.name

    def test_a_live_job_is_not_taken_twice(self, department, django_capture_on_commit_callbacks):
        job = _queued(department, django_capture_on_commit_callbacks)
        ReportJob.objects.filter(pk=job.pk).update(status="running", heartbeat_at=timezone.now())
        assert report_execute(job_id=job.pk) is None
        assert ReportJob.objects.get(pk=job.pk).attempts == 0

    def test_a_redelivery_whose_worker_process_is_gone_is_resumed_at_once(
        self, department, django_capture_on_commit_callbacks
    ):
        """The broker hands the same task again because the process running it died: the heartbeat
        still looks fresh, but the owner is recorded and gone, so the job is not left "running"."""
        import os
        import subprocess

        from mission.reports.services import Attempt

        job = _queued(department, django_capture_on_commit_callbacks)
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
        self, department, django_capture_on_commit_callbacks
    ):
        import os

        from mission.reports.services import Attempt

        job = _queued(department, django_capture_on_commit_callbacks)
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

    def test_the_task_runs_the_job(self, department, django_capture_on_commit_callbacks):
        from mission.reports.tasks import run_report

        job = _queued(department, django_capture_on_commit_callbacks)
        assert run_report(job.pk) == "done"

    def test_the_sweeper_queues_again_what_never_started(self, department, django_capture_on_commit_callbacks):
        job = _queued(department, django_capture_on_commit_callbacks)
        ReportJob.objects.filter(pk=job.pk).update(enqueued_at=timezone.now() - datetime.timedelta(minutes=10))
        assert reports_sweep()["requeued"] == 1
        assert ReportJob.objects.get(pk=job.pk).status == ReportStatus.DONE

    def test_the_sweeper_recovers_a_job_whose_worker_died(self, department, django_capture_on_commit_callbacks):
        job = _queued(department, django_capture_on_commit_callbacks)
        gone = timezone.now() - datetime.timedelta(hours=1)
        ReportJob.objects.filter(pk=job.pk).update(status="running", heartbeat_at=gone, attempts=1)
        assert reports_sweep()["recovered"] == 1
        job.refresh_from_db()
        assert job.status == ReportStatus.DONE
        assert job.attempts == 2

    def test_the_sweeper_gives_up_after_the_last_attempt(self, department, settings):
        job = _ask(department)
        gone = timezone.now() - datetime.timedelta(hours=1)
        ReportJob.objects.filter(pk=job.pk).update(
            status="running", heartbeat_at=gone, attempts=settings.REPORTS_MAX_ATTEMPTS
        )
        assert reports_sweep()["failed"] == 1
        job.refresh_from_db()
        assert job.status == ReportStatus.FAILED
        assert "stopped 3 times" in job.error

    def test_the_sweeper_command(self, geography):
        from django.core.management import call_command

        out = io.StringIO()
        call_command("reports_sweep", "--cleanup", stdout=out)
        assert "requeued 0, recovered 0, failed 0" in out.getvalue()
        assert "removed 0 old report files" in out.getvalue()

    def test_old_files_are_removed(self, department):
        job = _ask(department)
        job.refresh_from_db()
        name = job.file.name
        ReportJob.objects.filter(pk=job.pk).update(finished_at=timezone.now() - datetime.timedelta(days=40))
        assert reports_cleanup() == 1
        job.refresh_from_db()
        assert job.status == ReportStatus.EXPIRED
        assert not job.file
        assert not job.file.storage.exists(name)

    def test_the_monthly_reports_are_made_once_per_region_and_type(self, geography):
        monthly = {t.key for t in registry.all_types() if t.monthly}
        assert monthly  # trial monitoring's, at least
        with committed():
            jobs = reports_schedule_monthly(month=datetime.date(2026, 2, 1))
        assert sorted((j.report_type, j.region.code) for j in jobs) == sorted(
            (key, code) for key in monthly for code in geography
        )
        assert reports_schedule_monthly(month=datetime.date(2026, 2, 1)) == []
        for job in ReportJob.objects.filter(region__code="PRZ"):
            assert job.requested_by is None
            assert job.status == ReportStatus.DONE, job.error
            assert job.parameters["from"] == job.parameters["to"] == "2026-02"


class _SilentServer:
    """A TCP server that accepts connections and never answers: a hung Redis."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.clients: list[socket.socket] = []
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
def test_asking_while_the_broker_is_down_answers_quickly_and_keeps_the_job(department, broker, state):
    server = _SilentServer() if state == "hung" else None
    if server is None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]  # nobody listens here once the probe is closed
    else:
        port = server.port
    broker(f"redis://127.0.0.1:{port}/0")
    parameters = department.parameters()
    try:
        started = time.monotonic()
        with committed():
            response = client_for(department.actors["department_head"]).post(
                reverse("reports:create"),
                {
                    "report_type": department.report_type,
                    "start": parameters["from"],
                    "end": parameters["to"],
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

    def test_another_regions_job_is_not_found(self, department, geography):
        other = UserFactory(
            username="supervisor.mitrovica",
            supervisor=True,
            region=geography["MIT"],
            department=department.actors["supervisor"].department,
        )
        job = _ask(department, other, format="csv")
        client = client_for(department.actors["supervisor"])
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
    def test_every_actor_on_a_job(self, department, actor, expected):
        job = _ask(department, "management", format="csv", region="PRZ")
        user = department.actors[actor]
        if actor == "supervisor":
            job = _ask(department, user, format="csv")
            ReportJob.objects.filter(pk=job.pk).update(includes_restricted=False)
        client = client_for(user)
        for name in ("reports:detail", "reports:status", "reports:download"):
            assert client.get(reverse(name, args=[job.pk])).status_code == expected, name
        rerun = client.post(reverse("reports:rerun", args=[job.pk]))
        assert rerun.status_code == (302 if expected == 200 else expected)

    def test_the_head_sees_the_regions_reports(self, department):
        job = _ask(department, "supervisor", format="csv")
        head = client_for(department.actors["department_head"])
        assert head.get(reverse("reports:detail", args=[job.pk])).status_code == 200


def test_a_job_that_keeps_failing_transiently_is_given_up(department, settings, monkeypatch):
    """A database that keeps failing: the job returns to the queue between retries, and once it has
    used its attempts the sweeper marks it failed instead of queueing it for ever."""
    from django.db import OperationalError

    def broken(context):
        raise OperationalError("server closed the connection unexpectedly")

    kind = registry.get(department.report_type)
    monkeypatch.setitem(registry._types, kind.key, type(kind)(**{**kind.__dict__, "build": broken}))
    job = _ask(department, format="csv")  # in-process: the retries run at once and all fail
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
    def test_a_requester_who_lost_the_right_to_names_cannot_download_them(self, department):
        supervisor = department.actors["supervisor"]
        job = _ask(department, supervisor)
        supervisor.role, supervisor.region, supervisor.department = "management", None, "mission"
        supervisor.save()
        assert client_for(supervisor).get(reverse("reports:download", args=[job.pk])).status_code == 403

    def test_a_rerun_reads_the_requesters_rights_again(self, department):
        supervisor = department.actors["supervisor"]
        job = _ask(department, supervisor)
        assert ReportJob.objects.get(pk=job.pk).includes_restricted
        supervisor.is_active = False  # left the mission
        supervisor.save(update_fields=["is_active"])
        with committed():
            report_rerun(actor=department.actors["department_head"], job=job)
        job.refresh_from_db()
        assert job.status == ReportStatus.FAILED
        assert "may no longer have it" in job.error

    def test_a_run_that_lost_the_job_to_another_keeps_no_file(
        self, department, tmp_path, django_capture_on_commit_callbacks
    ):
        from mission.reports import services

        job = _queued(department, django_capture_on_commit_callbacks)
        claimed = services._claim(job.pk)
        ReportJob.objects.filter(pk=job.pk).update(attempts=claimed.attempts + 1)  # another run took over
        path = tmp_path / "late.xlsx"
        path.write_bytes(b"late")
        services._store(claimed, path, "late.xlsx")
        job.refresh_from_db()
        assert job.status == ReportStatus.RUNNING
        assert not job.file
        assert not list((tmp_path / "media" / "reports").glob(f"{job.pk}/*"))

    def test_clean_up_removes_failed_runs_files_and_old_scratch(self, department, settings):
        import os

        from mission.reports.services import _scratch_root

        job = _ask(department)
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


class TestWhatUsersNoticed:
    """Issue 11, item 32: a download link in the list, none for a file the user may not have."""

    def test_the_list_links_each_finished_report_to_its_file(self, department):
        head = department.actors["department_head"]
        done = _ask(department)
        queued = ReportJob.objects.create(
            report_type=department.report_type,
            department=registry.get(department.report_type).department,
            requested_by=head,
            parameters=department.parameters(),
            language="en",
            format="xlsx",
        )
        listing = client_for(head).get(reverse("reports:list")).content.decode()
        assert f'href="{reverse("reports:download", args=[done.pk])}"' in listing
        assert reverse("reports:download", args=[queued.pk]) not in listing

    def test_the_list_offers_no_download_of_a_file_the_user_may_not_have(self, department):
        with_names = _ask(department, "supervisor")
        assert with_names.includes_restricted
        listing = client_for(department.actors["management"]).get(reverse("reports:list")).content.decode()
        assert reverse("reports:detail", args=[with_names.pk]) in listing  # listed, as before
        assert reverse("reports:download", args=[with_names.pk]) not in listing
