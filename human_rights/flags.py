"""The rules that raise flags on community-rights incidents (`mission.records.flags`)."""

from human_rights.models import CommunityFlagRule, CommunityIncident, CommunityIncidentKind, CommunityResponse
from mission.records.flags import FlagRule, no_step_after

ANSWER_DAYS = 30  # an incident with no answer from the institution responsible after this many days
# Kinds the police should know of: a community that does not report them is a community that does not
# trust the police to act, which the mission follows up.
FOR_THE_POLICE = (CommunityIncidentKind.SECURITY, CommunityIncidentKind.PROPERTY_DAMAGE)


def _not_reported(incident: CommunityIncident) -> bool:
    return incident.kind in FOR_THE_POLICE and incident.reported_to_police is False


RULES = (
    FlagRule(CommunityFlagRule.NOT_REPORTED, _not_reported),
    no_step_after(CommunityFlagRule.NO_ANSWER, CommunityResponse.ANSWERED, ANSWER_DAYS, reported_only=False),
)
