import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mission.api.models import ApiToken
from mission.api.services import hash_key, token_issue, token_rotate
from mission.api.throttling import TokenRateThrottle
from rights.models import Court, Observation
from tests.api.conftest import bearer, staff_key
from tests.conftest import client_for
from tests.factories import CaseFactory, FlagFactory, HearingFactory, ObservationFactory, StandardRatingFactory

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
        with CaptureQueriesContext(connection) as one:
            assert len(client.get(f"/api/v1/{endpoint}/").json()["results"]) == 1
        for _ in range(49):
            make()
        with CaptureQueriesContext(connection) as fifty:
            assert len(client.get(f"/api/v1/{endpoint}/").json()["results"]) == 50
        assert len(fifty.captured_queries) == len(one.captured_queries)


class TestTokens:
    def test_only_the_hash_is_stored_and_the_key_works_once_issued(self, partner, administrator):
        token, key = token_issue(actor=administrator, user=partner, name="x", scopes=["reference"])
        stored = ApiToken.objects.get(pk=token.pk)
        assert key not in str(stored.__dict__)
        assert stored.key_hash == hash_key(key)
        assert bearer(key).get("/api/v1/regions/").status_code == 200

    def test_rotation_retires_the_old_key(self, partner, administrator):
        token, old = token_issue(actor=administrator, user=partner, name="x", scopes=["reference"])
        _token, new = token_rotate(actor=administrator, token=token)
        assert bearer(old).get("/api/v1/regions/").status_code == 401
        assert bearer(new).get("/api/v1/regions/").status_code == 200

    def test_partners_cannot_be_given_staff_datasets(self, partner, administrator):
        from django.core.exceptions import ValidationError

        with pytest.raises(ValidationError):
            token_issue(actor=administrator, user=partner, name="x", scopes=["trial_follow_up"])

    def test_the_admin_issues_a_token_and_shows_it_once(self, partner, administrator):
        client = client_for(administrator)
        response = client.post(
            reverse("admin:api_apitoken_add"),
            {
                "user": partner.pk,
                "name": "NGO",
                "scopes": ["reference", "trial_monitoring"],
                "expires_at_0": "",
                "expires_at_1": "",
            },
            follow=True,
        )
        shown = [str(m) for m in response.context["messages"]]
        key = next(m for m in shown if "mp_" in m).split("<code>")[1].split("</code>")[0]
        assert bearer(key).get("/api/v1/hearings/").status_code == 200
        assert key not in client.get(reverse("admin:api_apitoken_changelist")).content.decode()

    def test_tokens_are_throttled(self, partner_key, monkeypatch, geography):
        from django.core.cache import cache

        cache.clear()
        monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"token": "3/minute"})
        client = bearer(partner_key)
        statuses = [client.get("/api/v1/regions/").status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        assert "Retry-After" in client.get("/api/v1/regions/").headers
