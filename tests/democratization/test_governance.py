"""Municipal governance assessments: one per municipality and year, indicators checked on entry, and
the dashboard's map of one indicator at a time."""

import datetime

import pytest
from django.urls import reverse

from democratization.models import GovernanceAssessment
from mission.records.services import record_create, record_update
from mission.review.services import record_approve
from tests.conftest import client_for
from tests.democratization.contract import assessment_content

pytestmark = pytest.mark.django_db
URL = reverse("democratization:dashboard")


def _form(client, data):
    token = client.get(reverse("democratization:governanceassessment_create")).context["submission_token"]
    return client.post(reverse("democratization:governanceassessment_create"), data | {"submission_token": token})


def _data(municipality, **overrides):
    fields = assessment_content(municipality)
    data = {k: ("" if v is None else getattr(v, "pk", v)) for k, v in fields.items()}
    data["assessed_on"] = f"{fields['assessed_on']:%Y-%m-%d}"
    data["performance_report"] = "true"
    return data | {"version": "", "save": "1"} | overrides


def test_bad_indicators_are_refused_on_their_fields(democratization_actors, democratization_objects):
    monitor = democratization_actors["monitor"]
    client = client_for(monitor)
    taken = democratization_objects["assessment_draft"].municipality
    free = monitor.region.municipalities.exclude(pk__in=GovernanceAssessment.objects.values("municipality")).first()
    before = GovernanceAssessment.objects.count()
    for overrides, field in (
        ({"budget_execution": "140"}, "budget_execution"),
        ({"year": str(datetime.date.today().year + 1)}, "year"),
    ):
        response = _form(client, _data(free, **overrides))
        assert response.status_code == 200
        assert field in response.context["form"].errors, overrides
    duplicate = _form(client, _data(taken))
    assert duplicate.status_code == 200
    assert "assessment of this year already" in duplicate.context["form"].errors["year"][0]
    assert GovernanceAssessment.objects.count() == before
    assert _form(client, _data(free)).status_code == 302


def test_the_map_shows_each_municipalitys_latest_approved_value(democratization_actors, democratization_objects):
    monitor, supervisor = democratization_actors["monitor"], democratization_actors["supervisor"]
    approved = democratization_objects["assessment_approved"]  # 87.5 % of its budget spent
    other = monitor.region.municipalities.exclude(pk__in=GovernanceAssessment.objects.values("municipality")).first()
    record = record_create(
        actor=monitor, model=GovernanceAssessment, fields=assessment_content(other, budget_execution=55.0)
    )
    record_update(actor=monitor, record=record, expected_version=record.version, fields={}, submit=True)
    record.refresh_from_db()
    record_approve(actor=supervisor, record=record, expected_version=record.version)
    response = client_for(democratization_actors["department_head"]).get(URL)
    rows = {row[0]: row[1] for row in response.context["table_chart"].rows}
    assert rows[approved.municipality.name] == 87.5
    assert rows[other.name] == 55.0
    assert rows[democratization_objects["assessment_draft"].municipality.name] is None  # a draft is not counted
    shapes = {shape["code"]: shape for shape in response.context["map"]["shapes"]}
    draft_place = democratization_objects["assessment_draft"].municipality
    assert shapes[draft_place.code]["text"].endswith("no figure")  # not "0": nothing is known there
    women = client_for(democratization_actors["department_head"]).get(
        URL, {"indicator": "governanceassessment.women_senior_posts"}
    )
    assert women.context["map"]["metric"] == "Women in senior posts (%)"
    assert {row[1] for row in women.context["table_chart"].rows} == {30.0, None}
    assert client_for(democratization_actors["department_head"]).get(URL, {"indicator": "nonsense"}).status_code == 200


def test_an_indicator_left_empty_is_not_an_older_value(democratization_actors, democratization_objects):
    monitor, supervisor = democratization_actors["monitor"], democratization_actors["supervisor"]
    approved = democratization_objects["assessment_approved"]  # last year's, 87.5 %
    place = approved.municipality
    older = record_create(
        actor=monitor,
        model=GovernanceAssessment,
        fields=assessment_content(place, year=approved.year - 1, budget_execution=99.0),
    )
    newer = record_create(
        actor=monitor,
        model=GovernanceAssessment,
        fields=assessment_content(place, year=approved.year + 1, budget_execution=None),
    )
    for record in (older, newer):
        record_update(actor=monitor, record=record, expected_version=record.version, fields={}, submit=True)
        record.refresh_from_db()
        record_approve(actor=supervisor, record=record, expected_version=record.version)
    rows = {row[0]: row[1] for row in client_for(supervisor).get(URL).context["table_chart"].rows}
    assert rows[place.name] is None  # this year's assessment has no figure: not last year's, not 99


def test_another_regions_duplicate_is_refused_as_out_of_region(democratization_actors, democratization_objects):
    from django.core.exceptions import ValidationError

    elsewhere = democratization_actors["other_region_monitor"]
    place = elsewhere.region.municipalities.order_by("code").first()
    record_create(actor=elsewhere, model=GovernanceAssessment, fields=assessment_content(place))
    with pytest.raises(ValidationError) as refused:
        record_create(
            actor=democratization_actors["monitor"], model=GovernanceAssessment, fields=assessment_content(place)
        )
    assert list(refused.value.message_dict) == ["municipality"]  # not "that year is assessed there already"
