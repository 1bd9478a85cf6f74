"""The pages on a 360 px phone: nothing wider than the screen, a header that leaves room for the page,
and chart text that can be read (issue 11, item 29)."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_home import _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
PERIOD = "?from=2026-01&to=2026-03"
MIN_TEXT_PX = 11


def _too_wide(page) -> list[str]:
    """The elements that stick out to the right of the screen, for the failure message."""
    return page.evaluate(
        """() => {
            const wide = e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5;
            return Array.from(document.querySelectorAll('body *'))
                .filter(e => wide(e) && !(e.parentElement && wide(e.parentElement)))
                .slice(0, 8)
                .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right));
        }"""
    )


def _assert_fits(page, url: str) -> None:
    page.goto(url)
    expect(page.locator("h1")).to_be_visible()
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= PHONE["width"], f"{url} is {width} px wide: {_too_wide(page)}"
    header = page.locator("header.topbar").bounding_box()
    assert header["height"] <= 64, f"{url}: the header takes {header['height']} px"


def _chart_text_sizes(page) -> list[float]:
    """The rendered size of every text in the charts: the font size in the drawing's units, scaled as
    the drawing is scaled to fit its box."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('svg.chart-svg text')).map(t => {
            const svg = t.ownerSVGElement;
            const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
            return parseFloat(getComputedStyle(t).fontSize) * scale;
        })"""
    )


@pytest.fixture
def phone(page):
    page.set_viewport_size(PHONE)
    return page


def test_a_monitor_s_pages_fit_a_phone(phone, monitor, trial_data):
    _sign_in(phone, "monitor")
    _assert_fits(phone, "/")
    _assert_fits(phone, f"/trial-monitoring/cases/{trial_data['prizren'].pk}/")
    municipality = trial_data["prizren"].municipality
    _assert_fits(phone, f"/field-offices/municipalities/{municipality.code}/{PERIOD}")


def test_a_manager_s_pages_fit_a_phone_and_their_charts_stay_legible(phone, management, trial_data):
    _sign_in(phone, "management")
    municipality = trial_data["prizren"].municipality
    for url in (
        f"/dashboards/{PERIOD}",
        f"/trial-monitoring/dashboard/{PERIOD}",
        f"/field-offices/municipalities/{municipality.code}/{PERIOD}",
        f"/trial-monitoring/cases/{trial_data['prizren'].pk}/",
    ):
        _assert_fits(phone, url)
        sizes = _chart_text_sizes(phone)
        assert not sizes or min(sizes) >= MIN_TEXT_PX, f"{url}: chart text of {min(sizes):.1f} px"


def test_the_chart_text_on_the_municipality_page_is_the_dashboard_s(page, management, trial_data):
    page.set_viewport_size({"width": 1280, "height": 900})
    _sign_in(page, "management")
    page.goto(f"/trial-monitoring/dashboard/{PERIOD}")
    dashboard = max(_chart_text_sizes(page))
    page.goto(f"/field-offices/municipalities/{trial_data['prizren'].municipality.code}/{PERIOD}")
    municipality = max(_chart_text_sizes(page))
    assert municipality <= dashboard * 1.1, (municipality, dashboard)
    assert min(_chart_text_sizes(page)) >= MIN_TEXT_PX
