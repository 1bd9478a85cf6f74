"""My week and its iCalendar feed (mission/calendars), filled by trial monitoring's plan: who has them,
the link shown once and revocable, what the feed holds (times, courts, warnings; never case numbers
or names), and bad input."""

import datetime

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from mission.calendars.models import CalendarFeed
from rights.services.planning import planned_hearing_assign, planned_hearing_create
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def planned(monitor, supervisor, case):
    day = timezone.localdate() + datetime.timedelta(days=1)
    plan = planned_hearing_create(
        actor=monitor, court=case.court, case_number=case.case_number, date=day, start=datetime.time(10, 0)
    )
    planned_hearing_assign(actor=supervisor, planned=plan, monitors=[monitor])
    return plan


def _link(client) -> str:
    client.post(reverse("calendars:feed_create"))
    page = client.get(reverse("calendars:week")).content.decode()
    start = page.index("/calendar/feed/")
    return page[start : page.index('"', start)]


@pytest.mark.parametrize(
    ("actor", "status"),
    [
        ("monitor", 200),
        ("supervisor", 200),
        ("department_head", 403),
        ("management", 403),
        ("partner", 403),
        ("administrator", 403),
    ],
)
def test_my_week_is_for_those_who_go_out(request, actor, status):
    assert client_for(request.getfixturevalue(actor)).get(reverse("calendars:week")).status_code == status
    assert client_for(request.getfixturevalue(actor)).post(reverse("calendars:feed_create")).status_code == (
        302 if status == 200 else status
    )


def test_anonymous_users_sign_in_first(geography):
    response = client_for(None).get(reverse("calendars:week"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_my_week_shows_the_hearing_i_am_sent_to_and_not_others(monitor, supervisor, planned, case):
    other = planned_hearing_create(
        actor=monitor, court=case.court, case_number="P. nr. 99/2026", date=planned.date, start=datetime.time(14, 0)
    )
    page = client_for(monitor).get(reverse("calendars:week"), {"week": planned.date.isoformat()}).content.decode()
    assert reverse("rights:plan_detail", args=[planned.pk]) in page
    assert reverse("rights:plan_detail", args=[other.pk]) not in page
    assert "Nothing is planned for you this week." not in page
    empty = client_for(supervisor).get(reverse("calendars:week"), {"week": planned.date.isoformat()}).content.decode()
    assert "Nothing is planned for you this week." in empty


@pytest.mark.parametrize("week", ["2026-13-01", "yesterday", "1800-01-01", "9" * 200])
def test_a_week_that_is_not_a_date_is_a_clear_400(monitor, week):
    response = client_for(monitor).get(reverse("calendars:week"), {"week": week})
    assert response.status_code == 400
    assert "is not a date of a week" in response.content.decode()


def test_the_link_is_shown_once_and_its_feed_holds_the_plan_without_case_details(monitor, planned, client):
    browser = client_for(monitor)
    link = _link(browser)
    assert link.endswith(".ics")
    assert "/calendar/feed/" not in browser.get(reverse("calendars:week")).content.decode()  # once only
    assert len(CalendarFeed.objects.get(user=monitor).token_hash) == 64  # the secret itself is not kept
    response = client.get(link)  # the phone's calendar: not signed in
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    assert str(event["SUMMARY"]) == f"Hearing at {planned.court.name}"
    assert event.decoded("DTSTART") == planned.starts_at()
    assert str(event["URL"]).endswith(reverse("rights:plan_detail", args=[planned.pk]))
    assert planned.case_number.encode() not in response.content
    assert b"Arben" not in response.content  # the accused's name never leaves


def test_a_new_link_ends_the_old_one_and_revoking_ends_it(monitor, planned, client):
    browser = client_for(monitor)
    first = _link(browser)
    second = _link(browser)
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    browser.post(reverse("calendars:feed_revoke"))
    assert client.get(second).status_code == 404
    assert not CalendarFeed.objects.exists()


def test_a_deactivated_person_s_link_stops_working(monitor, planned, client):
    link = _link(client_for(monitor))
    monitor.is_active = False
    monitor.save(update_fields=["is_active"])
    assert client.get(link).status_code == 404


@pytest.mark.parametrize("token", ["x", "a" * 43, "../../etc/passwd"])
def test_an_unknown_link_is_not_found(client, geography, token):
    assert client.get(f"/calendar/feed/{token}.ics").status_code == 404


def test_the_feed_warns_of_a_clash_in_the_person_s_own_words(monitor, supervisor, planned, case, client):
    clash = planned_hearing_create(
        actor=monitor, court=case.court, case_number="P. nr. 7/2026", date=planned.date, start=datetime.time(11, 0)
    )
    planned_hearing_assign(actor=supervisor, planned=clash, monitors=[monitor])
    calendar = icalendar.Calendar.from_ical(client.get(_link(client_for(monitor))).content)
    descriptions = [str(e.get("DESCRIPTION", "")) for e in calendar.walk("VEVENT")]
    assert descriptions == [
        f"You are also due at {planned.court.name} at 11:00.",
        f"You are also due at {planned.court.name} at 10:00.",
    ]
