"""The four trial-monitoring journeys in Chromium, on a phone-sized screen."""

import datetime
import re
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from rights.models import Case, Flag, Observation
from rights.services.observations import observation_start, observation_submit
from tests.browser.test_home import _sign_in
from tests.rights.conftest import all_complied, hearing_fields

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YESTERDAY = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()


@pytest.fixture
def trial_data(geography):
    """The rights fixtures need the questionnaire; `geography` reloads it after a transactional flush."""
    from rights.models import FairTrialStandard

    return list(FairTrialStandard.objects.order_by("order"))


def _rate_everything(page, standards, value="complied"):
    for standard in standards:
        page.locator(f"#standard-{standard.code} input[value='{value}']").check()


def test_a_monitor_logs_a_hearing_and_nothing_typed_is_lost(page, monitor, trial_data):
    _sign_in(page, "monitor")
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name="Cases").click()
    page.get_by_role("link", name="New case").first.click()

    page.get_by_label("Court", exact=True).select_option(label="Basic Court of Prizren")
    page.get_by_label("Case number").fill("P. nr. 321/2026")
    page.get_by_label("Court department").select_option("general_criminal")
    page.get_by_label("Category").select_option("hate_crime")
    page.get_by_label("Charges").fill("CCK Art. 141")
    page.locator("#id_parties-0-name").fill("Arben Testi")
    page.get_by_role("button", name="Save case").click()
    expect(page.locator(".error"), page.locator(".field--error").all_inner_texts().__str__()).to_have_count(0)
    expect(page.get_by_role("heading", level=1)).to_have_text("Case P. nr. 321/2026")

    page.get_by_role("link", name="Add hearing").click()
    page.get_by_label("Date", exact=True).fill(YESTERDAY)
    page.get_by_label("Type", exact=True).select_option("main_trial")
    page.get_by_label("Scheduled start").fill("09:00")
    page.locator("input[name=recorded][value=true]").check()
    page.get_by_role("button", name="Save and fill the observation").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Observation")

    # Type, then lose the page: the browser "crashes" before anything was saved.
    _rate_everything(page, trial_data[:5])
    page.get_by_label("Summary").fill("The presiding judge opened on time.")
    url = page.url
    context = page.context
    page.close()

    page = context.new_page()
    page.goto(url)
    expect(page.get_by_role("status")).to_contain_text("Unsaved input from this device was restored")
    expect(page.get_by_label("Summary")).to_have_value("The presiding judge opened on time.")
    expect(page.locator(f"#standard-{trial_data[0].code} input[value=complied]")).to_be_checked()

    # The session expires while the monitor types on.
    _rate_everything(page, trial_data[5:])
    page.locator(f"#standard-{trial_data[2].code} input[value=violation]").check()
    page.locator(f"#id_evidence_{trial_data[2].code}").fill("The accused was not told the charges.")
    context.clear_cookies(name="sessionid")  # the session expires; the CSRF cookie stays, as it does
    page.get_by_role("button", name="Submit for review").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.get_by_label("Username").fill("monitor")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/observations/\d+/edit/"))
    expect(page.locator(f"#id_evidence_{trial_data[2].code}")).to_have_value("The accused was not told the charges.")
    expect(page.get_by_label("Summary")).to_have_value("The presiding judge opened on time.")

    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_role("status").first).to_contain_text("Observation submitted for review")
    observation = Observation.objects.get()
    assert observation.status == "submitted"
    assert observation.ratings.filter(rating="violation").count() == 1
    assert Flag.objects.filter(rule="violation").count() == 1
    assert Case.objects.get().parties.get().name == "Arben Testi"


def _submitted(monitor, trial_data, case_number="P. nr. 9/2026", violation=False):
    from rights.models import Court
    from rights.services.cases import case_create
    from rights.services.hearings import hearing_create

    case = case_create(
        actor=monitor,
        court=Court.objects.get(code="BC-PZ"),
        case_number=case_number,
        court_department="general_criminal",
        category="other",
        charges="x",
    )
    hearing = hearing_create(actor=monitor, case=case, **hearing_fields())
    observation = observation_start(actor=monitor, hearing=hearing)
    overrides = {"PUBLIC_HEARING": ("violation", "Public sent away.")} if violation else {}
    observation_submit(
        actor=monitor,
        observation=observation,
        expected_version=1,
        summary="Seen.",
        ratings=all_complied(trial_data, **overrides),
    )
    return observation


def test_a_supervisor_returns_the_monitor_resubmits_and_the_approval_locks_it(
    page, browser, live_server, monitor, supervisor, trial_data
):
    observation = _submitted(monitor, trial_data)
    _sign_in(page, "supervisor")
    page.goto("/trial-monitoring/review/")
    expect(page.get_by_text("1 observation waits for review")).to_be_visible()
    page.get_by_role("link", name=re.compile(r"^Review ")).first.click()
    page.get_by_label("Comments for the monitor").fill("Say who was absent.")
    page.get_by_role("button", name="Return to the monitor").click()
    expect(page.get_by_role("status").first).to_contain_text("returned")

    monitor_page = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844}).new_page()
    _sign_in(monitor_page, "monitor")
    monitor_page.goto(f"/trial-monitoring/observations/{observation.pk}/edit/")
    expect(monitor_page.get_by_role("note")).to_contain_text("Say who was absent.")
    monitor_page.get_by_label("Summary").fill("Seen. The prosecutor was absent for the first hour.")
    monitor_page.get_by_role("button", name="Submit for review").click()
    expect(monitor_page.get_by_role("status").first).to_contain_text("submitted")

    page.goto(f"/trial-monitoring/observations/{observation.pk}/")
    page.get_by_role("button", name="Approve").click()
    page.goto(f"/trial-monitoring/observations/{observation.pk}/")
    expect(page.locator(".status").first).to_have_text("Approved")

    monitor_page.goto(f"/trial-monitoring/observations/{observation.pk}/")
    expect(monitor_page.get_by_role("link", name="Continue editing")).to_have_count(0)
    monitor_page.get_by_role("link", name="Correct").click()
    monitor_page.get_by_label("Reason for the correction").fill("Wrong time noted.")
    monitor_page.get_by_label("Summary").fill("Seen. The prosecutor was absent for the first two hours.")
    monitor_page.get_by_role("button", name="Save correction").click()
    expect(monitor_page.locator(".history")).to_contain_text("Wrong time noted.")
    observation.refresh_from_db()
    assert (observation.revision, observation.status) == (2, "submitted")


def test_a_flag_leads_to_an_intervention_and_is_closed(page, monitor, supervisor, trial_data):
    _submitted(monitor, trial_data, violation=True)
    _sign_in(page, "supervisor")
    page.goto("/trial-monitoring/flags/")
    page.get_by_role("link", name="A standard was rated a violation").click()
    page.get_by_label("Type").select_option("meeting_court_president")
    page.get_by_label("Addressee").fill("President of the Basic Court of Prizren")
    page.get_by_label("Date").fill(YESTERDAY)
    page.get_by_role("button", name="Record intervention").click()
    expect(page.locator("body")).to_contain_text("President of the Basic Court of Prizren")
    page.get_by_label("How was it followed up?").fill("The president instructed the judges on public access.")
    page.get_by_role("button", name="Close flag").click()
    expect(page.get_by_text("No flags here.")).to_be_visible()
    flag = Flag.objects.get()
    assert (flag.status, flag.interventions.count()) == ("closed", 1)


def test_a_department_head_finds_a_case_and_exports_the_list(page, monitor, department_head, trial_data):
    _submitted(monitor, trial_data, case_number="P. nr. 11/2026")
    _submitted(monitor, trial_data, case_number="PKR. nr. 5/2025")
    _sign_in(page, "head")
    page.goto("/trial-monitoring/cases/")
    page.get_by_label("Case number").fill("PKR")
    page.get_by_label("Region").select_option("PRZ")
    page.get_by_role("button", name="Apply").click()
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(1)
    with page.expect_download() as download:
        page.get_by_role("link", name="Export CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "PKR. nr. 5/2025" in text
    assert "P. nr. 11/2026" not in text
    page.get_by_role("link", name="PKR. nr. 5/2025").click()
    expect(page.get_by_role("heading", name="Hearings")).to_be_visible()
    expect(page.locator("body")).to_contain_text("Main trial session")


def test_an_edit_conflict_keeps_what_was_typed_and_saving_after_review_works(
    page, browser, live_server, monitor, trial_data
):
    """The same observation open on a tablet and a phone: the phone saves first, the tablet then gets
    the conflict with all its typing still in the form, reads what changed, and saves over it."""
    from rights.models import Court
    from rights.services.cases import case_create
    from rights.services.hearings import hearing_create

    case = case_create(
        actor=monitor,
        court=Court.objects.get(code="BC-PZ"),
        case_number="P. nr. 16/2026",
        court_department="general_criminal",
        category="other",
        charges="x",
    )
    observation = observation_start(actor=monitor, hearing=hearing_create(actor=monitor, case=case, **hearing_fields()))
    url = f"/trial-monitoring/observations/{observation.pk}/edit/"

    _sign_in(page, "monitor")
    page.goto(url)
    phone = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844}).new_page()
    _sign_in(phone, "monitor")
    phone.goto(url)

    typed = (
        "The presiding judge read the indictment aloud and asked the accused whether he understood it. " * 17
    ).strip()
    page.get_by_label("Summary").fill(typed)
    page.locator(f"#id_evidence_{trial_data[1].code}").fill("The interpreter arrived an hour late.")

    phone.get_by_label("Summary").fill("Short note from the phone.")
    phone.get_by_role("button", name="Save draft").click()
    expect(phone.get_by_role("status").first).to_contain_text("Draft saved")

    page.get_by_role("button", name="Save draft").click()
    alert = page.get_by_role("alert").first
    expect(alert).to_contain_text("saved this record after you opened it")
    expect(alert).to_contain_text("Short note from the phone.")
    expect(alert).not_to_contain_text("Reload")
    expect(page.get_by_label("Summary")).to_have_value(typed)
    expect(page.locator(f"#id_evidence_{trial_data[1].code}")).to_have_value("The interpreter arrived an hour late.")
    assert Observation.objects.get(pk=observation.pk).summary == "Short note from the phone."

    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("status").first).to_contain_text("Draft saved")
    expect(page.get_by_label("Summary")).to_have_value(typed)
    saved = Observation.objects.get(pk=observation.pk)
    assert (saved.summary, saved.version) == (typed, 3)
    assert saved.ratings.get(standard=trial_data[1]).evidence == "The interpreter arrived an hour late."
    phone.context.close()


def test_a_second_click_on_save_while_the_first_is_on_its_way_sends_nothing(page, monitor, trial_data):
    _sign_in(page, "monitor")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    page.goto(reverse("rights:case_create"))
    page.get_by_label("Court", exact=True).select_option(label="Basic Court of Prizren")
    page.get_by_label("Case number").fill("P. nr. 654/2026")
    page.get_by_label("Court department").select_option("general_criminal")
    page.get_by_label("Category").select_option("other")
    page.get_by_label("Charges").fill("CCK Art. 186")
    posts = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)
    # A second click 50 ms after the first, while the first POST is on its way. (Playwright's own
    # click waits for the pending navigation; a person does not.)
    page.evaluate(
        """() => {
          const save = document.querySelector("form.form button[type=submit]");
          save.click();
          setTimeout(() => save.click(), 50);
        }"""
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Case P. nr. 654/2026")
    assert len(posts) == 1
    assert Case.objects.filter(case_number="P. nr. 654/2026").count() == 1
