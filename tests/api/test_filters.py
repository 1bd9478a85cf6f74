"""The API's filters: what each date parameter means, and that it means the same as on the pages and
the dashboard."""

import datetime

import pytest

from tests.api.conftest import bearer, staff_key
from tests.factories import CaseFactory, HearingFactory, ObservationFactory

pytestmark = pytest.mark.django_db


def _day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def test_a_case_is_in_the_period_only_when_one_hearing_lies_inside_it(partner_key, monitor, administrator, geography):
    around = CaseFactory(created_by=monitor)
    for day in ("2026-02-20", "2026-04-10"):
        ObservationFactory(hearing=HearingFactory(case=around, date=_day(day)), status="approved")
    inside = CaseFactory(created_by=monitor)
    ObservationFactory(hearing=HearingFactory(case=inside, date=_day("2026-03-15")), status="approved")
    march = {"date_from": "2026-03-01", "date_to": "2026-03-31"}
    staff_rows = bearer(staff_key(monitor, administrator)).get("/api/v1/cases/", march).json()["results"]
    assert [row["id"] for row in staff_rows] == [inside.pk]
    assert len(bearer(partner_key).get("/api/v1/cases/", march).json()["results"]) == 1
