"""Demo data (`manage.py seed_demo`): community-rights incidents, language-compliance assessments,
return movements and property cases in the Human Rights demo monitors' regions (Prizren and
Mitrovica), made through the kit's services as a monitor would, in every review state, with the
institutions' steps so far."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from field_offices.models import Community, Institution, Municipality
from human_rights.models import (
    ActivityLine,
    Assistance,
    CommunityIncident,
    CommunityIncidentKind,
    CommunityResponse,
    CouncilDecision,
    DecisionStatus,
    GbvCase,
    GbvStep,
    HeritageIncident,
    HeritageIncidentKind,
    HeritageResponse,
    LanguageAssessment,
    LegislativeReview,
    PropertyCase,
    PropertyClaim,
    PropertyFocus,
    PropertyKind,
    PropertyStep,
    ProtectedSite,
    ReturnKind,
    ReturnMovement,
    ReturnOrigin,
    RightsActivity,
    ViolenceKind,
)
from mission.accounts.models import User
from mission.records.declaration import record_type_of
from mission.records.demo import demo_record
from mission.records.shapes import AgeBand, Sex
from mission.trackers.demo import demo_tracked
from mission.trackers.shapes import DraftKind, DraftStage

CLAIMANTS = ["Shpresa Krasniqi", "Milica Jovanović", "Fatime Gashi", "Dragana Petrović", "Arben Hoxha", "Nenad Ilić"]
# The steps of a demo case, by its number, each some days after the claim (a step only once its day has come).
COMMUNITY_STEPS = (
    (CommunityResponse.MISSION_LETTER, 3),
    (CommunityResponse.ANSWERED, 20),
    (CommunityResponse.REMEDIED, 45),
)
HERITAGE_STEPS = (
    (HeritageResponse.POLICE_RECORDED, 1),
    (HeritageResponse.INVESTIGATION, 6),
    (HeritageResponse.IMC_RAISED, 30),
)
# Demo decisions of the Council: (year, number, site code, what it asks, of whom, deadline, statuses).
DECISIONS = (
    (
        2019,
        3,
        "SPZ-DEC",
        "Reroute the Deçan–Plav road outside the protective zone.",
        "Ministry of Infrastructure",
        (2020, 6, 30),
        ((2020, 2, DecisionStatus.NOT_IMPLEMENTED), (2023, 5, DecisionStatus.PARTLY)),
    ),
    (
        2021,
        7,
        "SPZ-PRZ-HC",
        "Stop the unauthorised construction in the historic centre.",
        "Municipality of Prizren",
        (2021, 12, 31),
        ((2022, 3, DecisionStatus.IMPLEMENTED),),
    ),
    (2023, 2, "SPZ-HOC", "Adopt the village's conservation plan.", "Ministry of Culture", (2024, 12, 31), ()),
)
PROPERTY_STEPS = (
    (PropertyStep.VERIFICATION, 120),
    (PropertyStep.ENFORCEMENT, 200),
    (PropertyStep.REPOSSESSION, 260),
)


def _steps(n: int, day: datetime.date, today: datetime.date, plan: tuple[tuple[str, int], ...]) -> list[dict]:
    """The first steps of `plan` whose day has come; every third record stops short of the last of them."""
    steps = []
    for k, (step, after) in enumerate(plan):
        when = day + datetime.timedelta(days=after + n % 7)
        if when > today or (n % 3 == 2 and k == len(plan) - 1) or (n % 4 == 3 and k > 0):
            break
        steps.append({"step": step, "date": when, "note": ""})
    return steps


def human_rights_demo_load(*, records: int) -> str:
    if CommunityIncident.objects.exists():
        return "human_rights: already there"
    users = get_user_model().objects
    pairs = [
        (users.get(username=monitor), users.get(username=supervisor))
        for monitor, supervisor in (
            ("demo.monitor", "demo.supervisor"),
            ("demo.monitor.mitrovica", "demo.supervisor.mitrovica"),
        )
    ]
    communities = list(Community.objects.order_by("code"))
    if not communities:
        return "human_rights: no communities"
    today = timezone.localdate()
    count = max(8, min(records, 40))
    made = {
        "community-rights incidents": 0,
        "language assessments": 0,
        "return movements": 0,
        "property claims": 0,
        "heritage incidents": 0,
        "gender-based violence files": 0,
        "activities": 0,
    }
    for monitor, supervisor in pairs:
        places = list(Municipality.objects.filter(region=monitor.region).order_by("code"))
        if not places:
            continue
        made["community-rights incidents"] += _incidents(monitor, supervisor, places, communities, count, today)
        made["language assessments"] += _assessments(monitor, supervisor, places, today)
        made["return movements"] += _returns(monitor, supervisor, places, communities, count, today)
        made["property claims"] += _property(monitor, supervisor, places, communities, count, today)
        made["heritage incidents"] += _heritage(monitor, supervisor, places, count, today)
        made["gender-based violence files"] += _gbv(monitor, supervisor, places, communities, count, today)
        made["activities"] += _activities(monitor, supervisor, places, communities, today)
    head = users.get(username="demo.head")
    made["Council decisions"] = _decisions(head)
    made["drafts reviewed"] = _drafts(head)
    return ", ".join(f"{what}: {n}" for what, n in made.items())


def _incidents(monitor: User, supervisor: User, places: list, communities: list, count: int, today) -> int:
    record_type = record_type_of(CommunityIncident)
    assert record_type is not None
    persons_part, steps_part = record_type.parts
    kinds = list(CommunityIncidentKind)
    for n in range(count):
        day = today - datetime.timedelta(days=9 * n + 2)
        kind = kinds[n % len(kinds)]
        fields = {
            "date": day,
            "municipality": places[n % len(places)],
            "kind": kind,
            "community": communities[(n * 3 + 1) % len(communities)],
            "institution": "Municipal civil registry" if kind == CommunityIncidentKind.DOCUMENTS else "",
            "reported_to_police": kind in (CommunityIncidentKind.SECURITY, CommunityIncidentKind.PROPERTY_DAMAGE),
            "description": "Demo incident.",
        }
        persons = [
            {
                "name": CLAIMANTS[(n + k) % len(CLAIMANTS)],
                "sex": (Sex.FEMALE, Sex.MALE)[(n + k) % 2],
                "community": fields["community"],
            }
            for k in range(n % 3)
        ]
        parts = {persons_part: persons, steps_part: _steps(n, day, today, COMMUNITY_STEPS)}
        demo_record(n, author=monitor, reviewer=supervisor, model=CommunityIncident, fields=fields, parts=parts)
    return count


def _assessments(monitor: User, supervisor: User, places: list, today) -> int:
    made = 0
    for k, place in enumerate(places):
        for year in (today.year - 2, today.year - 1):
            n = k * 2 + (year - today.year + 2)
            fields = {
                "municipality": place,
                "year": year,
                "assessed_on": datetime.date(year + 1, 2, 1 + k % 27),
                "signs": float(40 + (k * 13 + n * 7) % 60),
                "documents": float(30 + (k * 17 + n * 5) % 70),
                "sessions": float(50 + (k * 11 + n * 3) % 50),
                "website": k % 3 != 0,
                "translators": 1 + k % 4,
                "office_for_communities": k % 4 != 1,
                "complaints": k % 5,
                "notes": "Demo assessment.",
            }
            if fields["assessed_on"] > today:
                continue
            demo_record(n + 1, author=monitor, reviewer=supervisor, model=LanguageAssessment, fields=fields)
            made += 1
    return made


def _returns(monitor: User, supervisor: User, places: list, communities: list, count: int, today) -> int:
    record_type = record_type_of(ReturnMovement)
    assert record_type is not None
    (groups_part,) = record_type.parts
    origins, kinds, help_given = list(ReturnOrigin), list(ReturnKind), list(Assistance)
    for n in range(count):
        day = today - datetime.timedelta(days=11 * n + 3)
        households = 1 + n % 4
        groups = [
            {
                "community": communities[(n + k * 2) % len(communities)],
                "households": households,
                "persons": households * (2 + (n + k) % 4),
                "women": households * (1 + (n + k) % 2),
            }
            for k in range(1 + n % 2)
        ]
        fields = {
            "date": day,
            "municipality": places[(n * 2) % len(places)],
            "settlement": "",
            "origin": origins[n % len(origins)],
            "origin_place": "",
            "kind": kinds[n % len(kinds)],
            "assistance": help_given[n % len(help_given)],
            "contact": "",
            "description": "Demo return.",
        }
        demo_record(
            n, author=monitor, reviewer=supervisor, model=ReturnMovement, fields=fields, parts={groups_part: groups}
        )
    return count


def _property(monitor: User, supervisor: User, places: list, communities: list, count: int, today) -> int:
    record_type = record_type_of(PropertyCase)
    assert record_type is not None
    (steps_part,) = record_type.parts
    claims, kinds = list(PropertyClaim), list(PropertyKind)
    for n in range(count):
        day = today - datetime.timedelta(days=23 * n + 5)
        woman = n % 3 != 1
        fields = {
            "date": day,
            "municipality": places[(n * 3) % len(places)],
            "claim": claims[n % len(claims)],
            "property_kind": kinds[n % len(kinds)],
            "claimant": CLAIMANTS[n % len(CLAIMANTS)],
            "claimant_sex": Sex.FEMALE if woman else Sex.MALE,
            "community": communities[(n * 5 + 2) % len(communities)],
            "focus": PropertyFocus.WOMEN if woman and n % 2 == 0 else PropertyFocus.NONE,
            "case_number": f"KPCVA/{day.year}/{100 + n}",
            "description": "Demo case.",
        }
        parts = {steps_part: _steps(n, day, today, PROPERTY_STEPS)}
        demo_record(n, author=monitor, reviewer=supervisor, model=PropertyCase, fields=fields, parts=parts)
    return count


def _heritage(monitor: User, supervisor: User, places: list, count: int, today) -> int:
    """Incidents at the protected sites of the monitor's region, and some near no listed site."""
    record_type = record_type_of(HeritageIncident)
    assert record_type is not None
    (steps_part,) = record_type.parts
    sites = list(ProtectedSite.objects.filter(municipality__in=places).order_by("code"))
    kinds = list(HeritageIncidentKind)
    made = 0
    for n in range(count // 2):
        day = today - datetime.timedelta(days=13 * n + 4)
        site = sites[n % len(sites)] if sites and n % 4 != 3 else None
        fields = {
            "date": day,
            "site": site,
            "municipality": site.municipality if site else places[n % len(places)],
            "kind": kinds[n % len(kinds)],
            "reported_to_police": n % 5 != 2,
            "description": "Demo incident." if site else "Demo incident at an old cemetery.",
        }
        parts = {steps_part: _steps(n, day, today, HERITAGE_STEPS) if fields["reported_to_police"] else []}
        demo_record(n, author=monitor, reviewer=supervisor, model=HeritageIncident, fields=fields, parts=parts)
        made += 1
    return made


def _decisions(head: User) -> int:
    """The Council's decisions, as the department head enters them, with their status so far."""
    sites = {site.code: site for site in ProtectedSite.objects.all()}
    made = 0
    for year, number, site, text, responsible, (y, m, d), history in DECISIONS:
        fields = {
            "year": year,
            "number": number,
            "site": sites.get(site),
            "text": text,
            "responsible": responsible,
            "deadline": datetime.date(y, m, d),
        }
        demo_tracked(actor=head, model=CouncilDecision, fields=fields, history=history)
        made += 1
    return made


# The handling of a demo case of violence: (step, days after the report), a step only once its day has come.
GBV_STEPS = (
    (GbvStep.EMERGENCY_REQUESTED, 0),
    (GbvStep.EMERGENCY_DECIDED, 1),
    (GbvStep.ORDER_REQUESTED, 3),
    (GbvStep.ORDER_ISSUED, 14),
    (GbvStep.SHELTER, 2),
)
# Demo drafts reviewed: (title, kind, institution code, standards, comments sent (y, m, d), comments,
# taken up, stages as (y, m, stage)).
DRAFTS = (
    (
        "Draft Law on Amending the Law on the Use of Languages",
        DraftKind.LAW,
        "GOV-OPM",
        "FCNM Art. 10 and 11; European Charter for Regional or Minority Languages",
        (2024, 3, 12),
        14,
        9,
        ((2024, 2, DraftStage.CONSULTATION), (2024, 9, DraftStage.GOVERNMENT), (2025, 4, DraftStage.ASSEMBLY)),
    ),
    (
        "Draft Strategy for Communities and Returns 2025-2029",
        DraftKind.STRATEGY,
        "GOV-OPM",
        "FCNM; UN Guiding Principles on Internal Displacement",
        (2025, 1, 20),
        22,
        7,
        ((2025, 1, DraftStage.CONSULTATION),),
    ),
    (
        "Draft Administrative Instruction on Protection Orders",
        DraftKind.BYLAW,
        "MOJ",
        "Istanbul Convention Art. 52 and 53; CEDAW",
        (2024, 10, 2),
        8,
        8,
        ((2024, 9, DraftStage.CONSULTATION), (2025, 2, DraftStage.ADOPTED)),
    ),
)


def _gbv(monitor: User, supervisor: User, places: list, communities: list, count: int, today) -> int:
    """Cases of violence against women, mostly by a partner, with orders and referrals; no names."""
    record_type = record_type_of(GbvCase)
    assert record_type is not None
    (steps_part,) = record_type.parts
    kinds, ages = list(ViolenceKind), [AgeBand.AGE_18_25, AgeBand.AGE_26_40, AgeBand.AGE_41_60]
    for n in range(count):
        day = today - datetime.timedelta(days=5 * n + 2)
        late = n % 4 == 3  # a court that took longer than the law allows
        steps = []
        for step, after in GBV_STEPS:
            when = day + datetime.timedelta(days=after + (10 if late and step == GbvStep.ORDER_ISSUED else 0))
            if when <= today and not (n % 5 == 4 and step != GbvStep.SHELTER):
                steps.append({"step": step, "date": when, "note": ""})
        fields = {
            "date": day,
            "municipality": places[n % len(places)],
            "kind": kinds[0] if n % 3 else kinds[n % len(kinds)],
            "victim": "",
            "victim_sex": Sex.FEMALE if n % 7 else Sex.MALE,
            "victim_age": ages[n % len(ages)],
            "victim_community": communities[(n * 3) % len(communities)],
            "relation": "partner" if n % 3 else "family",
            "court_case": "",
            "description": "Demo case.",
        }
        parts = {steps_part: steps}
        demo_record(n, author=monitor, reviewer=supervisor, model=GbvCase, fields=fields, parts=parts)
    return count


def _activities(monitor: User, supervisor: User, places: list, communities: list, today) -> int:
    record_type = record_type_of(RightsActivity)
    assert record_type is not None
    (part,) = record_type.parts
    lines = list(ActivityLine)
    made = 0
    for n in range(10):
        day = today - datetime.timedelta(days=17 * n + 6)
        line = lines[n % len(lines)]
        people = [
            {
                "name": CLAIMANTS[(n + k) % len(CLAIMANTS)],
                "sex": (Sex.FEMALE, Sex.MALE)[(n + k) % 2],
                "age_band": AgeBand.AGE_18_25 if line == ActivityLine.YOUTH else AgeBand.AGE_26_40,
                "community": communities[(n + k) % len(communities)],
            }
            for k in range(3 + n % 5)
        ]
        fields = {
            "date": day,
            "end_date": None,
            "municipality": places[n % len(places)],
            "line": line,
            "title": f"{line.label} {n + 1}",
            "partner_institution": "",
            "description": "Demo activity.",
        }
        demo_record(n, author=monitor, reviewer=supervisor, model=RightsActivity, fields=fields, parts={part: people})
        made += 1
    return made


def _drafts(head: User) -> int:
    """The drafts the department reviewed, as its head enters them, with their stages so far."""
    institutions = {i.code: i for i in Institution.objects.all()}
    made = 0
    for title, kind, institution, standards, (y, m, d), comments, taken_up, stages in DRAFTS:
        if institution not in institutions:
            continue  # an administrator removed it from the reference list
        fields = {
            "title": title,
            "kind": kind,
            "institution": institutions[institution],
            "standards": standards,
            "comments_sent": datetime.date(y, m, d),
            "comments": comments,
            "taken_up": taken_up,
        }
        demo_tracked(actor=head, model=LegislativeReview, fields=fields, history=stages, day=10)
        made += 1
    return made
