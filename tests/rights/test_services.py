import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mission.concurrency import ConcurrentEditError
from rights.models import Case, Court, Flag, FlagRule, FlagStatus, Hearing, Observation, ObservationStatus, Party
from rights.services.cases import case_create, case_update
from rights.services.flags import flag_close, intervention_record
from rights.services.hearings import hearing_create, hearing_update
from rights.services.observations import (
    observation_approve,
    observation_correct,
    observation_return,
    observation_save_draft,
    observation_start,
    observation_submit,
)
from tests.factories import UserFactory
from tests.rights.conftest import YESTERDAY, all_complied, hearing_fields

pytestmark = pytest.mark.django_db


class TestCases:
    def test_a_case_sits_in_the_courts_municipality_and_parties_get_pseudonyms(self, case):
        assert case.municipality.code == "20"  # Prizren, the court's seat
        assert [p.pseudonym for p in case.parties.order_by("role")] == ["Accused A", "Injured party A"]

    def test_a_case_number_is_unique_within_its_court(self, monitor, case, prizren_court):
        with pytest.raises(ValidationError) as excinfo:
            case_create(
                actor=monitor,
                court=prizren_court,
                case_number="P.  nr. 1/2026",
                court_department="general_criminal",
                category="other",
                charges="x",
            )
        assert "already exists" in str(excinfo.value)
        assert Case.objects.count() == 1

    def test_a_court_abroad_needs_a_municipality(self, monitor, geography):
        with pytest.raises(ValidationError) as excinfo:
            case_create(
                actor=monitor,
                court=Court.objects.get(code="KSC"),
                case_number="KSC-BC-1",
                court_department="special",
                category="war_crimes",
                charges="x",
            )
        assert "municipality" in excinfo.value.message_dict

    def test_a_monitor_cannot_open_a_case_in_another_region_and_is_told_why(self, monitor, geography):
        # A field error (the form shows it), not a PermissionDenied (a full-page 403).
        with pytest.raises(ValidationError) as excinfo:
            case_create(
                actor=monitor,
                court=Court.objects.get(code="BC-MI"),
                case_number="P. 9/2026",
                court_department="general_criminal",
                category="other",
                charges="x",
            )
        assert "Mitrovica" in " ".join(excinfo.value.message_dict["court"])
        assert not Case.objects.exists()

    def test_a_case_heard_in_another_regions_municipality_is_a_municipality_error(self, monitor, prizren_court):
        from field_offices.models import Municipality

        elsewhere = Municipality.objects.exclude(region__code="PRZ").first()
        with pytest.raises(ValidationError) as excinfo:
            case_create(
                actor=monitor,
                court=prizren_court,
                municipality=elsewhere,
                case_number="P. 9/2026",
                court_department="general_criminal",
                category="other",
                charges="x",
            )
        assert "municipality" in excinfo.value.message_dict

    @pytest.mark.parametrize(
        "appointed", [datetime.date(1900, 1, 1), datetime.date.today() + datetime.timedelta(days=30)]
    )
    def test_counsel_cannot_be_appointed_in_1900_or_in_the_future(self, monitor, prizren_court, appointed):
        with pytest.raises(ValidationError) as excinfo:
            case_create(
                actor=monitor,
                court=prizren_court,
                case_number="P. 9/2026",
                court_department="general_criminal",
                category="other",
                charges="x",
                parties=[
                    {
                        "role": "accused",
                        "name": "A",
                        "sex": "male",
                        "age_band": "18_25",
                        "counsel": "retained",
                        "counsel_appointed_on": appointed,
                    }
                ],
            )
        assert excinfo.value.message_dict["counsel_appointed_on"][0].startswith("Accused A, counsel appointed on: ")
        assert not Case.objects.exists()

    @pytest.mark.parametrize("actor", ["management", "department_head", "other_department_monitor"])
    def test_only_human_rights_field_staff_record_cases(self, request, actor, prizren_court):
        with pytest.raises(PermissionDenied):
            case_create(
                actor=request.getfixturevalue(actor),
                court=prizren_court,
                case_number="P. 9/2026",
                court_department="general_criminal",
                category="other",
                charges="x",
            )

    def test_a_new_party_takes_the_next_letter(self, monitor, case):
        case_update(
            actor=monitor,
            case=case,
            expected_version=case.version,
            parties=[{"role": "accused", "name": "Second Accused", "sex": "male", "age_band": "18_25"}],
        )
        assert Party.objects.get(name="Second Accused").pseudonym == "Accused B"


class TestHearings:
    @pytest.mark.parametrize(
        "day", [datetime.date(1900, 1, 1), datetime.date.today() + datetime.timedelta(days=3 * 365)]
    )
    def test_a_hearing_dated_1900_or_years_ahead_is_refused_and_raises_no_flag(self, monitor, case, day):
        with pytest.raises(ValidationError) as excinfo:
            hearing_create(actor=monitor, case=case, **hearing_fields(date=day, recorded=False))
        assert "date" in excinfo.value.message_dict
        assert not Hearing.objects.exists()
        assert not Flag.objects.exists()

    def test_a_next_hearing_years_ahead_is_refused(self, monitor, case):
        far = datetime.date.today() + datetime.timedelta(days=6 * 365)
        with pytest.raises(ValidationError) as excinfo:
            hearing_create(actor=monitor, case=case, **hearing_fields(next_hearing_date=far))
        assert "next_hearing_date" in excinfo.value.message_dict

    def test_a_hearing_scheduled_a_few_weeks_ahead_is_accepted(self, monitor, case):
        soon = datetime.date.today() + datetime.timedelta(days=40)
        hearing = hearing_create(actor=monitor, case=case, **hearing_fields(date=soon))
        assert hearing.date == soon

    def test_an_end_before_the_start_is_refused(self, monitor, case):
        with pytest.raises(ValidationError) as excinfo:
            hearing_create(
                actor=monitor, case=case, **hearing_fields(end=hearing_fields()["actual_start"].replace(hour=8))
            )
        assert "end" in excinfo.value.message_dict
        assert not Hearing.objects.exists()

    def test_a_closed_hearing_needs_its_legal_basis(self, monitor, case):
        with pytest.raises(ValidationError) as excinfo:
            hearing_create(actor=monitor, case=case, **hearing_fields(public=False))
        assert "closure_basis" in excinfo.value.message_dict

    def test_an_adjourned_hearing_needs_a_reason(self, monitor, case):
        with pytest.raises(ValidationError) as excinfo:
            hearing_create(actor=monitor, case=case, **hearing_fields(held=False, recorded=None))
        assert "adjournment_reason" in excinfo.value.message_dict

    def test_two_concurrent_edits_the_second_is_refused_and_told_what_changed(self, monitor, supervisor, hearing):
        first = Hearing.objects.get(pk=hearing.pk)
        second = Hearing.objects.get(pk=hearing.pk)
        hearing_update(actor=supervisor, hearing=first, expected_version=1, **hearing_fields(outcome="Adjourned."))
        with pytest.raises(ConcurrentEditError) as excinfo:
            hearing_update(actor=monitor, hearing=second, expected_version=1, **hearing_fields(outcome="Verdict."))
        assert ("outcome", "—", "Adjourned.") in excinfo.value.changes
        assert supervisor.username in excinfo.value.message or supervisor.get_full_name() in excinfo.value.message
        assert Hearing.objects.get(pk=hearing.pk).outcome == "Adjourned."


class TestObservationHearingDate:
    """The hearing's date is copied onto its observations (the lists order by it): the copy never
    differs from the hearing."""

    def test_a_new_observation_carries_its_hearings_date(self, monitor, hearing, standards):
        observation = observation_start(actor=monitor, hearing=hearing)
        assert Observation.objects.get(pk=observation.pk).hearing_date == hearing.date == YESTERDAY

    def test_moving_a_hearing_moves_the_date_on_its_observations(self, monitor, supervisor, hearing, observation):
        other = observation_start(actor=supervisor, hearing=hearing)
        earlier = YESTERDAY - datetime.timedelta(days=5)
        hearing_update(actor=monitor, hearing=hearing, expected_version=1, **hearing_fields(date=earlier))
        assert set(
            Observation.objects.filter(pk__in=[observation.pk, other.pk]).values_list("hearing_date", flat=True)
        ) == {earlier}
        # The copy is the hearing's change: the observations' versions and history stay as they were.
        assert Observation.objects.get(pk=observation.pk).version == observation.version
        assert observation.history.count() == 1


@pytest.fixture
def published(monitor, supervisor, observation, standards):
    """The hearing of an approved observation: partners see it."""
    observation_submit(
        actor=monitor, observation=observation, expected_version=1, summary="ok", ratings=all_complied(standards)
    )
    observation_approve(actor=supervisor, observation=observation, expected_version=observation.version)
    hearing = Hearing.objects.get(pk=observation.hearing_id)
    assert hearing.published
    return hearing


class TestPublishedHearings:
    def test_a_change_to_a_published_hearing_needs_a_reason(self, monitor, published):
        with pytest.raises(ValidationError) as excinfo:
            hearing_update(
                actor=monitor, hearing=published, expected_version=published.version, **hearing_fields(outcome="x")
            )
        assert "reason" in excinfo.value.message_dict
        published.refresh_from_db()
        assert published.outcome == ""
        assert published.published

    def test_a_monitors_change_goes_back_for_review_and_leaves_the_partners_view(self, monitor, published):
        hearing_update(
            actor=monitor,
            hearing=published,
            expected_version=published.version,
            reason="The court sat in closed session; I ticked the wrong box.",
            **hearing_fields(public=False, closure_basis="Art. 301 CPC"),
        )
        published.refresh_from_db()
        assert published.public is False
        assert not published.published
        assert not Hearing.objects.published().filter(pk=published.pk).exists()
        observation = published.observations.get()
        assert observation.status == ObservationStatus.SUBMITTED
        assert observation.revision == 2
        assert observation.correction_reason == "The court sat in closed session; I ticked the wrong box."
        change = published.history.first()
        assert (change.history_user, change.public) == (monitor, False)
        assert change.history_change_reason == "The court sat in closed session; I ticked the wrong box."

    def test_a_reviewers_change_stays_published_with_its_reason_in_the_history(self, supervisor, published):
        hearing_update(
            actor=supervisor,
            hearing=published,
            expected_version=published.version,
            reason="Court record shows the hearing ended at 12:00.",
            **hearing_fields(end=datetime.time(12, 0)),
        )
        published.refresh_from_db()
        assert published.end == datetime.time(12, 0)
        assert published.published
        assert published.observations.get().status == ObservationStatus.APPROVED
        assert published.history.first().history_change_reason == "Court record shows the hearing ended at 12:00."

    def test_an_unpublished_hearing_is_edited_without_a_reason(self, monitor, hearing):
        hearing_update(actor=monitor, hearing=hearing, expected_version=1, **hearing_fields(outcome="Adjourned."))
        hearing.refresh_from_db()
        assert hearing.outcome == "Adjourned."


class TestPublishedCases:
    def test_a_change_to_a_published_case_needs_a_reason_and_a_monitors_goes_back_for_review(self, monitor, published):
        case = Case.objects.get(pk=published.case_id)
        assert case.published
        with pytest.raises(ValidationError) as excinfo:
            case_update(actor=monitor, case=case, expected_version=case.version, category="other")
        assert "reason" in excinfo.value.message_dict
        assert Case.objects.get(pk=case.pk).category == "hate_crime"

        case = Case.objects.get(pk=case.pk)
        case_update(actor=monitor, case=case, expected_version=case.version, category="other", reason="Wrong category.")
        case.refresh_from_db()
        assert case.category == "other"
        assert not case.published
        assert case.history.first().history_change_reason == "Wrong category."
        assert published.observations.get().status == ObservationStatus.SUBMITTED


class TestObservationWorkflow:
    def test_an_observation_of_a_future_hearing_is_refused(self, monitor, case, standards):
        import datetime

        future = hearing_create(
            actor=monitor, case=case, **hearing_fields(date=datetime.date.today() + datetime.timedelta(days=3))
        )
        with pytest.raises(ValidationError, match="in the future"):
            observation_start(actor=monitor, hearing=future)

    def test_starting_twice_returns_the_same_draft_with_every_standard(self, monitor, hearing, standards):
        first = observation_start(actor=monitor, hearing=hearing)
        assert observation_start(actor=monitor, hearing=hearing) == first
        assert first.ratings.count() == 17

    def test_a_draft_saves_incomplete_input(self, monitor, observation, standards):
        observation_save_draft(
            actor=monitor,
            observation=observation,
            expected_version=1,
            summary="Half done",
            ratings={standards[0].pk: ("concern", "")},
        )
        observation.refresh_from_db()
        assert (observation.status, observation.summary, observation.version) == ("draft", "Half done", 2)

    def test_a_violation_without_evidence_is_refused_even_in_a_draft(self, monitor, observation, standards):
        with pytest.raises(ValidationError) as excinfo:
            observation_save_draft(
                actor=monitor,
                observation=observation,
                expected_version=1,
                summary="",
                ratings={standards[0].pk: ("violation", "  ")},
            )
        assert standards[0].code in excinfo.value.message_dict

    def test_submitting_needs_every_standard_and_a_summary(self, monitor, observation, standards):
        ratings = all_complied(standards)
        ratings.pop(standards[-1].pk)
        with pytest.raises(ValidationError) as excinfo:
            observation_submit(actor=monitor, observation=observation, expected_version=1, summary="", ratings=ratings)
        assert standards[-1].code in excinfo.value.message_dict
        assert "summary" in excinfo.value.message_dict
        observation.refresh_from_db()
        assert observation.status == "draft"

    def test_submit_return_resubmit_approve(self, monitor, supervisor, observation, standards):
        observation_submit(
            actor=monitor, observation=observation, expected_version=1, summary="ok", ratings=all_complied(standards)
        )
        with pytest.raises(ValidationError):
            observation_return(
                actor=supervisor, observation=observation, expected_version=observation.version, comment=" "
            )
        observation_return(
            actor=supervisor,
            observation=observation,
            expected_version=observation.version,
            comment="Add evidence to 3.",
        )
        assert observation.status == ObservationStatus.RETURNED
        observation_submit(
            actor=monitor,
            observation=observation,
            expected_version=observation.version,
            summary="ok, fixed",
            ratings=all_complied(standards),
        )
        observation_approve(actor=supervisor, observation=observation, expected_version=observation.version)
        assert (observation.status, observation.reviewed_by) == (ObservationStatus.APPROVED, supervisor)

    def test_only_a_supervisor_in_scope_reviews_and_never_their_own(
        self, monitor, supervisor, observation, standards, other_region_monitor, department_head
    ):
        observation_submit(
            actor=monitor, observation=observation, expected_version=1, summary="ok", ratings=all_complied(standards)
        )
        for outsider in (monitor, other_region_monitor, department_head):
            with pytest.raises(PermissionDenied):
                observation_approve(actor=outsider, observation=observation, expected_version=observation.version)

    def test_an_approved_observation_is_locked(self, monitor, supervisor, observation, standards):
        observation_submit(
            actor=monitor, observation=observation, expected_version=1, summary="ok", ratings=all_complied(standards)
        )
        observation_approve(actor=supervisor, observation=observation, expected_version=observation.version)
        with pytest.raises(ValidationError, match="cannot be edited"):
            observation_save_draft(
                actor=monitor,
                observation=observation,
                expected_version=observation.version,
                summary="changed",
                ratings={},
            )

    def test_a_correction_is_a_new_revision_with_a_reason_in_the_history(
        self, monitor, supervisor, observation, standards
    ):
        observation_submit(
            actor=monitor, observation=observation, expected_version=1, summary="ok", ratings=all_complied(standards)
        )
        observation_approve(actor=supervisor, observation=observation, expected_version=observation.version)
        corrected = all_complied(standards, PUBLIC_HEARING=("concern", "Public turned away at the door."))
        with pytest.raises(ValidationError):
            observation_correct(
                actor=supervisor,
                observation=observation,
                expected_version=observation.version,
                reason="",
                summary="ok",
                ratings=corrected,
            )
        observation_correct(
            actor=supervisor,
            observation=observation,
            expected_version=observation.version,
            reason="Monitor's notes showed the public was excluded.",
            summary="ok",
            ratings=corrected,
        )
        observation.refresh_from_db()
        assert (observation.revision, observation.status) == (2, ObservationStatus.APPROVED)
        latest = observation.history.first()
        assert latest.history_user == supervisor
        assert latest.history_change_reason == "Monitor's notes showed the public was excluded."
        rating_change = observation.ratings.get(standard__code="PUBLIC_HEARING").history.first()
        assert (rating_change.rating, rating_change.history_user) == ("concern", supervisor)

    def test_the_authors_correction_goes_back_for_review(self, monitor, supervisor, observation, standards):
        observation_submit(
            actor=monitor, observation=observation, expected_version=1, summary="ok", ratings=all_complied(standards)
        )
        observation_approve(actor=supervisor, observation=observation, expected_version=observation.version)
        observation_correct(
            actor=monitor,
            observation=observation,
            expected_version=observation.version,
            reason="Typo",
            summary="ok.",
            ratings=all_complied(standards),
        )
        assert observation.status == ObservationStatus.SUBMITTED

    def test_a_second_review_through_a_copy_read_before_the_first_is_refused(
        self, monitor, supervisor, observation, standards, geography
    ):
        """Regression: the review step checked the status on the caller's copy, not on the locked row,
        so a copy read before another reviewer's approval, sent with the version saved since, returned
        an approved observation (and took it from the partners) with no correction or reason."""
        second = UserFactory(username="supervisor.two", supervisor=True, region=geography["PRZ"])
        observation_submit(
            actor=monitor, observation=observation, expected_version=1, summary="ok", ratings=all_complied(standards)
        )
        stale = Observation.objects.get(pk=observation.pk)
        observation_approve(actor=supervisor, observation=observation, expected_version=observation.version)
        with pytest.raises(ValidationError, match="Only a submitted observation"):
            observation_return(
                actor=second, observation=stale, expected_version=observation.version, comment="Redo it."
            )
        saved = Observation.objects.get(pk=observation.pk)
        assert (saved.status, saved.reviewed_by, saved.hearing.published) == (
            ObservationStatus.APPROVED,
            supervisor,
            True,
        )

    def test_two_concurrent_draft_saves_the_second_is_refused(self, monitor, observation, standards):
        observation_save_draft(
            actor=monitor, observation=observation, expected_version=1, summary="from the tablet", ratings={}
        )
        with pytest.raises(ConcurrentEditError) as excinfo:
            observation_save_draft(
                actor=monitor, observation=observation, expected_version=1, summary="from the phone", ratings={}
            )
        assert ("summary", "—", "from the tablet") in excinfo.value.changes


class TestFlags:
    def _flags(self):
        return set(Flag.objects.values_list("rule", flat=True))

    def test_a_violation_raises_one_flag(self, monitor, observation, standards):
        ratings = all_complied(standards, PUBLIC_HEARING=("violation", "Closed without a stated basis."))
        observation_submit(actor=monitor, observation=observation, expected_version=1, summary="s", ratings=ratings)
        assert self._flags() == {FlagRule.VIOLATION}

    @pytest.mark.parametrize(
        ("overrides", "rule"),
        [
            ({"recorded": False}, FlagRule.NOT_RECORDED),
            ({"interpretation_needed": True, "interpretation_provided": False}, FlagRule.INTERPRETER_ABSENT),
        ],
    )
    def test_hearing_rules(self, monitor, case, overrides, rule):
        hearing_create(actor=monitor, case=case, **hearing_fields(**overrides))
        assert self._flags() == {rule}

    def test_a_juvenile_hearing_in_public_is_flagged(self, monitor, prizren_court):
        juvenile_case = case_create(
            actor=monitor,
            court=prizren_court,
            case_number="PM. 1/2026",
            court_department="juvenile",
            category="juvenile",
            charges="x",
            parties=[{"role": "accused", "name": "Minor", "sex": "male", "age_band": "14_17"}],
        )
        hearing_create(actor=monitor, case=juvenile_case, **hearing_fields(public=True))
        assert self._flags() == {FlagRule.JUVENILE_IN_PUBLIC}

    def test_an_unrepresented_accused_in_a_serious_crimes_hearing_is_flagged(self, monitor, prizren_court):
        serious = case_create(
            actor=monitor,
            court=prizren_court,
            case_number="PKR. 1/2026",
            court_department="serious_crimes",
            category="corruption",
            charges="x",
        )
        hearing_create(actor=monitor, case=serious, **hearing_fields(accused_represented=False))
        assert self._flags() == {FlagRule.UNREPRESENTED_SERIOUS_CRIME}

    def test_the_third_adjournment_flags_the_case_once(self, monitor, case):
        adjourned = hearing_fields(held=False, adjournment_reason="absent_witness", recorded=None)
        for _ in range(4):
            hearing_create(actor=monitor, case=case, **adjourned)
        assert list(Flag.objects.values_list("rule", "subject")) == [(FlagRule.REPEATED_ADJOURNMENT, f"case:{case.pk}")]

    def test_a_supervisor_records_an_intervention_and_closes_the_flag(self, monitor, supervisor, case):
        hearing_create(actor=monitor, case=case, **hearing_fields(recorded=False))
        flag = Flag.objects.get()
        with pytest.raises(PermissionDenied):
            intervention_record(actor=monitor, flag=flag, intervention_type="letter", addressee="Court", date=YESTERDAY)
        intervention_record(
            actor=supervisor,
            flag=flag,
            intervention_type="letter",
            addressee="President of the Basic Court",
            date=YESTERDAY,
            status="done",
            outcome="",
        )
        with pytest.raises(ValidationError):
            flag_close(actor=supervisor, flag=flag, note="")
        flag_close(actor=supervisor, flag=flag, note="The court now records every hearing.")
        flag.refresh_from_db()
        assert (flag.status, flag.closed_by, flag.interventions.count()) == (FlagStatus.CLOSED, supervisor, 1)
