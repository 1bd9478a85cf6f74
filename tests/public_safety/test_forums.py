"""Community safety forums: a meeting takes its forum's municipality, its attendance is added up by
community and sex, its issues are counted by category with those resolved, a forum functions when it
met often enough in the last six months, and actions past their deadline show (known answers)."""

import datetime
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from field_offices.models import Community, Municipality
from mission.dashboards.filters import read_filters
from mission.dashboards.services import summaries_refresh
from mission.records.dashboard import record_dashboard
from mission.records.declaration import record_type_of
from mission.records.forms import form_class
from mission.records.services import record_create, record_update
from mission.review.services import record_approve
from public_safety.models import ForumMeeting
from public_safety.panels import forum_panel, months_before
from tests.conftest import client_for
from tests.public_safety.contract import forum_in, meeting_content, meeting_parts

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def _approved(actors, forum, parts=None, **fields) -> Any:
    monitor, supervisor = actors["monitor"], actors["supervisor"]
    record = record_create(actor=monitor, model=ForumMeeting, fields=meeting_content(forum, **fields), parts=parts)
    record = record_update(actor=monitor, record=record, expected_version=record.version, fields={}, submit=True)
    return record_approve(actor=supervisor, record=record, expected_version=record.version)


def _gjilan(actors) -> Municipality:
    return actors["monitor"].region.municipalities.order_by("code").first()


def _dashboard(user, rf, query=""):
    request = rf.get(f"/?{query}")
    request.user = user
    _form, filters = read_filters(request)
    figures, charts = record_dashboard(apps.get_app_config("public_safety"), user, filters)
    return {str(f.label): f for f in figures}, {c.slug: c for c in charts}, filters


def test_a_meeting_is_where_its_forum_is(public_safety_actors):
    forum = forum_in(_gjilan(public_safety_actors))
    meeting = record_create(
        actor=public_safety_actors["monitor"],
        model=ForumMeeting,
        fields=meeting_content(forum),
        parts=meeting_parts(),
    )
    assert meeting.municipality == forum.municipality


def test_a_monitor_is_offered_the_forums_of_their_region_only(public_safety_actors):
    gjilan = forum_in(_gjilan(public_safety_actors), "LPSC-GJI")
    mitrovica = forum_in(Municipality.objects.filter(region__code="MIT").order_by("code").first(), "LPSC-MIT")
    record_type = record_type_of(ForumMeeting)
    form = form_class(record_type)(user=public_safety_actors["monitor"])
    offered = set(form.fields["forum"].queryset)
    assert gjilan in offered
    assert mitrovica not in offered
    posted = form_class(record_type)(
        {**{k: v for k, v in meeting_content(mitrovica).items() if k != "forum"}, "forum": mitrovica.pk, "version": ""},
        user=public_safety_actors["monitor"],
    )
    assert not posted.is_valid()
    assert "forum" in posted.errors


def test_a_forum_of_another_region_is_refused_by_the_service(public_safety_actors):
    mitrovica = forum_in(Municipality.objects.filter(region__code="MIT").order_by("code").first(), "LPSC-MIT")
    with pytest.raises(PermissionDenied):
        record_create(
            actor=public_safety_actors["monitor"],
            model=ForumMeeting,
            fields=meeting_content(mitrovica),
            parts=meeting_parts(),
        )
    assert not ForumMeeting.objects.exists()


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        ({"attendance": ((None, 0, 0),)}, "how many women or men"),
        ({"issues": (("drugs", "open", TODAY - datetime.timedelta(days=30)),)}, "before the meeting"),
    ],
)
def test_a_wrong_row_is_refused_and_nothing_is_saved(public_safety_actors, parts, message):
    forum = forum_in(_gjilan(public_safety_actors))
    with pytest.raises(ValidationError, match=message):
        record_create(
            actor=public_safety_actors["monitor"],
            model=ForumMeeting,
            fields=meeting_content(forum),
            parts=meeting_parts(**parts),
        )
    assert not ForumMeeting.objects.exists()


def test_a_deadline_needs_an_action(public_safety_actors):
    forum = forum_in(_gjilan(public_safety_actors))
    parts = meeting_parts(issues=(("drugs", "open", None),))
    (row,) = parts[list(parts)[1]]
    row.update(action="", deadline=TODAY + datetime.timedelta(days=9))
    with pytest.raises(ValidationError, match="what action is due"):
        record_create(
            actor=public_safety_actors["monitor"], model=ForumMeeting, fields=meeting_content(forum), parts=parts
        )


def test_the_dashboard_adds_up_attendance_and_counts_issues(public_safety_actors, rf):
    albanian, serb = Community.objects.get(code="ALB"), Community.objects.get(code="SRB")
    forum = forum_in(_gjilan(public_safety_actors))
    _approved(
        public_safety_actors,
        forum,
        meeting_parts(
            attendance=((albanian, 4, 6), (serb, 2, 3)),
            issues=(("traffic", "resolved", None), ("drugs", "open", None), ("traffic", "in_progress", None)),
        ),
        date=TODAY - datetime.timedelta(days=3),
    )
    _approved(
        public_safety_actors,
        forum,
        meeting_parts(attendance=((serb, 1, 0), (None, 0, 2)), issues=(("traffic", "resolved", None),)),
        date=TODAY - datetime.timedelta(days=5),
    )
    # A draft counts nowhere.
    record_create(
        actor=public_safety_actors["monitor"],
        model=ForumMeeting,
        fields=meeting_content(forum),
        parts=meeting_parts(attendance=((albanian, 50, 50),)),
    )
    summaries_refresh()
    figures, charts, _filters = _dashboard(public_safety_actors["department_head"], rf)
    assert figures["Forum meetings"].value == 2
    assert figures["Attendance: women"].value == 7
    assert figures["Attendance: men"].value == 11
    assert "Attendance" not in figures  # a tally's rows are added up, not counted
    assert figures["Issues raised"].value == 4
    assert figures["Issues raised: resolved"].value == 2
    by_community = {row[0]: row[1:] for row in charts["forummeeting-attendance-by-community"].rows}
    assert by_community["Albanian"] == [4, 6]
    assert by_community["Serb"] == [3, 3]
    assert by_community["Not known"] == [0, 2]
    by_category = {row[0]: row[1:] for row in charts["forummeeting-forumissue-by-category"].rows}
    assert by_category["Traffic safety"] == [3, 2]  # raised, resolved
    assert by_category["Drugs"] == [1, 0]
    by_police = dict(charts["forummeeting-by-police"].rows)
    assert by_police["Police took part"] == 2


def test_a_forum_functions_when_it_met_often_enough_in_six_months(public_safety_actors, rf, settings):
    settings.PUBLIC_SAFETY_FORUM_MEETINGS = 2
    gjilan = _gjilan(public_safety_actors)
    busy, quiet, idle = forum_in(gjilan, "LPSC-A"), forum_in(gjilan, "LPSC-B"), forum_in(gjilan, "LPSC-C")
    for days in (10, 70):
        _approved(public_safety_actors, busy, meeting_parts(), date=TODAY - datetime.timedelta(days=days))
    _approved(public_safety_actors, quiet, meeting_parts(), date=TODAY - datetime.timedelta(days=20))
    # Two meetings of the quiet forum longer ago than six months: it functioned then, not now.
    for days in (200, 260):
        _approved(public_safety_actors, quiet, meeting_parts(), date=TODAY - datetime.timedelta(days=days))
    head = public_safety_actors["department_head"]
    _figures, _charts, filters = _dashboard(head, rf)
    figures, (chart,) = forum_panel(head, filters)
    found = {str(f.label): f for f in figures}
    functioning = found["Forums functioning (met 2 times or more in six months)"]
    assert (functioning.value, functioning.previous) == (1, 1)
    assert found["Share of the active forums functioning"].value == pytest.approx(1 / 3)
    assert {row[0]: row[1:] for row in chart.rows}[str(gjilan)] == [3, 1]
    settings.PUBLIC_SAFETY_FORUM_MEETINGS = 1
    figures, _chart = forum_panel(head, filters)
    assert figures[0].value == 2
    assert idle.meetings.count() == 0


def test_six_months_before_a_day():
    assert months_before(datetime.date(2026, 8, 31), 6) == datetime.date(2026, 2, 28)
    assert months_before(datetime.date(2026, 3, 15), 6) == datetime.date(2025, 9, 15)


def test_actions_past_their_deadline_are_counted(public_safety_actors, rf):
    forum = forum_in(_gjilan(public_safety_actors))
    meeting_day = TODAY - datetime.timedelta(days=40)
    _approved(
        public_safety_actors,
        forum,
        meeting_parts(
            issues=(
                ("drugs", "open", TODAY - datetime.timedelta(days=1)),  # overdue
                ("traffic", "in_progress", TODAY - datetime.timedelta(days=10)),  # overdue
                ("youth", "resolved", TODAY - datetime.timedelta(days=10)),  # done
                ("property", "open", TODAY + datetime.timedelta(days=10)),  # not yet due
            )
        ),
        date=meeting_day,
    )
    head = public_safety_actors["department_head"]
    _figures, _charts, filters = _dashboard(head, rf)
    figures, _chart = forum_panel(head, filters)
    assert {str(f.label): f.value for f in figures}["Forum actions past their deadline"] == 2
    # Another region's reader finds none of them.
    other = public_safety_actors["other_region_monitor"]
    _figures, _charts, their_filters = _dashboard(other, rf)
    figures, _chart = forum_panel(other, their_filters)
    assert {str(f.label): f.value for f in figures}["Forum actions past their deadline"] == 0


def test_the_dashboard_page_shows_the_forums(public_safety_actors, public_safety_objects):
    client = client_for(public_safety_actors["department_head"])
    summaries_refresh()
    page = client.get(reverse("public_safety:dashboard")).content.decode()
    assert "Forums functioning" in page
    assert "Municipalities: Forums functioning" in page  # the forums on the map
    assert 'aria-labelledby="forums-by-municipality-title"' in page
    assert "Attendance by community" in page
    assert "Women&#x27;s share in the police by year, against the target" in page


def _queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_meeting_list_and_the_dashboard_cost_the_same_queries_at_two_sizes(public_safety_actors):
    forum = forum_in(_gjilan(public_safety_actors))
    client = client_for(public_safety_actors["supervisor"])
    pages = [reverse("public_safety:forummeeting_list"), reverse("public_safety:dashboard")]
    _approved(public_safety_actors, forum, meeting_parts(), date=TODAY - datetime.timedelta(days=2))
    summaries_refresh()
    few = [_queries(client, url) for url in pages]
    for n in range(6):
        _approved(public_safety_actors, forum_in(forum.municipality, f"LPSC-{n}"), meeting_parts(), date=TODAY)
    summaries_refresh()
    assert [_queries(client, url) for url in pages] == few


def test_a_dissolved_forum_keeps_its_meetings_open_to_corrections_but_takes_no_new_one(public_safety_actors):
    from mission.records.services import record_correct_content

    forum = forum_in(_gjilan(public_safety_actors))
    meeting = _approved(public_safety_actors, forum, meeting_parts(), date=TODAY - datetime.timedelta(days=3))
    forum.active = False
    forum.save()
    assert str(forum).endswith("(dissolved)")
    record_type = record_type_of(ForumMeeting)
    form = form_class(record_type, correcting=True)(
        {
            **{k: getattr(v, "pk", v) for k, v in meeting_content(forum).items()},
            "date": TODAY - datetime.timedelta(days=3),
            "version": meeting.version,
            "reason": "The police's follow-up came in.",
        },
        user=public_safety_actors["supervisor"],
    )
    assert form.is_valid(), form.errors
    corrected = record_correct_content(
        actor=public_safety_actors["supervisor"],
        record=meeting,
        expected_version=meeting.version,
        reason="The police's follow-up came in.",
        fields=form.content(),
        parts=meeting_parts(issues=(("traffic", "resolved", None),)),
    )
    assert corrected.forum == forum
    with pytest.raises(ValidationError, match="dissolved"):
        record_create(
            actor=public_safety_actors["monitor"],
            model=ForumMeeting,
            fields=meeting_content(forum),
            parts=meeting_parts(),
        )


def test_the_api_adds_up_the_attendance_of_the_approved_meetings(public_safety_actors, administrator):
    """The kit's totals of a tally (`aggregates/<path>/<rows>/`), known answers: a meeting counts once
    per group; by community, only its attendance of that community; a draft nowhere."""
    from tests.api.conftest import bearer, staff_key

    forum = forum_in(_gjilan(public_safety_actors))
    serb = Community.objects.get(code="SRB")
    _approved(public_safety_actors, forum, meeting_parts(attendance=((serb, 3, 5), (None, 1, 2))))
    _approved(public_safety_actors, forum, meeting_parts(attendance=((serb, 2, 2),)))
    record_create(
        actor=public_safety_actors["monitor"],
        model=ForumMeeting,
        fields=meeting_content(forum),
        parts=meeting_parts(attendance=((serb, 40, 40),)),
    )
    client = bearer(staff_key(public_safety_actors["department_head"], administrator))
    response = client.get("/api/v1/aggregates/forum-meetings/attendance/", {"group_by": "community"})
    assert response.status_code == 200, response.content
    rows = {row["group"]: (row["records"], row["women"], row["men"]) for row in response.json()["results"]}
    assert rows == {"SRB": (2, 5, 7), None: (1, 1, 2)}
    (everything,) = client.get("/api/v1/aggregates/forum-meetings/attendance/", {"group_by": "all"}).json()["results"]
    assert (everything["records"], everything["women"], everything["men"]) == (2, 6, 9)
