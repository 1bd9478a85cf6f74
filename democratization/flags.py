"""The rules that raise flags on journalists' safety incidents (`mission.records.flags`)."""

from django.db.models import Q

from democratization.models import IncidentFlagRule, Journalist, JournalistIncident, JournalistResponse
from mission.records.flags import FLAGGED_STATUSES, FlagRule, no_step_after

POLICE_CASE_DAYS = 30  # an incident reported to the police with no police case after this many days


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
    no_step_after(IncidentFlagRule.NO_POLICE_CASE, JournalistResponse.POLICE_CASE, POLICE_CASE_DAYS),
    FlagRule(IncidentFlagRule.TARGETED_AGAIN, _targeted_again),
)
