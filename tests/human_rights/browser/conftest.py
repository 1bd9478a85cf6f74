"""Human Rights beyond the courtroom in Chromium: the browser fixtures every department's journeys use
(tests/browser/conftest.py), with the department's actors and records (its test contract)."""

from tests.browser.conftest import browser, page  # noqa: F401 (fixtures)
from tests.human_rights.contract import human_rights_actors, human_rights_objects  # noqa: F401
