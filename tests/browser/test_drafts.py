"""Offline drafts (static/js/drafts.js) in Chromium: what stays on the device, for how long, and when
it is written."""

import json
import re

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.test_home import _sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAME = "Zana Canarylli"
CHARGES = "CCK Art. 141, threats"


def _storage(page) -> dict[str, str]:
    return page.evaluate("() => Object.assign({}, window.localStorage)")


def _drafts(page) -> dict[str, dict]:
    return {k: json.loads(v) for k, v in _storage(page).items() if k.startswith("mission-draft:u")}


def _new_case_with_a_name(page) -> None:
    _sign_in(page, "monitor")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    page.goto(reverse("rights:case_create"))
    page.get_by_label("Charges").fill(CHARGES)
    page.locator("#id_parties-0-name").fill(NAME)
    # Both parts are on the device within a second: the plain fields and the sealed names.
    page.wait_for_function(
        """(charges) => Object.keys(localStorage).some(k => k.startsWith("mission-draft:u") &&
               JSON.parse(localStorage.getItem(k)).values.charges === charges &&
               JSON.parse(localStorage.getItem(k)).sealed)""",
        arg=CHARGES,
        timeout=1000,
    )


def test_names_are_never_in_plain_text_and_signing_out_forgets_every_draft(page, monitor, geography):
    _new_case_with_a_name(page)
    assert "Canarylli" not in json.dumps(_storage(page))  # sealed with the session's key

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    storage = _storage(page)
    assert "Canarylli" not in json.dumps(storage)
    assert not [k for k in storage if k.startswith("mission-draft:")]


def test_a_draft_typed_then_reloaded_within_the_session_is_restored_names_included(page, monitor, geography):
    _new_case_with_a_name(page)
    page.reload()
    expect(page.get_by_role("status")).to_contain_text("Unsaved input from this device was restored")
    expect(page.get_by_label("Charges")).to_have_value(CHARGES)
    expect(page.locator("#id_parties-0-name")).to_have_value(NAME)


def test_a_draft_older_than_the_expiry_is_discarded(page, monitor, geography):
    _new_case_with_a_name(page)
    too_old_ms = (settings.DRAFT_MAX_AGE_HOURS * 3600 + 60) * 1000
    page.evaluate(
        """(age) => Object.keys(localStorage).filter(k => k.startsWith("mission-draft:u")).forEach(k => {
               const draft = JSON.parse(localStorage.getItem(k));
               draft.savedAt = Date.now() - age;
               localStorage.setItem(k, JSON.stringify(draft));
           })""",
        too_old_ms,
    )
    page.reload()
    expect(page.get_by_label("Charges")).to_have_value("")
    expect(page.locator(".draft-banner")).to_have_count(0)
    assert _drafts(page) == {}


def test_after_the_session_expires_the_names_are_gone_and_the_rest_comes_back(page, monitor, geography):
    _new_case_with_a_name(page)
    page.context.clear_cookies(name="sessionid")
    page.reload()  # the login page: the session, and with it the key of the sealed names, is gone
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    drafts = _drafts(page)
    assert [d["values"]["charges"] for d in drafts.values()] == [CHARGES]
    assert not any(d.get("sealed") for d in drafts.values())
    assert "Canarylli" not in json.dumps(_storage(page))

    page.get_by_label("Username").fill("monitor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("status")).to_contain_text("Unsaved input from this device was restored")
    expect(page.get_by_label("Charges")).to_have_value(CHARGES)
    expect(page.locator("#id_parties-0-name")).to_have_value("")


def test_typing_is_on_the_device_within_a_third_of_a_second(page, monitor, geography):
    """A browser killed right after typing loses at most the last few hundred milliseconds: the copy is
    written while the user types on, not only once they pause."""
    _sign_in(page, "monitor")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    page.goto(reverse("rights:case_create"))
    page.get_by_label("Charges").click()
    text = "abcdefghijklmnopqrst"  # 20 keys, one every 100 ms: the user never pauses
    page.keyboard.type(text, delay=100)
    # Read at once, as a crash would leave it: no pagehide, no pause.
    kept = [d["values"].get("charges", "") for d in _drafts(page).values()]
    assert len(kept) == 1
    assert text.startswith(kept[0])
    assert len(kept[0]) >= 16, kept
