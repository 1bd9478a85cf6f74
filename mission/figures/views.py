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
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _

from mission.accounts.http import AuthenticatedHttpRequest
from mission.accounts.permissions import reads_department
from mission.concurrency import lock_version
from mission.exports.formulas import neutralise
from mission.figures.declaration import FigureTable
from mission.filtersets import FilterSet
from mission.forms import VersionField, submission_token, use_fast_widgets
from mission.imports.services import export_cell
from mission.imports.views import flow_urlpatterns, only_get_post
from mission.pages import already_saved, form_saved, get_or_404, list_context
from mission.records.cells import cells_of, columns_of


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
    return type(f"{table.get_model().__name__}Filter", (FilterSet,), {"Meta": meta})


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
        return self.table.may_maintain(request.user, self.department)

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
            writer.writerow([neutralise(export_cell(row, f)) for f in fields])  # the import reads it back unquoted
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

    def urlpatterns(self) -> list[URLPattern]:
        base, name = self.table.path, self.table.url_name

        return [
            path(f"{base}/", self.list_page, name=name("list")),
            path(f"{base}/export/", self.export, name=name("export")),
            path(f"{base}/new/", only_get_post(self.create), name=name("create")),
            path(f"{base}/<int:pk>/edit/", only_get_post(self.edit), name=name("edit")),
            path(f"{base}/<int:pk>/delete/", only_get_post(self.delete), name=name("delete")),
            *flow_urlpatterns(self.table.flow_key(self.namespace), f"{base}/import/"),
        ]
