"""The monitoring plan: the week's scheduled hearings per region and court, who goes, conflicts, and
what became of each; entering a hearing from a court's schedule; assigning monitors."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mission.accounts.permissions import Capability, has_capability
from mission.calendars.weeks import week_of
from mission.forms import add_service_errors, submission_token
from mission.pages import already_saved, form_saved, get_or_404
from rights import selectors
from rights.forms import AssignForm, PlannedHearingForm
from rights.models import PlannedHearing, PlanStatus
from rights.services.planning import (
    assignable,
    may_assign,
    may_plan,
    planned_hearing_assign,
    planned_hearing_create,
    planned_hearing_set_status,
    planned_hearing_update,
)
from rights.views.common import require_reader


def plan_week(request):
    require_reader(request.user)
    week = week_of(request)
    filterset, entries = selectors.plan_week(user=request.user, data=request.GET, first_day=week["monday"])
    days = {day: [] for day in week["days"]}
    for entry in entries:
        days[entry.planned.date].append(entry)
    context = {
        "filter": filterset,
        "week": week,
        "days": list(days.items()),
        "empty": not entries,
        "can_plan": has_capability(request.user, Capability.RECORD),
    }
    return render(request, "rights/plan_week.html", context)


def plan_detail(request, pk: int):
    require_reader(request.user)
    entry = get_or_404(selectors.plan_detail, user=request.user, pk=pk)
    planned = entry.planned
    can_assign = may_assign(request.user, planned)
    form = AssignForm(initial={"monitors": entry.monitors}, candidates=assignable(planned)) if can_assign else None
    return _detail_page(request, entry, form)


def _detail_page(request, entry, form, status: int = 200):
    planned = entry.planned
    user = request.user
    context = {
        "entry": entry,
        "planned": planned,
        "assign_form": form,
        "can_plan": may_plan(user, planned),
        "record_url": _record_url(planned) if may_plan(user, planned) and planned.hearing_id is None else "",
        "week_url": reverse("rights:plan_week") + "?" + urlencode({"week": planned.date.isoformat()}),
    }
    return render(request, "rights/plan_detail.html", context, status=status)


def _record_url(planned: PlannedHearing) -> str:
    """Where recording the hearing starts: its case's new hearing, filled from the plan; without the
    case in the portal yet, the new case, filled from the plan."""
    if planned.case_id is not None:
        return reverse("rights:hearing_create", args=[planned.case_id]) + "?" + urlencode({"plan": planned.pk})
    initial = {"court": str(planned.court_id), "case_number": planned.case_number, "category": planned.category}
    return reverse("rights:case_create") + "?" + urlencode(initial)


@require_POST
def plan_assign(request, pk: int):
    require_reader(request.user)
    entry = get_or_404(selectors.plan_detail, user=request.user, pk=pk)
    planned = entry.planned
    if not may_assign(request.user, planned):
        raise PermissionDenied
    form = AssignForm(request.POST, candidates=assignable(planned))
    if form.is_valid():
        try:
            planned_hearing_assign(actor=request.user, planned=planned, monitors=form.cleaned_data["monitors"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            names = ", ".join(m.get_full_name() or m.username for m in form.cleaned_data["monitors"])
            messages.success(request, _("Sent: %(names)s.") % {"names": names} if names else _("Nobody is sent now."))
            return redirect("rights:plan_detail", pk=planned.pk)
    return _detail_page(request, entry, form, status=400)


@require_POST
def plan_status(request, pk: int):
    require_reader(request.user)
    planned = get_or_404(PlannedHearing.objects.visible_to(request.user).get, pk=pk)
    if not may_plan(request.user, planned):
        raise PermissionDenied
    status = request.POST.get("status", "")
    try:
        planned_hearing_set_status(actor=request.user, planned=planned, status=status)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        cancelled = status == PlanStatus.CANCELLED
        messages.success(request, _("Marked as cancelled by the court.") if cancelled else _("Back on the plan."))
    return redirect("rights:plan_detail", pk=planned.pk)


def _plan_form(request, *, planned: PlannedHearing | None):
    initial = {}
    if planned is None:
        initial = {k: v for k, v in request.GET.items() if k in ("date", "court", "case_number")}
    form = PlannedHearingForm(request.POST or None, instance=planned or PlannedHearing(), initial=initial)
    draft_key = f"plan:{planned.pk}" if planned else "plan:new"
    conflict = None
    if done := already_saved(request, draft_key):
        return done
    if request.method == "POST" and form.is_valid():

        def save() -> tuple[str, str]:
            if planned is None:
                saved = planned_hearing_create(actor=request.user, **form.service_fields())
                return reverse("rights:plan_detail", args=[saved.pk]), _("Hearing added to the plan.")
            planned_hearing_update(
                actor=request.user,
                planned=planned,
                expected_version=form.cleaned_data["version"],
                **form.service_fields(),
            )
            return reverse("rights:plan_detail", args=[planned.pk]), _("Planned hearing saved.")

        try:
            done, conflict = form_saved(
                request, form, save, creating=planned is None, draft_key=draft_key, fallback=reverse("rights:plan_week")
            )
        except PermissionDenied:
            form.add_error("municipality", _("You plan hearings of your own region only."))
            done = None
        if done:
            return done
    context = {
        "form": form,
        "planned": planned,
        "submission_token": submission_token(request),
        "conflict": conflict,
        "draft_key": draft_key,
        "draft_version": conflict.current_version if conflict else (planned.version if planned else 0),
    }
    return render(request, "rights/plan_form.html", context, status=400 if request.method == "POST" else 200)


def plan_create(request):
    require_reader(request.user)
    if not has_capability(request.user, Capability.RECORD):
        raise PermissionDenied
    return _plan_form(request, planned=None)


def plan_edit(request, pk: int):
    require_reader(request.user)
    planned = get_or_404(PlannedHearing.objects.visible_to(request.user).select_related("court").get, pk=pk)
    if not may_plan(request.user, planned):
        raise PermissionDenied
    return _plan_form(request, planned=planned)
