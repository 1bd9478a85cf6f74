"""Security & Public Safety at scale: its dataset and its benchmark (bench/departments.py).

The dataset (`generate_public_safety(size)`, called by `bench.generate`): as many records as the size
names, half hate-crime incidents (0–2 victims each, the police's response for most of those reported)
and half trainings (3–12 trainees each, with their scores and evaluations), over the last two years,
in every municipality by population, in every review state (75 % approved); and what does not grow with
the size: two forums in every municipality meeting about monthly for two years with their attendance and
issues, six years of women-in-police figures, and the action plans' actions with their status.

The benchmark (`bench_public_safety`): the hate crimes' and the trainings' lists (first page and a page
90 % deep), the review queue, the action plans, the women-in-police figures, the dashboard (kept and
rendered) and the hate crimes' API list, each against the same on the 10k dataset above 10k, and the API
list against the lean baseline returning the same bytes.
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

SEED = 20261203  # raise when the generated data changes
LABEL = "public_safety"
STEPS = (("recorded", 0.7), ("indicators", 0.5), ("investigation", 0.45), ("charged", 0.2), ("judgment", 0.05))


def public_safety_users() -> dict[str, Any]:
    from mission.accounts.roles import Department

    return department_users("ps", Department.PUBLIC_SAFETY)


def generate_public_safety(size: str, records: int) -> dict[str, Any]:
    """Load the department's dataset of `records` records (skipped when that size and seed are there)."""
    from django.db import connection, transaction

    from bench.generate import _reset_sequence, copy_rows
    from field_offices.models import Community, Institution
    from mission.api.disclosure import KEY_RANGE
    from mission.encryption import encrypt
    from mission.records.shapes import AgeBand
    from public_safety.models import (
        BiasMotivation,
        HateCrimeIncident,
        HateCrimeKind,
        HateCrimeStep,
        Rank,
        Trainee,
        Training,
        TrainingTopic,
        Victim,
    )

    users = public_safety_users()
    if loaded(size, LABEL, SEED):
        return {"department": LABEL, "skipped": True}
    if HateCrimeIncident.objects.exists() or Training.objects.exists():
        raise SystemExit("The database holds other Security & Public Safety records; use an empty database.")
    started = time.perf_counter()
    generated = RecordRows(users, random.Random(SEED), random.Random(SEED + 1))  # noqa: S311  # no secret
    rng, keys = generated.rng, generated.keys
    communities = list(Community.objects.values_list("pk", flat=True))
    biases = list(BiasMotivation.objects.values_list("pk", flat=True))
    topics = list(TrainingTopic.objects.values_list("pk", flat=True))
    agencies = list(Institution.objects.filter(kind="police_security").concerning(LABEL).values_list("pk", flat=True))
    kinds, bands, ranks = [k.value for k in HateCrimeKind], [b.value for b in AgeBand], [r.value for r in Rank]
    sexes = ["female", "male"]
    counts = {"incidents": records // 2, "trainings": records - records // 2}
    with transaction.atomic():
        victims: list[tuple] = []
        steps: list[tuple] = []
        ids = {"victim": 0, "step": 0, "trainee": 0}

        def incident_rows(victims: list[tuple]):
            for pk in range(1, counts["incidents"] + 1):
                row, day = generated.common(pk)
                reported = rng.random() < 0.75
                row += [reported, "Generated incident.", rng.choice(kinds), rng.choice(biases)]
                for ordinal in range(1, rng.randint(0, 2) + 1):
                    ids["victim"] += 1
                    at = row[1]
                    victims.append(
                        (
                            ids["victim"],
                            at,
                            at,
                            ordinal,
                            encrypt(f"Bench Victim {ids['victim']}"),
                            rng.choice(sexes),
                            rng.choice(communities),
                            keys.randrange(KEY_RANGE),
                            pk,
                            rng.choice(bands),
                        )
                    )
                if reported:
                    after = 0
                    for step, chance in STEPS:
                        if rng.random() >= chance:
                            break
                        after += rng.randrange(1, 40)
                        ids["step"] += 1
                        steps.append(
                            (
                                ids["step"],
                                row[1],
                                row[1],
                                min(day + datetime.timedelta(days=after), generated.today),
                                "",
                                pk,
                                step,
                            )
                        )
                yield tuple(row)

        columns = [*record_columns("monitor_id"), "reported_to_police", "description", "kind", "bias_motivation_id"]
        victim_columns = [
            "id",
            "created_at",
            "updated_at",
            "ordinal",
            "name",
            "sex",
            "community_id",
            "record_key",
            "incident_id",
            "age_band",
        ]
        counts["victims"] = copy_in_batches(
            HateCrimeIncident, columns, incident_rows(victims), Victim, victim_columns, victims
        )
        copy_rows(HateCrimeStep, ["id", "created_at", "updated_at", "date", "note", "incident_id", "step"], iter(steps))
        counts["response_steps"] = len(steps)

        def training_rows(trainees: list[tuple]):
            for pk in range(1, counts["trainings"] + 1):
                row, _day = generated.common(pk)
                agency = rng.choice(agencies)
                row += [None, "Generated course", "Academy", "", rng.choice(topics), agency, "", "Trainers"]
                for ordinal in range(1, rng.randint(3, 12) + 1):
                    ids["trainee"] += 1
                    before = rng.randint(20, 80)
                    after = None if rng.random() < 0.1 else min(100, before + rng.randint(-5, 35))
                    trainees.append(
                        (
                            ids["trainee"],
                            row[1],
                            row[1],
                            ordinal,
                            encrypt(f"Bench Trainee {ids['trainee']}"),
                            rng.choice(sexes),
                            rng.choice(communities),
                            keys.randrange(KEY_RANGE),
                            rng.choice(bands),
                            pk,
                            rng.choice(ranks),
                            agency,
                            before,
                            after,
                            None if after is None else after - before,
                            rng.randint(1, 5),
                        )
                    )
                yield tuple(row)

        training_columns = [
            *record_columns("organiser_id"),
            "end_date",
            "title",
            "partner_institution",
            "description",
            "topic_id",
            "agency_id",
            "unit",
            "trainers",
        ]
        trainee_columns = [
            "id",
            "created_at",
            "updated_at",
            "ordinal",
            "name",
            "sex",
            "community_id",
            "record_key",
            "age_band",
            "training_id",
            "rank",
            "agency_id",
            "pre_score",
            "post_score",
            "gain",
            "satisfaction",
        ]
        batch: list[tuple] = []
        counts["trainees"] = copy_in_batches(
            Training, training_columns, training_rows(batch), Trainee, trainee_columns, batch
        )
        for model in (HateCrimeIncident, Victim, HateCrimeStep, Training, Trainee):
            _reset_sequence(model)
        counts |= _fixed(users)
        mark_loaded(size, LABEL, SEED, records)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"department": LABEL, "seconds": round(time.perf_counter() - started, 1), **counts}


def _fixed(users: dict[str, Any]) -> dict[str, int]:
    """What does not grow with the size: forums and their meetings, women-in-police figures, actions."""
    from field_offices.models import Community, Institution, Municipality, Region
    from public_safety.models import (
        ActionItem,
        ActionStatusEntry,
        Attendance,
        ForumIssue,
        ForumKind,
        ForumMeeting,
        IssueCategory,
        ManagementLevel,
        PoliceStaffFigure,
        Rank,
        SafetyForum,
        Strategy,
    )

    rng = random.Random(SEED + 2)  # noqa: S311  # a fixed dataset, no secret
    today = datetime.date.today()
    now = datetime.datetime.now(datetime.UTC)
    communities = list(Community.objects.all())
    forums = []
    for municipality in Municipality.objects.select_related("region"):
        for n in (1, 2):
            forums.append(
                SafetyForum(
                    code=f"BENCH-{municipality.code}-{n}",
                    kind=ForumKind.LPSC if n == 2 else ForumKind.MCSC,
                    municipality=municipality,
                    name_en=f"Forum {n} of {municipality.name_en}",
                    name_sq=f"Forumi {n}, {municipality.name_sq}",
                    name_sr=f"Forum {n}, {municipality.name_sr}",
                )
            )
    SafetyForum.objects.bulk_create(forums)
    meetings = []
    for forum in SafetyForum.objects.select_related("municipality__region"):
        region = forum.municipality.region.code
        every = rng.choice((30, 45, 90))
        for k in range(730 // every):
            meetings.append(
                ForumMeeting(
                    forum=forum,
                    municipality=forum.municipality,
                    date=today - datetime.timedelta(days=every * k + rng.randrange(5)),
                    title="Generated meeting",
                    police=rng.choice(("present", "present", "absent")),
                    organiser=users[f"monitor.{region}"],
                    status="approved",
                    reviewed_by=users[f"supervisor.{region}"],
                    reviewed_at=now,
                    submitted_at=now,
                )
            )
    ForumMeeting.objects.bulk_create(meetings, batch_size=2000)
    attendance, issues = [], []
    for meeting in ForumMeeting.objects.all():
        for community in rng.sample(communities, 2):
            attendance.append(
                Attendance(meeting=meeting, community=community, women=rng.randint(0, 6), men=rng.randint(1, 12))
            )
        for _ in range(rng.randint(0, 3)):
            follow_up = rng.choice(("open", "in_progress", "resolved", "not_resolved"))
            issues.append(
                ForumIssue(
                    meeting=meeting,
                    category=rng.choice([c.value for c in IssueCategory]),
                    issue="Generated issue.",
                    action="Generated action.",
                    deadline=meeting.date + datetime.timedelta(days=30),
                    follow_up=follow_up,
                    resolved=int(follow_up == "resolved"),
                )
            )
    Attendance.objects.bulk_create(attendance, batch_size=5000)
    ForumIssue.objects.bulk_create(issues, batch_size=5000)
    figures = [
        PoliceStaffFigure(
            year=year,
            region=region,
            rank=rank,
            level=level,
            women=rng.randint(5, 200),
            men=rng.randint(100, 1500),
        )
        for year in range(today.year - 6, today.year)
        for region in Region.objects.all()
        for rank, level in (
            (Rank.OFFICER, ManagementLevel.NONE),
            (Rank.SERGEANT, ManagementLevel.FIRST_LINE),
            (Rank.LIEUTENANT, ManagementLevel.MIDDLE),
            (Rank.CAPTAIN, ManagementLevel.MIDDLE),
            (Rank.MAJOR, ManagementLevel.SENIOR),
        )
    ]
    PoliceStaffFigure.objects.bulk_create(figures)
    institutions = list(Institution.objects.concerning(LABEL))
    actions = [
        ActionItem(
            strategy=strategy,
            objective=objective,
            number=number,
            text="Generated action.",
            responsible=rng.choice(institutions),
            deadline=datetime.date(strategy.first_year + 1, 12, 31),
            created_by=users["head"],
        )
        for strategy in Strategy.objects.all()
        for objective in (1, 2, 3)
        for number in (1, 2, 3, 4)
    ]
    ActionItem.objects.bulk_create(actions)
    entry_model: Any = ActionStatusEntry  # made by the kit (`status_entries`)
    entries = []
    for item in ActionItem.objects.select_related("strategy"):
        status = rng.choice(("not_started", "in_progress", "completed"))
        day = min(datetime.date(item.strategy.first_year + 1, 6, 1), today)
        entries.append(entry_model(item=item, date=day, status=status, recorded_by=users["head"]))
        item.current_status, item.status_date = status, day
        item.save(update_fields=["current_status", "status_date"])
    entry_model._default_manager.bulk_create(entries)
    return {"forum_meetings": len(meetings), "women_in_police_rows": len(figures), "actions": len(actions)}


# --- The benchmark ---------------------------------------------------------------------------------
def _pages() -> dict[str, tuple[Any, str]]:
    """page → (client, url) on the connected database: the two growing lists' first and deep page, the
    review queue (a supervisor), the action plans, the women-in-police figures, the dashboard (the
    head) and the API list (a partner)."""
    from django.urls import reverse

    from bench.departments import _config
    from bench.run import _client
    from public_safety.models import HateCrimeIncident

    incidents, trainings = _config(LABEL).records[:2]
    lists = {"incidents": incidents, "trainings": trainings}
    pages = record_pages(LABEL, lists, "bench.ps.head", "bench.ps.supervisor.pri")
    head = _client("bench.ps.head")
    pages["action_plans.first"] = (head, reverse("public_safety:actionitem_list"))
    pages["women_in_police.first"] = (head, reverse("public_safety:policestafffigure_list"))
    return pages | api_pages("/api/v1/hate-crimes/", "hate_crimes", HateCrimeIncident)


def _incidents() -> Any:
    from public_safety.models import HateCrimeIncident

    return HateCrimeIncident


BENCH = DepartmentBench(LABEL, SEED, _pages, "/api/v1/hate-crimes/", "hate_crimes", _incidents)


def bench_public_safety(repeats: int) -> dict[str, Any]:
    """The department's pages and API list (`bench.departments.bench_department`)."""
    return bench_department(BENCH, repeats)
