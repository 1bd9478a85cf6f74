"""Tasks on a real Celery worker with Redis and PostgreSQL (not eager mode)."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlparse

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from tests.conftest import client_for, require_service

ROOT = Path(__file__).resolve().parent.parent
pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _reachable(url: str) -> bool:
    if not url:
        return False
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 6379), timeout=2):
            return True
    except OSError:
        return False


def _database_url() -> str:
    db = connection.settings_dict
    auth = quote(db["USER"] or "", safe="") + (f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def mail_dir(tmp_path):
    return tmp_path / "mail"


def start_worker(queue: str, extra_env: dict | None = None, *, pool: str = "solo") -> subprocess.Popen:
    """A real worker process on the test database, taking tasks from `queue` only; returns once it
    answers a ping (through the broker `extra_env` names, if it names one). `pool="prefork"` runs tasks
    in one child process, as production workers do."""
    from mission.celery import app

    env = {**os.environ, "DATABASE_URL": _database_url(), "REDIS_URL": settings.REDIS_URL, **(extra_env or {})}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "mission",
            "worker",
            f"--pool={pool}",
            "--concurrency=1",
            "-Q",
            queue,
            "--hostname",
            f"{queue}-{time.monotonic_ns()}@%h",
            "--loglevel=INFO",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail("the Celery worker exited:\n" + process.stdout.read())
        with app.connection_for_write(env["REDIS_URL"]) as connection:
            replies = app.control.ping(timeout=1, connection=connection) or []
        if any(name.startswith(f"{queue}-") for reply in replies for name in reply):
            return process
    process.kill()
    pytest.fail("the Celery worker did not start within 60 s")


def stop_worker(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture
def worker_queue(transactional_db):
    """A queue of this test's own, so that no other worker on the machine takes its tasks."""
    require_service(connection.vendor == "postgresql", "postgresql", "PostgreSQL (DATABASE_URL)")
    require_service(_reachable(settings.REDIS_URL), "redis", "Redis (REDIS_URL)")
    from mission.celery import app

    queue = f"test-{os.getpid()}-{time.monotonic_ns()}"
    previous_queue, previous_routes = app.conf.task_default_queue, app.conf.task_routes
    app.conf.task_default_queue = queue
    routed_to({})  # every task to this queue, whatever settings route it to
    yield queue
    app.conf.task_default_queue = previous_queue
    routed_to(previous_routes)


def routed_to(routes: dict) -> None:
    """Route the tasks this process sends by `routes` (CELERY_TASK_ROUTES' form) from now on."""
    from mission.celery import app

    app.conf.task_routes = routes
    app.amqp.flush_routes()
    app.amqp.__dict__.pop("router", None)  # Celery keeps the router made from the routes before


@pytest.fixture
def celery_worker(worker_queue, mail_dir):
    """A real worker process on the test database, started for this test and stopped after it."""
    process = start_worker(
        worker_queue,
        {"EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend", "EMAIL_FILE_PATH": str(mail_dir)},
    )
    yield process
    stop_worker(process)


def test_password_reset_mail_is_delivered_by_the_worker(celery_worker, monitor, mail_dir):
    response = client_for(None).post(reverse("accounts:password_reset"), {"email": monitor.email})
    assert response.status_code == 302

    deadline = time.monotonic() + 30
    messages: list[str] = []
    while time.monotonic() < deadline and not messages:
        if mail_dir.exists():
            messages = [p.read_text(encoding="utf-8") for p in mail_dir.iterdir()]
        time.sleep(0.2)
    assert len(messages) == 1, "the worker delivered no e-mail within 30 s"
    assert f"To: {monitor.email}" in messages[0]
    assert "/accounts/password/reset/" in messages[0]
    # The link is a credential: the worker made it, and its log does not show it.
    token = messages[0].split("/accounts/password/reset/", 1)[1].split("/")[1]
    stop_worker(celery_worker)
    log = celery_worker.stdout.read()
    assert "send_password_reset" in log
    assert token not in log
