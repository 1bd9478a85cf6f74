"""Human Rights & Communities' reference lists: the protected sites of cultural and religious heritage
(the municipalities and communities are the shared lists of `field_offices`)."""

from pathlib import Path

from django.db import transaction

from field_offices.models import Municipality
from field_offices.services import LoadReport, names, read_csv, reference_upsert
from human_rights.models import ProtectedSite, SiteKind

DATA_DIR = Path(__file__).resolve().parent / "data"


@transaction.atomic
def human_rights_reference_load(*, data_dir: Path = DATA_DIR) -> LoadReport:
    """Load the protected sites. Idempotent, like the geography loader; a row naming a municipality
    that is not loaded is an error, not a skip."""
    report = LoadReport()
    places = dict(Municipality.objects.values_list("code", "pk"))
    for row in read_csv(data_dir, "protected_sites.csv"):
        values = {
            **names(row),
            "municipality_id": places[row["municipality_code"]],
            "kind": SiteKind(row["kind"]),
            "zone": row["zone"] == "yes",
            "verified": row["verified"] == "yes",
        }
        reference_upsert(ProtectedSite, report, code=row["code"], values=values)
    return report
