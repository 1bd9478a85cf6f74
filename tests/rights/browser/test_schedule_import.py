"""A court's schedule imported in Chromium, on a phone's width: the dry run shows the refused row and
why, the refused rows download; the corrected file is applied and the hearings are in the plan. A long
file goes through its job's page."""

import datetime

import pytest
from playwright.sync_api import expect

from rights.models import PlannedHearing
from tests.browser.test_home import _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = "court,case_number,date,start,courtroom\n"


def test_a_monitor_imports_a_court_schedule_after_a_dry_run(page, monitor, case, tmp_path):
    day = datetime.date.today() + datetime.timedelta(days=2)
    page.set_viewport_size({"width": 360, "height": 740})
    wrong = tmp_path / "schedule.csv"
    wrong.write_text(f"{HEADER}BC-PZ,{case.case_number},{day},09:30,12\nBC-PZ,K. 2/2026,{day},9.30,3\n")
    _sign_in(page, "monitor")
    page.goto(f"/trial-monitoring/plan/?week={day.isoformat()}")
    page.get_by_role("link", name="Import a court schedule").click()
    page.get_by_label("File").set_input_files(str(wrong))
    page.get_by_role("button", name="Check the file (dry run)").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dry run of schedule.csv")
    expect(page.get_by_text("Nothing can be applied while the file has refused rows")).to_be_visible()
    expect(page.get_by_role("cell", name="start: Enter a valid time.")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the refused rows").click()
    refused = download.value.path().read_text(encoding="utf-8-sig")
    assert "K. 2/2026" in refused
    assert "Enter a valid time" in refused
    assert not PlannedHearing.objects.exists()

    fixed = tmp_path / "schedule-fixed.csv"
    fixed.write_text(f"{HEADER}BC-PZ,{case.case_number},{day},09:30,12\nBC-PZ,K. 2/2026,{day},09:30,3\n")
    page.get_by_role("link", name="Upload another file").click()
    page.get_by_label("File").set_input_files(str(fixed))
    page.get_by_role("button", name="Check the file (dry run)").click()
    expect(page.get_by_role("list").filter(has_text="To create")).to_contain_text("2 To create")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390  # fits a phone
    page.get_by_role("button", name="Apply the import").click()
    expect(page.get_by_role("status")).to_contain_text("Imported schedule-fixed.csv: 2 created, 0 updated")
    page.goto(f"/trial-monitoring/plan/?week={day.isoformat()}")
    expect(page.get_by_role("link", name=f"{case.court.name} · K. 2/2026")).to_be_visible()
    assert PlannedHearing.objects.get(case_number=case.case_number).case == case


def test_a_long_schedule_goes_through_its_job(page, monitor, prizren_court, tmp_path, settings):
    settings.IMPORT_JOB_ROWS = 2
    day = datetime.date.today() + datetime.timedelta(days=3)
    long = tmp_path / "long.csv"
    long.write_text(HEADER + "".join(f"BC-PZ,K. {n}/2026,{day},{8 + n:02d}:00,1\n" for n in range(1, 5)))
    _sign_in(page, "monitor")
    page.goto("/imports/court-schedule/")
    page.get_by_label("File").set_input_files(str(long))
    page.get_by_role("button", name="Check the file (dry run)").click()
    expect(page.get_by_role("list").filter(has_text="To create")).to_contain_text("4 To create", timeout=30_000)
    page.get_by_role("button", name="Apply the import").click()
    expect(page.get_by_role("status")).to_contain_text("Imported long.csv: 4 created", timeout=30_000)
    assert PlannedHearing.objects.count() == 4
