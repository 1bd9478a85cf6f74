"""Reads of trial monitoring. Every one starts from `visible_to(user)`."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias, TypedDict

from django.db.models import Case as Case_
from django.db.models import CharField, Count, Exists, OuterRef, Prefetch, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from mission.accounts.models import User
from mission.accounts.permissions import Capability, has_capability, scope_covers
from mission.accounts.roles import FIELD_ROLES, Department
from mission.accounts.selectors import colleagues
from mission.common import language_suffix
from mission.expressions import ValuesOf
from mission.kept_pages import attach, grouped, kept_rows, reader_key
from mission.review import selectors as review
from rights.filters import CaseFilter, HearingFilter, ObservationFilter, PlanFilter, ReviewQueueFilter
from rights.models import (
    Case,
    Court,
    Flag,
    FlagStatus,
    Hearing,
    Intervention,
    Observation,
    Party,
    PlanAssignment,
    PlannedHearing,
    PlanStatus,
    StandardRating,
)


def _count(model, **filters):
    return Coalesce(
        Subquery(
            model.objects.filter(**filters).order_by().values(*filters.keys()).annotate(n=Count("pk")).values("n")[:1]
        ),
        0,
    )


class CaseCounts(TypedDict):
    hearing_count: int
    open_flags: int


# A case of `case_list`: with its counts of hearings and open flags.
if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    ListedCase: TypeAlias = WithAnnotations[Case, CaseCounts]
else:  # the alias cannot be subscripted so at run time
    ListedCase = Case


# A list's selector comes in two forms: `<list>_rows` gives the filter set and a function that builds
# the filtered queryset with what each row shows, which a list page calls only when its first page's
# statement is not kept (`mission.pages.list_context`); `<list>` gives the queryset (exports, reports).
Rows: TypeAlias = "Callable[[], QuerySet[Any]]"


def case_list_rows(*, user, data=None) -> tuple[CaseFilter, Rows]:
    filterset = CaseFilter(data or None, queryset=Case.objects.visible_to(user))

    def build() -> QuerySet[ListedCase]:
        return filterset.qs.select_related("court", "municipality").annotate(  # each join costs planning
            hearing_count=_count(Hearing, case=OuterRef("pk")),
            open_flags=_count(Flag, case=OuterRef("pk"), status=FlagStatus.OPEN),
        )

    return filterset, build


def case_list(*, user, data=None) -> tuple[CaseFilter, QuerySet[ListedCase]]:
    filterset, build = case_list_rows(user=user, data=data)
    return filterset, build()


# What the case page shows of its hearings, their observations and its flags
# (templates/jinja2/rights/case_detail.html, case_flags.html), and nothing else: not a monitor's password
# hash or last sign-in, which would also make the kept body again each time one signs in.
CASE_HEARING_FIELDS = (
    "case", "date", "scheduled_start", "hearing_type", "session_number", "held", "adjournment_reason",
    "recorded", "public",
)  # fmt: skip
CASE_OBSERVATION_FIELDS = (
    "hearing", "status", "monitor", "monitor__username", "monitor__first_name", "monitor__last_name",
)  # fmt: skip
CASE_FLAG_FIELDS = ("case", "hearing", "rule", "status", "hearing__date")


def case_detail(*, user, pk: int) -> Case:
    """One case with its parties, hearings (with observations) and flags (each with `intervention_count`):
    five statements kept for every case (`mission.kept_pages.kept_rows`), the case's in the reader's scope."""
    found = kept_rows(
        Case,
        ("rights.case_detail", reader_key(user)),
        lambda key: Case.objects.visible_to(user).select_related("court", "municipality__region").filter(pk=key),
        pk,
    )
    if not found:
        raise Case.DoesNotExist
    case = found[0]
    parties = kept_rows(
        Party,
        "rights.case_detail.parties",
        lambda key: Party.objects.select_related("community").filter(case=key).order_by("role", "ordinal"),
        pk,
    )
    hearings = kept_rows(
        Hearing,
        "rights.case_detail.hearings",
        lambda key: Hearing.objects.filter(case=key).order_by("-date", "-scheduled_start").only(*CASE_HEARING_FIELDS),
        pk,
    )
    observations = kept_rows(
        Observation,
        "rights.case_detail.observations",
        lambda key: (
            Observation.objects.select_related("monitor").filter(hearing__case=key).only(*CASE_OBSERVATION_FIELDS)
        ),
        pk,
    )
    flags = kept_rows(
        Flag,
        "rights.case_detail.flags",
        lambda key: (
            Flag.objects.select_related("hearing")
            .only(*CASE_FLAG_FIELDS)
            .filter(case=key)
            .annotate(intervention_count=_count(Intervention, flag=OuterRef("pk")))
            .order_by("status", "-created_at")
        ),
        pk,
    )
    attach(case, "parties", parties)
    attach(case, "hearings", hearings)
    for hearing, observed in zip(hearings, grouped(observations, hearings, "hearing_id"), strict=True):
        attach(hearing, "observations", observed)
    attach(case, "flags", flags)
    return case


# The columns a list page's rows show (templates/jinja2/rights/*_rows.html), and nothing else: each value
# fetched is converted and stored per row, a timestamp with a Python call of its own (psycopg2 asks
# Django for its time zone), so a row of four joined tables read whole cost the review queue about 8 %.
# A row field left out is read by a query per row: the list pages' query counts are pinned by tests.
COURT_NAME = ("name_en", "name_sq", "name_sr")  # `court.name` is the reader's language's
HEARING_ROW_FIELDS = (
    "date", "hearing_type", "held", "adjournment_reason", "case", "case__case_number", "case__court",
    *(f"case__court__{name}" for name in COURT_NAME),
)  # fmt: skip
OBSERVATION_ROW_FIELDS = (
    "status", "hearing", "monitor", "hearing__date", "hearing__case", "hearing__case__case_number",
    "hearing__case__court", *(f"hearing__case__court__{name}" for name in COURT_NAME),
    "monitor__username", "monitor__first_name", "monitor__last_name",
)  # fmt: skip


def hearing_list_rows(*, user, data=None) -> tuple[HearingFilter, Rows]:
    """The filter set and the page's rows: hearings with what their row shows only."""
    filterset = HearingFilter(data or None, queryset=Hearing.objects.visible_to(user))
    return filterset, lambda: _hearing_rows(filterset.qs).only(*HEARING_ROW_FIELDS)


def _hearing_rows(queryset: QuerySet[Hearing]) -> QuerySet[Hearing]:
    return queryset.select_related("case__court").annotate(
        observation_count=_count(Observation, hearing=OuterRef("pk")),
        flag_count=_count(Flag, hearing=OuterRef("pk")),
    )


def hearing_list(*, user, data=None) -> tuple[HearingFilter, QuerySet[Hearing]]:
    """The filtered hearings, whole (for exports and the benchmarks)."""
    filterset = HearingFilter(data or None, queryset=Hearing.objects.visible_to(user))
    return filterset, _hearing_rows(filterset.qs)


def hearing_detail(*, user, pk: int) -> Hearing:
    """One hearing with its case and court, and its observations with their monitors."""
    return (
        Hearing.objects.visible_to(user)
        .select_related("case__court", "case__municipality__region")
        .prefetch_related(Prefetch("observations", queryset=Observation.objects.select_related("monitor")))
        .get(pk=pk)
    )


def hearing_get(*, user, pk: int) -> Hearing:
    return Hearing.objects.visible_to(user).select_related("case__court", "case__municipality").get(pk=pk)


def observation_list_rows(*, user, data=None) -> tuple[ObservationFilter, Rows]:
    """The filter set and the page's rows: observations with what their row shows only."""
    filterset = ObservationFilter(data or None, queryset=Observation.objects.visible_to(user))
    return filterset, lambda: _observation_page(filterset.qs)


def _observation_rows(queryset: QuerySet[Observation]) -> QuerySet[Observation]:
    """What a row of the observations or the review queue shows: hearing, case, court, monitor and the
    violations found."""
    return (
        queryset.select_related("hearing__case__court", "monitor")
        .defer("monitor__password")  # never read by a list: not fetched
        .annotate(violations=_count(StandardRating, observation=OuterRef("pk"), rating="violation"))
    )


def _observation_page(queryset: QuerySet[Observation]) -> QuerySet[Observation]:
    """An observation list page's rows (the list and the review queue): what the row shows only."""
    return _observation_rows(queryset).only(*OBSERVATION_ROW_FIELDS)


def observation_list(*, user, data=None) -> tuple[ObservationFilter, QuerySet[Observation]]:
    """The filtered observations, whole (for exports and the benchmarks)."""
    filterset = ObservationFilter(data or None, queryset=Observation.objects.visible_to(user))
    return filterset, _observation_rows(filterset.qs)


def observation_detail(*, user, pk: int) -> Observation:
    """One observation in the reader's scope with its hearing, case, court, region, monitor, reviewer and
    questionnaire, and its ratings with their standards: two statements kept for every observation."""
    found = kept_rows(
        Observation,
        ("rights.observation_detail", reader_key(user)),
        lambda key: (
            Observation.objects.visible_to(user)
            .select_related(
                "hearing__case__court", "hearing__case__municipality__region", "monitor", "reviewed_by", "questionnaire"
            )
            .filter(pk=key)
        ),
        pk,
    )
    if not found:
        raise Observation.DoesNotExist
    observation = found[0]
    ratings = kept_rows(
        StandardRating,
        "rights.observation_detail.ratings",
        lambda key: StandardRating.objects.select_related("standard").filter(observation=key),
        pk,
    )
    attach(observation, "ratings", ratings)
    return observation


def review_queue_rows(*, user, data=None) -> tuple[ReviewQueueFilter, Rows]:
    """Submitted observations from the reviewer's scope, oldest first, never their own, with what their
    row shows only and their hearing's flags' rules and statuses (`flag_rules`, `flag_statuses`)."""
    filterset = _review_queue_filter(user, data)
    return filterset, lambda: _review_rows(_observation_page(filterset.qs))


def _review_queue_filter(user, data) -> ReviewQueueFilter:
    monitors = colleagues(user=user, department=Department.RIGHTS, roles=FIELD_ROLES)
    return ReviewQueueFilter(data or None, queryset=Observation.objects.all(), monitors=monitors, reviewer=user)


def review_queue(*, user, data=None) -> tuple[ReviewQueueFilter, QuerySet[Observation]]:
    """The queue as a queryset, whole, each observation with its hearing's flags' rules (`flag_rules`)."""
    filterset = _review_queue_filter(user, data)
    return filterset, _review_rows(_observation_rows(filterset.qs))


def _review_rows(queryset: QuerySet[Observation]) -> QuerySet[Observation]:
    """Each observation with the rules of the flags raised on its hearing (by the hearing, its case or
    any observation of it), open ones first, then by rule, as `flag_rules`, and their statuses in the same
    order as `flag_statuses`: read in the row's own statement."""
    still_open = Case_(When(status=FlagStatus.OPEN, then=Value(0)), default=Value(1))
    flags = Flag.objects.filter(hearing=OuterRef("hearing")).order_by(still_open, "rule", "pk")
    return queryset.annotate(flag_rules=ValuesOf(flags, "rule"), flag_statuses=ValuesOf(flags, "status"))


def observation_flags(*, user, observation: Observation) -> list[Flag]:
    """The flags on the observation's hearing, open ones first (shown as on the case page)."""
    return kept_rows(
        Flag,
        ("rights.observation_flags", reader_key(user)),
        lambda key: Flag.objects.visible_to(user).filter(hearing=key).order_by("status", "rule", "pk"),
        observation.hearing_id,
    )


def flag_list(*, user, status: str | None = FlagStatus.OPEN) -> QuerySet[Flag]:
    queryset = (
        Flag.objects.visible_to(user)
        .select_related("case__court", "hearing")
        .annotate(intervention_count=_count(Intervention, flag=OuterRef("pk")))
    )
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-created_at", "-pk")


def flag_detail(*, user, pk: int) -> Flag:
    return (
        Flag.objects.visible_to(user)
        .select_related("case__court", "case__municipality__region", "hearing", "observation", "closed_by")
        .prefetch_related(Prefetch("interventions", queryset=Intervention.objects.select_related("recorded_by")))
        .get(pk=pk)
    )


def my_observations_to_fix(*, user) -> QuerySet[Observation]:
    """The monitor's drafts and returned observations: what waits for them."""
    return review.returned_to(queryset=Observation.objects.all(), user=user).select_related("hearing__case__court")


def observation_history(*, observation: Observation) -> list[dict]:
    """Who changed what and why, newest first: the observation's own fields and its ratings."""
    return review.record_history(record=observation)


def municipality_activity(*, user, municipality) -> dict:
    """For the municipality page: the courts seated there, and the latest hearings and open flags of
    cases heard there that the user may see."""
    in_scope = scope_covers(user, department=Department.RIGHTS, region_id=municipality.region_id)
    hearings, flags = [], []
    if in_scope:
        hearings = list(
            Hearing.objects.visible_to(user)
            .filter(case__municipality=municipality)
            .select_related("case__court")
            .order_by("-date", "-scheduled_start", "-pk")[:10]
        )
        if has_capability(user, Capability.FOLLOW_UP):
            flags = list(
                Flag.objects.visible_to(user)
                .filter(case__municipality=municipality, status=FlagStatus.OPEN)
                .select_related("case__court")
                .order_by("-created_at", "-pk")[:10]
            )
    return {
        "in_scope": in_scope,
        "courts": list(Court.objects.filter(seat=municipality).order_by("code")),
        "hearings": hearings,
        "flags": flags,
        "shows_flags": has_capability(user, Capability.FOLLOW_UP),
    }


# --- The monitoring plan ------------------------------------------------------------------------------
HEARING_HOURS = 2  # how long a hearing keeps a monitor, for the plan's conflicts
_ASSIGNMENTS = PlanAssignment.objects.select_related("monitor").defer("monitor__password")


@dataclass
class PlanEntry:
    planned: PlannedHearing
    monitors: list[User]
    warnings: list[str]


def plans_annotated(queryset: QuerySet[PlannedHearing]) -> QuerySet[PlannedHearing]:
    """With `flagged` (the case has an open flag), `assigned_count` and `state`: upcoming, observed (a
    hearing with an observation), missed (its day is past and nobody recorded it), cancelled."""
    today = timezone.localdate()
    observed = Exists(Observation.objects.filter(hearing_id=OuterRef("hearing_id")))
    return queryset.annotate(
        flagged=Exists(Flag.objects.filter(case_id=OuterRef("case_id"), status=FlagStatus.OPEN)),
        assigned_count=Count("assignments", distinct=True),
        observed=observed,
        state=Case_(
            When(status=PlanStatus.CANCELLED, then=Value("cancelled")),
            When(observed, then=Value("observed")),
            When(date__lt=today, then=Value("missed")),
            default=Value("upcoming"),
            output_field=CharField(),
        ),
    )


def plans_between(user, first_day: datetime.date, last_day: datetime.date) -> QuerySet[PlannedHearing]:
    """The plan's hearings in the user's scope between the two days, annotated (`plans_annotated`), with
    what a list of them shows: court, region, case, monitors."""
    return (
        plans_annotated(PlannedHearing.objects.visible_to(user).filter(date__gte=first_day, date__lte=last_day))
        .select_related("court", "municipality__region", "case")
        .prefetch_related(Prefetch("assignments", queryset=_ASSIGNMENTS))
    )


def plan_week(*, user, data, first_day: datetime.date, days: int = 7) -> tuple[PlanFilter, list[PlanEntry]]:
    """The plan's hearings in the user's scope from `first_day` for `days` days, filtered, each with its
    monitors and the conflicts of their assignments."""
    last_day = first_day + datetime.timedelta(days=days - 1)
    filterset = PlanFilter(data, queryset=plans_between(user, first_day, last_day), user=user)
    return filterset, plan_entries(list(filterset.qs))


def plan_detail(*, user, pk: int) -> PlanEntry:
    planned = (
        plans_annotated(PlannedHearing.objects.visible_to(user))
        .select_related("court", "municipality__region", "case", "hearing", "created_by")
        .prefetch_related(Prefetch("assignments", queryset=_ASSIGNMENTS))
        .get(pk=pk)
    )
    return plan_entries([planned])[0]


def plan_entries(plans: list[PlannedHearing], *, own: User | None = None) -> list[PlanEntry]:
    """Each plan with its monitors and warnings: a monitor sent to another hearing within HEARING_HOURS
    the same day, or to proceedings in a language they do not speak. With `own`, the warnings are said
    to that person, without naming anyone (their calendar)."""
    monitors = {a.monitor_id: a.monitor for p in plans for a in p.assignments.all()}
    busy: dict[int, list[tuple[datetime.datetime, int, str]]] = {}
    court_name = f"planned__court__name_{language_suffix()}"
    for monitor_id, planned_id, day, start, court in (
        PlanAssignment.objects.filter(
            monitor_id__in=list(monitors),
            planned__date__in={p.date for p in plans},
            planned__status=PlanStatus.SCHEDULED,
        )
        .values_list("monitor_id", "planned_id", "planned__date", "planned__start", court_name)
        .order_by()
    ):
        busy.setdefault(monitor_id, []).append((datetime.datetime.combine(day, start), planned_id, court))
    window = datetime.timedelta(hours=HEARING_HOURS)
    entries = []
    for planned in plans:
        warnings: list[str] = []
        at = datetime.datetime.combine(planned.date, planned.start)
        assigned = [monitors[a.monitor_id] for a in planned.assignments.all()]
        for monitor in [m for m in assigned if m.pk == own.pk] if own is not None else assigned:
            who = monitor.get_full_name() or monitor.username
            for other_at, other_id, court in busy.get(monitor.pk, []):
                if other_id != planned.pk and abs(other_at - at) < window and planned.status == PlanStatus.SCHEDULED:
                    values = {"monitor": who, "court": court, "time": f"{other_at:%H:%M}"}
                    warnings.append(
                        _("You are also due at %(court)s at %(time)s.") % values
                        if own
                        else _("%(monitor)s is also due at %(court)s at %(time)s.") % values
                    )
            if planned.language and planned.language not in (monitor.languages or []):
                values = {"monitor": who, "language": planned.get_language_display()}
                warnings.append(
                    _("The proceedings are in %(language)s, which you do not speak.") % values
                    if own
                    else _("%(monitor)s does not speak %(language)s, the language of the proceedings.") % values
                )
        entries.append(PlanEntry(planned=planned, monitors=assigned, warnings=warnings))
    return entries
