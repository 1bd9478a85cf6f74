"""Reports in the browser: ask for one, watch it, download it, run it again."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from mission.accounts.http import AuthenticatedHttpRequest
from mission.accounts.models import User
from mission.accounts.permissions import Capability, has_capability
from mission.audit.services import access_record
from mission.forms import add_service_errors
from mission.pages import get_or_404, page_of
from mission.reports import registry
from mission.reports.forms import ReportRequestForm
from mission.reports.models import ReportJob
from mission.reports.services import may_download, may_download_visible, report_open, report_request, report_rerun

PAGE_SIZE = 25


def _require_reports(user: User) -> None:
    if not has_capability(user, Capability.REPORTS):
        raise PermissionDenied


def _job(request: AuthenticatedHttpRequest, pk: int) -> ReportJob:
    return get_or_404(ReportJob.objects.visible_to(request.user).select_related("requested_by", "region").get, pk=pk)


def report_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_reports(request.user)
    jobs = (
        ReportJob.objects.visible_to(request.user)
        .select_related("requested_by", "region")
        .defer("requested_by__password")
    )
    page = page_of(request, jobs, PAGE_SIZE)
    labels = {t.key: t.label for t in registry.all_types()}
    for job in page.object_list:
        job.label = labels.get(job.report_type, job.report_type)
        job.download_url = (
            reverse("reports:download", args=[job.pk])
            if job.status == "done" and job.file and may_download_visible(request.user, job)
            else ""
        )
    return render(request, "reports/report_list.html", {"page": page})


def report_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_reports(request.user)
    form = ReportRequestForm(
        request.POST or None, user=request.user, initial={"language": get_language(), **request.GET.dict()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            job = report_request(
                actor=request.user, report_type=form.cleaned_data["report_type"], parameters=form.parameters()
            )
        except ValidationError as error:
            add_service_errors(form, error, {"from": "start", "to": "end"})
        else:
            return redirect("reports:detail", pk=job.pk)
    status = 400 if request.method == "POST" else 200
    # Without a broker (the embedded default) the task runs inside this request: say so, rather than
    # promise a background job while the page waits.
    context = {"form": form, "in_process": settings.CELERY_TASK_ALWAYS_EAGER}
    return render(request, "reports/report_form.html", context, status=status)


def _status(job: ReportJob) -> dict[str, Any]:
    return {
        "status": job.status,
        "status_label": job.get_status_display(),
        "progress": job.progress,
        "note": job.progress_note,
        "error": job.error,
        "finished": job.finished,
        "download": reverse("reports:download", args=[job.pk]) if job.status == "done" else "",
    }


def report_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require_reports(request.user)
    job = _job(request, pk)
    labels = {t.key: t.label for t in registry.all_types()}
    context: dict[str, Any] = {"job": job, "label": labels.get(job.report_type, job.report_type), "state": _status(job)}
    context["may_download"] = may_download(request.user, job)
    return render(request, "reports/report_detail.html", context)


def report_status(request: AuthenticatedHttpRequest, pk: int) -> JsonResponse:
    """The job's state as JSON, for the progress bar."""
    _require_reports(request.user)
    return JsonResponse(_status(_job(request, pk)))


def report_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    _require_reports(request.user)
    job = _job(request, pk)
    if job.status != "done" or not job.file:
        raise Http404
    if not may_download(request.user, job):
        raise PermissionDenied
    if job.includes_restricted:
        access_record(actor=request.user, obj=job, path=request.path)  # a file with names: a view of restricted records
    response = FileResponse(report_open(job), as_attachment=True, filename=job.file_name)
    if job.file_size is not None and "Content-Length" not in response:  # decrypted as it streams
        response["Content-Length"] = job.file_size
    return response


@require_POST
def report_rerun_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require_reports(request.user)
    job = _job(request, pk)
    try:
        report_rerun(actor=request.user, job=job)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("reports:detail", pk=job.pk)
