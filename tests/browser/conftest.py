"""Playwright driving Debian's Chromium (Playwright's own browser download does not work here). A
department's own journeys (tests/<label>/browser/) import `browser` and `page` into their conftest."""

import os

import pytest

from tests.conftest import chromium_path, require_service

# Playwright's sync API runs an event loop in the test thread; Django refuses ORM calls there unless
# told that this is deliberate. Only the browser tests set it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


_launched: list = []  # the run's one Chromium: a department's journeys (tests/<label>/browser) import these


@pytest.fixture(scope="session")
def browser():
    if _launched:  # started for another folder's tests: Playwright's sync API runs once per thread
        yield _launched[0]
        return
    path = chromium_path()
    require_service(path is not None, "chromium", "Chromium (/usr/bin/chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        _launched.append(browser)
        try:
            yield browser
        finally:
            _launched.clear()
            browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
