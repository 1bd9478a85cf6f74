"""A monitor logs an incident against a journalist on a phone, a supervisor approves it, the police
open a case weeks later and the monitor adds it as a correction, which goes back for review."""

import datetime
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from democratization.models import JournalistIncident
from tests.browser.test_home import _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _approve(page, incident):
    page.goto(reverse("democratization:journalistincident_queue"))
    page.get_by_role("link", name=re.compile(f"Review .* {incident.pk}$")).click()
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("Record approved.")).to_be_visible()


def test_an_incident_and_its_police_follow_up(page, democratization_actors):
    monitor, supervisor = democratization_actors["monitor"], democratization_actors["supervisor"]
    today = datetime.date.today()
    _sign_in(page, monitor.username)
    page.goto(reverse("democratization:journalistincident_create"))
    page.get_by_label("Date of the incident").fill(f"{today - datetime.timedelta(days=20):%Y-%m-%d}")
    page.get_by_label("Municipality").select_option(label="Pejë/Peć")
    page.get_by_label("Kind of incident").select_option(label="Threat, including online")
    page.get_by_label("Perpetrator").select_option(label="Public official")
    page.get_by_label("Reported to the police").select_option(label="Yes")
    page.locator("#id_journalist-0-name").fill("Valbona Provë")
    page.locator("#id_journalist-0-sex").select_option(label="Female")
    page.locator("#id_journalist-0-media_type").select_option(label="Online")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_role("status")).to_contain_text("Saved and submitted for review.")
    expect(page.get_by_role("cell", name="Valbona Provë")).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390  # fits a phone
    incident = JournalistIncident.objects.get()

    page.get_by_role("button", name="Sign out").first.click()
    _sign_in(page, supervisor.username)
    _approve(page, incident)

    page.get_by_role("button", name="Sign out").first.click()
    _sign_in(page, monitor.username)
    page.goto(reverse("democratization:journalistincident_detail", args=[incident.pk]))
    expect(page.get_by_text("No response to the incident recorded yet.")).to_be_visible()
    page.get_by_role("link", name="Correct").click()
    page.locator("#id_responsestep-0-step").select_option(label="Police opened a case")
    page.locator("#id_responsestep-0-date").fill(f"{today - datetime.timedelta(days=2):%Y-%m-%d}")
    page.get_by_label("Reason for the correction").fill("The police opened a case.")
    page.get_by_role("button", name="Save correction").click()
    expect(page.get_by_role("status")).to_contain_text("Correction saved as revision 2.")
    expect(page.get_by_role("cell", name="Police opened a case")).to_be_visible()
    incident.refresh_from_db()
    assert incident.status == "submitted"  # a monitor's correction goes back for review

    page.get_by_role("button", name="Sign out").first.click()
    _sign_in(page, supervisor.username)
    _approve(page, incident)
    page.goto(reverse("democratization:journalistincident_detail", args=[incident.pk]))
    expect(page.get_by_text("The police opened a case.").first).to_be_visible()  # the reason, in the history
    incident.refresh_from_db()
    assert incident.status == "approved"
    assert [step.step for step in incident.response_steps.all()] == ["police_case"]


def test_a_manager_reads_the_dashboard_on_a_phone(page, democratization_actors, democratization_objects):
    _sign_in(page, democratization_actors["management"].username)
    page.goto(reverse("democratization:dashboard"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Democratization dashboard")
    figures = page.get_by_role("list", name="Key figures")
    expect(figures).to_contain_text("Journalist safety incidents")
    expect(figures).to_contain_text("Participants")
    expect(page.get_by_role("figure", name="Journalist safety incidents by kind of incident")).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    page.get_by_role("navigation", name="Period").get_by_role("link", name="This month").click()
    expect(page).to_have_url(re.compile(r"from=\d{4}-\d{2}"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Democratization dashboard")
    assert "Provë" not in page.content()  # counts, never names


def test_the_head_updates_a_recommendations_status(page, democratization_actors, democratization_objects):
    item = democratization_objects["recommendation"]
    _sign_in(page, democratization_actors["department_head"].username)
    page.goto(reverse("democratization:recommendation_list"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Election recommendations")
    page.get_by_role("link", name="EU EOM, early legislative elections 2021").first.click()
    expect(page.get_by_role("region", name="Status now")).to_contain_text("Partially implemented")
    page.get_by_label("Date", exact=True).fill("2025-03-14")
    page.get_by_label("Status", exact=True).select_option(label="Fully implemented")
    page.get_by_label("Evidence").fill("The Assembly adopted the amendment in second reading.")
    page.get_by_role("button", name="Record the status").click()
    expect(page.get_by_role("status")).to_contain_text("Status recorded.")
    expect(page.get_by_role("region", name="Status now")).to_contain_text("Fully implemented")
    expect(page.get_by_role("cell", name="The Assembly adopted the amendment in second reading.")).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    item.refresh_from_db()
    assert item.current_status == "fully"
