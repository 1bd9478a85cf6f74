"""The baseline for the API list benchmarks: a lean WSGI app that returns exactly the bytes the portal
returns to a partner for `GET /api/v1/hearings/` and `GET /api/v1/journalist-safety/` (published hearings,
approved incidents, the same keys in the same order,
the partner's own identifiers for the hearing and the case, the same cursor and `next` link), from a
plain psycopg2 cursor (tuples) and orjson. No framework, no authentication, no logging: the floor the
portal is compared to. `bench_api_list` checks that both answer the same bytes before it measures.

The partner's identifiers are `mission.api.identifiers`' arithmetic, restated here so that this app
needs no Django settings (a test checks that both give the same identifiers)."""

import base64
import binascii
import hashlib
import hmac
import os
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qsl, urlencode

import orjson
import psycopg2

SQL = """
SELECT h.id, h.case_id, court.code, m.code, r.code, c.court_department, c.category, h.date, h.hearing_type,
       h.session_number, h.held, h.adjournment_reason, h.recorded, h.public, h.accused_represented,
       h.interpretation_needed, h.interpretation_provided, h.next_hearing_date, h.updated_at
FROM rights_hearing h
JOIN rights_case c ON c.id = h.case_id
JOIN rights_court court ON court.id = c.court_id
JOIN field_offices_municipality m ON m.id = c.municipality_id
JOIN field_offices_region r ON r.id = m.region_id
WHERE h.published AND h.id > %s
ORDER BY h.id
LIMIT %s
"""
# The names of the SQL's columns, in the portal's order (rights.api.views.HearingList.fields without
# the fields partners may not read).
KEYS = (
    "id",
    "case",
    "court",
    "municipality",
    "region",
    "court_department",
    "category",
    "date",
    "hearing_type",
    "session_number",
    "held",
    "adjournment_reason",
    "recorded",
    "public",
    "accused_represented",
    "interpretation_needed",
    "interpretation_provided",
    "next_hearing_date",
    "updated_at",
)
DEFAULT_PAGE_SIZE = 100

# Democratization's journalists' safety incidents (`mission.records.api` for its RecordType): the
# approved ones, their coded fields in the portal's order, the partner's own identifier of each.
INCIDENT_SQL = """
SELECT i.id, r.code, m.code, i.status, i.date, i.kind, i.perpetrator_type, i.reported_to_police, i.created_at,
       i.updated_at
FROM democratization_journalistincident i
JOIN field_offices_municipality m ON m.id = i.municipality_id
JOIN field_offices_region r ON r.id = m.region_id
WHERE i.status = 'approved' AND i.id > %s
ORDER BY i.id
LIMIT %s
"""
INCIDENT_KEYS = (
    "id",
    "region",
    "municipality",
    "status",
    "date",
    "kind",
    "perpetrator_type",
    "reported_to_police",
    "created_at",
    "updated_at",
)
# Security & Public Safety's hate-crime incidents: the same, with the bias motivation's code.
HATE_CRIME_SQL = """
SELECT i.id, r.code, m.code, i.status, i.date, i.kind, b.code, i.reported_to_police, i.created_at, i.updated_at
FROM public_safety_hatecrimeincident i
JOIN field_offices_municipality m ON m.id = i.municipality_id
JOIN field_offices_region r ON r.id = m.region_id
JOIN public_safety_biasmotivation b ON b.id = i.bias_motivation_id
WHERE i.status = 'approved' AND i.id > %s
ORDER BY i.id
LIMIT %s
"""
HATE_CRIME_KEYS = (
    "id",
    "region",
    "municipality",
    "status",
    "date",
    "kind",
    "bias_motivation",
    "reported_to_police",
    "created_at",
    "updated_at",
)
# Human Rights' community-rights incidents: the same, with the community's code.
COMMUNITY_INCIDENT_SQL = """
SELECT i.id, r.code, m.code, i.status, i.date, i.kind, c.code, i.reported_to_police, i.created_at, i.updated_at
FROM human_rights_communityincident i
JOIN field_offices_municipality m ON m.id = i.municipality_id
JOIN field_offices_region r ON r.id = m.region_id
JOIN field_offices_community c ON c.id = i.community_id
WHERE i.status = 'approved' AND i.id > %s
ORDER BY i.id
LIMIT %s
"""
COMMUNITY_INCIDENT_KEYS = (
    "id",
    "region",
    "municipality",
    "status",
    "date",
    "kind",
    "community",
    "reported_to_police",
    "created_at",
    "updated_at",
)
# path → the SQL, its keys, and the kind of record each identifier column holds (column → kind): the
# first column is the list's own, the one its cursor names.
ROUTES = {
    "/api/v1/hearings/": (SQL, KEYS, {0: "rights.hearing", 1: "rights.case"}),
    "/api/v1/journalist-safety/": (INCIDENT_SQL, INCIDENT_KEYS, {0: "democratization.journalistincident"}),
    "/api/v1/hate-crimes/": (HATE_CRIME_SQL, HATE_CRIME_KEYS, {0: "public_safety.hatecrimeincident"}),
    "/api/v1/community-incidents/": (
        COMMUNITY_INCIDENT_SQL,
        COMMUNITY_INCIDENT_KEYS,
        {0: "human_rights.communityincident"},
    ),
}

_HALF = 8
_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"
_PAIRS = [a + b for a in _ALPHABET for b in _ALPHABET]


class Identifiers:
    """One partner's identifiers of one kind of record: `mission.api.identifiers.PartnerIdentifiers`
    restated (a 64-bit keyed BLAKE2b tag of the id, then the id encrypted with a pad derived from the
    tag; 26 lowercase base32 letters)."""

    def __init__(self, secret: str, owner_id: int, kind: str) -> None:
        key = hmac.new(
            secret.encode(), b"partner-ids\0" + str(owner_id).encode() + b"\0" + kind.encode(), "sha256"
        ).digest()
        self._tag = hashlib.blake2b(key=key, person=b"tag", digest_size=_HALF)
        self._pad = hashlib.blake2b(key=key, person=b"enc", digest_size=_HALF)

    def _prf(self, function: Any, data: bytes) -> bytes:
        step = function.copy()
        step.update(data)
        return step.digest()

    def encode(self, pk: int) -> str:
        tag = self._prf(self._tag, pk.to_bytes(_HALF, "big"))
        pad = int.from_bytes(self._prf(self._pad, tag), "big")
        n, p = (int.from_bytes(tag, "big") << 64 | (pk ^ pad)) << 2, _PAIRS
        return (
            p[n >> 120] + p[(n >> 110) & 1023] + p[(n >> 100) & 1023] + p[(n >> 90) & 1023] + p[(n >> 80) & 1023]
            + p[(n >> 70) & 1023] + p[(n >> 60) & 1023] + p[(n >> 50) & 1023] + p[(n >> 40) & 1023]
            + p[(n >> 30) & 1023] + p[(n >> 20) & 1023] + p[(n >> 10) & 1023] + p[n & 1023]
        )  # fmt: skip

    def encode_all(self, pks: Iterable[int]) -> dict[int, str]:
        return {pk: self.encode(pk) for pk in set(pks)}

    def decode(self, text: str) -> int | None:
        try:
            block = base64.b32decode(text.upper() + "======")
        except (binascii.Error, ValueError):
            return None
        if len(block) != 2 * _HALF:
            return None
        tag = block[:_HALF]
        pad = int.from_bytes(self._prf(self._pad, tag), "big")
        plain = (int.from_bytes(block[_HALF:], "big") ^ pad).to_bytes(_HALF, "big")
        if not hmac.compare_digest(self._prf(self._tag, plain), tag):
            return None
        return int.from_bytes(plain, "big")


_state: dict[str, Any] = {}


def _setup(kinds: Iterable[str]) -> tuple[Any, dict[str, Identifiers]]:
    """The connection and the identifiers, once per worker (as the portal keeps its own)."""
    connection = _state.get("connection")
    if connection is None or connection.closed:
        # The portal's connection reads timestamps in UTC; so must this one, for the same bytes.
        connection = psycopg2.connect(os.environ["BENCH_DSN"], options="-c timezone=UTC")
        connection.autocommit = True
        _state["connection"] = connection
    secret, owner = os.environ["BENCH_IDENTIFIER_KEY"], int(os.environ["BENCH_PARTNER_ID"])
    for kind in kinds:
        if kind not in _state:
            _state[kind] = Identifiers(secret, owner, kind)
    return connection, {kind: _state[kind] for kind in kinds}


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
    route = ROUTES.get(environ["PATH_INFO"])
    if route is None:
        start_response("404 Not Found", [("Content-Type", "application/json")])
        return [b'{"detail":"not found"}']
    sql, keys, kinds = route
    connection, identifiers = _setup(kinds.values())
    own = identifiers[kinds[0]]
    query = parse_qsl(environ.get("QUERY_STRING", ""))
    given = dict(query)
    size = int(given.get("page_size", DEFAULT_PAGE_SIZE))
    after: int | None = 0
    if given.get("cursor"):
        after = own.decode(given["cursor"])
        if after is None:
            start_response("400 Bad Request", [("Content-Type", "application/json")])
            return [b'{"detail":"bad cursor"}']
    with connection.cursor() as cursor:
        cursor.execute(sql, [after, size + 1])
        rows = cursor.fetchall()
    next_url = None
    if len(rows) > size:
        rows = rows[:size]
        # As Django's QueryDict: the query as given, the cursor replaced in its place or added last.
        new = own.encode(rows[-1][0])
        pairs = [(k, new if k == "cursor" else v) for k, v in query]
        if "cursor" not in given:
            pairs.append(("cursor", new))
        next_url = (
            f"{environ['wsgi.url_scheme']}://{environ.get('HTTP_HOST', '127.0.0.1')}{environ['PATH_INFO']}"
            f"?{urlencode(pairs)}"
        )
    encoded = {column: identifiers[kind].encode_all(row[column] for row in rows) for column, kind in kinds.items()}
    results = [
        dict(zip(keys, [encoded[i][value] if i in encoded else value for i, value in enumerate(row)], strict=True))
        for row in rows
    ]
    body = orjson.dumps({"next": next_url, "results": results})
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
