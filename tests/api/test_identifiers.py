"""Per-partner pseudonymous identifiers, for every department's records: each partner sees its own
stable identifiers, never the database ids (whose gaps count the unpublished records); staff keep the
real ids. The records are each contract's `<label>_published` (tests/departments.py); trial
monitoring's cross-references and filters by identifier are in tests/rights/api/test_identifiers.py."""

import pytest

from mission.api.services import token_issue, token_rotate
from tests.api.conftest import PARTNER_SCOPES, bearer, staff_key
from tests.departments import contract_fixtures, contracts
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

globals().update(contract_fixtures())
CONTRACTS = contracts()


@pytest.fixture(params=sorted(CONTRACTS))
def label(request):
    return request.param


@pytest.fixture
def published(request, label):
    """route → the records partners read there, of one department."""
    return request.getfixturevalue(f"{label}_published")


def _rows(client, route: str, **query) -> list[dict]:
    return client.get(f"/api/v1/{route}/", query).json()["results"]


def test_a_partner_sees_identifiers_of_its_own_not_database_ids(partner_key, administrator, published):
    other = UserFactory(partner=True, username="other.partner")
    _token, other_key = token_issue(actor=administrator, user=other, name="Other NGO", scopes=PARTNER_SCOPES)
    mine, theirs = bearer(partner_key), bearer(other_key)
    database_ids = {str(o.pk) for records in published.values() for o in records}
    for route, records in published.items():
        my_rows, their_rows = _rows(mine, route), _rows(theirs, route)
        assert len(my_rows) == len(their_rows) == len(records), route
        for row in my_rows:
            assert isinstance(row["id"], str)
            assert row["id"] not in database_ids
        assert {r["id"] for r in my_rows}.isdisjoint({r["id"] for r in their_rows})


def test_identifiers_survive_token_rotation(partner, administrator, published):
    token, key = token_issue(actor=administrator, user=partner, name="NGO", scopes=PARTNER_SCOPES)
    before = {route: [r["id"] for r in _rows(bearer(key), route)] for route in published}
    _token, new_key = token_rotate(actor=administrator, token=token)
    assert {route: [r["id"] for r in _rows(bearer(new_key), route)] for route in published} == before


def test_staff_keep_the_database_ids(request, label, administrator, published):
    supervisor = request.getfixturevalue(f"{label}_actors")["supervisor"]
    staff = bearer(staff_key(supervisor, administrator))
    for route, records in published.items():
        assert {o.pk for o in records} <= {r["id"] for r in _rows(staff, route)}, route


def test_identifiers_keep_their_published_form_and_round_trip(settings):
    """Partners store these identifiers: a faster encoder must give exactly the identifiers they hold
    (RFC 4648 base32 of the tag and the encrypted id, lowercase, unpadded), and decode them back."""
    import base64

    from mission.api.identifiers import PartnerIdentifiers, _prf

    settings.API_IDENTIFIER_KEY = "a fixed key for this test"
    ids = PartnerIdentifiers(7)
    tag_of, pad_of = ids._functions("rights.hearing")
    for pk in (1, 2, 41, 2**31 - 1, 2**40 + 3, 2**63 - 1):
        plain = pk.to_bytes(8, "big")
        tag = _prf(tag_of, plain)
        pad = _prf(pad_of, tag)
        encrypted = bytes(a ^ b for a, b in zip(plain, pad, strict=True))
        expected = base64.b32encode(tag + encrypted).decode().rstrip("=").lower()
        assert ids.encode("rights.hearing", pk) == expected
        assert ids.decode("rights.hearing", expected) == pk
    assert ids.encode("rights.hearing", 1) == "4ezbfjqgfagdlls5f7xyjnfnv4"  # pinned: what partners hold
    assert ids.encode_all("rights.hearing", [1, None, 1, 2]) == {
        1: ids.encode("rights.hearing", 1),
        2: ids.encode("rights.hearing", 2),
    }
