"""The monitoring plan's writes: a scheduled hearing entered or changed, cancelled or reinstated,
monitors assigned, and the link to the Hearing a monitor records from it."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from mission.accounts.models import User
from mission.accounts.permissions import AnyUser, Capability, covers_record, has_capability, may_record
from mission.accounts.roles import Department, Role
from mission.concurrency import lock_version
from rights.models import Case, Hearing, PlanAssignment, PlannedHearing, PlanStatus

PLAN_FIELDS = (
    "court",
    "case_number",
    "municipality",
    "date",
    "start",
    "courtroom",
    "hearing_type",
    "category",
    "juvenile",
    "language",
    "note",
)


def may_plan(user: AnyUser, planned: PlannedHearing) -> bool:
    """Monitors and supervisors of the region enter and correct the court's schedule."""
    return may_record(user, planned)


def may_assign(user: AnyUser, planned: PlannedHearing) -> bool:
    """Supervisors of the region decide who goes."""
    return has_capability(user, Capability.REVIEW) and covers_record(user, planned)


def _apply(planned: PlannedHearing, fields: dict[str, Any], actor: User) -> None:
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise TypeError(f"not fields of a planned hearing: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(planned, name, value.strip() if isinstance(value, str) else value)
    # Only a case the planner reads: a plan never links (and so never reveals) another region's case.
    cases = Case.objects.visible_to(actor)
    planned.case = cases.filter(court=planned.court_id, case_number=planned.case_number).first()
    if planned.case is not None and not fields.get("municipality"):
        planned.municipality_id = planned.case.municipality_id


@transaction.atomic
def planned_hearing_create(*, actor: User, **fields: Any) -> PlannedHearing:
    planned = PlannedHearing(created_by=actor)
    _apply(planned, fields, actor)
    if planned.municipality_id is None and planned.court_id is not None and planned.court.seat_id is not None:
        planned.municipality_id = planned.court.seat_id  # the court's seat, unless told otherwise
    if planned.municipality_id is not None and not may_plan(actor, planned):
        raise PermissionDenied
    planned.full_clean()
    planned._history_user = actor
    planned.save()
    return planned


@transaction.atomic
def planned_hearing_update(
    *, actor: User, planned: PlannedHearing, expected_version: int | None, **fields: Any
) -> PlannedHearing:
    if not may_plan(actor, planned):
        raise PermissionDenied
    lock_version(planned, expected_version=expected_version)
    _apply(planned, fields, actor)
    if not may_plan(actor, planned):  # moved to another region: not theirs to move
        raise ValidationError({"municipality": _("You plan hearings of your own region only.")})
    planned.full_clean()
    planned.version += 1
    planned._history_user = actor
    planned.save()
    return planned


@transaction.atomic
def planned_hearing_set_status(*, actor: User, planned: PlannedHearing, status: str) -> PlannedHearing:
    """Cancelled by the court, or back on the schedule."""
    if not may_plan(actor, planned):
        raise PermissionDenied
    if status not in PlanStatus.values:
        raise ValidationError(_("Not a status of a planned hearing."))
    planned.status = status
    planned.version += 1
    planned._history_user = actor
    planned.save(update_fields=["status", "version", "updated_at"])
    return planned


def assignable(planned: PlannedHearing) -> QuerySet[User]:
    """Who may be sent: the region's trial-monitoring monitors and supervisors who are active."""
    return (
        User.objects.filter(
            is_active=True,
            department=Department.RIGHTS,
            region_id=planned.municipality.region_id,
            role__in=[Role.MONITOR, Role.SUPERVISOR],
        )
        .defer("password")
        .order_by("last_name", "first_name", "username")
    )


@transaction.atomic
def planned_hearing_assign(*, actor: User, planned: PlannedHearing, monitors: Iterable[User]) -> PlannedHearing:
    """Send exactly `monitors` (the region's staff who record) to the hearing."""
    if not may_assign(actor, planned):
        raise PermissionDenied
    PlannedHearing.objects.select_for_update().filter(pk=planned.pk).first()  # one decision at a time
    chosen = {m.pk: m for m in monitors}
    allowed = set(assignable(planned).filter(pk__in=chosen).values_list("pk", flat=True))
    if set(chosen) - allowed:
        raise ValidationError(_("Only monitors and supervisors of the hearing's region can be sent to it."))
    current = set(planned.assignments.values_list("monitor_id", flat=True))
    for assignment in planned.assignments.filter(monitor_id__in=current - set(chosen)):
        assignment._history_user = actor
        assignment.delete()
    for monitor_id in sorted(set(chosen) - current):
        assignment = PlanAssignment(planned=planned, monitor_id=monitor_id, assigned_by=actor)
        assignment._history_user = actor
        assignment.save()
    return planned


def planned_hearing_recorded(*, planned: PlannedHearing, hearing: Hearing) -> None:
    """The hearing a monitor recorded from the plan (called by the hearing's creation, in its transaction)."""
    PlannedHearing.objects.filter(pk=planned.pk, hearing__isnull=True).update(hearing=hearing, case=hearing.case_id)


def plans_of_new_case(case: Case) -> int:
    """A case entered after its hearings were planned: the plans that name it by court and number."""
    return PlannedHearing.objects.filter(
        court_id=case.court_id, case_number=case.case_number, case__isnull=True
    ).update(case=case)


def plans_remind_tomorrow(today: datetime.date) -> int:
    """A morning reminder (`reminders` on the department's config): everyone sent to a hearing of
    tomorrow's plan is told the time and the court. Returns how many were told."""
    from mission.notifications.models import NotificationKind
    from mission.notifications.services import notify

    told = 0
    tomorrow = today + datetime.timedelta(days=1)
    plans = PlannedHearing.objects.filter(date=tomorrow, status=PlanStatus.SCHEDULED).select_related("court")
    for planned in plans.prefetch_related("monitors"):
        court = {"en": planned.court.name_en, "sq": planned.court.name_sq, "sr": planned.court.name_sr}
        url = reverse("rights:plan_detail", args=[planned.pk])
        told += len(
            notify(
                planned.monitors.all(),
                NotificationKind.HEARING_TOMORROW,
                url=url,
                time=f"{planned.start:%H:%M}",
                court=court,
            )
        )
    return told
