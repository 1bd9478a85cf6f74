import shutil

import pytest
from django.utils import translation

from field_offices.models import Community, District, FieldTeam, Institution, Municipality, Region
from field_offices.services import DATA_DIR, municipality_set_region, reference_data_load

pytestmark = pytest.mark.django_db


def _history_rows() -> int:
    return sum(m.history.count() for m in (Region, District, Municipality, FieldTeam, Community, Institution))


def test_loader_creates_the_geography_of_kosovo():
    reference_data_load()
    assert Region.objects.count() == 5
    assert Municipality.objects.count() == 38
    assert District.objects.count() == 7
    assert FieldTeam.objects.count() >= 30
    assert Community.objects.count() == 11
    assert Institution.objects.count() == 30
    # Every municipality is covered by exactly one field team of its own region.
    for municipality in Municipality.objects.prefetch_related("field_teams"):
        teams = list(municipality.field_teams.all())
        assert len(teams) == 1, municipality.code
        assert teams[0].region_id == municipality.region_id


def test_loader_records_region_sizes_from_the_sources():
    reference_data_load()
    sizes = {r.code: r.municipalities.count() for r in Region.objects.all()}
    assert sizes == {"GJI": 11, "MIT": 9, "PEJ": 6, "PRI": 6, "PRZ": 6}


def test_municipality_names_come_in_three_languages_and_cyrillic():
    reference_data_load()
    prishtina = Municipality.objects.get(code="19")
    assert (prishtina.name_sq, prishtina.name_sr, prishtina.name_sr_cyrl) == ("Prishtinë", "Priština", "Приштина")
    with translation.override("sq"):
        assert prishtina.name == "Prishtinë"
    with translation.override("sr-latn"):
        assert prishtina.name == "Priština"
    with translation.override("en"):
        assert prishtina.name == "Prishtinë/Priština"


def test_northern_census_figures_are_marked_incomplete():
    reference_data_load()
    zubin_potok = Municipality.objects.get(code="28")
    assert zubin_potok.population_partial is True
    assert zubin_potok.population_2011 is None
    assert Municipality.objects.get(code="19").population_partial is False


def test_running_the_loader_twice_changes_nothing():
    reference_data_load()
    stamps = dict(Municipality.objects.values_list("code", "updated_at"))
    history = _history_rows()

    report = reference_data_load()

    assert sum(report.created.values()) == 0
    assert sum(report.updated.values()) == 0
    assert dict(Municipality.objects.values_list("code", "updated_at")) == stamps
    assert _history_rows() == history
    assert Municipality.objects.count() == 38


def test_loader_updates_an_edited_row_instead_of_duplicating_it(tmp_path):
    reference_data_load()
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    path = data / "municipalities.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("Deçan/Dečani", "Deçan/Dečani (edited)"), "utf-8")

    report = reference_data_load(data_dir=data)

    assert Municipality.objects.count() == 38
    assert Municipality.objects.get(code="01").name_en == "Deçan/Dečani (edited)"
    assert report.updated["municipalities"] == 1
    assert Municipality.objects.get(code="01").history.first().history_change_reason == "reference data load"


def test_loader_keeps_a_region_that_an_administrator_set(administrator):
    drenas = Municipality.objects.get(code="03")  # its Mitrovica membership is inferred
    prishtina_region = Region.objects.get(code="PRI")

    municipality_set_region(municipality=drenas, region=prishtina_region, actor=administrator, reason="checked")
    report = reference_data_load()

    drenas.refresh_from_db()
    assert drenas.region == prishtina_region
    assert drenas.region_set_by_administrator is True
    assert report.kept_administrator_region == ["03"]
    change = drenas.history.filter(history_change_reason="checked").get()
    assert change.history_user == administrator


def test_institutions_come_in_three_languages_with_the_departments_that_follow_them():
    reference_data_load()
    cec = Institution.objects.get(code="CEC")
    assert (cec.name_en, cec.kind) == ("Central Election Commission", "election_body")
    with translation.override("sq"):
        assert str(Institution.objects.get(code="ASM")) == "Kuvendi i Kosovës"
    democratization = set(Institution.objects.concerning("democratization").values_list("code", flat=True))
    assert {"ASM", "GOV-OPM", "CEC", "ECAP", "IMC", "PCK", "RTK"} <= democratization
    assert "KP" not in democratization  # the police: Public Safety's and Human Rights'
    assert "KP" in set(Institution.objects.concerning("public_safety").values_list("code", flat=True))
    assert not Institution.objects.concerning("safety").exists()  # a whole code, not part of one
