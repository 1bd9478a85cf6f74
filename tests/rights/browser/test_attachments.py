"""Court minutes on a hearing: a monitor uploads them from a phone-sized screen, opens them again; a
colleague from another region cannot reach them; mission management sees that a restricted file exists
but not its name; a hostile file is refused with the reason shown next to the field."""

import pytest
from playwright.sync_api import expect

from mission.attachments.models import Attachment
from tests.attachments import samples
from tests.browser.test_home import _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_monitor_adds_minutes_to_a_hearing_and_only_the_right_people_open_them(
    page, browser, live_server, monitor, other_region_monitor, management, hearing, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    minutes = tmp_path / "Procesverbali Canary.pdf"
    minutes.write_bytes(samples.pdf())
    _sign_in(page, "monitor")
    page.goto(f"/trial-monitoring/cases/{hearing.case_id}/")
    page.locator(f'a[href="/trial-monitoring/hearings/{hearing.pk}/"]').click()
    expect(page.get_by_role("heading", name="Files")).to_be_visible()
    expect(page.get_by_text("No files yet.")).to_be_visible()

    page.get_by_label("File", exact=True).set_input_files(str(minutes))
    page.get_by_label("Kind").select_option("minutes")
    expect(
        page.get_by_label("Restricted: names or other personal details, for the department's own staff")
    ).to_be_checked()
    page.get_by_label("Description").fill("Session of the main trial")
    page.get_by_role("button", name="Upload").click()

    expect(page.get_by_text("File “Procesverbali Canary.pdf” added.")).to_be_visible()
    hearing_page = page.url
    with page.expect_download() as download:
        page.get_by_role("link", name="Procesverbali Canary.pdf").click()
    assert open(download.value.path(), "rb").read() == samples.pdf()  # noqa: SIM115 (read once)

    # A hostile file: the reason is said, what was typed stays, nothing is kept.
    disguised = tmp_path / "photo.jpg"
    disguised.write_bytes(samples.pdf())
    page.get_by_text("Add a file").click()
    page.get_by_label("File", exact=True).set_input_files(str(disguised))
    page.get_by_label("Description").fill("typed before the error")
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("contents are a PDF document, but its name ends in “.jpg”")).to_be_visible()
    expect(page.get_by_label("Description")).to_have_value("typed before the error")
    assert Attachment.objects.count() == 1

    key = Attachment.objects.get().key
    for user, status in ((other_region_monitor, 404), (management, 403)):
        context = browser.new_context(base_url=live_server.url, locale="en-GB")
        other = context.new_page()
        _sign_in(other, user.username)
        response = other.goto(hearing_page)
        if response.status == 200:
            expect(other.get_by_text("Restricted file", exact=True)).to_be_visible()
            assert "Canary" not in other.content()
        assert other.request.get(f"/files/{key}/").status == status
        context.close()
