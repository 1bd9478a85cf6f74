"""Files on records: add one to a record, download one, remove one (after a confirmation)."""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import models
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from mission.accounts.http import AuthenticatedHttpRequest
from mission.accounts.permissions import Capability, require_capability
from mission.attachments import registry
from mission.attachments.forms import AttachmentForm
from mission.attachments.inspection import max_bytes, too_large_message
from mission.attachments.models import FileSensitivity
from mission.attachments.selectors import add_url, attachment_with_record
from mission.attachments.services import (
    attachment_add,
    attachment_open,
    attachment_remove,
    may_attach,
    may_open,
    may_remove,
)
from mission.attachments.uploads import LimitedUploadHandler, too_large
from mission.audit.services import access_record
from mission.forms import add_service_errors
from mission.pages import get_or_404


def _record(request: AuthenticatedHttpRequest, label: str, object_id: int) -> models.Model:
    require_capability(request.user, Capability.READ_RECORDS)  # administrators manage, they do not read
    model = registry.model_for(label)
    if model is None:
        raise Http404
    record: models.Model = get_or_404(model._default_manager.visible_to(request.user).get, pk=object_id)  # type: ignore[attr-defined]
    return record


def _next(request: AuthenticatedHttpRequest) -> str:
    """Where to go back to: the record's page the form came from, if it is one of ours."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


@csrf_exempt  # the upload handler must be set before anything reads the body; csrf_protect below checks
def attachment_add_view(request: AuthenticatedHttpRequest, label: str, object_id: int) -> HttpResponse:
    request.upload_handlers = [LimitedUploadHandler(request, max_bytes())]
    return _add(request, label, object_id)


@csrf_protect
def _add(request: AuthenticatedHttpRequest, label: str, object_id: int) -> HttpResponse:
    record = _record(request, label, object_id)
    if not may_attach(request.user, record):
        raise PermissionDenied
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if too_large(request):
            form.add_error("file", too_large_message())
        elif form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                added = attachment_add(
                    actor=request.user,
                    record=record,
                    upload=upload,
                    file_name=upload.name,
                    size=upload.size,
                    kind=form.cleaned_data["kind"],
                    access=form.cleaned_data["access"],
                    description=form.cleaned_data["description"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("File “%(name)s” added.") % {"name": added.name})
                return redirect(_next(request))
    context = {"record": record, "form": form, "add_url": add_url(record), "next_url": _next(request)}
    return render(request, "attachments/add.html", context, status=400 if request.method == "POST" else 200)


def attachment_download(request: AuthenticatedHttpRequest, key: str) -> HttpResponseBase:
    require_capability(request.user, Capability.READ_RECORDS)
    attachment, record = get_or_404(attachment_with_record, user=request.user, key=key)
    if not may_open(request.user, attachment, record):
        raise PermissionDenied
    access_record(actor=request.user, obj=attachment, path=request.path)  # every download is logged
    prefix = settings.ATTACHMENT_X_ACCEL_PREFIX
    if prefix and not attachment.encrypted and isinstance(default_storage, FileSystemStorage):
        # nginx sends the file from its `internal` location; the body is empty here.
        response: HttpResponseBase = HttpResponse(content_type=attachment.media_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(str(attachment.file.name))
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(attachment.name)}"
    else:
        response = FileResponse(attachment_open(attachment), as_attachment=True, filename=attachment.name)
        response["Content-Type"] = attachment.media_type
        response["Content-Length"] = str(attachment.size)
    # Never shown as a page of ours, never kept by a shared cache.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def attachment_remove_view(request: AuthenticatedHttpRequest, key: str) -> HttpResponse:
    require_capability(request.user, Capability.READ_RECORDS)
    attachment, record = get_or_404(attachment_with_record, user=request.user, key=key)
    if not may_remove(request.user, attachment, record):
        raise PermissionDenied
    if request.method == "POST":
        attachment_remove(actor=request.user, attachment=attachment, record=record)
        messages.success(request, _("The file was removed."))
        return redirect(_next(request))
    shown = attachment.name if may_open(request.user, attachment, record) else ""
    if shown and attachment.access == FileSensitivity.RESTRICTED:
        access_record(actor=request.user, obj=attachment, path=request.path)  # its name is a restricted value
    context = {"attachment": attachment, "record": record, "name": shown, "next_url": _next(request)}
    return render(request, "attachments/remove.html", context)
