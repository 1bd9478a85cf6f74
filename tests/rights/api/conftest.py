"""Trial monitoring's API records: the framework's tokens (tests/api/conftest.py) and an approved
observation with restricted free text, what partners may see."""

import pytest

from tests.api.conftest import expired_key, partner_key, revoked_key, unscoped_partner_key  # noqa: F401
from tests.api.conftest import staff_key as framework_staff_key
from tests.rights.contract import rights_published  # noqa: F401

SECRETS = ["Arben Testi", "Vesna Proba", "Secret evidence text", "Secret summary text", "P. nr. 1/2026"]
TRIAL_SCOPES = ("reference", "trial_monitoring", "trial_aggregates", "trial_follow_up")


@pytest.fixture
def published(rights_published):  # noqa: F811 (the fixture imported above)
    """An approved observation (with restricted free text) of the Prizren case: what partners may see."""
    return rights_published["observations"][0]


def staff_key(user, administrator, scopes=TRIAL_SCOPES):
    """A staff member's token for trial monitoring's datasets."""
    return framework_staff_key(user, administrator, scopes)
