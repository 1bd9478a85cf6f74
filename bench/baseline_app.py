"""The baseline for the API list benchmark: a minimal WSGI app, raw psycopg2 and orjson, serving the
same rows as `GET /api/v1/hearings/` does for a partner (published hearings, same columns, same cursor
on the primary key). No framework, no authentication, no logging: the floor the portal is compared to."""

import base64
import os
from urllib.parse import parse_qs

import orjson
import psycopg2
import psycopg2.extras

DSN = os.environ["BENCH_DSN"]
_connection = None

SQL = """
SELECT h.id, h.case_id AS "case", court.code AS court, m.code AS municipality, r.code AS region,
       c.court_department, c.category, h.date, h.hearing_type, h.session_number, h.held, h.adjournment_reason,
       h.recorded, h.public, h.accused_represented, h.interpretation_needed,
       h.interpretation_provided, h.next_hearing_date, h.updated_at
FROM rights_hearing h
JOIN rights_case c ON c.id = h.case_id
JOIN rights_court court ON court.id = c.court_id
JOIN field_offices_municipality m ON m.id = c.municipality_id
JOIN field_offices_region r ON r.id = m.region_id
WHERE h.published AND h.id > %s
ORDER BY h.id
LIMIT %s
"""


def _cursor():
    global _connection
    if _connection is None or _connection.closed:
        _connection = psycopg2.connect(DSN)
        _connection.autocommit = True
    return _connection.cursor(cursor_factory=psycopg2.extras.RealDictCursor)


def application(environ, start_response):
    query = parse_qs(environ.get("QUERY_STRING", ""))
    size = int(query.get("page_size", ["100"])[0])
    after = 0
    if "cursor" in query:
        text = base64.urlsafe_b64decode(query["cursor"][0] + "=" * (-len(query["cursor"][0]) % 4)).decode()
        after = int(text.split(":", 1)[1])
    with _cursor() as cursor:
        cursor.execute(SQL, [after, size + 1])
        rows = cursor.fetchall()
    next_url = None
    if len(rows) > size:
        rows = rows[:size]
        token = base64.urlsafe_b64encode(f"id:{rows[-1]['id']}".encode()).decode().rstrip("=")
        next_url = f"http://{environ.get('HTTP_HOST', '127.0.0.1')}{environ['PATH_INFO']}?cursor={token}"
    body = orjson.dumps({"next": next_url, "results": rows}, default=str)
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
