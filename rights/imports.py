"""Spreadsheets trial monitoring takes (`RightsConfig.imports`): a court's hearing schedule into the
monitoring plan, and the courts themselves (reference data, kept by administrators)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from mission.accounts.permissions import AnyUser, Capability, has_capability, reads_department
from mission.accounts.roles import Department
from mission.imports.spec import Preparer, Refusal
from rights.models import Case, CaseCategory, PlannedHearing, PlanStatus
from rights.services.planning import may_plan


def may_import_schedule(user: AnyUser) -> bool:
    """Trial monitoring's monitors and supervisors enter the courts' schedules of their region."""
    return has_capability(user, Capability.RECORD) and reads_department(user, Department.RIGHTS)


def schedule_refusal(user: Any) -> Refusal:
    def refuse(planned: Any) -> dict[str, str]:
        if may_plan(user, planned):
            return {}
        return {"municipality": _("You plan hearings of your own region only.")}

    return refuse


def schedule_preparer(user: Any) -> Preparer:
    """As the plan's form does: who entered it; the case the planner reads that has this court and
    number (never another region's); a blank municipality from that case, else the court's seat."""
    cases = Case.objects.visible_to(user).select_related("municipality").only("case_number", "municipality")
    by_court: dict[int, dict[str, Case]] = {}  # a court's cases the planner reads, read once per court

    def prepare(planned: Any) -> None:
        if planned.created_by_id is None:
            planned.created_by = user
        if not planned.category:
            planned.category = CaseCategory.OTHER
        if not planned.status:
            planned.status = PlanStatus.SCHEDULED
        if planned.court_id not in by_court:
            by_court[planned.court_id] = {c.case_number: c for c in cases.filter(court=planned.court_id)}
        planned.case = by_court[planned.court_id].get(planned.case_number.strip())
        if planned.municipality_id is None:
            if planned.case is not None:
                planned.municipality = planned.case.municipality
            elif planned.court.seat_id is not None:
                planned.municipality = planned.court.seat
            else:
                raise ValidationError(_("Give the municipality: this court has no seat in Kosovo."))

    return prepare


def schedule_rows(user: Any) -> QuerySet[PlannedHearing]:
    """The plan from today on that the user reads: to edit in a spreadsheet and import back."""
    return PlannedHearing.objects.visible_to(user).filter(date__gte=timezone.localdate())
