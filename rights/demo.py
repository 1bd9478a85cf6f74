"""A realistic synthetic trial-monitoring data set for the embedded default, written through the
services so that it obeys every rule (flags included). Fake case numbers, fake names."""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from field_offices.models import Community
from mission.accounts.models import User
from mission.accounts.roles import Department, Role
from rights.models import (
    AdjournmentReason,
    AgeBand,
    Case,
    CaseCategory,
    CounselType,
    Court,
    CourtDepartment,
    CourtLevel,
    DetentionStatus,
    Flag,
    HearingType,
    InterventionStatus,
    InterventionType,
    PartyRole,
    Rating,
    Sex,
)
from rights.services.cases import case_create
from rights.services.flags import flag_close, intervention_record
from rights.services.hearings import hearing_create
from rights.services.observations import (
    observation_approve,
    observation_return,
    observation_save_draft,
    observation_start,
    observation_submit,
)
from rights.services.planning import planned_hearing_assign, planned_hearing_create

FIRST_NAMES = [
    "Arben",
    "Blerta",
    "Dragan",
    "Milica",
    "Fatmir",
    "Vjosa",
    "Nenad",
    "Ardita",
    "Selim",
    "Jelena",
    "Driton",
    "Ljiljana",
    "Besnik",
    "Teuta",
    "Goran",
    "Mimoza",
    "Adem",
    "Sanja",
    "Luan",
    "Hana",
]
LAST_NAMES = [
    "Demo-Krasniqi",
    "Demo-Jovanović",
    "Demo-Gashi",
    "Demo-Berisha",
    "Demo-Petrović",
    "Demo-Hoxha",
    "Demo-Shala",
    "Demo-Nikolić",
    "Demo-Morina",
    "Demo-Bajrami",
]
CHARGES = {
    CaseCategory.WAR_CRIMES: "CCK Art. 142 (war crimes against the civilian population)",
    CaseCategory.CORRUPTION: "CCK Art. 414 (abuse of official position)\nCCK Art. 283 (organised crime)",
    CaseCategory.TRAFFICKING: "CCK Art. 171 (trafficking in persons)",
    CaseCategory.DOMESTIC_VIOLENCE: "CCK Art. 248 (domestic violence)",
    CaseCategory.HATE_CRIME: "CCK Art. 141 (inciting hatred)\nCCK Art. 186 (light bodily injury)",
    CaseCategory.JUVENILE: "CCK Art. 317 (theft), Juvenile Justice Code",
    CaseCategory.PROPERTY: "CCK Art. 319 (unauthorised occupation of property)",
    CaseCategory.OTHER: "CCK Art. 186 (light bodily injury)",
}
DEPARTMENT_FOR = {
    CaseCategory.WAR_CRIMES: CourtDepartment.SPECIAL,
    CaseCategory.CORRUPTION: CourtDepartment.SERIOUS_CRIMES,
    CaseCategory.TRAFFICKING: CourtDepartment.SERIOUS_CRIMES,
    CaseCategory.JUVENILE: CourtDepartment.JUVENILE,
}
PREFIX = {
    CourtDepartment.SPECIAL: "PKR",
    CourtDepartment.SERIOUS_CRIMES: "PKR",
    CourtDepartment.JUVENILE: "PM",
    CourtDepartment.GENERAL_CRIMINAL: "P",
}


def _party(rng: random.Random, role: str, communities: list[Community], *, juvenile: bool = False) -> dict:
    accused = role == PartyRole.ACCUSED
    return {
        "role": role,
        "name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
        "sex": rng.choices([Sex.MALE, Sex.FEMALE, Sex.UNKNOWN], [70, 28, 2])[0]
        if accused
        else rng.choice([Sex.MALE, Sex.FEMALE]),
        "age_band": AgeBand.AGE_14_17
        if juvenile
        else rng.choice([AgeBand.AGE_18_25, AgeBand.AGE_26_40, AgeBand.AGE_41_60, AgeBand.OVER_60]),
        "community": rng.choices(communities, [80] + [4] * (len(communities) - 1))[0],
        "detention": rng.choice([DetentionStatus.DETAINED, DetentionStatus.AT_LIBERTY, DetentionStatus.HOUSE_ARREST])
        if accused
        else "",
        "counsel": rng.choices(
            [CounselType.RETAINED, CounselType.EX_OFFICIO, CounselType.LEGAL_AID, CounselType.NONE], [50, 30, 12, 8]
        )[0]
        if accused
        else "",
        "counsel_appointed_on": None,
        "vulnerable": not accused and rng.random() < 0.3,
        "protective_measures": not accused and rng.random() < 0.1,
    }


@transaction.atomic
def rights_demo_load(*, records: int = 240, seed: int = 2026) -> str:
    """`records` cases with their hearings, observations, flags and interventions (the department's
    `demo_data`, called by `manage.py seed_demo` after its demo users exist)."""
    if Case.objects.exists():
        return "trial monitoring: demo cases already present"
    rng = random.Random(seed)  # noqa: S311 (synthetic demo data, not security)
    staff = User.objects.filter(department=Department.RIGHTS, is_active=True)
    monitors = {u.region_id: u for u in staff.filter(role=Role.MONITOR).order_by("pk")}
    supervisors = {u.region_id: u for u in staff.filter(role=Role.SUPERVISOR).order_by("pk")}
    head = staff.filter(role=Role.DEPARTMENT_HEAD).first()
    courts = [
        (c, c.seat.region_id)
        for c in Court.objects.select_related("seat").filter(
            level__in=[CourtLevel.BASIC, CourtLevel.BRANCH, CourtLevel.DEPARTMENT, CourtLevel.PREMISES]
        )
        if c.seat and c.seat.region_id in monitors and c.seat.region_id in supervisors
    ]
    communities = list(Community.objects.order_by("code"))
    communities.sort(key=lambda c: c.code != "ALB")
    today = timezone.localdate()
    numbers: dict[tuple[int, str], int] = {}

    for _ in range(records):
        court, region_id = rng.choice(courts)
        monitor, supervisor = monitors[region_id], supervisors[region_id]
        category = rng.choices(list(CaseCategory), [3, 10, 4, 22, 8, 8, 15, 30])[0]
        department = DEPARTMENT_FOR.get(category, CourtDepartment.GENERAL_CRIMINAL)
        start = today - datetime.timedelta(days=rng.randint(20, 720))
        year = start.year
        key = (court.pk, str(year))
        numbers[key] = numbers.get(key, 0) + rng.randint(1, 40)
        juvenile = category == CaseCategory.JUVENILE
        parties = [
            _party(rng, PartyRole.ACCUSED, communities, juvenile=juvenile)
            for _ in range(rng.choices([1, 2, 3], [70, 20, 10])[0])
        ]
        if category not in (CaseCategory.CORRUPTION, CaseCategory.PROPERTY):
            parties.append(_party(rng, PartyRole.INJURED, communities))
        case = case_create(
            actor=monitor,
            court=court,
            case_number=f"{PREFIX[department]}. nr. {numbers[key]}/{year}",
            court_department=department,
            category=category,
            charges=CHARGES[category],
            parties=parties,
            fundamental_rights_appeal_grounds=rng.random() < 0.08,
        )
        for n in range(rng.choices([1, 2, 3, 4, 5], [25, 30, 25, 12, 8])[0]):
            date = start + datetime.timedelta(days=n * rng.randint(20, 60))
            if date > today:
                break
            held = rng.random() > 0.28
            interpretation_needed = rng.random() < 0.12
            hearing = hearing_create(
                actor=monitor,
                case=case,
                date=date,
                scheduled_start=datetime.time(rng.choice([9, 10, 11, 13]), 0),
                actual_start=datetime.time(rng.choice([9, 10, 11, 13]), rng.choice([0, 15, 30])) if held else None,
                end=None,
                hearing_type=HearingType.INITIAL
                if n == 0
                else rng.choice(
                    [HearingType.MAIN_TRIAL, HearingType.MAIN_TRIAL, HearingType.DETENTION_REVIEW, HearingType.VERDICT]
                ),
                session_number=None,
                held=held,
                adjournment_reason="" if held else rng.choice([r for r in AdjournmentReason if r]),
                adjournment_note="",
                recorded=(rng.random() > 0.1) if held else None,
                public=not (juvenile and rng.random() < 0.8),
                closure_basis="Juvenile Justice Code" if juvenile else "",
                accused_represented=rng.random() > 0.05 if held else None,
                interpretation_needed=interpretation_needed,
                interpretation_provided=(rng.random() > 0.2) if interpretation_needed else None,
                next_hearing_date=None,
                outcome="",
            )
            if rng.random() < (0.9 if held else 0.5):
                _observe(rng, hearing, monitor, supervisor)

    open_flags = list(Flag.objects.filter(status="open").select_related("case__municipality").order_by("pk"))
    for flag in rng.sample(open_flags, k=min(len(open_flags), 40)):
        actor = supervisors.get(flag.case.municipality.region_id) or head
        intervention_record(
            actor=actor,
            flag=flag,
            intervention_type=rng.choice(list(InterventionType)),
            addressee=rng.choice(["President of the Basic Court", "Kosovo Judicial Council", "Chief Prosecutor"]),
            date=today - datetime.timedelta(days=rng.randint(1, 200)),
            status=rng.choice(list(InterventionStatus)),
            outcome="",
        )
        if rng.random() < 0.5:
            flag_close(actor=actor, flag=flag, note="Raised with the court; the practice was corrected.")
    _plan_demo(rng, monitors, supervisors, today)
    return f"trial monitoring: {Case.objects.count()} demo cases created"


def _plan_demo(rng: random.Random, monitors: dict, supervisors: dict, today: datetime.date) -> None:
    """The next two weeks' plan in each region: hearings of its cases on the courts' schedules, most
    with the region's monitor sent, one left for the supervisor to assign, one missed last week."""
    for region_id, monitor in monitors.items():
        if not monitor.languages:  # what the plan checks a monitor against; Serbian only in some regions
            monitor.languages = ["sq", "en"] if region_id % 2 else ["sq", "sr", "en"]
            monitor.save(update_fields=["languages"])
        supervisor = supervisors.get(region_id)
        cases = list(Case.objects.filter(municipality__region_id=region_id).select_related("court").order_by("pk")[:8])
        for n, case in enumerate(cases):
            day = today + datetime.timedelta(days=n * 2 - 4 if n == 0 else n * 2)
            if day.weekday() >= 5:
                day += datetime.timedelta(days=7 - day.weekday())
            planned = planned_hearing_create(
                actor=monitor,
                court=case.court,
                case_number=case.case_number,
                date=day,
                start=datetime.time(rng.choice([9, 10, 11, 13]), rng.choice([0, 30])),
                hearing_type=rng.choice([HearingType.MAIN_TRIAL, HearingType.DETENTION_REVIEW, HearingType.VERDICT]),
                category=case.category,
                juvenile=case.category == CaseCategory.JUVENILE,
                language=rng.choice(["sq", "sq", "sq", "sr"]),
            )
            if supervisor is not None and n != 3:
                planned_hearing_assign(actor=supervisor, planned=planned, monitors=[monitor])


def _observe(rng: random.Random, hearing, monitor, supervisor) -> None:
    observation = observation_start(actor=monitor, hearing=hearing)
    ratings = {}
    for rating in observation.ratings.all():
        value = rng.choices(
            [Rating.COMPLIED, Rating.CONCERN, Rating.VIOLATION, Rating.NOT_OBSERVABLE, Rating.NOT_APPLICABLE],
            [78, 10, 1, 6, 5],
        )[0]
        evidence = (
            "The judge did not explain the decision to the accused."
            if value in (Rating.VIOLATION, Rating.CONCERN)
            else ""
        )
        ratings[rating.standard_id] = (value, evidence)
    summary = (
        "The hearing took place as scheduled; the parties were heard."
        if hearing.held
        else ("The hearing was adjourned at the opening.")
    )
    fate = rng.choices(["draft", "submitted", "returned", "approved"], [8, 15, 5, 72])[0]
    args = {"actor": monitor, "observation": observation, "summary": summary, "ratings": ratings}
    if fate == "draft":
        observation_save_draft(expected_version=observation.version, **args)
        return
    observation_submit(expected_version=observation.version, **args)
    if fate == "returned":
        observation_return(
            actor=supervisor,
            observation=observation,
            expected_version=observation.version,
            comment="Please add evidence for standard 6.",
        )
    elif fate == "approved":
        observation_approve(actor=supervisor, observation=observation, expected_version=observation.version)
