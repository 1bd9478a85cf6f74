"""Gender-based violence: no count under the disclosure threshold anywhere (the dashboard, its panel,
a municipality's page, the staff's API aggregates), never anything for partners, never the victim's
name outside the department, and the protection orders measured against their legal deadlines
(known answers)."""

import datetime

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from human_rights.models import GbvCase
from mission.api.services import token_issue
from mission.dashboards.filters import read_filters
from mission.dashboards.services import summaries_refresh
from mission.records.dashboard import record_dashboard
from mission.records.services import record_create, record_update
from mission.review.services import record_approve
from rights.models import Court
from tests.api.conftest import bearer
from tests.conftest import client_for
from tests.human_rights.contract import gbv_content, gbv_parts

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def _prizren(actors):
    return actors["monitor"].region.municipalities.order_by("code").first()


def _approved(actors, n=1, **steps):
    monitor, supervisor = actors["monitor"], actors["supervisor"]
    made = []
    for _k in range(n):
        record = record_create(
            actor=monitor, model=GbvCase, fields=gbv_content(_prizren(actors)), parts=gbv_parts(**steps)
        )
        record = record_update(actor=monitor, record=record, expected_version=record.version, fields={}, submit=True)
        made.append(record_approve(actor=supervisor, record=record, expected_version=record.version))
    return made


def _filters(user, rf):
    request = rf.get("/")
    request.user = user
    return read_filters(request)[1]


def _dashboard(user, rf):
    summaries_refresh()
    figures, charts = record_dashboard(apps.get_app_config("human_rights"), user, _filters(user, rf))
    return {str(f.label): f for f in figures}, {c.slug: c for c in charts}


def test_a_few_cases_are_counted_nowhere_on_the_dashboard(human_rights_actors, rf):
    _approved(human_rights_actors, 3)
    figures, charts = _dashboard(human_rights_actors["department_head"], rf)
    assert figures["Gender-based violence files"].value is None  # 3: under the threshold of 5
    assert figures["Gender-based violence files"].value_text == "—"
    by_kind = {row[0]: row[1] for row in charts["gbvcase-by-kind"].rows}
    assert by_kind["Domestic violence"] is None
    assert by_kind["Sexual violence"] == 0  # none is not a small count
    assert all(row[1] is None or row[1] == 0 for row in charts["gbvcase-by-month"].rows)
    # Other record types' small counts are shown as they are.
    assert figures["Community-rights incidents"].value == 0


def test_enough_cases_are_counted(human_rights_actors, rf):
    _approved(human_rights_actors, 5)
    figures, charts = _dashboard(human_rights_actors["department_head"], rf)
    assert figures["Gender-based violence files"].value == 5
    assert {row[0]: row[1] for row in charts["gbvcase-by-kind"].rows}["Domestic violence"] == 5


def test_a_municipalitys_page_does_not_count_a_few_cases(human_rights_actors):
    _approved(human_rights_actors, 2)
    summaries_refresh()
    client = client_for(human_rights_actors["supervisor"])
    page = client.get(reverse("dashboards:municipality_detail", args=[_prizren(human_rights_actors).code]))
    content = page.content.decode()
    assert "Fewer than the disclosure threshold here" in content
    assert "2 records here" not in content
    assert "Vjosa" not in content


def test_staff_api_aggregates_hide_small_cells_and_partners_get_nothing(human_rights_actors):
    _approved(human_rights_actors, 3)
    actors = human_rights_actors
    key = token_issue(actor=actors["administrator"], user=actors["supervisor"], name="script", scopes=["gbv"])[1]
    body = bearer(key).get("/api/v1/aggregates/gbv-cases/", {"group_by": "all"}).json()
    assert body["disclosure_control"] == "suppression"
    assert body["results"] == [{"group": None, "records": None, "approved": None, "suppressed": True}]
    rows = bearer(key).get("/api/v1/gbv-cases/").json()["results"]
    assert len(rows) == 3
    assert "Vjosa" not in str(rows)  # not even to the department through the API
    with pytest.raises(ValidationError, match="Partners cannot be given the dataset gbv"):
        token_issue(actor=actors["administrator"], user=actors["partner"], name="NGO", scopes=["gbv"])


def test_management_reads_no_victims_name(human_rights_actors):
    (case,) = _approved(human_rights_actors)
    url = reverse("human_rights:gbvcase_detail", args=[case.pk])
    assert "Vjosa Provë" in client_for(human_rights_actors["supervisor"]).get(url).content.decode()
    assert "Vjosa Provë" not in client_for(human_rights_actors["management"]).get(url).content.decode()


@override_settings(API_SMALL_CELL_THRESHOLD=1, GBV_EMERGENCY_ORDER_DAYS=1, GBV_PROTECTION_ORDER_DAYS=15)
def test_the_protection_orders_against_their_deadlines(human_rights_actors, rf):
    day = TODAY - datetime.timedelta(days=40)
    after = lambda days: day + datetime.timedelta(days=days)  # noqa: E731
    monitor = human_rights_actors["monitor"]

    def case(**steps):
        record = record_create(
            actor=monitor,
            model=GbvCase,
            fields=gbv_content(_prizren(human_rights_actors), date=day),
            parts=gbv_parts(**steps),
        )
        record = record_update(actor=monitor, record=record, expected_version=record.version, fields={}, submit=True)
        return record_approve(actor=human_rights_actors["supervisor"], record=record, expected_version=record.version)

    case(emergency_requested=after(0), emergency_decided=after(1), order_requested=after(2), order_issued=after(10))
    case(emergency_requested=after(0), emergency_decided=after(3), order_requested=after(2), order_refused=after(30))
    case(order_requested=after(20))  # not decided, 20 days on: past the deadline
    case(order_requested=TODAY)  # not decided, within the deadline
    case()  # no order asked
    figures, charts = _dashboard(human_rights_actors["department_head"], rf)
    assert figures["Emergency protection orders: in time (deadline: 1 day)"].value == 0.5
    assert figures["Protection orders: in time (deadline: 15 days)"].value == 0.5
    rows = {row[0]: row[1:] for row in charts["gbvcase-deadlines"].rows}
    assert rows["Emergency protection orders"] == [1, 1, 0, 0, 2]  # in time, late, waiting, overdue, asked
    assert rows["Protection orders"] == [1, 1, 1, 1, 4]


@override_settings(API_SMALL_CELL_THRESHOLD=1, GBV_PROTECTION_ORDER_DAYS=15)
def test_an_order_waiting_passes_its_deadline_with_the_days_not_the_summary(human_rights_actors, rf):
    """The summary keeps when the clock started: the same summary read later says "past the deadline"."""
    monitor, day = human_rights_actors["monitor"], TODAY - datetime.timedelta(days=20)
    fields = gbv_content(_prizren(human_rights_actors), date=day)
    parts = gbv_parts(order_requested=TODAY - datetime.timedelta(days=15))
    record = record_create(actor=monitor, model=GbvCase, fields=fields, parts=parts)
    record = record_update(actor=monitor, record=record, expected_version=record.version, fields={}, submit=True)
    record_approve(actor=human_rights_actors["supervisor"], record=record, expected_version=record.version)
    user = human_rights_actors["department_head"]
    _figures, charts = _dashboard(user, rf)
    assert {r[0]: r[1:] for r in charts["gbvcase-deadlines"].rows}["Protection orders"] == [0, 0, 1, 0, 1]
    with override_settings(GBV_PROTECTION_ORDER_DAYS=14):  # as if read a day later
        _figures, charts = record_dashboard(apps.get_app_config("human_rights"), user, _filters(user, rf))
    rows = {c.slug: c for c in charts}["gbvcase-deadlines"].rows
    assert {r[0]: r[1:] for r in rows}["Protection orders"] == [0, 0, 0, 1, 1]


def test_the_orders_panel_hides_small_counts(human_rights_actors, rf):
    for _n in range(2):
        _approved(human_rights_actors, emergency_requested=TODAY - datetime.timedelta(days=4))
    figures, charts = _dashboard(human_rights_actors["department_head"], rf)
    assert figures["Emergency protection orders: in time (deadline: 1 day)"].value is None
    rows = {row[0]: row[1:] for row in charts["gbvcase-deadlines"].rows}
    assert rows["Emergency protection orders"] == [0, 0, 0, None, None]


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_cases_activities_and_drafts_lists_cost_the_same_queries_at_two_sizes(human_rights_actors):
    from human_rights.models import LegislativeReview, RightsActivity
    from mission.trackers.services import tracked_create
    from tests.human_rights.contract import activity_content, activity_parts, draft_content

    client = client_for(human_rights_actors["supervisor"])
    pages = [
        reverse("human_rights:gbvcase_list"),
        reverse("human_rights:rightsactivity_list"),
        reverse("human_rights:legislativereview_list"),
    ]
    monitor, supervisor = human_rights_actors["monitor"], human_rights_actors["supervisor"]

    def made(n: int) -> None:
        _approved(human_rights_actors)
        record = record_create(
            actor=monitor,
            model=RightsActivity,
            fields=activity_content(_prizren(human_rights_actors)),
            parts=activity_parts(),
        )
        record = record_update(actor=monitor, record=record, expected_version=record.version, fields={}, submit=True)
        record_approve(actor=supervisor, record=record, expected_version=record.version)
        tracked_create(
            actor=human_rights_actors["department_head"],
            model=LegislativeReview,
            fields=draft_content(title=f"Draft law no. {n}"),
        )

    made(0)
    few = [_queries(client, url) for url in pages]
    for n in range(1, 7):
        made(n)
    assert [_queries(client, url) for url in pages] == few


def test_the_overview_does_not_count_a_few_cases_waiting_for_review(human_rights_actors):
    import re

    monitor = human_rights_actors["monitor"]
    for _n in range(2):
        record = record_create(actor=monitor, model=GbvCase, fields=gbv_content(_prizren(human_rights_actors)))
        record_update(actor=monitor, record=record, expected_version=record.version, fields={}, submit=True)
    page = client_for(human_rights_actors["supervisor"]).get(reverse("dashboards:overview")).content.decode()
    waiting = re.search(r"attention-count\">([^<]*)</span> gender-based violence files waiting for review", page, re.I)
    assert waiting is not None
    assert waiting.group(1) == "—"


def test_a_case_that_reached_court_links_to_trial_monitoring_for_those_who_may_open_it(human_rights_actors):
    """By the court's case number (`mission.references`), whatever the letters' case and spacing; only
    the cases of that number the reader may open; a number trial monitoring does not know links
    nowhere, and nothing links for a reader of another department."""
    from mission.references import links
    from tests.factories import CaseFactory

    here = CaseFactory(case_number="P.nr. 88/2026")
    elsewhere = CaseFactory(court=Court.objects.get(code="BC-MI"), case_number="P.NR. 88/2026")
    (case,) = _approved(human_rights_actors)
    url = reverse("human_rights:gbvcase_detail", args=[case.pk])
    here_url = reverse("rights:case_detail", args=[here.pk])
    elsewhere_url = reverse("rights:case_detail", args=[elsewhere.pk])
    page = client_for(human_rights_actors["supervisor"]).get(url).content.decode()
    assert here_url in page  # Prizren's case; Mitrovica's is not the supervisor's to open
    assert elsewhere_url not in page
    assert "Trial monitoring: P.nr. 88/2026 (BC-PZ)" in page
    management = client_for(human_rights_actors["management"]).get(url).content.decode()
    assert here_url in management
    assert elsewhere_url in management  # the same number typed in capitals at another court
    typed = links("court_case", human_rights_actors["supervisor"], "  p.nr.   88/2026 ")
    assert [link.url for link in typed] == [here_url]
    assert links("court_case", human_rights_actors["other_department_monitor"], "P.nr. 88/2026") == []
    assert links("court_case", human_rights_actors["supervisor"], "") == []
    assert links("court_case", human_rights_actors["supervisor"], "P.nr. 99/2026") == []
