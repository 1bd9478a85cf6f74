"""The department's results report (mission.records.results): the dashboard's figures and charts as a
PDF in the language asked, for the requester's regions, with no name in it."""

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
        job = report_request(actor=user, report_type="public_safety_results", parameters=parameters)
    job.refresh_from_db()
    return job


def _text(job) -> str:
    with report_open(job) as handle:
        reader = pypdf.PdfReader(io.BytesIO(handle.read()))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_results_of_the_period_without_names(public_safety_actors, public_safety_objects):
    job = _ask(public_safety_actors["department_head"])
    assert job.status == "done", job.message
    assert job.file_name.startswith("public_safety-results-mission-") or job.file_name.startswith(
        "public-safety-results-mission-"
    )
    text = _text(job)
    assert "Security & Public Safety: results" in text
    assert "Hate-crime incidents" in text
    assert "Anti-Christian hate crime" in text  # the bias motivation of the approved incident
    assert "Provë" not in text  # the victims' names are never in it


def test_in_serbian_for_a_supervisor_of_one_region(public_safety_actors, public_safety_objects):
    job = _ask(public_safety_actors["supervisor"], language="sr-latn")
    assert job.status == "done", job.message
    text = _text(job)
    assert "Gnjilane" in text or "Gjilan" in text  # their region
    assert "zločina iz mržnje" in text


def test_who_may_ask_for_it(public_safety_actors):
    from django.core.exceptions import PermissionDenied, ValidationError

    for actor in ("monitor", "other_department_monitor", "partner"):
        with pytest.raises((PermissionDenied, ValidationError)):
            _ask(public_safety_actors[actor])


def test_the_forums_and_women_in_police_are_in_the_results(public_safety_actors, public_safety_objects):
    job = _ask(public_safety_actors["department_head"])
    assert job.status == "done", job.message
    text = " ".join(_text(job).split())
    assert "Forum meetings" in text
    assert "Attendance by community" in text
    assert "Forums functioning" in text
    assert "Women's share in the police by year, against the target" in text
    assert "Drita Provë" not in text  # a mentee's name is never in it
