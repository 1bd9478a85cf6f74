import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mission.concurrency import ConcurrentEditError
from mission.review.models import ReviewStatus
from mission.review.services import (
    record_approve,
    record_correct,
    record_edit,
    record_return,
    record_revise,
    record_submit,
    records_revise_after_change,
)


def _fresh(record):
    return type(record).objects.get(pk=record.pk)


def test_the_author_submits_a_draft_and_it_waits_for_review(author, draft):
    record_edit(actor=author, record=draft, expected_version=1)
    record_submit(actor=author, record=draft)
    saved = _fresh(draft)
    assert (saved.status, saved.version) == (ReviewStatus.SUBMITTED, 2)
    assert saved.submitted_at is not None
    assert saved.history.first().history_user == author


def test_only_the_author_in_their_scope_edits(supervisor, other_region_monitor, draft):
    for outsider in (supervisor, other_region_monitor):
        with pytest.raises(PermissionDenied):
            record_edit(actor=outsider, record=draft, expected_version=1)


def test_an_approved_record_is_locked_for_its_author(author, approved):
    with pytest.raises(ValidationError, match="cannot be edited"):
        record_edit(actor=author, record=approved, expected_version=approved.version)


def test_an_edit_without_the_version_it_started_from_is_refused(author, draft):
    with pytest.raises(ConcurrentEditError):
        record_edit(actor=author, record=draft, expected_version=None)


def test_a_reviewer_approves_and_returns_with_a_comment(supervisor, submitted, make_record):
    record_approve(actor=supervisor, record=submitted, expected_version=1, comment=" fine ")
    saved = _fresh(submitted)
    assert (saved.status, saved.reviewed_by, saved.review_comment) == (ReviewStatus.APPROVED, supervisor, "fine")
    other = make_record(status="submitted")
    with pytest.raises(ValidationError) as excinfo:
        record_return(actor=supervisor, record=other, expected_version=1, comment="  ")
    assert "comment" in excinfo.value.message_dict
    record_return(actor=supervisor, record=other, expected_version=1, comment="Say more.")
    assert _fresh(other).status == ReviewStatus.RETURNED


def test_nobody_reviews_their_own_record_or_one_outside_their_scope(
    author, submitted, department_head, other_region_monitor
):
    for outsider in (author, department_head, other_region_monitor):
        with pytest.raises(PermissionDenied):
            record_approve(actor=outsider, record=submitted, expected_version=1)


def test_a_review_decides_on_the_saved_row_not_on_the_callers_copy(supervisor, second_supervisor, submitted):
    """Regression: the status was checked on the caller's copy, so a copy read before another
    reviewer's decision, sent with the version saved since, let a second review through."""
    stale = _fresh(submitted)
    record_approve(actor=supervisor, record=submitted, expected_version=1)
    with pytest.raises(ValidationError, match="submitted"):
        record_return(actor=second_supervisor, record=stale, expected_version=2, comment="Redo it.")
    saved = _fresh(submitted)
    assert (saved.status, saved.reviewed_by, saved.version) == (ReviewStatus.APPROVED, supervisor, 2)


def test_an_author_cannot_edit_through_a_copy_read_before_approval(author, supervisor, submitted):
    # Returned, so the author's copy says it is editable; approved after a resubmission.
    record_return(actor=supervisor, record=submitted, expected_version=1, comment="Fix it.")
    stale = _fresh(submitted)
    record_edit(actor=author, record=submitted, expected_version=2)
    record_submit(actor=author, record=submitted)
    record_approve(actor=supervisor, record=submitted, expected_version=3)
    with pytest.raises(ValidationError, match="cannot be edited"):
        record_edit(actor=author, record=stale, expected_version=4)
    assert _fresh(submitted).status == ReviewStatus.APPROVED


def test_a_correction_needs_an_approved_record_and_a_reason(author, supervisor, submitted, approved):
    with pytest.raises(ValidationError):
        record_correct(actor=supervisor, record=submitted, expected_version=1, reason="Typo")
    with pytest.raises(ValidationError) as excinfo:
        record_correct(actor=supervisor, record=approved, expected_version=1, reason=" ")
    assert "reason" in excinfo.value.message_dict


def test_the_authors_correction_goes_back_for_review_a_reviewers_stands(author, supervisor, make_record):
    for actor, status in ((author, ReviewStatus.SUBMITTED), (supervisor, ReviewStatus.APPROVED)):
        record = make_record(status="approved", reviewed_by=supervisor)
        correction = record_correct(actor=actor, record=record, expected_version=1, reason="Date was wrong.")
        record_revise(record, actor=actor, reason=correction.reason, back_to_review=correction.back_to_review)
        saved = _fresh(record)
        assert (saved.status, saved.revision, saved.correction_reason) == (status, 2, "Date was wrong.")
        assert saved.history.first().history_change_reason == "Date was wrong."


def test_a_change_under_approved_records_sends_them_back_unless_a_reviewer_made_it(
    author, supervisor, approved, make_record
):
    records = type(approved).objects.filter(pk=approved.pk)
    assert records_revise_after_change(actor=supervisor, records=records, reason="Court renamed.") == []
    assert _fresh(approved).status == ReviewStatus.APPROVED
    [revised] = records_revise_after_change(actor=author, records=records, reason="Court renamed.")
    saved = _fresh(approved)
    assert (saved.status, saved.revision, saved.version) == (ReviewStatus.SUBMITTED, 2, 2)
    assert revised.pk == approved.pk
