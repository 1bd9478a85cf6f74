"""The kit dashboard's trend of a mapped indicator in one municipality (mission.records.dashboard),
over governance assessments: known answers per year, the median beside them, scope per actor, the
CSV, the empty state, and a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from democratization.models import GovernanceAssessment
from field_offices.models import Municipality
from mission.dashboards.services import summaries_apply_changes, summaries_refresh
from mission.records.services import record_create, record_update
from mission.review.services import record_approve
from tests.conftest import client_for
from tests.democratization.contract import assessment_content
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = reverse("democratization:dashboard")
YEAR = datetime.date.today().year - 1  # the latest year an assessment can be of, whatever today is
SLUG = "trend-governanceassessment-budget_execution"
QUERIES = 10  # the whole dashboard over this data; the trend is one of them, whatever the years and places
PAGE_QUERIES = 10  # the municipality page; its trends are one query per record type with mapped fields


def _assessed(monitor, supervisor, place, year, budget_execution, *, approve=True):
    fields = assessment_content(place, year=year, budget_execution=budget_execution)
    record = record_create(actor=monitor, model=GovernanceAssessment, fields=fields)
    if approve:
        record_update(actor=monitor, record=record, expected_version=record.version, fields={}, submit=True)
        record.refresh_from_db()
        record_approve(actor=supervisor, record=record, expected_version=record.version)
    return record


@pytest.fixture
def assessed(democratization_actors, geography):
    """Three approved years in one municipality of Pejë/Peć and a draft before them; two years in a
    second one; one year in a municipality of Mitrovicë/Mitrovica."""
    monitor, supervisor = democratization_actors["monitor"], democratization_actors["supervisor"]
    first, second, empty = Municipality.objects.filter(region=monitor.region).order_by("code")[:3]
    for year, value in ((YEAR - 2, 60.0), (YEAR - 1, 70.0), (YEAR, 80.0)):
        _assessed(monitor, supervisor, first, year, value)
    _assessed(monitor, supervisor, first, YEAR - 3, 99.0, approve=False)  # a draft: never counted
    _assessed(monitor, supervisor, second, YEAR - 1, 50.0)
    _assessed(monitor, supervisor, second, YEAR, 90.0)
    mitrovica = UserFactory(
        username="dem.sup.mit", department="democratization", supervisor=True, region=geography["MIT"]
    )
    elsewhere = democratization_actors["other_region_monitor"]
    third = elsewhere.region.municipalities.order_by("code").first()
    _assessed(elsewhere, mitrovica, third, YEAR, 10.0)
    return {"first": first, "second": second, "empty": empty, "third": third, "mitrovica_supervisor": mitrovica}


def _trend(response):
    return response.context["trend_chart"]


def test_the_head_sees_each_years_figure_and_the_median_of_every_municipality(democratization_actors, assessed):
    first = assessed["first"]
    response = client_for(democratization_actors["department_head"]).get(URL, {"municipality": first.code})
    assert response.status_code == 200
    chart = _trend(response)
    assert str(chart.title) == f"Budget execution (%) by year: {first.name}"
    # Medians: 60 alone; of 70 and 50; of 80, 90 and 10 (Mitrovicë/Mitrovica counts for the head).
    assert chart.rows == [[YEAR - 2, 60.0, 60.0], [YEAR - 1, 70.0, 60.0], [YEAR, 80.0, 80.0]]
    assert [str(c.label) for c in chart.columns] == ["Year", first.name, "Median of the municipalities shown"]
    assert f"Budget execution (%) by year: {first.name}" in response.content.decode()


def test_management_sees_what_the_head_sees(democratization_actors, assessed):
    response = client_for(democratization_actors["management"]).get(URL, {"municipality": assessed["first"].code})
    assert _trend(response).rows == [[YEAR - 2, 60.0, 60.0], [YEAR - 1, 70.0, 60.0], [YEAR, 80.0, 80.0]]


def test_a_supervisor_compares_with_their_region_only(democratization_actors, assessed):
    response = client_for(democratization_actors["supervisor"]).get(URL, {"municipality": assessed["first"].code})
    assert _trend(response).rows == [[YEAR - 2, 60.0, 60.0], [YEAR - 1, 70.0, 60.0], [YEAR, 80.0, 85.0]]


def test_the_region_filter_narrows_the_median(democratization_actors, assessed):
    response = client_for(democratization_actors["department_head"]).get(
        URL, {"municipality": assessed["first"].code, "region": "PEJ"}
    )
    assert _trend(response).rows[-1] == [YEAR, 80.0, 85.0]


def test_another_regions_supervisor_sees_nothing_of_that_municipality(assessed):
    first, third = assessed["first"], assessed["third"]
    client = client_for(assessed["mitrovica_supervisor"])
    response = client.get(URL, {"municipality": first.code})
    assert response.status_code == 200
    assert "municipality" in response.context["form"].errors  # not a choice of theirs
    chart = _trend(response)
    assert chart.rows == [[YEAR, 10.0, 10.0]]  # their own municipality's, by default
    assert str(chart.title).endswith(third.name)
    choices = [code for code, _name in response.context["form"].fields["municipality"].choices]
    assert first.code not in choices
    assert third.code in choices
    csv = client.get(URL, {"municipality": first.code, "csv": SLUG})
    body = b"".join(csv.streaming_content).decode("utf-8-sig")
    assert "60.0" not in body
    assert "80.0" not in body


def test_the_default_is_the_first_municipality_by_name_with_a_figure(democratization_actors, assessed):
    response = client_for(democratization_actors["supervisor"]).get(URL)
    first, second = assessed["first"], assessed["second"]
    expected = min((first, second), key=lambda m: m.name)
    assert str(_trend(response).title).endswith(expected.name)


def test_a_municipality_without_an_approved_assessment_says_so(democratization_actors, assessed):
    response = client_for(democratization_actors["supervisor"]).get(URL, {"municipality": assessed["empty"].code})
    chart = _trend(response)
    assert chart.rows == []
    assert chart.empty
    assert "No approved municipal governance assessments for this municipality yet." in response.content.decode()


def test_the_trend_follows_the_indicator_chosen_for_the_map(democratization_actors, assessed):
    response = client_for(democratization_actors["department_head"]).get(
        URL, {"municipality": assessed["second"].code, "indicator": "governanceassessment.women_senior_posts"}
    )
    chart = _trend(response)
    assert str(chart.title).startswith("Women in senior posts (%) by year")
    assert chart.rows == [[YEAR - 1, 30.0, 30.0], [YEAR, 30.0, 30.0]]


def test_the_csv_of_the_trend(democratization_actors, assessed):
    first = assessed["first"]
    response = client_for(democratization_actors["department_head"]).get(URL, {"municipality": first.code, "csv": SLUG})
    assert response.status_code == 200
    lines = b"".join(response.streaming_content).decode("utf-8-sig").replace("\r\n", "\n").splitlines()
    assert lines == [
        f"Year,{first.name},Median of the municipalities shown",
        f"{YEAR - 2},60.0,60.0",
        f"{YEAR - 1},70.0,60.0",
        f"{YEAR},80.0,80.0",
    ]


def test_anonymous_is_sent_to_log_in_and_a_partner_is_refused(democratization_actors, assessed):
    anonymous = client_for(None).get(URL, {"municipality": assessed["first"].code})
    assert anonymous.status_code == 302
    assert anonymous.url.startswith(reverse("accounts:login"))
    partner = client_for(democratization_actors["partner"]).get(URL, {"municipality": assessed["first"].code})
    assert partner.status_code == 403
    other_department = client_for(democratization_actors["other_department_monitor"]).get(URL)
    assert other_department.status_code == 403


def test_the_dashboard_costs_the_same_queries_with_more_years_and_places(
    democratization_actors, assessed, django_assert_num_queries
):
    client = client_for(democratization_actors["department_head"])
    query = {"municipality": assessed["first"].code}
    client.get(URL, query)
    summaries_refresh()  # the first request after a refresh renders (then keeps) the figures
    with django_assert_num_queries(QUERIES):
        assert client.get(URL, query).status_code == 200
    with CaptureQueriesContext(connection) as kept:
        client.get(URL, query)
    assert len(kept.captured_queries) < QUERIES  # kept until the summary changes
    monitor, supervisor = democratization_actors["monitor"], democratization_actors["supervisor"]
    places = Municipality.objects.filter(region=monitor.region).order_by("code")[3:6]
    for place in places:
        for year in range(YEAR - 5, YEAR + 1):
            _assessed(monitor, supervisor, place, year, 40.0 + year % 7)
    for year in range(YEAR - 8, YEAR - 3):
        _assessed(monitor, supervisor, assessed["first"], year, 55.0)
    summaries_apply_changes()  # as beat does every minute (in-process, the page would do it first)
    with django_assert_num_queries(QUERIES):
        response = client.get(URL, query)
    rows = {row[0]: row[1] for row in _trend(response).rows}
    assert list(rows) == list(range(YEAR - 8, YEAR + 1))
    assert rows[YEAR - 3] is None  # the draft's year: a gap, not 99


def _page(place):
    return reverse("dashboards:municipality_detail", args=[place.code])


def _panel_charts(response):
    return {c.slug: c for panel in response.context["panels"] for c in panel.get("charts", ())}


def test_the_municipality_page_shows_each_indicators_trend(democratization_actors, assessed):
    first = assessed["first"]
    response = client_for(democratization_actors["supervisor"]).get(_page(first))
    charts = _panel_charts(response)
    assert list(charts) == [
        "trend-governanceassessment-budget_execution",
        "trend-governanceassessment-own_source_revenue",
        "trend-governanceassessment-women_senior_posts",
        "trend-governanceassessment-non_majority_senior_posts",
        "trend-governanceassessment-decisions_published",
    ]
    assert charts[SLUG].rows == [[YEAR - 2, 60.0], [YEAR - 1, 70.0], [YEAR, 80.0]]  # no draft, no median
    assert f"Budget execution (%) by year: {first.name}" in response.content.decode()
    csv = client_for(democratization_actors["supervisor"]).get(_page(first), {"csv": SLUG})
    lines = b"".join(csv.streaming_content).decode("utf-8-sig").replace("\r\n", "\n").splitlines()
    assert lines == [f"Year,{first.name}", f"{YEAR - 2},60.0", f"{YEAR - 1},70.0", f"{YEAR},80.0"]
    empty = client_for(democratization_actors["supervisor"]).get(_page(assessed["empty"]))
    assert all(chart.empty for chart in _panel_charts(empty).values())
    assert "No approved municipal governance assessments for this municipality yet." in empty.content.decode()


def test_the_municipality_page_of_another_region_shows_no_trend(assessed):
    client = client_for(assessed["mitrovica_supervisor"])
    response = client.get(_page(assessed["first"]))
    assert response.status_code == 200
    assert _panel_charts(response) == {}
    assert client.get(_page(assessed["first"]), {"csv": SLUG}).status_code == 404


def test_the_municipality_page_costs_the_same_queries_with_more_years(
    democratization_actors, assessed, django_assert_num_queries
):
    monitor, supervisor = democratization_actors["monitor"], democratization_actors["supervisor"]
    client = client_for(supervisor)
    client.get(_page(assessed["first"]))
    with django_assert_num_queries(PAGE_QUERIES):
        client.get(_page(assessed["first"]))
    for year in range(YEAR - 8, YEAR - 3):
        _assessed(monitor, supervisor, assessed["first"], year, 55.0)
    summaries_apply_changes()  # as beat does every minute (in-process, the page would do it first)
    with django_assert_num_queries(PAGE_QUERIES):
        response = client.get(_page(assessed["first"]))
    assert len(_panel_charts(response)[SLUG].rows) == 9
