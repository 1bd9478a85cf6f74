import pytest
from django.urls import reverse

from field_offices.models import FieldTeam, Municipality
from tests.conftest import client_for
from tests.factories import FieldTeamFactory, RegionFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "actor", ["monitor", "supervisor", "other_region_monitor", "department_head", "management", "administrator"]
)
def test_staff_see_the_five_regions(request, actor):
    response = client_for(request.getfixturevalue(actor)).get(reverse("field_offices:region_list"))
    assert response.status_code == 200
    assert [r.code for r in response.context["regions"]] == ["GJI", "MIT", "PEJ", "PRI", "PRZ"]
    assert response.context["regions"][4].municipality_count == 6


def test_partner_gets_no_region_page(partner):
    assert client_for(partner).get(reverse("field_offices:region_list")).status_code == 403


def test_anonymous_is_sent_to_login(geography):
    response = client_for(None).get(reverse("field_offices:region_detail", args=["PRZ"]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_region_page_lists_municipalities_and_teams_in_albanian(monitor):
    response = client_for(monitor).get(reverse("field_offices:region_detail", args=["PRZ"]), HTTP_ACCEPT_LANGUAGE="sq")
    content = response.content.decode()
    assert response.status_code == 200
    for name in ("Prizren", "Dragash", "Suharekë", "Malishevë", "Mamushë", "Rahovec"):
        assert name in content
    assert "FT-PRZ-01" in content


def test_unknown_region_is_404(monitor):
    assert client_for(monitor).get(reverse("field_offices:region_detail", args=["XXX"])).status_code == 404


def test_region_pages_run_a_fixed_number_of_queries(monitor, django_assert_num_queries):
    client = client_for(monitor)
    detail = reverse("field_offices:region_detail", args=["PRZ"])
    # session, user, region, municipalities with districts, field teams, their municipalities
    with django_assert_num_queries(6):
        client.get(detail)
    with django_assert_num_queries(3):
        client.get(reverse("field_offices:region_list"))

    prizren_region = monitor.region
    for _ in range(20):
        team = FieldTeamFactory(region=prizren_region)
        team.municipalities.set(Municipality.objects.filter(region=prizren_region)[:3])
    RegionFactory.create_batch(10)
    assert FieldTeam.objects.filter(region=prizren_region).count() > 20

    with django_assert_num_queries(6):
        client.get(detail)
    with django_assert_num_queries(3):
        client.get(reverse("field_offices:region_list"))
