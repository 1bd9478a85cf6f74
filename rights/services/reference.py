import datetime
from pathlib import Path

from django.db import transaction

from field_offices.models import Municipality
from field_offices.services import LoadReport, names, read_csv, reference_upsert
from rights.models import Court, CourtLevel, FairTrialStandard, Questionnaire

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
CURRENT_QUESTIONNAIRE = "2026.1"


@transaction.atomic
def rights_reference_load(*, data_dir: Path = DATA_DIR) -> LoadReport:
    """Load the courts and the fair-trial questionnaire. Idempotent, like the geography loader."""
    report = LoadReport()
    municipalities = {m.code: m for m in Municipality.objects.all()}
    rows = read_csv(data_dir, "courts.csv")
    courts: dict[str, Court] = {}
    # Parents first: a court's row may name a parent that comes later in the file.
    for row in sorted(rows, key=lambda r: r["code"].count("-")):
        courts[row["code"]] = reference_upsert(
            Court,
            report,
            code=row["code"],
            values={
                **names(row),
                "level": CourtLevel(row["level"]),
                "parent": courts[row["parent_code"]] if row["parent_code"] else None,
                "seat": municipalities.get(row["seat_municipality_code"]),
            },
        )

    standards = read_csv(data_dir, "fair_trial_standards.csv")
    for version in sorted({row["version"] for row in standards}):
        questionnaire = reference_upsert(
            Questionnaire,
            report,
            lookup={"version": version},
            values={"valid_from": datetime.date(int(version.split(".")[0]), 1, 1)},
        )
        for row in (r for r in standards if r["version"] == version):
            reference_upsert(
                FairTrialStandard,
                report,
                lookup={"questionnaire": questionnaire, "code": row["code"]},
                values={
                    "order": int(row["order"]),
                    **names(row),
                    "legal_basis": row["legal_basis"],
                    "guidance_en": row["guidance_en"],
                    "guidance_sq": row["guidance_sq"],
                    "guidance_sr": row["guidance_sr"],
                },
            )
    if not Questionnaire.objects.filter(is_current=True).exists():
        Questionnaire.objects.filter(version=CURRENT_QUESTIONNAIRE).update(is_current=True)
    return report
