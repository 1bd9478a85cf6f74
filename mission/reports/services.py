"""Writes of the report framework: asking for a report, running it, re-running it, sweeping stuck
jobs, and removing old files. Tasks get job IDs, never objects; running a job twice replaces its file.
"""

import datetime
import functools
import logging
import os
import shutil
import socket
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from field_offices.models import Region
from mission.accounts.models import User
from mission.accounts.permissions import Capability, has_capability, reads_department, scope_for, sees_restricted
from mission.dashboards.periods import MAX_MONTHS, month_in_range, month_range_message, months_between
from mission.encryption import DecryptingReader, encrypt_file, open_clear
from mission.notifications.models import NotificationKind
from mission.notifications.services import notify
from mission.replicas import replica_caught_up, replica_reads
from mission.reports import registry
from mission.reports.models import ReportJob, ReportStatus

if TYPE_CHECKING:
    from celery.app.task import Context

logger = logging.getLogger(__name__)


def _month(value: str, field: str) -> datetime.date:
    try:
        month = datetime.datetime.strptime(value or "", "%Y-%m").date()
    except ValueError:
        raise ValidationError({field: _("Enter a month as YYYY-MM, for example 2026-03.")}) from None
    if not month_in_range(month):
        raise ValidationError({field: month_range_message()})
    return month


def _validated(actor: User | None, report_type: registry.ReportType, parameters: dict[str, Any]) -> dict[str, Any]:
    """The parameters as they will be frozen on the job, or a ValidationError naming what is wrong."""
    errors: dict[str, str] = {}
    first = _month(parameters.get("from", ""), "from")
    last = _month(parameters.get("to", ""), "to")
    if first > last:
        errors["to"] = _("The first month of the period must not be after the last.")
    elif months_between(first, last) > MAX_MONTHS:
        errors["to"] = _("Choose a period of at most %(months)s months.") % {"months": MAX_MONTHS}
    if last > timezone.localdate().replace(day=1):
        errors["to"] = _("The period cannot end in the future.")
    report_format = parameters.get("format", "")
    if report_format not in report_type.formats:
        errors["format"] = _("This report comes as %(formats)s.") % {
            "formats": ", ".join(f.upper() for f in report_type.formats)
        }
    language = parameters.get("language", "")
    if language not in dict(settings.LANGUAGES):
        errors["language"] = _("Choose one of the portal's languages.")
    region_code = parameters.get("region") or ""
    region = None
    if region_code:
        region = Region.objects.filter(code=region_code).first()
        if region is None:
            errors["region"] = _("Choose a region from the list.")
    scope = scope_for(actor) if actor is not None else None
    if scope is not None and scope.region_ids is not None:
        if region is None:
            region = Region.objects.filter(pk__in=scope.region_ids).first()
        elif region.pk not in scope.region_ids:
            errors["region"] = _("You may only ask for reports on your own region.")
    if errors:
        raise ValidationError(errors)
    return {
        "from": f"{first:%Y-%m}",
        "to": f"{last:%Y-%m}",
        "region": region.code if region else "",
        "format": report_format,
        "language": language,
        "region_id": region.pk if region else None,
    }


def _may_ask(actor: User, kind: registry.ReportType | None) -> bool:
    if not has_capability(actor, Capability.REPORTS):
        return False
    return kind is None or reads_department(actor, kind.department)


def report_request(*, actor: User | None, report_type: str, parameters: dict[str, Any]) -> ReportJob:
    """Ask for a report: freeze the parameters, keep the job, and queue it once the job is saved.
    Bad parameters raise ValidationError and change nothing."""
    kind = registry.get(report_type)
    if actor is not None and not _may_ask(actor, kind):
        raise PermissionDenied
    if kind is None:
        raise ValidationError({"report_type": _("Choose a report from the list.")})
    frozen = _validated(actor, kind, parameters)
    region_id = frozen.pop("region_id")
    with transaction.atomic():
        job = ReportJob.objects.create(
            report_type=kind.key,
            department=kind.department,
            requested_by=actor,
            region_id=region_id,
            parameters=frozen,
            language=frozen["language"],
            format=frozen["format"],
            includes_restricted=bool(
                kind.may_include_restricted and actor is not None and sees_restricted(actor, department=kind.department)
            ),
            enqueued_at=timezone.now(),
        )
        transaction.on_commit(lambda: enqueue(job.pk))
    return job


def report_rerun(*, actor: User, job: ReportJob) -> ReportJob:
    """Run a job again with its frozen parameters; its new file will replace the old one."""
    if not has_capability(actor, Capability.REPORTS):
        raise PermissionDenied
    with transaction.atomic():
        job = ReportJob.objects.select_for_update().get(pk=job.pk)
        if job.status in (ReportStatus.QUEUED, ReportStatus.RUNNING):
            raise ValidationError(_("This report is already being made."))
        job.status = ReportStatus.QUEUED
        job.progress = 0
        job.progress_note = ""
        job.error = ""
        job.attempts = 0
        job.enqueued_at = timezone.now()
        job.started_at = job.finished_at = job.heartbeat_at = None
        job.save(
            update_fields=[
                "status",
                "progress",
                "progress_note",
                "error",
                "attempts",
                "enqueued_at",
                "started_at",
                "finished_at",
                "heartbeat_at",
                "updated_at",
            ]
        )
        transaction.on_commit(lambda: enqueue(job.pk))
    return job


def enqueue(job_id: int) -> bool:
    """Hand the job to the queue. When the broker is away or hung this gives up within seconds (the
    settings bound the connection) and the job stays queued for the sweeper; it never raises."""
    from mission.reports.tasks import run_report

    try:
        run_report.apply_async(args=(job_id,))
    except Exception as error:  # any broker failure (kombu, redis, socket); in-process, the job's own error
        logger.warning("report %s stays queued: %s", job_id, error, exc_info=settings.CELERY_TASK_ALWAYS_EAGER)
        if not settings.CELERY_TASK_ALWAYS_EAGER:  # in-process, the job has already said what happened
            ReportJob.objects.filter(pk=job_id, status=ReportStatus.QUEUED).update(
                progress_note=_("Waiting for the job queue; it will start when the queue is back.")
            )
        return False
    return True


@dataclass(frozen=True)
class Attempt:
    """Who is running a job: the Celery task's id, the worker's node name and the process."""

    task_id: str
    node: str
    pid: int

    @classmethod
    def of(cls, request: "Context") -> "Attempt":
        """The attempt of a task being run (its `self.request`); in-process, this machine and process."""
        return cls(task_id=request.id or "", node=request.hostname or socket.gethostname(), pid=os.getpid())

    @property
    def worker(self) -> str:
        return f"{self.node}:{self.pid}"


def _owner_alive(job: ReportJob, attempt: Attempt) -> bool:
    """Whether the process recorded on `job` still runs it. On this worker's own machine the process
    is asked directly; on another, its worker is asked for its active tasks (one broker round trip,
    only on a redelivery). No answer counts as gone: the broker redelivers a task only when its
    worker lost it."""
    node, _sep, pid = job.worker.rpartition(":")
    if not node or not pid.isdigit():
        return False
    if node == attempt.node:
        if int(pid) == attempt.pid:  # this very process: whatever it was doing, it is not doing it now
            return False
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return False
        except PermissionError:  # exists, owned by someone else
            return True
        return True
    from mission.celery import app

    try:
        active = app.control.inspect(destination=[node], timeout=1.0).active() or {}
    except Exception:  # the broker is away: the heartbeat and the sweeper decide
        return True
    return any(task.get("id") == job.task_id and task.get("worker_pid") == int(pid) for task in active.get(node, []))


def _claim(job_id: int, attempt: Attempt | None = None) -> ReportJob | None:
    """Mark the job running, unless it is done or another worker is alive on it (a duplicate
    delivery after a redelivery and a sweep). A running job whose heartbeat still looks fresh is
    taken over when this is the broker's redelivery of the same task and the process that ran it is
    gone: the pool's process was killed, and waiting for the heartbeat to go stale would leave the job
    "running" for nothing."""
    stale = timezone.now() - datetime.timedelta(seconds=settings.REPORTS_STALE_SECONDS)
    with transaction.atomic():
        job = ReportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status not in (ReportStatus.QUEUED, ReportStatus.RUNNING):
            return None  # done, failed or expired: only a re-run queues it again
        if job.status == ReportStatus.RUNNING and job.heartbeat_at and job.heartbeat_at > stale:
            if attempt is None or not (
                job.task_id and job.task_id == attempt.task_id and not _owner_alive(job, attempt)
            ):
                return None  # not orphaned
            logger.warning("report %s: its process %s is gone; resuming on %s", job.pk, job.worker, attempt.worker)
        now = timezone.now()
        job.status = ReportStatus.RUNNING
        job.attempts += 1
        job.started_at = job.heartbeat_at = now
        job.progress = 0
        job.progress_note = _("Starting")
        job.error = ""
        job.task_id = attempt.task_id if attempt else ""
        job.worker = attempt.worker if attempt else ""
        job.save(
            update_fields=[
                "status",
                "attempts",
                "started_at",
                "heartbeat_at",
                "progress",
                "progress_note",
                "error",
                "task_id",
                "worker",
            ]
        )
        return job


class _Progress:
    """Writes progress and a heartbeat at most once a second (and always at 100 %)."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.last = 0.0

    def __call__(self, fraction: float, note: str) -> None:
        if settings.REPORTS_DRILL_DELAY:
            time.sleep(settings.REPORTS_DRILL_DELAY)
        now = time.monotonic()
        if now - self.last < 1 and fraction < 1:
            return
        self.last = now
        ReportJob.objects.filter(pk=self.job_id, status=ReportStatus.RUNNING).update(
            progress=max(0, min(99, int(fraction * 100))), progress_note=note[:200], heartbeat_at=timezone.now()
        )


def report_execute(*, job_id: int, attempt: Attempt | None = None) -> ReportJob | None:
    """Make the report's file (the Celery task's body; `attempt` says which task and process run it).
    Idempotent: a done job is left alone, and a re-run writes a new file and removes the old one, so a
    job never has two files."""
    job = _claim(job_id, attempt)
    if job is None:
        return None
    kind = registry.get(job.report_type)
    scratch = Path(tempfile.mkdtemp(prefix=f"report-{job.pk}-", dir=_scratch_root()))
    heartbeat = _Heartbeat(job.pk)
    try:
        with translation.override(job.language):
            if kind is None:
                raise registry.ReportError(_("This kind of report no longer exists."))
            _recheck_requester(job, kind)
            heartbeat.start()
            context = registry.ReportContext(
                job=job,
                user=job.requested_by,
                parameters=job.parameters,
                output=scratch / f"{uuid.uuid4().hex}.{job.format}",
                progress=_Progress(job.pk),
                includes_restricted=job.includes_restricted,
            )
            with replica_reads():  # the report's figures and rows; the job's own rows stay on the primary
                replica_caught_up()  # everything committed before the job was asked for, and the job
                file_name = kind.build(context)
        heartbeat.stop()
        _store(job, context.output, file_name)
    except registry.ReportError as error:
        _fail(job, str(error))
    except Exception as error:
        from celery.exceptions import SoftTimeLimitExceeded

        if isinstance(error, SoftTimeLimitExceeded):
            _fail(job, _("The report took longer than allowed. Choose a shorter period or one region."))
        else:
            # Transient (database, disk): back to the queue; the task retries with backoff.
            ReportJob.objects.filter(pk=job.pk).update(
                status=ReportStatus.QUEUED, progress_note=_("Interrupted; trying again shortly.")
            )
            raise
    finally:
        heartbeat.stop()
        shutil.rmtree(scratch, ignore_errors=True)
    return ReportJob.objects.get(pk=job.pk)


def _recheck_requester(job: ReportJob, kind: registry.ReportType) -> None:
    """Rights are read when the job runs, not only when it was asked for: someone who has since lost
    them gets no report, and names only if they may still see names."""
    user = job.requested_by
    if user is None:
        return
    if (
        not user.is_active
        or not has_capability(user, Capability.REPORTS)
        or not reads_department(user, kind.department)
    ):
        raise registry.ReportError(_("The person who asked for this report may no longer have it."))
    allowed = bool(kind.may_include_restricted and sees_restricted(user, department=kind.department))
    if allowed != job.includes_restricted:
        job.includes_restricted = allowed
        ReportJob.objects.filter(pk=job.pk).update(includes_restricted=allowed)


class _Heartbeat:
    """Signs of life from a thread while a report is made, so that a long silent step (a summary
    rebuild, a COPY, laying out a PDF) is not taken for a dead worker. Only on a real worker: in-process
    the request itself is the sign of life, and the test database cannot be shared between threads."""

    def __init__(self, job_id: int) -> None:
        import threading

        self.job_id = job_id
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True, name=f"report-{job_id}-heartbeat")
        self.every = heartbeat_interval()

    def start(self) -> None:
        if not settings.CELERY_TASK_ALWAYS_EAGER:
            self.thread.start()

    def _run(self) -> None:
        from django.db import connection

        try:
            while not self.stopped.wait(self.every):
                ReportJob.objects.filter(pk=self.job_id, status=ReportStatus.RUNNING).update(
                    heartbeat_at=timezone.now()
                )
        except Exception:  # the worker's own updates will say what is wrong
            logger.exception("heartbeat of report %s stopped", self.job_id)
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopped.set()
        if self.thread.is_alive():
            self.thread.join()


def heartbeat_interval() -> float:
    """Seconds between a job's signs of life: a job is taken for dead only after missing four."""
    stale: float = settings.REPORTS_STALE_SECONDS
    return max(1.0, stale / 4)


def _scratch_root() -> str:
    root = Path(settings.MEDIA_ROOT) / "reports" / "tmp"
    root.mkdir(parents=True, exist_ok=True)
    return str(root)


def _store(job: ReportJob, path: Path, file_name: str) -> None:
    """Keep the new file, unless another run took the job over meanwhile (then this run's file goes)."""
    storage = ReportJob._meta.get_field("file").storage
    size = path.stat().st_size
    if job.includes_restricted:
        # A file with names is kept encrypted (mission/encryption.py), as the names are in the database;
        # the download decrypts it (`report_open`).
        encrypted = path.with_name(f"{path.name}.enc")
        with path.open("rb") as source, encrypted.open("wb") as target:
            encrypt_file(source, target)
        path.unlink()
        path = encrypted
    with path.open("rb") as handle:
        name = storage.save(f"reports/{job.pk}/{uuid.uuid4().hex[:8]}-{file_name}", File(handle))
    with transaction.atomic():
        current = ReportJob.objects.select_for_update().get(pk=job.pk)
        if current.status != ReportStatus.RUNNING or current.attempts != job.attempts:
            storage.delete(name)
            return
        old = current.file.name if current.file else ""
        current.file.name = name
        current.file_name = file_name
        current.file_size = size  # what the download holds
        current.status = ReportStatus.DONE
        current.progress = 100
        current.progress_note = ""
        current.finished_at = timezone.now()
        fields = ["file", "file_name", "file_size", "status", "progress", "progress_note", "finished_at", "updated_at"]
        current.save(update_fields=fields)
        if current.requested_by_id is not None:  # a scheduled report has nobody waiting for it
            requester = User.objects.get(pk=current.requested_by_id)
            url = reverse("reports:detail", args=[current.pk])
            notify([requester], NotificationKind.REPORT_READY, url=url, report=_type_label(current.report_type))
    if old and old != name:
        storage.delete(old)


def _type_label(key: str) -> dict[str, str]:
    """The report's name in each language, for a notification said in its reader's."""
    found = next((t for t in registry.all_types() if t.key == key), None)
    labels = {}
    for code, suffix in (("en", "en"), ("sq", "sq"), ("sr-latn", "sr")):
        with translation.override(code):
            labels[suffix] = str(found.label) if found else key
    return labels


def report_open(job: ReportJob) -> IO[bytes] | DecryptingReader:
    """The job's file as its bytes are downloaded: decrypted if it was stored encrypted (a file with
    names), as it is otherwise (and for files kept from before encryption)."""
    return open_clear(job.file.open("rb"))


def _fail(job: ReportJob, message: str) -> None:
    # Only a job still on its way may fail: never one that has just finished.
    ReportJob.objects.filter(pk=job.pk, status__in=(ReportStatus.QUEUED, ReportStatus.RUNNING)).update(
        status=ReportStatus.FAILED, error=message, progress_note="", finished_at=timezone.now()
    )


def reports_sweep() -> dict[str, int]:
    """For cron or a timer as well as beat (beat needs the broker too): queue again the jobs that
    never started (the broker was away), and recover jobs whose worker died: run them again, or mark
    them failed after REPORTS_MAX_ATTEMPTS."""
    now = timezone.now()
    counts = {"requeued": 0, "recovered": 0, "failed": 0}
    waiting = ReportJob.objects.filter(
        status=ReportStatus.QUEUED,
        enqueued_at__lt=now - datetime.timedelta(seconds=settings.REPORTS_REQUEUE_SECONDS),
    ).values_list("pk", flat=True)
    for job_id in list(waiting):
        job = ReportJob.objects.get(pk=job_id)
        if job.attempts >= settings.REPORTS_MAX_ATTEMPTS:  # retried with backoff, still failing
            _fail(
                job,
                _("The report could not be made after %(count)s attempts: %(note)s")
                % {"count": job.attempts, "note": job.progress_note or "?"},
            )
            counts["failed"] += 1
            continue
        ReportJob.objects.filter(pk=job_id).update(enqueued_at=now)
        if enqueue(job_id):
            counts["requeued"] += 1
    stale = now - datetime.timedelta(seconds=settings.REPORTS_STALE_SECONDS)
    for job in ReportJob.objects.filter(status=ReportStatus.RUNNING, heartbeat_at__lt=stale):
        if job.attempts >= settings.REPORTS_MAX_ATTEMPTS:
            message = _(
                "The report stopped %(count)s times without finishing. Ask an administrator to look at the workers."
            )
            _fail(job, message % {"count": job.attempts})
            counts["failed"] += 1
            continue
        taken = ReportJob.objects.filter(pk=job.pk, status=ReportStatus.RUNNING, heartbeat_at__lt=stale).update(
            status=ReportStatus.QUEUED, enqueued_at=now, progress_note=_("The worker stopped; starting again.")
        )
        if taken:  # not if the worker spoke up meanwhile
            enqueue(job.pk)
            counts["recovered"] += 1
    return counts


def reports_schedule_monthly(*, month: datetime.date | None = None) -> list[ReportJob]:
    """Celery beat's monthly run: one report of last month per region for each report type that
    asks for it. Idempotent: a second run in the same month adds nothing."""
    from mission.dashboards.periods import add_months

    last_month = month or add_months(timezone.localdate().replace(day=1), -1)
    created = []
    for kind in registry.all_types():
        if not kind.monthly:
            continue
        for region in Region.objects.order_by("code"):
            key = f"{kind.key}:{region.code}:{last_month:%Y-%m}"
            if ReportJob.objects.filter(schedule_key=key).exists():
                continue
            parameters = {
                "from": f"{last_month:%Y-%m}",
                "to": f"{last_month:%Y-%m}",
                "region": region.code,
                "format": kind.formats[0],
                "language": settings.LANGUAGE_CODE,
            }
            with transaction.atomic():
                # get_or_create: a second delivery of beat's task in the same month adds nothing.
                job, made = ReportJob.objects.get_or_create(
                    schedule_key=key,
                    defaults={
                        "report_type": kind.key,
                        "department": kind.department,
                        "region": region,
                        "parameters": parameters,
                        "language": parameters["language"],
                        "format": parameters["format"],
                        "enqueued_at": timezone.now(),
                    },
                )
                if made:
                    transaction.on_commit(functools.partial(enqueue, job.pk))
                    created.append(job)
    return created


def reports_cleanup() -> int:
    """Remove the files of reports finished more than REPORTS_RETENTION_DAYS ago (the job stays, and
    can be run again), and scratch folders left by workers killed at the hard time limit."""
    now = timezone.now()
    limit = now - datetime.timedelta(days=settings.REPORTS_RETENTION_DAYS)
    removed = 0
    old = ReportJob.objects.filter(status__in=(ReportStatus.DONE, ReportStatus.FAILED), finished_at__lt=limit)
    for job in old.exclude(file=""):
        name = job.file.name
        if not name:  # left out above
            continue
        # A job re-run meanwhile is left alone: only the state read here is changed.
        changed = ReportJob.objects.filter(pk=job.pk, status=job.status, file=name).update(
            status=ReportStatus.EXPIRED if job.status == ReportStatus.DONE else job.status, file="", file_size=None
        )
        if changed:
            job.file.storage.delete(name)
            removed += 1
    scratch_limit = time.time() - settings.REPORTS_SOFT_TIME_LIMIT - 600
    for folder in Path(_scratch_root()).iterdir():
        if folder.is_dir() and folder.stat().st_mtime < scratch_limit:
            shutil.rmtree(folder, ignore_errors=True)
    return removed


def may_download(user: User, job: ReportJob) -> bool:
    """The requester may; so may anyone whose scope covers the report; but a report that holds names
    only people who may see names now."""
    if not ReportJob.objects.visible_to(user).filter(pk=job.pk).exists():
        return False
    return may_download_visible(user, job)


def may_download_visible(user: User, job: ReportJob) -> bool:
    """`may_download` for a job already read through `visible_to(user)` (a list of jobs): no query."""
    if job.includes_restricted:  # the requester too: rights are read now, not when they asked
        return sees_restricted(user, department=job.department)
    return True
