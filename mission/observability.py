"""Seeing what the portal does without seeing what it holds: a request id on every request and its
log lines, JSON logs for a log collector (LOG_FORMAT=json), and error reports to Sentry when
SENTRY_DSN is set (docs/deployment.md, "Logs and errors").

Nothing personal leaves this way: log lines say what happened by ids, never names (the services'
rule); Sentry gets no request bodies, query strings, cookies, headers, user details or local
variables (the values a failing function held might be a victim's name), only the error, where it
happened and the request id to find its log lines."""

from __future__ import annotations  # settings import this module: nothing of Django's is loaded here

import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponseBase

REQUEST_ID_HEADER = "X-Request-ID"
# A request id set by the proxy in front is kept if it looks like one (letters, digits, - _ .).
_REQUEST_ID_FORM = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
_request_id: ContextVar[str] = ContextVar("request_id", default="")


def current_request_id() -> str:
    return _request_id.get()


class RequestIdMiddleware:
    """First in MIDDLEWARE: gives each request an id (the proxy's X-Request-ID, or a new one), for its
    log lines and Sentry's report, and answers with it in X-Request-ID."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        connect_request_finished()

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        given = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = given if _REQUEST_ID_FORM.match(given) else uuid.uuid4().hex
        # Kept until the request has finished (`_finished`): Django logs a 4xx or 5xx answer after the
        # middleware has returned it.
        _request_id.set(request_id)
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id
        return response


def _finished(**_kwargs: Any) -> None:
    _request_id.set("")


def connect_request_finished() -> None:
    from django.core.signals import request_finished

    request_finished.connect(_finished, dispatch_uid="mission.observability.finished")


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every log record (empty outside a request or a task)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        return True


def task_started(task_id: str | None = None, **_kwargs: Any) -> None:
    """Celery's task_prerun: a task's log lines carry its id as their request id."""
    _request_id.set(f"task-{task_id}" if task_id else "")


def logging_config(*, level: str, json: bool) -> dict[str, Any]:
    """The LOGGING setting: text lines, or one JSON object per line (time, level, logger, message,
    request id) for a log collector."""
    formatter: dict[str, Any] = (
        {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        }
        if json
        else {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "mission.observability.RequestIdFilter"}},
        "formatters": {"portal": formatter},
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": "portal", "filters": ["request_id"]},
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "axes": {"level": "WARNING"},
            "weasyprint": {"level": "WARNING"},
            "fontTools": {"level": "WARNING"},
        },
    }


def _scrub(event: dict[str, Any], hint: dict[str, Any]) -> dict[str, Any]:
    """Sentry's before_send: keep the error and where it happened, drop anything a person typed or is."""
    request = event.get("request")
    if isinstance(request, dict):
        event["request"] = {key: request[key] for key in ("method", "url") if key in request}
        event["request"]["url"] = str(event["request"].get("url", "")).split("?", 1)[0]
    event.pop("user", None)
    event.pop("breadcrumbs", None)  # log messages and SQL of the request
    event.setdefault("tags", {})["request_id"] = _request_id.get()
    return event


def sentry_init(dsn: str, *, environment: str, release: str = "") -> None:
    """Report errors of the web processes and workers to Sentry at `dsn`, without personal data."""
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        traces_sample_rate=0.0,
        before_send=_scrub,  # type: ignore[arg-type]  # Sentry's Event is a TypedDict of these keys
    )
