"""What trial monitoring finds by a value another app writes down (`mission.references`): its cases by
the court's case number, for a case of gender-based violence that reached court."""

from __future__ import annotations

from typing import Any

from django.db.models.functions import Upper
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mission.accounts.permissions import reads_department
from mission.accounts.roles import Department
from mission.references import MAX_LINKS, Link
from rights.models import Case


def cases_by_number(user: Any, value: str) -> list[Link]:
    """The cases of that number the user may open (as the case page scopes them), whatever its
    letters' case and with its spaces made single ("p.nr.  12/2026" finds "P.nr. 12/2026"); an
    indexed lookup (`case_number_upper_idx`), not a search."""
    if not reads_department(user, Department.RIGHTS):
        return []
    number = " ".join(value.split()).upper()
    cases = (
        Case.objects.visible_to(user)
        .annotate(number=Upper("case_number"))
        .filter(number=number)
        .select_related("court")
        .order_by("court__code", "pk")[:MAX_LINKS]
    )
    return [Link(str(case), reverse("rights:case_detail", args=[case.pk]), _("Trial monitoring")) for case in cases]
