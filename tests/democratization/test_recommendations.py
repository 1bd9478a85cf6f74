"""The election recommendations tracker (mission.trackers): who keeps it, its dated status history,
the status now, and its list."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from democratization.models import Recommendation, RecommendationStatusEntry
from mission.trackers.services import tracked_create, tracked_status_add
from tests.conftest import client_for
from tests.democratization.contract import recommendation_content

pytestmark = pytest.mark.django_db


def url(page, *args):
    return reverse(f"democratization:recommendation_{page}", args=args)


def _status(client, item, day, status, **extra):
    data = {"version": item.version, "date": f"{day:%Y-%m-%d}", "status": status, "evidence": "", "support": ""}
    return client.post(url("status", item.pk), data | extra)


def test_the_head_enters_a_recommendation_and_bad_input_changes_nothing(democratization_actors):
    head = client_for(democratization_actors["department_head"])
    token = head.get(url("create")).context["submission_token"]
    data = {f"{k}": v for k, v in recommendation_content(number=12).items()} | {
        "version": "",
        "submission_token": token,
    }
    response = head.post(url("create"), data)
    assert response.status_code == 302
    item = Recommendation.objects.get(number=12)
    assert item.created_by == democratization_actors["department_head"]
    assert item.current_status == ""
    bad = head.post(
        url("create"), data | {"year": "1800", "submission_token": head.get(url("create")).context["submission_token"]}
    )
    assert bad.status_code == 200
    assert "year" in bad.context["form"].errors
    again = head.post(url("create"), data | {"submission_token": head.get(url("create")).context["submission_token"]})
    assert again.status_code == 200  # the same report's recommendation 12 is there already
    assert Recommendation.objects.filter(number=12).count() == 1


def test_the_status_now_is_the_latest_entry(democratization_actors, democratization_objects):
    item = democratization_objects["recommendation"]
    head = client_for(democratization_actors["department_head"])
    assert (
        _status(head, item, datetime.date(2024, 3, 1), "partially", evidence="Draft law in committee").status_code
        == 302
    )
    item.refresh_from_db()
    assert _status(head, item, datetime.date(2025, 6, 1), "fully", evidence="Law 08/L-228 adopted").status_code == 302
    item.refresh_from_db()
    assert _status(head, item, datetime.date(2022, 1, 10), "not_addressed").status_code == 302  # the past, filled in
    item.refresh_from_db()
    assert (item.current_status, item.status_date) == ("fully", datetime.date(2025, 6, 1))
    page = head.get(url("detail", item.pk)).content.decode()
    assert page.index("Law 08/L-228 adopted") < page.index("Draft law in committee")  # newest first


def test_a_bad_or_stale_status_is_refused_as_typed(democratization_actors, democratization_objects):
    item = democratization_objects["recommendation"]
    supervisor = client_for(democratization_actors["supervisor"])
    future = datetime.date.today() + datetime.timedelta(days=5)
    response = _status(supervisor, item, future, "fully", evidence="Typed words")
    assert response.status_code == 200
    assert "This date is in the future" in response.content.decode()
    assert "Typed words" in response.content.decode()
    assert _status(supervisor, item, datetime.date(2024, 1, 1), "", evidence="x").status_code == 200
    seen = item.version  # the version the supervisor's page shows
    tracked_status_add(
        actor=democratization_actors["department_head"],
        item=item,
        expected_version=item.version,
        date=datetime.date(2024, 2, 1),
        status="partially",
    )
    stale = _status(supervisor, item, datetime.date(2024, 3, 1), "fully", evidence="Mine", version=seen)
    assert stale.status_code == 200
    assert stale.context["conflict"] is not None
    assert list(RecommendationStatusEntry.objects.values_list("status", flat=True)) == ["partially"]


def test_who_keeps_the_tracker(democratization_actors, democratization_objects):
    item = democratization_objects["recommendation"]
    for actor in ("monitor", "management", "other_region_monitor"):
        assert (
            _status(client_for(democratization_actors[actor]), item, datetime.date(2024, 1, 1), "fully").status_code
            == 403
        )
    assert not RecommendationStatusEntry.objects.exists()
    page = client_for(democratization_actors["other_region_monitor"]).get(url("detail", item.pk)).content.decode()
    assert "Record the status" not in page
    assert "civil registry" in page


def test_the_list_filters_and_costs_the_same_queries_at_two_sizes(democratization_actors, democratization_objects):
    head_user = democratization_actors["department_head"]
    client = client_for(democratization_actors["supervisor"])
    tracked_status_add(
        actor=head_user,
        item=democratization_objects["recommendation"],
        expected_version=democratization_objects["recommendation"].version,
        date=datetime.date(2024, 1, 1),
        status="partially",
    )

    def count() -> int:
        client.get(url("list"))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("list")).status_code == 200
        return len(queries)

    few = count()
    for n in range(8):
        tracked_create(
            actor=head_user, model=Recommendation, fields=recommendation_content(number=20 + n, area="media")
        )
    assert count() == few
    rows = client.get(url("list"), {"status": "partially"}).context["rows"]
    assert [item.number for item, _cells in rows] == [7]
    assert len(client.get(url("list"), {"area": "media"}).context["rows"]) == 8
    assert len(client.get(url("list"), {"q": "civil registry"}).context["rows"]) == 9
    assert client.get(url("list"), {"status": "nonsense"}).status_code == 200
