"""Journalists' safety incidents: the journalists and the response steps written with the incident on
its form (the kit's record parts), their names restricted, their changes in the history."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from democratization.models import Journalist, JournalistIncident, MediaOutlet, ResponseStep
from mission.audit.models import AccessLog
from mission.records.declaration import record_type_of
from mission.records.services import record_create, record_update
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def url(page, *args):
    return reverse(f"democratization:journalistincident_{page}", args=args)


def _rows(prefix, rows, *, initial=0):
    data = {f"{prefix}-TOTAL_FORMS": len(rows), f"{prefix}-INITIAL_FORMS": initial}
    for n, row in enumerate(rows):
        data |= {f"{prefix}-{n}-{key}": value for key, value in row.items()}
    return data


def _post_data(municipality, *, journalists, steps=(), initial_journalists=0, **fields):
    data = {
        "version": "",
        "date": f"{TODAY - datetime.timedelta(days=10):%Y-%m-%d}",
        "municipality": municipality.pk,
        "kind": "physical_attack",
        "perpetrator_type": "private_person",
        "reported_to_police": "true",
        "description": "Pushed while filming outside the municipal assembly.",
    }
    data |= _rows("journalist", journalists, initial=initial_journalists)
    data |= _rows("responsestep", list(steps))
    return data | fields


def _journalist(name, **fields):
    return {
        "id": "",
        "name": name,
        "sex": "female",
        "community": "",
        "outlet": "",
        "outlet_other": "Radio Test",
        "media_type": "radio",
    } | fields


@pytest.fixture
def peja(democratization_actors):
    return democratization_actors["monitor"].region.municipalities.order_by("code").first()


def _create(client, data):
    token = client.get(url("create")).context["submission_token"]
    return client.post(url("create"), data | {"submission_token": token})


def test_a_monitor_logs_an_incident_with_its_journalists_and_the_police_response(democratization_actors, peja):
    monitor = client_for(democratization_actors["monitor"])
    police = {
        "id": "",
        "step": "police_case",
        "date": f"{TODAY - datetime.timedelta(days=4):%Y-%m-%d}",
        "note": "Case 12/26",
    }
    data = _post_data(
        peja,
        journalists=[_journalist("Teuta Provë"), _journalist("Marko Prović", sex="male")],
        steps=[police],
        submit="1",
    )
    response = _create(monitor, data)
    assert response.status_code == 302
    incident = JournalistIncident.objects.get()
    assert incident.status == "submitted"
    assert [(j.ordinal, j.name) for j in incident.journalists.order_by("ordinal")] == [
        (1, "Teuta Provë"),
        (2, "Marko Prović"),
    ]
    assert [(s.step, (s.date - incident.date).days) for s in incident.response_steps.all()] == [("police_case", 6)]
    page = monitor.get(url("detail", incident.pk)).content.decode()
    assert "Teuta Provë" in page
    assert "Police opened a case" in page


def test_submitting_without_a_journalist_is_refused_and_keeps_what_was_typed(democratization_actors, peja):
    monitor = client_for(democratization_actors["monitor"])
    response = _create(monitor, _post_data(peja, journalists=[], submit="1", description="Kept words"))
    assert response.status_code == 200
    assert "Add at least 1 journalist before submitting." in response.content.decode()
    assert "Kept words" in response.content.decode()
    assert not JournalistIncident.objects.exists()
    assert _create(monitor, _post_data(peja, journalists=[], save="1")).status_code == 302  # a draft may wait


def test_a_bad_row_says_which_row_and_saves_nothing(democratization_actors, peja):
    monitor = client_for(democratization_actors["monitor"])
    future = {"id": "", "step": "charged", "date": f"{TODAY + datetime.timedelta(days=3):%Y-%m-%d}", "note": ""}
    response = _create(monitor, _post_data(peja, journalists=[_journalist("Teuta Provë")], steps=[future], save="1"))
    assert response.status_code == 200
    assert "This date is in the future" in response.content.decode()
    assert "Teuta Provë" in response.content.decode()  # typed, kept
    assert not JournalistIncident.objects.exists()
    assert not Journalist.objects.exists()
    unknown = _journalist("Teuta Provë", media_type="carrier-pigeon")
    response = _create(monitor, _post_data(peja, journalists=[unknown], save="1"))
    assert response.status_code == 200
    assert not JournalistIncident.objects.exists()


def test_the_author_edits_removes_and_adds_journalists(democratization_actors, democratization_objects):
    draft = democratization_objects["draft"]
    first = draft.journalists.get()
    monitor = client_for(democratization_actors["monitor"])
    edit = _post_data(
        draft.municipality,
        journalists=[
            _journalist("Renamed Provë", id=first.pk, DELETE=""),
            _journalist("Second Provë"),
        ],
        initial_journalists=1,
        version=draft.version,
        save="1",
    )
    assert monitor.post(url("edit", draft.pk), edit).status_code == 302
    assert sorted(draft.journalists.values_list("ordinal", "name")) == [(1, "Renamed Provë"), (2, "Second Provë")]
    draft.refresh_from_db()
    remove = _post_data(
        draft.municipality,
        journalists=[_journalist("Renamed Provë", id=first.pk, DELETE="on")],
        initial_journalists=1,
        version=draft.version,
        save="1",
    )
    assert monitor.post(url("edit", draft.pk), remove).status_code == 302
    assert list(draft.journalists.values_list("name", flat=True)) == ["Second Provë"]


def test_a_row_of_another_record_is_refused_and_nothing_changes(democratization_actors, democratization_objects):
    draft, other = democratization_objects["draft"], democratization_objects["approved"]
    stolen = other.journalists.get()
    monitor = client_for(democratization_actors["monitor"])
    data = _post_data(
        draft.municipality,
        journalists=[_journalist("Overwritten", id=stolen.pk)],
        initial_journalists=1,
        version=draft.version,
        save="1",
    )
    response = monitor.post(url("edit", draft.pk), data)
    assert response.status_code == 200
    assert "was removed from this record" in response.content.decode()
    stolen.refresh_from_db()
    assert stolen.name != "Overwritten"
    assert stolen.incident_id == other.pk


def test_names_only_for_the_department_every_view_logged(democratization_actors, democratization_objects):
    draft = democratization_objects["draft"]
    record_update(
        actor=democratization_actors["monitor"],
        record=draft,
        expected_version=draft.version,
        fields={},
        parts={_journalists(): [{"id": draft.journalists.get().pk, "name": "Changed Provë"}]},
    )
    management = client_for(democratization_actors["management"]).get(url("detail", draft.pk)).content.decode()
    assert "Provë" not in management  # neither the name nor its change in the history
    assert "Journalist A" in management
    assert not AccessLog.objects.filter(user=democratization_actors["management"]).exists()
    head = democratization_actors["department_head"]
    page = client_for(head).get(url("detail", draft.pk)).content.decode()
    assert "Changed Provë" in page  # the name now
    assert "Arbër Provë" in page  # and before, in the history
    assert AccessLog.objects.filter(user=head, object_id=str(draft.pk)).count() == 1


def test_the_outlet_is_restricted_like_the_name(democratization_actors, democratization_objects):
    # The contract's journalist works for Radio KIM: with the sex and community, that may name them.
    draft = democratization_objects["draft"]
    management = client_for(democratization_actors["management"]).get(url("detail", draft.pk)).content.decode()
    assert "Radio KIM" not in management
    assert "Journalist A" in management
    head = client_for(democratization_actors["department_head"]).get(url("detail", draft.pk)).content.decode()
    assert "Radio KIM" in head


def test_an_outlet_is_picked_or_typed_not_both(democratization_actors, democratization_objects, peja):
    monitor = client_for(democratization_actors["monitor"])
    kim = MediaOutlet.objects.get(code="RKIM")
    data = _post_data(peja, journalists=[_journalist("Dafina Provë", outlet=str(kim.pk), outlet_other="Radio KIM")])
    before = JournalistIncident.objects.count()
    response = _create(monitor, data)
    assert response.status_code == 200
    assert "Pick the outlet from the list or type another one, not both." in response.content.decode()
    assert JournalistIncident.objects.count() == before


def test_a_journalists_name_finds_the_incident_only_for_who_may_read_it(
    democratization_actors, democratization_objects
):
    for actor, found in (("supervisor", True), ("management", False)):
        rows = client_for(democratization_actors[actor]).get(url("list"), {"q": " Arbër  Provë "}).context["rows"]
        assert (len(rows) == 3) is found, actor  # the three incidents name the same journalist
        if not found:
            assert rows == []


def test_the_page_of_an_incident_costs_the_same_queries_with_more_journalists(
    democratization_actors, democratization_objects
):
    draft = democratization_objects["draft"]
    client = client_for(democratization_actors["supervisor"])

    def count() -> int:
        client.get(url("detail", draft.pk))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("detail", draft.pk)).status_code == 200
        return len(queries)

    few = count()
    rows = [
        {"name": f"Extra {n}", "sex": "male", "community": None, "outlet": None, "media_type": ""} for n in range(6)
    ]
    steps = [{"step": "mission_meeting", "date": TODAY, "note": f"Meeting {n}"} for n in range(4)]
    draft.refresh_from_db()
    record_update(
        actor=democratization_actors["monitor"],
        record=draft,
        expected_version=draft.version,
        fields={},
        parts={_journalists(): rows, _steps(): steps},
    )
    assert count() == few


def test_the_incident_maps_to_the_platforms_categories(democratization_objects):
    assert democratization_objects["approved"].coe_category == "COE_PHYSICAL"
    assert democratization_objects["submitted"].safejournalists_category == "SJ_OTHER_THREAT"


def test_a_service_refuses_more_rows_than_a_record_holds(democratization_actors, peja):
    part = _journalists()
    too_many = [{"name": f"P {n}", "sex": "male"} for n in range(part.max_rows + 1)]
    with pytest.raises(Exception, match="at most"):
        record_create(
            actor=democratization_actors["monitor"],
            model=JournalistIncident,
            fields={"date": TODAY, "municipality": peja, "kind": "threat", "perpetrator_type": "unknown"},
            parts={part: too_many},
        )
    assert not ResponseStep.objects.exists()
    assert not Journalist.objects.exists()


def _journalists():
    return record_type_of(JournalistIncident).parts[0]


def _steps():
    return record_type_of(JournalistIncident).parts[1]


def _edit_rows(actors, incident, rows):
    incident.refresh_from_db()
    return record_update(
        actor=actors["monitor"],
        record=incident,
        expected_version=incident.version,
        fields={},
        parts={_journalists(): rows},
    )


def test_a_removed_journalist_stays_in_the_history_under_the_pseudonym(democratization_actors, democratization_objects):
    draft = democratization_objects["draft"]
    first = draft.journalists.get()
    _edit_rows(democratization_actors, draft, [{"id": first.pk, "delete": True}, {"name": "", "sex": "female"}])
    newcomer = draft.journalists.get()
    assert newcomer.ordinal == 2  # "Journalist B": a removed person's pseudonym is never given again
    AccessLog.objects.all().delete()
    head = democratization_actors["department_head"]
    page = client_for(head).get(url("detail", draft.pk)).content.decode()
    assert "Journalist A removed" in page
    assert "Arbër Provë" in page  # the removed name, in the history of a reader of names: a logged view
    assert AccessLog.objects.filter(user=head, object_id=str(draft.pk)).count() == 1
    management = client_for(democratization_actors["management"]).get(url("detail", draft.pk)).content.decode()
    assert "Journalist A removed" in management
    assert "Arbër" not in management


def test_a_row_left_as_it_was_writes_no_history_and_a_row_removed_meanwhile_is_no_error(
    democratization_actors, democratization_objects
):
    draft = democratization_objects["draft"]
    first = draft.journalists.get()
    before = Journalist.history.count()
    unchanged = {"id": first.pk, "name": first.name, "sex": first.sex, "community": None, "outlet": first.outlet}
    _edit_rows(democratization_actors, draft, [unchanged])
    assert Journalist.history.count() == before
    Journalist.objects.filter(pk=first.pk).delete()  # someone else removed it meanwhile
    _edit_rows(democratization_actors, draft, [{"id": first.pk, "delete": True}])
    assert not draft.journalists.exists()


def test_a_response_step_before_the_incident_is_refused_and_row_errors_are_announced(
    democratization_actors, democratization_objects
):
    draft = democratization_objects["draft"]
    monitor = client_for(democratization_actors["monitor"])
    early = {"id": "", "step": "charged", "date": f"{draft.date - datetime.timedelta(days=3):%Y-%m-%d}", "note": ""}
    journalist = draft.journalists.get()
    data = _post_data(
        draft.municipality,
        journalists=[_journalist(journalist.name, id=journalist.pk)],
        initial_journalists=1,
        steps=[early],
        version=draft.version,
        save="1",
    )
    data["date"] = f"{draft.date:%Y-%m-%d}"
    response = monitor.post(url("edit", draft.pk), data)
    assert response.status_code == 200
    assert "cannot come before the record&#x27;s date" in response.content.decode()
    assert not draft.response_steps.exists()
    missing = dict(data, **{"responsestep-0-date": ""})
    response = monitor.post(url("edit", draft.pk), missing)
    announced = "Response to the incident, new row 1, Date: This field is required.</a>"
    assert '<a href="#id_responsestep-0-date">' + announced in response.content.decode()  # linked, at the top


def test_the_data_report_names_the_outlet_for_readers_of_names_only(
    democratization_actors, democratization_objects, settings, tmp_path
):
    from mission import departments
    from tests.departments import records_in
    from tests.records.test_reports import _tables

    settings.MEDIA_ROOT = tmp_path / "media"
    config = next(c for c in departments.all() if c.label == "democratization")
    department = {
        "config": config,
        "type": config.records[0],
        "actors": democratization_actors,
        "objects": records_in(democratization_objects, "democratization"),
    }
    _job, (_records, journalists, _steps) = _tables(department, democratization_actors["department_head"], "csv")
    header = journalists[0]
    outlets = {row[header.index("Media outlet")] for row in journalists[1:]}
    assert outlets == {"Radio KIM"}  # its name, not its key
    _job, (_records, journalists, _steps) = _tables(department, democratization_actors["management"], "csv")
    assert "Media outlet" not in journalists[0]
    assert "Radio KIM" not in {cell for row in journalists for cell in row}


def test_a_new_row_with_only_an_outlet_asks_for_the_journalists_name(democratization_actors, peja):
    monitor = client_for(democratization_actors["monitor"])
    kim = MediaOutlet.objects.get(code="RKIM")
    data = _post_data(peja, journalists=[_journalist("", outlet=str(kim.pk), outlet_other="")])
    before = JournalistIncident.objects.count()
    response = _create(monitor, data)
    assert response.status_code == 200
    form = response.context["formsets"][0].formset.forms[0]
    assert "A new row needs a name." in response.content.decode()
    assert list(form.errors) == ["name"]  # on the name, not on the outlet picked
    assert JournalistIncident.objects.count() == before
