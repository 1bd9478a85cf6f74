"""Cultural and religious heritage: the protected sites are the file's, in three languages, loaded
once; an incident at a site is where the site is; the dashboard's map layers count the period's
approved incidents, returnees and the sites (known answers); the Council's decisions are followed."""

import csv
import datetime

import pytest
from django.urls import reverse

from human_rights.models import CommunityIncident, HeritageIncident, ProtectedSite, ReturnMovement
from human_rights.reference import DATA_DIR, human_rights_reference_load
from mission.dashboards.filters import read_filters
from mission.dashboards.services import summaries_refresh
from mission.records.services import record_create, record_update
from mission.review.services import record_approve
from tests.conftest import client_for
from tests.human_rights.contract import (
    heritage_content,
    incident_content,
    incident_parts,
    return_content,
    return_parts,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def test_the_sites_are_the_files_in_three_languages_and_a_second_load_changes_nothing(geography):
    with open(DATA_DIR / "protected_sites.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert ProtectedSite.objects.count() == len(rows) == 15
    dečani = ProtectedSite.objects.get(code="SPZ-DEC")
    assert (dečani.name_sq, dečani.municipality.code, dečani.verified) == ("Manastiri i Deçanit", "01", True)
    assert ProtectedSite.objects.get(code="SPZ-GAZ").verified is False  # recalled, not read in a source
    report = human_rights_reference_load()
    assert not report.created
    assert not report.updated


def _approved(actors, model, fields, parts=None):
    monitor, supervisor = actors["monitor"], actors["supervisor"]
    record = record_create(actor=monitor, model=model, fields=fields, parts=parts)
    record = record_update(actor=monitor, record=record, expected_version=record.version, fields={}, submit=True)
    return record_approve(actor=supervisor, record=record, expected_version=record.version)


def test_an_incident_at_a_site_is_where_the_site_is(human_rights_actors):
    centre = ProtectedSite.objects.get(code="SPZ-PRZ-HC")
    elsewhere = human_rights_actors["monitor"].region.municipalities.exclude(pk=centre.municipality_id).first()
    incident = record_create(
        actor=human_rights_actors["monitor"],
        model=HeritageIncident,
        fields=heritage_content(centre, municipality=elsewhere),
        parts={},
    )
    assert incident.municipality == centre.municipality


def _panel(user, rf):
    request = rf.get("/")
    request.user = user
    _form, filters = read_filters(request)
    from human_rights.panels import map_panel

    _figures, charts = map_panel(user, filters)
    # By municipality code (each row links to its municipality's page).
    return {
        chart.slug: {
            link.rstrip("/").rsplit("/", 1)[1]: row[1:] for row, link in zip(chart.rows, chart.links, strict=True)
        }
        for chart in charts
    }


def test_the_map_layers_count_the_periods_approved_records(human_rights_actors, rf):
    centre = ProtectedSite.objects.get(code="SPZ-PRZ-HC")
    prizren = centre.municipality
    _approved(human_rights_actors, HeritageIncident, heritage_content(centre))
    _approved(human_rights_actors, HeritageIncident, heritage_content(centre, kind="theft"))
    _approved(human_rights_actors, CommunityIncident, incident_content(prizren), incident_parts())
    _approved(
        human_rights_actors,
        ReturnMovement,
        return_content(prizren),
        return_parts(("SRB", 2, 7, 3), ("ROM", 1, 5, 2)),
    )
    # A draft, and an approved record of a year ago, count nowhere.
    record_create(
        actor=human_rights_actors["monitor"], model=HeritageIncident, fields=heritage_content(centre), parts={}
    )
    _approved(
        human_rights_actors,
        CommunityIncident,
        incident_content(prizren, date=TODAY - datetime.timedelta(days=400)),
        incident_parts(),
    )
    summaries_refresh()  # the incidents' layers read the department's record summary
    layers = _panel(human_rights_actors["department_head"], rf)
    assert layers["map-community-incidents"] == {"20": [1]}
    assert layers["map-returns"] == {"20": [12]}
    heritage = layers["map-heritage"]
    assert heritage["20"] == [2, 3]  # 2 incidents; the historic centre, Holy Archangels, Our Lady of Ljeviš
    assert heritage["01"] == [0, 1]
    # A supervisor's map counts their region's sites only.
    supervised = _panel(human_rights_actors["supervisor"], rf)["map-heritage"]
    assert "01" not in supervised
    assert supervised["20"] == [2, 3]


def test_the_dashboard_draws_the_maps(human_rights_objects, human_rights_actors):
    page = client_for(human_rights_actors["department_head"]).get(reverse("human_rights:dashboard"))
    assert page.status_code == 200
    content = page.content.decode()
    for title in ("Community-rights incidents by municipality", "Heritage incidents and protected sites"):
        assert title in content


def test_a_council_decision_is_followed_to_its_implementation(human_rights_objects, human_rights_actors):
    decision = human_rights_objects["decision"]
    decision.refresh_from_db()
    assert decision.current_status == "partly"
    client = client_for(human_rights_actors["department_head"])
    url = reverse("human_rights:councildecision_status", args=[decision.pk])
    response = client.post(
        url,
        {
            "version": decision.version,
            "date": "2023-01-10",
            "status": "implemented",
            "evidence": "Demolished.",
            "support": "",
        },
    )
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.current_status == "implemented"
    detail = reverse("human_rights:councildecision_detail", args=[decision.pk])
    listed = reverse("human_rights:councildecision_list")
    assert detail in client.get(f"{listed}?status=implemented").content.decode()
    assert detail not in client.get(f"{listed}?status=partly").content.decode()
