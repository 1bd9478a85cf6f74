"""Trial monitoring: Court → Case (with parties) → Hearing → Observation (ratings) → Flag → Intervention."""

from rights.models.cases import (
    AgeBand,
    Case,
    CaseCategory,
    CaseQuerySet,
    CounselType,
    CourtDepartment,
    DetentionStatus,
    Party,
    PartyRole,
    Sex,
)
from rights.models.flags import Flag, FlagRule, FlagStatus, Intervention, InterventionStatus, InterventionType
from rights.models.hearings import AdjournmentReason, Hearing, HearingType
from rights.models.observations import Observation, ObservationStatus, Rating, StandardRating
from rights.models.reference import Court, CourtLevel, FairTrialStandard, Questionnaire
from rights.models.summaries import (
    AdjournmentMonth,
    CaseMonth,
    FollowUpMonth,
    HearingAccusedMonth,
    HearingMonth,
    MunicipalityMonth,
    RatingMonth,
)

__all__ = [
    "AdjournmentMonth",
    "AdjournmentReason",
    "AgeBand",
    "Case",
    "CaseCategory",
    "CaseMonth",
    "CaseQuerySet",
    "CounselType",
    "Court",
    "CourtDepartment",
    "CourtLevel",
    "DetentionStatus",
    "FairTrialStandard",
    "Flag",
    "FlagRule",
    "FlagStatus",
    "FollowUpMonth",
    "Hearing",
    "HearingAccusedMonth",
    "HearingMonth",
    "HearingType",
    "Intervention",
    "InterventionStatus",
    "InterventionType",
    "MunicipalityMonth",
    "Observation",
    "ObservationStatus",
    "Party",
    "PartyRole",
    "Questionnaire",
    "Rating",
    "RatingMonth",
    "Sex",
    "StandardRating",
]
