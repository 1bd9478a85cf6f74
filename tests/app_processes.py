"""Real app processes for the tests that need the portal as deployed: gunicorn on the test database,
and a browser-like client with its own cookies that speaks to them over HTTP."""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn_processes(env: dict[str, str], count: int = 1) -> Iterator[list[str]]:
    """`count` gunicorn processes of one worker each with `env` added to this one's; yields their base
    addresses once each answers /healthz/, and stops them after."""
    ports = [free_port() for _ in range(count)]
    servers = [
        subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "mission.wsgi", "--workers", "1", "--bind", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        for port in ports
    ]
    try:
        for port in ports:
            deadline = time.monotonic() + 30
            while True:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz/", timeout=2).read()
                    break
                except OSError:
                    assert time.monotonic() < deadline, "gunicorn did not start"
                    time.sleep(0.2)
        yield [f"http://127.0.0.1:{port}" for port in ports]
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=20)


def set_checked_password(user, password: str) -> None:
    """Give `user` a password hash the app processes check (the tests' own hasher is a faster one)."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    hasher = PBKDF2PasswordHasher()
    type(user).objects.filter(pk=user.pk).update(password=hasher.encode(password, hasher.salt(), 1000))


def csrf_token(page: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert found is not None, "the page has no form"
    return found.group(1)


class _FormValues(HTMLParser):
    """What a browser would send for the first form holding `marker`: its inputs, selects and text
    areas with their current values."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, str]] = []
        self._form: dict[str, str] | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = {}
            self.forms.append(self._form)
        if self._form is None or ("name" not in a and tag != "option"):
            return
        if tag == "input":
            kind = a.get("type", "text")
            if kind in {"submit", "button", "file", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in a:
                return
            self._form[a["name"]] = a.get("value", "on" if kind == "checkbox" else "")
        elif tag == "select":
            self._select = a["name"]
            self._form.setdefault(a["name"], "")
        elif tag == "option" and self._select is not None and "selected" in a:
            self._form[self._select] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = a["name"]
            self._form[a["name"]] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._form = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None and self._form is not None:
            self._form[self._textarea] += data


def form_values(page: str, marker: str) -> dict[str, str]:
    """The values of the page's form that has a field named `marker`, as the browser would send them."""
    parser = _FormValues()
    parser.feed(page)
    form = next((f for f in parser.forms if marker in f), None)
    assert form is not None, f"no form with a field {marker!r}"
    return dict(form)


class Browser:
    """One browser: its own cookies, whichever app process it speaks to."""

    def __init__(self) -> None:
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def get(self, url: str) -> str:
        return self.opener.open(url, timeout=20).read().decode()

    def post(self, url: str, data: dict[str, str]) -> str:
        body = urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(url, data=body, headers={"Referer": url})  # noqa: S310
        return self.opener.open(request, timeout=20).read().decode()

    def sign_in(self, base: str, username: str, password: str) -> None:
        page = self.get(f"{base}/accounts/login/")
        self.post(
            f"{base}/accounts/login/",
            {"username": username, "password": password, "csrfmiddlewaretoken": csrf_token(page)},
        )
