"""Trial monitoring's aggregates for partners and staff (suppression, accused persons counted once),
its endpoints' query counts, and a staff token reading trial data with its owner's rights. Tokens as
such are tested for every department in tests/api/test_tokens.py."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mission.api.models import ApiToken
from rights.models import Court, Observation
from tests.api.conftest import admin_token_add, bearer
from tests.conftest import client_for
from tests.factories import CaseFactory, FlagFactory, HearingFactory, ObservationFactory, StandardRatingFactory
from tests.rights.api.conftest import staff_key

pytestmark = pytest.mark.django_db


def _approved_hearings(n: int, court_code: str, monitor, *, held=True):
    court = Court.objects.get(code=court_code)
    for _ in range(n):
        hearing = HearingFactory(
            case=CaseFactory(court=court, created_by=monitor),
            held=held,
            adjournment_reason="" if held else "absent_witness",
            recorded=True if held else None,
        )
        StandardRatingFactory(observation=ObservationFactory(hearing=hearing, monitor=monitor, status="approved"))


class TestSuppression:
    """Partners get perturbed counts (at most MAX_NOISE from the truth, see test_disclosure.py) and
    nothing below the threshold; the counts here are chosen so that the outcome is certain."""

    def test_a_count_that_can_only_be_small_is_suppressed_and_a_large_one_shown(self, partner_key, monitor, settings):
        settings.API_SMALL_CELL_THRESHOLD = 5
        _approved_hearings(2, "BC-PZ", monitor)  # Prizren: 2, at most 4 once perturbed
        _approved_hearings(9, "BC-PE", monitor)  # Pejë: 9, at least 7 once perturbed
        body = bearer(partner_key).get("/api/v1/aggregates/hearings/", {"group_by": "region"}).json()
        rows = {row["group"]: row for row in body["results"]}
        assert body["threshold"] == 5
        assert rows["PRZ"]["hearings"] is None
        assert rows["PRZ"]["suppressed"] is True
        assert rows["PRZ"]["recorded_rate"] is None
        assert 7 <= rows["PEJ"]["hearings"] <= 11
        assert 7 <= rows["PEJ"]["recorded"] <= 11
        assert 0 < rows["PEJ"]["recorded_rate"] <= 1.0
        assert rows["PEJ"]["adjourned"] is None  # 0 stays 0, below 5: it would say "nobody"

    def test_the_threshold_is_configurable(self, partner_key, monitor, settings):
        _approved_hearings(6, "BC-PZ", monitor)  # 4 to 8 once perturbed
        settings.API_SMALL_CELL_THRESHOLD = 3
        rows = bearer(partner_key).get("/api/v1/aggregates/hearings/", {"group_by": "all"}).json()["results"]
        assert 4 <= rows[0]["hearings"] <= 8
        settings.API_SMALL_CELL_THRESHOLD = 9
        rows = bearer(partner_key).get("/api/v1/aggregates/hearings/", {"group_by": "all"}).json()["results"]
        assert rows[0]["hearings"] is None

    def test_disaggregation_by_the_accused_suppresses_small_groups(self, partner_key, monitor, settings):
        settings.API_SMALL_CELL_THRESHOLD = 5
        from tests.factories import PartyFactory

        court = Court.objects.get(code="BC-PZ")
        for i in range(9):
            hearing = HearingFactory(case=CaseFactory(court=court, created_by=monitor))
            PartyFactory(case=hearing.case, sex="female" if i == 0 else "male")
            ObservationFactory(hearing=hearing, monitor=monitor, status="approved")
        body = (
            bearer(partner_key)
            .get("/api/v1/aggregates/hearings/", {"group_by": "region", "disaggregate": "accused_sex"})
            .json()
        )
        rows = {row["subgroup"]: row for row in body["results"]}
        assert 6 <= rows["male"]["hearings"] <= 10
        assert rows["female"]["hearings"] is None

    def test_standard_rates_count_approved_observations_only(self, partner_key, supervisor, administrator, monitor):
        _approved_hearings(2, "BC-PZ", monitor)
        StandardRatingFactory(
            observation=ObservationFactory(
                hearing=HearingFactory(case=CaseFactory(created_by=monitor)), monitor=monitor, status="draft"
            )
        )
        staff = bearer(staff_key(supervisor, administrator))
        rows = staff.get("/api/v1/aggregates/standards/", {"group_by": "all"}).json()["results"]
        assert [(r["standard"], r["rated"]) for r in rows] == [("PUBLIC_HEARING", 2)]
        assert Observation.objects.count() == 3
        partner_rows = bearer(partner_key).get("/api/v1/aggregates/standards/", {"group_by": "all"}).json()["results"]
        assert [r["standard"] for r in partner_rows] == ["PUBLIC_HEARING"]

    def test_standards_are_not_split_and_say_so(self, partner_key):
        response = bearer(partner_key).get("/api/v1/aggregates/standards/", {"disaggregate": "accused_sex"})
        assert response.status_code == 400
        assert "disaggregate" in response.json()["errors"]


class TestAccusedPersons:
    def test_each_accused_counts_once_however_many_hearings(
        self, partner_key, supervisor, administrator, monitor, settings
    ):
        settings.API_SMALL_CELL_THRESHOLD = 6
        from tests.factories import PartyFactory

        court = Court.objects.get(code="BC-PZ")
        for i in range(3):  # three cases of two hearings each in March 2025; two accused in the first
            case = CaseFactory(court=court, created_by=monitor)
            PartyFactory(case=case, sex="female", age_band="14_17")
            if i == 0:
                PartyFactory(case=case, sex="male", age_band="26_40")
            for day in (3, 17):
                hearing = HearingFactory(case=case, date=f"2025-03-{day:02d}")
                ObservationFactory(hearing=hearing, monitor=monitor, status="approved")
        staff = bearer(staff_key(supervisor, administrator))
        url = "/api/v1/aggregates/accused/"
        rows = staff.get(url, {"group_by": "all", "disaggregate": "accused_sex"}).json()["results"]
        assert {r["subgroup"]: r["persons"] for r in rows} == {"female": 3, "male": 1}
        rows = staff.get(url, {"group_by": "month", "disaggregate": "accused_juvenile"}).json()["results"]
        assert [(r["group"], r["subgroup"], r["persons"]) for r in rows] == [
            ("2025-03", "adult", 1),
            ("2025-03", "juvenile", 3),
        ]
        body = staff.get(url, {"group_by": "all", "date_from": "2025-03-10"}).json()
        assert body["results"][0]["persons"] == 4
        assert body["disclosure_control"] == "none"
        partner = bearer(partner_key).get(url, {"group_by": "all", "disaggregate": "accused_sex"}).json()
        assert partner["disclosure_control"] == "cell_key"
        assert all(r["persons"] is None for r in partner["results"])  # 3 and 1: at most 5 and 3, below 6…
        assert partner["results"]  # …but suppressed, not hidden


class TestQueryCounts:
    @pytest.mark.parametrize("endpoint", ["cases", "hearings", "observations", "flags", "interventions"])
    def test_the_same_at_1_and_50_rows(self, endpoint, supervisor, monitor, administrator):
        from tests.factories import InterventionFactory

        def make():
            hearing = HearingFactory(case=CaseFactory(created_by=monitor))
            observation = ObservationFactory(hearing=hearing, monitor=monitor, status="approved")
            StandardRatingFactory(observation=observation)
            InterventionFactory(flag=FlagFactory(hearing=hearing))

        client = bearer(staff_key(supervisor, administrator))
        make()
        client.get("/api/v1/regions/")  # the token's first use also records its last-use time
        # The process's first page also reads the reference tables whose codes the rows show
        # (mission.choices.reference_values), once per version of the reference data.
        client.get(f"/api/v1/{endpoint}/")
        with CaptureQueriesContext(connection) as one:
            assert len(client.get(f"/api/v1/{endpoint}/").json()["results"]) == 1
        for _ in range(49):
            make()
        with CaptureQueriesContext(connection) as fifty:
            assert len(client.get(f"/api/v1/{endpoint}/").json()["results"]) == 50
        assert len(fifty.captured_queries) == len(one.captured_queries)


class TestKeptAnswers:
    """A partner's answer is kept until the summaries' version moves (mission/api/aggregates.py); staff
    answers, which depend on the reader's scope, are counted every time."""

    @staticmethod
    def _counting(captured) -> list[str]:
        return [q["sql"] for q in captured.captured_queries if "GROUP BY" in q["sql"]]

    def test_a_partner_answer_is_kept_until_a_change_is_applied(
        self, partner_key, monitor, supervisor, observation, standards, settings
    ):
        from rights.services.observations import observation_approve, observation_submit
        from tests.rights.conftest import all_complied

        settings.API_SMALL_CELL_THRESHOLD = 1
        _approved_hearings(9, "BC-PE", monitor)
        client, query = bearer(partner_key), {"group_by": "region"}
        first = client.get("/api/v1/aggregates/hearings/", query).json()
        assert [row["group"] for row in first["results"]] == ["PEJ"]
        with CaptureQueriesContext(connection) as again:
            assert client.get("/api/v1/aggregates/hearings/", query).json() == first
        assert self._counting(again) == []
        # Another question is counted, not answered from the first one's cache.
        with CaptureQueriesContext(connection) as other:
            client.get("/api/v1/aggregates/hearings/", {"group_by": "court"})
        assert self._counting(other)
        # Approving the Prizren observation through the services marks a change; applying it moves the
        # version (in-process here, by Celery beat on a server) and the next answer is counted anew.
        observation_submit(
            actor=monitor, observation=observation, expected_version=1, summary="Held.", ratings=all_complied(standards)
        )
        observation_approve(actor=supervisor, observation=observation, expected_version=observation.version)
        after = client.get("/api/v1/aggregates/hearings/", query).json()
        assert [row["group"] for row in after["results"]] == ["PEJ", "PRZ"]

    def test_a_changed_threshold_is_not_answered_from_the_cache(self, partner_key, monitor, settings):
        _approved_hearings(6, "BC-PZ", monitor)
        client = bearer(partner_key)
        settings.API_SMALL_CELL_THRESHOLD = 3
        assert client.get("/api/v1/aggregates/hearings/", {"group_by": "all"}).json()["results"][0]["hearings"]
        settings.API_SMALL_CELL_THRESHOLD = 20
        assert client.get("/api/v1/aggregates/hearings/", {"group_by": "all"}).json()["results"][0]["hearings"] is None

    def test_an_error_is_never_kept(self, partner_key):
        client = bearer(partner_key)
        for _ in range(2):
            assert client.get("/api/v1/aggregates/hearings/", {"group_by": "nonsense"}).status_code == 400

    def test_staff_answers_are_counted_every_time(self, supervisor, administrator, monitor):
        _approved_hearings(3, "BC-PZ", monitor)
        client = bearer(staff_key(supervisor, administrator))
        client.get("/api/v1/aggregates/hearings/", {"group_by": "region"})
        with CaptureQueriesContext(connection) as again:
            client.get("/api/v1/aggregates/hearings/", {"group_by": "region"})
        assert self._counting(again)


class TestStaffTokens:
    def test_the_admin_issues_a_staff_token_that_acts_with_that_users_rights(
        self, monitor, other_region_monitor, administrator, published
    ):
        client = client_for(administrator)
        add_page = client.get(reverse("admin:api_apitoken_add")).content.decode()
        assert "monitor (Field monitor" in add_page  # whom the token acts as, with their role
        keys = {}
        for owner in (monitor, other_region_monitor):
            shown = [str(m) for m in admin_token_add(client, owner, ["trial_monitoring"]).context["messages"]]
            keys[owner] = next(m for m in shown if "mp_" in m).split("<code>")[1].split("</code>")[0]
        mine = bearer(keys[monitor]).get("/api/v1/observations/").json()["results"]
        assert [row["summary"] for row in mine] == ["Secret summary text"]  # restricted fields: staff
        assert bearer(keys[other_region_monitor]).get("/api/v1/observations/").json()["results"] == []
        assert bearer(keys[monitor]).get("/api/v1/regions/").status_code == 403  # the token's datasets only
        assert set(ApiToken.objects.values_list("created_by__username", flat=True)) == {"administrator"}
