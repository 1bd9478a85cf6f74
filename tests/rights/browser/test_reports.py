"""A manager asks for the trial-monitoring PDF in Albanian, follows it and downloads it."""

import io
import re

import pypdf
import pytest
from playwright.sync_api import expect

from mission.reports.models import ReportJob
from mission.reports.services import report_execute
from tests.browser.test_home import _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_asks_for_the_pdf_in_albanian_and_downloads_it(page, management, trial_data, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    _sign_in(page, "management")
    page.goto("/reports/")
    expect(page.get_by_text("No reports yet.")).to_be_visible()
    page.get_by_role("link", name="Ask for a report").first.click()
    page.get_by_label("Report", exact=True).select_option("trial_monitoring")
    page.get_by_label("From (month)").fill("2026-01")
    page.get_by_label("To (month)").fill("2026-03")
    page.get_by_label("Format").select_option("pdf")
    page.get_by_label("Language of the report").select_option("sq")
    page.get_by_role("button", name="Make the report").click()

    expect(page).to_have_url(re.compile(r"/reports/\d+/$"))
    expect(page.get_by_role("progressbar")).to_have_attribute("value", "100")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the report").click()
    content = open(download.value.path(), "rb").read()  # noqa: SIM115 (read once)
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(content)).pages)
    assert "Monitorimi i gjykimeve" in text


def test_the_progress_bar_follows_the_job_without_reloading(page, management, trial_data, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    # A job as the request leaves it when no worker has taken it yet.
    job = ReportJob.objects.create(
        report_type="trial_monitoring_data",
        department="rights",
        requested_by=management,
        parameters={"from": "2026-01", "to": "2026-03", "region": "", "format": "xlsx", "language": "en"},
        language="en",
        format="xlsx",
    )
    _sign_in(page, "management")
    page.goto(f"/reports/{job.pk}/")
    expect(page.locator("[data-report-field=status_label]")).to_have_text("Queued")
    download = page.get_by_role("link", name="Download the report")
    expect(download).to_be_hidden()
    page.evaluate("window.__same_page = true")

    report_execute(job_id=job.pk)  # what a worker does

    expect(page.locator("[data-report-field=status_label]")).to_have_text("Done")
    expect(page.get_by_role("progressbar")).to_have_js_property("value", 100)
    expect(download).to_be_visible()
    assert page.evaluate("window.__same_page") is True  # no reload happened
    assert ReportJob.objects.get(pk=job.pk).status == "done"


def test_the_form_offers_only_the_formats_of_the_report_chosen(page, management, trial_data):
    _sign_in(page, "management")
    page.goto("/reports/")
    page.get_by_role("link", name="Ask for a report").first.click()
    formats = page.get_by_label("Format").locator("option")
    page.get_by_label("Report", exact=True).select_option("trial_monitoring")
    expect(formats).to_have_text(["PDF"])
    page.get_by_label("Report", exact=True).select_option("trial_monitoring_data")
    expect(formats).to_have_text(["XLSX", "CSV"])
