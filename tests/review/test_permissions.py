from mission.accounts.permissions import region_of
from mission.review.permissions import may_correct, may_decide, may_edit, may_review


def test_the_region_comes_from_the_declared_path(draft, geography):
    assert region_of(draft) == geography["PRZ"].pk


def test_what_each_actor_is_offered(author, supervisor, department_head, other_region_monitor, make_record):
    draft, submitted = make_record(), make_record(status="submitted")
    approved = make_record(status="approved", reviewed_by=supervisor)
    assert (may_edit(author, draft), may_edit(author, submitted), may_edit(supervisor, draft)) == (True, False, False)
    assert may_decide(supervisor, submitted)
    assert not may_decide(supervisor, draft)
    assert not any(may_decide(user, submitted) for user in (author, department_head, other_region_monitor))
    assert may_review(supervisor, approved)
    assert not may_review(author, approved)
    assert may_correct(author, approved)
    assert may_correct(supervisor, approved)
    assert not may_correct(author, submitted)
    assert not may_correct(other_region_monitor, approved)
