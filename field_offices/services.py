"""Writes to the geography core: the reference-data loader and the administrator's region change."""

import csv
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from django.db import transaction

from field_offices.models import (
    Community,
    District,
    FieldTeam,
    Institution,
    InstitutionKind,
    MembershipBasis,
    Municipality,
    Region,
)
from mission.common import BaseModel

DATA_DIR = Path(__file__).resolve().parent / "data"
LOAD_REASON = "reference data load"


@dataclass
class LoadReport:
    """What a load did, per model: rows created, updated and left as they were."""

    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    kept_administrator_region: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        names = sorted(set(self.created) | set(self.updated) | set(self.unchanged))
        out = [
            f"{name}: {self.created[name]} created, {self.updated[name]} updated, {self.unchanged[name]} unchanged"
            for name in names
        ]
        if self.kept_administrator_region:
            out.append("region kept as an administrator set it: " + ", ".join(self.kept_administrator_region))
        return out


def read_csv(data_dir: Path, name: str) -> list[dict[str, str]]:
    with open(data_dir / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


_M = TypeVar("_M", bound=BaseModel)


def reference_upsert(
    model: type[_M],
    report: LoadReport,
    *,
    values: dict[str, Any],
    code: str | None = None,
    lookup: dict[str, Any] | None = None,
) -> _M:
    """Create the row with this code (or `lookup`), or update only the fields whose values differ.

    Writing nothing when nothing differs keeps a second load from adding history rows or touching
    `updated_at`. Every app's reference-data loader uses it.
    """
    label = model._meta.verbose_name_plural
    lookup = lookup if lookup is not None else {"code": code}
    obj = model._default_manager.filter(**lookup).first()  # reference models have one manager
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean()
        obj._change_reason = LOAD_REASON
        obj.save()
        report.created[label] += 1
        return obj
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if not changed:
        report.unchanged[label] += 1
        return obj
    for name in changed:
        setattr(obj, name, values[name])
    obj.full_clean()
    obj._change_reason = LOAD_REASON
    obj.save(update_fields=[*changed, "updated_at"])
    report.updated[label] += 1
    return obj


def names(row: dict[str, str]) -> dict[str, str]:
    """A reference row's name in the interface's three languages, as every loader reads it."""
    return {"name_en": row["name_en"], "name_sq": row["name_sq"], "name_sr": row["name_sr"]}


def _int_or_none(text: str) -> int | None:
    return int(text) if text.strip() else None


@transaction.atomic
def reference_data_load(*, data_dir: Path = DATA_DIR) -> LoadReport:
    """Load regions, districts, municipalities, field teams, communities and institutions from the CSV files.

    Idempotent: a second run changes nothing, a run after an edit to the files updates the rows it
    names and never duplicates them. A region that an administrator set on a municipality is kept.
    """
    report = LoadReport()

    regions = {
        row["code"]: reference_upsert(
            Region,
            report,
            code=row["code"],
            values={
                "name_en": row["name_en"].removeprefix("OSCE Regional Centre ").strip(),
                "name_sq": row["name_sq"],
                "name_sr": row["name_sr"],
            },
        )
        for row in read_csv(data_dir, "regions.csv")
    }
    districts = {
        row["code"]: reference_upsert(
            District,
            report,
            code=row["code"],
            values=names(row),
        )
        for row in read_csv(data_dir, "districts.csv")
    }
    membership = {row["municipality_code"]: row for row in read_csv(data_dir, "osce_region_membership.csv")}
    stats = {row["code"]: row for row in read_csv(data_dir, "municipality_stats.csv")}

    municipalities = {}
    for row in read_csv(data_dir, "municipalities.csv"):
        code = row["code"]
        basis = membership[code]
        stat = stats[code]
        values = {
            **names(row),
            "name_sr_cyrl": row["name_sr_cyrl"],
            "region": regions[row["osce_region"]],
            "region_basis": MembershipBasis(basis["basis"]),
            "region_evidence": basis["evidence"],
            "district": districts[row["district"]],
            "population": _int_or_none(stat["population_2024"]),
            "population_2011": _int_or_none(stat["population_2011"]),
            "population_partial": "partial" in stat["notes"],
            "area_km2": Decimal(stat["area_km2_osm_geoboundaries"]).quantize(Decimal("0.1")),
        }
        existing = Municipality.objects.filter(code=code, region_set_by_administrator=True).first()
        if existing is not None:
            values["region"] = existing.region
            if existing.region.code != row["osce_region"]:
                report.kept_administrator_region.append(code)
        municipalities[code] = reference_upsert(Municipality, report, code=code, values=values)

    for row in read_csv(data_dir, "field_teams.csv"):
        team = reference_upsert(
            FieldTeam,
            report,
            code=row["code"],
            values={
                **names(row),
                "region": regions[row["region"]],
            },
        )
        wanted = {municipalities[c].pk for c in row["municipality_codes"].split(";")}
        current = set(team.municipalities.values_list("pk", flat=True))
        if current != wanted:
            team.municipalities.set(wanted)
            if current:  # a new team's first municipalities are part of its creation, not an update
                label = FieldTeam._meta.verbose_name_plural
                report.updated[label] += 1
                report.unchanged[label] -= 1

    for row in read_csv(data_dir, "communities.csv"):
        reference_upsert(
            Community,
            report,
            code=row["code"],
            values=names(row),
        )

    for row in read_csv(data_dir, "institutions.csv"):
        reference_upsert(
            Institution,
            report,
            code=row["code"],
            values={
                **names(row),
                "kind": InstitutionKind(row["kind"]),
                "departments": row["department_relevance"],
            },
        )
    return report


@transaction.atomic
def municipality_set_region(*, municipality: Municipality, region: Region, actor, reason: str = "") -> Municipality:
    """An administrator moves a municipality to another region; later data loads keep the choice."""
    municipality.region = region
    municipality.region_set_by_administrator = True
    municipality.full_clean()
    municipality._history_user = actor
    municipality._change_reason = reason or "region changed by an administrator"
    municipality.save(update_fields=["region", "region_set_by_administrator", "updated_at"])
    return municipality
