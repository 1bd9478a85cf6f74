"""Security & Public Safety's reference lists: the bias motivations of hate crimes, the topics of
trainings and the strategies whose action plans it follows (the agencies and the institutions are the
shared list of `field_offices`)."""

from pathlib import Path

from django.db import transaction

from field_offices.services import LoadReport, names, read_csv, reference_upsert
from public_safety.models import BiasMotivation, Strategy, StrategyArea, TrainingTopic

DATA_DIR = Path(__file__).resolve().parent / "data"


@transaction.atomic
def public_safety_reference_load(*, data_dir: Path = DATA_DIR) -> LoadReport:
    """Load the bias motivations, the training topics and the strategies. Idempotent, like the geography
    loader."""
    report = LoadReport()
    for model, file_name in ((BiasMotivation, "bias_motivations.csv"), (TrainingTopic, "training_topics.csv")):
        for row in read_csv(data_dir, file_name):
            reference_upsert(model, report, code=row["code"], values=names(row))
    for row in read_csv(data_dir, "strategies.csv"):
        values = {
            **names(row),
            "area": StrategyArea(row["area"]),
            "first_year": int(row["first_year"]),
            "last_year": int(row["last_year"]),
        }
        reference_upsert(Strategy, report, code=row["code"], values=values)
    return report
