"""The mission overview and the municipality page: figures, the map, scoping, CSV, access."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mission.dashboards.charts import Chart, Column, Figure, choropleth, format_value
from mission.dashboards.periods import Period, add_months, last_months
from mission.dashboards.services import summaries_refresh
from tests.conftest import client_for
from tests.factories import FlagFactory, HearingFactory
from tests.rights.test_dashboard import PERIOD, _csv

pytestmark = pytest.mark.django_db
URL = "dashboards:overview"


def _figures(response) -> dict:
    return {f.label: (f.value, f.previous) for f in response.context["figures"]}


class TestOverview:
    def test_management_lands_on_the_overview(self, management):
        response = client_for(management).get(reverse("home"))
        assert response.status_code == 302
        assert response["Location"] == reverse(URL)

    def test_key_figures_with_change(self, management, trial_data):
        response = client_for(management).get(reverse(URL), PERIOD)
        assert response.status_code == 200
        figures = _figures(response)
        assert figures["Hearings monitored"] == (4, 1)
        assert figures["Cases monitored"] == (2, 1)
        html = response.content.decode()
        assert "+3 (+300 %)" in html
        assert "(previous period: 1)" in html

    def test_activity_by_region_and_on_the_map(self, management, trial_data):
        # One department's activity names its measure (with several, the map counts "records").
        response = client_for(management).get(reverse(URL), {**PERIOD, "department": "rights"})
        rows = {row[0]: row[1] for row in response.context["by_region"].rows}
        assert rows["Prizren"] == 3
        assert rows["Mitrovicë/Mitrovica"] == 1
        assert rows["Gjilan/Gnjilane"] == 0
        shapes = {s["code"]: s for s in response.context["map"]["shapes"]}
        assert len(shapes) == 38
        prizren = trial_data["prizren"].municipality
        assert shapes[prizren.code]["text"] == f"{prizren.name}: 3 hearings monitored"
        assert shapes[prizren.code]["url"].startswith(reverse("dashboards:municipality_detail", args=[prizren.code]))
        html = response.content.decode()
        assert f'aria-label="{prizren.name}: 3 hearings monitored"' in html
        assert "OpenStreetMap" in html  # the boundaries' attribution

    def test_the_period_changes_the_numbers(self, management, trial_data):
        client = client_for(management)
        assert _figures(client.get(reverse(URL), {"from": "2025-12", "to": "2025-12"}))["Hearings monitored"][0] == 1
        assert _figures(client.get(reverse(URL), {"from": "2026-02", "to": "2026-02"}))["Hearings monitored"][0] == 2

    def test_what_needs_attention_is_live(self, supervisor, trial_data):
        response = client_for(supervisor).get(reverse(URL), PERIOD)
        attention = {a.label: a.count for a in response.context["attention"]}
        assert attention["open flags (trial monitoring)"] == 1
        assert attention["observations waiting for review"] == 0

    def test_a_supervisor_sees_their_region_only(self, supervisor, trial_data):
        response = client_for(supervisor).get(reverse(URL), PERIOD)
        assert _figures(response)["Hearings monitored"] == (3, 0)
        assert [row[0] for row in response.context["by_region"].rows] == ["Prizren"]
        shapes = {s["code"]: s for s in response.context["map"]["shapes"]}
        mitrovica = trial_data["mitrovica"].municipality
        assert shapes[mitrovica.code]["figure"] is None
        assert shapes[mitrovica.code]["text"].endswith("outside your scope")
        assert 'name="region"' not in response.content.decode()  # one region: nothing to choose

    def test_csv_of_the_map_numbers(self, management, trial_data):
        query = {**PERIOD, "csv": "activity-by-municipality", "department": "rights"}
        rows = _csv(client_for(management).get(reverse(URL), query))
        assert rows[0] == ["Municipality", "Region", "hearings monitored"]
        assert len(rows) == 39
        assert [trial_data["prizren"].municipality.name, "Prizren", "3"] in rows

    @pytest.mark.parametrize("actor", ["monitor", "partner", "administrator", "other_department_monitor"])
    def test_who_may_not_open_it(self, request, actor):
        assert client_for(request.getfixturevalue(actor)).get(reverse(URL)).status_code == 403

    def test_anonymous_users_are_sent_to_sign_in(self):
        assert client_for(None).get(reverse(URL)).status_code == 302

    def test_a_department_head_without_a_dashboard_sees_an_empty_state(self, geography):
        from tests.factories import UserFactory

        # Democratization has no records yet (Public Safety has the test department's, tests/incidents).
        head = UserFactory(username="head.democratization", department_head=True, department="democratization")
        response = client_for(head).get(reverse(URL))
        assert response.status_code == 200
        assert "No department in your scope has a dashboard yet." in response.content.decode()


class TestMunicipalityPage:
    def test_a_supervisor_sees_hearings_and_flags_of_their_municipality(self, supervisor, trial_data):
        municipality = trial_data["prizren"].municipality
        response = client_for(supervisor).get(
            reverse("dashboards:municipality_detail", args=[municipality.code]), PERIOD
        )
        html = response.content.decode()
        assert response.status_code == 200
        assert "Basic Court of Prizren" in html
        assert trial_data["prizren"].case_number in html
        assert "Open flags" in html
        assert "A standard was rated a violation" in html
        panel = response.context["panels"][0]
        assert [row[3] for row in panel["chart"].rows] == [1, 2, 0]

    def test_outside_the_region_only_the_facts_show(self, supervisor, trial_data):
        municipality = trial_data["mitrovica"].municipality
        response = client_for(supervisor).get(reverse("dashboards:municipality_detail", args=[municipality.code]))
        html = response.content.decode()
        assert "outside your region" in html
        assert trial_data["mitrovica"].case_number not in html
        assert municipality.region.name in html

    def test_a_monitor_sees_hearings_but_not_flags(self, monitor, trial_data):
        municipality = trial_data["prizren"].municipality
        html = (
            client_for(monitor)
            .get(reverse("dashboards:municipality_detail", args=[municipality.code]))
            .content.decode()
        )
        assert trial_data["prizren"].case_number in html
        assert "Open flags" not in html

    def test_another_department_sees_the_facts_only(self, other_department_monitor, trial_data):
        municipality = trial_data["prizren"].municipality
        response = client_for(other_department_monitor).get(
            reverse("dashboards:municipality_detail", args=[municipality.code])
        )
        assert response.status_code == 200
        assert response.context["panels"] == []
        assert trial_data["prizren"].case_number not in response.content.decode()

    def test_unknown_municipality_is_not_found(self, management):
        assert client_for(management).get(reverse("dashboards:municipality_detail", args=["99"])).status_code == 404

    def test_partners_may_not_open_it(self, partner, geography):
        assert client_for(partner).get(reverse("dashboards:municipality_detail", args=["01"])).status_code == 403

    def test_few_queries_whatever_the_data(self, supervisor, trial_data, django_assert_num_queries):
        url = reverse("dashboards:municipality_detail", args=[trial_data["prizren"].municipality.code])
        client = client_for(supervisor)
        client.get(url)
        with CaptureQueriesContext(connection) as few:
            client.get(url)
        assert len(few.captured_queries) <= 10
        for n in range(30):
            FlagFactory(hearing=HearingFactory(case=trial_data["prizren"], date=datetime.date(2026, 1, 1 + n % 28)))
        summaries_refresh()
        with django_assert_num_queries(len(few.captured_queries)):
            response = client.get(url)
        assert len(response.context["panels"][0]["hearings"]) == 10


class TestChartsAndPeriods:
    def test_periods(self):
        period = Period(datetime.date(2026, 1, 1), datetime.date(2026, 3, 1))
        assert period.length == 3
        assert period.previous() == Period(datetime.date(2025, 10, 1), datetime.date(2025, 12, 1))
        assert period.end == datetime.date(2026, 3, 31)
        assert add_months(datetime.date(2026, 12, 1), 1) == datetime.date(2027, 1, 1)
        assert last_months(12, until=datetime.date(2026, 11, 1)).first == datetime.date(2025, 12, 1)

    def test_numbers_are_formatted_for_the_language(self):
        from django.utils import translation

        with translation.override("sq"):
            assert format_value(12345) == "12.345"
            assert format_value(0.125, "rate") == "12,5 %"
        with translation.override("en"):
            assert format_value(12345) == "12,345"
            assert format_value(0.125, "rate") == "12.5 %"
            assert format_value(None) == "—"

    def test_a_rate_changes_by_the_difference_of_the_figures_shown(self):
        # 0.34 % and 0.56 % are shown as 0.3 % and 0.6 %: the reader expects −0.3 points, not −0.2.
        figure = Figure("x", 0.0034, 0.0056, "rate")
        assert (figure.value_text, figure.previous_text) == ("0.3 %", "0.6 %")
        assert figure.change_text == "−0.3 points"
        # Shown alike, they are the same, whatever the digits behind them.
        same = Figure("x", 0.1234, 0.1226, "rate")
        assert (same.change, same.change_text) == ("same", "+0.0 points")

    def test_figure_change(self):
        assert Figure("x", 12, 10).change_text == "+2 (+20 %)"
        assert Figure("x", 8, 10).change == "down"
        assert Figure("x", 0.3, 0.25, "rate").change_text == "+5.0 points"
        assert Figure("x", 3, None).change_text == "no figure to compare"

    def test_svg_geometry_is_never_localised(self):
        from django.utils import translation

        chart = Chart("c", "C", [Column("A", "text"), Column("B")], [["one", 1], ["two", 3]])
        with translation.override("sq"):
            svg = chart.svg()
        assert all("," not in bar["width"] for bar in svg["bars"])
        assert chart.csv_rows() == (["A", "B"], [["one", 1], ["two", 3]])

    def test_map_classes_put_about_as_many_municipalities_in_each_colour(self, geography):
        values = {f"{n:02d}": n for n in range(1, 39)}
        result = choropleth(values=values, names={}, inside=None, url=lambda code: f"/m/{code}", metric="x")
        fills = [s["fill"] for s in result["shapes"]]
        assert len(set(fills)) == 5
        assert max(fills.count(f) for f in set(fills)) <= 8
        assert result["legend"][0]["label"] == "0"
        assert result["legend"][-1]["label"].endswith("38")


def test_dates_are_written_day_first_in_albanian():
    from django.utils import formats, translation

    with translation.override("sq"):
        assert (
            formats.date_format(datetime.datetime(2026, 11, 29, 16, 5), "SHORT_DATETIME_FORMAT") == "29.11.2026 16:05"
        )
        assert formats.date_format(datetime.date(2026, 3, 1), "YEAR_MONTH_FORMAT") == "Mars 2026"


def test_the_municipality_chart_downloads_as_csv(supervisor, trial_data):
    url = reverse("dashboards:municipality_detail", args=[trial_data["prizren"].municipality.code])
    response = client_for(supervisor).get(url, {**PERIOD, "csv": "municipality-hearings-by-month"})
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv(response)
    assert rows[0][0] == "Month"
    assert [row[3] for row in rows[1:]] == ["1", "2", "0"]


def test_in_december_one_preset_is_highlighted_not_two(management, geography, monkeypatch):
    import types

    from mission.dashboards import periods

    monkeypatch.setattr(periods, "timezone", types.SimpleNamespace(localdate=lambda: datetime.date(2026, 12, 10)))
    response = client_for(management).get(reverse(URL))
    current = [link["label"] for link in response.context["filters"].preset_links() if link["current"]]
    assert current == ["Last 12 months"]
    assert response.content.decode().count('aria-current="true"') == 1


def test_the_municipality_page_offers_no_region_filter(management, trial_data):
    municipality = trial_data["prizren"].municipality
    url = reverse("dashboards:municipality_detail", args=[municipality.code])
    response = client_for(management).get(url, {**PERIOD, "region": "MIT"})
    assert "region" not in response.context["form"].fields
    assert 'name="region"' not in response.content.decode()
    # The municipality's own figures, whatever region a shared dashboard link carried.
    assert [row[3] for row in response.context["panels"][0]["chart"].rows] == [1, 2, 0]
    assert "region=" not in response.context["filters"].querystring()


class TestFreshness:
    """Issue 11, item 31: the dashboards say when their figures are older than the schedule promises."""

    def _age(self, minutes: int) -> None:
        from django.utils import timezone

        from mission.dashboards.models import SummaryRefresh

        SummaryRefresh.objects.update(refreshed_at=timezone.now() - datetime.timedelta(minutes=minutes))

    def test_figures_older_than_expected_are_flagged(self, management, trial_data, settings):
        settings.CELERY_TASK_ALWAYS_EAGER = False  # a broker and beat, which has stopped
        settings.DASHBOARD_REFRESH_MINUTES = 15
        self._age(180)
        for url in (reverse(URL), reverse("rights:dashboard")):
            html = client_for(management).get(url, PERIOD).content.decode()
            assert "older than expected" in html
            assert "they are refreshed every 15 minutes" not in html

    def test_fresh_figures_carry_no_warning(self, management, trial_data, settings):
        settings.CELERY_TASK_ALWAYS_EAGER = False
        settings.DASHBOARD_REFRESH_MINUTES = 15
        self._age(10)
        html = client_for(management).get(reverse(URL), PERIOD).content.decode()
        assert "older than expected" not in html
        assert "they are refreshed every 15 minutes" in html
