"""Democratization at scale: its dataset and its benchmark.

The dataset (`generate_democratization(size)`, called by `bench.generate`): as many records as the
size names, half journalists' safety incidents (1–2 journalists each, the police's and the mission's
response for most of those reported) and half participation activities (2–6 participants each), over
the last two years, in every municipality by population, in every review state (75 % approved); a
governance assessment of every municipality for each of the last four years and the election
recommendations of the reference list's reports with their status histories, the same at every size.

The benchmark (`bench_democratization`): the department's pages people open all day (the lists'
first page and a page 90 % deep through the cursor a Next link carries, the review queue, the
recommendations, the dashboard) and its API list (first and deep page), server time in-process and
query count; on a size above 10k, each against the same page on the 10k dataset, alternating the two
databases within the run, as the flatness benchmark does for trial monitoring.
"""

from __future__ import annotations

import datetime
import random
import statistics
import time
from typing import Any

SEED = 20261202  # raise when the generated data changes
PASSWORD = "bench-password-123"
PAGES_PER_LIST = ("first", "deep")


def _marker_table(cursor: Any) -> None:
    cursor.execute(
        "CREATE TABLE IF NOT EXISTS bench_department_dataset (size text, department text, seed bigint, "
        "records bigint, loaded_at timestamptz DEFAULT now())"
    )


def _loaded(size: str) -> bool:
    from django.db import connection

    with connection.cursor() as cursor:
        _marker_table(cursor)
        cursor.execute(
            "SELECT 1 FROM bench_department_dataset WHERE size = %s AND department = 'democratization' AND seed = %s",
            [size, SEED],
        )
        return cursor.fetchone() is not None


def democratization_users() -> dict[str, Any]:
    """The department's staff the data belongs to and the benchmark signs in as (created once)."""
    from field_offices.models import Region
    from mission.accounts.models import User
    from mission.accounts.roles import Department, Role
    from mission.accounts.services import user_create

    def get(username: str, **fields: Any) -> Any:
        return User.objects.filter(username=username).first() or user_create(username=username, **fields)

    dem = Department.DEMOCRATIZATION
    users = {"head": get("bench.dem.head", role=Role.DEPARTMENT_HEAD, department=dem, password=PASSWORD)}
    for region in Region.objects.all():
        code = region.code.lower()
        users[f"monitor.{region.code}"] = get(
            f"bench.dem.monitor.{code}", role=Role.MONITOR, department=dem, region=region, password=PASSWORD
        )
        users[f"supervisor.{region.code}"] = get(
            f"bench.dem.supervisor.{code}", role=Role.SUPERVISOR, department=dem, region=region, password=PASSWORD
        )
    return users


def _status(rng: random.Random) -> str:
    roll = rng.random()
    return "approved" if roll < 0.75 else "submitted" if roll < 0.83 else "returned" if roll < 0.87 else "draft"


def generate_democratization(size: str, records: int) -> dict[str, Any]:
    """Load the department's dataset of `records` records (skipped when that size and seed are there)."""
    from django.db import connection, transaction

    from bench.generate import _reset_sequence, copy_rows
    from democratization.models import (
        ActivityKind,
        IncidentKind,
        Journalist,
        JournalistIncident,
        MediaOutlet,
        Participant,
        ParticipantRole,
        ParticipationActivity,
        PerpetratorType,
        ResponseStep,
    )
    from field_offices.models import Community, Municipality
    from mission.api.disclosure import KEY_RANGE
    from mission.encryption import encrypt
    from mission.records.shapes import AgeBand

    users = democratization_users()
    if _loaded(size):
        return {"department": "democratization", "skipped": True}
    from democratization.models import GovernanceAssessment, Recommendation

    if any(
        m.objects.exists() for m in (JournalistIncident, ParticipationActivity, GovernanceAssessment, Recommendation)
    ):
        raise SystemExit("The database holds other Democratization records; use an empty database.")
    started = time.perf_counter()
    rng, keys = random.Random(SEED), random.Random(SEED + 1)  # noqa: S311  # a fixed dataset, no secret
    places = list(Municipality.objects.values_list("pk", "region__code", "population"))
    weights = [population or 5_000 for _pk, _region, population in places]
    communities = list(Community.objects.values_list("pk", flat=True))
    outlets = [(pk, kind) for pk, kind in MediaOutlet.objects.values_list("pk", "media_type")]
    kinds, perpetrators = [k.value for k in IncidentKind], [p.value for p in PerpetratorType]
    activity_kinds = [k.value for k in ActivityKind]
    roles, bands, sexes = [r.value for r in ParticipantRole], [b.value for b in AgeBand], ["female", "male"]
    today = datetime.date.today()
    now = datetime.datetime.now(datetime.UTC)
    empty = encrypt("")
    counts = {"incidents": records // 2, "activities": records - records // 2}

    def record_columns(author: str) -> list[str]:
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

    def common(pk: int) -> tuple[list[Any], str, datetime.date, int]:
        place, region, _pop = rng.choices(places, weights)[0]
        day = today - datetime.timedelta(days=rng.randrange(730))
        status = _status(rng)
        at = datetime.datetime.combine(day, datetime.time(12), datetime.UTC) + datetime.timedelta(days=2)
        at = min(at, now)
        reviewed = status in ("approved", "returned")
        supervisor = users[f"supervisor.{region}"].pk
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
            users[f"monitor.{region}"].pk,
            keys.randrange(KEY_RANGE),
        ]
        return row, status, day, place

    with transaction.atomic():
        journalists: list[tuple] = []
        steps: list[tuple] = []  # filled as the incidents are written, then written after them
        journalist_id, step_id = [0], [0]

        def incident_rows():
            for pk in range(1, counts["incidents"] + 1):
                row, _status, day, _place = common(pk)
                reported = rng.random() < 0.7
                row += [reported, "Generated incident.", rng.choice(kinds), rng.choice(perpetrators)]
                for ordinal in range(1, 2 + (rng.random() < 0.3)):
                    journalist_id[0] += 1
                    outlet = rng.choice(outlets) if rng.random() < 0.85 else (None, "freelance")
                    journalists.append(
                        (
                            journalist_id[0],
                            row[1],
                            row[1],
                            ordinal,
                            encrypt(f"Bench Journalist {journalist_id[0]}"),
                            rng.choice(sexes),
                            rng.choice(communities),
                            keys.randrange(KEY_RANGE),
                            pk,
                            outlet[0],
                            empty,
                            outlet[1],
                        )
                    )
                if reported:
                    for step, chance in (("police_case", 0.6), ("suspect_identified", 0.3), ("mission_statement", 0.2)):
                        if rng.random() < chance:
                            step_id[0] += 1
                            when = min(day + datetime.timedelta(days=rng.randrange(1, 60)), today)
                            steps.append((step_id[0], row[1], row[1], when, "", pk, step))
                yield tuple(row)

        columns = [*record_columns("monitor_id"), "reported_to_police", "description", "kind", "perpetrator_type"]
        copy_rows(JournalistIncident, columns, incident_rows())
        journalist_columns = [
            "id",
            "created_at",
            "updated_at",
            "ordinal",
            "name",
            "sex",
            "community_id",
            "record_key",
            "incident_id",
            "outlet_id",
            "outlet_other",
            "media_type",
        ]
        copy_rows(Journalist, journalist_columns, iter(journalists))
        step_columns = ["id", "created_at", "updated_at", "date", "note", "incident_id", "step"]
        copy_rows(ResponseStep, step_columns, iter(steps))
        counts["journalists"], counts["response_steps"] = len(journalists), len(steps)

        participant_id = [0]
        participant_columns = [
            "id",
            "created_at",
            "updated_at",
            "ordinal",
            "name",
            "sex",
            "community_id",
            "record_key",
            "age_band",
            "activity_id",
            "role",
            "outcome",
        ]

        def activity_rows(participants: list[tuple]):
            for pk in range(1, counts["activities"] + 1):
                row, _status, _day, _place = common(pk)
                row += [None, "Generated activity", "Municipal assembly", "", rng.choice(activity_kinds)]
                for ordinal in range(1, rng.randint(2, 6) + 1):
                    participant_id[0] += 1
                    participants.append(
                        (
                            participant_id[0],
                            row[1],
                            row[1],
                            ordinal,
                            encrypt(f"Bench Participant {participant_id[0]}"),
                            rng.choice(sexes),
                            rng.choice(communities),
                            keys.randrange(KEY_RANGE),
                            rng.choice(bands),
                            pk,
                            rng.choice(roles),
                            "",
                        )
                    )
                yield tuple(row)

        activity_columns = [
            *record_columns("organiser_id"),
            "end_date",
            "title",
            "partner_institution",
            "description",
            "kind",
        ]
        # Participants in batches, so that a million activities' rows never sit in memory at once.
        batch: list[tuple] = []
        written = 0
        rows = activity_rows(batch)
        while True:
            chunk = []
            for row in rows:
                chunk.append(row)
                if len(chunk) >= 50_000:
                    break
            if not chunk:
                break
            copy_rows(ParticipationActivity, activity_columns, iter(chunk))
            written += copy_rows(Participant, participant_columns, iter(batch))
            batch.clear()
        counts["participants"] = written
        for model in (JournalistIncident, Journalist, ResponseStep, ParticipationActivity, Participant):
            _reset_sequence(model)
        counts |= _governance_and_recommendations(users)
        with connection.cursor() as cursor:
            _marker_table(cursor)
            cursor.execute(
                "INSERT INTO bench_department_dataset (size, department, seed, records) "
                "VALUES (%s, 'democratization', %s, %s)",
                [size, SEED, records],
            )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"department": "democratization", "seconds": round(time.perf_counter() - started, 1), **counts}


def _governance_and_recommendations(users: dict[str, Any]) -> dict[str, int]:
    """What does not grow with the size: an approved assessment of every municipality for each of the
    last four years, and 15 recommendations of each report of the reference list with their status."""
    from democratization.models import (
        ElectionArea,
        GovernanceAssessment,
        Recommendation,
        RecommendationSource,
        RecommendationStatusEntry,
    )
    from field_offices.models import Institution, Municipality

    rng = random.Random(SEED + 2)  # noqa: S311  # a fixed dataset, no secret
    year = datetime.date.today().year - 1
    now = datetime.datetime.now(datetime.UTC)
    assessments = []
    for municipality in Municipality.objects.select_related("region"):
        for back in range(4):
            assessments.append(
                GovernanceAssessment(
                    municipality=municipality,
                    year=year - back,
                    assessed_on=min(datetime.date(year - back + 1, 3, 1), datetime.date.today()),
                    budget_execution=round(rng.uniform(55, 98), 1),
                    own_source_revenue=round(rng.uniform(10, 45), 1),
                    audit_opinion=rng.choice(["unmodified", "qualified", "adverse"]),
                    women_senior_posts=round(rng.uniform(10, 50), 1),
                    non_majority_senior_posts=round(rng.uniform(0, 30), 1),
                    public_meetings_held=rng.randint(0, 6),
                    public_meetings_required=2,
                    budget_hearings_held=rng.randint(0, 4),
                    decisions_published=round(rng.uniform(30, 100), 1),
                    assessor=users[f"monitor.{municipality.region.code}"],
                    status="approved",
                    reviewed_by=users[f"supervisor.{municipality.region.code}"],
                    reviewed_at=now,
                    submitted_at=now,
                )
            )
    GovernanceAssessment.objects.bulk_create(assessments)
    addressees = list(Institution.objects.concerning("democratization"))
    head = users["head"]
    items, entries = [], []
    for source in RecommendationSource.objects.all():
        for number in range(1, 16):
            items.append(
                Recommendation(
                    source=source,
                    number=number,
                    priority=rng.choice(["priority", "other"]),
                    area=rng.choice([a.value for a in ElectionArea]),
                    addressee=rng.choice(addressees),
                    text=f"Generated recommendation {number}.",
                    created_by=head,
                )
            )
    Recommendation.objects.bulk_create(items)
    entry_model: Any = RecommendationStatusEntry  # made by the kit (`status_entries`)
    for item in Recommendation.objects.select_related("source"):
        status = ""
        for step in range(rng.randint(0, 3)):
            status = rng.choice(["not_addressed", "partially", "fully"])
            day = min(datetime.date(item.source.year + 1 + step, 6, 1), datetime.date.today())
            entries.append(entry_model(item=item, date=day, status=status, recorded_by=head))
        if status:
            item.current_status, item.status_date = status, entries[-1].date
            item.save(update_fields=["current_status", "status_date"])
    entry_model._default_manager.bulk_create(entries)
    return {"assessments": len(assessments), "recommendations": len(items)}


# --- The benchmark ---------------------------------------------------------------------------------
def _config() -> Any:
    from mission import departments

    return next(c for c in departments.all() if c.label == "democratization")


def _list_rows(record_type: Any, username: str, *, queue: bool) -> Any:
    """A list's rows in the order its page shows them, for its reader."""
    from mission.accounts.models import User
    from mission.records import forms as record_forms
    from mission.records.views import RecordPages
    from mission.review import selectors as review_selectors

    user = User.objects.get(username=username)
    pages = RecordPages(record_type, "democratization")
    rows = pages.visible(user)
    if queue:
        rows = review_selectors.review_queue(queryset=rows, user=user)
    data = {"sort": "oldest"} if queue else None
    return record_forms.filterset_class(record_type)(data, queryset=rows, readable=True).qs


def _deep(record_type: Any, username: str, *, queue: bool = False) -> str:
    from bench.run import deep_index
    from mission.pagination import cursor_after

    rows = _list_rows(record_type, username, queue=queue)
    cursor = cursor_after(rows, deep_index(rows.count()))
    return f"?cursor={cursor}" if cursor else ""


def _pages() -> dict[str, tuple[Any, str]]:
    """page → (client, url) on the connected database: each list's first and deep page, the review
    queue (a supervisor), the recommendations, the dashboard (the head), the API list (a partner)."""
    from django.db.models import Max
    from django.test import Client
    from django.urls import reverse

    from bench.run import _client
    from democratization.models import JournalistIncident
    from mission.accounts.models import User
    from mission.api.identifiers import for_owner
    from mission.api.services import token_issue

    incidents, activities = _config().records[0], _config().records[1]
    head, supervisor = _client("bench.dem.head"), _client("bench.dem.supervisor.pri")
    pages: dict[str, tuple[Any, str]] = {}
    for name, record_type in (("incidents", incidents), ("activities", activities)):
        url = reverse(f"democratization:{record_type.url_name('list')}")
        pages[f"{name}.first"] = (head, url)
        pages[f"{name}.deep"] = (head, url + _deep(record_type, "bench.dem.head"))
    queue = reverse(f"democratization:{incidents.url_name('queue')}")
    pages["review_queue.first"] = (supervisor, queue)
    pages["review_queue.deep"] = (supervisor, queue + _deep(incidents, "bench.dem.supervisor.pri", queue=True))
    pages["recommendations.first"] = (head, reverse("democratization:recommendation_list"))
    pages["dashboard"] = (head, reverse("democratization:dashboard"))
    # The same, rendered: a parameter the page ignores makes each request miss the kept figures.
    pages["dashboard.rendered"] = (head, reverse("democratization:dashboard") + "?nonce={n}")
    partner = User.objects.get(username="bench.partner")
    _token, key = token_issue(actor=None, user=partner, name="bench democratization", scopes=["journalist_safety"])  # type: ignore[arg-type]  # no administrator here
    api = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    top = JournalistIncident.objects.filter(status="approved").aggregate(m=Max("id"))["m"] or 0
    deep = for_owner(partner.pk).encode("democratization.journalistincident", int(top * 0.9))
    pages["api.first"] = (api, "/api/v1/journalist-safety/?page_size=100")
    pages["api.deep"] = (api, f"/api/v1/journalist-safety/?page_size=100&cursor={deep}")
    return pages


_nonce = [0]


def _measure(pages: dict[str, tuple[Any, str]], samples: int) -> dict[str, tuple[float, int]]:
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


def bench_democratization(repeats: int) -> dict[str, Any]:
    """Server time and queries of the department's pages and API list; above 10k, each ÷ the same on
    the 10k dataset, alternating the two databases in the run; and the API list against the lean
    baseline returning the same bytes (bench/baseline_app.py), as trial monitoring's."""
    from django.db import connection

    from bench.run import _connected, _dataset_size, reference_database_url
    from mission.dashboards.services import summaries_refresh

    size = _dataset_size() or "?"
    databases: dict[str, str | None] = {size: None}
    if size != "10k":
        databases["10k"] = reference_database_url()
    pages = {}
    for database, url in databases.items():
        with _connected(url):
            if not _loaded(_dataset_size() or ""):
                raise RuntimeError(f"the {database} database holds no Democratization dataset: run bench.generate")
            summaries_refresh(names=["records.democratization"])
            with connection.cursor() as cursor:  # rebuilt whole: its dead rows gone, as autovacuum does
                cursor.execute("VACUUM ANALYZE dashboards_recordcount")
            pages[database] = _pages()
    samples = 9  # a median of three let one slow request decide a ratio (it swung 0.8–2.0)
    times: dict[str, dict[str, list[float]]] = {d: {n: [] for n in pages[size]} for d in databases}
    queries: dict[str, dict[str, int]] = {d: {} for d in databases}
    for _ in range(repeats):
        for database, url in databases.items():
            with _connected(url):
                first_client, first_url = next(iter(pages[database].values()))
                first_client.get(first_url)  # opens the connection
                for name, (taken, counted) in _measure(pages[database], samples).items():
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
    from bench.run import api_against_baseline
    from democratization.models import JournalistIncident

    results["api_baseline"] = api_against_baseline(
        "/api/v1/journalist-safety/", "journalist_safety", JournalistIncident, repeats, 10 if repeats > 2 else 3
    )
    return results
