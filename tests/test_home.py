import pytest
from django.test import RequestFactory
from django.urls import reverse

from mission.views import error_500
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_monitor_home_shows_where_they_are_and_what_they_can_do(monitor):
    content = client_for(monitor).get(reverse("home")).content.decode()
    assert "Field monitor" in content
    assert "Human Rights &amp; Communities" in content
    assert "Field team Prizren – Mamuşa/Mamushë/Mamuša, region Prizren" in content
    assert "Log observations and field activities" in content
    assert "Review submissions" not in content
    assert "your region" in content


def test_supervisor_home_lists_review_rights(supervisor):
    content = client_for(supervisor).get(reverse("home")).content.decode()
    assert "Review submissions" in content
    assert "Regional centre Prizren" in content


def test_administrator_home_links_the_administration(administrator):
    content = client_for(administrator).get(reverse("home")).content.decode()
    assert "Manage users, roles and reference data" in content
    assert reverse("admin:index") in content
    assert "no mission records" in content


def test_management_starts_on_the_mission_overview_without_an_admin_link(management):
    response = client_for(management).get(reverse("home"), follow=True)
    assert response.redirect_chain == [(reverse("dashboards:overview"), 302)]
    content = response.content.decode()
    assert reverse("admin:index") not in content
    assert "Mission overview" in content


def test_the_home_page_runs_a_fixed_number_of_queries(monitor, django_assert_num_queries):
    # session, user, the regions with their counts, the user's field team and region for the placement
    client = client_for(monitor)
    with django_assert_num_queries(5):
        client.get(reverse("home"))


def test_the_500_page_needs_no_database():
    response = error_500(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def test_health_check_answers_without_login(db):
    response = client_for(None).get(reverse("healthz"))
    assert response.json() == {"status": "ok"}
