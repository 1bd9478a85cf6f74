"""The Human Rights dashboard and the trial-monitoring summaries: the numbers, scoping, filters,
CSV downloads and a query count that does not grow with the data."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from field_offices.models import Community
from mission.dashboards.models import SummaryMark, SummaryRefresh
from mission.dashboards.services import summaries_refresh
from rights.models import (
    Case,
    Hearing,
    HearingMonth,
    Observation,
    Questionnaire,
)
from rights.services.hearings import hearing_create
from tests.conftest import client_for
from tests.factories import CaseFactory, HearingFactory, PartyFactory, UserFactory
from tests.rights.conftest import hearing_fields

pytestmark = pytest.mark.django_db

PERIOD = {"from": "2026-01", "to": "2026-03"}
URL = "rights:dashboard"


def _day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def _figures(response) -> dict:
    return {f.label: (f.value, f.previous) for f in response.context["figures"]}


def _chart(response, slug):
    return next(c for c in response.context["charts"] if c.slug == slug)


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


class TestFigures:
    def test_the_head_sees_the_mission_wide_indicators(self, department_head, trial_data):
        response = client_for(department_head).get(reverse(URL), PERIOD)
        assert response.status_code == 200
        figures = _figures(response)
        assert figures["Hearings monitored"] == (4, 1)
        assert figures["Cases monitored"] == (2, 1)  # the Prizren case counts once over its three hearings
        assert figures["Unproductive hearings"] == (0.25, 0.0)
        assert figures["Hearings recorded (of held)"][0] == pytest.approx(2 / 3)
        assert figures["Cases with fundamental-rights grounds for appeal"] == (0.5, 0.0)
        # Only the approved observation's ratings count: one violation among 17 ratings.
        assert figures["Ratings that are violations"][0] == pytest.approx(1 / 17)
        assert "Hearings monitored" in response.content.decode()

    def test_a_supervisor_sees_only_their_region(self, supervisor, trial_data):
        response = client_for(supervisor).get(reverse(URL), PERIOD)
        figures = _figures(response)
        assert figures["Hearings monitored"] == (3, 0)
        assert figures["Cases monitored"] == (1, 0)
        regions = [row[0] for row in _chart(response, "by-region").rows]
        assert regions == ["Prizren"]
        assert "Basic Court of Mitrovica" not in response.content.decode()

    def test_a_supervisor_cannot_ask_for_another_region(self, supervisor, trial_data):
        response = client_for(supervisor).get(reverse(URL), {**PERIOD, "region": "MIT"})
        assert response.status_code == 200
        assert _figures(response)["Hearings monitored"] == (3, 0)  # still only Prizren

    def test_filters_narrow_the_figures(self, department_head, trial_data):
        client = client_for(department_head)
        by_court = _figures(client.get(reverse(URL), {**PERIOD, "court": "BC-MI"}))
        assert by_court["Hearings monitored"] == (1, 1)
        assert by_court["Cases monitored"] == (1, 1)  # the per-court rows, not the sums over courts
        prizren = client.get(reverse(URL), {**PERIOD, "court": "BC-PZ"})
        assert _chart(prizren, "adjournment-reasons").rows == [["Witness absent", 1, 1.0]]
        assert _figures(prizren)["Unproductive hearings"][0] == pytest.approx(1 / 3)
        by_department = _figures(client.get(reverse(URL), {**PERIOD, "court_department": "general_criminal"}))
        assert by_department["Hearings monitored"] == (3, 0)
        by_region = _figures(client.get(reverse(URL), {**PERIOD, "region": "MIT"}))
        assert by_region["Cases monitored"] == (1, 1)

    def test_a_court_filter_reaches_the_standards_and_the_accused(self, department_head, trial_data):
        # Unfiltered pages read the sums over courts; a court filter reads the per-court rows.
        client = client_for(department_head)
        prizren = client.get(reverse(URL), {**PERIOD, "court": "BC-PZ"})
        assert _chart(prizren, "standards").rows[0][4] == 1
        assert [row[0] for row in _chart(prizren, "accused-by-sex").rows] == ["Male"]
        mitrovica = client.get(reverse(URL), {**PERIOD, "court": "BC-MI"})
        assert _chart(mitrovica, "standards").rows == []  # its only observation is a draft
        assert [row[0] for row in _chart(mitrovica, "accused-by-sex").rows] == ["Female"]
        serious = client.get(reverse(URL), {**PERIOD, "court_department": "serious_crimes"})
        assert [row[0] for row in _chart(serious, "accused-by-community").rows] == ["Serb"]

    def test_a_case_heard_before_and_in_the_period_counts_once_in_a_longer_period(self, department_head, trial_data):
        response = client_for(department_head).get(reverse(URL), {"from": "2025-12", "to": "2026-03"})
        assert _figures(response)["Cases monitored"][0] == 2
        assert _figures(response)["Hearings monitored"][0] == 5

    def test_breakdowns(self, department_head, trial_data):
        response = client_for(department_head).get(reverse(URL), PERIOD)
        months = _chart(response, "hearings-by-month").rows
        assert [row[1:4] for row in months] == [[1, 0, 1], [1, 1, 2], [1, 0, 1]]  # held, adjourned, hearings
        assert _chart(response, "adjournment-reasons").rows == [["Witness absent", 1, 1.0]]
        sexes = {row[0]: row[1:] for row in _chart(response, "accused-by-sex").rows}
        assert sexes == {"Male": [3, pytest.approx(1 / 3)], "Female": [1, 0.0]}
        ages = [row[0] for row in _chart(response, "accused-by-age").rows]
        assert ages == ["14–17", "26–40"]
        communities = {row[0]: row[1] for row in _chart(response, "accused-by-community").rows}
        assert communities == {"Albanian": 3, "Serb": 1}
        standards = _chart(response, "standards").rows
        assert standards[0][0] == trial_data["standards"][0].name
        assert standards[0][4:] == [1, 1.0]
        assert _chart(response, "flags-by-status").rows == [["Open", 1]]

    def test_accused_persons_count_once_each(self, department_head, trial_data):
        # A second accused in the Prizren case (three hearings in the period): a girl of 13.
        PartyFactory(
            case=trial_data["prizren"],
            ordinal=2,
            sex="female",
            age_band="under_14",
            community=Community.objects.get(code="ALB"),
        )
        summaries_refresh()
        client = client_for(department_head)
        response = client.get(reverse(URL), PERIOD)
        # Two in Prizren and one in Mitrovica; the period before saw the Mitrovica case only.
        assert _figures(response)["Accused persons"] == (3, 1)
        sexes = {row[0]: row[1] for row in _chart(response, "persons-by-sex").rows}
        assert sexes == {"Female": 2, "Male": 1}
        juveniles = {row[0]: row[1] for row in _chart(response, "persons-by-juvenile").rows}
        assert juveniles == {"Juvenile (under 18)": 2, "Adult": 1}
        communities = {row[0]: row[1:] for row in _chart(response, "persons-by-community").rows}
        assert communities == {"Albanian": [2, pytest.approx(2 / 3)], "Serb": [1, pytest.approx(1 / 3)]}
        # Hearings by a characteristic of the accused still count hearings: 3 + 1 with a woman accused.
        assert {row[0]: row[1] for row in _chart(response, "accused-by-sex").rows}["Female"] == 4
        # The Mitrovica accused, heard in December and March, is one person over the longer period.
        longer = client.get(reverse(URL), {"from": "2025-12", "to": "2026-03"})
        assert _figures(longer)["Accused persons"][0] == 3
        by_court = client.get(reverse(URL), {**PERIOD, "court": "BC-MI"})
        assert {row[0]: row[1] for row in _chart(by_court, "persons-by-sex").rows} == {"Female": 1}

    def test_an_empty_period_says_so(self, department_head, trial_data):
        response = client_for(department_head).get(reverse(URL), {"from": "2020-01", "to": "2020-02"})
        assert _figures(response)["Hearings monitored"] == (0, 0)
        assert "Nothing to show for these filters." in response.content.decode()


class TestFiltersInTheUrl:
    def test_bad_filters_are_reported_and_the_defaults_used(self, department_head, trial_data):
        response = client_for(department_head).get(reverse(URL), {"from": "2026-13", "to": "2026-01", "court": "NOPE"})
        assert response.status_code == 200
        form = response.context["form"]
        assert "from" in form.errors
        assert "court" in form.errors
        assert "Enter a month as YYYY-MM" in response.content.decode()
        assert response.context["filters"].params["to"] == f"{datetime.date.today():%Y-%m}"

    @pytest.mark.parametrize(
        ("period", "field"),
        [
            ({"to": "0001-01"}, "to"),  # its previous period, for the change, would be in year 0
            ({"from": "0001-01", "to": "0001-12"}, "from"),
            ({"from": "9999-01", "to": "9999-12"}, "to"),  # the period ends on the first day of year 10000
        ],
    )
    def test_months_at_the_edge_of_the_calendar_are_reported(self, department_head, trial_data, period, field):
        response = client_for(department_head).get(reverse(URL), period)
        assert response.status_code == 200
        assert field in response.context["form"].errors
        assert "Enter a month from 1900-01 to 2999-12." in response.content.decode()
        assert response.context["filters"].params["to"] == f"{datetime.date.today():%Y-%m}"

    def test_a_period_backwards_is_refused(self, department_head, trial_data):
        response = client_for(department_head).get(reverse(URL), {"from": "2026-03", "to": "2026-01"})
        assert "The first month of the period must not be after the last." in response.content.decode()

    def test_chart_links_keep_the_filters(self, department_head, trial_data):
        response = client_for(department_head).get(reverse(URL), {**PERIOD, "court": "BC-PZ"})
        assert "from=2026-01&amp;to=2026-03&amp;court=BC-PZ&amp;csv=by-region" in response.content.decode()


class TestCsv:
    def test_each_chart_downloads_its_numbers(self, department_head, trial_data):
        response = client_for(department_head).get(reverse(URL), {**PERIOD, "csv": "by-region"})
        assert response["Content-Type"].startswith("text/csv")
        assert "by-region-2026-01-2026-03.csv" in response["Content-Disposition"]
        rows = _csv(response)
        assert rows[0][:3] == ["Region", "Hearings", "Unproductive (%)"]
        assert rows[1][:3] == ["Prizren", "3", "33.33"] or rows[2][:3] == ["Prizren", "3", "33.33"]

    def test_an_unknown_chart_is_not_found(self, department_head, trial_data):
        assert client_for(department_head).get(reverse(URL), {"csv": "nope"}).status_code == 404

    def test_a_supervisors_csv_holds_only_their_region(self, supervisor, trial_data):
        rows = _csv(client_for(supervisor).get(reverse(URL), {**PERIOD, "csv": "by-court"}))
        assert [row[0] for row in rows[1:]] == ["Basic Court of Prizren"]


class TestAccess:
    @pytest.mark.parametrize("actor", ["monitor", "other_department_monitor", "partner", "administrator"])
    def test_who_may_not_open_it(self, request, actor, trial_data):
        assert client_for(request.getfixturevalue(actor)).get(reverse(URL)).status_code == 403

    def test_another_departments_head_may_not_open_it(self, geography, trial_data):
        head = UserFactory(username="head.democratization", department_head=True, department="democratization")
        assert client_for(head).get(reverse(URL)).status_code == 403

    def test_anonymous_users_are_sent_to_sign_in(self, trial_data):
        response = client_for(None).get(reverse(URL))
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]

    def test_management_opens_it(self, management, trial_data):
        assert client_for(management).get(reverse(URL), PERIOD).status_code == 200


class TestSummaries:
    def test_a_refresh_rebuilds_the_same_rows(self, trial_data):
        first = sorted(HearingMonth.objects.values_list("month", "court_id", "hearings", "adjourned", "recorded"))
        summaries_refresh()
        assert (
            sorted(HearingMonth.objects.values_list("month", "court_id", "hearings", "adjourned", "recorded")) == first
        )

    def test_a_hearing_logged_through_the_service_appears_at_once_and_the_page_says_when(
        self, department_head, monitor, trial_data
    ):
        # With tasks in-process the page applies what the services marked before it reads the figures
        # (with a broker, beat does it every minute).
        client = client_for(department_head)
        assert _figures(client.get(reverse(URL), PERIOD))["Hearings monitored"][0] == 4
        hearing_create(actor=monitor, case=trial_data["prizren"], **hearing_fields(date=_day("2026-03-15")))
        response = client.get(reverse(URL), PERIOD)
        assert _figures(response)["Hearings monitored"][0] == 5
        assert "Figures as of" in response.content.decode()
        assert not SummaryMark.objects.exists()
        assert SummaryRefresh.objects.get(name="trial_monitoring").kind == "incremental"

    def test_an_approval_marks_its_month_for_the_rating_tables_only(self, monitor, supervisor, observation, standards):
        from rights.services.observations import observation_approve, observation_submit
        from tests.rights.conftest import all_complied

        observation_submit(
            actor=monitor, observation=observation, expected_version=1, summary="Held.", ratings=all_complied(standards)
        )
        SummaryMark.objects.all().delete()
        observation_approve(actor=supervisor, observation=observation, expected_version=observation.version)
        hearing = observation.hearing
        assert set(SummaryMark.objects.values_list("topic", "month", "group")) == {
            ("ratings", hearing.date.replace(day=1), hearing.court_id)
        }

    def test_a_moved_hearing_marks_its_months_and_those_of_the_hearings_after_it(self, monitor, hearing):
        """Every table is rebuilt for the hearing's month before and after; the tables that keep a
        case's previous month also for the hearings that followed it and follow it now."""
        from rights.services.hearings import hearing_create, hearing_update
        from tests.rights.conftest import hearing_fields

        day = hearing.date

        def ago(days: int) -> datetime.date:
            return day - datetime.timedelta(days=days)

        def month(date: datetime.date) -> datetime.date:
            return date.replace(day=1)

        moved = hearing_create(actor=monitor, case=hearing.case, **hearing_fields(date=ago(120)))
        hearing_create(actor=monitor, case=hearing.case, **hearing_fields(date=ago(60)))
        SummaryMark.objects.all().delete()
        # From first to between the second and `hearing`: the second had it before, `hearing` has it now.
        hearing_update(actor=monitor, hearing=moved, expected_version=moved.version, date=ago(30))
        marks = set(SummaryMark.objects.values_list("topic", "month"))
        every = {m for t, m in marks if t == ""}
        assert every == {month(ago(120)), month(ago(30))}
        assert {m for t, m in marks if t == "sequence"} == {month(ago(60)), month(day)} - every

    def test_in_process_summaries_not_rebuilt_for_a_day_are_rebuilt_on_reading(self, department_head, trial_data):
        # A record made around the services (a factory here, a fix in the database) is not marked: it
        # waits for the nightly rebuild, which the page does itself when tasks run in-process.
        client = client_for(department_head)
        HearingFactory(case=trial_data["prizren"], date=_day("2026-03-15"))
        assert _figures(client.get(reverse(URL), PERIOD))["Hearings monitored"][0] == 4
        SummaryRefresh.objects.update(rebuilt_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
        assert _figures(client.get(reverse(URL), PERIOD))["Hearings monitored"][0] == 5

    def test_the_task_and_the_command_rebuild_the_summaries(self, trial_data):
        from django.core.management import call_command

        from mission.dashboards.tasks import refresh_summaries

        HearingMonth.objects.all().delete()
        assert refresh_summaries() > 0
        assert HearingMonth.objects.exists()
        HearingMonth.objects.all().delete()
        out = io.StringIO()
        call_command("refresh_dashboards", "trial_monitoring", stdout=out)
        assert "trial_monitoring:" in out.getvalue()
        assert HearingMonth.objects.exists()

    def test_the_command_refuses_an_unknown_summary(self, trial_data):
        from django.core.management import call_command

        with pytest.raises(SystemExit):
            call_command("refresh_dashboards", "nope", stderr=io.StringIO())


def _bulk_observations(monitor, count: int) -> None:
    """`count` approved observations on as many hearings spread over a year, without factories (fast)."""
    case = CaseFactory(created_by=monitor)
    questionnaire = Questionnaire.objects.get(is_current=True)
    start = datetime.date.today() - datetime.timedelta(days=360)
    hearings = Hearing.objects.bulk_create(
        Hearing(
            case=case,
            court_id=case.court_id,
            date=start + datetime.timedelta(days=i % 360),
            scheduled_start=datetime.time(9, 0),
            hearing_type="main_trial",
            held=i % 4 != 0,
            adjournment_reason="" if i % 4 else "absent_witness",
            recorded=True if i % 4 else None,
            created_by=monitor,
        )
        for i in range(count)
    )
    Observation.objects.bulk_create(
        Observation(hearing=h, hearing_date=h.date, monitor=monitor, questionnaire=questionnaire, status="approved")
        for h in hearings
    )
    Case.objects.filter(pk=case.pk).update(published=True)


@pytest.mark.parametrize("url_name", ["rights:dashboard", "dashboards:overview"])
def test_the_dashboards_run_the_same_few_queries_at_100_and_10000_observations(
    url_name, department_head, monitor, django_assert_num_queries
):
    client = client_for(department_head)
    client.get(reverse(url_name))  # its filters are kept from then on, whatever the data (kept_filters)
    _bulk_observations(monitor, 100)
    summaries_refresh()
    # The first request after a refresh renders the figures (the dashboard then keeps them until the
    # next refresh: mission/dashboards/fragments.py), at both sizes.
    with CaptureQueriesContext(connection) as small:
        response = client.get(reverse(url_name))
    assert response.status_code == 200
    # The overview also shows the department's other app (human_rights): its record summary and its
    # records waiting for review, one query each, whatever the number of its record types.
    assert len(small.captured_queries) <= (8 if url_name == "rights:dashboard" else 11)
    _bulk_observations(monitor, 9_900)
    summaries_refresh()
    assert Observation.objects.count() == 10_000
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(reverse(url_name))
    assert sum(f.value or 0 for f in response.context["figures"][:1]) >= 9_000
    with CaptureQueriesContext(connection) as again:
        repeated = client.get(reverse(url_name))
    assert len(again.captured_queries) <= len(small.captured_queries)
    if url_name == "rights:dashboard":  # in process too, the figures are kept until they change
        assert len(again.captured_queries) < len(small.captured_queries)
    assert _figures_html(repeated) == _figures_html(response)


def _figures_html(response) -> str:
    page = response.content.decode()
    return page[page.index('<main id="main"') : page.index("</main>")]
