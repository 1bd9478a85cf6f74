"""Read replicas: which work is declared read-only (in-process), and the whole against a real
PostgreSQL streaming replica of the test database (`.ci/start-replica` makes one; TEST_REPLICA_URL
names its server, TEST_REPLICA_DATA_DIR its cluster, for stopping it).

There, the portal runs as deployed (gunicorn) with the replica in DATABASE_REPLICA_URLS. Pausing the
replica's replay makes it visibly behind, which tells where a page read: what the replica does not
have yet, a page read from it does not show."""

import os
import subprocess
import time
import urllib.parse
from contextlib import closing

import psycopg2
import pytest
from django.db import connection

from mission import replicas
from mission.replicas import ReplicaRouter
from rights.models import Case, Court
from tests.app_processes import ROOT, Browser, form_values, gunicorn_processes, set_checked_password
from tests.conftest import PASSWORD, client_for, require_service

# --- which work reads from a replica ----------------------------------------------------------------


@pytest.fixture
def read_only_work(settings, monkeypatch) -> list[bool]:
    """The router installed; for each read, whether it ran inside declared read-only work."""
    settings.DATABASE_ROUTERS = ["mission.replicas.ReplicaRouter"]
    seen: list[bool] = []

    def db_for_read(self, model, **hints):
        seen.append(replicas._reading.get() is not None)

    monkeypatch.setattr(ReplicaRouter, "db_for_read", db_for_read)
    return seen


@pytest.mark.parametrize(
    ("actor", "url"),
    [
        ("supervisor", "/trial-monitoring/dashboard/"),
        ("management", "/dashboards/"),
        ("management", "/democratization/dashboard/"),
        ("management", "/public-safety/dashboard/"),
        ("supervisor", "/field-offices/municipalities/{municipality}/"),
        ("supervisor", "/api/v1/cases/"),
        ("supervisor", "/api/v1/aggregates/hearings/?group_by=region"),
    ],
)
def test_dashboards_and_api_lists_are_read_only_work(request, read_only_work, case, actor, url):
    user = request.getfixturevalue(actor)
    response = client_for(user).get(url.format(municipality=case.municipality.code))
    assert response.status_code == 200
    assert any(read_only_work), "no read of the page was declared read-only work"


@pytest.mark.parametrize("url", ["/trial-monitoring/cases/", "/trial-monitoring/cases/{case}/edit/"])
def test_other_pages_read_the_primary(read_only_work, monitor, case, url):
    response = client_for(monitor).get(url.format(case=case.pk))
    assert response.status_code == 200
    assert read_only_work
    assert not any(read_only_work)


def test_a_report_reads_its_figures_as_read_only_work(read_only_work, department_head, trial_data, settings, tmp_path):
    from django.test import TestCase

    from mission.reports.services import report_request
    from tests.reports.conftest import PARAMS

    settings.MEDIA_ROOT = tmp_path / "media"
    with TestCase.captureOnCommitCallbacks(execute=True):
        job = report_request(
            actor=department_head, report_type="trial_monitoring_data", parameters=PARAMS | {"format": "xlsx"}
        )
    job.refresh_from_db()
    assert job.status == "done", job.error
    assert any(read_only_work)


# --- against a real streaming replica --------------------------------------------------------------

READYZ_TOKEN = "replica-test-token"
PIN_SECONDS = 3  # the app's read-your-writes window here, short so that the test can outwait it


class Replica:
    def __init__(self, server_url: str, data_dir: str | None) -> None:
        self.server_url, self.data_dir = server_url.rstrip("/"), data_dir

    def url(self, database: str) -> str:
        return f"{self.server_url}/{database}"

    def _sql(self, statement: str) -> object:
        with closing(psycopg2.connect(self.url("postgres"), connect_timeout=5)) as raw:
            raw.autocommit = True
            with raw.cursor() as cursor:
                cursor.execute(statement)
                row = cursor.fetchone()
        assert row is not None
        return row[0]

    def caught_up(self, timeout: float = 30) -> None:
        """Wait until the replica has replayed everything the primary has written so far."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()::text")
            target = cursor.fetchone()[0]
        deadline = time.monotonic() + timeout
        while not self._sql(f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn"):
            assert time.monotonic() < deadline, "the replica did not catch up"
            time.sleep(0.1)

    def pause(self) -> None:
        self._sql("SELECT pg_wal_replay_pause()::text")

    def resume(self) -> None:
        self._sql("SELECT pg_wal_replay_resume()::text")

    def _script(self, *args: str) -> None:
        env = {**os.environ, "REPLICA_PORT": str(urllib.parse.urlsplit(self.server_url).port or 5432)}
        if self.data_dir:
            env["REPLICA_DATA_DIR"] = self.data_dir
        subprocess.run([str(ROOT / ".ci" / "start-replica"), *args], env=env, check=True, timeout=120)

    def stop(self) -> None:
        self._script("stop")

    def start(self) -> None:
        self._script()


@pytest.fixture
def replica():
    require_service(connection.vendor == "postgresql", "postgresql", "PostgreSQL (DATABASE_URL)")
    server_url = os.environ.get("TEST_REPLICA_URL", "")
    require_service(bool(server_url), "replica", "A streaming replica of the test PostgreSQL (TEST_REPLICA_URL)")
    found = Replica(server_url, os.environ.get("TEST_REPLICA_DATA_DIR"))
    try:
        yield found
    finally:
        try:
            found.resume()
        except psycopg2.Error:
            found.start()  # stopped by the test: running again for the next one
            found.resume()


@pytest.fixture
def app(replica, tmp_path, settings):
    import redis

    from tests.test_celery_worker import _database_url, _reachable

    # A broker, as deployed: the dashboards then read their summaries as the replica has them (with
    # tasks in-process, a page would first bring them up to date on the primary and read that). A
    # database of Redis of its own, so the tasks it queues reach no other test's worker.
    require_service(_reachable(settings.REDIS_URL), "redis", "Redis (REDIS_URL)")
    broker = settings.REDIS_URL.rsplit("/", 1)[0] + "/14"

    env = {
        "DEBUG": "true",
        "DATABASE_URL": _database_url(),
        "DATABASE_REPLICA_URLS": replica.url(connection.settings_dict["NAME"]),
        "REPLICA_PIN_SECONDS": str(PIN_SECONDS),
        "REPLICA_RETRY_SECONDS": "60",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "REDIS_URL": broker,
        "HEALTH_READYZ_TOKEN": READYZ_TOKEN,
    }
    try:
        with gunicorn_processes(env) as (base,):
            yield base
    finally:
        redis.Redis.from_url(broker).flushdb()


def _charges(browser: Browser, base: str, case: Case) -> str:
    """The case's charges as the API's list gives them to this browser."""
    import json

    body = json.loads(browser.get(f"{base}/api/v1/cases/?fields=id,charges"))
    return next(row["charges"] for row in body["results"] if row["id"] == case.pk)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_dashboards_and_the_api_read_the_replica_and_an_author_reads_their_own_save(
    replica, app, monitor, supervisor, case, prizren_court
):
    for user in (monitor, supervisor):
        set_checked_password(user, PASSWORD)
    colleague, author = Browser(), Browser()
    colleague.sign_in(app, "supervisor", PASSWORD)
    signed_in = time.monotonic()
    author.sign_in(app, "monitor", PASSWORD)
    replica.caught_up()
    assert _charges(author, app, case) == "CCK Art. 141"

    replica.pause()
    # The author saves the case through its form; meanwhile the court is renamed (someone else's change).
    edit = f"{app}/trial-monitoring/cases/{case.pk}/edit/"
    values = form_values(author.get(edit), "charges") | {"charges": "CCK Art. 142"}
    author.post(edit, values)
    assert Case.objects.get(pk=case.pk).charges == "CCK Art. 142"  # on the primary
    Court.objects.filter(pk=prizren_court.pk).update(name_en="Basic Court of Prizren (renamed)")

    # The author reads what they saved at once, from the primary, in the API and on the dashboard.
    assert _charges(author, app, case) == "CCK Art. 142"
    # A colleague whose own sign-in (a write) is older than the window reads the replica: not there yet.
    time.sleep(max(0.0, signed_in + PIN_SECONDS + 0.5 - time.monotonic()))
    assert _charges(colleague, app, case) == "CCK Art. 141"
    dashboard = colleague.get(f"{app}/trial-monitoring/dashboard/")
    assert "Basic Court of Prizren" in dashboard
    assert "(renamed)" not in dashboard
    # Pages that are not read-only work read the primary for everyone.
    assert "CCK Art. 142" in colleague.get(f"{app}/trial-monitoring/cases/{case.pk}/")

    paused = _replica_readiness(app)
    assert (paused["answers"], paused["streaming"]) == (True, True)
    assert paused["lag_seconds"] is not None

    replica.resume()
    replica.caught_up()
    assert _charges(colleague, app, case) == "CCK Art. 142"
    assert "Basic Court of Prizren (renamed)" in colleague.get(f"{app}/trial-monitoring/dashboard/")

    # The replica stops: the same pages read from the primary, with no error.
    replica.stop()
    Court.objects.filter(pk=prizren_court.pk).update(name_en="Basic Court of Prizren (again)")
    assert "Basic Court of Prizren (again)" in colleague.get(f"{app}/trial-monitoring/dashboard/")
    assert _charges(colleague, app, case) == "CCK Art. 142"
    assert colleague.get(f"{app}/dashboards/")
    assert _replica_readiness(app)["answers"] is False  # said, without failing the replica check


def _replica_readiness(base: str) -> dict:
    import json
    import urllib.error
    import urllib.request

    request = urllib.request.Request(f"{base}/readyz/", headers={"Authorization": f"Bearer {READYZ_TOKEN}"})  # noqa: S310
    try:
        answer = urllib.request.urlopen(request, timeout=20).read()  # noqa: S310 (a local test server)
    except urllib.error.HTTPError as error:  # 503: no worker runs here; the detail still comes
        answer = error.read()
    body = json.loads(answer)
    assert body["checks"]["replicas"]["ok"] is True  # a replica never fails readiness
    return body["checks"]["replicas"]["replicas"]["replica1"]


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_work_that_needs_what_was_just_committed_waits_for_the_replica_or_reads_the_primary(
    replica, monkeypatch, prizren_court
):
    from django.db import connections

    from mission.backups.services import open_database

    alias = "replica7"
    connections[alias] = open_database(
        {**connection.settings_dict, **_url_settings(replica.url(connection.settings_dict["NAME"]))}, alias
    )
    monkeypatch.setattr(replicas, "replica_aliases", lambda: [alias])
    monkeypatch.setattr(replicas, "_down_until", {})
    router = ReplicaRouter()
    try:
        replica.caught_up()
        with replicas.replica_reads():
            Court.objects.filter(pk=prizren_court.pk).update(name_en="Committed before")
            replicas.replica_caught_up()  # the replica replays it within the wait
            assert router.db_for_read(Court) == alias
            assert Court.objects.get(pk=prizren_court.pk).name_en == "Committed before"

        replica.pause()
        with replicas.replica_reads():
            Court.objects.filter(pk=prizren_court.pk).update(name_en="Committed during the pause")
            assert router.db_for_read(Court) == alias
            replicas.replica_caught_up(wait_seconds=0.5)  # not replayed: the rest reads the primary
            assert router.db_for_read(Court) is None
            assert Court.objects.get(pk=prizren_court.pk).name_en == "Committed during the pause"
    finally:
        connections[alias].close()
        del connections[alias]


def _url_settings(url: str) -> dict:
    import environ

    return environ.Env.db_url_config(url)
