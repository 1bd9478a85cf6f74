"""Democratization's reference lists: the media outlets and the reports whose recommendations the
tracker follows (the institutions they address are the shared list of `field_offices`)."""

import datetime
from pathlib import Path

from django.db import transaction

from democratization.models import MediaOutlet, MediaType, RecommendationSource, SourceBody
from field_offices.services import LoadReport, names, read_csv, reference_upsert

DATA_DIR = Path(__file__).resolve().parent / "data"


@transaction.atomic
def democratization_reference_load(*, data_dir: Path = DATA_DIR) -> LoadReport:
    """Load the media outlets and the recommendation sources. Idempotent, like the geography loader."""
    report = LoadReport()
    for row in read_csv(data_dir, "media_outlets.csv"):
        reference_upsert(
            MediaOutlet,
            report,
            code=row["code"],
            values={
                **names(row),
                "media_type": MediaType(row["media_type"]),
                "languages": row["language"],
            },
        )
    for row in read_csv(data_dir, "recommendation_sources.csv"):
        reference_upsert(
            RecommendationSource,
            report,
            code=row["code"],
            values={
                **names(row),
                "body": SourceBody(row["body"]),
                "year": int(row["year"]),
                "election_date": datetime.date.fromisoformat(row["election_date"]) if row["election_date"] else None,
            },
        )
    return report
