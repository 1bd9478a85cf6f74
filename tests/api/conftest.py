import datetime

import pytest
from django.test import Client
from django.utils import timezone

from mission.api.services import token_issue, token_revoke
from rights.services.observations import observation_approve, observation_submit
from tests.rights.conftest import all_complied, case, hearing, observation, prizren_court, standards  # noqa: F401

PARTNER_SCOPES = ["reference", "trial_monitoring", "trial_aggregates"]
SECRETS = ["Arben Testi", "Vesna Proba", "Secret evidence text", "Secret summary text", "P. nr. 1/2026"]


def bearer(key: str | None) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}") if key else Client()


@pytest.fixture
def partner_key(partner, administrator):
    _token, key = token_issue(actor=administrator, user=partner, name="NGO system", scopes=PARTNER_SCOPES)
    return key


@pytest.fixture
def unscoped_partner_key(partner, administrator):
    _token, key = token_issue(actor=administrator, user=partner, name="Reference only", scopes=["reference"])
    return key


@pytest.fixture
def revoked_key(partner, administrator):
    token, key = token_issue(actor=administrator, user=partner, name="Old", scopes=PARTNER_SCOPES)
    token_revoke(actor=administrator, token=token)
    return key


@pytest.fixture
def expired_key(partner, administrator):
    _token, key = token_issue(
        actor=administrator,
        user=partner,
        name="Expired",
        scopes=PARTNER_SCOPES,
        expires_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    return key


def staff_key(user, administrator, scopes=("reference", "trial_monitoring", "trial_aggregates", "trial_follow_up")):
    _token, key = token_issue(actor=administrator, user=user, name=f"{user.username} script", scopes=list(scopes))
    return key


@pytest.fixture
def published(monitor, supervisor, observation, standards):  # noqa: F811 (fixtures imported above)
    """An approved observation (with restricted free text) of the Prizren case: what partners may see."""
    observation_submit(
        actor=monitor,
        observation=observation,
        expected_version=1,
        summary="Secret summary text",
        ratings=all_complied(standards, PUBLIC_HEARING=("violation", "Secret evidence text")),
    )
    observation_approve(actor=supervisor, observation=observation, expected_version=observation.version)
    return observation
