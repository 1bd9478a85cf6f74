"""The parts of a record's form in Chromium: "Add a row" (static/js/rows.js) adds participants beyond
the spare rows, by keyboard, up to the part's limit, and an offline draft keeps the added rows (their
names sealed, never in plain text)."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from democratization.models import Participant, ParticipationActivity
from tests.browser.test_home import _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CREATE = "democratization:participationactivity_create"


def _activity(page):
    today = datetime.date.today()
    page.get_by_label("Date", exact=True).fill(f"{today - datetime.timedelta(days=3):%Y-%m-%d}")
    page.get_by_label("Municipality").select_option(label="Pejë/Peć")
    page.get_by_label("Kind of activity").select_option(index=1)
    page.get_by_label("Title").fill("Youth forum")


def test_add_a_row_adds_participants_beyond_the_spare_rows_by_keyboard(page, democratization_actors):
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    _sign_in(page, democratization_actors["monitor"].username)
    page.goto(reverse(CREATE))
    _activity(page)
    add = page.get_by_role("button", name="Add a row: participants")
    expect(add).to_be_visible()
    expect(page.get_by_text("save and edit again to add more")).to_be_hidden()
    for n in range(3):
        page.locator(f"#id_participant-{n}-name").fill(f"Person {n} Provë")
    add.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#id_participant-3-name")).to_be_focused()  # the new row's first field
    expect(page.get_by_role("group", name="New row 4")).to_be_visible()
    page.keyboard.type("Person 3 Provë")
    page.locator("#id_participant-3-sex").select_option(label="Female")
    add.click()
    expect(page.locator("#id_participant-4-name")).to_be_visible()  # left empty: no row
    assert page.locator('input[name="participant-TOTAL_FORMS"]').input_value() == "5"
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("status")).to_contain_text("Draft saved.")
    activity = ParticipationActivity.objects.get()
    assert list(activity.participants.values_list("name", "sex")) == [
        ("Person 0 Provë", "unknown"),
        ("Person 1 Provë", "unknown"),
        ("Person 2 Provë", "unknown"),
        ("Person 3 Provë", "female"),
    ]
    assert not errors  # no script refused by the Content-Security-Policy, no error


def test_add_a_row_stops_at_the_parts_limit(page, democratization_actors):
    _sign_in(page, democratization_actors["monitor"].username)
    page.goto(reverse(CREATE))
    page.evaluate("() => { document.querySelector('input[name=participant-MAX_NUM_FORMS]').value = '4'; }")
    add = page.get_by_role("button", name="Add a row: participants")
    add.click()
    expect(add).to_be_disabled()
    expect(page.get_by_text("A record holds at most")).to_be_visible()
    assert page.locator('input[name="participant-TOTAL_FORMS"]').input_value() == "4"


def test_rows_added_before_a_reload_come_back_with_the_draft_their_names_sealed(page, democratization_actors):
    _sign_in(page, democratization_actors["monitor"].username)
    page.goto(reverse(CREATE))
    page.get_by_role("button", name="Add a row: participants").click()
    page.locator("#id_participant-3-name").fill("Late Provë")
    page.locator("#id_participant-3-age_band").select_option(label="18–25")
    page.wait_for_function(
        """() => Object.keys(localStorage).some(k => k.startsWith("mission-draft:u") &&
               JSON.parse(localStorage.getItem(k)).sealed)"""
    )
    stored = page.evaluate("() => JSON.stringify(Object.assign({}, window.localStorage))")
    assert "Late Provë" not in stored
    assert "participant-3-age_band" in stored
    page.reload()
    expect(page.locator("#id_participant-3-name")).to_have_value("Late Provë")
    expect(page.locator("#id_participant-3-age_band")).to_have_value("18_25")
    assert page.locator('input[name="participant-TOTAL_FORMS"]').input_value() == "4"
    assert Participant.objects.count() == 0


def test_a_rows_error_is_listed_at_the_top_and_its_link_takes_the_keyboard_to_the_field(page, democratization_actors):
    _sign_in(page, democratization_actors["monitor"].username)
    page.goto(reverse(CREATE))
    _activity(page)
    page.locator("#id_participant-0-name").fill("Ema Provë")
    page.locator("#id_participant-2-sex").select_option(label="Female")
    page.get_by_role("button", name="Save draft").click()
    summary = page.get_by_role("alert").filter(has_text="Please correct the errors below.")
    link = summary.get_by_role("link", name="Participants, new row 3, Name: A new row needs a name.")
    expect(link).to_be_visible()
    link.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#id_participant-2-name")).to_be_focused()
    expect(page.locator("#id_participant-2-sex")).to_have_value("female")
