"""Report types, declared by the departments (`reports` on their DepartmentConfig, whose `ready()` does

    registry.register(ReportType(key="trial_monitoring", department=Department.RIGHTS, ...))

for each).

The framework freezes the parameters, runs `build` on a Celery worker (or in-process on the
embedded default), and keeps the file; a report type only writes its file and says how far it got.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models.expressions import Combinable
from django_stubs_ext import StrOrPromise

from mission.accounts.permissions import AnyUser, Capability, has_capability, reads_department
from mission.dashboards.periods import Period

if TYPE_CHECKING:  # the models are not loaded yet when departments register their report types
    from field_offices.models import Region
    from mission.accounts.models import User
    from mission.dashboards.filters import Filters
    from mission.reports.models import ReportJob


class ReportError(Exception):
    """A report cannot be made as asked; the message is shown to the person who asked."""


@dataclass
class ReportContext:
    """What a report type's `build` receives."""

    job: "ReportJob"
    user: "User | None"  # who asked (None for scheduled reports)
    parameters: dict[str, Any]
    output: Path  # write the file here
    progress: Callable[[float, str], None]  # (fraction done 0..1, what is happening now)
    includes_restricted: bool

    def discloses(self, records: Iterable[models.Model], label: Combinable | None = None) -> None:
        """Say which records' restricted values (names) the file holds: each download of the file is
        then logged as a view of each of them (call it once, when `includes_restricted`). Give the
        records as a queryset and `label` as the database's version of their `str()` to record them in
        one statement."""
        from mission.audit.services import disclosure_replace

        disclosure_replace(holder=self.job, objs=records, label=label)

    def regions(self) -> "list[Region]":
        """The regions the report covers: the one asked for, or every region; never one outside the
        requester's scope. None at all is the requester's mistake, said in words."""
        from django.utils.translation import gettext as _

        from field_offices.models import Region
        from mission.accounts.permissions import scope_for

        code = self.parameters.get("region") or ""
        regions = Region.objects.order_by("code")
        if code:
            regions = regions.filter(code=code)
        if self.user is not None:
            scope = scope_for(self.user)
            if scope.region_ids is not None:
                regions = regions.filter(pk__in=scope.region_ids)
        found = list(regions)
        if not found:
            raise ReportError(_("There is no region in your scope to report on."))
        return found

    def filters(self, regions: "list[Region]", region: "Region | None" = None) -> "Filters":
        """The dashboard filters a report's figures are counted with: one `region`, or all of
        `regions` (`regions()`), which is the whole mission when none was asked for and the requester
        reads every region."""
        from mission.accounts.permissions import scope_for
        from mission.dashboards.filters import Filters

        if region is not None:
            return Filters(period=self.period, region=region, region_ids=frozenset({region.pk}), regions=[region])
        asked = bool(self.parameters.get("region") or "")
        whole = not asked and (self.user is None or scope_for(self.user).region_ids is None)
        ids = None if whole else frozenset(r.pk for r in regions)
        return Filters(
            period=self.period, region=regions[0] if len(regions) == 1 else None, region_ids=ids, regions=regions
        )

    def in_scope(self, queryset: Any) -> Any:
        """Live records for the report: the requester's scope, or everything for a scheduled report
        (which its builder limits to `regions()`)."""
        return queryset.visible_to(self.user) if self.user is not None else queryset.all()

    @property
    def period(self) -> Period:
        first = datetime.date.fromisoformat(self.parameters["from"] + "-01")
        last = datetime.date.fromisoformat(self.parameters["to"] + "-01")
        return Period(first, last)


@dataclass(frozen=True)
class ReportType:
    key: str
    label: StrOrPromise
    department: str
    formats: tuple[str, ...]
    description: StrOrPromise
    build: Callable[[ReportContext], str]  # returns the file name to offer, e.g. "report.pdf"
    # Whether the report holds names when the requester may see them (then only such people may download it).
    may_include_restricted: bool = False
    monthly: bool = False  # Celery beat makes one per region each month


_types: dict[str, ReportType] = {}


def register(report_type: ReportType) -> None:
    _types[report_type.key] = report_type


def get(key: str) -> ReportType | None:
    return _types.get(key)


def all_types() -> list[ReportType]:
    return list(_types.values())


def types_for(user: AnyUser) -> list[ReportType]:
    if not has_capability(user, Capability.REPORTS):
        return []
    return [t for t in _types.values() if reads_department(user, t.department)]
