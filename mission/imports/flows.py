"""Who may import what, and what each import checks beside the model's rules: one `ImportFlow` per
kind of file, found by its key (a pending import and a job name theirs, so a worker needs no URLconf).

Two kinds of declaration make flows:

- a table of figures (`mission.figures`) has its import on its own pages;
- an `ImportTarget`, declared by a department (`DepartmentConfig.imports`) or a base app
  (`field_offices`), has its pages under `/imports/` with its export for the round trip:

      ImportTarget(
          name="court-schedule",
          spec=ImportSpec("rights.PlannedHearing", key=("court", "case_number", "date", "start"), ...),
          may_import="rights.imports.may_import_schedule",  # (user) -> bool
          refusal="rights.imports.schedule_refusal",  # (user) -> Refusal: a row the user may not write
          prepare="rights.imports.schedule_preparer",  # (user) -> Preparer: fills what the file leaves
          export_rows="rights.imports.schedule_rows",  # (user) -> the rows the export writes
      )
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.module_loading import import_string
from django_stubs_ext import StrOrPromise

from mission.imports.spec import ImportSpec, Preparer, Refusal, Rules, Writer


@dataclass(frozen=True)
class ImportFlow:
    key: str  # unique: "figures:public_safety.policestafffigure", "court-schedule"
    spec: ImportSpec
    may_import: Callable[[Any], bool]
    namespace: str  # the URL names of its pages: "<namespace>:<prefix>import", ...
    prefix: str
    back: Callable[[], str]  # the URL of the list of its rows
    refusal: Callable[[Any], Refusal | None] | None = None
    preparer: Callable[[Any], Preparer | None] | None = None
    export_rows: Callable[[Any], QuerySet[Any]] | None = None  # None: the list has its own export
    description: StrOrPromise = ""
    writer: Callable[[Any], Writer] | None = None  # None: the rows are written at once, in bulk
    rows: Callable[[], QuerySet[Any]] | None = None  # the rows a file may update (`Rules.rows`)
    # A flow of one parent row (a record's participants): its URLs take the parent's key first, and a
    # user who may not see the parent finds nothing there (404), not a refusal.
    url_args: tuple[object, ...] = ()
    exists_for: Callable[[Any], bool] | None = None
    file_name: str = ""  # the stem of its files' names (the export, the refused rows); default: the key

    @property
    def file_stem(self) -> str:
        return self.file_name or self.key.replace(":", "-")

    def url(self, page: str, *args: object) -> str:
        return reverse(f"{self.namespace}:{self.prefix}{page}", args=(*self.url_args, *args))

    def rules_for(self, user: Any) -> Rules:
        """What the user's file is checked and written with."""
        return Rules(
            refuse=self.refusal(user) if self.refusal is not None else None,
            prepare=self.preparer(user) if self.preparer is not None else None,
            write=self.writer(user) if self.writer is not None else None,
            rows=self.rows,
        )

    @property
    def label_plural(self) -> StrOrPromise:
        plural = self.spec.get_model()._meta.verbose_name_plural
        return plural or self.spec.model


def _named(path: str | None) -> Any:
    if path is None:
        return None

    def call(*args: Any) -> Any:
        return import_string(path)(*args)

    return call


@dataclass(frozen=True)
class ImportTarget:
    """A kind of file anyone allowed imports from `/imports/`: see the module's docstring."""

    name: str  # the URL segment, and the flow's key
    spec: ImportSpec
    may_import: str  # dotted paths of functions, imported when first called
    description: StrOrPromise = ""
    refusal: str | None = None
    prepare: str | None = None
    export_rows: str | None = None  # default: every row of the model
    list_url: str | None = None  # the URL name of the rows' own list, if they have one

    def flow(self) -> ImportFlow:
        def back() -> str:
            return reverse(self.list_url) if self.list_url else reverse("imports:index")

        def every_row(user: Any) -> QuerySet[Any]:
            rows: QuerySet[Any] = self.spec.get_model()._default_manager.all()
            return rows

        return ImportFlow(
            key=self.name,
            spec=self.spec,
            may_import=_named(self.may_import),
            namespace="imports",
            prefix=f"{self.name}_",
            back=back,
            refusal=_named(self.refusal),
            preparer=_named(self.prepare),
            export_rows=_named(self.export_rows) or every_row,
            description=self.description,
        )


def administers(user: Any) -> bool:
    """Reference data is the administrators' to keep."""
    from mission.accounts.permissions import Capability, has_capability

    return has_capability(user, Capability.ADMINISTER)


_flows: dict[str, ImportFlow] = {}
# Flows of one parent row each, by name: the function makes the flow of the parent of that key (its
# flow's key is "<name>:<key>"), raising ObjectDoesNotExist for a parent that is not there.
_families: dict[str, Callable[[int], ImportFlow]] = {}
_listed: list[str] = []  # the keys of the flows under /imports/, in the order they were declared
_targets: dict[str, ImportTarget] = {}


def register(flow: ImportFlow, *, listed: bool = False) -> None:
    """`listed`: its pages are under /imports/<key>/ (else its own pages mount them: a table of figures)."""
    _flows[flow.key] = flow
    if listed and flow.key not in _listed:
        _listed.append(flow.key)


def register_target(target: ImportTarget) -> None:
    if target.name in _targets and _targets[target.name] != target:
        raise ValueError(f"two imports are named {target.name!r}")
    _targets[target.name] = target
    register(target.flow(), listed=True)


def register_family(name: str, make: Callable[[int], ImportFlow]) -> None:
    _families[name] = make


def families() -> list[str]:
    return list(_families)


def flow_of(key: str) -> ImportFlow:
    """KeyError when nothing declares it (any longer), or its parent is not there."""
    from django.core.exceptions import ObjectDoesNotExist

    if key in _flows:
        return _flows[key]
    name, _sep, parent = key.partition(":")
    if name not in _families or not parent.isdigit():
        raise KeyError(key)
    try:
        return _families[name](int(parent))
    except ObjectDoesNotExist:
        raise KeyError(key) from None


def targets() -> list[ImportFlow]:
    """The flows of `/imports/`, in the order they were declared."""
    return [_flows[key] for key in _listed]
