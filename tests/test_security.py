import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.conftest import client_for

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "x" * 20 + "production-like-value-for-the-check-only-0123456789",
    "ALLOWED_HOSTS": "portal.example.org",
    "DATABASE_URL": "sqlite:////tmp/mission-check.sqlite3",
    "FIELD_ENCRYPTION_KEYS": "cHJvZHVjdGlvbi1saWtlLWtleS1mb3ItdGhlLWNoZWNrLW9ubHktMDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3OA==",
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {"DEBUG", "SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_values():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = _manage("check", "--deploy", env=env)  # a plain check runs on a bare checkout, as makemigrations
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_field_encryption_keys():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "FIELD_ENCRYPTION_KEYS"}
    result = _manage("check", "--deploy", env=env)
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS must be set" in result.stderr


def test_a_server_with_a_secret_key_but_no_field_keys_refuses_to_start():
    result = _settings_without_debug(
        "import mission.wsgi", SECRET_KEY="a-deployment-secret-key-for-this-check-0123456789"
    )
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS must be set" in result.stderr


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy_without_inline_script(monitor):
    response = client_for(monitor).get(reverse("home"))
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert directives["frame-ancestors"] == "'none'"


@pytest.mark.django_db
def test_pages_send_the_usual_security_headers(monitor):
    response = client_for(monitor).get(reverse("home"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_templates_hold_no_inline_script_or_style():
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if "<script>" in text or "<style" in text or " style=" in text or " onclick=" in text:
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_sessions_expire(settings):
    assert settings.SESSION_COOKIE_AGE <= 12 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


@pytest.mark.django_db
def test_error_pages_are_our_own(monitor):
    response = client_for(monitor).get("/no-such-page/")
    assert response.status_code == 404
    assert "There is nothing here, or nothing you may see." in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "address",
    [
        "/field-offices/regions/%00/",
        "/field-offices/municipalities/%00/",
        "/trial-monitoring/flags/?status=%00",
        "/trial-monitoring/cases/?q=a%00b",
        "/reports/?page=1&x%00=1",
        "/accounts/login/?next=/%00",
    ],
)
def test_a_nul_character_anywhere_in_the_address_is_a_400(supervisor, address):
    # PostgreSQL refuses text holding NUL: a view that queries with it would answer 500 there.
    response = client_for(supervisor).get(address)
    assert response.status_code == 400
    assert "The address holds a NUL character" in response.content.decode()
    assert "Back to the home page" in response.content.decode()


@pytest.mark.django_db
def test_a_nul_character_is_refused_before_sign_in_too(geography):
    response = client_for(None).get("/field-offices/regions/%00/")
    assert response.status_code == 400


def _settings_without_debug(code: str = "", **env: str) -> subprocess.CompletedProcess:
    """Run `code` (by default: import the real settings) in a fresh interpreter, as a deployment that set
    no DEBUG would."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "DJANGO_SETTINGS_MODULE", "DEMO_DATA_ALLOWED"}
    }
    code = code or "import mission.settings as s; print(s.DEBUG, s.DEMO_DATA_ALLOWED, s.SECURE_SSL_REDIRECT)"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=60
    )


def test_debug_is_off_unless_the_environment_turns_it_on():
    result = _settings_without_debug(SECRET_KEY="a-deployment-secret-key-for-this-check-only-0123456789")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False", "True"]


@pytest.mark.parametrize("server", ["mission.wsgi", "mission.asgi"])
def test_a_deployment_that_sets_nothing_refuses_to_start_rather_than_use_the_development_key(server):
    result = _settings_without_debug(f"import {server}")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_a_worker_without_a_secret_key_refuses_to_start():
    code = "from celery.signals import worker_init; import mission.celery; worker_init.send(sender=None)"
    result = _settings_without_debug(code)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_management_commands_run_on_a_bare_checkout():
    """`makemigrations --check` (as CI and reviewers run it) loads the settings with nothing set."""
    code = (
        "import sys, django; from django.core.management import call_command; django.setup();"
        "call_command('makemigrations', '--check', '--dry-run', verbosity=0)"
    )
    result = _settings_without_debug(code, DJANGO_SETTINGS_MODULE="mission.settings")
    assert result.returncode == 0, result.stderr
