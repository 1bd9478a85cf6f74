"""Human Rights beyond the courtroom at scale: its dataset and its benchmark (bench/departments.py).

The dataset (`generate_human_rights(size)`, called by `bench.generate`): as many records as the size
names, four in ten community-rights incidents (0–2 persons affected each, the institutions' response for
most), three in ten return movements (1–2 groups of returnees each) and three in ten cases of
gender-based violence (their protection orders and referrals), over the last two years, in every
municipality by population, in every review state (75 % approved).

The benchmark (`bench_human_rights`): the incidents', the returns' and the cases' lists (first page and a
page 90 % deep), the review queue, the dashboard (the protection orders against their deadlines, the
three map layers; kept and rendered) and the incidents' API list, each against the same
on the 10k dataset above 10k, and the API list against the lean baseline returning the same bytes.
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
LABEL = "human_rights"
INCIDENT_STEPS = (("mission_letter", 0.6), ("answered", 0.5), ("remedied", 0.25))
GBV_STEPS = (
    ("emergency_requested", 0.7, 0),
    ("emergency_decided", 0.9, 1),
    ("order_requested", 0.6, 3),
    ("order_issued", 0.8, 18),
    ("shelter", 0.3, 2),
)


def human_rights_users() -> dict[str, Any]:
    from mission.accounts.roles import Department

    return department_users("hr2", Department.RIGHTS)


def generate_human_rights(size: str, records: int) -> dict[str, Any]:
    """Load the department's dataset of `records` records (skipped when that size and seed are there)."""
    from django.db import connection, transaction

    from bench.generate import _reset_sequence, copy_rows
    from field_offices.models import Community
    from human_rights.models import (
        AffectedPerson,
        CommunityIncident,
        CommunityIncidentKind,
        CommunityIncidentStep,
        GbvCase,
        GbvCaseStep,
        ReturnGroup,
        ReturnMovement,
    )
    from mission.api.disclosure import KEY_RANGE
    from mission.encryption import encrypt

    users = human_rights_users()
    if loaded(size, LABEL, SEED):
        return {"department": LABEL, "skipped": True}
    if CommunityIncident.objects.exists() or ReturnMovement.objects.exists() or GbvCase.objects.exists():
        raise SystemExit("The database holds other Human Rights records; use an empty database.")
    started = time.perf_counter()
    generated = RecordRows(users, random.Random(SEED), random.Random(SEED + 1))  # noqa: S311  # no secret
    rng, keys = generated.rng, generated.keys
    communities = list(Community.objects.values_list("pk", flat=True))
    kinds = [k.value for k in CommunityIncidentKind]
    counts = {"incidents": records * 4 // 10, "returns": records * 3 // 10}
    counts["gbv_cases"] = records - counts["incidents"] - counts["returns"]
    ids = {"person": 0, "step": 0, "group": 0, "gbv_step": 0}
    with transaction.atomic():
        persons: list[tuple] = []
        steps: list[tuple] = []

        def incident_rows():
            for pk in range(1, counts["incidents"] + 1):
                row, day = generated.common(pk)
                community = rng.choice(communities)
                kind = rng.choice(kinds)
                row += [rng.random() < 0.4, "Generated incident.", kind, community, ""]
                for ordinal in range(1, rng.randint(0, 2) + 1):
                    ids["person"] += 1
                    at = row[1]
                    name = encrypt(f"Bench Person {ids['person']}")
                    sex = rng.choice(("female", "male"))
                    persons.append(
                        (ids["person"], at, at, ordinal, name, sex, community, keys.randrange(KEY_RANGE), pk)
                    )
                after = 0
                for step, chance in INCIDENT_STEPS:
                    if rng.random() >= chance:
                        break
                    after += rng.randrange(1, 40)
                    ids["step"] += 1
                    when = min(day + datetime.timedelta(days=after), generated.today)
                    steps.append((ids["step"], row[1], row[1], when, "", pk, step))
                yield tuple(row)

        columns = [*record_columns("monitor_id"), "reported_to_police", "description", "kind", "community_id"]
        columns.append("institution")
        person_columns = ["id", "created_at", "updated_at", "ordinal", "name", "sex", "community_id"]
        person_columns += ["record_key", "incident_id"]
        counts["persons"] = copy_in_batches(
            CommunityIncident, columns, incident_rows(), AffectedPerson, person_columns, persons
        )
        step_columns = ["id", "created_at", "updated_at", "date", "note", "incident_id", "step"]
        copy_rows(CommunityIncidentStep, step_columns, iter(steps))
        counts["incident_steps"] = len(steps)

        groups: list[tuple] = []

        def return_rows():
            for pk in range(1, counts["returns"] + 1):
                row, _day = generated.common(pk)
                origin = rng.choice(("kosovo", "serbia", "serbia", "montenegro", "north_macedonia", "elsewhere"))
                kind = rng.choice(("organised", "individual", "individual", "go_and_see"))
                assistance = rng.choice(("none", "package", "housing", "housing_livelihood", "not_known"))
                row += ["", origin, "", kind, assistance, "", "Generated return."]
                for _k in range(rng.randint(1, 2)):
                    ids["group"] += 1
                    households = rng.randint(1, 4)
                    people = households * rng.randint(1, 5)
                    groups.append(
                        (ids["group"], row[1], row[1], pk, rng.choice(communities), households, people, people // 2)
                    )
                yield tuple(row)

        return_columns = [*record_columns("monitor_id"), "settlement", "origin", "origin_place", "kind"]
        return_columns += ["assistance", "contact", "description"]
        group_columns = ["id", "created_at", "updated_at", "movement_id", "community_id", "households", "persons"]
        group_columns.append("women")
        counts["returnee_groups"] = copy_in_batches(
            ReturnMovement, return_columns, return_rows(), ReturnGroup, group_columns, groups
        )

        gbv_steps: list[tuple] = []

        def gbv_rows():
            for pk in range(1, counts["gbv_cases"] + 1):
                row, day = generated.common(pk)
                kind = rng.choice(("domestic", "domestic", "domestic", "sexual", "stalking", "other"))
                relation = rng.choice(("partner", "partner", "former_partner", "family", "known", "not_known"))
                age = rng.choice(("18_25", "26_40", "26_40", "41_60", "unknown"))
                row += ["Generated case.", kind, "", "female", age, rng.choice(communities), relation, ""]
                for step, chance, after in GBV_STEPS:
                    if rng.random() >= chance:
                        continue
                    ids["gbv_step"] += 1
                    when = min(day + datetime.timedelta(days=after + rng.randrange(3)), generated.today)
                    gbv_steps.append((ids["gbv_step"], row[1], row[1], when, "", pk, step))
                yield tuple(row)

        gbv_columns = [*record_columns("monitor_id"), "description", "kind", "victim", "victim_sex", "victim_age"]
        gbv_columns += ["victim_community_id", "relation", "court_case"]
        step_columns = ["id", "created_at", "updated_at", "date", "note", "case_id", "step"]
        counts["gbv_steps"] = copy_in_batches(GbvCase, gbv_columns, gbv_rows(), GbvCaseStep, step_columns, gbv_steps)
        for model in (
            CommunityIncident,
            AffectedPerson,
            CommunityIncidentStep,
            ReturnMovement,
            ReturnGroup,
            GbvCase,
            GbvCaseStep,
        ):
            _reset_sequence(model)
        mark_loaded(size, LABEL, SEED, records)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"department": LABEL, "seconds": round(time.perf_counter() - started, 1), **counts}


# --- The benchmark ---------------------------------------------------------------------------------
def _pages() -> dict[str, tuple[Any, str]]:
    """page → (client, url) on the connected database: the three growing lists' first and deep page, the
    review queue (a supervisor), the dashboard (the head) and the API list (a partner)."""
    from bench.departments import _config
    from human_rights.models import CommunityIncident

    records = {record_type.path: record_type for record_type in _config(LABEL).records}
    lists = {
        "incidents": records["community-incidents"],
        "returns": records["returns"],
        "gbv_cases": records["gbv-cases"],
    }
    pages = record_pages(LABEL, lists, "bench.hr2.head", "bench.hr2.supervisor.pri")
    return pages | api_pages("/api/v1/community-incidents/", "community_incidents", CommunityIncident)


def _incidents() -> Any:
    from human_rights.models import CommunityIncident

    return CommunityIncident


BENCH = DepartmentBench(LABEL, SEED, _pages, "/api/v1/community-incidents/", "community_incidents", _incidents)


def bench_human_rights(repeats: int) -> dict[str, Any]:
    """The department's pages and API list (`bench.departments.bench_department`)."""
    return bench_department(BENCH, repeats)
