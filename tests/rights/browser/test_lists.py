"""Paging through a list in Chromium: a filtered, sorted list of hearings, forward and back by its
Next and Previous links (keyset cursors), on a phone-sized screen, keeping the filter and every row once."""

import datetime
import re
from collections import Counter

import pytest
from playwright.sync_api import expect

from tests.browser.test_home import _sign_in
from tests.factories import CaseFactory, HearingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_head_pages_through_a_filtered_list_and_back(page, department_head, monitor):
    today = datetime.date.today()
    case = CaseFactory(case_number="P. nr. 77/2026", created_by=monitor)
    other = CaseFactory(case_number="P. nr. 88/2026", created_by=monitor)
    for day in range(30):  # two hearings a day on 30 days of case 77: more than one page of 25
        for start in (9, 13):
            HearingFactory(case=case, date=today - datetime.timedelta(days=day), scheduled_start=datetime.time(start))
    HearingFactory(case=other, date=today)

    _sign_in(page, department_head.username)
    page.goto("/trial-monitoring/hearings/")
    page.get_by_label("Case number").fill("77/2026")
    page.get_by_role("button", name="Apply").click()

    seen = []
    for expected in (25, 25, 10):
        rows = page.locator("table tbody tr")
        expect(rows).to_have_count(expected)
        seen += [rows.nth(i).inner_text() for i in range(expected)]
        expect(page).to_have_url(re.compile(r"q=77%2F2026"))
        if expected == 10:
            expect(page.get_by_role("link", name="Next")).to_have_count(0)
        else:
            page.get_by_role("link", name="Next").focus()
            page.keyboard.press("Enter")
    assert len(seen) == 60
    assert all("77/2026" in row for row in seen)
    # Each day's two hearings once each, across the pages: no row repeated, none skipped at a page's edge.
    days = Counter(row.split("\t")[0] for row in seen)
    assert len(days) == 30
    assert set(days.values()) == {2}

    page.get_by_role("link", name="Previous").click()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(25)
    assert [rows.nth(i).inner_text() for i in range(25)] == seen[25:50]
