import datetime

import pytest

from field_offices.models import Community
from mission.dashboards.services import summaries_refresh
from rights.models import Court, FairTrialStandard, Hearing, Questionnaire, StandardRating
from rights.services.cases import case_create
from rights.services.hearings import hearing_create
from rights.services.observations import observation_start
from tests.factories import CaseFactory, FlagFactory, HearingFactory, ObservationFactory, PartyFactory
from tests.test_celery_worker import worker_queue  # noqa: F401 (real workers, for test_report_worker.py)

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


@pytest.fixture
def trial_data(geography, monitor):
    """Two cases: one in Prizren (three hearings over two months of the period, one adjourned, one
    not recorded), one in Mitrovica (a hearing in the period and one before it)."""
    albanian, serb = Community.objects.get(code="ALB"), Community.objects.get(code="SRB")
    prizren = CaseFactory(created_by=monitor, fundamental_rights_appeal_grounds=True)
    PartyFactory(case=prizren, sex="male", age_band="26_40", community=albanian)
    mitrovica = CaseFactory(
        created_by=monitor, court=Court.objects.get(code="BC-MI"), court_department="serious_crimes"
    )
    PartyFactory(case=mitrovica, sex="female", age_band="14_17", community=serb)
    first = HearingFactory(case=prizren, date=datetime.date.fromisoformat("2026-01-10"))
    HearingFactory(
        case=prizren,
        date=datetime.date.fromisoformat("2026-02-05"),
        held=False,
        recorded=None,
        adjournment_reason="absent_witness",
    )
    HearingFactory(case=prizren, date=datetime.date.fromisoformat("2026-02-20"), recorded=False)
    HearingFactory(case=mitrovica, date=datetime.date.fromisoformat("2025-12-01"))
    HearingFactory(case=mitrovica, date=datetime.date.fromisoformat("2026-03-01"))
    standards = list(FairTrialStandard.objects.filter(questionnaire=Questionnaire.objects.get(is_current=True)))
    approved = ObservationFactory(hearing=first, status="approved")
    draft = ObservationFactory(
        hearing=Hearing.objects.get(date=datetime.date.fromisoformat("2026-03-01")), status="draft"
    )
    for observation in (approved, draft):
        StandardRating.objects.bulk_create(
            StandardRating(
                observation=observation,
                standard=s,
                rating="violation" if s.order == 1 else "complied",
                evidence="x",
            )
            for s in standards
        )
    FlagFactory(hearing=first, rule="violation")
    summaries_refresh()
    return {"prizren": prizren, "mitrovica": mitrovica, "standards": standards}
