"""What every department's dataset and benchmark share (bench/democratization.py,
bench/public_safety.py): the note that a department's dataset of a size is loaded, its staff, a
generated record's review columns, and the benchmark of its pages and API list, each against the same
page on the 10k dataset (alternating the two databases in one run) and the API list against the lean
baseline returning the same bytes (bench/baseline_app.py)."""

from __future__ import annotations

import datetime
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

PASSWORD = "bench-password-123"


# --- The dataset ---------------------------------------------------------------------------------
def _marker_table(cursor: Any) -> None:
    cursor.execute(
        "CREATE TABLE IF NOT EXISTS bench_department_dataset (size text, department text, seed bigint, "
        "records bigint, loaded_at timestamptz DEFAULT now())"
    )


def loaded(size: str, department: str, seed: int) -> bool:
    """Whether the department's dataset of `size` and `seed` is in the connected database."""
    from django.db import connection

    with connection.cursor() as cursor:
        _marker_table(cursor)
        cursor.execute(
            "SELECT 1 FROM bench_department_dataset WHERE size = %s AND department = %s AND seed = %s",
            [size, department, seed],
        )
        return cursor.fetchone() is not None


def mark_loaded(size: str, department: str, seed: int, records: int) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        _marker_table(cursor)
        cursor.execute(
            "INSERT INTO bench_department_dataset (size, department, seed, records) VALUES (%s, %s, %s, %s)",
            [size, department, seed, records],
        )


def department_users(prefix: str, department: str) -> dict[str, Any]:
    """The department's head, and a monitor and a supervisor per region ("monitor.PRI"), created once
    as `bench.<prefix>.head`, `bench.<prefix>.monitor.pri`…"""
    from field_offices.models import Region
    from mission.accounts.models import User
    from mission.accounts.roles import Role
    from mission.accounts.services import user_create

    def get(username: str, **fields: Any) -> Any:
        return User.objects.filter(username=username).first() or user_create(username=username, **fields)

    users = {"head": get(f"bench.{prefix}.head", role=Role.DEPARTMENT_HEAD, department=department, password=PASSWORD)}
    for region in Region.objects.all():
        code = region.code.lower()
        for role, name in ((Role.MONITOR, "monitor"), (Role.SUPERVISOR, "supervisor")):
            users[f"{name}.{region.code}"] = get(
                f"bench.{prefix}.{name}.{code}", role=role, department=department, region=region, password=PASSWORD
            )
    return users


def record_columns(author: str) -> list[str]:
    """The columns `RecordRows.common` fills, in its order: a reviewed record's, its date and place, its
    author (`author`, the column) and its record key."""
    return [
        "id",
        "created_at",
        "updated_at",
        "version",
        "status",
        "submitted_at",
        "reviewed_by_id",
        "reviewed_at",
        "review_comment",
        "revision",
        "correction_reason",
        "date",
        "municipality_id",
        author,
        "record_key",
    ]


@dataclass
class RecordRows:
    """Generated records over the last two years, in every municipality by population, in every review
    state (75 % approved), each by its region's monitor and reviewed by its supervisor."""

    users: dict[str, Any]
    rng: random.Random
    keys: random.Random  # the record keys' own stream: the rest of the data stays the same with them

    def __post_init__(self) -> None:
        from field_offices.models import Municipality

        self.places = list(Municipality.objects.values_list("pk", "region__code", "population"))
        self.weights = [population or 5_000 for _pk, _region, population in self.places]
        self.today = datetime.date.today()
        self.now = datetime.datetime.now(datetime.UTC)

    def status(self) -> str:
        roll = self.rng.random()
        return "approved" if roll < 0.75 else "submitted" if roll < 0.83 else "returned" if roll < 0.87 else "draft"

    def common(self, pk: int) -> tuple[list[Any], datetime.date]:
        """The columns of `record_columns` for record `pk`, and its date."""
        from mission.api.disclosure import KEY_RANGE

        place, region, _pop = self.rng.choices(self.places, self.weights)[0]
        day = self.today - datetime.timedelta(days=self.rng.randrange(730))
        status = self.status()
        at = min(datetime.datetime.combine(day, datetime.time(12), datetime.UTC) + datetime.timedelta(days=2), self.now)
        reviewed = status in ("approved", "returned")
        supervisor = self.users[f"supervisor.{region}"].pk
        row = [
            pk,
            at,
            at,
            2 if status != "draft" else 1,
            status,
            at if status != "draft" else None,
            supervisor if reviewed else None,
            at if reviewed else None,
            "Please add the police's reference." if status == "returned" else "",
            1,
            "",
            day,
            place,
            self.users[f"monitor.{region}"].pk,
            self.keys.randrange(KEY_RANGE),
        ]
        return row, day


def copy_in_batches(
    model: Any, columns: list[str], rows: Any, part: Any, part_columns: list[str], batch: list[tuple]
) -> int:
    """Write `rows` (records whose generator fills `batch` with their parts' rows) and their parts, 50 000
    records at a time, so that a million records' rows never sit in memory at once. Returns the parts'
    rows written."""
    from bench.generate import copy_rows

    written = 0
    while True:
        chunk = []
        for row in rows:
            chunk.append(row)
            if len(chunk) >= 50_000:
                break
        if not chunk:
            return written
        copy_rows(model, columns, iter(chunk))
        written += copy_rows(part, part_columns, iter(batch))
        batch.clear()


# --- The benchmark -------------------------------------------------------------------------------
def _config(label: str) -> Any:
    from mission import departments

    return next(c for c in departments.all() if c.label == label)


def list_rows(label: str, record_type: Any, username: str, *, queue: bool) -> Any:
    """A list's rows in the order its page shows them, for its reader."""
    from mission.accounts.models import User
    from mission.records import forms as record_forms
    from mission.records.views import RecordPages
    from mission.review import selectors as review_selectors

    user = User.objects.get(username=username)
    rows = RecordPages(record_type, label).visible(user)
    if queue:
        rows = review_selectors.review_queue(queryset=rows, user=user)
    data = {"sort": "oldest"} if queue else None
    return record_forms.filterset_class(record_type)(data, queryset=rows, readable=True).qs


def deep(label: str, record_type: Any, username: str, *, queue: bool = False) -> str:
    """The query string of the page a Next link leads to, 90 % into the list."""
    from bench.run import deep_index
    from mission.pagination import cursor_after

    rows = list_rows(label, record_type, username, queue=queue)
    cursor = cursor_after(rows, deep_index(rows.count()))
    return f"?cursor={cursor}" if cursor else ""


def record_pages(label: str, lists: dict[str, Any], head: str, supervisor: str) -> dict[str, tuple[Any, str]]:
    """page → (client, url): each list's first and deep page (the head), the first list's review queue
    (a supervisor), first and deep, and the dashboard (the head), kept and rendered."""
    from django.urls import reverse

    from bench.run import _client

    head_client, supervisor_client = _client(head), _client(supervisor)
    pages: dict[str, tuple[Any, str]] = {}
    for name, record_type in lists.items():
        url = reverse(f"{label}:{record_type.url_name('list')}")
        pages[f"{name}.first"] = (head_client, url)
        pages[f"{name}.deep"] = (head_client, url + deep(label, record_type, head))
    first = next(iter(lists.values()))
    queue = reverse(f"{label}:{first.url_name('queue')}")
    pages["review_queue.first"] = (supervisor_client, queue)
    pages["review_queue.deep"] = (supervisor_client, queue + deep(label, first, supervisor, queue=True))
    pages["dashboard"] = (head_client, reverse(f"{label}:dashboard"))
    # The same, rendered: a parameter the page ignores makes each request miss the kept figures.
    pages["dashboard.rendered"] = (head_client, reverse(f"{label}:dashboard") + "?nonce={n}")
    return pages


def api_pages(route: str, dataset: str, model: Any) -> dict[str, tuple[Any, str]]:
    """The API list's first page and its page 90 % deep (the partner's own cursor), as a partner."""
    from django.db.models import Max
    from django.test import Client

    from mission.accounts.models import User
    from mission.api.identifiers import for_owner, kind_of
    from mission.api.services import token_issue

    partner = User.objects.get(username="bench.partner")
    _token, key = token_issue(actor=None, user=partner, name=f"bench {dataset}", scopes=[dataset])  # type: ignore[arg-type]  # no administrator here
    api = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    top = model.objects.filter(status="approved").aggregate(m=Max("id"))["m"] or 0
    cursor = for_owner(partner.pk).encode(kind_of(model), int(top * 0.9))
    return {
        "api.first": (api, f"{route}?page_size=100"),
        "api.deep": (api, f"{route}?page_size=100&cursor={cursor}"),
    }


_nonce = [0]


def measure(pages: dict[str, tuple[Any, str]], samples: int) -> dict[str, tuple[float, int]]:
    """Each page's median server time over `samples` requests, and its query count."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    measured = {}
    for name, (client, url) in pages.items():
        taken, queries = [], 0
        for _ in range(samples):
            _nonce[0] += 1
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                response = client.get(url.replace("{n}", str(_nonce[0])))
                taken.append(time.perf_counter() - start)
            assert response.status_code == 200, (url, response.status_code)
            queries = len(captured.captured_queries)
        measured[name] = (statistics.median(taken), queries)
    return measured


@dataclass(frozen=True)
class DepartmentBench:
    """What to measure of one department: its dataset's marker (`label`, `seed`), its pages on the
    connected database (`pages()`), and its API list (`route`, `dataset`, `model`) for the baseline."""

    label: str
    seed: int
    pages: Callable[[], dict[str, tuple[Any, str]]]
    route: str
    dataset: str
    model: Callable[[], Any]


def bench_department(spec: DepartmentBench, repeats: int) -> dict[str, Any]:
    """Server time and queries of the department's pages and API list; above 10k, each ÷ the same on
    the 10k dataset, alternating the two databases in the run; and the API list against the lean
    baseline returning the same bytes (bench/baseline_app.py), as trial monitoring's."""
    from django.db import connection

    from bench.run import _connected, _dataset_size, api_against_baseline, reference_database_url
    from mission.dashboards.services import summaries_refresh

    size = _dataset_size() or "?"
    databases: dict[str, str | None] = {size: None}
    if size != "10k":
        databases["10k"] = reference_database_url()
    pages = {}
    for database, url in databases.items():
        with _connected(url):
            if not loaded(_dataset_size() or "", spec.label, spec.seed):
                raise RuntimeError(f"the {database} database holds no {spec.label} dataset: run bench.generate")
            summaries_refresh(names=[f"records.{spec.label}"])
            with connection.cursor() as cursor:  # rebuilt whole: its dead rows gone, as autovacuum does
                cursor.execute("VACUUM ANALYZE dashboards_recordcount")
            pages[database] = spec.pages()
    samples = 9  # a median of three let one slow request decide a ratio (it swung 0.8–2.0)
    times: dict[str, dict[str, list[float]]] = {d: {n: [] for n in pages[size]} for d in databases}
    queries: dict[str, dict[str, int]] = {d: {} for d in databases}
    for _ in range(repeats):
        for database, url in databases.items():
            with _connected(url):
                first_client, first_url = next(iter(pages[database].values()))
                first_client.get(first_url)  # opens the connection
                for name, (taken, counted) in measure(pages[database], samples).items():
                    times[database][name].append(taken)
                    queries[database][name] = counted
    results: dict[str, Any] = {"size": size, "runs": repeats, "samples": samples, "pages": {}}
    for name in pages[size]:
        large = times[size][name]
        figures: dict[str, Any] = {"median_ms": round(statistics.median(large) * 1000, 1)}
        figures["queries"] = queries[size][name]
        if "10k" in databases and size != "10k":
            small = times["10k"][name]
            ratios = [a / b for a, b in zip(large, small, strict=True)]
            figures |= {
                "ratio": round(statistics.median(ratios), 3),
                "ratio_min": round(min(ratios), 3),
                "ratio_max": round(max(ratios), 3),
                "median_ms_10k": round(statistics.median(small) * 1000, 1),
                "queries_10k": queries["10k"][name],
            }
        page, _dot, which = name.partition(".")
        results["pages"].setdefault(page, {})[which or "page"] = figures
    api = results["pages"]["api"]
    results["api_deep_vs_first"] = round(api["deep"]["median_ms"] / api["first"]["median_ms"], 3)
    lists = [v for page, found in results["pages"].items() if page not in ("api", "dashboard") for v in found.values()]
    if all("ratio" in v for v in lists):
        results["worst_list_ratio"] = max(v["ratio"] for v in lists)
    results["same_queries"] = all(
        v.get("queries_10k", v["queries"]) == v["queries"]
        for found in results["pages"].values()
        for v in found.values()
    )
    results["api_baseline"] = api_against_baseline(
        spec.route, spec.dataset, spec.model(), repeats, 10 if repeats > 2 else 3
    )
    return results
