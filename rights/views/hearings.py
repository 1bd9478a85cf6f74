from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from mission.accounts.permissions import may_record, require_record
from mission.attachments.selectors import attachment_panel
from mission.exports import table_csv_response
from mission.forms import (
    submission_token,
)
from mission.pages import already_saved, form_saved, get_or_404, list_context
from rights import selectors
from rights.forms import HearingForm
from rights.models import Hearing, PlannedHearing
from rights.services.hearings import hearing_create, hearing_is_published, hearing_update
from rights.services.observations import observation_start
from rights.services.planning import planned_hearing_recorded
from rights.tables import HEARINGS_PAGE
from rights.views.common import require_reader


def hearing_list(request):
    require_reader(request.user)
    filterset, rows = selectors.hearing_list_rows(user=request.user, data=request.GET)
    return render(request, "rights/hearing_list.html", list_context(request, filterset, rows, keep=True))


def hearing_detail(request, pk: int):
    """One hearing: what happened, its observations, and its files (minutes, decisions)."""
    require_reader(request.user)
    hearing = get_or_404(selectors.hearing_detail, user=request.user, pk=pk)
    context = {
        "hearing": hearing,
        "case": hearing.case,
        "observations": list(hearing.observations.all()),
        "can_record": may_record(request.user, hearing),
        "attachments": attachment_panel(request, hearing),
    }
    return render(request, "rights/hearing_detail.html", context)


def _plan_of(request, case) -> PlannedHearing | None:
    """The planned hearing (`?plan=`) this new hearing records, if it is of this case and not recorded."""
    plan_id = request.GET.get("plan", "")
    if not plan_id.isdigit():
        return None
    return PlannedHearing.objects.visible_to(request.user).filter(pk=plan_id, case=case, hearing__isnull=True).first()


def _hearing_form(request, *, case, hearing: Hearing | None):
    plan = _plan_of(request, case) if hearing is None else None
    new = Hearing(case=case)
    if plan is not None:
        new.date, new.scheduled_start = plan.date, plan.start
        new.hearing_type = plan.hearing_type
    form = HearingForm(
        request.POST or None,
        instance=hearing or new,
        published=hearing is not None and hearing_is_published(hearing),
    )
    conflict = None
    draft_key = f"hearing:{hearing.pk}" if hearing else f"hearing:new:{case.pk}"
    if done := already_saved(request, draft_key):
        return done
    if request.method == "POST" and form.is_valid():

        def save() -> tuple[str, str]:
            if hearing is None:
                saved = hearing_create(actor=request.user, case=case, **form.service_fields())
                if plan is not None:
                    planned_hearing_recorded(planned=plan, hearing=saved)
                try:
                    observation = observation_start(actor=request.user, hearing=saved)
                    destination = reverse("rights:observation_edit", args=[observation.pk])
                except ValidationError as error:
                    messages.info(request, " ".join(error.messages))
                    destination = reverse("rights:case_detail", args=[case.pk])
                return destination, _("Hearing saved.")
            hearing_update(
                actor=request.user,
                hearing=hearing,
                expected_version=form.cleaned_data["version"],
                **form.service_fields(),
                **form.correction_fields(),
            )
            return reverse("rights:case_detail", args=[case.pk]), _("Hearing saved.")

        done, conflict = form_saved(
            request,
            form,
            save,
            creating=hearing is None,
            draft_key=draft_key,
            fallback=reverse("rights:case_detail", args=[case.pk]),
        )
        if done:
            return done
    context = {
        "form": form,
        "submission_token": submission_token(request),
        "case": case,
        "hearing": hearing,
        "conflict": conflict,
        "draft_key": draft_key,
        "draft_version": conflict.current_version if conflict else (hearing.version if hearing else 0),
    }
    return render(request, "rights/hearing_form.html", context)


def hearing_create_view(request, case_pk: int):
    require_reader(request.user)
    case = get_or_404(selectors.case_detail, user=request.user, pk=case_pk)
    require_record(request.user, case)
    return _hearing_form(request, case=case, hearing=None)


def hearing_update_view(request, pk: int):
    require_reader(request.user)
    hearing = get_or_404(selectors.hearing_get, user=request.user, pk=pk)
    require_record(request.user, hearing)
    return _hearing_form(request, case=hearing.case, hearing=hearing)


def hearing_export(request):
    """The filtered hearings as CSV, from plain value rows (no model instances)."""
    require_reader(request.user)
    _filterset, queryset = selectors.hearing_list(user=request.user, data=request.GET)
    return table_csv_response("hearings.csv", HEARINGS_PAGE, queryset)
