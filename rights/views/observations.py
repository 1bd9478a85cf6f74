from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mission.accounts.permissions import Capability, has_capability, may_follow_up, require_record
from mission.attachments.selectors import attachment_panel
from mission.concurrency import ConcurrentEditError, show_conflict
from mission.exports import table_csv_response
from mission.forms import add_service_errors
from mission.pages import count_up_to, draft_saved, get_or_404, list_context
from mission.review.forms import ReviewForm
from mission.review.permissions import may_correct, may_decide, may_edit, may_review
from mission.review.views import review_decide
from rights import selectors
from rights.forms import CorrectionForm, ObservationForm
from rights.indicators import attention_counts
from rights.models import FlagRule, FlagStatus
from rights.services.observations import (
    observation_approve,
    observation_correct,
    observation_return,
    observation_save_draft,
    observation_start,
    observation_submit,
)
from rights.tables import OBSERVATIONS_PAGE
from rights.views.common import require_reader

# A flag's rule as the review queue names it (a rule no longer declared: by its stored value).
FLAG_RULES = dict(FlagRule.choices)


def observation_list(request):
    require_reader(request.user)
    filterset, rows = selectors.observation_list_rows(user=request.user, data=request.GET)
    return render(request, "rights/observation_list.html", list_context(request, filterset, rows, keep=True))


def observation_detail(request, pk: int):
    require_reader(request.user)
    observation = get_or_404(selectors.observation_detail, user=request.user, pk=pk)
    return _detail_page(request, observation, ReviewForm(initial={"version": observation.version}, record=observation))


def _detail_page(request, observation, review_form: ReviewForm, conflict: ConcurrentEditError | None = None):
    user = request.user
    context = {
        "observation": observation,
        "ratings": list(observation.ratings.all()),
        "history": selectors.observation_history(observation=observation),
        "may_edit": may_edit(user, observation),
        "may_decide": may_decide(user, observation),
        "may_correct": may_correct(user, observation),
        "review_form": review_form,
        "conflict": conflict,
        "flags": selectors.observation_flags(user=user, observation=observation),
        "can_follow_up": may_follow_up(user, observation.hearing.case),
        "attachments": attachment_panel(request, observation),
    }
    return render(request, "rights/observation_detail.html", context)


@require_POST
def observation_start_view(request, hearing_pk: int):
    require_reader(request.user)
    hearing = get_or_404(selectors.hearing_get, user=request.user, pk=hearing_pk)
    require_record(request.user, hearing)
    try:
        observation = observation_start(actor=request.user, hearing=hearing)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("rights:case_detail", pk=hearing.case_id)
    return redirect("rights:observation_edit", pk=observation.pk)


def _checklist_page(request, observation, *, form_class, template, on_valid, draft_key):
    form = form_class(request.POST or None, observation=observation)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            return on_valid(form)
        except ConcurrentEditError as error:
            conflict = error
            show_conflict(form, error)
        except ValidationError as error:
            add_service_errors(form, error, form.error_field_map())
    context = {
        "form": form,
        "observation": observation,
        "conflict": conflict,
        "draft_key": draft_key,
        "correcting": form_class is CorrectionForm,
        # On a conflict the form moves to the version saved now, and so does its local copy.
        "draft_version": conflict.current_version if conflict else observation.version,
    }
    return render(request, template, context)


def observation_edit(request, pk: int):
    """The checklist: save a draft at any point, or submit it for review."""
    require_reader(request.user)
    observation = get_or_404(selectors.observation_detail, user=request.user, pk=pk)
    if observation.monitor_id != request.user.pk:
        raise PermissionDenied
    if not may_edit(request.user, observation):
        messages.info(request, _("This observation is no longer a draft; corrections go through “Correct”."))
        return redirect("rights:observation_detail", pk=pk)

    def on_valid(form):
        arguments = {
            "actor": request.user,
            "observation": observation,
            "expected_version": form.cleaned_data["version"],
            "summary": form.cleaned_data["summary"],
            "ratings": form.ratings(),
        }
        if "submit" in request.POST:
            observation_submit(**arguments)
            draft_saved(request, _("Observation submitted for review."), f"observation:{pk}")
            return redirect("rights:observation_detail", pk=pk)
        observation_save_draft(**arguments)
        draft_saved(request, _("Draft saved."), f"observation:{pk}")
        return redirect("rights:observation_edit", pk=pk)

    return _checklist_page(
        request,
        observation,
        form_class=ObservationForm,
        template="rights/observation_form.html",
        on_valid=on_valid,
        draft_key=f"observation:{pk}",
    )


def observation_correct_view(request, pk: int):
    require_reader(request.user)
    observation = get_or_404(selectors.observation_detail, user=request.user, pk=pk)
    if not may_correct(request.user, observation):
        raise PermissionDenied

    def on_valid(form):
        observation_correct(
            actor=request.user,
            observation=observation,
            expected_version=form.cleaned_data["version"],
            reason=form.cleaned_data["reason"],
            summary=form.cleaned_data["summary"],
            ratings=form.ratings(),
        )
        draft_saved(
            request,
            _("Correction saved as revision %(n)s.") % {"n": observation.revision},
            f"observation:{pk}:correction",
        )
        return redirect("rights:observation_detail", pk=pk)

    return _checklist_page(
        request,
        observation,
        form_class=CorrectionForm,
        template="rights/observation_form.html",
        on_valid=on_valid,
        draft_key=f"observation:{pk}:correction",
    )


@require_POST
def observation_review(request, pk: int):
    require_reader(request.user)
    observation = get_or_404(selectors.observation_detail, user=request.user, pk=pk)
    if not may_review(request.user, observation):
        raise PermissionDenied

    def conflict_page(form, error):
        # The observation as saved now, with the flags and history a decision is made on.
        saved = get_or_404(selectors.observation_detail, user=request.user, pk=pk)
        return _detail_page(request, saved, form, conflict=error)

    return review_decide(
        request,
        observation,
        approve=observation_approve,
        return_=observation_return,
        record_argument="observation",
        done_url=reverse("rights:review_queue"),
        record_url=reverse("rights:observation_detail", args=[pk]),
        conflict_page=conflict_page,
    )


def review_queue(request):
    if not has_capability(request.user, Capability.REVIEW):
        raise PermissionDenied
    require_reader(request.user)
    filterset, rows = selectors.review_queue_rows(user=request.user, data=request.GET)
    context = list_context(request, filterset, rows, keep=True)
    context["flag_rule"] = FLAG_RULES
    context["flag_closed"] = FlagStatus.CLOSED.label
    if _filtered(filterset):
        # What waits among the filtered, counted up to a bound: a backlog costs no more than a queue.
        context["waiting"], context["waiting_more"] = count_up_to(filterset.qs)
    else:
        # All that waits for this reviewer: the count the services keep (rights.services.counters),
        # exact and as cheap at a million observations as at ten.
        context["waiting"] = attention_counts(user=request.user, region_ids=None)["waiting_review"]
        context["waiting_more"] = False
    return render(request, "rights/review_queue.html", context)


def _filtered(filterset) -> bool:
    """Whether the queue is narrowed by a filter (a sort is not one)."""
    if not filterset.is_bound:
        return False
    if not filterset.is_valid():
        return True
    return any(value not in (None, "") for name, value in filterset.form.cleaned_data.items() if name != "sort")


def observation_export(request):
    """The filtered observations as CSV, from plain value rows (no model instances): fast at a million."""
    require_reader(request.user)
    _filterset, queryset = selectors.observation_list(user=request.user, data=request.GET)
    return table_csv_response("observations.csv", OBSERVATIONS_PAGE, queryset)
