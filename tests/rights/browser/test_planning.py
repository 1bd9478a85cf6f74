"""Planning in Chromium: a supervisor sends a monitor to a scheduled hearing; the monitor finds it in
their week and subscribes their phone's calendar to it."""

import datetime

import icalendar
import pytest
from playwright.sync_api import expect

from rights.services.planning import planned_hearing_create
from tests.browser.test_home import _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_supervisor_sends_a_monitor_who_sees_it_in_their_week_and_subscribes(
    page, browser, live_server, monitor, supervisor, case
):
    day = datetime.date.today() + datetime.timedelta(days=1)
    planned = planned_hearing_create(
        actor=supervisor,
        court=case.court,
        case_number=case.case_number,
        date=day,
        start=datetime.time(10, 30),
        language="sr",
    )
    _sign_in(page, "supervisor")
    page.goto(f"/trial-monitoring/plan/?week={day.isoformat()}")
    expect(page.get_by_text("Nobody assigned", exact=True)).to_be_visible()
    page.get_by_role("link", name=f"{case.court.name} · {case.case_number}").click()
    page.get_by_label(f"{monitor.get_full_name()} (Albanian, English)").check()
    page.get_by_role("button", name="Send them").click()
    expect(page.get_by_text(f"Sent: {monitor.get_full_name()}.")).to_be_visible()
    # The monitor speaks no Serbian: the plan says so.
    expect(page.get_by_text(f"{monitor.get_full_name()} does not speak Serbian")).to_be_visible()

    context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport={"width": 360, "height": 740})
    phone = context.new_page()
    _sign_in(phone, "monitor")
    phone.goto(f"/calendar/?week={day.isoformat()}")
    expect(phone.get_by_role("link", name=f"Hearing at {case.court.name}")).to_be_visible()
    expect(phone.get_by_text("The proceedings are in Serbian, which you do not speak.")).to_be_visible()
    phone.get_by_role("button", name="Make my calendar link").click()
    link = phone.get_by_label("Your calendar link (shown only now)").input_value()
    assert link.startswith(live_server.url)
    assert link.endswith(".ics")
    feed = phone.request.get(link)  # what the phone's calendar app fetches
    assert feed.status == 200
    events = list(icalendar.Calendar.from_ical(feed.body()).walk("VEVENT"))
    assert [str(e["SUMMARY"]) for e in events] == [f"Hearing at {case.court.name}"]
    assert events[0].decoded("DTSTART") == planned.starts_at()
    # Revoking asks first, then the link stops working.
    phone.reload()
    phone.get_by_text("Revoke the link", exact=True).click()
    phone.get_by_role("button", name="Yes, revoke the link").click()
    expect(phone.get_by_text("The calendar link no longer works.")).to_be_visible()
    assert phone.request.get(link).status == 404
    context.close()
