"""Participation programmes: activities with their participants (the kit's ActivityRecord and
ParticipantRow), counted without names outside the department."""

import datetime

import pytest
from django.urls import reverse

from democratization.models import Participant, ParticipationActivity
from mission.records.services import record_create, record_update
from mission.review.services import record_approve
from tests.conftest import client_for
from tests.democratization.contract import activity_content, activity_parts

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def url(page, *args):
    return reverse(f"democratization:participationactivity_{page}", args=args)


def _form(municipality, participants, **fields):
    data = {
        "version": "",
        "date": f"{TODAY - datetime.timedelta(days=4):%Y-%m-%d}",
        "end_date": "",
        "municipality": municipality.pk,
        "kind": "traineeship",
        "title": "Traineeship in the municipal finance office",
        "partner_institution": "Municipality",
        "description": "",
        "participant-TOTAL_FORMS": len(participants),
        "participant-INITIAL_FORMS": 0,
    }
    for n, row in enumerate(participants):
        data |= {f"participant-{n}-{key}": value for key, value in row.items()}
    return data | fields


def _person(name, **fields):
    row = {"id": "", "name": name, "sex": "female", "age_band": "18_25", "community": "", "role": "trainee"}
    return row | {"outcome": ""} | fields


def _create(client, data):
    token = client.get(url("create")).context["submission_token"]
    return client.post(url("create"), data | {"submission_token": token})


def test_an_activity_with_its_participants_from_the_form(democratization_actors):
    monitor = democratization_actors["monitor"]
    place = monitor.region.municipalities.order_by("code").first()
    people = [_person("Ema Provë", outcome="employed"), _person("Dren Provë", sex="male", age_band="26_40")]
    response = _create(client_for(monitor), _form(place, people, submit="1"))
    assert response.status_code == 302
    activity = ParticipationActivity.objects.get()
    assert activity.status == "submitted"
    assert list(activity.participants.values_list("ordinal", "name", "outcome")) == [
        (1, "Ema Provë", "employed"),
        (2, "Dren Provë", ""),
    ]


def test_bad_dates_and_no_participants_are_refused_with_what_was_typed(democratization_actors):
    monitor = democratization_actors["monitor"]
    place = monitor.region.municipalities.order_by("code").first()
    before = f"{TODAY - datetime.timedelta(days=9):%Y-%m-%d}"
    response = _create(client_for(monitor), _form(place, [_person("Ema Provë")], end_date=before, save="1"))
    assert response.status_code == 200
    assert "The last day cannot be before the first." in response.content.decode()
    assert "Ema Provë" in response.content.decode()
    response = _create(client_for(monitor), _form(place, [], submit="1"))
    assert "Add at least 1 participant before submitting." in response.content.decode()
    assert not ParticipationActivity.objects.exists()
    assert not Participant.objects.exists()


def test_names_for_the_department_pseudonyms_for_management(democratization_actors, democratization_objects):
    approved = democratization_objects["activity_approved"]
    head = client_for(democratization_actors["department_head"]).get(url("detail", approved.pk)).content.decode()
    assert "Rina Provë" in head
    management = client_for(democratization_actors["management"]).get(url("detail", approved.pk)).content.decode()
    assert "Rina" not in management
    assert "Participant A" in management


def test_the_dashboard_counts_the_participants_without_names(democratization_actors, democratization_objects):
    monitor, supervisor = democratization_actors["monitor"], democratization_actors["supervisor"]
    place = monitor.region.municipalities.order_by("code").first()
    parts = activity_parts("A Provë", "B Provë", "C Provë")
    (participants,) = parts
    parts[participants][1] |= {"sex": "male", "age_band": "26_40"}
    activity = record_create(
        actor=monitor, model=ParticipationActivity, fields=activity_content(place, kind="training"), parts=parts
    )
    record_update(actor=monitor, record=activity, expected_version=activity.version, fields={}, submit=True)
    activity.refresh_from_db()
    record_approve(actor=supervisor, record=activity, expected_version=activity.version)
    response = client_for(democratization_actors["management"]).get(reverse("democratization:dashboard"))
    figures = {str(f.label): f.value for f in response.context["figures"]}
    assert figures["Participation activities"] == 2  # with the contract's approved one
    assert figures["Participants"] == 4
    charts = {c.slug: {row[0]: row[1] for row in c.rows} for c in response.context["charts"]}
    assert charts["participationactivity-participant-by-sex"]["Female"] == 3
    assert charts["participationactivity-participant-by-sex"]["Male"] == 1
    assert charts["participationactivity-participant-by-age_band"]["26–40"] == 1
    assert charts["participationactivity-participant-by-community"]["Not known"] == 4
    assert "Provë" not in response.content.decode()


def test_partners_read_the_approved_activities_coded_only(democratization_actors, democratization_objects):
    from django.test import Client

    from mission.api.services import token_issue

    actors = democratization_actors
    _token, key = token_issue(
        actor=actors["administrator"], user=actors["partner"], name="NGO", scopes=["participation"]
    )
    response = Client(HTTP_AUTHORIZATION=f"Bearer {key}").get("/api/v1/participation/")
    assert response.status_code == 200
    body = response.json()
    assert [row["kind"] for row in body["results"]] == ["womens_caucus"]
    text = str(body)
    for private in ("Rina", "Dialogue Academy: local budgets", "Municipal Assembly", "Session with"):
        assert private not in text


def test_partners_count_the_participants_never_a_name(democratization_actors, democratization_objects):
    from django.test import Client

    from mission.api.services import token_issue

    actors = democratization_actors
    monitor, supervisor = actors["monitor"], actors["supervisor"]
    place = monitor.region.municipalities.order_by("code").first()
    parts = activity_parts(*[f"P{n} Provë" for n in range(12)])
    (participants,) = parts
    for n, row in enumerate(parts[participants]):
        row["sex"] = "male" if n < 4 else "female"
    activity = record_create(actor=monitor, model=ParticipationActivity, fields=activity_content(place), parts=parts)
    record_update(actor=monitor, record=activity, expected_version=activity.version, fields={}, submit=True)
    activity.refresh_from_db()
    record_approve(actor=supervisor, record=activity, expected_version=activity.version)
    route = "/api/v1/aggregates/participation/participants/"
    _token, staff = token_issue(
        actor=actors["administrator"], user=actors["supervisor"], name="S", scopes=["participation"]
    )
    rows = Client(HTTP_AUTHORIZATION=f"Bearer {staff}").get(route, {"group_by": "sex"}).json()["results"]
    # Staff read exact counts of approved activities: the contract's approved one has one woman.
    assert {row["group"]: row["people"] for row in rows} == {"female": 9, "male": 4}
    _token, key = token_issue(actor=actors["administrator"], user=actors["partner"], name="P", scopes=["participation"])
    answer = Client(HTTP_AUTHORIZATION=f"Bearer {key}").get(route, {"group_by": "sex"})
    assert answer.status_code == 200
    cells = {row["group"]: row["people"] for row in answer.json()["results"]}
    for sex, true in (("male", 4), ("female", 9)):
        shown = cells[sex]  # perturbed by at most 2; below 5 suppressed (null)
        assert shown is None or (shown >= 5 and abs(shown - true) <= 2), (sex, shown)
    assert "Provë" not in answer.content.decode()


def test_a_spare_row_offers_its_defaulted_choices_empty_so_an_untouched_row_is_no_row(democratization_actors):
    monitor = democratization_actors["monitor"]
    page = client_for(monitor).get(url("create"))
    row = page.context["formsets"][0].formset.forms[0]
    for name in ("sex", "age_band", "role"):
        assert row[name].value() in ("", None)
        assert 'value="" selected' in str(row[name]) or " selected" not in str(row[name])
    place = monitor.region.municipalities.order_by("code").first()
    untouched = {"id": "", "name": "", "sex": "", "age_band": "", "community": "", "role": "", "outcome": ""}
    response = _create(client_for(monitor), _form(place, [_person("Ema Provë"), untouched], save="1"))
    assert response.status_code == 302
    assert list(Participant.objects.values_list("name", flat=True)) == ["Ema Provë"]


def test_a_new_row_left_with_its_choices_empty_gets_the_defaults(democratization_actors):
    monitor = democratization_actors["monitor"]
    place = monitor.region.municipalities.order_by("code").first()
    row = _person("Ema Provë", sex="", age_band="", role="")
    response = _create(client_for(monitor), _form(place, [row], save="1"))
    assert response.status_code == 302
    assert list(Participant.objects.values_list("sex", "age_band", "role")) == [("unknown", "unknown", "participant")]


def test_a_new_row_with_a_choice_picked_but_no_name_is_refused_on_its_name_not_saved_nameless(
    democratization_actors,
):
    monitor = democratization_actors["monitor"]
    place = monitor.region.municipalities.order_by("code").first()
    picked = {"id": "", "name": "", "sex": "female", "age_band": "", "community": "", "role": "", "outcome": ""}
    response = _create(client_for(monitor), _form(place, [_person("Ema Provë"), picked], save="1"))
    assert response.status_code == 200
    row = response.context["formsets"][0].formset.forms[1]
    assert row.errors["name"] == ["A new row needs a name. To leave the row out, empty its fields."]
    assert 'value="female" selected' in response.content.decode()  # what was picked is kept
    assert not ParticipationActivity.objects.exists()
    assert not Participant.objects.exists()


def test_the_top_of_the_form_names_each_rows_error_and_links_to_its_field(democratization_actors):
    monitor = democratization_actors["monitor"]
    place = monitor.region.municipalities.order_by("code").first()
    picked = {"id": "", "name": "", "sex": "female", "age_band": "", "community": "", "role": "", "outcome": ""}
    response = _create(client_for(monitor), _form(place, [_person("Ema Provë"), picked], title="", save="1"))
    page = response.content.decode()
    start = page.index('class="alert alert--error error-summary"')
    summary = page[start : page.index("</ul>", start)]
    assert '<a href="#id_title">Title: This field is required.</a>' in summary
    assert (
        '<a href="#id_participant-1-name">Participants, new row 2, Name: A new row needs a name. '
        "To leave the row out, empty its fields.</a>"
    ) in summary
    assert page.index("error-summary") < page.index('id="id_participant-1-name"')
    assert 'id="participant-1"' in page  # the row's box, which a row's own errors link to
