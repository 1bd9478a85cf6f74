"""Demo data of the department (`manage.py seed_demo`): journalists' safety incidents in the demo
monitor's region, logged through the kit's services as a monitor would, in every review state, with
the journalists they concern and the response so far, and participation activities with their
participants."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.utils import timezone

from democratization.models import (
    ActivityKind,
    GovernanceAssessment,
    IncidentKind,
    JournalistIncident,
    JournalistResponse,
    MediaOutlet,
    MediaType,
    ParticipantOutcome,
    ParticipantRole,
    ParticipationActivity,
    PerpetratorType,
    Recommendation,
    RecommendationSource,
    SourceBody,
)
from field_offices.models import Community, Institution, Municipality
from mission.records.declaration import RecordPart, record_type_of
from mission.records.demo import demo_record
from mission.records.services import record_create, record_update
from mission.records.shapes import AgeBand, Sex
from mission.review.services import record_approve
from mission.trackers.demo import demo_tracked

if TYPE_CHECKING:
    from mission.accounts.models import User

FIRST_NAMES = ["Arta", "Besnik", "Drita", "Milica", "Nenad", "Vjosa", "Gentiana", "Stefan", "Hana", "Luan"]
LAST_NAMES = ["Krasniqi", "Gashi", "Jovanović", "Berisha", "Petrović", "Hoxha", "Morina", "Nikolić"]
OUTLETS = ["DUKAGJINI", "RTK", "KOHA", "KOSSEV", "KALLXO", "KANAL10", "INSAJDERI", ""]  # "": a freelancer


def _media_type(outlet: MediaOutlet | None) -> str:
    return outlet.media_type if outlet is not None else MediaType.FREELANCE


def democratization_demo_load(*, records: int) -> str:
    users = get_user_model().objects
    monitor = users.get(username="demo.monitor.democratization")
    supervisor = users.get(username="demo.supervisor.democratization")
    places = list(Municipality.objects.filter(region=monitor.region).order_by("code"))
    if JournalistIncident.objects.exists() or not places:
        return "democratization: already there"
    record_type = record_type_of(JournalistIncident)
    assert record_type is not None
    journalists_part, steps_part = record_type.parts
    communities = list(Community.objects.order_by("code"))
    kinds, perpetrators = list(IncidentKind), list(PerpetratorType)
    outlets = {o.code: o for o in MediaOutlet.objects.filter(code__in=OUTLETS)}
    today = timezone.localdate()
    made = []
    for n in range(max(8, min(records, 60))):
        day = today - datetime.timedelta(days=5 * n + 1)
        journalists: list[dict[str, object]] = [
            {
                "name": f"{FIRST_NAMES[(n + k) % len(FIRST_NAMES)]} {LAST_NAMES[(n * 3 + k) % len(LAST_NAMES)]}",
                "sex": (Sex.FEMALE, Sex.MALE)[(n + k) % 2],
                "community": communities[(n + k) % len(communities)] if communities else None,
                "outlet": outlets.get(OUTLETS[(n + k) % len(OUTLETS)]),
                "media_type": _media_type(outlets.get(OUTLETS[(n + k) % len(OUTLETS)])),
            }
            for k in range(1 + n % 2)
        ]
        reported = n % 4 != 3
        steps: list[dict[str, object]] = []
        if reported and n % 3 != 2 and 5 * n + 1 > 7:
            steps.append(
                {"step": JournalistResponse.POLICE_CASE, "date": day + datetime.timedelta(days=2 + n % 6), "note": ""}
            )
        if n % 5 == 0 and n:
            steps.append(
                {
                    "step": JournalistResponse.MISSION_STATEMENT,
                    "date": day + datetime.timedelta(days=1),
                    "note": "Demo statement.",
                }
            )
        fields = {
            "date": day,
            "municipality": places[n % len(places)],
            "kind": kinds[n % len(kinds)],
            "perpetrator_type": perpetrators[n % len(perpetrators)],
            "reported_to_police": None if n % 7 == 6 else reported,
            "description": "Demo incident.",
        }
        happened = [s for s in steps if isinstance(s["date"], datetime.date) and s["date"] <= today]
        parts: dict[RecordPart, list[dict[str, object]]] = {journalists_part: journalists, steps_part: happened}
        incident = demo_record(
            n,
            author=monitor,
            reviewer=supervisor,
            model=JournalistIncident,
            fields=fields,
            parts=parts,
            returned_because="Add the outlet.",
        )
        made.append(incident)
    activities = participation_demo_load(monitor, supervisor, places, records)
    recommendations = recommendations_demo_load(users.get(username="demo.head.democratization"))
    assessments = assessments_demo_load(monitor, supervisor, places)
    return (
        f"journalist safety incidents: {len(made)}, participation activities: {activities}, "
        f"election recommendations: {recommendations}, governance assessments: {assessments}"
    )


def participation_demo_load(monitor: User, supervisor: User, places: list[Municipality], records: int) -> int:
    """Activities of the participation programmes, with their participants, in every review state."""
    record_type = record_type_of(ParticipationActivity)
    assert record_type is not None
    (participants_part,) = record_type.parts
    communities = list(Community.objects.order_by("code"))
    kinds, bands, roles = list(ActivityKind), list(AgeBand), list(ParticipantRole)
    today = timezone.localdate()
    made = 0
    for n in range(max(6, min(records // 2, 40))):
        kind = kinds[n % len(kinds)]
        people: list[dict[str, object]] = [
            {
                "name": f"{FIRST_NAMES[(n + k) % len(FIRST_NAMES)]} {LAST_NAMES[(n + 2 * k) % len(LAST_NAMES)]}",
                "sex": (Sex.FEMALE, Sex.FEMALE, Sex.MALE)[(n + k) % 3],
                "age_band": bands[2 + (n + k) % 4],
                "community": communities[(n * 2 + k) % len(communities)] if communities else None,
                "role": roles[k % len(roles)] if kind != ActivityKind.TRAINEESHIP else ParticipantRole.TRAINEE,
                "outcome": ParticipantOutcome.EMPLOYED if kind == ActivityKind.TRAINEESHIP and k % 3 == 0 else "",
            }
            for k in range(3 + n % 9)
        ]
        fields = {
            "date": today - datetime.timedelta(days=7 * n + 2),
            "end_date": None,
            "municipality": places[n % len(places)],
            "kind": kind,
            "title": f"{kind.label} ({n + 1})",
            "partner_institution": "Municipal Assembly" if n % 2 else "",
            "description": "Demo activity.",
        }
        activity = record_create(
            actor=monitor, model=ParticipationActivity, fields=fields, parts={participants_part: people}
        )
        if n % 4:
            activity = record_update(
                actor=monitor, record=activity, expected_version=activity.version, fields={}, submit=True
            )
            if n % 4 != 1:
                record_approve(actor=supervisor, record=activity, expected_version=activity.version)
        made += 1
    return made


# The UK expert missions' reports are not in the reference list (see data/README.md): the demo adds one.
DEMO_UK_SOURCE = "DEMO-UK-2023"

# Synthetic recommendations, worded as observers' reports word them (not quotations of real reports).
RECOMMENDATIONS = [
    (
        "EU-EOM-2021-L",
        1,
        "priority",
        "legal_framework",
        "ASM",
        "Consolidate the electoral legislation in one law, adopted well before the next elections.",
    ),
    (
        "EU-EOM-2021-L",
        4,
        "priority",
        "voter_reg",
        "CEC",
        "Update the voter list from the civil registry and publish how deceased voters are removed.",
    ),
    (
        "EU-EOM-2021-L",
        9,
        "other",
        "campaign_finance",
        "ASM",
        "Require campaign finance reports before election day and give the CEC the means to audit them.",
    ),
    (
        "EU-EOM-2021-L",
        12,
        "other",
        "complaints_appeals",
        "ECAP",
        "Publish all ECAP decisions with their reasoning within a set deadline.",
    ),
    (
        DEMO_UK_SOURCE,
        3,
        "priority",
        "ocv",
        "CEC",
        "Review the procedures for postal voting from abroad to protect the secrecy of the vote.",
    ),
    (
        DEMO_UK_SOURCE,
        5,
        "other",
        "election_admin",
        "GOV-OPM",
        "Secure the CEC's budget for the electoral cycle in the annual budget law.",
    ),
    (
        "EU-EOM-2025",
        2,
        "priority",
        "women",
        "ASM",
        "Keep the gender quota when seats are allocated and when candidates are replaced.",
    ),
    (
        "EU-EOM-2025",
        6,
        "other",
        "media",
        "ASM",
        "Strengthen the independence of the media regulator and of the public broadcaster's board.",
    ),
]
HISTORIES = {
    1: [(2022, 3, "not_addressed"), (2024, 5, "partially")],
    4: [(2022, 6, "partially"), (2024, 11, "fully")],
    9: [(2023, 2, "not_addressed")],
    12: [(2022, 9, "fully")],
    3: [(2024, 4, "partially")],
    5: [(2024, 1, "no_longer_relevant")],
}


def recommendations_demo_load(head: User) -> int:
    """The tracker's recommendations, as the department head enters them, with their status so far."""
    RecommendationSource.objects.get_or_create(
        code=DEMO_UK_SOURCE,
        defaults={
            "body": SourceBody.UK_EXPERTS,
            "year": 2023,
            "name_en": "UK electoral expert mission 2023 (demo)",
            "name_sq": "Misioni britanik i ekspertëve zgjedhorë 2023 (demo)",
            "name_sr": "Britanska misija izbornih eksperata 2023 (demo)",
        },
    )
    sources = {s.code: s for s in RecommendationSource.objects.all()}
    institutions = {i.code: i for i in Institution.objects.all()}
    for source, number, priority, area, addressee, text in RECOMMENDATIONS:
        fields = {
            "source": sources[source],
            "number": number,
            "priority": priority,
            "area": area,
            "addressee": institutions[addressee],
            "text": text,
        }
        demo_tracked(actor=head, model=Recommendation, fields=fields, history=HISTORIES.get(number, []))
    return len(RECOMMENDATIONS)


def assessments_demo_load(monitor: User, supervisor: User, places: list[Municipality]) -> int:
    """Governance assessments of the region's municipalities for the last two years, most approved."""
    today = timezone.localdate()
    made = 0
    for n, place in enumerate(places):
        for back in (2, 1):
            seed = n * 7 + back * 3
            fields = {
                "municipality": place,
                "year": today.year - back,
                # In the spring after the year assessed (yesterday, early in a year).
                "assessed_on": min(datetime.date(today.year - back + 1, 3, 1 + n % 27), today - datetime.timedelta(1)),
                "budget_execution": 70.0 + seed % 25,
                "own_source_revenue": 12.0 + seed % 20,
                "audit_opinion": ("unmodified", "qualified", "qualified", "adverse", "not_yet")[seed % 5],
                "women_senior_posts": 20.0 + seed % 18,
                "non_majority_senior_posts": 4.0 + seed % 15,
                "performance_report": seed % 3 != 0,
                "public_meetings_held": seed % 4,
                "public_meetings_required": 2,
                "budget_hearings_held": 1 + seed % 3,
                "decisions_published": 40.0 + seed % 55,
                "notes": "Demo assessment.",
            }
            record = record_create(actor=monitor, model=GovernanceAssessment, fields=fields)
            if (n + back) % 4:
                record = record_update(
                    actor=monitor, record=record, expected_version=record.version, fields={}, submit=True
                )
                if (n + back) % 4 != 1:
                    record_approve(actor=supervisor, record=record, expected_version=record.version)
            made += 1
    return made
