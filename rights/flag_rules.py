"""The rules that raise flags, in one place.

Each rule names what it looks at (a hearing, an observation or the whole case) and a predicate over it.
`rights.services.flags.flags_raise` evaluates the rules for a subject and creates each flag once.
"""

from collections.abc import Callable
from dataclasses import dataclass

from rights.models import CaseCategory, CourtDepartment, FlagRule, Hearing, Observation, PartyRole, Rating
from rights.models.cases import JUVENILE_AGE_BANDS

ADJOURNMENTS_THAT_FLAG = 3


@dataclass(frozen=True)
class Rule:
    code: FlagRule
    subject: str  # "hearing", "observation" or "case"
    applies: Callable[..., bool]


def _violation(observation: Observation) -> bool:
    return observation.ratings.filter(rating=Rating.VIOLATION).exists()


def _juvenile_in_public(hearing: Hearing) -> bool:
    case = hearing.case
    juvenile = case.category == CaseCategory.JUVENILE or case.court_department == CourtDepartment.JUVENILE
    juvenile = juvenile or case.parties.filter(role=PartyRole.ACCUSED, age_band__in=JUVENILE_AGE_BANDS).exists()
    return hearing.held and hearing.public and juvenile


def _unrepresented_serious(hearing: Hearing) -> bool:
    return (
        hearing.held
        and hearing.case.court_department in (CourtDepartment.SERIOUS_CRIMES, CourtDepartment.SPECIAL)
        and hearing.accused_represented is False
    )


def _interpreter_absent(hearing: Hearing) -> bool:
    return hearing.interpretation_needed and hearing.interpretation_provided is False


def _not_recorded(hearing: Hearing) -> bool:
    return hearing.held and hearing.recorded is False


def _repeated_adjournment(hearing: Hearing) -> bool:
    return hearing.case.hearings.filter(held=False).count() >= ADJOURNMENTS_THAT_FLAG


RULES: tuple[Rule, ...] = (
    Rule(FlagRule.VIOLATION, "observation", _violation),
    Rule(FlagRule.JUVENILE_IN_PUBLIC, "hearing", _juvenile_in_public),
    Rule(FlagRule.UNREPRESENTED_SERIOUS_CRIME, "hearing", _unrepresented_serious),
    Rule(FlagRule.INTERPRETER_ABSENT, "hearing", _interpreter_absent),
    Rule(FlagRule.NOT_RECORDED, "hearing", _not_recorded),
    # Evaluated when a hearing is saved, but raised once for the whole case.
    Rule(FlagRule.REPEATED_ADJOURNMENT, "case", _repeated_adjournment),
)
