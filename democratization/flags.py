"""The rules that raise flags on journalists' safety incidents (`mission.records.flags`)."""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from democratization.models import IncidentFlagRule, Journalist, JournalistIncident, ResponseStep
from mission.records.flags import FLAGGED_STATUSES, FlagRule

POLICE_CASE_DAYS = 30  # an incident reported to the police with no police case after this many days


def _overdue() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=POLICE_CASE_DAYS)


def _no_police_case(incident: JournalistIncident) -> bool:
    return (
        incident.reported_to_police is True
        and incident.date <= _overdue()
        and not incident.response_steps.filter(step=ResponseStep.Step.POLICE_CASE).exists()
    )


def _no_police_case_candidates(incidents: QuerySet[JournalistIncident]) -> QuerySet[JournalistIncident]:
    return incidents.filter(reported_to_police=True, date__lte=_overdue()).exclude(
        response_steps__step=ResponseStep.Step.POLICE_CASE
    )


def _targeted_again(incident: JournalistIncident) -> bool:
    """A journalist of the incident (by the whole name) is on an earlier incident of the same year
    that someone sent for review."""
    names = [name for name in incident.journalists.values_list("name", flat=True) if name]
    if not names:
        return False
    earlier = Q(incident__date__lt=incident.date) | Q(incident__date=incident.date, incident__pk__lt=incident.pk)
    return (
        Journalist.objects.filter(earlier, incident__date__year=incident.date.year)
        .filter(name__in=names)  # type: ignore[misc]  # the stubs take an encrypted text for a boolean
        .filter(incident__status__in=FLAGGED_STATUSES)
        .exists()
    )


RULES = (
    FlagRule(IncidentFlagRule.NO_POLICE_CASE, _no_police_case, candidates=_no_police_case_candidates),
    FlagRule(IncidentFlagRule.TARGETED_AGAIN, _targeted_again),
)
