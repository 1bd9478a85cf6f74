"""A monitor records a language-rights incident on a phone and, once approved, the institution's answer
as a correction; a property case moves through its institutions; an incident at a protected site
appears on the dashboard's heritage map."""

import datetime
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from human_rights.models import CommunityIncident, HeritageIncident, PropertyCase
from tests.browser import axe
from tests.browser.test_home import _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TODAY = datetime.date.today()


def _day(days_ago: int) -> str:
    return f"{TODAY - datetime.timedelta(days=days_ago):%Y-%m-%d}"


def _sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").first.click()


def test_a_language_rights_incident_and_its_follow_up(page, human_rights_actors):
    monitor, supervisor = human_rights_actors["monitor"], human_rights_actors["supervisor"]
    page.set_viewport_size(axe.SIZES["phone"])
    _sign_in(page, monitor.username)
    page.goto(reverse("human_rights:communityincident_create"))
    page.get_by_label("Date of the incident").fill(_day(12))
    page.get_by_label("Municipality").select_option(label="Prizren")
    page.get_by_label("Kind of incident").select_option(label="Breach of language rights")
    page.locator("#id_community").select_option(label="Bosniak")
    page.get_by_label("Institution responsible").fill("Municipal directorate of education")
    page.get_by_label("Reported to the police").select_option(label="No")
    page.locator("#id_affectedperson-0-name").fill("Emina Provë")
    page.locator("#id_affectedperson-0-sex").select_option(label="Female")
    page.locator("#id_communityincidentstep-0-step").select_option(label="Mission: letter to the institution")
    page.locator("#id_communityincidentstep-0-date").fill(_day(10))
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_role("status")).to_contain_text("Saved and submitted for review.")
    expect(page.get_by_role("cell", name="Emina Provë")).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390  # fits a phone
    incident = CommunityIncident.objects.get()

    _sign_out(page)
    _sign_in(page, supervisor.username)
    page.goto(reverse("human_rights:communityincident_queue"))
    page.get_by_role("link", name=re.compile(f"Review .* {incident.pk}$")).click()
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("Record approved.")).to_be_visible()

    _sign_out(page)
    _sign_in(page, monitor.username)
    page.goto(reverse("human_rights:communityincident_detail", args=[incident.pk]))
    page.get_by_role("link", name="Correct").click()
    page.locator("#id_communityincidentstep-1-step").select_option(label="The institution responsible answered")
    page.locator("#id_communityincidentstep-1-date").fill(_day(3))
    page.get_by_label("Reason for the correction").fill("The directorate answered our letter.")
    page.get_by_role("button", name="Save correction").click()
    expect(page.get_by_role("status")).to_contain_text("Correction saved as revision 2.")
    expect(page.get_by_role("cell", name="The institution responsible answered")).to_be_visible()
    incident.refresh_from_db()
    assert sorted(step.step for step in incident.response_steps.all()) == ["answered", "mission_letter"]


def test_a_property_case_moves_through_its_institutions(page, human_rights_actors):
    monitor = human_rights_actors["monitor"]
    _sign_in(page, monitor.username)
    page.goto(reverse("human_rights:propertycase_create"))
    page.get_by_label("Date of the claim").fill(_day(200))
    page.get_by_label("Municipality").select_option(label="Prizren")
    page.get_by_label("Claim", exact=True).select_option(label="Inheritance")
    page.get_by_label("Property", exact=True).select_option(label="House or apartment")
    page.get_by_label("Claimant", exact=True).fill("Hava Provë")
    page.get_by_label("Claimant's sex").select_option(label="Female")
    page.get_by_label("Focus").select_option(label="Women's inheritance or property rights")
    page.locator("#id_propertycasestep-0-step").select_option(label="Verification agency's decision")
    page.locator("#id_propertycasestep-0-date").fill(_day(120))
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("status")).to_contain_text("Draft saved.")
    case = PropertyCase.objects.get()
    # The enforcement is ordered later: the monitor adds it to the draft, then sends it for review.
    page.goto(reverse("human_rights:propertycase_edit", args=[case.pk]))
    page.locator("#id_propertycasestep-1-step").select_option(label="Enforcement ordered")
    page.locator("#id_propertycasestep-1-date").fill(_day(30))
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_role("status")).to_contain_text("Submitted for review.")
    expect(page.get_by_role("cell", name="Enforcement ordered")).to_be_visible()
    assert [step.step for step in case.response_steps.all()] == ["verification", "enforcement"]


def test_an_incident_at_a_protected_site_appears_on_the_map(page, human_rights_actors):
    monitor, supervisor = human_rights_actors["monitor"], human_rights_actors["supervisor"]
    _sign_in(page, monitor.username)
    page.goto(reverse("human_rights:heritageincident_create"))
    page.get_by_label("Date of the incident").fill(_day(5))
    page.get_by_label("Protected site").select_option(label="Historic Centre of Prizren")
    page.get_by_label("Municipality").select_option(label="Prizren")
    page.get_by_label("Kind of incident").select_option(label="Construction or works in a protective zone")
    page.get_by_label("Reported to the police").select_option(label="Yes")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_role("status")).to_contain_text("Saved and submitted for review.")
    incident = HeritageIncident.objects.get()

    _sign_out(page)
    _sign_in(page, supervisor.username)
    page.goto(reverse("human_rights:heritageincident_queue"))
    page.get_by_role("link", name=re.compile(f"Review .* {incident.pk}$")).click()
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("Record approved.")).to_be_visible()
    page.goto(reverse("human_rights:dashboard"))
    heritage = page.get_by_role("figure", name="Municipalities: Heritage incidents")
    expect(heritage.get_by_role("link", name=re.compile(r"^Prizren: 1 "))).to_be_attached()  # on the map
    heritage.get_by_text("Data table").click()
    expect(heritage.locator("table tbody")).to_contain_text("Prizren")
