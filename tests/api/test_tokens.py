"""API tokens for every department: stored as hashes, rotated, issued in the admin and shown once, kept
from partners for staff-only datasets (whichever department declares them), throttled; and requests
without a valid token throttled by address."""

import pytest
from django.urls import reverse

from mission.api.models import ApiToken
from mission.api.services import hash_key, token_issue, token_rotate
from mission.api.throttling import TokenRateThrottle
from tests.api.conftest import PARTNER_SCOPES, STAFF_ONLY_SCOPES, admin_token_add, bearer
from tests.conftest import client_for
from tests.departments import contracts

pytestmark = pytest.mark.django_db
DEPARTMENT_ROUTES = sorted({route for contract in contracts().values() for route in contract.API_ROUTES})
ROUTE = "/api/v1/regions/"  # any route: the throttle comes before the view


def test_some_department_declares_a_staff_only_dataset():
    assert STAFF_ONLY_SCOPES  # what the tests of partner tokens below refuse


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

    @pytest.mark.parametrize("dataset", STAFF_ONLY_SCOPES)
    def test_partners_cannot_be_given_staff_datasets(self, partner, administrator, dataset):
        from django.core.exceptions import ValidationError

        with pytest.raises(ValidationError):
            token_issue(actor=administrator, user=partner, name="x", scopes=[dataset])

    def test_the_admin_issues_a_token_and_shows_it_once(self, partner, administrator):
        client = client_for(administrator)
        response = client.post(
            reverse("admin:api_apitoken_add"),
            {
                "user": partner.pk,
                "name": "NGO",
                "scopes": PARTNER_SCOPES,
                "expires_at_0": "",
                "expires_at_1": "",
            },
            follow=True,
        )
        shown = [str(m) for m in response.context["messages"]]
        key = next(m for m in shown if "mp_" in m).split("<code>")[1].split("</code>")[0]
        assert bearer(key).get("/api/v1/regions/").status_code == 200
        for route in DEPARTMENT_ROUTES:  # every department's: read, or staff only by its dataset
            response = bearer(key).get(f"/api/v1/{route}/")
            assert response.status_code == 200 or "staff only" in response.json()["detail"], route
        assert key not in client.get(reverse("admin:api_apitoken_changelist")).content.decode()

    def test_an_issued_tokens_change_page_opens(self, partner, administrator):
        token, _key = token_issue(actor=administrator, user=partner, name="NGO", scopes=["reference"])
        response = client_for(administrator).get(reverse("admin:api_apitoken_change", args=[token.pk]))
        assert response.status_code == 200
        assert "reference" in response.content.decode()

    @pytest.mark.parametrize("dataset", STAFF_ONLY_SCOPES)
    def test_a_partner_token_with_a_staff_dataset_is_a_form_error(self, partner, administrator, dataset):
        response = admin_token_add(client_for(administrator), partner, ["reference", dataset])
        assert response.status_code == 200
        assert response.context["adminform"].form.errors["scopes"] == [
            f"Partners cannot be given the dataset {dataset}."
        ]
        assert not ApiToken.objects.exists()

    def test_a_token_for_an_account_that_may_not_use_the_api_is_a_form_error(self, administrator, geography):
        from tests.factories import UserFactory

        inactive = UserFactory(username="gone", is_active=False)
        client = client_for(administrator)
        for owner in (administrator, inactive):
            response = admin_token_add(client, owner, ["reference"])
            assert response.status_code == 200
            assert "user" in response.context["adminform"].form.errors, owner
        assert not ApiToken.objects.exists()

    def test_tokens_are_throttled(self, partner_key, monkeypatch, geography):
        from django.core.cache import cache

        cache.clear()
        monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"token": "3/minute"})
        client = bearer(partner_key)
        statuses = [client.get("/api/v1/regions/").status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        assert "Retry-After" in client.get("/api/v1/regions/").headers


class TestUnauthenticatedRequests:
    """Requests with a bad or missing token were never throttled, and each wrote a log row."""

    @pytest.fixture(autouse=True)
    def _three_a_minute(self, monkeypatch):
        from django.core.cache import cache

        from mission.api.throttling import UnauthenticatedRateThrottle

        cache.clear()
        monkeypatch.setattr(UnauthenticatedRateThrottle, "THROTTLE_RATES", {"unauthenticated": "3/minute"})

    @pytest.mark.parametrize("key", [None, "mp_00000000_nothing", "not-ours"])
    def test_they_are_throttled_by_address_and_only_the_allowed_ones_are_logged(self, key, partner_key):
        from mission.api.models import ApiRequestLog

        statuses = [bearer(key).get(ROUTE, REMOTE_ADDR="198.51.100.7").status_code for _ in range(6)]
        assert statuses == [401, 401, 401, 429, 429, 429]
        assert ApiRequestLog.objects.filter(status=401).count() == 3
        assert not ApiRequestLog.objects.filter(status=429).exists()
        # Another address is not held back, nor is a valid token from the same address.
        assert bearer(key).get(ROUTE, REMOTE_ADDR="198.51.100.8").status_code == 401
        assert bearer(partner_key).get(ROUTE, REMOTE_ADDR="198.51.100.7").status_code == 200

    def test_a_forged_forwarded_address_does_not_escape_without_a_trusted_proxy(self, geography):
        statuses = [
            bearer(None).get("/api/v1/", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code
            for n in range(4)
        ]
        assert statuses == [401, 401, 401, 429]

    def test_behind_a_trusted_proxy_the_clients_address_counts(self, geography, settings):
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
        proxy = "10.0.0.2"
        for _ in range(3):
            bearer(None).get("/api/v1/", REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.1")
        assert bearer(None).get("/api/v1/", REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.1").status_code == 429
        assert bearer(None).get("/api/v1/", REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.2").status_code == 401

    def test_the_proxy_count_comes_from_trusted_proxy_count(self, settings):
        assert settings.REST_FRAMEWORK["NUM_PROXIES"] == (settings.AXES_IPWARE_PROXY_COUNT or 0)
