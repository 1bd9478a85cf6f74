"""The mission overview and the municipality page as every department uses them: who may open them,
each department's figures and panel for its own staff and nothing of it for another department's, the
charts, periods and freshness. The departments come from their test contracts (tests/departments.py);
trial monitoring's own figures on these pages are in tests/rights/test_overview.py."""

import datetime

import pytest
from django.urls import reverse

from field_offices.models import Municipality
from mission import departments
from mission.accounts.roles import Department
from mission.dashboards.charts import Chart, Column, Figure, choropleth, format_value
from mission.dashboards.periods import Period, add_months, last_months
from mission.dashboards.services import summaries_refresh
from tests.conftest import client_for
from tests.departments import DASHBOARDS, contract_fixtures, contracts
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = "dashboards:overview"

globals().update(contract_fixtures())
CONTRACTS = contracts()
# Each department's own dashboard pages read from summary tables, which say how fresh they are: the
# URLs its contract opens to the dashboard readers. (A declared records' dashboard counts the records
# when it opens: nothing to be late.)
SUMMARISED = {config.label for config in departments.all() if config.summaries}
DEPARTMENT_DASHBOARDS = [
    name
    for label, c in CONTRACTS.items()
    if label in SUMMARISED
    for name, (kwargs, expected) in c.GET_EXPECTATIONS.items()
    if expected is DASHBOARDS
]


@pytest.fixture(params=sorted(CONTRACTS))
def department(request):
    label = request.param
    actors = request.getfixturevalue(f"{label}_actors")
    objects = request.getfixturevalue(f"{label}_objects")
    summaries_refresh()
    return {"label": label, "contract": CONTRACTS[label], "actors": actors, "objects": objects}


def _labels(response) -> list[str]:
    return [f.label for f in response.context["figures"]]


def _panels(response) -> list[str]:
    return [p["department"].department for p in response.context["panels"]]


class TestOverview:
    def test_management_lands_on_the_overview(self, management):
        response = client_for(management).get(reverse("home"))
        assert response.status_code == 302
        assert response["Location"] == reverse(URL)

    @pytest.mark.parametrize("actor", ["monitor", "partner", "administrator", "other_department_monitor"])
    def test_who_may_not_open_it(self, request, actor):
        assert client_for(request.getfixturevalue(actor)).get(reverse(URL)).status_code == 403

    def test_anonymous_users_are_sent_to_sign_in(self):
        assert client_for(None).get(reverse(URL)).status_code == 302

    def test_a_department_head_without_a_dashboard_sees_an_empty_state(self, geography, monkeypatch):
        from mission.dashboards import registry
        from tests.factories import UserFactory

        # A department that has no dashboards yet: Democratization's taken away for this test.
        others = [d for d in registry._departments if d.department != "democratization"]
        monkeypatch.setattr(registry, "_departments", others)
        head = UserFactory(username="head.democratization", department_head=True, department="democratization")
        response = client_for(head).get(reverse(URL))
        assert response.status_code == 200
        assert "No department in your scope has a dashboard yet." in response.content.decode()

    @pytest.mark.parametrize("actor", ["department_head", "supervisor"])
    def test_each_department_shows_its_figures_to_its_head_and_supervisor(self, department, actor):
        response = client_for(department["actors"][actor]).get(reverse(URL))
        assert response.status_code == 200
        assert department["contract"].OVERVIEW_FIGURE in _labels(response)
        assert department["contract"].OVERVIEW_FIGURE in response.content.decode()

    def test_another_departments_staff_see_nothing_of_it(self, department, geography):
        assert client_for(department["actors"]["other_department_monitor"]).get(reverse(URL)).status_code == 403
        own = department["actors"]["department_head"].department
        other = next(d for d in (Department.DEMOCRATIZATION, Department.RIGHTS) if d != own)
        head = UserFactory(username="head.elsewhere", department_head=True, department=other)
        response = client_for(head).get(reverse(URL))
        assert response.status_code == 200
        assert department["contract"].OVERVIEW_FIGURE not in _labels(response)


class TestMunicipalityPage:
    def test_unknown_municipality_is_not_found(self, management):
        assert client_for(management).get(reverse("dashboards:municipality_detail", args=["99"])).status_code == 404

    def test_partners_may_not_open_it(self, partner, geography):
        assert client_for(partner).get(reverse("dashboards:municipality_detail", args=["01"])).status_code == 403

    def test_each_department_shows_its_panel_to_its_staff_and_not_to_another_departments(self, department):
        actors = department["actors"]
        municipality = Municipality.objects.filter(region=actors["supervisor"].region).order_by("code").first()
        url = reverse("dashboards:municipality_detail", args=[municipality.code])
        own = actors["supervisor"].department
        for actor in ("monitor", "supervisor", "department_head"):
            response = client_for(actors[actor]).get(url)
            assert response.status_code == 200
            assert own in _panels(response), actor
        other = client_for(actors["other_department_monitor"]).get(url)
        assert other.status_code == 200
        assert own not in _panels(other)


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


def test_in_december_one_preset_is_highlighted_not_two(management, geography, monkeypatch):
    import types

    from mission.dashboards import periods

    monkeypatch.setattr(periods, "timezone", types.SimpleNamespace(localdate=lambda: datetime.date(2026, 12, 10)))
    response = client_for(management).get(reverse(URL))
    current = [link["label"] for link in response.context["filters"].preset_links() if link["current"]]
    assert current == ["Last 12 months"]
    assert response.content.decode().count('aria-current="true"') == 1


class TestFreshness:
    """Issue 11, item 31: the dashboards say when their figures are older than the schedule promises."""

    def _age(self, minutes: int) -> None:
        from django.utils import timezone

        from mission.dashboards.models import SummaryRefresh

        summaries_refresh()
        SummaryRefresh.objects.update(refreshed_at=timezone.now() - datetime.timedelta(minutes=minutes))

    def test_figures_older_than_expected_are_flagged(self, management, geography, settings):
        settings.CELERY_TASK_ALWAYS_EAGER = False  # a broker and beat, which has stopped
        settings.DASHBOARD_REFRESH_MINUTES = 15
        self._age(180)
        assert DEPARTMENT_DASHBOARDS  # trial monitoring's dashboard, at least
        for url in (reverse(URL), *map(reverse, DEPARTMENT_DASHBOARDS)):
            html = client_for(management).get(url).content.decode()
            assert "older than expected" in html, url
            assert "changes reach them within 15 minutes" not in html

    def test_fresh_figures_carry_no_warning(self, management, geography, settings):
        settings.CELERY_TASK_ALWAYS_EAGER = False
        settings.DASHBOARD_REFRESH_MINUTES = 15
        self._age(10)
        for url in (reverse(URL), *map(reverse, DEPARTMENT_DASHBOARDS)):
            html = client_for(management).get(url).content.decode()
            assert "older than expected" not in html, url
            assert "changes reach them within 15 minutes" in html
