"""The pages the kit gives a declared record type (mission.records), run over every department that
declares records, through its test contract (tests/departments.py)."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.text import capfirst

from mission import departments
from mission.audit.models import AccessLog
from tests.conftest import client_for
from tests.departments import contract_fixtures, contracts, records_in

pytestmark = pytest.mark.django_db

globals().update(contract_fixtures())
DECLARED = {config.label: config for config in departments.all() if config.records}


@pytest.fixture(params=sorted(DECLARED))
def department(request):
    label = request.param
    config = DECLARED[label]
    record_type = config.records[0]
    actors = request.getfixturevalue(f"{label}_actors")
    objects = records_in(request.getfixturevalue(f"{label}_objects"), label)

    def url(page, *args):
        return reverse(f"{label}:{record_type.url_name(page)}", args=args)

    return {"config": config, "type": record_type, "actors": actors, "objects": objects, "url": url}


def _form_data(record, record_type, **overrides):
    from django.forms import model_to_dict

    data = {k: ("" if v is None else getattr(v, "pk", v)) for k, v in model_to_dict(record, record_type.fields).items()}
    data |= {"version": record.version}
    return data | _parts_data(record, record_type) | overrides


def _parts_of(record, record_type):
    """The rows of the record's parts, as the services take them for a new record (a related row as
    its instance)."""
    return {
        part: [{name: getattr(row, name) for name in part.fields} for row in getattr(record, part.related_name()).all()]
        for part in record_type.parts
    }


def _parts_data(record, record_type, *, same_rows=False):
    """The rows of the record's parts as its form posts them: as new rows of another record (copied),
    or with their ids (`same_rows`: the record's own form)."""
    from django.forms import model_to_dict

    data = {}
    for part in record_type.parts:
        rows = list(getattr(record, part.related_name()).all())
        prefix = part.name
        data |= {f"{prefix}-TOTAL_FORMS": len(rows), f"{prefix}-INITIAL_FORMS": len(rows) if same_rows else 0}
        for n, row in enumerate(rows):
            values = model_to_dict(row, part.fields)
            data |= {f"{prefix}-{n}-{k}": ("" if v is None else getattr(v, "pk", v)) for k, v in values.items()}
            data[f"{prefix}-{n}-id"] = row.pk if same_rows else ""
    return data


def test_the_journey_from_draft_to_correction(department):
    """A monitor saves a draft and submits it; a supervisor returns it, the monitor fixes and resubmits,
    the supervisor approves; the monitor corrects it with a reason and it goes back for review."""
    url, actors, record_type = department["url"], department["actors"], department["type"]
    model = record_type.get_model()
    template = department["objects"]["draft"]
    monitor, supervisor = client_for(actors["monitor"]), client_for(actors["supervisor"])
    page = monitor.get(url("create"))
    token = page.context["submission_token"]
    data = _form_data(template, record_type, version="", submission_token=token, submit="1")
    response = monitor.post(url("create"), data)
    assert response.status_code == 302
    record = model.objects.latest("pk")
    assert record.status == "submitted"
    assert record.author_pk == actors["monitor"].pk
    assert monitor.post(url("create"), data).status_code == 302  # a repeated post saves nothing twice
    assert model.objects.filter(pk__gt=record.pk).count() == 0

    queue = supervisor.get(url("queue"))
    assert record in [r for r, _cells in queue.context["rows"]]
    refused = supervisor.post(url("review", record.pk), {"decision": "return", "version": record.version})
    assert refused.status_code == 302
    assert model.objects.get(pk=record.pk).status == "submitted"  # a comment is due
    supervisor.post(url("review", record.pk), {"decision": "return", "version": record.version, "comment": "Date?"})
    record.refresh_from_db()
    assert record.status == "returned"

    fixed = _form_data(record, record_type, submit="1")
    assert monitor.post(url("edit", record.pk), fixed).status_code == 302
    record.refresh_from_db()
    assert record.status == "submitted"
    supervisor.post(url("review", record.pk), {"decision": "approve", "version": record.version})
    record.refresh_from_db()
    assert record.status == "approved"
    assert monitor.get(url("edit", record.pk)).status_code == 302  # approved: no more direct edits

    correction = _form_data(record, record_type, reason="Wrong date")
    assert monitor.post(url("correct", record.pk), correction | {"reason": ""}).status_code == 200  # reason needed
    assert monitor.post(url("correct", record.pk), correction).status_code == 302
    record.refresh_from_db()
    assert (record.revision, record.status) == (2, "submitted")
    history = monitor.get(url("detail", record.pk)).context["history"]
    assert any(entry["reason"] == "Wrong date" for entry in history)


def test_a_stale_edit_is_refused_with_the_input_kept(department):
    url, actors, record_type = department["url"], department["actors"], department["type"]
    draft = department["objects"]["draft"]
    client = client_for(actors["monitor"])
    stale = _form_data(draft, record_type, save="1")
    assert client.post(url("edit", draft.pk), stale).status_code == 302
    stale["description"] = "My words, typed on an old copy"
    response = client.post(url("edit", draft.pk), stale)
    assert response.status_code == 200
    assert response.context["conflict"] is not None
    assert "My words, typed on an old copy" in response.content.decode()


def test_bad_input_changes_nothing_and_says_why(department):
    url, actors, record_type = department["url"], department["actors"], department["type"]
    model = record_type.get_model()
    client = client_for(actors["monitor"])
    before = model.objects.count()
    token = client.get(url("create")).context["submission_token"]
    response = client.post(url("create"), {"submission_token": token, "save": "1", "date": "not a date"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert model.objects.count() == before


def test_a_municipality_of_another_region_is_refused_on_its_field(department, geography):
    from field_offices.models import Municipality

    url, actors, record_type = department["url"], department["actors"], department["type"]
    draft = department["objects"]["draft"]
    elsewhere = Municipality.objects.exclude(region=actors["monitor"].region).first()
    client = client_for(actors["monitor"])
    response = client.post(url("edit", draft.pk), _form_data(draft, record_type, municipality=elsewhere.pk, save="1"))
    assert response.status_code == 200
    assert "municipality" in response.context["form"].errors
    draft.refresh_from_db()
    assert draft.municipality.region_id == actors["monitor"].region_id


def test_restricted_values_are_withheld_from_management_and_logged_for_staff(department):
    url, actors = department["url"], department["actors"]
    draft = department["objects"]["draft"]
    contract = contracts()[department["config"].label]
    contract.plant_restricted(department["objects"], "Canary Namecheck")
    management = client_for(actors["management"]).get(url("detail", draft.pk)).content.decode()
    assert "Canary Namecheck" not in management
    AccessLog.objects.all().delete()
    assert "Canary Namecheck" in client_for(actors["supervisor"]).get(url("detail", draft.pk)).content.decode()
    assert AccessLog.objects.filter(user=actors["supervisor"], object_id=str(draft.pk)).exists()
    export = client_for(actors["supervisor"]).get(url("export"))
    assert "Canary Namecheck" not in b"".join(export.streaming_content).decode()  # names stay on the pages


def test_the_list_filters_searches_sorts_and_pages(department):
    url, actors = department["url"], department["actors"]
    objects = department["objects"]
    client = client_for(actors["supervisor"])
    everything = client.get(url("list"))
    assert {r.pk for r, _cells in everything.context["rows"]} == {o.pk for o in objects.values()}
    approved = client.get(url("list"), {"status": "approved"})
    assert [r.pk for r, _cells in approved.context["rows"]] == [objects["approved"].pk]
    assert client.get(url("list"), {"q": "nothing like this anywhere"}).context["rows"] == []
    contracts()[department["config"].label].plant_restricted(objects, "Canary Namecheck")
    named = client.get(url("list"), {"q": "  Canary   Namecheck "}).context["rows"]  # encrypted: the whole name
    assert [r.pk for r, _cells in named] == [objects["draft"].pk]
    assert client.get(url("list"), {"q": "Canary"}).context["rows"] == []
    assert client.get(url("list"), {"sort": "oldest"}).status_code == 200
    assert client.get(url("list"), {"status": "no-such-status"}).status_code == 200  # said on the form
    assert client.get(url("list"), {"page": "999"}).status_code in (200, 404)


def test_the_list_costs_the_same_queries_at_two_sizes(department):
    from mission.records.services import record_create

    url, actors, record_type = department["url"], department["actors"], department["type"]
    model = record_type.get_model()
    client = client_for(actors["supervisor"])
    template = department["objects"]["draft"]

    def count() -> int:
        client.get(url("list"))  # warm caches (session, content types)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("list")).status_code == 200
        return len(queries)

    small = count()
    fields = {name: getattr(template, name) for name in record_type.fields}
    for n in range(20):
        record_create(actor=actors["monitor"], model=model, fields=fields | {"date": datetime.date(2026, 1, 1 + n)})
    assert count() == small


def test_the_overview_and_the_municipality_page_show_the_records(department):
    actors, objects = department["actors"], department["objects"]
    client = client_for(actors["supervisor"])
    overview = client.get(reverse("dashboards:overview"))
    assert overview.status_code == 200
    plural = str(department["type"].get_model()._meta.verbose_name_plural)
    assert escape(plural.capitalize()) in overview.content.decode()
    code = objects["draft"].municipality.code
    page = client.get(reverse("dashboards:municipality_detail", kwargs={"code": code}))
    assert escape(str(department["config"].verbose_name)) in page.content.decode()  # "Security &amp; Public Safety"
    assert reverse(
        f"{department['config'].label}:{department['type'].url_name('detail')}", args=[objects["draft"].pk]
    ) in (page.content.decode())
    detail = reverse(
        f"{department['config'].label}:{department['type'].url_name('detail')}", args=[objects["draft"].pk]
    )
    assert re.search(r"[1-9]\d* records? here in your scope", page.content.decode())
    elsewhere = client_for(actors["other_region_monitor"])
    other_page = elsewhere.get(reverse("dashboards:municipality_detail", kwargs={"code": code})).content.decode()
    assert detail not in other_page
    # Nor how many there are: another region's municipality shows no counts of its records.
    assert not re.search(r"[1-9]\d* records? here in your scope", other_page)


def test_a_correction_cannot_move_a_record_out_of_the_correctors_scope(department, geography):
    from django.core.exceptions import ValidationError

    from field_offices.models import Municipality
    from mission.records.services import record_correct_content

    approved = department["objects"]["approved"]
    supervisor = department["actors"]["supervisor"]
    elsewhere = Municipality.objects.exclude(region=supervisor.region).first()
    with pytest.raises(ValidationError) as refused:
        record_correct_content(
            actor=supervisor,
            record=approved,
            expected_version=approved.version,
            reason="Moved",
            fields={"municipality": elsewhere},
        )
    assert "municipality" in refused.value.message_dict
    approved.refresh_from_db()
    assert approved.municipality.region_id == supervisor.region_id
    assert approved.revision == 1


def test_the_filter_fields_are_rendered_once_for_the_same_filters(department, rendered_fields):
    rendered = rendered_fields
    client, url = client_for(department["actors"]["supervisor"]), department["url"]("list")
    first = client.get(url).content.decode()
    assert "region" in rendered
    rendered.clear()
    assert client.get(url).content.decode().count('name="region"') == first.count('name="region"') == 1
    assert rendered == []
    client.get(url, {"status": "approved"})
    assert "region" in rendered


def test_the_filters_and_sorts_speak_the_readers_language(department):
    """The form is made once per record type: its labels stay lazy, so each reader gets their language."""
    url, actors = department["url"], department["actors"]
    client = client_for(actors["supervisor"])
    client.get(url("list"))  # made in English first
    client.cookies["django_language"] = "sq"
    form = client.get(url("list"), HTTP_ACCEPT_LANGUAGE="sq").context["filter"].form
    choices = {key: str(label) for key, label in form.fields["sort"].choices}
    assert choices["newest"] == "Më të rejat së pari"
    assert choices["municipality"] == "Komunë"
    name = department["type"].filters[0]
    label = capfirst(department["type"].get_model()._meta.get_field(name).verbose_name)
    with translation.override("sq"):
        albanian = str(label)
    with translation.override("en"):
        assert albanian != str(label)  # translated
    assert str(form.fields[name].label) == albanian


def test_the_page_csv_is_the_data_reports_table_without_names(department):
    import csv
    import io

    from mission.records.tables import table_spec

    url, actors, objects = department["url"], department["actors"], department["objects"]
    response = client_for(actors["supervisor"]).get(url("export"))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == table_spec(department["type"], restricted=False).headers()
    assert sorted(int(row[0]) for row in rows[1:]) == sorted(o.pk for o in objects.values())


def test_the_review_queue_starts_with_the_record_waiting_longest(department):
    from mission.records.services import record_create, record_update

    url, actors, record_type = department["url"], department["actors"], department["type"]
    template = department["objects"]["submitted"]
    fields = {name: getattr(template, name) for name in record_type.fields}
    older = record_create(
        actor=actors["monitor"],
        model=record_type.get_model(),
        fields=fields | {"date": template.date - datetime.timedelta(days=30)},
        parts=_parts_of(template, record_type),
    )
    record_update(actor=actors["monitor"], record=older, expected_version=older.version, fields={}, submit=True)
    page = client_for(actors["supervisor"]).get(url("queue"))
    assert next(r.pk for r, _cells in page.context["rows"]) == older.pk
    assert page.context["filter"].form["sort"].value() == "oldest"


def test_a_filter_on_other_rows_than_reference_data_is_rendered_every_time(department):
    import django_filters

    from mission.accounts.models import User
    from mission.records.forms import filterset_class

    filterset = filterset_class(department["type"])(None, queryset=department["type"].get_model().objects.none())
    assert filterset.form_key_parts() == ()
    filterset.filters["reporter"] = django_filters.ModelChoiceFilter(queryset=User.objects.all())
    assert filterset.form_key_parts() is None


def _options(page, name):
    form = page.context["filter"].form
    return [str(label) for value, label in form.fields[name].widget.choices if value != ""]


def test_a_regional_supervisors_filters_offer_their_region_and_its_municipalities_only(department, geography):
    from field_offices.models import Municipality, Region

    url, actors = department["url"], department["actors"]
    supervisor = actors["supervisor"]
    own = Municipality.objects.filter(region=supervisor.region)
    for page_name in ("queue", "list"):
        page = client_for(supervisor).get(url(page_name))
        assert _options(page, "region") == [supervisor.region.name]
        assert sorted(_options(page, "municipality")) == sorted(m.name for m in own)
        html = page.content.decode()
        for other in Region.objects.exclude(pk=supervisor.region_id):
            assert f'value="{other.code}"' not in html
    elsewhere = Region.objects.exclude(pk=supervisor.region_id).first()
    page = client_for(supervisor).get(url("queue"), {"region": elsewhere.code})
    assert page.context["filter"].form.errors["region"]  # not a choice: said on the field, not applied
    assert all(record.municipality.region_id == supervisor.region_id for record, _cells in page.context["rows"])


def test_a_department_heads_filters_offer_every_region(department, geography):
    from field_offices.models import Region

    url, actors = department["url"], department["actors"]
    client_for(actors["supervisor"]).get(url("list"))  # their fields are kept for their region only
    page = client_for(actors["department_head"]).get(url("list"))
    assert sorted(_options(page, "region")) == sorted(r.name for r in Region.objects.all())
    html = page.content.decode()
    assert all(f'value="{region.code}"' in html for region in Region.objects.all())


class TestAnswerLostAfterTheCommit:
    """A save whose answer is lost after its commit (the connection dies, the proxy times out: the
    browser sees an error) is sent again: the retry says it is saved, never a duplicate, never a
    conflict with the save that went through."""

    @staticmethod
    def _lose_the_answer_once(monkeypatch):
        from django.db import OperationalError

        from mission import pages

        real = pages.draft_saved
        calls = []

        def dies_after_the_commit(*args, **kwargs):
            calls.append(1)
            if len(calls) == 1:
                raise OperationalError("server closed the connection unexpectedly")
            return real(*args, **kwargs)

        monkeypatch.setattr(pages, "draft_saved", dies_after_the_commit)

    def test_a_new_record_is_saved_once(self, department, monkeypatch):
        url, actors, record_type = department["url"], department["actors"], department["type"]
        model = record_type.get_model()
        client = client_for(actors["monitor"])
        client.raise_request_exception = False
        token = client.get(url("create")).context["submission_token"]
        data = _form_data(department["objects"]["draft"], record_type, version="", submission_token=token, save="1")
        before = model.objects.count()
        self._lose_the_answer_once(monkeypatch)
        assert client.post(url("create"), data).status_code == 500
        assert model.objects.count() == before + 1  # committed before the answer was lost
        retry = client.post(url("create"), data, follow=True)
        assert model.objects.count() == before + 1
        record = model.objects.latest("pk")
        assert retry.redirect_chain[0][0] == url("detail", record.pk)
        assert "it was saved once" in retry.content.decode()

    def test_an_edit_is_saved_once_and_its_retry_is_no_conflict(self, department, monkeypatch):
        url, actors, record_type = department["url"], department["actors"], department["type"]
        record = department["objects"]["draft"]
        client = client_for(actors["monitor"])
        client.raise_request_exception = False
        page = client.get(url("edit", record.pk))
        token = page.context["submission_token"]
        assert f'name="submission_token" value="{token}"' in page.content.decode()
        data = _form_data(record, record_type, submission_token=token, save="1") | _parts_data(
            record, record_type, same_rows=True
        )
        version = record.version
        self._lose_the_answer_once(monkeypatch)
        assert client.post(url("edit", record.pk), data).status_code == 500
        record.refresh_from_db()
        assert record.version == version + 1  # the edit went through
        retry = client.post(url("edit", record.pk), data, follow=True)
        record.refresh_from_db()
        assert record.version == version + 1  # and is not made twice
        assert retry.redirect_chain[0][0] == url("edit", record.pk)  # where the draft's save led: no conflict page
        assert "it was saved once" in retry.content.decode()

    def test_a_new_form_with_an_old_version_is_still_a_conflict(self, department):
        url, actors, record_type = department["url"], department["actors"], department["type"]
        record = department["objects"]["draft"]
        client = client_for(actors["monitor"])
        old = _form_data(record, record_type, save="1") | _parts_data(record, record_type, same_rows=True)
        first = client.post(
            url("edit", record.pk),
            old | {"submission_token": client.get(url("edit", record.pk)).context["submission_token"]},
        )
        assert first.status_code == 302
        second = client.post(
            url("edit", record.pk),
            old | {"submission_token": client.get(url("edit", record.pk)).context["submission_token"]},
        )
        assert second.status_code == 200
        assert second.context["conflict"] is not None
