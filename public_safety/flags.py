"""The rules that raise flags on hate-crime incidents (`mission.records.flags`)."""

from typing import Any

from mission.records.flags import FlagRule, no_step_after
from public_safety.models import HateCrimeFlagRule, HateCrimeIncident, HateCrimeResponse, HateCrimeStep

INVESTIGATION_DAYS = 30  # an incident reported to the police with no investigation after this many days


def _bias_not_recorded(incident: HateCrimeIncident) -> bool:
    """The police documented bias indicators but did not record the incident as a hate crime: the
    bias motive is lost for the investigation and for the statistics."""
    rows: Any = HateCrimeStep._default_manager  # made by the kit (`response_steps`)
    steps = set(rows.filter(incident=incident).values_list("step", flat=True))
    return HateCrimeResponse.INDICATORS in steps and HateCrimeResponse.RECORDED not in steps


RULES = (
    FlagRule(HateCrimeFlagRule.BIAS_NOT_RECORDED, _bias_not_recorded),
    no_step_after(HateCrimeFlagRule.NO_INVESTIGATION, HateCrimeResponse.INVESTIGATION, INVESTIGATION_DAYS),
)
