"""The web server's process settles the garbage collector once the portal is loaded
(`mission.startup.settle_garbage_collector`, called by mission/wsgi.py)."""

import json
import os
import secrets
import subprocess
import sys

from mission.encryption import new_key
from mission.startup import YOUNG_GENERATION_THRESHOLD


def test_the_wsgi_application_freezes_what_it_loaded_and_collects_the_young_less_often():
    code = (
        "import gc, json; before = gc.get_threshold(); import mission.wsgi; "
        "print(json.dumps({'frozen': gc.get_freeze_count(), 'threshold': gc.get_threshold(), 'before': before}))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mission.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "FIELD_ENCRYPTION_KEYS": new_key(),  # made for this run
        "ALLOWED_HOSTS": "testserver",
    }
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    state = json.loads(out.stdout.strip().splitlines()[-1])
    assert state["frozen"] > 10_000  # the modules, models and URL patterns it loaded
    assert state["threshold"][0] == YOUNG_GENERATION_THRESHOLD
    assert state["threshold"][1:] == state["before"][1:]
