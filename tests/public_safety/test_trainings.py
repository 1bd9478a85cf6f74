"""Trainings: the trainees' scores before and after the course and their evaluation, whose means the
dashboard reads from the summary by topic and agency (known answers), never from names."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from field_offices.models import Institution
from mission.dashboards.services import summaries_refresh
from mission.records.declaration import record_type_of
from mission.records.services import record_create, record_update
from mission.records.summary import averages, record_counts
from mission.review.services import record_approve
from public_safety.models import Trainee, Training, TrainingTopic
from tests.conftest import client_for
from tests.public_safety.contract import training_content, training_parts

pytestmark = pytest.mark.django_db


def _approved(actors, parts, **fields):
    monitor, supervisor = actors["monitor"], actors["supervisor"]
    municipality = monitor.region.municipalities.order_by("code").first()
    record = record_create(actor=monitor, model=Training, fields=training_content(municipality, **fields), parts=parts)
    record = record_update(actor=monitor, record=record, expected_version=record.version, fields={}, submit=True)
    return record_approve(actor=supervisor, record=record, expected_version=record.version)


def test_the_gain_is_the_score_after_less_the_score_before(public_safety_actors):
    training = _approved(
        public_safety_actors,
        training_parts(("A Provë", 40, 70, 5), ("B Provë", 60, 55, 2), ("C Provë", 50, None, None)),
    )
    gains = dict(training.trainees.values_list("ordinal", "gain"))
    assert gains == {1: 30, 2: -5, 3: None}  # the third has no test after yet
    assert set(training.trainees.values_list("agency__code", flat=True)) == {"KP"}  # the course's agency


def test_a_score_after_without_one_before_is_refused(public_safety_actors):
    monitor = public_safety_actors["monitor"]
    municipality = monitor.region.municipalities.order_by("code").first()
    with pytest.raises(ValidationError, match="score before"):
        record_create(
            actor=monitor,
            model=Training,
            fields=training_content(municipality),
            parts=training_parts(("D Provë", None, 80, 4)),
        )
    assert not Training.objects.exists()


def test_scores_are_between_0_and_100_and_evaluations_between_1_and_5(public_safety_actors):
    monitor = public_safety_actors["monitor"]
    municipality = monitor.region.municipalities.order_by("code").first()
    for row in (("E Provë", 10, 101, 3), ("F Provë", 10, 20, 6), ("G Provë", 10, 20, 0)):
        with pytest.raises(ValidationError):
            record_create(
                actor=monitor, model=Training, fields=training_content(municipality), parts=training_parts(row)
            )
    assert not Trainee.objects.exists()


def test_the_means_by_topic_and_agency_are_read_from_the_summary(public_safety_actors):
    hate, cyber = TrainingTopic.objects.get(code="HATE_CRIME_INV"), TrainingTopic.objects.get(code="CYBERCRIME")
    police, corrections = Institution.objects.get(code="KP"), Institution.objects.get(code="KCS")
    _approved(public_safety_actors, training_parts(("A Provë", 40, 70, 5), ("B Provë", 60, 50, 3)), topic=hate)
    _approved(public_safety_actors, training_parts(("C Provë", 20, 60, 4), ("D Provë", 30, None, None)), topic=hate)
    _approved(
        public_safety_actors, training_parts(("E Provë", 10, 90, 2)), topic=cyber, agency=corrections, title="Cyber"
    )
    monitor = public_safety_actors["monitor"]  # a draft counts nowhere
    record_create(
        actor=monitor,
        model=Training,
        fields=training_content(monitor.region.municipalities.first(), topic=cyber),
        parts=training_parts(("F Provë", 0, 100, 5)),
    )
    summaries_refresh(names=["records.public_safety"])
    record_type = record_type_of(Training)
    (part,) = record_type.parts
    from mission.dashboards.periods import Period, add_months

    this_month = datetime.date.today().replace(day=1)
    period = Period(add_months(this_month, -2), this_month)
    counts = record_counts("records.public_safety", None, period)
    by_topic = averages(counts, record_type, part, "gain", "topic")
    assert by_topic == {str(hate.pk): (3, (30 - 10 + 40) / 3), str(cyber.pk): (1, 80.0)}
    by_agency = averages(counts, record_type, part, "satisfaction", "agency")
    assert by_agency == {str(police.pk): (3, 4.0), str(corrections.pk): (1, 2.0)}


def test_the_dashboard_shows_the_mean_gain_by_topic(public_safety_actors):
    hate = TrainingTopic.objects.get(code="HATE_CRIME_INV")
    _approved(public_safety_actors, training_parts(("A Provë", 40, 70, 5), ("B Provë", 60, 55, 3)), topic=hate)
    summaries_refresh(names=["records.public_safety"])
    page = client_for(public_safety_actors["department_head"]).get(reverse("public_safety:dashboard"))
    text = page.content.decode()
    assert "Mean knowledge gain (points) by topic" in text
    assert "Hate crime investigation" in text
    assert "12.5" in text  # (30 - 5) / 2
    assert "Provë" not in text


def test_trainees_are_counted_by_their_own_agency_and_by_the_courses(public_safety_actors):
    """A trainee's agency and the course's are two groupings of the API's counts: `agency` (the
    trainee's) and `training_agency` (the course's). (A staff token: exact counts, no perturbation.)"""
    from tests.api.conftest import bearer, staff_key

    monitor = public_safety_actors["monitor"]
    parts = training_parts(*((f"T{n} Provë", 50, 60, 4) for n in range(12)))
    (rows,) = parts.values()
    for row in rows[:5]:
        row["agency"] = Institution.objects.get(code="KCS")
    _approved(public_safety_actors, parts)
    key = staff_key(public_safety_actors["department_head"], public_safety_actors["administrator"])
    route = "/api/v1/aggregates/trainings/trainees/"
    own = {c["group"]: c["people"] for c in bearer(key).get(route, {"group_by": "agency"}).json()["results"]}
    courses = {
        c["group"]: c["people"] for c in bearer(key).get(route, {"group_by": "training_agency"}).json()["results"]
    }
    assert own == {"KP": 7, "KCS": 5}
    assert courses == {"KP": 12}
    del monitor


def test_the_api_gives_the_mean_gain_and_evaluation_per_group_under_the_threshold_rule(public_safety_actors, settings):
    """Means of the trainees' gain and evaluation by the course's topic: exact for staff, and for a
    partner to one decimal where enough trainees give a value, null where too few do."""
    from mission.api.services import token_issue
    from tests.api.conftest import bearer, staff_key

    settings.API_SMALL_CELL_THRESHOLD = 5
    hate = TrainingTopic.objects.get(code="HATE_CRIME_INV")
    cyber = TrainingTopic.objects.exclude(pk=hate.pk).order_by("code").first()
    # Hate crimes: six trainees, gains 10, 20, 30, 40, 50 and one without a test after; evaluations 3, 4.
    _approved(
        public_safety_actors,
        training_parts(*((f"H{n} Provë", 40, 40 + 10 * (n + 1) if n < 5 else None, 3 + n % 2) for n in range(6))),
        topic=hate,
    )
    # Another topic: three trainees only, too few for a partner's mean.
    _approved(public_safety_actors, training_parts(*((f"C{n} Provë", 50, 70, 5) for n in range(3))), topic=cyber)
    route = "/api/v1/aggregates/trainings/trainees/"
    staff = bearer(staff_key(public_safety_actors["department_head"], public_safety_actors["administrator"]))
    rows = {r["group"]: r for r in staff.get(route, {"group_by": "topic"}).json()["results"]}
    assert (rows["HATE_CRIME_INV"]["mean_gain"], rows["HATE_CRIME_INV"]["mean_satisfaction"]) == (30.0, 3.5)
    assert rows[cyber.code]["mean_gain"] == 20.0
    _token, key = token_issue(
        actor=public_safety_actors["administrator"],
        user=public_safety_actors["partner"],
        name="NGO",
        scopes=["trainings"],
    )
    published = {r["group"]: r for r in bearer(key).get(route, {"group_by": "topic"}).json()["results"]}
    assert published["HATE_CRIME_INV"]["mean_gain"] == 30.0  # five trainees have a gain
    assert published[cyber.code]["mean_gain"] is None  # three: too few


@pytest.mark.parametrize(
    ("key", "name"), [("training_draft", "trainings-trainee"), ("mentoring_draft", "mentoring-mentee")]
)
def test_a_sign_in_sheet_of_trainees_or_mentees_round_trips(public_safety_actors, public_safety_objects, key, name):
    """The kit's import of a record's people, declared on these parts too: the export of the draft's
    people imports back unchanged; one more row adds a person."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    record = public_safety_objects[key]
    client = client_for(public_safety_actors["monitor"])
    url = reverse(f"imports:public_safety-{name}_import", args=[record.pk])
    exported = client.get(reverse(f"imports:public_safety-{name}_export", args=[record.pk]))
    assert exported.status_code == 200
    upload = SimpleUploadedFile("sheet.csv", exported.content, content_type="text/csv")
    response = client.post(url, {"file": upload})
    assert {row.action for row in response.context["plan"].rows} == {"unchanged"}
    header, first = exported.content.decode("utf-8-sig").splitlines()[:2]
    added = "Drita Prova," + first.split(",", 1)[1]  # someone else with the same details
    response = client.post(url, {"file": SimpleUploadedFile("one.csv", f"{header}\n{added}\n".encode())})
    assert [row.action for row in response.context["plan"].rows] == ["create"]
