"""The API's filters: what each date parameter means, and that it means the same as on the pages and
the dashboard."""

import datetime

import pytest
from django.urls import reverse

from mission.dashboards.services import summaries_refresh
from tests.api.conftest import bearer
from tests.conftest import client_for
from tests.factories import CaseFactory, FlagFactory, HearingFactory, ObservationFactory
from tests.rights.api.conftest import staff_key

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


def test_the_flags_of_a_years_hearings_are_counted_alike_by_the_api_and_the_dashboard(supervisor, monitor):
    """Flags are raised today on hearings of last year: both count them in last year, by hearing date."""
    for month in range(1, 13):
        FlagFactory(hearing=HearingFactory(case=CaseFactory(created_by=monitor), date=_day(f"2025-{month:02d}-15")))
    FlagFactory(hearing=HearingFactory(case=CaseFactory(created_by=monitor), date=_day("2026-01-05")))
    summaries_refresh()
    client = client_for(supervisor)
    dashboard = client.get(reverse("rights:dashboard"), {"from": "2025-01", "to": "2025-12"})
    by_status = next(c for c in dashboard.context["charts"] if c.slug == "flags-by-status")
    on_dashboard = sum(row[1] for row in by_status.rows)
    rows = client.get("/api/v1/flags/", {"date_from": "2025-01-01", "date_to": "2025-12-31"}).json()["results"]
    assert len(rows) == on_dashboard == 12


def test_the_schema_says_what_each_date_parameter_means(geography):
    schema = bearer(None).get("/api/v1/schema/?format=json").json()

    def description(path: str, name: str) -> str:
        parameters = schema["paths"][path]["get"]["parameters"]
        return next(p["description"] for p in parameters if p["name"] == name)

    assert "hearing" in description("/api/v1/flags/", "date_from").lower()
    assert "hearing" in description("/api/v1/cases/", "date_to").lower()
    assert "intervention" in description("/api/v1/interventions/", "date_from").lower()
