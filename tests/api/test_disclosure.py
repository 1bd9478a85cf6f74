"""Disclosure control of the partner aggregates, as every department's aggregates use it: coherent
rates, an unbiased and bounded perturbation, the same figures for the same query. The differencing attack
of issue 11 is replayed on trial monitoring's aggregates in tests/rights/api/test_disclosure.py."""

import pytest

from mission.api import disclosure
from tests.api.conftest import bearer
from tests.departments import contract_fixtures, contracts

pytestmark = pytest.mark.django_db

globals().update(contract_fixtures())
CONTRACTS = contracts()
AGGREGATES = sorted(
    (label, route) for label, c in CONTRACTS.items() for route in c.API_ROUTES if route.startswith("aggregates/")
)


def test_every_rate_stays_between_0_and_100_percent():
    for part in range(0, 12):
        for whole in range(1, 12):
            assert 0 <= disclosure.coherent_rate(part, whole) <= 1
    assert disclosure.coherent_rate(None, 8) is None
    assert disclosure.coherent_rate(3, None) is None


def test_the_perturbation_is_unbiased_bounded_and_keeps_zero():
    for value in range(0, 12):
        keys = [i / 1000 for i in range(1000)]
        noises = [disclosure.noise(value, key) for key in keys]
        assert all(abs(n) <= disclosure.MAX_NOISE and value + n >= 0 for n in noises)
        assert abs(sum(noises) / len(noises)) < 0.01
    assert {disclosure.noise(0, k / 100) for k in range(100)} == {0}
    # Every published value could have come from more than one true value: none is certain.
    assert all(len(disclosure.possible_values(p)) > 1 for p in range(1, 50))


def test_every_department_has_aggregates():
    assert {label for label, _route in AGGREGATES} == set(CONTRACTS)


@pytest.mark.parametrize(("label", "route"), AGGREGATES)
def test_partners_get_the_same_figures_for_the_same_query_under_cell_key_control(request, label, route, partner_key):
    request.getfixturevalue(f"{label}_published")
    client = bearer(partner_key)
    first = client.get(f"/api/v1/{route}/", {"group_by": "region"})
    if first.status_code == 403:  # a staff-only dataset (cases of gender-based violence): never a partner's
        assert "staff only" in first.json()["detail"]
        return
    assert first.status_code == 200
    assert first.json()["disclosure_control"] == "cell_key"
    assert first.json()["max_perturbation"] == disclosure.MAX_NOISE
    assert client.get(f"/api/v1/{route}/", {"group_by": "region"}).json() == first.json()
