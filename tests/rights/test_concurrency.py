"""Many people saving one record at the same moment, on PostgreSQL with real transactions: the row
lock and the version check let exactly one save through per version, and none is lost silently."""

import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from mission.concurrency import ConcurrentEditError
from rights.models import Observation
from rights.services.observations import observation_approve, observation_return, observation_submit
from tests.conftest import client_for, require_service
from tests.factories import UserFactory
from tests.rights.conftest import all_complied

pytestmark = pytest.mark.django_db(transaction=True)

SAVES = 20


@pytest.fixture
def postgresql():
    require_service(connection.vendor == "postgresql", "postgresql", "PostgreSQL (DATABASE_URL)")


def _all_at_once(clients, url: str, data_for) -> list[int]:
    """Post from every client at the same instant, each in a thread with its own connection."""
    start = threading.Barrier(len(clients))

    def post(index: int) -> int:
        try:
            start.wait()
            return clients[index].post(url, data_for(index)).status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(len(clients)) as pool:
        return list(pool.map(post, range(len(clients))))


def test_concurrent_saves_without_a_version_are_all_refused(postgresql, monitor, observation):
    url = reverse("rights:observation_edit", args=[observation.pk])
    clients = [client_for(monitor) for _ in range(SAVES)]
    statuses = _all_at_once(clients, url, lambda i: {"summary": f"save {i}"})
    assert statuses == [200] * SAVES  # each told, its input shown again
    saved = Observation.objects.get(pk=observation.pk)
    assert (saved.version, saved.summary) == (1, "")
    assert saved.history.count() == 1


def test_concurrent_saves_of_one_version_let_one_through_and_lose_none(postgresql, monitor, observation):
    url = reverse("rights:observation_edit", args=[observation.pk])
    clients = [client_for(monitor) for _ in range(SAVES)]
    statuses = _all_at_once(clients, url, lambda i: {"version": "1", "summary": f"save {i}"})
    accepted = [i for i, status in enumerate(statuses) if status == 302]
    assert len(accepted) == 1
    assert statuses.count(200) == SAVES - 1  # the others see the conflict with their input
    saved = Observation.objects.get(pk=observation.pk)
    assert (saved.version, saved.summary) == (2, f"save {accepted[0]}")
    # Every save that was accepted is in the history: none was overwritten unseen.
    assert sorted(saved.history.exclude(summary="").values_list("summary", flat=True)) == [f"save {accepted[0]}"]


def test_saving_again_from_the_conflict_page_keeps_every_accepted_save_in_the_history(postgresql, monitor, observation):
    """Each refused user saves again from the conflict page (which carries the version now saved):
    still one save per version, and every accepted text is in the history."""
    users = 6  # 21 saves in 6 rounds: enough to interleave, short enough for the suite
    url = reverse("rights:observation_edit", args=[observation.pk])
    clients = [client_for(monitor) for _ in range(users)]
    versions = dict.fromkeys(range(users), "1")
    waiting = list(range(users))
    accepted: list[int] = []
    while waiting:
        responses: dict[int, object] = {}
        start = threading.Barrier(len(waiting))

        def post(index: int, responses=responses, start=start) -> None:
            try:
                start.wait()
                responses[index] = clients[index].post(url, {"version": versions[index], "summary": f"save {index}"})
            finally:
                connection.close()

        with ThreadPoolExecutor(len(waiting)) as pool:
            list(pool.map(post, waiting))
        done = [i for i in waiting if responses[i].status_code == 302]
        assert len(done) == 1
        accepted += done
        waiting = [i for i in waiting if i not in done]
        for index in waiting:
            # The version the conflict page's form carries (read from the page: the test client's
            # context capture is not thread-safe).
            versions[index] = re.search(r'name="version" value="(\d+)"', responses[index].content.decode())[1]
    saved = Observation.objects.get(pk=observation.pk)
    assert saved.version == 1 + users
    history = saved.history.exclude(summary="").order_by("history_date").values_list("summary", flat=True)
    assert list(history) == [f"save {i}" for i in accepted]


def test_reviewers_deciding_at_once_on_copies_read_before_let_one_decision_through(
    postgresql, monitor, observation, standards, geography
):
    """Regression: the review step checked the status on the caller's copy. Every reviewer read the
    observation while it waited; one approves; the others then decide at the same instant on their
    copies, naming the version saved now (what a client that reads it again sends). Only the first
    decision may stand: the row says approved, whatever the copies say."""
    observation_submit(
        actor=monitor, observation=observation, expected_version=1, summary="ok", ratings=all_complied(standards)
    )
    reviewers = [UserFactory(username=f"supervisor.{i}", supervisor=True, region=geography["PRZ"]) for i in range(6)]
    copies = [
        Observation.objects.select_related("hearing__case__municipality").get(pk=observation.pk) for _ in reviewers
    ]
    observation_approve(actor=reviewers[0], observation=copies[0], expected_version=copies[0].version)
    start = threading.Barrier(len(reviewers) - 1)

    def decide(index: int) -> str:
        try:
            version = Observation.objects.get(pk=observation.pk).version
            start.wait()
            observation_return(
                actor=reviewers[index], observation=copies[index], expected_version=version, comment="Redo it."
            )
            return "decided"
        except (ValidationError, ConcurrentEditError):
            return "refused"
        finally:
            connection.close()

    with ThreadPoolExecutor(len(reviewers) - 1) as pool:
        outcomes = list(pool.map(decide, range(1, len(reviewers))))
    assert outcomes == ["refused"] * (len(reviewers) - 1)
    saved = Observation.objects.get(pk=observation.pk)
    assert (saved.status, saved.reviewed_by) == ("approved", reviewers[0])
