import datetime

import pytest

from rights.models import Court, FairTrialStandard, Questionnaire
from rights.services.cases import case_create
from rights.services.hearings import hearing_create
from rights.services.observations import observation_start

YESTERDAY = datetime.date.today() - datetime.timedelta(days=1)


def hearing_fields(**overrides) -> dict:
    fields = {
        "date": YESTERDAY,
        "scheduled_start": datetime.time(9, 0),
        "actual_start": datetime.time(9, 20),
        "end": datetime.time(11, 0),
        "hearing_type": "main_trial",
        "session_number": 2,
        "held": True,
        "adjournment_reason": "",
        "adjournment_note": "",
        "recorded": True,
        "public": True,
        "closure_basis": "",
        "accused_represented": True,
        "interpretation_needed": False,
        "interpretation_provided": None,
        "next_hearing_date": None,
        "outcome": "",
    }
    fields.update(overrides)
    return fields


@pytest.fixture
def standards(geography):
    return list(FairTrialStandard.objects.filter(questionnaire=Questionnaire.objects.get(is_current=True)))


@pytest.fixture
def prizren_court(geography):
    return Court.objects.get(code="BC-PZ")


@pytest.fixture
def case(monitor, prizren_court):
    return case_create(
        actor=monitor,
        court=prizren_court,
        case_number="P. nr. 1/2026",
        court_department="general_criminal",
        category="hate_crime",
        charges="CCK Art. 141",
        parties=[
            {"role": "accused", "name": "Arben Testi", "sex": "male", "age_band": "26_40"},
            {"role": "injured", "name": "Vesna Proba", "sex": "female", "age_band": "41_60"},
        ],
    )


@pytest.fixture
def hearing(monitor, case):
    return hearing_create(actor=monitor, case=case, **hearing_fields())


@pytest.fixture
def observation(monitor, hearing, standards):
    return observation_start(actor=monitor, hearing=hearing)


def all_complied(standards, **overrides) -> dict:
    ratings = {s.pk: ("complied", "") for s in standards}
    for code, value in overrides.items():
        standard = next(s for s in standards if s.code == code)
        ratings[standard.pk] = value
    return ratings
