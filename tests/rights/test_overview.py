"""Trial monitoring on the mission overview and the municipality page: its figures, the map of hearings,
scoping, the CSV downloads, its panel. The pages' mechanics for every department are in
tests/dashboards/test_overview.py."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mission.dashboards.services import summaries_refresh
from rights.models import Flag
from rights.services.flags import flag_close
from tests.conftest import client_for
from tests.factories import FlagFactory, HearingFactory
from tests.rights.test_dashboard import PERIOD, _csv

pytestmark = pytest.mark.django_db
URL = "dashboards:overview"


def _main(response) -> str:
    page = response.content.decode()
    return page[page.index('<main id="main"') : page.index("</main>")]


def _figures(response) -> dict:
    return {f.label: (f.value, f.previous) for f in response.context["figures"]}


class TestOverview:
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

    def test_the_figures_are_kept_until_the_summaries_change_and_attention_stays_live(
        self, supervisor, monitor, trial_data
    ):
        """The overview keeps its rendered figures, region chart and map per summaries' version
        (mission/dashboards/fragments.py); what needs attention is counted on every request."""
        client = client_for(supervisor)
        query = {**PERIOD, "department": "rights"}
        first = client.get(reverse(URL), query)
        flags = {a.label: a.count for a in first.context["attention"]}["open flags (trial monitoring)"]
        again = client.get(reverse(URL), query)
        assert "figures" not in again.context  # from the kept fragment, not rendered again
        assert 'aria-label="Key figures"' in again.content.decode()
        assert _main(again) == _main(first)
        flag_close(actor=supervisor, flag=Flag.objects.get(case=trial_data["prizren"]), note="Raised with the court.")
        HearingFactory(case=trial_data["prizren"], date=datetime.date(2026, 2, 10))  # made around the services
        live = client.get(reverse(URL), query)
        assert {a.label: a.count for a in live.context["attention"]}["open flags (trial monitoring)"] == flags - 1
        assert _figures(live)["Hearings monitored"][0] == 3  # the factory-made hearing waits for a rebuild
        summaries_refresh()  # a full rebuild picks the factory-made hearing up: the figures change
        assert _figures(client.get(reverse(URL), query))["Hearings monitored"][0] == 4


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
        # Their own department's panel only (an empty one: they record nothing there), no trial monitoring.
        assert [panel["department"].department for panel in response.context["panels"]] == [
            other_department_monitor.department
        ]
        assert trial_data["prizren"].case_number not in response.content.decode()

    def test_few_queries_whatever_the_data(self, supervisor, trial_data, django_assert_num_queries):
        url = reverse("dashboards:municipality_detail", args=[trial_data["prizren"].municipality.code])
        client = client_for(supervisor)
        client.get(url)
        with CaptureQueriesContext(connection) as few:
            client.get(url)
        # Trial monitoring's panel, and the department's other app's (human_rights): its statuses, each
        # record type's latest records here and a language-compliance trend, one query each.
        assert len(few.captured_queries) <= 20
        for n in range(30):
            FlagFactory(hearing=HearingFactory(case=trial_data["prizren"], date=datetime.date(2026, 1, 1 + n % 28)))
        summaries_refresh()
        with django_assert_num_queries(len(few.captured_queries)):
            response = client.get(url)
        assert len(response.context["panels"][0]["hearings"]) == 10


def test_the_municipality_chart_downloads_as_csv(supervisor, trial_data):
    url = reverse("dashboards:municipality_detail", args=[trial_data["prizren"].municipality.code])
    response = client_for(supervisor).get(url, {**PERIOD, "csv": "municipality-hearings-by-month"})
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv(response)
    assert rows[0][0] == "Month"
    assert [row[3] for row in rows[1:]] == ["1", "2", "0"]


def test_the_municipality_page_offers_no_region_filter(management, trial_data):
    municipality = trial_data["prizren"].municipality
    url = reverse("dashboards:municipality_detail", args=[municipality.code])
    response = client_for(management).get(url, {**PERIOD, "region": "MIT"})
    assert "region" not in response.context["form"].fields
    assert 'name="region"' not in response.content.decode()
    # The municipality's own figures, whatever region a shared dashboard link carried.
    assert [row[3] for row in response.context["panels"][0]["chart"].rows] == [1, 2, 0]
    assert "region=" not in response.context["filters"].querystring()
