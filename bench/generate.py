"""Prepare a PostgreSQL database of a chosen size for the benchmarks, fast: COPY, not ORM saves.

    python -m bench.generate --size 100k

Sizes count hearings (10k, 100k, 1m); cases, parties, observations with their 17 ratings, and flags
follow with realistic proportions, spread over the regions by population, over the courts of each
region, and over the last two years. A fixed seed makes every run of a size the same data. A database
that already holds the dataset of that size and seed is left as it is.
"""

import argparse
import datetime
import io
import os
import random
import sys
import time
from collections.abc import Iterable, Iterator
from urllib.parse import urlparse

SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}
SEED = 20261201  # raise when the generated data changes, so old datasets are not reused


def database_url(size: str) -> str:
    return os.environ.get("BENCH_DATABASE_URL") or f"postgres://postgres@127.0.0.1:5432/mission_bench_{size}"


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()


def ensure_database(url: str) -> None:
    import psycopg2

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = psycopg2.connect(
        host=parsed.hostname,
        port=parsed.port or 5432,
        user=parsed.username or "postgres",
        password=parsed.password,
        dbname="postgres",
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


class _Stream(io.TextIOBase):
    """A file-like object over generated COPY lines, so rows never all sit in memory."""

    def __init__(self, lines: Iterator[str]) -> None:
        self._lines = lines
        self._buffer = ""

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> str:
        while size < 0 or len(self._buffer) < size:
            chunk = []
            for line in self._lines:
                chunk.append(line)
                if len(chunk) == 2000:
                    break
            if not chunk:
                break
            self._buffer += "".join(chunk)
        if size < 0:
            out, self._buffer = self._buffer, ""
        else:
            out, self._buffer = self._buffer[:size], self._buffer[size:]
        return out

    readline = read


def _value(value) -> str:
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", " ").replace("\n", "\\n")


def copy_rows(model, columns: list[str], rows: Iterable[tuple]) -> int:
    """COPY rows (tuples in `columns` order, attnames) into the model's table."""
    from django.db import connection

    counted = [0]

    def lines():
        for row in rows:
            counted[0] += 1
            yield "\t".join(_value(v) for v in row) + "\n"

    fields = [
        connection.ops.quote_name(model._meta.get_field(c).column if not c.endswith("_id") else c) for c in columns
    ]
    sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({', '.join(fields)}) FROM STDIN"
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(sql, _Stream(iter(lines())))
    return counted[0]


def _reset_sequence(model) -> None:
    from django.core.management.color import no_style
    from django.db import connection

    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [model]):
            cursor.execute(statement)


def bench_users() -> dict:
    """The staff the data belongs to and the benchmarks sign in as (created once)."""
    from field_offices.models import Region
    from mission.accounts.models import User
    from mission.accounts.roles import Department, Role
    from mission.accounts.services import user_create

    def get(username, **fields):
        return User.objects.filter(username=username).first() or user_create(username=username, **fields)

    users = {
        "head": get(
            "bench.head", role=Role.DEPARTMENT_HEAD, department=Department.RIGHTS, password="bench-password-123"
        ),
        "partner": get("bench.partner", role=Role.PARTNER, organisation="Benchmark partner"),
    }
    for region in Region.objects.all():
        code = region.code.lower()
        users[f"monitor.{region.code}"] = get(
            f"bench.monitor.{code}",
            role=Role.MONITOR,
            department=Department.RIGHTS,
            region=region,
            password="bench-password-123",
        )
        users[f"supervisor.{region.code}"] = get(
            f"bench.supervisor.{code}",
            role=Role.SUPERVISOR,
            department=Department.RIGHTS,
            region=region,
            password="bench-password-123",
        )
    return users


def _already_loaded(size: str) -> bool:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_dataset (size text, seed bigint, hearings bigint, "
            "loaded_at timestamptz DEFAULT now())"
        )
        cursor.execute("SELECT 1 FROM bench_dataset WHERE size = %s AND seed = %s", [size, SEED])
        return cursor.fetchone() is not None


def generate(size: str) -> dict:
    """Load the dataset; returns what was loaded (or that it was there already)."""
    from django.core.management import call_command
    from django.db import connection, transaction

    from field_offices.models import Community, Municipality
    from mission.api.disclosure import KEY_RANGE
    from mission.encryption import encrypt
    from rights.models import (
        Case,
        Court,
        CourtLevel,
        FairTrialStandard,
        Flag,
        Hearing,
        Observation,
        Party,
        Questionnaire,
        StandardRating,
    )
    from rights.services.hearings import HEARING_FIELDS

    call_command("migrate", verbosity=0)
    call_command("load_reference_data", stdout=io.StringIO())
    users = bench_users()
    if _already_loaded(size):
        return {"size": size, "skipped": True}
    if Case.objects.exists():
        raise SystemExit(f"The database already holds other data; use an empty database for size {size}.")

    started = time.perf_counter()
    rng = random.Random(SEED)  # noqa: S311 (synthetic data)
    keys = random.Random(SEED + 1)  # noqa: S311 (record keys; apart, so the data stays what it was)
    hearings_wanted = SIZES[size]
    now = datetime.datetime.now(datetime.UTC)
    today = now.date()
    courts = [
        c
        for c in Court.objects.select_related("seat").filter(
            level__in=[CourtLevel.BASIC, CourtLevel.BRANCH, CourtLevel.DEPARTMENT, CourtLevel.PREMISES]
        )
        if c.seat
    ]
    population = {m.pk: (m.population or 1000) for m in Municipality.objects.all()}
    court_weights = [population[c.seat_id] for c in courts]
    region_of = {m.pk: m.region.code for m in Municipality.objects.select_related("region")}
    communities = list(Community.objects.values_list("pk", flat=True))
    questionnaire = Questionnaire.objects.get(is_current=True)
    standards = list(FairTrialStandard.objects.filter(questionnaire=questionnaire).values_list("pk", flat=True))
    categories = [
        "war_crimes",
        "corruption",
        "trafficking",
        "domestic_violence",
        "hate_crime",
        "juvenile",
        "property",
        "other",
    ]
    category_weights = [2, 10, 4, 22, 8, 8, 16, 30]
    departments = {
        "war_crimes": "special",
        "corruption": "serious_crimes",
        "trafficking": "serious_crimes",
        "juvenile": "juvenile",
    }

    case_count = max(1, hearings_wanted // 4)
    cases = []  # (case_id, court, municipality_id, monitor_id, supervisor_id, category, first_day)
    for case_id in range(1, case_count + 1):
        court = rng.choices(courts, court_weights)[0]
        region = region_of[court.seat_id]
        category = rng.choices(categories, category_weights)[0]
        first_day = today - datetime.timedelta(days=rng.randint(7, 730))
        cases.append(
            (
                case_id,
                court.pk,
                court.seat_id,
                users[f"monitor.{region}"].pk,
                users[f"supervisor.{region}"].pk,
                category,
                first_day,
            )
        )

    counts = {}
    with transaction.atomic():
        counts["cases"] = copy_rows(
            Case,
            [
                "id",
                "created_at",
                "updated_at",
                "version",
                "court_id",
                "case_number",
                "municipality_id",
                "court_department",
                "category",
                "charges",
                "fundamental_rights_appeal_grounds",
                "created_by_id",
                "published",
            ],
            (
                (
                    cid,
                    now,
                    now,
                    1,
                    court,
                    f"P. nr. {cid}/{first.year}",
                    muni,
                    departments.get(cat, "general_criminal"),
                    cat,
                    "CCK Art. 186",
                    rng.random() < 0.05,
                    monitor,
                    False,
                )
                for cid, court, muni, monitor, _sup, cat, first in cases
            ),
        )
        party_id = [0]

        def parties():
            for cid, *_rest in cases:
                for role, n in (("accused", rng.choices([1, 2, 3], [75, 18, 7])[0]), ("injured", rng.randint(0, 2))):
                    for ordinal in range(1, n + 1):
                        party_id[0] += 1
                        yield (
                            party_id[0],
                            now,
                            now,
                            cid,
                            role,
                            ordinal,
                            encrypt(f"Bench Person {party_id[0]}"),  # as EncryptedCharField stores it
                            rng.choice(["male", "male", "female"]),
                            rng.choice(["18_25", "26_40", "41_60"]),
                            rng.choice(communities),
                            "",
                            "",
                            None,
                            False,
                            False,
                            keys.randrange(KEY_RANGE),
                        )

        counts["parties"] = copy_rows(
            Party,
            [
                "id",
                "created_at",
                "updated_at",
                "case_id",
                "role",
                "ordinal",
                "name",
                "sex",
                "age_band",
                "community_id",
                "detention",
                "counsel",
                "counsel_appointed_on",
                "vulnerable",
                "protective_measures",
                "record_key",
            ],
            parties(),
        )

        hearings = []  # (hearing_id, case_id, date, held, recorded, monitor, supervisor)
        hearing_id = 0
        while hearing_id < hearings_wanted:
            for cid, _court, _muni, monitor, supervisor, _cat, first in cases:
                if hearing_id >= hearings_wanted:
                    break
                hearing_id += 1
                date = first + datetime.timedelta(days=rng.randint(0, max(0, (today - first).days - 1)))
                held = rng.random() > 0.27
                hearings.append(
                    (hearing_id, cid, date, held, (rng.random() > 0.08) if held else None, monitor, supervisor)
                )
        reasons = [
            "absent_accused",
            "absent_counsel",
            "absent_witness",
            "absent_prosecutor",
            "judge_unavailable",
            "documents_missing",
        ]
        court_of = {cid: court for cid, court, *_rest in cases}
        counts["hearings"] = copy_rows(
            Hearing,
            [
                "id",
                "created_at",
                "updated_at",
                "version",
                "case_id",
                "court_id",  # the case's, as hearing_create keeps it
                *HEARING_FIELDS,  # the same order as the values below
                "created_by_id",
                "published",
                "record_key",
            ],
            (
                (
                    hid,
                    now,
                    now,
                    1,
                    cid,
                    court_of[cid],
                    date,
                    datetime.time(9, 0),
                    datetime.time(9, 15) if held else None,
                    datetime.time(10, 30) if held else None,
                    "main_trial",
                    None,
                    held,
                    "" if held else rng.choice(reasons),
                    "",
                    recorded,
                    True,
                    "",
                    True if held else None,
                    False,
                    None,
                    None,
                    "",
                    monitor,
                    False,
                    keys.randrange(KEY_RANGE),
                )
                for hid, cid, date, held, recorded, monitor, _sup in hearings
            ),
        )

        observed = [h for h in hearings if rng.random() < 0.8]
        statuses = ["approved"] * 75 + ["submitted"] * 12 + ["returned"] * 5 + ["draft"] * 8
        observation_rows = []
        for oid, (hid, _cid, date, _held, _rec, monitor, supervisor) in enumerate(observed, start=1):
            status = rng.choice(statuses)
            reviewed = status in ("approved", "returned")
            # Written up within days of the hearing, reviewed a day later (never after now): a queue all
            # submitted in one instant would leave the planner no estimate of a cursor's rows.
            submitted = min(
                datetime.datetime.combine(date, datetime.time(8), datetime.UTC)
                + datetime.timedelta(days=2, minutes=rng.randrange(600)),
                now,
            )
            observation_rows.append(
                (
                    oid,
                    now,
                    now,
                    1,
                    hid,
                    monitor,
                    questionnaire.pk,
                    status,
                    "Bench summary.",
                    submitted if status != "draft" else None,
                    supervisor if reviewed else None,
                    min(submitted + datetime.timedelta(days=1), now) if reviewed else None,
                    "",
                    1,
                    "",
                    date,  # the hearing's date, copied as the observation services keep it
                )
            )
        counts["observations"] = copy_rows(
            Observation,
            [
                "id",
                "created_at",
                "updated_at",
                "version",
                "hearing_id",
                "monitor_id",
                "questionnaire_id",
                "status",
                "summary",
                "submitted_at",
                "reviewed_by_id",
                "reviewed_at",
                "review_comment",
                "revision",
                "correction_reason",
                "hearing_date",
            ],
            iter(observation_rows),
        )
        ratings = (
            ["complied"] * 80 + ["concern"] * 9 + ["violation"] * 1 + ["not_observable"] * 5 + ["not_applicable"] * 5
        )
        violated = []

        def rating_rows():
            rid = 0
            for oid, *_rest in observation_rows:
                for standard in standards:
                    rid += 1
                    value = rng.choice(ratings)
                    if value == "violation":
                        violated.append(oid)
                    yield (
                        rid,
                        now,
                        now,
                        oid,
                        standard,
                        value,
                        "Observed." if value in ("violation", "concern") else "",
                        keys.randrange(KEY_RANGE),
                    )

        counts["ratings"] = copy_rows(
            StandardRating,
            ["id", "created_at", "updated_at", "observation_id", "standard_id", "rating", "evidence", "record_key"],
            rating_rows(),
        )
        hearing_of = {row[0]: row[4] for row in observation_rows}
        case_of = {h[0]: h[1] for h in hearings}
        flag_rows = []
        for fid, oid in enumerate(sorted(set(violated)), start=1):
            hid = hearing_of[oid]
            closed = rng.random() < 0.4
            flag_rows.append(
                (
                    fid,
                    now,
                    now,
                    case_of[hid],
                    hid,
                    oid,
                    "violation",
                    f"observation:{oid}",
                    "closed" if closed else "open",
                    users["head"].pk if closed else None,
                    now if closed else None,
                    "Followed up." if closed else "",
                )
            )
        counts["flags"] = copy_rows(
            Flag,
            [
                "id",
                "created_at",
                "updated_at",
                "case_id",
                "hearing_id",
                "observation_id",
                "rule",
                "subject",
                "status",
                "closed_by_id",
                "closed_at",
                "closing_note",
            ],
            iter(flag_rows),
        )
        for model in (Case, Party, Hearing, Observation, StandardRating, Flag):
            _reset_sequence(model)
        with connection.cursor() as cursor:  # what the hearing and observation services keep up to date
            cursor.execute(
                "UPDATE rights_hearing SET published = true WHERE id IN "
                "(SELECT hearing_id FROM rights_observation WHERE status = 'approved')"
            )
            cursor.execute(
                "UPDATE rights_case SET published = true "
                "WHERE id IN (SELECT case_id FROM rights_hearing WHERE published)"
            )
            cursor.execute(
                "UPDATE rights_case c SET last_hearing_date = s.latest FROM (SELECT case_id, MAX(date) AS latest "
                "FROM rights_hearing GROUP BY case_id) s WHERE s.case_id = c.id"
            )
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO bench_dataset (size, seed, hearings) VALUES (%s, %s, %s)", [size, SEED, counts["hearings"]]
            )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"size": size, "skipped": False, "seconds": round(time.perf_counter() - started, 1), **counts}


def generate_all(size: str) -> dict:
    """Trial monitoring's dataset, then each department's (bench/democratization.py,
    bench/public_safety.py, bench/human_rights.py)."""
    from bench.democratization import generate_democratization
    from bench.human_rights import generate_human_rights
    from bench.public_safety import generate_public_safety

    loaded = generate(size)
    loaded["democratization"] = generate_democratization(size, SIZES[size])
    loaded["public_safety"] = generate_public_safety(size, SIZES[size])
    loaded["human_rights"] = generate_human_rights(size, SIZES[size])
    parts = [loaded, *(loaded[d] for d in ("democratization", "public_safety", "human_rights"))]
    if not all(part.get("skipped") for part in parts):
        vacuumed()
    return loaded


def vacuumed() -> None:
    """VACUUM ANALYZE the loaded database, as autovacuum keeps a live one: rows loaded with COPY are not
    yet all-visible, so an index-only scan (the live "waiting for review" counts) would read the table's
    pages too, and a page would seem to grow with the data (the overview took 470 ms at 1m before, 92 ms
    after). Outside a transaction, as VACUUM must be."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=SIZES, default="10k")
    args = parser.parse_args(argv)
    url = database_url(args.size)
    ensure_database(url)
    setup_django(url)
    print(generate_all(args.size))


if __name__ == "__main__":
    main(sys.argv[1:])
