"""How departments plug into the dashboards without the framework knowing them.

A department app subclasses `DepartmentDashboards` and names it on its `DepartmentConfig`
(`dashboards = "rights.dashboards.RightsDashboards"`), whose `ready()` registers an instance:

    registry.register(RightsDashboards())

The mission overview asks every registered department the user reads for its key figures, its
activity by region and municipality, and what needs attention; the municipality page asks for a
panel. A department declares the summary tables it keeps (`summaries`, registered with
`register_summary`) and marks what its services change; the framework brings the changed parts up to
date (Celery beat every minute, or on reading when tasks run in-process), rebuilds everything at night
and with `manage.py refresh_dashboards`, and says on every page how fresh the figures are.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django_stubs_ext import StrOrPromise

from mission.accounts.permissions import AnyUser, Capability, has_capability, reads_department

if TYPE_CHECKING:
    from field_offices.models import Municipality
    from mission.accounts.models import User
    from mission.dashboards.filters import Filters
    from mission.dashboards.summaries import Changes, Marked, SummaryTable


@dataclass
class Activity:
    """A department's activity in a period: the measure's name, and counts by region id and by
    municipality code."""

    label: StrOrPromise
    by_region: dict[int, int] = field(default_factory=dict)
    by_municipality: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class AttentionItem:
    label: StrOrPromise
    count: int | None  # None: too few to say (a record type whose counts are sensitive)
    url: str


@dataclass
class Overview:
    figures: list[Any] = field(default_factory=list)  # charts.Figure
    activity: Activity | None = None
    attention: list[AttentionItem] = field(default_factory=list)


class DepartmentDashboards:
    """What a department contributes. Every method gets the user and must scope what it reads."""

    department: str = ""
    label: StrOrPromise = ""
    url_name: str = ""  # the department's own dashboard, if it has one
    summaries: tuple[str, ...] = ()  # the summaries its figures come from
    # True when `overview()` reads its summaries and nothing else (figures and activity), and what needs
    # attention, live, comes from `attention()`: the overview then keeps its rendered figures until
    # the summaries change (mission/dashboards/fragments.py). False: `overview()` gives all three.
    overview_from_summaries: bool = False

    def overview(self, user: "User", filters: "Filters") -> Overview:
        return Overview()

    def attention(self, user: "User", filters: "Filters") -> list[AttentionItem]:
        """What needs attention now, for a department whose overview reads summaries alone."""
        return []

    def municipality_panel(
        self, user: "User", municipality: "Municipality", filters: "Filters"
    ) -> tuple[str, dict[str, Any]] | None:
        """A template and its context for the municipality page, or None."""
        return None


# A share of a live count (`mission.dashboards.counters`): the count's name, the department, the region
# id, the owner id (None: not kept by owner).
Key = tuple[str, str, int | None, int | None]
Shares = Mapping[Key, int]


@dataclass(frozen=True)
class LiveCounts:
    """A department's live counts (`mission.dashboards.counters`): their names, and `shares(None)`,
    every share counted from the records (usually `lazy(...)`; the department's services call it with
    narrower arguments of their own)."""

    names: tuple[str, ...]
    shares: Callable[[None], Shares]


@dataclass(frozen=True)
class Summary:
    """A department's summary tables under one name: `tables` (usually `lazy(...)`, as the models are
    not ready when `apps.py` is read) returns its `SummaryTable`s in the order they are filled. Its
    services mark what they change (`mission.dashboards.services.summaries_mark`), and the framework
    rebuilds only those parts every minute, and everything at night.

    `live_counts` are the department's counts of what waits now (`mission.dashboards.counters`): kept
    by its services, merged by the refresh every minute and counted again by the full rebuild."""

    name: str
    tables: Callable[[], "Sequence[SummaryTable]"]
    live_counts: LiveCounts | None = None

    def refresh(self, changes: "Changes | Marked | None" = None) -> int:
        """Rebuild the tables (only the changed parts, with `changes`, each table for the topics it
        reads); returns the rows written."""
        from mission.dashboards.summaries import summary_tables_rebuild

        return summary_tables_rebuild(self.tables(), changes)


_departments: list[DepartmentDashboards] = []
_summaries: dict[str, Summary] = {}


def register(dashboards: DepartmentDashboards) -> None:
    """Once per department app: registering the same dashboards again (a second `ready()`) changes nothing."""
    key = (type(dashboards), dashboards.label)
    if all((type(d), d.label) != key for d in _departments):
        _departments.append(dashboards)


def register_summary(summary: Summary) -> None:
    _summaries[summary.name] = summary


def summaries() -> dict[str, Summary]:
    return dict(_summaries)


def departments_for(user: AnyUser) -> list[DepartmentDashboards]:
    """The departments whose figures this user may read on dashboards."""
    if not has_capability(user, Capability.DASHBOARDS):
        return []
    return [d for d in _departments if reads_department(user, d.department)]


def departments_reading(user: AnyUser) -> list[DepartmentDashboards]:
    """The departments whose records this user reads (the municipality page shows their panels)."""
    return [d for d in _departments if reads_department(user, d.department)]
