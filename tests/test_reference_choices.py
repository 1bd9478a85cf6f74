"""Option lists of reference data are built once per language and process (mission/choices.py): a form
renders them without a query, and a change to the reference rows shows in the next form."""

import pytest
from django import forms
from django.core.cache import cache
from django.utils import translation

from field_offices.models import Municipality
from mission import choices
from mission.forms import use_fast_selects
from tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db


class MunicipalityForm(forms.Form):
    municipality = forms.ModelChoiceField(
        queryset=Municipality.objects.order_by("name_en"), to_field_name="code", empty_label="All municipalities"
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        use_fast_selects(self)


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
