"""The ratio benchmarks. Each one runs the portal's real code path and a baseline on the same data in
the same run, alternating A/B, and reports the median and spread of the ratio."""

import contextlib
import datetime
import json
import math
import os
import platform
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from http.client import HTTPConnection
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
RESULTS = BENCH_DIR / "results"
PASSWORD = "bench-password-123"

# The goals from the benchmarks issue; a missed goal is reported, never tuned away.
GOALS = {
    "csv_export": ("ratio", "<=", 4.0),
    "page_throughput": ("ratio", ">=", 0.4),
    "api_list": ("ratio", "<=", 2.0),
}


def _summary(ratios: list[float], a: list[float], b: list[float]) -> dict:
    return {
        "ratio": round(statistics.median(ratios), 3),
        "ratio_min": round(min(ratios), 3),
        "ratio_max": round(max(ratios), 3),
        "portal_median_s": round(statistics.median(a), 4),
        "baseline_median_s": round(statistics.median(b), 4),
        "runs": len(ratios),
    }


def _client(username: str):
    from django.test import Client

    from mission.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


# --- CSV export vs COPY -----------------------------------------------------------------------------
EXPORT_SQL = """
COPY (
  SELECT h.date, c.case_number, court.name_en, region.name_en,
         COALESCE(NULLIF(TRIM(u.first_name || ' ' || u.last_name), ''), u.username),
         o.status, o.revision,
         (SELECT COUNT(*) FROM rights_standardrating r WHERE r.observation_id = o.id AND r.rating = 'violation'),
         o.summary
  FROM rights_observation o
  JOIN rights_hearing h ON h.id = o.hearing_id
  JOIN rights_case c ON c.id = h.case_id
  JOIN rights_court court ON court.id = c.court_id
  JOIN field_offices_municipality m ON m.id = c.municipality_id
  JOIN field_offices_region region ON region.id = m.region_id
  JOIN accounts_user u ON u.id = o.monitor_id
  ORDER BY h.date DESC, o.id DESC
) TO STDOUT WITH CSV HEADER
"""


class _Sink:
    def __init__(self) -> None:
        self.bytes = 0

    def write(self, data) -> int:
        self.bytes += len(data)
        return len(data)


def bench_csv_export(repeats: int) -> dict:
    """The observations CSV export (every row the department head sees) vs COPY of the same rows."""
    from django.db import connection
    from django.urls import reverse

    client = _client("bench.head")
    url = reverse("rights:observation_export")
    portal, baseline, ratios, rows = [], [], [], 0
    for _ in range(repeats):
        start = time.perf_counter()
        response = client.get(url)
        size = 0
        rows = 0
        for chunk in response.streaming_content:
            size += len(chunk)
            rows += chunk.count(b"\n")
        a = time.perf_counter() - start
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(EXPORT_SQL, _Sink())
        b = time.perf_counter() - start
        portal.append(a)
        baseline.append(b)
        ratios.append(a / b)
    result = _summary(ratios, portal, baseline)
    result["rows"] = rows - 1
    result["portal_rows_per_s"] = round(result["rows"] / result["portal_median_s"])
    return result


# --- Authenticated page throughput: gunicorn, 2 workers --------------------------------------------
def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _request(port: int, path: str, cookie: str = "", method: str = "GET", body: str = "", headers=None):
    connection = HTTPConnection("127.0.0.1", port, timeout=120)
    all_headers = {"Cookie": cookie, "Host": "127.0.0.1"} | (headers or {})
    connection.request(method, path, body=body, headers=all_headers)
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response, data


def _sign_in(port: int, username: str) -> str:
    response, _ = _request(port, "/accounts/login/")
    csrf = next(c.split(";")[0] for c in response.headers.get_all("Set-Cookie") if c.startswith("csrftoken="))
    token = csrf.split("=", 1)[1]
    body = urllib.parse.urlencode({"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token})
    response, _ = _request(
        port,
        "/accounts/login/",
        cookie=csrf,
        method="POST",
        body=body,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Referer": f"http://127.0.0.1:{port}/"},
    )
    session = next(c.split(";")[0] for c in response.headers.get_all("Set-Cookie") if c.startswith("sessionid="))
    return f"{csrf}; {session}"


def _throughput(port: int, path: str, cookie: str, seconds: float, clients: int = 4) -> float:
    done = [0]
    failures = [0]
    stop = time.perf_counter() + seconds
    lock = threading.Lock()

    def worker():
        while time.perf_counter() < stop:
            response, _ = _request(port, path, cookie)
            with lock:
                if response.status == 200:
                    done[0] += 1
                else:
                    failures[0] += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures[0]:
        raise RuntimeError(f"{failures[0]} requests to {path} failed")
    return done[0] / (time.perf_counter() - started)


@contextlib.contextmanager
def gunicorn(app: str, *, env: dict | None = None, ready_path: str = "/healthz/"):
    """A gunicorn with 2 sync workers on a free port, for the length of the block; yields the port."""
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            app,
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=BENCH_DIR.parent,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", **(env or {})},
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                _request(port, ready_path)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError(f"gunicorn {app} did not start") from None
                time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=20)


def bench_page_throughput(repeats: int, seconds: float) -> dict:
    """Requests per second of the hearings list (page 1) vs a bare view behind the same middleware."""
    with gunicorn("mission.wsgi") as port:
        cookie = _sign_in(port, "bench.head")
        _throughput(port, "/trial-monitoring/hearings/", cookie, 1)  # warm both workers
        portal, baseline, ratios = [], [], []
        for _ in range(repeats):
            a = _throughput(port, "/trial-monitoring/hearings/", cookie, seconds)
            b = _throughput(port, "/bench/bare/", cookie, seconds)
            portal.append(a)
            baseline.append(b)
            ratios.append(a / b)
    return {
        "ratio": round(statistics.median(ratios), 3),
        "ratio_min": round(min(ratios), 3),
        "ratio_max": round(max(ratios), 3),
        "portal_rps": round(statistics.median(portal), 1),
        "baseline_rps": round(statistics.median(baseline), 1),
        "runs": repeats,
    }


# --- API list vs raw psycopg + orjson ---------------------------------------------------------------
def _latency(port: int, path: str, headers: dict, n: int) -> float:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        response, body = _request(port, path, headers=headers)
        times.append(time.perf_counter() - start)
        if response.status != 200:
            raise RuntimeError(f"{path}: {response.status} {body[:200]!r}")
    return statistics.median(times)


def bench_api_list(repeats: int, requests_per_round: int) -> dict:
    """`GET /api/v1/hearings/?page_size=100` as a partner (first page and a page 90 % deep, by cursor)
    vs the raw WSGI baseline serving the same rows; both under gunicorn with 2 workers."""
    from django.db import connection
    from django.db.models import Max

    from mission.accounts.models import User
    from mission.api.identifiers import for_owner
    from mission.api.pagination import _encode
    from mission.api.services import token_issue
    from rights.models import Hearing

    partner = User.objects.get(username="bench.partner")
    _token, key = token_issue(actor=None, user=partner, name="bench", scopes=["trial_monitoring"])
    deep_id = int((Hearing.objects.aggregate(m=Max("id"))["m"] or 0) * 0.9)
    # The partner's cursor is its own identifier of the hearing; the baseline keeps the plain one.
    deep = for_owner(partner.pk).encode("rights.hearing", deep_id)
    settings = connection.settings_dict
    dsn = (
        f"dbname={settings['NAME']} host={settings['HOST'] or '127.0.0.1'} port={settings['PORT'] or 5432} "
        f"user={settings['USER'] or 'postgres'}"
    )
    auth = {"Authorization": f"Bearer {key}"}
    results = {}
    with (
        gunicorn("mission.wsgi") as portal,
        gunicorn("bench.baseline_app:application", env={"BENCH_DSN": dsn}, ready_path="/") as baseline,
    ):
        for label, query, base_query in (
            ("first", "page_size=100", "page_size=100"),
            ("deep", f"page_size=100&cursor={deep}", f"page_size=100&cursor={_encode(deep_id)}"),
        ):
            _latency(portal, f"/api/v1/hearings/?{query}", auth, 3)
            _latency(baseline, f"/?{base_query}", {}, 3)
            a_times, b_times, ratios = [], [], []
            for _ in range(repeats):
                a = _latency(portal, f"/api/v1/hearings/?{query}", auth, requests_per_round)
                b = _latency(baseline, f"/?{base_query}", {}, requests_per_round)
                a_times.append(a)
                b_times.append(b)
                ratios.append(a / b)
            results[label] = _summary(ratios, a_times, b_times)
    results["deep_vs_first"] = round(results["deep"]["portal_median_s"] / results["first"]["portal_median_s"], 3)
    results["ratio"] = max(results["first"]["ratio"], results["deep"]["ratio"])
    return results


# --- List pages: server time and query counts --------------------------------------------------------
def bench_list_pages(repeats: int) -> dict:
    """Server time (median, in-process) and query count of each list page, first and a deep page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from rights.models import Case

    head = _client("bench.head")
    supervisor = _client("bench.supervisor.pri")
    # A case with everything its page shows (parties, hearings, observations, a flag), at every size.
    case = Case.objects.filter(flags__isnull=False, parties__isnull=False).order_by("pk").first()
    pages = {
        "case_list": (head, reverse("rights:case_list")),
        "hearing_list": (head, reverse("rights:hearing_list")),
        "observation_list": (head, reverse("rights:observation_list")),
        "flag_list": (head, reverse("rights:flag_list")),
        "review_queue": (supervisor, reverse("rights:review_queue")),
        "case_detail": (head, reverse("rights:case_detail", args=[case.pk])),
    }
    results = {}
    for name, (client, url) in pages.items():
        for label, query in (("first", ""), ("deep", "?page=200")):
            if name == "case_detail" and label == "deep":
                continue
            client.get(url + query)
            times = []
            for _ in range(repeats):
                with CaptureQueriesContext(connection) as queries:
                    start = time.perf_counter()
                    response = client.get(url + query)
                    times.append(time.perf_counter() - start)
                assert response.status_code == 200, (url, response.status_code)
            results[f"{name}.{label}"] = {
                "median_ms": round(statistics.median(times) * 1000, 1),
                "queries": len(queries.captured_queries),
            }
    return results


def bench_dashboards(repeats: int) -> dict:
    """Server time (in-process) of the dashboards: median and p95 over many requests, and the query
    count; plus how long rebuilding the summary tables takes (what Celery beat does)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from mission.dashboards.services import summaries_refresh

    start = time.perf_counter()
    rows = sum(r.rows for r in summaries_refresh())
    refresh_s = time.perf_counter() - start
    head = _client("bench.head")
    supervisor = _client("bench.supervisor.pri")
    pages = {
        "human_rights": (head, reverse("rights:dashboard")),
        "human_rights_two_years": (head, reverse("rights:dashboard") + "?" + _two_years()),
        "human_rights_region": (supervisor, reverse("rights:dashboard")),
        "overview": (head, reverse("dashboards:overview")),
    }
    results = {"refresh_s": round(refresh_s, 2), "summary_rows": rows}
    results["incremental_refresh"] = _bench_incremental_refresh(max(3, repeats))
    samples = max(20, repeats * 6)
    for name, (client, url) in pages.items():
        client.get(url)
        times = []
        for _ in range(samples):
            with CaptureQueriesContext(connection) as queries:
                begin = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - begin)
            assert response.status_code == 200, (url, response.status_code)
        times.sort()
        results[name] = {
            "median_ms": round(statistics.median(times) * 1000, 1),
            "p95_ms": round(times[max(0, math.ceil(len(times) * 0.95) - 1)] * 1000, 1),
            "queries": len(queries.captured_queries),
            "samples": samples,
        }
    return results


def _bench_incremental_refresh(repeats: int) -> dict:
    """After one record changes through the services, how long bringing the summaries up to date takes
    (what Celery beat does every minute): a hearing's date moved to another month and back (its case's
    months are rebuilt, for its court), and an observation approved (its hearing's month and court)."""
    from mission.accounts.models import User
    from mission.dashboards.services import summary_apply_changes
    from rights.models import Hearing, Observation
    from rights.services.hearings import hearing_update
    from rights.services.observations import observation_approve
    from rights.services.summaries import SUMMARY_NAME

    supervisor = User.objects.get(username="bench.supervisor.pri")
    region = supervisor.region_id
    hearing = (
        Hearing.objects.filter(
            case__municipality__region_id=region, date__lt=datetime.date.today() - datetime.timedelta(days=90)
        )
        .order_by("-date", "pk")
        .first()
    )
    waiting = list(
        Observation.objects.filter(status="submitted", hearing__case__municipality__region_id=region)
        .exclude(monitor=supervisor)
        .order_by("pk")[:repeats]
    )

    def timed_apply() -> tuple[float, int, int]:
        begin = time.perf_counter()
        record = summary_apply_changes(name=SUMMARY_NAME)
        return time.perf_counter() - begin, record.parts, record.rows

    summary_apply_changes(name=SUMMARY_NAME)  # nothing pending before the first change
    results = {}
    moves: list[tuple[float, int, int]] = []
    original = hearing.date
    for i in range(repeats):
        hearing.refresh_from_db()
        day = original - datetime.timedelta(days=35) if i % 2 == 0 else original
        hearing = hearing_update(
            actor=supervisor, hearing=hearing, expected_version=hearing.version, reason="bench", date=day
        )
        moves.append(timed_apply())
    approvals: list[tuple[float, int, int]] = []
    for observation in waiting:
        observation_approve(actor=supervisor, observation=observation, expected_version=observation.version)
        approvals.append(timed_apply())
    for name, runs in (("hearing_date_moved", moves), ("observation_approved", approvals)):
        if not runs:
            continue
        times = [t for t, _parts, _rows in runs]
        results[name] = {
            "median_s": round(statistics.median(times), 3),
            "max_s": round(max(times), 3),
            "parts": max(parts for _t, parts, _rows in runs),  # months, or a court's rows of a month
            "rows": max(rows for _t, _parts, rows in runs),
            "runs": len(runs),
        }
    return results


AGGREGATES = {
    "hearings_by_region": "/api/v1/aggregates/hearings/?group_by=region",
    "hearings_by_month_and_community": "/api/v1/aggregates/hearings/?group_by=month&disaggregate=accused_community",
    "accused_by_court_and_sex": "/api/v1/aggregates/accused/?group_by=court&disaggregate=accused_sex",
    "standards_by_region": "/api/v1/aggregates/standards/?group_by=region",
}


def bench_aggregates(repeats: int) -> dict:
    """Server time (in-process, median and p95) and query count of the aggregate endpoints as a
    partner: counted live in the database, record keys summed, perturbed and suppressed."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from mission.accounts.models import User
    from mission.api.services import token_issue

    partner = User.objects.get(username="bench.partner")
    _token, key = token_issue(actor=None, user=partner, name="bench aggregates", scopes=["trial_aggregates"])
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    results = {}
    samples = max(10, repeats * 3)
    for name, url in AGGREGATES.items():
        client.get(url)
        times = []
        for _ in range(samples):
            with CaptureQueriesContext(connection) as queries:
                begin = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - begin)
            assert response.status_code == 200, (url, response.status_code)
        times.sort()
        results[name] = {
            "median_ms": round(statistics.median(times) * 1000, 1),
            "p95_ms": round(times[max(0, math.ceil(len(times) * 0.95) - 1)] * 1000, 1),
            "queries": len(queries.captured_queries),
            "rows": len(response.json()["results"]),
            "samples": samples,
        }
    return results


def _two_years() -> str:
    today = datetime.date.today()
    return f"from={today.year - 2}-{today.month:02d}&to={today.year}-{today.month:02d}"


class _Peak:
    """The largest resident set size seen by a sampling thread, above the size when it started."""

    def __init__(self) -> None:
        self.base = self.peak = self._rss()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @staticmethod
    def _rss() -> int:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            self.peak = max(self.peak, self._rss())

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    @property
    def growth_mb(self) -> float:
        return round((self.peak - self.base) / 1_000_000, 1)


def _report_context(report_format: str, output: Path):
    """A report job as the department head would ask for it: every region, the whole generated span."""
    from mission.accounts.models import User
    from mission.reports.models import ReportJob
    from mission.reports.registry import ReportContext

    today = datetime.date.today()
    parameters = {"from": f"{today.year - 2}-{today.month:02d}", "to": f"{today:%Y-%m}", "region": ""}
    user = User.objects.get(username="bench.head")
    job = ReportJob(report_type="bench", department="rights", language="en", format=report_format)
    return ReportContext(
        job=job, user=user, parameters=parameters, output=output, progress=lambda f, n: None, includes_restricted=True
    )


def _openpyxl_alone(tables, path: Path) -> float:
    """Seconds openpyxl alone takes (write-only, as the report) to write the tables' row counts, cycling
    through the first thousand real rows of each: the floor under the XLSX report on this machine."""
    import itertools

    from openpyxl import Workbook

    samples = [(list(itertools.islice(table.rows(), 1000)), table.queryset.count()) for table in tables]
    start = time.perf_counter()
    workbook = Workbook(write_only=True)
    for n, (sample, count) in enumerate(samples):
        sheet = workbook.create_sheet(title=f"sheet {n}")
        for row in itertools.islice(itertools.cycle(sample), count):
            sheet.append(row)
    workbook.save(path)
    return time.perf_counter() - start


def bench_reports(repeats: int) -> dict:
    """The report builders as a worker runs them: the data report as CSV against COPY of the same rows,
    as XLSX in cells per second, with the memory it grows by; the PDF in seconds per page."""
    import tempfile

    import pypdf
    from django.db import connection
    from django.utils import translation

    from rights import reports

    results = {}
    with tempfile.TemporaryDirectory() as folder, translation.override("en"):
        folder = Path(folder)
        context = _report_context("csv", folder / "data.zip")
        regions = context.regions()
        tables = [
            reports._hearing_table(context, regions),
            reports._observation_table(context, regions),
            reports._accused_table(context, regions),
        ]
        copy_sql = []
        for queryset in (table.queryset for table in tables):
            sql, params = queryset.query.sql_with_params()
            with connection.cursor() as cursor:
                copy_sql.append(cursor.mogrify(sql, params).decode())
        rows = sum(table.queryset.count() for table in tables)
        portal, baseline, ratios = [], [], []
        for _ in range(max(1, repeats // 2)):
            start = time.perf_counter()
            reports.build_trial_monitoring_data(context)
            a = time.perf_counter() - start
            start = time.perf_counter()
            with connection.cursor() as cursor:
                for sql in copy_sql:
                    cursor.cursor.copy_expert(f"COPY ({sql}) TO STDOUT WITH CSV HEADER", _Sink())
            b = time.perf_counter() - start
            portal.append(a)
            baseline.append(b)
            ratios.append(a / b)
        results["csv"] = _summary(ratios, portal, baseline) | {"rows": rows}

        context = _report_context("xlsx", folder / "data.xlsx")
        cells = sum(table.queryset.count() * len(table.columns) for table in tables)
        with _Peak() as peak:
            start = time.perf_counter()
            reports.build_trial_monitoring_data(context)
            seconds = time.perf_counter() - start
        floor = _openpyxl_alone(tables, folder / "floor.xlsx")
        results["xlsx"] = {
            "seconds": round(seconds, 2),
            "cells": cells,
            "cells_per_s": round(cells / seconds),
            "memory_growth_mb": peak.growth_mb,
            "file_mb": round((folder / "data.xlsx").stat().st_size / 1_000_000, 1),
            # What this machine can do at all: openpyxl writing as many rows of the same values.
            "openpyxl_cells_per_s": round(cells / floor),
            "ratio": round(seconds / floor, 3),
        }

        context = _report_context("pdf", folder / "report.pdf")
        times = []
        for _ in range(max(1, repeats // 3)):
            start = time.perf_counter()
            reports.build_trial_monitoring_pdf(context)
            times.append(time.perf_counter() - start)
        pages = len(pypdf.PdfReader(folder / "report.pdf").pages)
        seconds = statistics.median(times)
        results["pdf"] = {"seconds": round(seconds, 2), "pages": pages, "seconds_per_page": round(seconds / pages, 3)}
    return results


def machine() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    return {
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "postgresql": postgres,
    }


BENCHMARKS = {
    "csv_export": lambda repeats, seconds: bench_csv_export(repeats),
    "page_throughput": bench_page_throughput,
    "list_pages": lambda repeats, seconds: bench_list_pages(repeats),
    "api_list": lambda repeats, seconds: bench_api_list(repeats, 10 if repeats > 2 else 3),
    "dashboards": lambda repeats, seconds: bench_dashboards(repeats),
    "aggregates": lambda repeats, seconds: bench_aggregates(repeats),
    "reports": lambda repeats, seconds: bench_reports(repeats),
}


def run_all(size: str, *, repeats: int, seconds: float, only: list[str] | None = None) -> dict:
    """Every benchmark (or those named in `only`), with each goal marked pass or miss."""
    names = only or list(BENCHMARKS)
    results = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "size": size,
        "machine": machine(),
        "benchmarks": {name: BENCHMARKS[name](repeats, seconds) for name in names},
    }
    for name, (key, op, goal) in GOALS.items():
        if name not in results["benchmarks"]:
            continue
        value = results["benchmarks"][name][key]
        results["benchmarks"][name]["goal"] = f"{op} {goal}"
        results["benchmarks"][name]["pass"] = value <= goal if op == "<=" else value >= goal
    return results


def save(results: dict) -> Path:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{results['date'][:10]}-{results['size']}.json"
    path.write_text(json.dumps(results, indent=2) + "\n")
    return path


def latest_by_size() -> dict[str, dict]:
    latest: dict[str, dict] = {}
    for path in sorted(RESULTS.glob("*.json")):
        data = json.loads(path.read_text())
        if data["date"] >= latest.get(data["size"], {}).get("date", ""):
            latest[data["size"]] = data
    return latest
