"""Option lists of reference data are built once per language and process (mission/choices.py): a form
renders them without a query, and a change to the reference rows shows in the next form."""

import pytest
from django import forms
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from field_offices.models import Municipality
from mission import choices
from mission.forms import use_fast_widgets
from tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db


class MunicipalityForm(forms.Form):
    municipality = forms.ModelChoiceField(
        queryset=Municipality.objects.order_by("name_en"), to_field_name="code", empty_label="All municipalities"
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        use_fast_widgets(self)


def rendered(data=None) -> str:
    return str(MunicipalityForm(data)["municipality"])


def test_options_are_every_row_in_order_with_the_empty_choice_first():
    html = rendered()
    assert html.startswith("<select")
    assert 'name="municipality"' in html
    assert '<option value="">All municipalities</option>' in html
    names = list(Municipality.objects.order_by("name_en").values_list("code", "name_en"))
    positions = [html.index(f'<option value="{code}">{name}</option>') for code, name in names]
    assert positions == sorted(positions)


def test_a_second_form_renders_the_options_without_a_query(django_assert_num_queries):
    rendered()
    with django_assert_num_queries(0):
        rendered()


def test_an_added_renamed_or_deleted_row_shows_in_the_next_form():
    rendered()
    added = MunicipalityFactory(name_en="Aaa new municipality")
    assert f'<option value="{added.code}">Aaa new municipality</option>' in rendered()

    added.name_en = "Aaa renamed municipality"
    added.save()
    html = rendered()
    assert "Aaa renamed municipality" in html
    assert "Aaa new municipality" not in html

    added.delete()
    assert "Aaa renamed municipality" not in rendered()


def test_labels_follow_the_language_of_the_page():
    municipality = Municipality.objects.order_by("code").first()
    with translation.override("en"):
        assert f">{municipality.name_en}<" in rendered()
    with translation.override("sq"):
        assert f">{municipality.name_sq}<" in rendered()
    with translation.override("sr-latn"):
        assert f">{municipality.name_sr}<" in rendered()


def test_the_chosen_value_is_selected_and_a_submitted_value_is_still_checked_against_the_database():
    municipality = Municipality.objects.order_by("code").first()
    assert f'<option value="{municipality.code}" selected>' in rendered({"municipality": municipality.code})
    form = MunicipalityForm({"municipality": "no-such-code"})
    assert not form.is_valid()
    assert "municipality" in form.errors


def test_a_lost_version_in_the_shared_cache_rebuilds_the_lists():
    """Another process may have changed the rows: a cache that lost the token (a restart of Redis) must
    not let a process take its old list for current."""
    rendered()
    Municipality.objects.filter(pk=Municipality.objects.order_by("code").first().pk).update(name_en="Quietly renamed")
    assert "Quietly renamed" not in rendered()  # an update without signals: the kept list stands
    cache.delete(choices.VERSION_KEY)
    assert "Quietly renamed" in rendered()


def test_the_reference_loader_replaces_the_version(monkeypatch):
    from io import StringIO

    from django.core.management import call_command

    rendered()
    before = cache.get(choices.VERSION_KEY)
    call_command("load_reference_data", stdout=StringIO())
    assert cache.get(choices.VERSION_KEY) != before


class TestVersionReadOncePerRequest:
    """A page asks for the version token with every list, form and kept statement (a round trip to Redis
    each): a request reads it once, the next request reads it again, and a change made by the request
    itself is read at once."""

    @staticmethod
    def _count_reads(monkeypatch) -> list[str]:
        reads: list[str] = []
        real_get = cache.get

        def get(key, *args, **kwargs):
            if key == choices.VERSION_KEY:
                reads.append(key)
            return real_get(key, *args, **kwargs)

        monkeypatch.setattr(cache, "get", get)
        return reads

    def test_a_page_reads_the_token_once(self, department_head, monitor, monkeypatch):
        from tests.conftest import client_for
        from tests.factories import CaseFactory, HearingFactory

        case = CaseFactory(created_by=monitor)
        HearingFactory(case=case)
        client = client_for(department_head)
        url = f"/trial-monitoring/cases/{case.pk}/"
        assert client.get(url).status_code == 200
        reads = self._count_reads(monkeypatch)
        assert client.get(url).status_code == 200
        assert len(reads) == 1

    def test_the_next_request_sees_a_token_another_process_replaced(self, department_head):
        from rights.models import Court
        from tests.conftest import client_for

        client, url = client_for(department_head), "/trial-monitoring/hearings/"
        client.get(url)
        court = Court.objects.order_by("code").first()
        Court.objects.filter(pk=court.pk).update(name_en="Renamed elsewhere")  # no signal in this process
        assert "Renamed elsewhere" not in client.get(url).content.decode()
        cache.set(choices.VERSION_KEY, "replaced-by-another-process", None)
        assert "Renamed elsewhere" in client.get(url).content.decode()

    def test_a_change_within_a_request_is_read_at_once(self):
        choices._start_request()
        try:
            before = choices.reference_version()
            assert choices.reference_version() == before
            choices.reference_changed()
            assert choices.reference_version() != before
        finally:
            choices._end_request()

    def test_outside_a_request_the_token_is_read_every_time(self):
        import uuid

        choices.reference_version()
        replaced = uuid.uuid4().hex
        cache.set(choices.VERSION_KEY, replaced, None)
        assert choices.reference_version() == replaced


class TestKeptFilterForms:
    """A list's filter fields are kept per reference version, language, filter values and what else
    the filter set names (`{% filter_fields %}`); anything that changes one of them shows at once."""

    @staticmethod
    def _filters(response) -> str:
        html = response.content.decode()
        return html[
            html.index('<form method="get" class="filters"') : html.index("</form>", html.index('class="filters"'))
        ]

    def test_a_second_page_renders_the_same_fields_and_a_renamed_court_shows_in_the_next(self, department_head):
        from rights.models import Court
        from tests.conftest import client_for

        client, url = client_for(department_head), "/trial-monitoring/hearings/"
        first = self._filters(client.get(url))
        assert first == self._filters(client.get(url))
        court = Court.objects.order_by("code").first()
        court.name_en = "Renamed test court"
        court.save()
        assert "Renamed test court" in self._filters(client.get(url))

    def test_the_same_filters_are_rendered_once(self, department_head, rendered_fields):
        from tests.conftest import client_for

        client, url = client_for(department_head), "/trial-monitoring/hearings/"
        client.get(url)
        assert "court" in rendered_fields
        rendered_fields.clear()
        client.get(url)
        assert rendered_fields == []
        client.get(url, {"court_department": "juvenile"})
        assert "court" in rendered_fields

    def test_the_values_and_errors_of_the_request_are_the_forms_own(self, department_head):
        from tests.conftest import client_for

        client, url = client_for(department_head), "/trial-monitoring/hearings/"
        client.get(url)
        chosen = self._filters(client.get(url, {"court_department": "juvenile"}))
        assert '<option value="juvenile" selected>' in chosen
        wrong = self._filters(client.get(url, {"date_from": "not a date"}))
        assert 'value="not a date"' in wrong
        assert 'class="error"' in wrong
        assert 'class="error"' not in self._filters(client.get(url))

    def test_the_language_of_the_page_is_the_forms(self, department_head):
        from tests.conftest import client_for

        client, url = client_for(department_head), "/trial-monitoring/hearings/"
        english = self._filters(client.get(url))
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sq"
        albanian = self._filters(client.get(url))
        assert albanian != english
        with translation.override("sq"):
            assert str(Municipality.objects.order_by("code").first().name_sq) in albanian

    def test_the_review_queue_offers_each_reviewer_their_own_colleagues(self, supervisor, monitor):
        from mission.accounts.roles import Role
        from tests.conftest import client_for
        from tests.factories import UserFactory

        url = "/trial-monitoring/review/"
        first = self._filters(client_for(supervisor).get(url))
        assert monitor.username in first
        colleague = UserFactory(username="new.colleague", role=Role.MONITOR, region=monitor.region)
        assert colleague.username in self._filters(client_for(supervisor).get(url))


class TestReferenceValuesOfApiRows:
    """The API's rows show reference codes from the kept reference values (mission.choices): the same
    as a join would give, a change shows on the next page, and a row added around the signals too."""

    @staticmethod
    def _seats(client) -> dict[str, str | None]:
        return {row["code"]: row["seat"] for row in client.get("/api/v1/courts/?page_size=200").json()["results"]}

    def test_codes_equal_the_joined_ones_and_follow_changes(self, department_head):
        from rights.models import Court
        from tests.conftest import client_for

        client = client_for(department_head)
        expected = dict(Court.objects.values_list("code", "seat__code"))
        assert self._seats(client) == expected
        court = Court.objects.exclude(seat=None).order_by("code").first()
        moved_to = MunicipalityFactory(name_en="Aaa seat")  # saved: the version changes
        court.seat = moved_to
        court.save()
        assert self._seats(client)[court.code] == moved_to.code

    def test_a_reference_row_added_without_signals_is_read_when_a_row_needs_it(self, department_head):
        from field_offices.models import Region
        from rights.models import Court
        from tests.conftest import client_for

        client = client_for(department_head)
        self._seats(client)
        (quiet,) = Municipality.objects.bulk_create(
            [
                Municipality(
                    code="99",
                    name_en="Quiet municipality",
                    name_sq="Komuna e qetë",
                    name_sr="Tiha opština",
                    name_sr_cyrl="Тиха општина",
                    region=Region.objects.order_by("code").first(),
                    district=Municipality.objects.order_by("code").first().district,
                    population=1,
                )
            ]
        )
        court = Court.objects.order_by("code").first()
        Court.objects.filter(pk=court.pk).update(seat=Municipality.objects.get(code="99"))
        assert self._seats(client)[court.code] == quiet.code
