"""The deployment files (deploy/) say what the code does: every Celery queue has workers, beat runs
once, and each command they run exists."""

import re
from pathlib import Path

from django.conf import settings
from django.core.management import get_commands

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"


def _procfile() -> dict[str, str]:
    lines = (DEPLOY / "Procfile").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line and not line.startswith("#"))


def _queues(command: str) -> set[str]:
    found = re.search(r"-Q (\S+)", command)
    return set(found.group(1).split(",")) if found else set()


def test_the_procfile_has_workers_for_every_queue_and_one_beat():
    processes = _procfile()
    workers = [c for c in processes.values() if " worker " in c]
    assert set().union(*(_queues(c) for c in workers)) == set(settings.CELERY_QUEUES_IN_USE)
    assert all(_queues(c) for c in workers)  # no worker without -Q: it would take only "celery"
    assert [name for name, c in processes.items() if "celery -A mission beat" in c] == ["beat"]
    assert "mission.wsgi" in processes["web"]


def test_the_systemd_units_name_every_queue_and_existing_commands():
    worker = (DEPLOY / "systemd" / "mission-worker@.service").read_text()
    enabled = set(re.findall(r"mission-worker@(\w+)", worker.splitlines()[0] + worker.splitlines()[1]))
    assert enabled == set(settings.CELERY_QUEUES_IN_USE)
    commands = get_commands()
    for unit in (DEPLOY / "systemd").glob("*.service"):
        for name in re.findall(r"manage\.py (\w+)", unit.read_text()):
            assert name in commands, (unit.name, name)
    for name in re.findall(r"manage\.py (\w+)", (DEPLOY / "Procfile").read_text()):
        assert name in commands, name
