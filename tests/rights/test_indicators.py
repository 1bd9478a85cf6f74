"""Each indicator has one definition (rights.indicators), and the dashboard, the API aggregates and the
PDF report give the same figure for it on the same records."""

import datetime

import pypdf
import pytest
from django.test import TestCase
from django.urls import reverse

from mission.dashboards.services import summaries_refresh
from mission.reports.services import report_request
from rights import indicators
from tests.api.conftest import bearer, staff_key
from tests.conftest import client_for
from tests.factories import CaseFactory, HearingFactory, ObservationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def known_hearings(monitor, settings, tmp_path):
    """Ten hearings in February 2026: two adjourned; of the eight held, six recorded. So 20 % are
    unproductive and 75 % of the held ones recorded (60 % of all hearings, the API's old figure)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    for n in range(10):
        held = n >= 2
        hearing = HearingFactory(
            case=CaseFactory(created_by=monitor),
            date=datetime.date(2026, 2, 1 + n),
            held=held,
            adjournment_reason="" if held else "absent_witness",
            recorded=(n >= 4) if held else None,
        )
        ObservationFactory(hearing=hearing, monitor=monitor, status="approved")
    summaries_refresh()


def test_the_dashboard_the_api_and_the_report_agree(department_head, administrator, known_hearings):
    period = {"from": "2026-01", "to": "2026-03"}
    dashboard = client_for(department_head).get(reverse("rights:dashboard"), period)
    figures = {f.label: f.value for f in dashboard.context["figures"]}
    assert figures["Unproductive hearings"] == pytest.approx(0.2)
    assert figures["Hearings recorded (of held)"] == pytest.approx(0.75)

    api = bearer(staff_key(department_head, administrator)).get(
        "/api/v1/aggregates/hearings/", {"group_by": "all", "date_from": "2026-01-01", "date_to": "2026-03-31"}
    )
    row = api.json()["results"][0]
    assert (row["hearings"], row["held"], row["adjourned"], row["recorded"]) == (10, 8, 2, 6)
    assert row["unproductive_rate"] == pytest.approx(0.2)
    assert row["recorded_rate"] == pytest.approx(0.75)

    with TestCase.captureOnCommitCallbacks(execute=True):
        job = report_request(
            actor=department_head,
            report_type="trial_monitoring",
            parameters={**period, "region": "", "language": "en", "format": "pdf"},
        )
    job.refresh_from_db()
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(job.file.path).pages)
    assert "Unproductive hearings 20.0 %" in text
    assert "Hearings recorded (of held) 75.0 %" in text


def test_a_rate_is_its_part_of_its_whole_and_nothing_when_the_whole_is_zero():
    assert indicators.RECORDED.of({"recorded": 6, "held": 8, "hearings": 10}) == 0.75
    assert indicators.UNPRODUCTIVE.of({"adjourned": 2, "hearings": 10}) == 0.2
    assert indicators.RECORDED.of({"recorded": 0, "held": 0}) is None
