"""Two-factor sign-in in Chromium: a monitor sets up an app at sign-in from the key the page shows,
signs out, and signs in again with a code made from that key."""

import re
import time
from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _code(secret: str, steps_ahead: int = 0) -> str:
    key = secret.replace(" ", "")
    totp = TOTP(b32decode(key + "=" * (-len(key) % 8)), step=30, t0=0, digits=6, drift=0)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def _password(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_enrol_sign_out_and_sign_in_with_a_code(page, monitor, settings):
    settings.TWO_FACTOR_REQUIRED = True
    _password(page, "monitor")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
    expect(page.locator(".qr svg")).to_be_visible()
    secret = page.locator("[data-secret]").inner_text()

    page.get_by_label("Code from the app").fill(_code(secret))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    page.get_by_role("link", name="I have kept them; continue").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")

    page.get_by_role("button", name="Menu").click()
    page.get_by_role("button", name="Sign out", exact=True).click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))

    _password(page, "monitor")
    expect(page.get_by_role("heading", level=1)).to_have_text("Code for sign-in")
    page.get_by_label("Sign-in code").fill("000000" if _code(secret, 1) != "000000" else "111111")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("That code is not right")).to_be_visible()
    time.sleep(1.1)  # the wait after a wrong code
    page.get_by_label("Sign-in code").fill(_code(secret, 1))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
