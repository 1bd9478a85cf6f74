from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mission.accounts.permissions import Capability, has_capability, may_follow_up
from mission.forms import add_service_errors
from mission.pages import get_or_404, page_of
from rights import selectors
from rights.forms import FlagCloseForm, InterventionForm
from rights.models import FlagStatus, Intervention
from rights.services.flags import flag_close, intervention_record, intervention_update
from rights.views.common import require_reader


def _require_follow_up_role(user) -> None:
    require_reader(user)
    if not has_capability(user, Capability.FOLLOW_UP):
        raise PermissionDenied


def flag_list(request):
    _require_follow_up_role(request.user)
    status = request.GET.get("status", FlagStatus.OPEN)
    if status not in (FlagStatus.OPEN, FlagStatus.CLOSED, "all"):
        status = FlagStatus.OPEN
    queryset = selectors.flag_list(user=request.user, status=None if status == "all" else status)
    page = page_of(request, queryset)
    context = {"page": page, "status": status, "query": f"status={status}", "statuses": FlagStatus.choices}
    return render(request, "rights/flag_list.html", context)


def flag_detail(request, pk: int, *, intervention_form=None, close_form=None):
    _require_follow_up_role(request.user)
    flag = get_or_404(selectors.flag_detail, user=request.user, pk=pk)
    context = {
        "flag": flag,
        "can_follow_up": may_follow_up(request.user, flag),
        "intervention_form": intervention_form or InterventionForm(),
        "close_form": close_form or FlagCloseForm(),
    }
    return render(request, "rights/flag_detail.html", context, status=400 if intervention_form or close_form else 200)


@require_POST
def intervention_create(request, pk: int):
    _require_follow_up_role(request.user)
    flag = get_or_404(selectors.flag_detail, user=request.user, pk=pk)
    form = InterventionForm(request.POST)
    if form.is_valid():
        try:
            intervention_record(actor=request.user, flag=flag, **form.cleaned_data)
            messages.success(request, _("Intervention recorded."))
            return redirect("rights:flag_detail", pk=pk)
        except ValidationError as error:
            add_service_errors(form, error)
    return flag_detail(request, pk, intervention_form=form)


def intervention_edit(request, pk: int):
    _require_follow_up_role(request.user)
    intervention = get_or_404(
        lambda **kw: Intervention.objects.visible_to(request.user).select_related("flag__case__municipality").get(**kw),
        pk=pk,
    )
    if not may_follow_up(request.user, intervention):
        raise PermissionDenied
    form = InterventionForm(request.POST or None, instance=intervention)
    if request.method == "POST" and form.is_valid():
        try:
            intervention_update(actor=request.user, intervention=intervention, **form.cleaned_data)
            messages.success(request, _("Intervention updated."))
            return redirect("rights:flag_detail", pk=intervention.flag_id)
        except ValidationError as error:
            add_service_errors(form, error)
    return render(request, "rights/intervention_form.html", {"form": form, "intervention": intervention})


@require_POST
def flag_close_view(request, pk: int):
    _require_follow_up_role(request.user)
    flag = get_or_404(selectors.flag_detail, user=request.user, pk=pk)
    form = FlagCloseForm(request.POST)
    if form.is_valid():
        try:
            flag_close(actor=request.user, flag=flag, note=form.cleaned_data["note"])
            messages.success(request, _("Flag closed."))
            return redirect("rights:flag_list")
        except ValidationError as error:
            add_service_errors(form, error)
    return flag_detail(request, pk, close_form=form)
