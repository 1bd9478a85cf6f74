"""The review step of a page: approve or return what the reviewer read."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from mission.concurrency import ConcurrentEditError, show_conflict
from mission.review.forms import ReviewForm
from mission.review.models import ReviewedRecord


def review_decide(
    request: HttpRequest,
    record: ReviewedRecord,
    *,
    approve: Callable[..., ReviewedRecord],
    return_: Callable[..., ReviewedRecord],
    record_argument: str,
    done_url: str,
    record_url: str,
    conflict_page: Callable[[ReviewForm, ConcurrentEditError], HttpResponse],
) -> HttpResponse:
    """Approve or return `record` with the department's services (called with the record as
    `record_argument`), as the review panel posted it. Done: to `done_url`. Refused by a rule: back to
    the record with the reason. Refused because the record changed since the reviewer read it: nothing
    decided, and `conflict_page` shows the record as saved now with the comment typed and the version
    now saved, so that deciding again is a decision about what the reviewer has read."""
    labels = record.review_labels
    form = ReviewForm(request.POST, record=record)
    form.is_valid()
    review = {
        "actor": request.user,
        record_argument: record,
        "expected_version": form.cleaned_data.get("version"),
        "comment": form.cleaned_data.get("comment", ""),
    }
    try:
        if request.POST.get("decision") == "approve":
            approve(**review)
            messages.success(request, str(labels.approved))
        elif request.POST.get("decision") == "return":
            return_(**review)
            messages.success(request, str(labels.returned))
        else:
            messages.error(request, str(labels.no_decision))
    except ConcurrentEditError as error:
        show_conflict(form, error)
        return conflict_page(form, error)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(record_url)
    return redirect(done_url)
