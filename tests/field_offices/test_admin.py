import pytest
from django.urls import reverse

from field_offices.models import Municipality, Region
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _change_form_data(municipality: Municipality, region: Region) -> dict:
    return {"region": region.pk, "_save": "Save"}


def test_administrator_moves_a_municipality_whose_region_is_inferred(administrator):
    drenas = Municipality.objects.get(code="03")
    prishtina = Region.objects.get(code="PRI")
    url = reverse("admin:field_offices_municipality_change", args=[drenas.pk])

    response = client_for(administrator).post(url, _change_form_data(drenas, prishtina))

    assert response.status_code == 302
    drenas.refresh_from_db()
    assert drenas.region == prishtina
    assert drenas.region_set_by_administrator is True
    assert drenas.history.first().history_user == administrator


def test_a_sourced_region_is_read_only_in_the_admin(administrator):
    prizren = Municipality.objects.get(code="20")
    url = reverse("admin:field_offices_municipality_change", args=[prizren.pk])
    client = client_for(administrator)

    form = client.get(url)
    assert 'name="region"' not in form.content.decode()
    client.post(url, _change_form_data(prizren, Region.objects.get(code="PEJ")))

    prizren.refresh_from_db()
    assert prizren.region.code == "PRZ"
    assert prizren.region_set_by_administrator is False


def test_other_staff_cannot_change_regions(department_head):
    drenas = Municipality.objects.get(code="03")
    url = reverse("admin:field_offices_municipality_change", args=[drenas.pk])
    response = client_for(department_head).post(url, {"region": Region.objects.get(code="PRI").pk})
    assert response.status_code == 403
    drenas.refresh_from_db()
    assert drenas.region.code == "MIT"
