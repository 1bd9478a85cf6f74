"""Files in an S3-compatible bucket (STORAGE_S3_BUCKET, django-storages) instead of MEDIA_ROOT, against
a real S3 server speaking the protocol over HTTP (moto's server, started here): a report's file is
written to the bucket, encrypted when it holds names, downloaded through the permission layer, replaced
on a re-run and removed by the clean-up; a backup names the bucket instead of archiving it."""

import datetime
import io
import json
import subprocess
import sys
import time
import urllib.request

import boto3
import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from mission import settings as portal_settings
from mission.encryption import FILE_MAGIC
from mission.reports.models import ReportJob, ReportStatus
from mission.reports.services import report_request, report_rerun, reports_cleanup
from tests.app_processes import ROOT, free_port
from tests.conftest import client_for
from tests.reports.conftest import PARAMS

BUCKET = "mission-files"
KEYS = {"STORAGE_S3_ACCESS_KEY": "portal-test", "STORAGE_S3_SECRET_KEY": "portal-test-secret"}


@pytest.fixture(scope="module")
def s3_endpoint():
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{url}/moto-api/", timeout=2).read()  # noqa: S310 (a local test server)
            break
        except OSError:
            assert time.monotonic() < deadline, "the S3 server did not start"
            time.sleep(0.2)
    try:
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)


@pytest.fixture
def bucket(s3_endpoint, settings, monkeypatch, tmp_path):
    """The portal's files in a new bucket, configured as a deployment would through its variables."""
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id=KEYS["STORAGE_S3_ACCESS_KEY"],
        aws_secret_access_key=KEYS["STORAGE_S3_SECRET_KEY"],
    )
    client.create_bucket(Bucket=BUCKET)
    for name, value in {
        **KEYS,
        "STORAGE_S3_ENDPOINT_URL": s3_endpoint,
        "STORAGE_S3_REGION": "us-east-1",
        "STORAGE_S3_PREFIX": "portal",
        "STORAGE_S3_ADDRESSING_STYLE": "path",
    }.items():
        monkeypatch.setenv(name, value)
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGE_S3_BUCKET = BUCKET
    settings.STORAGES = {**settings.STORAGES, "default": portal_settings.s3_storage(BUCKET)}
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def _objects(client) -> list[str]:
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def _ask(user) -> ReportJob:
    with TestCase.captureOnCommitCallbacks(execute=True):
        job = report_request(actor=user, report_type="trial_monitoring_data", parameters=PARAMS | {"format": "xlsx"})
    job.refresh_from_db()
    return job


def test_a_report_file_lives_in_the_bucket_and_is_downloaded_through_the_portal(
    bucket, department_head, management, trial_data, settings
):
    job = _ask(department_head)
    assert job.status == ReportStatus.DONE, job.error
    assert job.includes_restricted
    keys = _objects(bucket)
    assert keys == [f"portal/{job.file.name}"]
    stored = bucket.get_object(Bucket=BUCKET, Key=keys[0])["Body"].read()
    assert stored.startswith(FILE_MAGIC)  # names: encrypted at rest, in the bucket too
    assert not [p for p in (settings.MEDIA_ROOT / "reports").rglob("*") if p.is_file()]  # nothing kept locally

    download = client_for(department_head).get(reverse("reports:download", args=[job.pk]))
    assert download.status_code == 200
    content = b"".join(download.streaming_content)
    assert len(content) == job.file_size
    assert load_workbook(io.BytesIO(content), read_only=True).sheetnames
    # Mission management may read reports, but not this one: it holds names.
    assert client_for(management).get(reverse("reports:download", args=[job.pk])).status_code == 403

    with TestCase.captureOnCommitCallbacks(execute=True):
        report_rerun(actor=department_head, job=job)
    job.refresh_from_db()
    assert _objects(bucket) == [f"portal/{job.file.name}"]  # the new file replaced the old one
    assert keys[0] != f"portal/{job.file.name}"

    ReportJob.objects.filter(pk=job.pk).update(finished_at=timezone.now() - datetime.timedelta(days=400))
    assert reports_cleanup() == 1
    assert _objects(bucket) == []


def test_a_backup_names_the_bucket_instead_of_archiving_it(bucket, tmp_path, settings, db):
    from mission.backups.services import backup_create

    (settings.MEDIA_ROOT / "reports" / "tmp").mkdir(parents=True)
    (settings.MEDIA_ROOT / "reports" / "tmp" / "scratch.xlsx").write_bytes(b"scratch")
    made = backup_create(tmp_path / "backup")
    manifest = json.loads(made.manifest.read_text())
    assert manifest["media"]["files_in"] == f"s3://{BUCKET}/portal"
    import tarfile

    with tarfile.open(made.media) as archive:
        assert archive.getnames() == []
