"""The pages of an import, for any flow (`mission.imports.flows`): upload → the dry run (what each row
would do, the refused rows as a file) → confirm → applied, all rows or none. A long file is checked and
applied by a job whose page shows its progress. `/imports/` lists the declared targets with their
exports, for the round trip: export, edit in a spreadsheet, import back."""

from __future__ import annotations

import csv
import json
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from mission.accounts.http import AuthenticatedHttpRequest
from mission.audit.services import access_record_many
from mission.concurrency import ConcurrentEditError
from mission.encryption import DecryptionError, decrypt
from mission.exports.formulas import neutralise
from mission.imports.flows import ImportFlow, flow_of, targets
from mission.imports.models import ImportState, PendingImport
from mission.imports.services import (
    CREATE,
    ERROR,
    UNCHANGED,
    UPDATE,
    ImportPlan,
    PlanChangedError,
    UnreadableFileError,
    error_rows,
    export_cell,
    import_apply,
    import_keep,
    import_pending,
    import_plan,
    import_table,
    read_table,
)
from mission.imports.spec import Rules
from mission.pages import get_or_404
from mission.sensitivity import restricted_fields

NOT_APPLIED = gettext_lazy("Nothing was imported: the data changed meanwhile. Check the dry run again.")
SHOWN_ROWS = 500  # the dry run's table lists this many rows to create, update or refuse; the file has all


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("CSV (UTF-8) or Excel (.xlsx), with the columns of the list's CSV export."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )


class ConfirmForm(forms.Form):
    pending = forms.IntegerField(widget=forms.HiddenInput)
    digest = forms.CharField(widget=forms.HiddenInput, max_length=64)


def _require(request: AuthenticatedHttpRequest, flow: ImportFlow) -> None:
    if flow.exists_for is not None and not flow.exists_for(request.user):
        raise Http404
    if not flow.may_import(request.user):
        raise PermissionDenied


def _context(request: AuthenticatedHttpRequest, flow: ImportFlow, **extra: Any) -> dict[str, Any]:
    return {
        "flow": flow,
        "label_plural": flow.label_plural,
        "upload_url": flow.url("import"),
        "back_url": flow.back(),
        "export_url": flow.url("export") if flow.export_rows is not None else "",
        **extra,
    }


def _rules(request: AuthenticatedHttpRequest, flow: ImportFlow) -> Rules:
    return flow.rules_for(request.user)


def _plan_again(request: AuthenticatedHttpRequest, flow: ImportFlow, pending: PendingImport) -> ImportPlan:
    """The dry run of the kept file as the data stands now."""
    return import_plan(flow.spec, import_table(pending), _rules(request, flow))


def upload_page(request: AuthenticatedHttpRequest, flow: ImportFlow) -> HttpResponse:
    """The upload; its post shows the dry run (or starts the job of a long file); a confirmation's post
    applies it."""
    _require(request, flow)
    if request.method == "POST" and "digest" in request.POST:
        return _apply(request, flow)
    upload = UploadForm()
    if request.method == "POST":
        upload = UploadForm(request.POST, request.FILES)
        if upload.is_valid():
            file = upload.cleaned_data["file"]
            try:
                table = read_table(file)
            except UnreadableFileError as error:
                upload.add_error("file", error.message)
            else:
                pending = import_keep(table, user=request.user, spec=flow.spec, file_name=file.name, flow=flow.key)
                if pending.state == ImportState.CHECKING:  # a long file: a job checks it
                    _enqueue_check(pending.pk, get_language())
                    return redirect(flow.url("import_job", pending.pk))
                return _dry_run(request, flow, pending, import_plan(flow.spec, table, _rules(request, flow)))
    columns = [(name, name in flow.spec.optional) for name in flow.spec.columns]
    context = _context(request, flow, upload=upload, columns=columns, job_rows=settings.IMPORT_JOB_ROWS)
    return render(request, "imports/upload.html", context)


def _enqueue_check(pk: int, language: str) -> None:
    """The job checks the file in the user's language: the dry run's labels and errors are its text."""
    from mission.imports.tasks import import_check

    transaction.on_commit(lambda: import_check.delay(pk, language))


def _dry_run(
    request: AuthenticatedHttpRequest, flow: ImportFlow, pending: PendingImport, plan: ImportPlan
) -> HttpResponse:
    counts = plan.counts()
    shown = [row for row in plan.rows if row.action != UNCHANGED]
    context = _context(
        request,
        flow,
        plan=plan,
        pending=pending,
        confirm=ConfirmForm(initial={"pending": pending.pk, "digest": plan.digest()}),
        counts=[
            (_("To create"), counts[CREATE]),
            (_("To update"), counts[UPDATE]),
            (_("Unchanged"), counts[UNCHANGED]),
            (_("Refused"), counts[ERROR]),
        ],
        shown=[
            (row, [(row.cells.get(name, ""), name in row.errors) for name in plan.columns])
            for row in shown[:SHOWN_ROWS]
        ],
        more=max(len(shown) - SHOWN_ROWS, 0),
        errors_url=flow.url("import_errors", pending.pk) if counts[ERROR] else "",
    )
    return render(request, "imports/dry_run.html", context)


def _pending(request: AuthenticatedHttpRequest, flow: ImportFlow, pk: int) -> PendingImport:
    found: PendingImport = get_or_404(lambda: import_pending(pk, user=request.user, spec=flow.spec))
    if found.flow and found.flow != flow.key:
        raise Http404
    return found


def _kept_plan(pending: PendingImport) -> ImportPlan | None:
    """The dry run a job made, if it made one."""
    if not pending.plan:
        return None
    try:
        return ImportPlan.from_json(decrypt(pending.plan) or "")
    except (DecryptionError, ValueError, KeyError):
        return None


def _apply(request: AuthenticatedHttpRequest, flow: ImportFlow) -> HttpResponse:
    confirm = ConfirmForm(request.POST)
    if not confirm.is_valid():
        messages.error(request, _("That import is no longer waiting: upload the file again."))
        return redirect(flow.url("import"))
    pending = _pending(request, flow, confirm.cleaned_data["pending"])
    digest = confirm.cleaned_data["digest"]
    if pending.state != ImportState.READ:
        return _apply_job(request, flow, pending, digest)
    try:
        counts = import_apply(flow.spec, pending, actor=request.user, expected=digest, rules=_rules(request, flow))
    except PlanChangedError as changed:
        messages.warning(request, changed.message)
        return _dry_run(request, flow, pending, changed.plan)
    except ValidationError as error:  # a rule of the whole (a record holds at most so many rows)
        messages.error(request, _("Nothing was imported: %(reason)s") % {"reason": " ".join(error.messages)})
        return _dry_run(request, flow, pending, _plan_again(request, flow, pending))
    except (UnreadableFileError, IntegrityError, ConcurrentEditError, PermissionDenied):
        if not PendingImport.objects.filter(pk=pending.pk).exists():  # a second click: the first applied it
            messages.info(request, _("This file has been applied already."))
            return redirect(flow.back())
        messages.error(request, NOT_APPLIED)
        return _dry_run(request, flow, pending, _plan_again(request, flow, pending))
    messages.success(request, _imported(pending.file_name, counts[CREATE], counts[UPDATE], counts[UNCHANGED]))
    return redirect(flow.back())


def _imported(file_name: str, created: int, updated: int, unchanged: int) -> str:
    return _("Imported %(file)s: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.") % {
        "file": file_name,
        "created": created,
        "updated": updated,
        "unchanged": unchanged,
    }


def _apply_job(
    request: AuthenticatedHttpRequest, flow: ImportFlow, pending: PendingImport, digest: str
) -> HttpResponse:
    """A long file's application, by a job: started once, whoever clicks twice."""
    from mission.imports.tasks import import_apply_job

    started = PendingImport.objects.filter(pk=pending.pk, state=ImportState.CHECKED).update(
        state=ImportState.APPLYING, done=0
    )
    if started:
        language = get_language()
        transaction.on_commit(lambda: import_apply_job.delay(pending.pk, digest, language))
    return redirect(flow.url("import_job", pending.pk))


def job_page(request: AuthenticatedHttpRequest, flow: ImportFlow, pk: int) -> HttpResponse:
    """A long file's progress, then its dry run, then what came of it."""
    _require(request, flow)
    pending = _pending(request, flow, pk)
    outcome = json.loads(pending.outcome or "{}")
    if pending.state == ImportState.READ:
        return _dry_run(request, flow, pending, _plan_again(request, flow, pending))
    plan = _kept_plan(pending)
    if pending.state == ImportState.CHECKED and plan is not None:
        if outcome.get("kind") == "changed":
            messages.warning(request, str(PlanChangedError(plan).message))
        elif outcome.get("kind") == "not_applied":
            messages.error(request, NOT_APPLIED)
        return _dry_run(request, flow, pending, plan)
    if pending.state == ImportState.APPLIED:
        counts = [outcome.get(n, 0) for n in ("created", "updated", "unchanged")]
        said = _imported(pending.file_name, *counts)
        return render(request, "imports/job.html", _context(request, flow, pending=pending, said=said))
    working = pending.state in (ImportState.CHECKING, ImportState.APPLYING)
    applying = pending.state == ImportState.APPLYING  # its rows are written in one transaction: no count
    context = _context(request, flow, pending=pending, working=working, applying=applying, percent=_percent(pending))
    return render(request, "imports/job.html", context)


def _percent(pending: PendingImport) -> int:
    return min(100, 100 * pending.done // pending.total) if pending.total else 0


def errors_file(request: AuthenticatedHttpRequest, flow: ImportFlow, pk: int) -> HttpResponse:
    """The refused rows of a dry run, with what is wrong with each: to fix and upload again."""
    _require(request, flow)
    pending = _pending(request, flow, pk)
    plan = _kept_plan(pending) or _plan_again(request, flow, pending)
    header, rows = error_rows(flow.spec, plan)
    return _csv_response(f"{flow.file_stem}-errors.csv", header, rows)


def export(request: AuthenticatedHttpRequest, flow: ImportFlow) -> HttpResponse:
    """The rows the user may import, in the import's format: edit them in a spreadsheet, import back."""
    _require(request, flow)
    if flow.export_rows is None:
        raise Http404
    model: Any = flow.spec.get_model()
    fields = [model._meta.get_field(name) for name in flow.spec.columns]
    related = [f.name for f in fields if f.is_relation and not f.many_to_many]
    rows = list(
        flow.export_rows(request.user).select_related(*related).prefetch_related(*flow.spec.many()).order_by("pk")
    )
    if set(restricted_fields(model)) & set(flow.spec.columns):  # names leave the portal: a logged read
        access_record_many(actor=request.user, objs=rows, path=request.path)
    lines = ([neutralise(export_cell(row, f)) for f in fields] for row in rows)
    return _csv_response(f"{flow.file_stem}.csv", list(flow.spec.columns), lines)


def _csv_response(name: str, header: list[str], rows: Any) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response.write("\ufeff")  # Excel reads UTF-8 with its mark
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response


def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The imports the user may make, each with its columns and its export."""
    mine = [flow for flow in targets() if flow.may_import(request.user)]
    if not mine:
        raise PermissionDenied
    listed = [(flow, flow.url("import"), flow.url("export")) for flow in mine]
    return render(request, "imports/index.html", {"flows": listed})


def only_get_post(view: Any) -> Any:
    def guarded(request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in ("GET", "POST"):
            return HttpResponseNotAllowed(["GET", "POST"])
        return view(request, *args, **kwargs)  # type: ignore[no-any-return]

    return guarded


def family_urlpatterns(name: str, base: str) -> list[URLPattern]:
    """The import pages of each parent of the family `name`, under `base` ("<name>/<int:parent>/")."""

    def page(view: Any) -> Any:
        def bound(request: AuthenticatedHttpRequest, parent: int, **kwargs: Any) -> HttpResponse:
            try:
                flow = flow_of(f"{name}:{parent}")
            except KeyError:
                raise Http404 from None
            return view(request, flow, **kwargs)  # type: ignore[no-any-return]

        return bound

    return [
        path(base, only_get_post(page(upload_page)), name=f"{name}_import"),
        path(f"{base}<int:pk>/", page(job_page), name=f"{name}_import_job"),
        path(f"{base}<int:pk>/errors/", page(errors_file), name=f"{name}_import_errors"),
        path(f"{base}export/", page(export), name=f"{name}_export"),
    ]


def flow_urlpatterns(key: str, base: str) -> list[URLPattern]:
    """The import pages of the flow `key` under `base` ("women-in-police/import/"): the upload, the
    job, the refused rows (and the export, if the flow has one), named with the flow's prefix."""
    flow = flow_of(key)

    def page(view: Any) -> Any:
        def bound(request: AuthenticatedHttpRequest, **kwargs: Any) -> HttpResponse:
            return view(request, flow_of(key), **kwargs)  # type: ignore[no-any-return]

        return bound

    patterns = [
        path(base, only_get_post(page(upload_page)), name=f"{flow.prefix}import"),
        path(f"{base}<int:pk>/", page(job_page), name=f"{flow.prefix}import_job"),
        path(f"{base}<int:pk>/errors/", page(errors_file), name=f"{flow.prefix}import_errors"),
    ]
    if flow.export_rows is not None:
        patterns.append(path(f"{base}export/", page(export), name=f"{flow.prefix}export"))
    return patterns
