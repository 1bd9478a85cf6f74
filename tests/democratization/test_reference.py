"""Democratization's reference lists: media outlets and recommendation sources, loaded by
`load_reference_data` like every department's, idempotent, and what the forms offer."""

import datetime
import shutil
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from democratization.models import MediaOutlet, RecommendationSource
from democratization.reference import DATA_DIR, democratization_reference_load
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_the_reference_load_brings_outlets_and_sources_and_a_second_load_changes_nothing():
    call_command("load_reference_data", stdout=StringIO())
    assert MediaOutlet.objects.count() == 26
    rtk = MediaOutlet.objects.get(code="RTK")
    assert rtk.media_type == "television"
    with translation.override("sr-latn"):
        assert str(rtk) == "Radio Televizija Kosova (RTK)"
    source = RecommendationSource.objects.get(code="EU-EOM-2021-M")
    assert (source.body, source.year, source.election_date) == ("eu_eom", 2021, datetime.date(2021, 10, 17))
    history = MediaOutlet.history.count() + RecommendationSource.history.count()
    report = democratization_reference_load()
    assert sum(report.created.values()) == sum(report.updated.values()) == 0
    assert MediaOutlet.history.count() + RecommendationSource.history.count() == history


def test_an_edited_source_is_updated_not_duplicated(tmp_path):
    democratization_reference_load()
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    path = data / "recommendation_sources.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("2019-10-06", "2019-10-07"), "utf-8")
    count = RecommendationSource.objects.count()
    report = democratization_reference_load(data_dir=data)
    assert RecommendationSource.objects.count() == count
    assert RecommendationSource.objects.get(code="EU-EOM-2019").election_date == datetime.date(2019, 10, 7)
    assert report.updated["recommendation sources"] == 1


def test_the_recommendation_form_offers_the_sources_and_only_the_departments_institutions(democratization_actors):
    head = client_for(democratization_actors["department_head"])
    form = head.get(reverse("democratization:recommendation_create")).context["form"]
    addressees = {str(label) for _value, label in form.fields["addressee"].choices}
    assert {"Assembly of Kosovo", "Central Election Commission", "Election Complaints and Appeals Panel"} <= addressees
    assert "Kosovo Police" not in addressees
    sources = [str(label) for value, label in form.fields["source"].choices if value]
    assert sources[0] == "EU EOM, legislative elections 2025"  # the latest report first
    assert "EU EOM, municipal elections 2013" in sources
    listed = head.get(reverse("democratization:recommendation_list")).content.decode()
    assert 'name="addressee"' in listed
    assert "Kosovo Police" not in listed
