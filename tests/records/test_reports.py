"""The data report the kit gives a declared record type (mission.records.reports), over every
department that declares records, through its test contract (tests/departments.py)."""

import datetime
import io
import zipfile

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import TestCase
from django.urls import reverse
from openpyxl import load_workbook

from mission import departments
from mission.audit.models import AccessLog
from mission.records.tables import part_table_spec, table_spec
from mission.reports.services import report_open, report_request
from tests.conftest import client_for
from tests.departments import contract_fixtures, contracts, records_in

pytestmark = pytest.mark.django_db

globals().update(contract_fixtures())
DECLARED = {config.label: config for config in departments.all() if config.records}
CANARY = "=Canary Namecheck"  # a name that a spreadsheet would run as a formula


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(params=sorted(DECLARED))
def department(request):
    label = request.param
    config = DECLARED[label]
    actors = request.getfixturevalue(f"{label}_actors")
    objects = records_in(request.getfixturevalue(f"{label}_objects"), label)
    contracts()[label].plant_restricted(objects, CANARY)
    return {"config": config, "type": config.records[0], "actors": actors, "objects": objects}


def _ask(department, user, file_format):
    today = datetime.date.today()
    month = f"{today:%Y-%m}"
    key = f"{department['config'].label}_{department['type'].name}_data"
    parameters = {"from": month, "to": month, "region": "", "language": "en", "format": file_format}
    if department["objects"]["draft"].date.month != today.month:  # the records are two days old
        parameters["from"] = f"{department['objects']['draft'].date:%Y-%m}"
    with TestCase.captureOnCommitCallbacks(execute=True):
        job = report_request(actor=user, report_type=key, parameters=parameters)
    job.refresh_from_db()
    assert job.status == "done", job.message
    with report_open(job) as handle:
        return job, io.BytesIO(handle.read())


def _tables(department, user, file_format):
    """The report's tables: the records' first, then one per part of the record type."""
    job, content = _ask(department, user, file_format)
    if file_format == "xlsx":
        sheets = load_workbook(content).worksheets
        tables = [
            [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)] for sheet in sheets
        ]
    else:
        import csv

        archive = zipfile.ZipFile(content)
        tables = [list(csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig")))) for name in archive.namelist()]
    assert len(tables) == 1 + len(department["type"].parts)
    return job, tables


def _rows(department, user, file_format):
    job, tables = _tables(department, user, file_format)
    return job, tables[0]


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_staff_who_read_names_get_every_record_with_them_safe_for_spreadsheets(department, file_format):
    job, tables = _tables(department, department["actors"]["supervisor"], file_format)
    assert job.includes_restricted
    header, body = tables[0][0], tables[0][1:]
    assert header == table_spec(department["type"], restricted=True).headers()
    assert len(body) == len(department["objects"])
    for part, table in zip(department["type"].parts, tables[1:], strict=True):
        assert table[0] == part_table_spec(part, restricted=True).headers()
        assert {int(row[0]) for row in table[1:]} <= {o.pk for o in department["objects"].values()}
    cells = [str(cell) for table in tables for row in table[1:] for cell in row]
    assert "'" + CANARY in cells  # the name, as text a spreadsheet will not run
    assert CANARY not in cells


def test_management_gets_no_names_and_no_name_column(department):
    job, tables = _tables(department, department["actors"]["management"], "xlsx")
    assert not job.includes_restricted
    assert tables[0][0] == table_spec(department["type"], restricted=False).headers()
    for part, table in zip(department["type"].parts, tables[1:], strict=True):
        assert table[0] == part_table_spec(part, restricted=False).headers()
    assert "Canary" not in str(tables)


def test_each_download_of_a_file_with_names_is_logged_per_record(department):
    supervisor = department["actors"]["supervisor"]
    job, _content = _ask(department, supervisor, "xlsx")
    download = reverse("reports:download", args=[job.pk])
    assert client_for(department["actors"]["management"]).get(download).status_code == 403
    AccessLog.objects.all().delete()
    response = client_for(supervisor).get(download)
    assert response.status_code == 200
    model = department["type"].get_model()
    logged = set(
        AccessLog.objects.filter(user=supervisor, content_type=ContentType.objects.get_for_model(model)).values_list(
            "object_id", flat=True
        )
    )
    assert logged == {str(o.pk) for o in department["objects"].values()}


def test_a_supervisor_of_another_region_gets_the_header_alone(department, geography):
    from tests.factories import UserFactory

    department_code = department["config"].department
    other = UserFactory(username="sup.elsewhere", department=department_code, supervisor=True, region=geography["MIT"])
    _job, rows = _rows(department, other, "csv")
    assert len(rows) == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_copy_writes_the_same_file_as_python(department, tmp_path):
    from mission.exports import Table, copy_csv_zip, python_csv_zip

    model = department["type"].get_model()
    spec = table_spec(department["type"], restricted=True)
    table = Table("t", spec, model.objects.order_by("pk"), True)
    copied, written = tmp_path / "copy.zip", tmp_path / "python.zip"
    copy_csv_zip(copied, [table], lambda *_: None)
    python_csv_zip(written, [table], lambda *_: None)
    read = lambda path: zipfile.ZipFile(path).read("t.csv")  # noqa: E731
    assert read(copied) == read(written)
