"""The replica router and the read-your-writes pin (mission/replicas.py), in-process: which database a
read goes to, the fallback from a replica that does not answer, and the pin's cookie. The streaming
replica itself is tried in tests/rights/test_read_replicas.py."""

import logging
import time
from typing import Any

import pytest
from django.core import signing
from django.db import OperationalError, connections, transaction
from django.http import HttpResponse
from django.test import RequestFactory

from mission import replicas
from mission.replicas import PIN_COOKIE, ReplicaPinMiddleware, ReplicaRouter, primary_reads, replica_reads
from rights.models import Court
from tests.app_processes import free_port


@pytest.fixture(autouse=True)
def _connections_allowed(django_db_blocker):
    """Connections without a test transaction: the router sends reads in one to the primary."""
    with django_db_blocker.unblock():
        yield


@pytest.fixture
def replica_alias(monkeypatch, tmp_path):
    """A replica that answers (a database file of its own), known to the router as `replica9`."""
    from mission.backups.services import open_database

    wrapper = open_database(
        {**connections["default"].settings_dict, "ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "r")},
        "replica9",
    )
    connections["replica9"] = wrapper
    monkeypatch.setattr(replicas, "replica_aliases", lambda: ["replica9"])
    monkeypatch.setattr(replicas, "_down_until", {})
    yield "replica9"
    wrapper.close()
    del connections["replica9"]


@pytest.fixture
def unreachable_alias(monkeypatch):
    """A replica on a port nothing listens on, known to the router as `replica8`."""
    from mission.backups.services import open_database

    wrapper = open_database(
        {
            **connections["default"].settings_dict,
            "ENGINE": "django.db.backends.postgresql",
            "HOST": "127.0.0.1",
            "PORT": str(free_port()),
            "NAME": "mission",
            "USER": "mission",
            "OPTIONS": {"connect_timeout": 2},
            "CONN_HEALTH_CHECKS": True,
        },
        "replica8",
    )
    connections["replica8"] = wrapper
    monkeypatch.setattr(replicas, "replica_aliases", lambda: ["replica8"])
    monkeypatch.setattr(replicas, "_down_until", {})
    yield "replica8"
    del connections["replica8"]


router = ReplicaRouter()


def test_reads_outside_read_only_work_go_to_the_primary(replica_alias):
    assert router.db_for_read(Court) is None  # Django's default: the primary


def test_read_only_work_reads_a_replica_that_answers(replica_alias):
    with replica_reads():
        assert router.db_for_read(Court) == replica_alias
        with replica_reads():  # nested: still the same unit of work
            assert router.db_for_read(Court) == replica_alias
    assert router.db_for_read(Court) is None


def test_a_pinned_browser_and_a_transaction_on_the_primary_read_the_primary(replica_alias, transactional_db):
    with replica_reads(), primary_reads():
        assert router.db_for_read(Court) is None
    with replica_reads(), transaction.atomic():
        assert router.db_for_read(Court) is None  # it must see the transaction's own writes


def test_writes_and_migrations_go_to_the_primary(replica_alias):
    with replica_reads():
        assert router.db_for_write(Court) == "default"
    assert router.allow_migrate("replica1", "rights") is False
    assert router.allow_migrate("default", "rights") is None


def test_an_unreachable_replica_is_left_alone_for_a_while_and_tried_again_after(
    unreachable_alias, monkeypatch, settings, caplog
):
    settings.REPLICA_RETRY_SECONDS = 30
    wrapper = connections[unreachable_alias]
    attempts = []
    connect = wrapper.ensure_connection

    def counted() -> None:
        attempts.append(time.monotonic())
        connect()

    monkeypatch.setattr(wrapper, "ensure_connection", counted)
    with caplog.at_level(logging.WARNING, logger="mission.replicas"), replica_reads():
        assert router.db_for_read(Court) is None  # the primary, with no error
        assert router.db_for_read(Court) is None
    assert len(attempts) == 1  # checked once per unit of work
    assert "replica8 does not answer (OperationalError)" in caplog.text

    with replica_reads():
        assert router.db_for_read(Court) is None
    assert len(attempts) == 1  # within the retry window: not tried again

    later = time.monotonic() + 31
    monkeypatch.setattr(replicas.time, "monotonic", lambda: later)
    with replica_reads():
        assert router.db_for_read(Court) is None
    assert len(attempts) == 2  # tried again after the window, and still down


def test_a_replica_that_dies_between_requests_is_noticed_by_the_health_check(replica_alias, monkeypatch):
    wrapper = connections[replica_alias]
    with replica_reads():
        assert router.db_for_read(Court) == replica_alias
    wrapper.health_check_enabled, wrapper.health_check_done = True, False  # a new request on a kept connection

    def broken() -> None:
        raise OperationalError("the server closed the connection")

    monkeypatch.setattr(wrapper, "is_usable", lambda: False)
    monkeypatch.setattr(wrapper, "connect", broken)
    with replica_reads():
        assert router.db_for_read(Court) is None


# --- the pin -------------------------------------------------------------------------------------


def _through_middleware(request) -> tuple[Any, list[bool]]:
    seen: list[bool] = []

    def view(_request) -> HttpResponse:
        seen.append(replicas._pinned.get())
        return HttpResponse("ok")

    return ReplicaPinMiddleware(view)(request), seen


def test_a_write_pins_the_browser_to_the_primary_for_the_window(replica_alias, settings):
    settings.REPLICA_PIN_SECONDS = 30
    response, seen = _through_middleware(RequestFactory().post("/trial-monitoring/cases/new/"))
    assert seen == [False]
    cookie = response.cookies[PIN_COOKIE]
    assert (cookie["max-age"], cookie["httponly"], cookie["samesite"]) == (30, True, "Lax")

    following = RequestFactory().get("/dashboards/")
    following.COOKIES[PIN_COOKIE] = cookie.value
    response, seen = _through_middleware(following)
    assert seen == [True]
    assert PIN_COOKIE not in response.cookies  # a read does not extend the window


def test_a_forged_or_expired_pin_is_ignored(replica_alias, settings, monkeypatch):
    settings.REPLICA_PIN_SECONDS = 30
    forged = RequestFactory().get("/dashboards/")
    forged.COOKIES[PIN_COOKIE] = "1"
    assert _through_middleware(forged)[1] == [False]

    a_minute_ago = time.time() - 60
    with monkeypatch.context() as past:
        past.setattr(signing.time, "time", lambda: a_minute_ago)
        old = signing.get_cookie_signer(salt=PIN_COOKIE + "mission.replicas.pin").sign("1")
    assert replicas.replica_aliases() == [replica_alias]  # the middleware is in use
    fresh = RequestFactory().get("/dashboards/")
    fresh.COOKIES[PIN_COOKIE] = signing.get_cookie_signer(salt=PIN_COOKIE + "mission.replicas.pin").sign("1")
    assert _through_middleware(fresh)[1] == [True]
    expired = RequestFactory().get("/dashboards/")
    expired.COOKIES[PIN_COOKIE] = old
    assert _through_middleware(expired)[1] == [False]


def test_without_replicas_there_is_no_pin(settings):
    assert replicas.replica_aliases() == []
    response, seen = _through_middleware(RequestFactory().post("/trial-monitoring/cases/new/"))
    assert seen == [False]
    assert PIN_COOKIE not in response.cookies
