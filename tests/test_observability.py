"""Request ids, JSON logs and Sentry (mission/observability.py): every request has an id, answered and
written on its log lines; LOG_FORMAT=json writes one object per line; with SENTRY_DSN an error reaches
Sentry with where it happened and the request id, and nothing a person typed or is."""

import gzip
import io
import json
import logging
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from django.urls import reverse

from tests.conftest import client_for

ROOT = Path(__file__).resolve().parent.parent
PLANTED = "Planted Victimname"


@pytest.fixture
def json_lines():
    """What the django.request logger writes through the portal's filter and JSON formatter."""
    from mission.observability import RequestIdFilter, logging_config

    config = logging_config(level="INFO", json=True)["formatters"]["portal"]
    from pythonjsonlogger.json import JsonFormatter

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter(config["fmt"], rename_fields=config["rename_fields"]))
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield stream
    logger.removeHandler(handler)


def test_every_answer_carries_a_request_id(db):
    first = client_for(None).get(reverse("healthz"))
    second = client_for(None).get(reverse("healthz"))
    assert len(first["X-Request-ID"]) == 32
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_the_proxys_request_id_is_kept_and_a_malformed_one_replaced(db):
    kept = client_for(None).get(reverse("healthz"), headers={"X-Request-ID": "lb-2026-12-03.abcdef"})
    assert kept["X-Request-ID"] == "lb-2026-12-03.abcdef"
    for bad in ("short", "has space in it", "x" * 65, "new\nline-injected"):
        replaced = client_for(None).get(reverse("healthz"), headers={"X-Request-ID": bad})
        assert replaced["X-Request-ID"] != bad
        assert len(replaced["X-Request-ID"]) == 32


def test_log_lines_of_a_request_carry_its_id_as_json(db, json_lines):
    response = client_for(None).get("/no-such-page/", headers={"X-Request-ID": "trace-0123456789"})
    assert response.status_code == 404
    lines = [json.loads(line) for line in json_lines.getvalue().splitlines()]
    assert lines, "django.request logged nothing"
    assert lines[-1]["request_id"] == "trace-0123456789"
    assert lines[-1]["level"] == "WARNING"
    assert "Not Found" in lines[-1]["message"]


def _log_line(log_format: str) -> subprocess.CompletedProcess:
    code = (
        "import django, logging; django.setup(); "
        "from mission.observability import _request_id; _request_id.set('task-42'); "
        "logging.getLogger('mission.test').warning('report %s made', 7)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "mission.settings", "DEBUG": "true", "LOG_FORMAT": log_format}
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def test_the_setting_chooses_json_or_text_lines():
    as_json = _log_line("json")
    assert as_json.returncode == 0, as_json.stderr
    line = json.loads(as_json.stderr.strip().splitlines()[-1])
    assert line["message"] == "report 7 made"
    assert line["request_id"] == "task-42"
    assert line["logger"] == "mission.test"
    text = _log_line("text")
    assert "[task-42] report 7 made" in text.stderr
    wrong = _log_line("yaml")
    assert wrong.returncode != 0
    assert "LOG_FORMAT must be text or json" in wrong.stderr


class _Sentry(BaseHTTPRequestHandler):
    received: list[bytes] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        encoding = self.headers.get("Content-Encoding")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "br":
            import brotli  # type: ignore[import-untyped]  # what Sentry compresses with when installed

            body = brotli.decompress(body)
        _Sentry.received.append(body)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def sentry_server():
    import sentry_sdk

    _Sentry.received = []
    server = HTTPServer(("127.0.0.1", 0), _Sentry)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://publickey@127.0.0.1:{server.server_port}/1"
    sentry_sdk.init()  # no DSN: nothing is sent any more
    server.shutdown()


def test_an_error_reaches_sentry_without_personal_data(db, monitor, sentry_server, monkeypatch):
    import sentry_sdk

    from mission.observability import sentry_init

    sentry_init(sentry_server, environment="test")

    def fails(*args, **kwargs):
        victim = PLANTED  # a local variable holding a name: never sent
        raise RuntimeError(f"the region list failed ({len(victim)})")

    monkeypatch.setattr("mission.views.region_list", fails)
    client = client_for(monitor)
    client.raise_request_exception = False
    client.cookies["tracking"] = PLANTED
    response = client.get(f"/?q={PLANTED}", headers={"X-Request-ID": "trace-sentry-0001"})
    assert response.status_code == 500
    sentry_sdk.flush(timeout=5)
    sent = b"".join(_Sentry.received)
    assert b"RuntimeError" in sent
    assert b"the region list failed" in sent
    assert b"trace-sentry-0001" in sent  # to find the request's log lines
    assert b"Planted" not in sent
    event = json.loads(sent.split(b"\n")[2])
    assert "user" not in event  # no user id, name or address
    assert set(event["request"]) <= {"method", "url"}
