"""Trial monitoring's journeys in Chromium: the browser fixtures every department's journeys use
(tests/browser/conftest.py), with trial monitoring's data (tests/rights/conftest.py)."""

from tests.browser.conftest import browser, page  # noqa: F401 (fixtures)
