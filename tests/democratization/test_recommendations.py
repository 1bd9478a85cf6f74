"""The election recommendations tracker (mission.trackers): who keeps it, its dated status history,
the status now, and its list."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from democratization.models import Recommendation, RecommendationStatusEntry
from field_offices.models import Institution
from mission.trackers.services import tracked_create, tracked_status_add
from tests.conftest import client_for
from tests.democratization.contract import as_posted, recommendation_content

pytestmark = pytest.mark.django_db


def url(page, *args):
    return reverse(f"democratization:recommendation_{page}", args=args)


def _status(client, item, day, status, **extra):
    data = {"version": item.version, "date": f"{day:%Y-%m-%d}", "status": status, "evidence": "", "support": ""}
    return client.post(url("status", item.pk), data | extra)


def test_the_head_enters_a_recommendation_and_bad_input_changes_nothing(democratization_actors):
    head = client_for(democratization_actors["department_head"])
    token = head.get(url("create")).context["submission_token"]
    data = as_posted(recommendation_content(number=12)) | {
        "version": "",
        "submission_token": token,
    }
    response = head.post(url("create"), data)
    assert response.status_code == 302
    item = Recommendation.objects.get(number=12)
    assert item.created_by == democratization_actors["department_head"]
    assert item.current_status == ""
    police = Institution.objects.get(code="KP")  # not an institution the department follows
    for wrong in ({"source": "999999"}, {"addressee": str(police.pk)}, {"addressee": ""}):
        bad = head.post(
            url("create"), data | wrong | {"submission_token": head.get(url("create")).context["submission_token"]}
        )
        assert bad.status_code == 200
        assert list(bad.context["form"].errors) == list(wrong)
    again = head.post(url("create"), data | {"submission_token": head.get(url("create")).context["submission_token"]})
    assert again.status_code == 200  # the same report's recommendation 12 is there already
    assert "in the tracker already" in again.context["form"].errors["number"][0]
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
    assert list(RecommendationStatusEntry.objects.values_list("status", flat=True)) == ["partially", "partially"]


def test_who_keeps_the_tracker(democratization_actors, democratization_objects):
    item = democratization_objects["recommendation"]
    before = RecommendationStatusEntry.objects.count()
    for actor in ("monitor", "management", "other_region_monitor"):
        assert (
            _status(client_for(democratization_actors[actor]), item, datetime.date(2024, 1, 1), "fully").status_code
            == 403
        )
    assert RecommendationStatusEntry.objects.count() == before
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


def test_the_dashboard_shows_how_far_the_recommendations_have_come(democratization_actors, democratization_objects):
    head = democratization_actors["department_head"]
    # The contract's recommendation is partially implemented since 2023-05-02.
    second = tracked_create(actor=head, model=Recommendation, fields=recommendation_content(number=8, addressee="CEC"))
    tracked_status_add(
        actor=head, item=second, expected_version=second.version, date=datetime.date(2024, 2, 1), status="fully"
    )
    tracked_create(actor=head, model=Recommendation, fields=recommendation_content(number=9, addressee="CEC"))
    response = client_for(democratization_actors["management"]).get(
        reverse("democratization:dashboard"), {"from": "2024-01", "to": "2024-03"}
    )
    figures = {str(f.label): (f.value, f.previous) for f in response.context["figures"]}
    assert figures["Election recommendations"] == (3, 3)
    share, before = figures["Election recommendations: Fully implemented"]
    assert share == pytest.approx(1 / 3)  # by the end of March 2024
    assert before == 0  # by the end of December 2023
    charts = {c.slug: c for c in response.context["charts"]}
    by_addressee = {row[0]: row[1:] for row in charts["recommendation-by-addressee"].rows}
    statuses = [str(c.label) for c in charts["recommendation-by-addressee"].columns[1:]]
    assert dict(zip(statuses, by_addressee["Central Election Commission"], strict=True))["Fully implemented"] == 1
    assert dict(zip(statuses, by_addressee["Assembly of Kosovo"], strict=True))["Partially implemented"] == 1
    months = charts["recommendation-over-time"].rows
    january = dict(zip(statuses, months[0][1:], strict=True))
    february = dict(zip(statuses, months[1][1:], strict=True))
    assert (january["Fully implemented"], february["Fully implemented"]) == (0, 1)
    assert january["Partially implemented"] == february["Partially implemented"] == 1
    tracked_create(actor=head, model=Recommendation, fields=recommendation_content(number=1, source="EU-EOM-2025"))
    later = client_for(democratization_actors["management"]).get(
        reverse("democratization:dashboard"), {"from": "2024-01", "to": "2024-03"}
    )
    counted = {str(f.label): f.value for f in later.context["figures"]}
    assert counted["Election recommendations"] == 3  # a 2025 report's is not counted in 2024


def test_partners_read_the_recommendations_coded_and_their_history(democratization_actors, democratization_objects):
    from django.test import Client

    from mission.api.services import token_issue

    actors = democratization_actors
    _token, key = token_issue(
        actor=actors["administrator"], user=actors["partner"], name="NGO", scopes=["election_recommendations"]
    )
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    (row,) = client.get("/api/v1/recommendations/").json()["results"]
    assert (row["source"], row["number"], row["addressee"], row["current_status"]) == (
        "EU-EOM-2021-L",
        7,
        "ASM",
        "partially",
    )
    assert "text" not in row  # the report's words: partners read them in the report
    (step,) = client.get("/api/v1/recommendations/status-history/").json()["results"]
    assert (step["item"], step["status"], step["date"]) == (row["id"], "partially", "2023-05-02")
    assert "evidence" not in step
    assert "support" not in step


def test_a_status_before_the_reports_year_is_refused(democratization_actors, democratization_objects):
    item = democratization_objects["recommendation"]  # a 2021 report's
    head = client_for(democratization_actors["department_head"])
    response = _status(head, item, datetime.date(2020, 1, 1), "fully", evidence="Typed")
    assert response.status_code == 200
    assert "cannot come before the item existed" in response.content.decode()
    item.refresh_from_db()
    assert item.current_status == "partially"
