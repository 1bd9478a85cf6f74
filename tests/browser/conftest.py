"""Playwright driving Debian's Chromium (Playwright's own browser download does not work here)."""

import os

import pytest

from tests.conftest import chromium_path, require_service
from tests.rights.conftest import trial_data  # noqa: F401 (the data the dashboard journeys show)

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


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    require_service(path is not None, "chromium", "Chromium (/usr/bin/chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
