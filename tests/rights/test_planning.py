"""The monitoring plan: entering a court's schedule, sending monitors, the conflicts shown, what a
planned hearing became (recorded, missed, cancelled), recording a hearing from the plan, and the week's
page with its filters and a query count that does not grow with the plan."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from rights.models import Hearing, PlanAssignment, PlannedHearing
from rights.selectors import plan_detail
from rights.services.cases import case_create
from rights.services.observations import observation_start
from rights.services.planning import (
    planned_hearing_assign,
    planned_hearing_create,
    planned_hearing_set_status,
    planned_hearing_update,
)
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.rights.conftest import hearing_fields

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
QUERIES = 7  # the week page, whatever the number of hearings and monitors on it


def plan(actor, court, number="P. nr. 5/2026", day=None, at=datetime.time(9, 0), **fields):
    return planned_hearing_create(
        actor=actor, court=court, case_number=number, date=day or TODAY + datetime.timedelta(days=1), start=at, **fields
    )


class TestServices:
    def test_a_plan_finds_its_case_and_the_case_s_municipality(self, monitor, case):
        planned = plan(monitor, case.court, case.case_number)
        assert planned.case == case
        assert planned.municipality == case.municipality

    def test_a_plan_without_a_case_takes_the_court_s_seat_and_a_later_case_claims_it(self, monitor, prizren_court):
        planned = plan(monitor, prizren_court, "P. nr. 77/2026")
        assert planned.case is None
        assert planned.municipality == prizren_court.seat
        created = case_create(
            actor=monitor,
            court=prizren_court,
            case_number="P. nr. 77/2026",
            court_department="general_criminal",
            category="war_crimes",
            charges="CCK Art. 141",
        )
        assert PlannedHearing.objects.get(pk=planned.pk).case == created

    def test_another_region_s_court_is_not_a_monitor_s_to_plan(self, monitor, geography):
        from rights.models import Court

        mitrovica = Court.objects.filter(seat__region__code="MIT").first()
        with pytest.raises(PermissionDenied):
            plan(monitor, mitrovica)
        assert not PlannedHearing.objects.exists()

    def test_a_date_far_ahead_is_refused_with_a_reason(self, monitor, prizren_court):
        with pytest.raises(ValidationError) as refused:
            plan(monitor, prizren_court, day=TODAY + datetime.timedelta(days=900))
        assert "more than two years ahead" in str(refused.value)

    def test_only_a_supervisor_sends_and_only_the_region_s_staff(
        self, monitor, supervisor, other_region_monitor, prizren_court
    ):
        planned = plan(monitor, prizren_court)
        with pytest.raises(PermissionDenied):
            planned_hearing_assign(actor=monitor, planned=planned, monitors=[monitor])
        with pytest.raises(ValidationError):
            planned_hearing_assign(actor=supervisor, planned=planned, monitors=[other_region_monitor])
        planned_hearing_assign(actor=supervisor, planned=planned, monitors=[monitor, supervisor])
        assert set(planned.assignments.values_list("monitor__username", flat=True)) == {"monitor", "supervisor"}
        planned_hearing_assign(actor=supervisor, planned=planned, monitors=[supervisor])
        assert list(planned.assignments.values_list("monitor__username", flat=True)) == ["supervisor"]
        assert PlanAssignment.history.filter(history_type="-", history_user=supervisor).count() == 1

    def test_an_edit_from_an_old_version_is_refused(self, monitor, prizren_court):
        from mission.concurrency import ConcurrentEditError

        planned = plan(monitor, prizren_court)
        planned_hearing_update(actor=monitor, planned=planned, expected_version=planned.version, courtroom="3")
        with pytest.raises(ConcurrentEditError):
            planned_hearing_update(actor=monitor, planned=planned, expected_version=0, courtroom="4")


class TestConflictsAndStates:
    def test_two_hearings_within_two_hours_warn_and_three_hours_apart_do_not(self, monitor, supervisor, prizren_court):
        first = plan(monitor, prizren_court, "A/1", at=datetime.time(9, 0))
        close = plan(monitor, prizren_court, "A/2", at=datetime.time(10, 30))
        later = plan(monitor, prizren_court, "A/3", at=datetime.time(13, 0))
        for planned in (first, close, later):
            planned_hearing_assign(actor=supervisor, planned=planned, monitors=[monitor])
        name = monitor.get_full_name()
        assert plan_detail(user=supervisor, pk=first.pk).warnings == [
            f"{name} is also due at {prizren_court.name} at 10:30."
        ]
        assert plan_detail(user=supervisor, pk=close.pk).warnings == [
            f"{name} is also due at {prizren_court.name} at 09:00."
        ]
        assert plan_detail(user=supervisor, pk=later.pk).warnings == []
        planned_hearing_set_status(actor=monitor, planned=close, status="cancelled")
        assert plan_detail(user=supervisor, pk=first.pk).warnings == []  # a cancelled hearing keeps nobody

    def test_a_monitor_without_the_language_of_the_proceedings_is_warned_of(self, monitor, supervisor, prizren_court):
        planned = plan(monitor, prizren_court, language="sr")
        planned_hearing_assign(actor=supervisor, planned=planned, monitors=[monitor])  # speaks sq, en
        assert plan_detail(user=supervisor, pk=planned.pk).warnings == [
            f"{monitor.get_full_name()} does not speak Serbian, the language of the proceedings."
        ]
        monitor.languages = ["sq", "sr"]
        monitor.save(update_fields=["languages"])
        assert plan_detail(user=supervisor, pk=planned.pk).warnings == []

    def test_after_its_day_a_hearing_nobody_recorded_is_missed(self, monitor, supervisor, case, standards):
        missed = plan(monitor, case.court, case.case_number, at=datetime.time(9, 0))
        recorded = plan(monitor, case.court, case.case_number, at=datetime.time(11, 0))
        cancelled = plan(monitor, case.court, case.case_number, at=datetime.time(13, 0))
        PlannedHearing.objects.filter(pk__in=[missed.pk, recorded.pk, cancelled.pk]).update(
            date=TODAY - datetime.timedelta(days=3)
        )
        from rights.services.hearings import hearing_create
        from rights.services.planning import planned_hearing_recorded

        hearing = hearing_create(actor=monitor, case=case, **hearing_fields(date=TODAY - datetime.timedelta(days=3)))
        planned_hearing_recorded(planned=recorded, hearing=hearing)
        assert plan_detail(user=supervisor, pk=recorded.pk).planned.state == "missed"  # a hearing, no observation yet
        observation_start(actor=monitor, hearing=hearing)
        planned_hearing_set_status(actor=monitor, planned=cancelled, status="cancelled")
        states = {
            pk: plan_detail(user=supervisor, pk=pk).planned.state for pk in (missed.pk, recorded.pk, cancelled.pk)
        }
        assert states == {missed.pk: "missed", recorded.pk: "observed", cancelled.pk: "cancelled"}


class TestPages:
    def test_the_week_shows_the_region_s_plan_with_its_priorities(
        self, monitor, supervisor, other_region_monitor, case
    ):
        planned = plan(monitor, case.court, case.case_number, juvenile=True, category="hate_crime")
        url = reverse("rights:plan_week")
        page = client_for(supervisor).get(url, {"week": planned.date.isoformat()}).content.decode()
        assert reverse("rights:plan_detail", args=[planned.pk]) in page
        assert "Nobody assigned" in page
        assert "juvenile" in page
        other = client_for(other_region_monitor).get(url, {"week": planned.date.isoformat()}).content.decode()
        assert reverse("rights:plan_detail", args=[planned.pk]) not in other

    @pytest.mark.parametrize(
        ("filters", "shown"),
        [
            ({"juvenile": "yes"}, {"juvenile"}),
            ({"category": "war_crimes"}, {"war"}),
            ({"assigned": "none"}, {"juvenile", "war"}),
            ({"assigned": "me"}, {"mine"}),
            ({"state": "cancelled"}, set()),
        ],
    )
    def test_the_filters(self, monitor, supervisor, prizren_court, filters, shown):
        plans = {
            "juvenile": plan(monitor, prizren_court, "J/1", juvenile=True),
            "war": plan(monitor, prizren_court, "W/1", category="war_crimes"),
            "mine": plan(monitor, prizren_court, "M/1"),
        }
        planned_hearing_assign(actor=supervisor, planned=plans["mine"], monitors=[monitor])
        response = client_for(monitor).get(reverse("rights:plan_week"), {"week": TODAY.isoformat(), **filters})
        if plans["juvenile"].date.isocalendar()[1] != TODAY.isocalendar()[1]:
            response = client_for(monitor).get(
                reverse("rights:plan_week"), {"week": plans["juvenile"].date.isoformat(), **filters}
            )
        page = response.content.decode()
        found = {key for key, planned in plans.items() if reverse("rights:plan_detail", args=[planned.pk]) in page}
        assert found == shown

    def test_the_week_costs_the_same_queries_for_one_hearing_and_for_forty(
        self, monitor, supervisor, prizren_court, django_assert_num_queries
    ):
        monday = TODAY - datetime.timedelta(days=TODAY.weekday()) + datetime.timedelta(days=7)
        client = client_for(supervisor)
        first = plan(monitor, prizren_court, "Q/0", day=monday)
        planned_hearing_assign(actor=supervisor, planned=first, monitors=[monitor])
        url = reverse("rights:plan_week")
        client.get(url, {"week": monday.isoformat()})
        with django_assert_num_queries(QUERIES):
            client.get(url, {"week": monday.isoformat()})
        helpers = [UserFactory(username=f"m{n}", region=monitor.region) for n in range(3)]
        for n in range(1, 40):
            planned = plan(
                monitor,
                prizren_court,
                f"Q/{n}",
                day=monday + datetime.timedelta(days=n % 5),
                at=datetime.time(8 + n % 8, 0),
            )
            planned_hearing_assign(actor=supervisor, planned=planned, monitors=[monitor, helpers[n % 3]])
        with django_assert_num_queries(QUERIES):
            response = client.get(url, {"week": monday.isoformat()})
        assert sum(len(entries) for _day, entries in response.context["days"]) == 40

    def test_a_supervisor_sends_a_monitor_from_the_page(self, monitor, supervisor, prizren_court):
        planned = plan(monitor, prizren_court)
        client = client_for(supervisor)
        page = client.get(reverse("rights:plan_detail", args=[planned.pk])).content.decode()
        assert 'name="monitors"' in page
        assert "(Albanian, English)" in page
        response = client.post(reverse("rights:plan_assign", args=[planned.pk]), {"monitors": [monitor.pk]})
        assert response.status_code == 302
        assert list(planned.monitors.all()) == [monitor]
        assert (
            'name="monitors"'
            not in client_for(monitor).get(reverse("rights:plan_detail", args=[planned.pk])).content.decode()
        )

    def test_sending_someone_who_cannot_be_sent_is_refused_and_changes_nothing(
        self, monitor, supervisor, other_region_monitor, prizren_court
    ):
        planned = plan(monitor, prizren_court)
        response = client_for(supervisor).post(
            reverse("rights:plan_assign", args=[planned.pk]), {"monitors": [other_region_monitor.pk]}
        )
        assert response.status_code == 400
        assert "Select a valid choice" in response.content.decode()
        assert not planned.assignments.exists()

    def test_the_form_keeps_what_was_typed_when_it_is_refused(self, monitor, prizren_court):
        response = client_for(monitor).post(
            reverse("rights:plan_create"),
            {
                "court": prizren_court.pk,
                "case_number": "P. nr. 1/2030",
                "date": "2031-13-01",
                "start": "09:00",
                "category": "other",
                "version": 0,
            },
        )
        assert response.status_code == 400
        page = response.content.decode()
        assert "Enter a valid date" in page
        assert 'value="P. nr. 1/2030"' in page
        assert not PlannedHearing.objects.exists()

    def test_a_hearing_recorded_from_the_plan_starts_filled_and_is_linked(self, monitor, case, standards):
        planned = plan(
            monitor,
            case.court,
            case.case_number,
            day=TODAY - datetime.timedelta(days=1),
            at=datetime.time(9, 15),
            hearing_type="verdict",
        )
        client = client_for(monitor)
        page = client.get(reverse("rights:plan_detail", args=[planned.pk])).content.decode()
        record = reverse("rights:hearing_create", args=[case.pk]) + f"?plan={planned.pk}"
        assert record in page.replace("&amp;", "&")
        form = client.get(record)
        assert form.context["form"].instance.scheduled_start == datetime.time(9, 15)
        fields = hearing_fields(
            date=planned.date.isoformat(),
            scheduled_start="09:15",
            hearing_type="verdict",
            held="on",
            recorded="true",
            public="on",
            accused_represented="true",
        )
        fields = {k: ("" if v is None else v) for k, v in fields.items() if v is not False}
        response = client.post(record, {**fields, "version": 0, "submission_token": form.context["submission_token"]})
        assert response.status_code == 302, response.content.decode()[:3000]
        hearing = Hearing.objects.get(case=case, date=planned.date)
        assert PlannedHearing.objects.get(pk=planned.pk).hearing == hearing


def test_a_plan_never_links_a_case_of_another_region(monitor, other_region_monitor, case):
    """Found by review: the lookup by court and number was not scoped."""
    from rights.models import Court

    mitrovica = Court.objects.filter(seat__region__code="MIT").first()
    planned = plan(other_region_monitor, mitrovica, case.case_number)
    planned = plan(other_region_monitor, case.court, case.case_number, municipality=mitrovica.seat)
    assert planned.case is None


def test_a_number_that_is_no_one_s_is_a_400_not_a_crash(monitor, supervisor, prizren_court):
    planned = plan(monitor, prizren_court)
    response = client_for(supervisor).post(reverse("rights:plan_assign", args=[planned.pk]), {"monitors": ["9" * 20]})
    assert response.status_code == 400
    assert "Choose among the people listed." in response.content.decode()
    assert not planned.assignments.exists()
