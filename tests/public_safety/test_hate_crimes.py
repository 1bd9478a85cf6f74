"""Hate-crime response: incidents with their victims and the police's response step by step, counted
by ODIHR's types and bias motivations; flags where the bias is lost or no investigation follows."""

import csv
import datetime
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from mission.records.flags import record_flags_sweep
from mission.records.services import record_create, record_update
from public_safety.models import ODIHR_TYPE, BiasMotivation, HateCrimeIncident, HateCrimeKind, OdihrType, TrainingTopic
from public_safety.reference import DATA_DIR, public_safety_reference_load
from tests.api.conftest import bearer
from tests.conftest import client_for
from tests.public_safety.contract import incident_content, incident_parts

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


@pytest.fixture
def partner_key(partner, administrator):
    from mission.api.services import token_issue

    _token, key = token_issue(actor=administrator, user=partner, name="NGO system", scopes=["hate_crimes"])
    return key


def _submitted(actors, *, days_ago=2, reported=True, **steps):
    monitor = actors["monitor"]
    municipality = monitor.region.municipalities.order_by("code").first()
    fields = incident_content(municipality, date=TODAY - datetime.timedelta(days=days_ago), reported_to_police=reported)
    incident = record_create(actor=monitor, model=HateCrimeIncident, fields=fields, parts=incident_parts(**steps))
    return record_update(actor=monitor, record=incident, expected_version=incident.version, fields={}, submit=True)


def _rules(incident):
    return sorted(incident.flags.values_list("rule", flat=True))


def test_every_kind_counts_in_one_of_odihrs_three_types():
    assert set(ODIHR_TYPE) == set(HateCrimeKind)
    assert set(ODIHR_TYPE.values()) == set(OdihrType)


@pytest.mark.parametrize(
    ("model", "file_name", "rows"),
    [(BiasMotivation, "bias_motivations.csv", 10), (TrainingTopic, "training_topics.csv", 19)],
)
def test_the_reference_lists_are_the_files_in_three_languages(geography, model, file_name, rows):
    with open(DATA_DIR / file_name, encoding="utf-8") as fh:
        found = {row["code"]: row for row in csv.DictReader(fh)}
    assert len(found) == rows == model.objects.count()
    for code, row in found.items():
        item = model.objects.get(code=code)
        assert (item.name_en, item.name_sq, item.name_sr) == (row["name_en"], row["name_sq"], row["name_sr"])
        assert all((item.name_en, item.name_sq, item.name_sr))
    report = public_safety_reference_load()  # a second load changes nothing
    assert not report.created
    assert not report.updated


def test_an_edited_file_updates_the_row_in_place(geography, tmp_path: Path):
    text = (DATA_DIR / "bias_motivations.csv").read_text(encoding="utf-8")
    for path in DATA_DIR.glob("*.csv"):  # the other lists as they are
        (tmp_path / path.name).write_text(path.read_text("utf-8"), "utf-8")
    (tmp_path / "bias_motivations.csv").write_text(text.replace("Anti-Roma hate crime", "Anti-Roma bias"), "utf-8")
    before = BiasMotivation.objects.get(code="ANTI_ROMA").pk
    report = public_safety_reference_load(data_dir=tmp_path)
    assert report.updated == {"bias motivations": 1}
    assert BiasMotivation.objects.get(code="ANTI_ROMA").pk == before
    assert BiasMotivation.objects.get(code="ANTI_ROMA").name_en == "Anti-Roma bias"
    call_command("load_reference_data", verbosity=0)


def test_bias_indicators_without_a_hate_crime_recorded_are_flagged(public_safety_actors):
    lost = _submitted(public_safety_actors, indicators=TODAY)
    assert _rules(lost) == ["bias_not_recorded"]
    kept = _submitted(public_safety_actors, indicators=TODAY, recorded=TODAY)
    assert _rules(kept) == []


def test_no_investigation_a_month_after_a_reported_incident(public_safety_actors):
    late = _submitted(public_safety_actors, days_ago=40)
    assert _rules(late) == ["no_investigation"]
    investigated = _submitted(public_safety_actors, days_ago=40, investigation=TODAY)
    assert _rules(investigated) == []
    not_reported = _submitted(public_safety_actors, days_ago=40, reported=False)
    assert _rules(not_reported) == []
    recent = _submitted(public_safety_actors, days_ago=10)
    assert _rules(recent) == []
    HateCrimeIncident.objects.filter(pk=recent.pk).update(date=TODAY - datetime.timedelta(days=31))
    assert record_flags_sweep() == 1  # time made it true: the nightly sweep finds it
    assert _rules(recent) == ["no_investigation"]


def test_a_monitor_logs_an_incident_with_its_victims_and_the_police_response(public_safety_actors):
    monitor = public_safety_actors["monitor"]
    client = client_for(monitor)
    gjilan = monitor.region.municipalities.order_by("code").first()
    create = reverse("public_safety:hatecrimeincident_create")
    token = client.get(create).context["submission_token"]
    day = TODAY - datetime.timedelta(days=9)
    data = {
        "submission_token": token,
        "version": "",
        "date": f"{day:%Y-%m-%d}",
        "municipality": gjilan.pk,
        "kind": "desecration",
        "bias_motivation": BiasMotivation.objects.get(code="ANTI_CHRISTIAN").pk,
        "reported_to_police": "true",
        "description": "Gravestones broken in the village cemetery.",
        "victim-TOTAL_FORMS": 1,
        "victim-INITIAL_FORMS": 0,
        "victim-0-id": "",
        "victim-0-name": "Milan Prović",
        "victim-0-sex": "male",
        "victim-0-age_band": "over_60",
        "victim-0-community": "",
        "hatecrimestep-TOTAL_FORMS": 2,
        "hatecrimestep-INITIAL_FORMS": 0,
        "hatecrimestep-0-id": "",
        "hatecrimestep-0-step": "recorded",
        "hatecrimestep-0-date": f"{day + datetime.timedelta(days=1):%Y-%m-%d}",
        "hatecrimestep-0-note": "",
        "hatecrimestep-1-id": "",
        "hatecrimestep-1-step": "investigation",
        "hatecrimestep-1-date": f"{day + datetime.timedelta(days=3):%Y-%m-%d}",
        "hatecrimestep-1-note": "Case 44/26",
    }
    response = client.post(create, data)
    assert response.status_code == 302
    incident = HateCrimeIncident.objects.get(description__startswith="Gravestones")
    assert incident.odihr_type == OdihrType.ATTACK_PROPERTY
    assert sorted(incident.response_steps.values_list("step", flat=True)) == ["investigation", "recorded"]
    page = client.get(reverse("public_safety:hatecrimeincident_detail", args=[incident.pk]))
    assert "Anti-Christian hate crime" in page.content.decode()
    assert "Case 44/26" in page.content.decode()
    assert "Milan Prović" in page.content.decode()  # the monitor reads the victim's name; the view is logged
    assert incident.victims.get().age_band == "over_60"


def test_a_step_before_the_incident_is_refused(public_safety_actors):
    from django.core.exceptions import ValidationError

    monitor = public_safety_actors["monitor"]
    municipality = monitor.region.municipalities.order_by("code").first()
    fields = incident_content(municipality, date=TODAY - datetime.timedelta(days=5))
    with pytest.raises(ValidationError):
        record_create(
            actor=monitor,
            model=HateCrimeIncident,
            fields=fields,
            parts=incident_parts(recorded=TODAY - datetime.timedelta(days=9)),
        )
    assert not HateCrimeIncident.objects.exists()


def test_partners_read_the_bias_motivation_as_its_code_and_filter_by_it(public_safety_objects, partner_key):
    client = bearer(partner_key)
    rows = client.get("/api/v1/hate-crimes/").json()["results"]
    assert [row["bias_motivation"] for row in rows] == ["ANTI_CHRISTIAN"]
    assert rows[0]["kind"] == "violent_attack"
    assert "description" not in rows[0]
    assert client.get("/api/v1/hate-crimes/?bias_motivation=ANTI_CHRISTIAN").json()["results"] == rows
    assert client.get("/api/v1/hate-crimes/?bias_motivation=ANTI_ROMA").json()["results"] == []
    refused = client.get("/api/v1/hate-crimes/?bias_motivation=NO_SUCH_BIAS")
    assert refused.status_code == 400
    assert "bias_motivation" in refused.json()["errors"]


def test_counts_by_bias_motivation_are_by_code(public_safety_objects, supervisor, administrator):
    from tests.api.conftest import staff_key

    key = staff_key(public_safety_objects["approved"].monitor, administrator)
    cells = bearer(key).get("/api/v1/aggregates/hate-crimes/?group_by=bias_motivation").json()
    found = {cell["group"]: cell for cell in cells["results"]}
    assert "ANTI_CHRISTIAN" in found
    assert found["ANTI_CHRISTIAN"]["records"] == 3
