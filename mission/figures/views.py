"""The pages of a table of figures: the list (filters, pages, CSV), a row's form, its deletion after a
confirmation, and the import (upload, dry run, apply, the refused rows as a file).
`FigurePages(table, namespace, department)` makes them. The department's staff read them; its
supervisors and head (who follow up) write them."""

from __future__ import annotations

import csv
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mission.accounts.http import AuthenticatedHttpRequest
from mission.accounts.permissions import Capability, has_capability, reads_department
from mission.concurrency import lock_version
from mission.exports.formulas import neutralise
from mission.figures.declaration import FigureTable
from mission.forms import VersionField, submission_token, use_fast_widgets
from mission.imports.models import PendingImport
from mission.imports.services import (
    CREATE,
    ERROR,
    UNCHANGED,
    UPDATE,
    ImportPlan,
    PlanChangedError,
    Refusal,
    UnreadableFileError,
    error_rows,
    import_apply,
    import_keep,
    import_pending,
    import_plan,
    import_table,
    read_table,
)
from mission.pages import already_saved, form_saved, get_or_404, list_context
from mission.records.cells import cells_of, columns_of
from mission.records.summary import record_summary_mark_items


class FigureForm(forms.ModelForm):  # type: ignore[type-arg]
    version = VersionField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        use_fast_widgets(self)


@functools.cache
def form_class(table: FigureTable) -> type[FigureForm]:
    meta = type("Meta", (), {"model": table.get_model(), "fields": list(table.columns)})
    return type(f"{table.get_model().__name__}Form", (FigureForm,), {"Meta": meta})


@functools.cache
def filterset_class(table: FigureTable) -> type[django_filters.FilterSet]:
    meta = type("Meta", (), {"model": table.get_model(), "fields": list(table.key)})
    return type(f"{table.get_model().__name__}Filter", (django_filters.FilterSet,), {"Meta": meta})


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("CSV (UTF-8) or Excel (.xlsx), with the columns of the list's CSV export."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )


class ConfirmForm(forms.Form):
    pending = forms.IntegerField(widget=forms.HiddenInput)
    digest = forms.CharField(widget=forms.HiddenInput, max_length=64)


@dataclass(frozen=True)
class FigurePages:
    table: FigureTable
    namespace: str
    department: str

    @property
    def model(self) -> Any:
        return self.table.get_model()

    def url(self, page: str, *args: object) -> str:
        return reverse(f"{self.namespace}:{self.table.url_name(page)}", args=args)

    def may_maintain(self, request: AuthenticatedHttpRequest) -> bool:
        return has_capability(request.user, Capability.FOLLOW_UP) and reads_department(request.user, self.department)

    def require_reader(self, request: AuthenticatedHttpRequest) -> None:
        if not reads_department(request.user, self.department):
            raise PermissionDenied

    def require_maintainer(self, request: AuthenticatedHttpRequest) -> None:
        self.require_reader(request)
        if not self.may_maintain(request):
            raise PermissionDenied

    def own_region(self, request: AuthenticatedHttpRequest) -> int | None:
        """The region whose rows a regional maintainer keeps (None: every region's)."""
        return request.user.region_id if self.table.region else None

    def writable(self, request: AuthenticatedHttpRequest) -> Any:
        """The rows the maintainer may change: their region's, or all."""
        rows = self.model._default_manager.all()
        region = self.own_region(request)
        return rows if region is None else rows.filter(**{f"{self.table.region}_id": region})

    def refusal(self, request: AuthenticatedHttpRequest) -> Refusal:
        """An imported row out of the maintainer's region, refused on its region's cell."""
        region, field = self.own_region(request), self.table.region

        def refuse(row: Any) -> dict[str, str]:
            if region is None or field is None or getattr(row, f"{field}_id") == region:
                return {}
            return {field: _("You keep the figures of your own region only.")}

        return refuse

    def context(self, request: AuthenticatedHttpRequest, **extra: Any) -> dict[str, Any]:
        meta = self.model._meta
        pages = ("list", "create", "edit", "delete", "export", "import")
        return {
            "label": meta.verbose_name,
            "label_plural": meta.verbose_name_plural,
            "names": {page: f"{self.namespace}:{self.table.url_name(page)}" for page in pages},
            "may_maintain": self.may_maintain(request),
            **extra,
        }

    def _rows(self, request: AuthenticatedHttpRequest) -> Any:
        related = [n for n in self.table.key if self.model._meta.get_field(n).is_relation]
        ordering = [*(self.model._meta.ordering or []), "pk"]
        queryset = self.model._default_manager.select_related(*related).order_by(*ordering)
        return filterset_class(self.table)(request.GET or None, queryset=queryset)

    # --- The list and its CSV ------------------------------------------------------------------------
    def list_page(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        self.require_reader(request)
        filterset = self._rows(request)
        context = list_context(request, filterset, filterset.qs)
        columns = columns_of(self.model, self.table.columns)
        region, field = self.own_region(request), self.table.region
        rows = [
            (row, cells_of(row, columns, readable=False), region is None or getattr(row, f"{field}_id") == region)
            for row in context["page"].object_list
        ]
        return render(request, "figures/list.html", self.context(request, columns=columns, rows=rows, **context))

    def export(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        """The rows the filters keep, as codes (a reference row's code, a choice's): the import's format,
        to edit in a spreadsheet and import back."""
        self.require_reader(request)
        filterset = self._rows(request)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.table.path}.csv"'
        response.write("\ufeff")  # Excel reads UTF-8 with its mark
        writer = csv.writer(response)
        writer.writerow(self.table.columns)
        fields = [self.model._meta.get_field(n) for n in self.table.columns]
        for row in filterset.qs.iterator(chunk_size=2000):
            writer.writerow([neutralise(_code(row, f)) for f in fields])  # the import reads it back unquoted
        return response

    # --- A row ---------------------------------------------------------------------------------------
    def create(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        self.require_maintainer(request)
        if done := already_saved(request, f"{self.table.name}:new"):
            return done
        return self._form(request, None)

    def edit(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        self.require_maintainer(request)
        row = get_or_404(lambda: self.writable(request).get(pk=pk))
        if done := already_saved(request, f"{self.table.name}:{row.pk}"):
            return done
        return self._form(request, row)

    def _form(self, request: AuthenticatedHttpRequest, row: Any) -> HttpResponse:
        initial = {"version": row.version} if row is not None else None
        form = form_class(self.table)(request.POST or None, instance=row, initial=initial)
        region = self.own_region(request)
        if region is not None and self.table.region in form.fields:
            choices: Any = form.fields[self.table.region]
            choices.queryset = choices.queryset.filter(pk=region)
        conflict = None
        draft_key = f"{self.table.name}:{row.pk if row else 'new'}"
        if request.method == "POST" and form.is_valid():
            done, conflict = form_saved(
                request,
                form,
                self._saver(request, form, row),
                creating=row is None,
                draft_key=draft_key,
                fallback=self.url("list"),
            )
            if done:
                return done
        context = self.context(
            request,
            form=form,
            item=row,
            conflict=conflict,
            submission_token=submission_token(request),
            draft_key=draft_key,
            draft_version=conflict.current_version if conflict else (row.version if row else 0),
            cancel_url=self.url("list"),
        )
        return render(request, "trackers/form.html", context)

    def _saver(self, request: AuthenticatedHttpRequest, form: FigureForm, row: Any) -> Callable[[], tuple[str, str]]:
        def save() -> tuple[str, str]:
            with transaction.atomic():
                instance = form.save(commit=False)
                if row is not None:
                    lock_version(instance, expected_version=form.cleaned_data["version"])
                instance._history_user = request.user
                try:
                    with transaction.atomic():
                        instance.save()
                except IntegrityError:  # someone saved a row with this key meanwhile
                    instance.validate_constraints()
                    raise
            return self.url("list"), _("Saved.")

        return save

    def delete(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        """A confirmation page; the post deletes (the row's history keeps it)."""
        self.require_maintainer(request)
        row = get_or_404(lambda: self.writable(request).get(pk=pk))
        if request.method == "POST":
            row._history_user = request.user
            row.delete()
            messages.success(request, _("Deleted: %(row)s.") % {"row": row})
            return redirect(self.url("list"))
        return render(request, "figures/delete.html", self.context(request, item=row, cancel_url=self.url("list")))

    # --- The import ----------------------------------------------------------------------------------
    def import_page(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        """Upload → the dry run (what each row would do) → confirm → applied, all rows or none."""
        self.require_maintainer(request)
        spec = self.table.import_spec()
        upload = UploadForm()
        if request.method == "POST" and "digest" in request.POST:
            return self._apply(request)
        if request.method == "POST":
            upload = UploadForm(request.POST, request.FILES)
            if upload.is_valid():
                file = upload.cleaned_data["file"]
                try:
                    table = read_table(file)
                except UnreadableFileError as error:
                    upload.add_error("file", error.message)
                else:
                    pending = import_keep(table, user=request.user, spec=spec, file_name=file.name)
                    return self._dry_run(request, pending, import_plan(spec, table, refuse=self.refusal(request)))
        return render(request, "figures/import.html", self.context(request, upload=upload, columns=spec.columns))

    def _dry_run(self, request: AuthenticatedHttpRequest, pending: PendingImport, plan: ImportPlan) -> HttpResponse:
        counts = plan.counts()
        confirm = ConfirmForm(initial={"pending": pending.pk, "digest": plan.digest()})
        context = self.context(
            request,
            plan=plan,
            pending=pending,
            confirm=confirm,
            counts=[
                (_("To create"), counts[CREATE]),
                (_("To update"), counts[UPDATE]),
                (_("Unchanged"), counts[UNCHANGED]),
                (_("Refused"), counts[ERROR]),
            ],
            shown=[
                (row, [(row.cells.get(name, ""), name in row.errors) for name in plan.columns])
                for row in plan.rows
                if row.action != UNCHANGED
            ],
            errors_url=self.url("import_errors", pending.pk) if counts[ERROR] else "",
        )
        return render(request, "figures/dry_run.html", context)

    def _pending(self, request: AuthenticatedHttpRequest, pk: int) -> PendingImport:
        found: PendingImport = get_or_404(lambda: import_pending(pk, user=request.user, spec=self.table.import_spec()))
        return found

    def _apply(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        confirm = ConfirmForm(request.POST)
        if not confirm.is_valid():
            messages.error(request, _("That import is no longer waiting: upload the file again."))
            return redirect(self.url("import"))
        pending = self._pending(request, confirm.cleaned_data["pending"])
        spec = self.table.import_spec()
        try:
            counts = import_apply(
                spec, pending, actor=request.user, expected=confirm.cleaned_data["digest"], refuse=self.refusal(request)
            )
        except PlanChangedError as changed:
            messages.warning(request, changed.message)
            return self._dry_run(request, pending, changed.plan)
        except (UnreadableFileError, ValidationError, IntegrityError):
            messages.error(request, _("Nothing was imported: the data changed meanwhile. Check the dry run again."))
            plan = import_plan(spec, import_table(pending), refuse=self.refusal(request))
            return self._dry_run(request, pending, plan)
        record_summary_mark_items(self.model)  # the rows were written at once, without their signals
        messages.success(
            request,
            _("Imported %(file)s: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
            % {
                "file": pending.file_name,
                "created": counts[CREATE],
                "updated": counts[UPDATE],
                "unchanged": counts[UNCHANGED],
            },
        )
        return redirect(self.url("list"))

    def import_errors(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        """The refused rows of a dry run, with what is wrong with each: to fix and upload again."""
        self.require_maintainer(request)
        pending = self._pending(request, pk)
        header, rows = error_rows(
            self.table.import_spec(), import_plan(self.table.import_spec(), import_table(pending))
        )
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.table.path}-errors.csv"'
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow(header)
        writer.writerows(rows)
        return response

    def urlpatterns(self) -> list[URLPattern]:
        base, name = self.table.path, self.table.url_name

        def only_get_post(view: Any) -> Any:
            def guarded(request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
                if request.method not in ("GET", "POST"):
                    return HttpResponseNotAllowed(["GET", "POST"])
                return view(request, *args, **kwargs)  # type: ignore[no-any-return]

            return guarded

        return [
            path(f"{base}/", self.list_page, name=name("list")),
            path(f"{base}/export/", self.export, name=name("export")),
            path(f"{base}/new/", only_get_post(self.create), name=name("create")),
            path(f"{base}/<int:pk>/edit/", only_get_post(self.edit), name=name("edit")),
            path(f"{base}/<int:pk>/delete/", only_get_post(self.delete), name=name("delete")),
            path(f"{base}/import/", only_get_post(self.import_page), name=name("import")),
            path(f"{base}/import/<int:pk>/errors/", self.import_errors, name=name("import_errors")),
        ]


def _code(row: Any, field: Any) -> object:
    """A cell of the export: a reference row by its code, a choice by its code, else the value."""
    if field.is_relation:
        related = getattr(row, field.name)
        return getattr(related, "code", getattr(related, "pk", "")) if related is not None else ""
    value = getattr(row, field.attname)
    return "" if value is None else value
