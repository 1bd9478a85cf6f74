"""Managers' journeys through the dashboards in real Chromium."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_home import _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _figure(page, label):
    return page.locator(".figure", has=page.get_by_text(label, exact=True)).locator(".figure-value")


def test_a_manager_changes_the_period_and_opens_a_municipality_from_the_map(page, management, trial_data):
    _sign_in(page, "management")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mission overview")

    page.get_by_label("From (month)").fill("2026-01")
    page.get_by_label("To (month)").fill("2026-03")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"from=2026-01&to=2026-03"))
    expect(_figure(page, "Hearings monitored")).to_have_text("4")

    page.get_by_label("From (month)").fill("2025-12")
    page.get_by_label("To (month)").fill("2025-12")
    page.get_by_role("button", name="Show").click()
    expect(_figure(page, "Hearings monitored")).to_have_text("1")

    # The map of one department (of several, it counts "records"): keyboard focus shows the
    # municipality's figure, Enter opens its page.
    page.goto("/dashboards/?from=2026-01&to=2026-03")
    page.get_by_label("Department").select_option("rights")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"department=rights"))
    prizren = trial_data["prizren"].municipality
    area = page.locator(f'a.map-area[aria-label^="{prizren.name}:"]')
    area.focus()
    expect(page.locator("[data-map-readout]")).to_have_text(f"{prizren.name}: 3 hearings monitored")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Municipality of {prizren.name}")
    expect(page.get_by_text(trial_data["prizren"].case_number).first).to_be_visible()


def test_a_supervisor_sees_only_their_region(page, supervisor, trial_data):
    _sign_in(page, "supervisor")
    page.goto("/dashboards/?from=2026-01&to=2026-03")
    expect(_figure(page, "Hearings monitored")).to_have_text("3")
    chart = page.locator("#chart-activity-by-region")
    chart.get_by_text("Data table").click()
    expect(chart.locator("tbody th")).to_have_text(["Prizren"])
    mitrovica = trial_data["mitrovica"].municipality
    expect(page.locator(f'a.map-area[aria-label="{mitrovica.name}: outside your scope"]')).to_have_count(1)

    page.goto("/trial-monitoring/dashboard/?from=2026-01&to=2026-03")
    expect(page.locator("select[name=region]")).to_have_count(0)
    expect(_figure(page, "Cases monitored")).to_have_text("1")
    expect(page.get_by_text("Basic Court of Mitrovica")).to_have_count(0)
