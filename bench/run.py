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
from dataclasses import dataclass
from http.client import HTTPConnection
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
RESULTS = BENCH_DIR / "results"
PASSWORD = "bench-password-123"


@dataclass(frozen=True)
class Goal:
    """A goal of the benchmark issues, checked on every run: `key` is a dotted path into the result
    of `benchmark` (`legacy`: where results from before the key existed kept the same figure)."""

    label: str
    benchmark: str
    key: str
    op: str  # "<=", "<", ">=" or "=="
    target: float
    unit: str = "×"
    sizes: tuple[str, ...] = ()  # the sizes the goal is for (empty: every size)
    legacy: str = ""

    def text(self) -> str:
        return f"{dict(OPERATORS)[self.op]} {self.target:g}{self.unit}"

    def met(self, value: float) -> bool:
        return {
            "<=": value <= self.target,
            "<": value < self.target,
            ">=": value >= self.target,
            "==": value == self.target,
        }[self.op]

    def value(self, result: dict) -> float | None:
        """The goal's figure in a run's results (None: not measured in that run)."""
        benchmarks = result.get("benchmarks", {})
        for key in (self.key, self.legacy):
            value = lookup(benchmarks.get(self.benchmark), key) if key else None
            if isinstance(value, int | float) and not isinstance(value, bool):
                return value
        return None

    def applies(self, size: str) -> bool:
        return not self.sizes or size in self.sizes


OPERATORS = (("<=", "≤"), ("<", "<"), (">=", "≥"), ("==", "="))
LARGE = ("100k", "1m")  # the sizes compared with 10k in one run (the flatness benchmark)
# The HTML lists whose first and deep pages must stay flat, with who opens them.
LISTS = ("case_list", "hearing_list", "observation_list", "flag_list", "review_queue")

# Democratization's pages (bench/democratization.py) and their flatness targets, as trial monitoring's.
DEMOCRATIZATION_PAGES = (
    ("incidents.first", "incidents list, first page", 1.2),
    ("incidents.deep", "incidents list, deep page", 1.2),
    ("activities.first", "activities list, first page", 1.2),
    ("activities.deep", "activities list, deep page", 1.2),
    ("review_queue.first", "review queue, first page", 1.2),
    ("review_queue.deep", "review queue, deep page", 1.2),
    ("recommendations.first", "recommendations list", 1.2),
    ("dashboard.page", "dashboard", 1.5),
    ("dashboard.rendered", "dashboard rendered (not kept)", 1.5),
    ("api.first", "API list, first page", 1.2),
    ("api.deep", "API list, deep page", 1.2),
)
# Security & Public Safety's (bench/public_safety.py), with the same targets.
PUBLIC_SAFETY_PAGES = (
    ("incidents.first", "hate crimes list, first page", 1.2),
    ("incidents.deep", "hate crimes list, deep page", 1.2),
    ("trainings.first", "trainings list, first page", 1.2),
    ("trainings.deep", "trainings list, deep page", 1.2),
    ("review_queue.first", "review queue, first page", 1.2),
    ("review_queue.deep", "review queue, deep page", 1.2),
    ("action_plans.first", "action plans list", 1.2),
    ("women_in_police.first", "women-in-police figures", 1.2),
    ("dashboard.page", "dashboard", 1.5),
    ("dashboard.rendered", "dashboard rendered (not kept)", 1.5),
    ("api.first", "API list, first page", 1.2),
    ("api.deep", "API list, deep page", 1.2),
)


# Human Rights beyond the courtroom's (bench/human_rights.py), with the same targets.
HUMAN_RIGHTS_PAGES = (
    ("incidents.first", "community-rights incidents list, first page", 1.2),
    ("incidents.deep", "community-rights incidents list, deep page", 1.2),
    ("returns.first", "return movements list, first page", 1.2),
    ("returns.deep", "return movements list, deep page", 1.2),
    ("gbv_cases.first", "gender-based violence cases list, first page", 1.2),
    ("gbv_cases.deep", "gender-based violence cases list, deep page", 1.2),
    ("review_queue.first", "review queue, first page", 1.2),
    ("review_queue.deep", "review queue, deep page", 1.2),
    ("dashboard.page", "dashboard", 1.5),
    ("dashboard.rendered", "dashboard rendered (not kept)", 1.5),
    ("api.first", "API list, first page", 1.2),
    ("api.deep", "API list, deep page", 1.2),
)


def department_goals(title: str, benchmark: str, pages: tuple[tuple[str, str, float], ...]) -> list["Goal"]:
    """A department's goals (bench/departments.py): each page ÷ the same at 10k, the API list flat and
    against the lean baseline."""
    return [
        *(
            Goal(f"{title}: {label} ÷ the same at 10k", benchmark, f"pages.{key}.ratio", "<=", target, sizes=LARGE)
            for key, label, target in pages
        ),
        Goal(f"{title}: API list deep page ÷ first page", benchmark, "api_deep_vs_first", "<=", 1.2),
        Goal(
            f"{title}: API list first page ÷ lean baseline (same bytes)", benchmark, "api_baseline.first.ratio", "<=", 2
        ),
        Goal(
            f"{title}: API list deep page ÷ lean baseline (same bytes)", benchmark, "api_baseline.deep.ratio", "<=", 2
        ),
    ]


# The goals from the benchmark issues; a missed goal is reported, never tuned away.
GOALS = [
    Goal("CSV export of all observations ÷ `COPY … TO STDOUT`", "csv_export", "ratio", "<=", 4),
    Goal("Hearings list req/s ÷ bare view", "page_throughput", "pages.hearing_list.ratio", ">=", 0.4, legacy="ratio"),
    Goal("Case page req/s ÷ bare view", "page_throughput", "pages.case_detail.ratio", ">=", 0.4),
    Goal("Review queue req/s (supervisor) ÷ bare view", "page_throughput", "pages.review_queue.ratio", ">=", 0.4),
    Goal("Human Rights dashboard req/s ÷ bare view", "page_throughput", "pages.dashboard.ratio", ">=", 0.4),
    Goal("Mission overview req/s ÷ bare view", "page_throughput", "pages.overview.ratio", ">=", 0.4),
    Goal("Mixed load req/s (2 workers) ÷ bare view", "mixed_load", "workers.2.ratio", ">=", 0.3),
    Goal("Mixed load, failed requests", "mixed_load", "errors", "==", 0, unit=""),
    *(
        Goal(
            f"`{name}` {page} page ÷ the same at 10k", "flatness", f"pages.{name}.{page}.ratio", "<=", 1.2, sizes=LARGE
        )
        for name in LISTS
        for page in ("first", "deep")
    ),
    Goal(
        "Review queue deep page at 1m, server time",
        "list_pages",
        "review_queue.deep.median_ms",
        "<",
        60,
        " ms",
        ("1m",),
    ),
    Goal("Mission overview ÷ the same at 10k", "flatness", "pages.overview.ratio", "<=", 1.2, sizes=LARGE),
    Goal("Human Rights dashboard ÷ the same at 10k", "flatness", "pages.human_rights.ratio", "<=", 1.5, sizes=LARGE),
    Goal(
        "Human Rights dashboard p95 under the mixed load at 1m",
        "mixed_load",
        "latency.groups.dashboard.p95_ms",
        "<",
        150,
        " ms",
        ("1m",),
    ),
    Goal(
        "Summaries up to date after a hearing's date moved, at 1m",
        "dashboards",
        "incremental_refresh.hearing_date_moved.median_s",
        "<=",
        1,
        " s",
        ("1m",),
    ),
    Goal(
        "Summaries up to date after an observation approved, at 1m",
        "dashboards",
        "incremental_refresh.observation_approved.median_s",
        "<=",
        1,
        " s",
        ("1m",),
    ),
    *department_goals("Democratization", "democratization", DEMOCRATIZATION_PAGES),
    *department_goals("Security & Public Safety", "public_safety", PUBLIC_SAFETY_PAGES),
    *department_goals("Human Rights beyond the courtroom", "human_rights", HUMAN_RIGHTS_PAGES),
    Goal("API list first page ÷ lean baseline (same bytes)", "api_list", "first.ratio", "<=", 2),
    Goal("API list deep page ÷ lean baseline (same bytes)", "api_list", "deep.ratio", "<=", 2),
    Goal("API list deep page ÷ first page", "api_list", "deep_vs_first", "<=", 1.2),
    Goal("API list first page ÷ the same at 10k", "flatness", "pages.api.first.ratio", "<=", 1.2, sizes=LARGE),
    Goal("API list deep page ÷ the same at 10k", "flatness", "pages.api.deep.ratio", "<=", 1.2, sizes=LARGE),
    Goal("Data report as CSV ÷ `COPY` of the same rows", "reports", "csv.ratio", "<=", 4),
    Goal("Data report as XLSX ÷ openpyxl alone writing the same cells", "reports", "xlsx.ratio", "<=", 1.5),
    Goal("Trial-monitoring report as PDF", "reports", "pdf.seconds_per_page", "<=", 0.5, " s/page"),
]


def lookup(data: object, key: str) -> object:
    """`data["a"]["b"]` for the key "a.b", where a name may hold dots itself (`list_pages` has
    "review_queue.deep"); None where a part is missing."""
    if not key:
        return data
    if not isinstance(data, dict):
        return None
    parts = key.split(".")
    for n in range(len(parts), 0, -1):
        name = ".".join(parts[:n])
        if name in data:
            return lookup(data[name], ".".join(parts[n:]))
    return None


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
def gunicorn(app: str, *, env: dict | None = None, ready_path: str = "/healthz/", workers: int = 2):
    """A gunicorn with `workers` sync workers on a free port, for the length of the block; yields the port."""
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            app,
            "--workers",
            str(workers),
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


def _rich_case():
    """A case with everything its page shows (parties, hearings, observations, a flag), at every size."""
    from rights.models import Case

    return Case.objects.filter(flags__isnull=False, parties__isnull=False).order_by("pk").first()


def _throughput_pages() -> dict[str, tuple[str, str]]:
    """The pages whose throughput is measured: name → (who opens it, path)."""
    from django.urls import reverse

    return {
        "hearing_list": ("bench.head", reverse("rights:hearing_list")),
        "case_detail": ("bench.head", reverse("rights:case_detail", args=[_rich_case().pk])),
        "review_queue": ("bench.supervisor.pri", reverse("rights:review_queue")),
        "dashboard": ("bench.head", reverse("rights:dashboard")),
        "overview": ("bench.head", reverse("dashboards:overview")),
    }


def bench_page_throughput(repeats: int, seconds: float) -> dict:
    """Requests per second of five pages (hearings list, a case, the review queue, the Human Rights
    dashboard, the overview), each against the bare view behind the same middleware with the same
    session, alternating page and bare view in the same run. `ratio` is the worst page's."""
    pages = _throughput_pages()
    rounds = max(1, min(repeats, 5))
    measured: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in pages}
    with gunicorn("mission.wsgi") as port:
        cookies = {user: _sign_in(port, user) for user, _path in pages.values()}
        for user, path in pages.values():  # warm both workers on every page
            _throughput(port, path, cookies[user], 0.5)
        _throughput(port, "/bench/bare/", cookies["bench.head"], 0.5)
        for _ in range(rounds):
            for name, (user, path) in pages.items():
                measured[name][0].append(_throughput(port, path, cookies[user], seconds))
                measured[name][1].append(_throughput(port, "/bench/bare/", cookies[user], seconds))
    results: dict = {"pages": {}}
    for name, (portal, baseline) in measured.items():
        ratios = [a / b for a, b in zip(portal, baseline, strict=True)]
        results["pages"][name] = {
            "ratio": round(statistics.median(ratios), 3),
            "ratio_min": round(min(ratios), 3),
            "ratio_max": round(max(ratios), 3),
            "portal_rps": round(statistics.median(portal), 1),
            "baseline_rps": round(statistics.median(baseline), 1),
            "runs": rounds,
        }
    worst = min(results["pages"], key=lambda name: results["pages"][name]["ratio"])
    results |= {key: results["pages"][worst][key] for key in ("ratio", "ratio_min", "ratio_max")}
    results["worst"] = worst
    return results


# --- API list vs the lean baseline (the same bytes) ------------------------------------------------
def _latency(port: int, path: str, headers: dict, n: int) -> float:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        response, body = _request(port, path, headers=headers)
        times.append(time.perf_counter() - start)
        if response.status != 200:
            raise RuntimeError(f"{path}: {response.status} {body[:200]!r}")
    return statistics.median(times)


def _same_bytes(label: str, portal: bytes, baseline: bytes) -> None:
    """Fail loudly unless the baseline answers exactly what the portal does: the floor is honest only
    while it does the portal's work, and the API may change under it."""
    if portal == baseline:
        return
    at = next(
        (i for i, (a, b) in enumerate(zip(portal, baseline, strict=False)) if a != b), min(len(portal), len(baseline))
    )
    raise RuntimeError(
        f"The API baseline (bench/baseline_app.py) no longer returns the portal's bytes on the {label} page "
        f"({len(portal)} against {len(baseline)} bytes; first difference at byte {at}: portal "
        f"{portal[max(0, at - 60) : at + 60]!r}, baseline {baseline[max(0, at - 60) : at + 60]!r}). "
        "Make the baseline write what the API writes now."
    )


def _dsn() -> str:
    from django.db import connection

    settings = connection.settings_dict
    return (
        f"dbname={settings['NAME']} host={settings['HOST'] or '127.0.0.1'} port={settings['PORT'] or 5432} "
        f"user={settings['USER'] or 'postgres'}" + (f" password={settings['PASSWORD']}" if settings["PASSWORD"] else "")
    )


def bench_api_list(repeats: int, requests_per_round: int) -> dict:
    """`GET /api/v1/hearings/?page_size=100` as a partner (first page and a page 90 % deep, by cursor)
    vs the lean WSGI baseline returning the same bytes; both under gunicorn with 2 workers. Checks
    first that both answer byte for byte the same on both pages."""
    from rights.models import Hearing

    return api_against_baseline("/api/v1/hearings/", "trial_monitoring", Hearing, repeats, requests_per_round)


def api_against_baseline(path: str, dataset: str, model: Any, repeats: int, requests_per_round: int) -> dict:
    """An API list as a partner with the dataset `dataset`, first page and 90 % deep (the partner's
    cursor at 90 % of `model`'s ids), against bench/baseline_app.py's same bytes."""
    from django.conf import settings
    from django.db.models import Max

    from mission.accounts.models import User
    from mission.api.identifiers import for_owner, kind_of
    from mission.api.services import token_issue

    partner = User.objects.get(username="bench.partner")
    _token, key = token_issue(actor=None, user=partner, name="bench", scopes=[dataset])
    deep_id = int((model.objects.aggregate(m=Max("id"))["m"] or 0) * 0.9)
    # The partner's cursor is its own identifier of the record, for the portal and the baseline alike.
    deep = for_owner(partner.pk).encode(kind_of(model), deep_id)
    baseline_env = {
        "BENCH_DSN": _dsn(),
        "BENCH_IDENTIFIER_KEY": settings.API_IDENTIFIER_KEY,
        "BENCH_PARTNER_ID": str(partner.pk),
    }
    auth = {"Authorization": f"Bearer {key}"}
    results: dict = {}
    with (
        gunicorn("mission.wsgi") as portal,
        gunicorn("bench.baseline_app:application", env=baseline_env, ready_path="/api/v1/hearings/") as baseline,
    ):
        pages = (("first", "page_size=100"), ("deep", f"page_size=100&cursor={deep}"))
        for label, query in pages:
            _response, a = _request(portal, f"{path}?{query}", headers=auth)
            _response, b = _request(baseline, f"{path}?{query}")
            _same_bytes(label, a, b)
        results["same_bytes"] = True
        for label, query in pages:
            _latency(portal, f"{path}?{query}", auth, 3)
            _latency(baseline, f"{path}?{query}", {}, 3)
            a_times, b_times, ratios = [], [], []
            for _ in range(repeats):
                a = _latency(portal, f"{path}?{query}", auth, requests_per_round)
                b = _latency(baseline, f"{path}?{query}", {}, requests_per_round)
                a_times.append(a)
                b_times.append(b)
                ratios.append(a / b)
            results[label] = _summary(ratios, a_times, b_times)
    results["deep_vs_first"] = round(results["deep"]["portal_median_s"] / results["first"]["portal_median_s"], 3)
    results["ratio"] = max(results["first"]["ratio"], results["deep"]["ratio"])
    return results


# --- Mixed load: locust replaying the roles against gunicorn --------------------------------------
LOCUSTFILE = BENCH_DIR / "locustfile.py"
GROUPS = ("list", "detail", "review", "dashboard", "overview", "api")


def _load_plan(port: int) -> dict:
    """Who opens what (bench/locustfile.py): monitors the lists, the cases of their region and their
    own observations (and their drafts); supervisors the review queue and the observations of their
    region; managers (the department head) the dashboard and the overview; a partner the API list and
    the aggregates. Every account signed in once, its session shared by the users of its role."""
    from django.urls import reverse

    from field_offices.models import Region
    from mission.accounts.models import User
    from mission.api.services import token_issue
    from rights.models import Case, Observation

    def detail(name: str, pks: list[int]) -> list[str]:
        return [reverse(f"rights:{name}", args=[pk]) for pk in pks]

    lists = [
        reverse("rights:hearing_list"),
        reverse("rights:case_list"),
        reverse("rights:observation_list"),
        reverse("rights:observation_list") + "?status=draft",
    ]
    monitors, supervisors = [], []
    for region in Region.objects.order_by("code"):
        code = region.code.lower()
        monitor = User.objects.get(username=f"bench.monitor.{code}")
        own = Observation.objects.filter(monitor=monitor).order_by("pk").values_list("pk", flat=True)[:40]
        cases = Case.objects.filter(municipality__region=region).order_by("pk").values_list("pk", flat=True)[:40]
        in_region = (
            Observation.objects.filter(hearing__case__municipality__region=region)
            .order_by("pk")
            .values_list("pk", flat=True)[:40]
        )
        if not own or not cases:
            continue
        monitors.append(
            {
                "headers": {"Cookie": _sign_in(port, monitor.username)},
                "paths": {
                    "list": lists,
                    "detail": detail("case_detail", list(cases)) + detail("observation_detail", list(own)),
                },
            }
        )
        supervisors.append(
            {
                "headers": {"Cookie": _sign_in(port, f"bench.supervisor.{code}")},
                "paths": {
                    "review": [reverse("rights:review_queue")],
                    "detail": detail("observation_detail", list(in_region)),
                },
            }
        )
    head = {
        "headers": {"Cookie": _sign_in(port, "bench.head")},
        "paths": {
            "dashboard": [reverse("rights:dashboard"), reverse("rights:dashboard") + "?" + _two_years()],
            "overview": [reverse("dashboards:overview")],
        },
    }
    partner = User.objects.get(username="bench.partner")
    _token, key = token_issue(
        actor=None, user=partner, name="bench load", scopes=["trial_monitoring", "trial_aggregates"]
    )
    api = {
        "headers": {"Authorization": f"Bearer {key}"},
        "paths": {"api": ["/api/v1/hearings/?page_size=100", *AGGREGATES.values()]},
    }
    return {
        "per_user_rps": None,
        "roles": {
            "monitor": {"weight": 5, "groups": {"list": 3, "detail": 2}, "accounts": monitors},
            "supervisor": {"weight": 2, "groups": {"review": 1, "detail": 1}, "accounts": supervisors},
            "manager": {"weight": 2, "groups": {"dashboard": 2, "overview": 1}, "accounts": [head]},
            "partner": {"weight": 1, "groups": {"api": 1}, "accounts": [api]},
        },
    }


def _bare_plan(plan: dict) -> dict:
    """The same users all opening the bare view, each with its own account's session."""
    accounts = [
        {"headers": account["headers"], "paths": {"bare": ["/bench/bare/"]}}
        for role in plan["roles"].values()
        for account in role["accounts"]
        if "Cookie" in account["headers"]
    ]
    return {"per_user_rps": None, "roles": {"bare": {"weight": 1, "groups": {"bare": 1}, "accounts": accounts}}}


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:  # "N/A" where a group had no request
        return None


def _locust(port: int, plan: dict, users: int, seconds: float, folder: Path) -> dict:
    """One headless, bounded locust run (a subprocess: locust patches the standard library with
    gevent); its requests per second, failures and the percentiles of each page group."""
    import csv

    run = f"run{len(list(folder.glob('*.plan.json')))}"
    (folder / f"{run}.plan.json").write_text(json.dumps(plan))
    prefix = folder / run
    duration = max(2, round(seconds))
    command = [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "--only-summary"]
    command += ["-u", str(users), "-r", str(users), "--run-time", f"{duration}s", "--csv", str(prefix)]
    command += ["--host", f"http://127.0.0.1:{port}", "--loglevel", "WARNING", "--exit-code-on-error", "0"]
    done = subprocess.run(
        command,
        cwd=BENCH_DIR.parent,
        env={**os.environ, "BENCH_LOCUST_PLAN": str(folder / f"{run}.plan.json")},
        capture_output=True,
        text=True,
        timeout=duration + 120,
    )
    if done.returncode != 0:
        raise RuntimeError(f"locust failed ({done.returncode}): {done.stderr[-2000:]}")
    with open(f"{prefix}_stats.csv", newline="") as stats:
        rows = {row["Name"]: row for row in csv.DictReader(stats)}
    total = rows.pop("Aggregated")
    with open(f"{prefix}_failures.csv", newline="") as failures:
        failed = [f"{row['Occurrences']}× {row['Name']}: {row['Error']}" for row in csv.DictReader(failures)]
    return {
        "rps": float(total["Requests/s"]),
        "requests": int(total["Request Count"]),
        "failures": int(total["Failure Count"]),
        "failure_examples": failed[:5],
        "groups": {
            name: {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                **{f"p{p}_ms": _number(row[f"{p}%"]) for p in (50, 95, 99)},
            }
            for name, row in rows.items()
        },
    }


def _median_groups(runs: list[dict]) -> dict:
    """Per page group: the requests and failures of all runs, and the median of each percentile."""
    groups = {}
    for name in sorted(
        {name for run in runs for name in run["groups"]},
        key=lambda n: (GROUPS.index(n) if n in GROUPS else len(GROUPS), n),
    ):
        figures = [run["groups"][name] for run in runs if name in run["groups"]]
        groups[name] = {
            "requests": sum(f["requests"] for f in figures),
            "failures": sum(f["failures"] for f in figures),
        }
        for p in ("p50_ms", "p95_ms", "p99_ms"):
            values = [f[p] for f in figures if f[p] is not None]
            groups[name][p] = statistics.median(values) if values else None
    return groups


def bench_mixed_load(repeats: int, seconds: float) -> dict:
    """Saturated throughput of the mixed load of every role (bench/locustfile.py) ÷ the bare view's with
    the same users, alternating, under gunicorn with 2 workers (and 4, unless the run is short); the
    failed requests; the percentiles per page group at saturation, and under half the saturated load
    (`latency`: each user paced so that the server is busy, not queueing)."""
    import tempfile

    rounds = max(1, min(repeats - 1, 3))
    results: dict = {"workers": {}}
    errors = 0
    examples: list[str] = []
    # The partner's requests exceed a partner's hourly allowance in a few minutes of saturated load:
    # raised for the load test only (the throttle still counts every request).
    env = {"API_THROTTLE_RATE": "10000000/hour"}
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        for workers in (2, 4) if repeats > 2 else (2,):
            users = 5 * workers
            with gunicorn("mission.wsgi", workers=workers, env=env) as port:
                plan = _load_plan(port)
                bare = _bare_plan(plan)
                _locust(port, plan, users, 2, folder)  # warm every worker on every page
                mixed, baseline = [], []
                for _ in range(rounds):
                    mixed.append(_locust(port, plan, users, 4 * seconds, folder))
                    baseline.append(_locust(port, bare, users, 2 * seconds, folder))
                ratios = [m["rps"] / b["rps"] for m, b in zip(mixed, baseline, strict=True)]
                failed = [run for run in mixed + baseline if run["failures"]]
                errors += sum(run["failures"] for run in failed)
                examples += [example for run in failed for example in run["failure_examples"]]
                mixed_rps = statistics.median(m["rps"] for m in mixed)
                results["workers"][str(workers)] = {
                    "users": users,
                    "ratio": round(statistics.median(ratios), 3),
                    "ratio_min": round(min(ratios), 3),
                    "ratio_max": round(max(ratios), 3),
                    "mixed_rps": round(mixed_rps, 1),
                    "bare_rps": round(statistics.median(b["rps"] for b in baseline), 1),
                    "requests": sum(m["requests"] for m in mixed),
                    "runs": rounds,
                    "groups": _median_groups(mixed),
                }
                if workers == 2:
                    paced = plan | {"per_user_rps": mixed_rps / 2 / users}
                    latency = _locust(port, paced, users, 8 * seconds, folder)
                    errors += latency["failures"]
                    examples += latency["failure_examples"]
                    results["latency"] = {
                        "users": users,
                        "offered_rps": round(mixed_rps / 2, 1),
                        "rps": round(latency["rps"], 1),
                        "requests": latency["requests"],
                        "groups": _median_groups([latency]),
                    }
    results["ratio"] = results["workers"]["2"]["ratio"]
    results["errors"] = errors
    results["failure_examples"] = examples[:10]
    return results


# --- List pages: server time and query counts --------------------------------------------------------
def bench_list_pages(repeats: int) -> dict:
    """Server time (median, in-process) and query count of each list page: the first page, a page
    about 90 % into the list through the cursor its Next link would carry (`deep`), and the old
    OFFSET link `?page=200` (`page200`); and of a case page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    head = _client("bench.head")
    supervisor = _client("bench.supervisor.pri")
    case = _rich_case()
    pages = {name: (supervisor if name == "review_queue" else head, reverse(f"rights:{name}"), name) for name in LISTS}
    pages["case_detail"] = (head, reverse("rights:case_detail", args=[case.pk]), None)
    results = {}
    for name, (client, url, listed) in pages.items():
        variants = [("first", "")]
        if listed is not None:
            deep = deep_query(listed, "")
            if deep:
                variants.append(("deep", deep))
            variants.append(("page200", "?page=200"))
        for label, query in variants:
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
    partner: counted in the database, record keys summed, perturbed and suppressed (the cache of
    partners' answers set aside); and the median of the same question answered again from that cache."""
    from unittest import mock

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from mission.accounts.models import User
    from mission.api.aggregates import AggregateView
    from mission.api.services import token_issue

    partner = User.objects.get(username="bench.partner")
    _token, key = token_issue(actor=None, user=partner, name="bench aggregates", scopes=["trial_aggregates"])
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    results = {}
    samples = max(10, repeats * 3)

    def timed(url: str) -> tuple[list[float], Any, Any]:
        times = []
        for _ in range(samples):
            with CaptureQueriesContext(connection) as queries:
                begin = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - begin)
            assert response.status_code == 200, (url, response.status_code)
        return sorted(times), queries, response

    for name, url in AGGREGATES.items():
        with mock.patch.object(AggregateView, "partner_key", return_value=None):
            client.get(url)
            times, queries, response = timed(url)
        client.get(url)  # kept from here on
        kept, kept_queries, _response = timed(url)
        results[name] = {
            "median_ms": round(statistics.median(times) * 1000, 1),
            "p95_ms": round(times[max(0, math.ceil(len(times) * 0.95) - 1)] * 1000, 1),
            "queries": len(queries.captured_queries),
            "rows": len(response.json()["results"]),
            "samples": samples,
            "kept_median_ms": round(statistics.median(kept) * 1000, 1),
            "kept_queries": len(kept_queries.captured_queries),
        }
    return results


def _two_years() -> str:
    today = datetime.date.today()
    return f"from={today.year - 2}-{today.month:02d}&to={today.year}-{today.month:02d}"


# --- Flatness: the run's dataset against 10k, alternating in one run --------------------------------
def reference_database_url() -> str:
    """The 10k dataset that the flatness benchmark alternates with (`python -m bench` prepares it)."""
    return os.environ.get("BENCH_REFERENCE_DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/mission_bench_10k"


def list_rows(name: str):
    """The rows of the list `name` in its default order, as its view builds them for its reader (the
    department head, or a supervisor for the review queue)."""
    from mission.accounts.models import User
    from rights import selectors

    head = User.objects.get(username="bench.head")
    supervisor = User.objects.get(username="bench.supervisor.pri")
    return {
        "case_list": lambda: selectors.case_list(user=head)[1],
        "hearing_list": lambda: selectors.hearing_list(user=head)[1],
        "observation_list": lambda: selectors.observation_list(user=head)[1],
        "flag_list": lambda: selectors.flag_list(user=head),
        "review_queue": lambda: selectors.review_queue(user=supervisor)[1],
    }[name]()


def deep_query(name: str, database: str) -> str:
    """The query string of a page deep in the list `name` on the dataset `database` (called while
    connected to it): the cursor its Next link carries when the row 90 % into the list ends a page
    (`deep_index`)."""
    from mission.pagination import cursor_after

    rows = list_rows(name)
    cursor = cursor_after(rows, deep_index(rows.count()))
    return f"?cursor={cursor}" if cursor else ""


def deep_index(count: int, per_page: int = 25) -> int:
    """The row whose page's Next link leads deep into a list of `count` rows: 90 % into it, but never so
    near the end that the deep page has fewer rows than a first page (at 10k a queue 90 % deep was a
    half-empty last page, and the pages compared did not do the same work)."""
    return max(0, min(int(count * 0.9), count - per_page - 1))


@contextlib.contextmanager
def _connected(url: str | None):
    """Django's default connection on the database of `url` for the length of the block (None: the
    run's own); the connection is closed on each switch and opens again on the next query."""
    from django.db import connection

    if url is None:
        yield
        return
    parsed = urllib.parse.urlparse(url)
    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict.update(
        NAME=parsed.path.lstrip("/"),
        HOST=parsed.hostname or "",
        PORT=parsed.port or "",
        USER=parsed.username or "",
        PASSWORD=parsed.password or "",
    )
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.update(saved)


def _dataset_size() -> str | None:
    """The size of the dataset the connected database holds (bench/generate.py notes it)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT size FROM bench_dataset ORDER BY loaded_at DESC LIMIT 1")
        row = cursor.fetchone()
    return row[0] if row else None


def _flatness_pages(database: str) -> dict[str, tuple]:
    """page → (client, url), signed in on the connected database: the first and a deep page of each
    list, the overview, the Human Rights dashboard, the API list's first and a deep page (a partner)."""
    from django.db.models import Max
    from django.test import Client
    from django.urls import reverse

    from mission.accounts.models import User
    from mission.api.identifiers import for_owner
    from mission.api.services import token_issue
    from mission.dashboards import registry
    from mission.dashboards.models import SummaryRefresh
    from mission.dashboards.services import summaries_refresh
    from rights.models import Hearing

    if SummaryRefresh.objects.filter(name__in=list(registry.summaries())).count() < len(registry.summaries()):
        summaries_refresh()  # never built on this database: the dashboards would read empty tables
    head, supervisor = _client("bench.head"), _client("bench.supervisor.pri")
    pages = {}
    for name in LISTS:
        client = supervisor if name == "review_queue" else head
        url = reverse(f"rights:{name}")
        pages[f"{name}.first"] = (client, url)
        pages[f"{name}.deep"] = (client, url + deep_query(name, database))
    pages["overview"] = (head, reverse("dashboards:overview"))
    pages["human_rights"] = (head, reverse("rights:dashboard"))
    partner = User.objects.get(username="bench.partner")
    _token, key = token_issue(actor=None, user=partner, name="bench flatness", scopes=["trial_monitoring"])
    api = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    deep_id = int((Hearing.objects.aggregate(m=Max("id"))["m"] or 0) * 0.9)
    deep = for_owner(partner.pk).encode("rights.hearing", deep_id)
    pages["api.first"] = (api, "/api/v1/hearings/?page_size=100")
    pages["api.deep"] = (api, f"/api/v1/hearings/?page_size=100&cursor={deep}")
    return pages


def bench_flatness(repeats: int) -> dict:
    """Server time (in-process) of each page on the run's dataset and on the 10k one, alternating the
    two databases within the run (large, 10k, large, …): per page the median and spread of the
    large ÷ 10k ratio. Skipped on the 10k dataset itself."""
    size = _dataset_size()
    if size in (None, "10k"):
        return {"skipped": f"the {size} dataset: flatness compares a larger one with 10k (run --size 1m)"}
    databases = {size: None, "10k": reference_database_url()}
    pages = {}
    for database, url in databases.items():
        with _connected(url):
            if url is not None and _dataset_size() != "10k":
                raise RuntimeError(f"{url} does not hold the 10k dataset: run python -m bench.generate --size 10k")
            pages[database] = _flatness_pages(database)
    samples = 3
    times: dict[str, dict[str, list[float]]] = {database: {name: [] for name in pages[size]} for database in databases}
    for _ in range(repeats):
        for database, url in databases.items():
            with _connected(url):
                first_client, first_url = next(iter(pages[database].values()))
                first_client.get(first_url)  # opens the connection
                for name, (client, url_) in pages[database].items():
                    taken = []
                    for _ in range(samples):
                        start = time.perf_counter()
                        response = client.get(url_)
                        taken.append(time.perf_counter() - start)
                        assert response.status_code == 200, (database, url_, response.status_code)
                    times[database][name].append(statistics.median(taken))
    results: dict = {"size": size, "reference": "10k", "runs": repeats, "samples": samples, "pages": {}}
    for name in pages[size]:
        large, small = times[size][name], times["10k"][name]
        ratios = [a / b for a, b in zip(large, small, strict=True)]
        figures = {
            "ratio": round(statistics.median(ratios), 3),
            "ratio_min": round(min(ratios), 3),
            "ratio_max": round(max(ratios), 3),
            "median_ms": {
                size: round(statistics.median(large) * 1000, 1),
                "10k": round(statistics.median(small) * 1000, 1),
            },
        }
        page, _dot, which = name.partition(".")
        if which:
            results["pages"].setdefault(page, {})[which] = figures
        else:
            results["pages"][page] = figures
    return results


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
    "mixed_load": bench_mixed_load,
    "dashboards": lambda repeats, seconds: bench_dashboards(repeats),
    "aggregates": lambda repeats, seconds: bench_aggregates(repeats),
    "flatness": lambda repeats, seconds: bench_flatness(repeats),
    "reports": lambda repeats, seconds: bench_reports(repeats),
    "democratization": lambda repeats, seconds: _democratization(repeats),
    "public_safety": lambda repeats, seconds: _public_safety(repeats),
    "human_rights": lambda repeats, seconds: _human_rights(repeats),
}


def _democratization(repeats: int) -> dict:
    from bench.democratization import bench_democratization

    return bench_democratization(repeats)


def _human_rights(repeats: int) -> dict:
    from bench.human_rights import bench_human_rights

    return bench_human_rights(repeats)


def _public_safety(repeats: int) -> dict:
    from bench.public_safety import bench_public_safety

    return bench_public_safety(repeats)


def summaries_built() -> None:
    """Rebuild the summary tables (and their live counts) before anything is measured, as the nightly
    rebuild keeps them in production. With tasks in-process, as here, a page would otherwise rebuild
    summaries that were never built or are a day old itself, inside a request: minutes at 1m."""
    from mission.dashboards.services import summaries_refresh

    summaries_refresh()


def run_all(size: str, *, repeats: int, seconds: float, only: list[str] | None = None) -> dict:
    """Every benchmark (or those named in `only`), with each goal marked pass or miss."""
    names = only or list(BENCHMARKS)
    summaries_built()
    results = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "size": size,
        "machine": machine(),
        "benchmarks": {name: BENCHMARKS[name](repeats, seconds) for name in names},
    }
    results["goals"] = check_goals(results)
    return results


def check_goals(results: dict) -> list[dict]:
    """Each goal of the run's size that the run measured, with its value and verdict; each benchmark
    with goals gets `pass` (all of its goals met)."""
    checked = []
    for goal in GOALS:
        benchmark = results["benchmarks"].get(goal.benchmark)
        if benchmark is None or not goal.applies(results["size"]):
            continue
        value = goal.value(results)
        if value is None:
            continue
        met = goal.met(value)
        checked.append(
            {"label": goal.label, "benchmark": goal.benchmark, "key": goal.key, "goal": goal.text()}
            | {"value": value, "pass": met}
        )
        benchmark["pass"] = benchmark.get("pass", True) and met
    return checked


def save(results: dict) -> Path:
    """Kept under its date and time, so that the results before a change stay beside the ones after."""
    RESULTS.mkdir(exist_ok=True)
    stamp = results["date"][:16].replace(":", "")
    path = RESULTS / f"{stamp}-{results['size']}.json"
    path.write_text(json.dumps(results, indent=2) + "\n")
    return path


def _all_results() -> list[dict]:
    return sorted((json.loads(path.read_text()) for path in RESULTS.glob("*.json")), key=lambda r: r["date"])


def latest_by_size() -> dict[str, dict]:
    latest: dict[str, dict] = {}
    for data in _all_results():
        latest[data["size"]] = data
    return latest


def previous_by_size() -> dict[str, dict]:
    """For each size, the latest result dated before the latest of that size (what it changed from)."""
    by_size: dict[str, list[dict]] = {}
    for data in _all_results():
        by_size.setdefault(data["size"], []).append(data)
    return {size: runs[-2] for size, runs in by_size.items() if len(runs) > 1 and runs[-2]["date"] < runs[-1]["date"]}
