from mission.review.models import ReviewStatus
from mission.review.selectors import record_history, returned_to, review_queue
from tests.factories import UserFactory


def test_the_queue_holds_submitted_records_in_scope_never_the_reviewers_own(supervisor, make_record, geography):
    waiting = make_record(status="submitted")
    make_record(status="draft")
    make_record(status="approved")
    own = make_record(status="submitted", monitor=supervisor)
    model = type(waiting)
    queue = review_queue(queryset=model.objects.all(), user=supervisor)
    assert list(queue) == [waiting]
    assert own not in queue
    other_supervisor = UserFactory(username="supervisor.mitrovica", supervisor=True, region=geography["MIT"])
    assert list(review_queue(queryset=model.objects.all(), user=other_supervisor)) == []


def test_returned_to_holds_the_authors_drafts_and_returned_records(author, supervisor, make_record):
    draft = make_record()
    returned = make_record(status=ReviewStatus.RETURNED)
    make_record(status=ReviewStatus.SUBMITTED)
    make_record(status=ReviewStatus.RETURNED, monitor=supervisor)
    model = type(draft)
    assert set(returned_to(queryset=model.objects.all(), user=author)) == {draft, returned}


def test_the_history_lists_the_records_changes_and_its_childrens_as_its_own(author, supervisor, draft):
    from mission.review.services import record_approve, record_edit, record_submit

    rating = draft.ratings.model.objects.create(
        observation=draft, standard=draft.questionnaire.standards.first(), rating=""
    )
    rating.rating, rating.evidence = "violation", "Shouted at the accused."
    rating._history_user = author
    rating.save()
    record_edit(actor=author, record=draft, expected_version=1)
    record_submit(actor=author, record=draft)
    record_approve(actor=supervisor, record=draft, expected_version=2)
    history = record_history(record=draft)
    assert history[-1]["created"] is True
    assert history[-1]["what"] == "Draft"
    changes = [change for entry in history for change in entry["changes"]]
    assert ("status", "Submitted for review", "Approved") in changes
    assert ("reviewed by", "—", supervisor.get_full_name() or supervisor.username) in changes
    rating_entry = next(entry for entry in history if entry["what"] == rating.standard.name)
    assert rating_entry["changes"] == [("rating", "—", "Violation"), ("evidence", "—", "Shouted at the accused.")]
    assert rating_entry["who"]
    # The blank row the record started with is no change anyone made.
    assert sum(entry["what"] == rating.standard.name for entry in history) == 1
