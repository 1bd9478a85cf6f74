"""axe-core on every main page, for each role, on a desktop and on a 360 px phone (issue 11, item 30).

The bar is no serious or critical violation. axe-core is vendored in tests/browser/vendor/axe-core
(MPL-2.0); it is injected into the page under test only.
"""

from datetime import date, time

import pytest
from playwright.sync_api import expect

from mission.reports.models import ReportJob
from rights.models import Flag, Observation
from rights.services.planning import planned_hearing_assign, planned_hearing_create
from tests.browser import axe
from tests.browser.test_home import _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PERIOD = "?from=2026-01&to=2026-03"
SIZES = axe.SIZES


@pytest.fixture
def page(page):
    return axe.with_axe(page)


_violations, _check = axe.violations, axe.check


def _municipality(trial_data) -> str:
    return f"/field-offices/municipalities/{trial_data['prizren'].municipality.code}/{PERIOD}"


def test_a_monitor_s_pages(page, monitor, trial_data):
    _sign_in(page, "monitor")
    case = trial_data["prizren"]
    draft = Observation.objects.get(status="draft")
    # Saving the case says so in a message: the page with the message list, on both screens.
    for viewport in SIZES.values():
        page.set_viewport_size(viewport)
        page.goto(f"/trial-monitoring/cases/{case.pk}/edit/")
        reason = page.locator("textarea[name=reason]")
        if reason.count():  # partners see the case once its first save publishes it: a change needs a reason
            reason.fill("The case number was mistyped.")
        page.get_by_role("button", name="Save case").click()
        expect(page.locator(".message")).to_have_count(1)
        axe.assert_none(page)
    _check(
        page,
        [
            "/",
            "/trial-monitoring/cases/",
            f"/trial-monitoring/cases/{case.pk}/",
            f"/trial-monitoring/cases/{case.pk}/edit/",
            f"/trial-monitoring/cases/{case.pk}/hearings/new/",
            "/trial-monitoring/hearings/",
            "/trial-monitoring/observations/",
            f"/trial-monitoring/observations/{draft.pk}/",
            f"/trial-monitoring/observations/{draft.pk}/edit/",
            f"/trial-monitoring/hearings/{draft.hearing_id}/",  # with its files panel
            "/trial-monitoring/plan/",
            "/trial-monitoring/plan/new/",
            "/imports/court-schedule/",
            "/calendar/",
            "/field-offices/regions/",
            "/field-offices/regions/PRZ/",
            _municipality(trial_data),
            "/accounts/password/change/",
        ],
    )


def test_a_supervisor_s_pages(page, supervisor, monitor, trial_data):
    _sign_in(page, "supervisor")
    flag = Flag.objects.first()
    case = trial_data["prizren"]
    planned = planned_hearing_create(
        actor=supervisor,
        court=case.court,
        case_number=case.case_number,
        date=date.today(),
        start=time(9, 0),
        language="sr",
    )
    planned_hearing_assign(actor=supervisor, planned=planned, monitors=[monitor])
    _check(
        page,
        [
            "/",
            "/dashboards/" + PERIOD,
            "/trial-monitoring/dashboard/" + PERIOD,
            "/trial-monitoring/review/",
            f"/trial-monitoring/plan/?week={date.today().isoformat()}",
            f"/trial-monitoring/plan/{planned.pk}/",  # the monitors to send, a language warning
            "/trial-monitoring/flags/",
            f"/trial-monitoring/flags/{flag.pk}/",
            "/reports/",
            "/reports/new/",
            _municipality(trial_data),
        ],
    )


def test_a_manager_s_pages(page, management, trial_data):
    job = ReportJob.objects.create(
        report_type="trial_monitoring",
        department="rights",
        requested_by=management,
        parameters={"from": "2026-01", "to": "2026-03", "region": "", "format": "pdf", "language": "en"},
        language="en",
        format="pdf",
    )
    _sign_in(page, "management")
    _check(
        page,
        [
            "/dashboards/" + PERIOD,
            "/trial-monitoring/dashboard/" + PERIOD,
            "/reports/",
            f"/reports/{job.pk}/",
            _municipality(trial_data),
        ],
    )


def test_the_sign_in_page(page, geography):
    _check(page, ["/accounts/login/"])


def test_the_administration_pages_we_render(page, administrator, trial_data):
    _sign_in(page, "administrator")
    _check(
        page,
        [
            "/admin/",
            "/admin/accounts/user/",
            f"/admin/accounts/user/{administrator.pk}/change/",
            "/admin/api/apitoken/",
            "/admin/api/apitoken/add/",
            "/admin/field_offices/municipality/",
            "/imports/",
            "/imports/field-teams/",
        ],
    )
