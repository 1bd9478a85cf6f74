"""The department's results report (mission.records.results): the dashboard's figures and charts as a
PDF in the language asked, for the requester's regions, with no name in it."""

import datetime
import io

import pypdf
import pytest
from django.test import TestCase

from mission.reports.services import report_open, report_request
from tests.departments import recent_months
from tests.reports.conftest import _media  # noqa: F401 (report files in the test's folder)

pytestmark = pytest.mark.django_db


def _ask(user, **overrides):
    parameters = {**recent_months(), "format": "pdf", **overrides}
    with TestCase.captureOnCommitCallbacks(execute=True):
        job = report_request(actor=user, report_type="democratization_results", parameters=parameters)
    job.refresh_from_db()
    return job


def _text(job) -> str:
    with report_open(job) as handle:
        reader = pypdf.PdfReader(io.BytesIO(handle.read()))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_results_of_the_period_without_names(democratization_actors, democratization_objects):
    job = _ask(democratization_actors["department_head"])
    assert job.status == "done", job.message
    today = datetime.date.today()
    assert job.file_name.startswith("democratization-results-mission-")
    assert job.file_name.endswith("-en.pdf")
    text = _text(job)
    assert "Democratization: results" in text
    assert "Journalist safety incidents" in text
    assert "Participants" in text
    assert "Election recommendations" in text
    assert "Provë" not in text  # the journalists' and participants' names are never in it
    assert str(today.year) in text


def test_in_albanian_for_a_supervisor_of_one_region(democratization_actors, democratization_objects):
    job = _ask(democratization_actors["supervisor"], language="sq")
    assert job.status == "done", job.message
    text = _text(job)
    assert "Pejë" in text  # their region
    assert "Incidente ndaj gazetarëve" in text or "incidente ndaj gazetarëve" in text.lower()


def test_who_may_ask_for_it(democratization_actors):
    from django.core.exceptions import PermissionDenied, ValidationError

    for actor in ("monitor", "other_department_monitor", "partner"):
        with pytest.raises((PermissionDenied, ValidationError)):
            _ask(democratization_actors[actor])
    assert _ask(democratization_actors["management"]).status == "done"
