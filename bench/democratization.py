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
import time
from typing import Any

from bench.departments import (
    DepartmentBench,
    RecordRows,
    api_pages,
    bench_department,
    copy_in_batches,
    department_users,
    loaded,
    mark_loaded,
    record_columns,
    record_pages,
)

SEED = 20261202  # raise when the generated data changes


def democratization_users() -> dict[str, Any]:
    """The department's staff the data belongs to and the benchmark signs in as (created once)."""
    from mission.accounts.roles import Department

    return department_users("dem", Department.DEMOCRATIZATION)


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
    from field_offices.models import Community
    from mission.api.disclosure import KEY_RANGE
    from mission.encryption import encrypt
    from mission.records.shapes import AgeBand

    users = democratization_users()
    if loaded(size, "democratization", SEED):
        return {"department": "democratization", "skipped": True}
    from democratization.models import GovernanceAssessment, Recommendation

    if any(
        m.objects.exists() for m in (JournalistIncident, ParticipationActivity, GovernanceAssessment, Recommendation)
    ):
        raise SystemExit("The database holds other Democratization records; use an empty database.")
    started = time.perf_counter()
    generated = RecordRows(users, random.Random(SEED), random.Random(SEED + 1))  # noqa: S311  # no secret
    rng, keys = generated.rng, generated.keys
    communities = list(Community.objects.values_list("pk", flat=True))
    outlets = [(pk, kind) for pk, kind in MediaOutlet.objects.values_list("pk", "media_type")]
    kinds, perpetrators = [k.value for k in IncidentKind], [p.value for p in PerpetratorType]
    activity_kinds = [k.value for k in ActivityKind]
    roles, bands, sexes = [r.value for r in ParticipantRole], [b.value for b in AgeBand], ["female", "male"]
    today = generated.today
    empty = encrypt("")
    counts = {"incidents": records // 2, "activities": records - records // 2}

    with transaction.atomic():
        journalists: list[tuple] = []
        steps: list[tuple] = []  # filled as the incidents are written, then written after them
        journalist_id, step_id = [0], [0]

        def incident_rows():
            for pk in range(1, counts["incidents"] + 1):
                row, day = generated.common(pk)
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
                row, _day = generated.common(pk)
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
        batch: list[tuple] = []
        written = copy_in_batches(
            ParticipationActivity, activity_columns, activity_rows(batch), Participant, participant_columns, batch
        )
        counts["participants"] = written
        for model in (JournalistIncident, Journalist, ResponseStep, ParticipationActivity, Participant):
            _reset_sequence(model)
        counts |= _governance_and_recommendations(users)
        mark_loaded(size, "democratization", SEED, records)
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
def _pages() -> dict[str, tuple[Any, str]]:
    """page → (client, url) on the connected database: each list's first and deep page, the review
    queue (a supervisor), the recommendations, the dashboard (the head), the API list (a partner)."""
    from django.urls import reverse

    from bench.departments import _config
    from bench.run import _client
    from democratization.models import JournalistIncident

    incidents, activities = _config("democratization").records[:2]
    lists = {"incidents": incidents, "activities": activities}
    pages = record_pages("democratization", lists, "bench.dem.head", "bench.dem.supervisor.pri")
    pages["recommendations.first"] = (_client("bench.dem.head"), reverse("democratization:recommendation_list"))
    return pages | api_pages("/api/v1/journalist-safety/", "journalist_safety", JournalistIncident)


def _incidents() -> Any:
    from democratization.models import JournalistIncident

    return JournalistIncident


BENCH = DepartmentBench("democratization", SEED, _pages, "/api/v1/journalist-safety/", "journalist_safety", _incidents)


def bench_democratization(repeats: int) -> dict[str, Any]:
    """The department's pages and API list (`bench.departments.bench_department`)."""
    return bench_department(BENCH, repeats)
