import re

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ALBANIAN_REGIONS = ["Gjilan", "Mitrovicë", "Pejë", "Prishtinë", "Prizren"]


def _sign_in(page, username):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_monitor_signs_in_switches_to_albanian_and_sees_the_regions(page, monitor):
    _sign_in(page, "monitor")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    expect(page.get_by_text("Human Rights & Communities").first).to_be_visible()

    # The switcher submits on change (our static script; CSP allows no inline script).
    page.get_by_label("Language").select_option("sq")

    expect(page.locator("html")).to_have_attribute("lang", "sq")
    expect(page.get_by_role("heading", name="Qendrat rajonale")).to_be_visible()
    regions = page.locator(".region-list li a")
    expect(regions).to_have_text(ALBANIAN_REGIONS)
    expect(page.get_by_text("Monitorues në terren")).to_be_visible()


def test_menu_folds_away_on_a_phone_and_opens_with_the_keyboard(page, monitor):
    _sign_in(page, "monitor")
    nav = page.locator("#site-nav")
    expect(nav).to_be_hidden()
    page.get_by_role("button", name="Menu").focus()
    page.keyboard.press("Enter")
    expect(nav).to_be_visible()
    nav.get_by_role("link", name="Regions and field teams").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Regions and field teams")


def test_a_partner_is_turned_away_at_sign_in(page, partner):
    _sign_in(page, "partner")
    expect(page.get_by_role("alert")).to_contain_text("REST API")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
