"""Settings for the test suite: the portal's own settings in the development configuration that
`make run` uses (DEBUG on, so the dev-only defaults apply: plain static storage, no HTTPS redirect,
demo data allowed). pytest-django still runs each test with DEBUG off, so error pages are the real ones.
The settings themselves default DEBUG off (tests/test_security.py proves it in a fresh interpreter)."""

import os
import tempfile

os.environ.setdefault("DEBUG", "true")
# Files a test writes without a folder of its own go to one folder per run, not the checkout's media/:
# two runs side by side (CI runs the suite on SQLite and on PostgreSQL at once) never share a file. Set
# in the environment, so that the workers and web processes a test starts write to the same place.
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="mission-test-media-"))
# Only for a run with DEBUG=false exported: the suite never needs a real secret.
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-never-used-outside-the-test-suite")

from mission.settings import *  # noqa: F403

# The test department (tests/incidents): built by declaration on the kit, installed only here.
INSTALLED_APPS = [*INSTALLED_APPS, "tests.incidents"]  # noqa: F405

# Every kept statement (mission/kept_pages.py) is compared with the query built afresh on each use: a
# shape that leaves out something the query is built from fails the test that reads it.
MISSION_CHECK_KEPT_STATEMENTS = True
