"""Settings for the test suite: the portal's own settings in the development configuration that
`make run` uses (DEBUG on, so the dev-only defaults apply: plain static storage, no HTTPS redirect,
demo data allowed). pytest-django still runs each test with DEBUG off, so error pages are the real ones.
The settings themselves default DEBUG off (tests/test_security.py proves it in a fresh interpreter)."""

import os

os.environ.setdefault("DEBUG", "true")
# Only for a run with DEBUG=false exported: the suite never needs a real secret.
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-never-used-outside-the-test-suite")

from mission.settings import *  # noqa: F403

# The test department (tests/incidents): built by declaration on the kit, installed only here.
INSTALLED_APPS = [*INSTALLED_APPS, "tests.incidents"]  # noqa: F405
