"""Democratization's journeys in Chromium: the browser fixtures every department's journeys use
(tests/browser/conftest.py), with the department's actors and records (its test contract)."""

from tests.browser.conftest import browser, page  # noqa: F401 (fixtures)
from tests.democratization.contract import democratization_actors, democratization_objects  # noqa: F401
