"""Security & Public Safety's journeys in Chromium: the browser fixtures every department's journeys use
(tests/browser/conftest.py), with the department's actors and records (its test contract)."""

from tests.browser.conftest import browser, page  # noqa: F401 (fixtures)
from tests.public_safety.contract import public_safety_actors, public_safety_objects  # noqa: F401
