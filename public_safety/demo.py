"""Demo data of the department (`manage.py seed_demo`): hate-crime incidents in the demo monitor's region,
logged through the kit's services as a monitor would, in every review state, with their victims and
the police's response so far; trainings with their trainees' test scores and evaluations; the action
plans' actions; and the forums, women-in-police figures and mentoring (`public_safety.demo_forums`)."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from field_offices.models import Community, Institution, Municipality
from mission.accounts.models import User
from mission.records.declaration import RecordPart, record_type_of
from mission.records.demo import demo_record
from mission.records.shapes import AgeBand, Sex
from mission.trackers.demo import demo_tracked
from public_safety.demo_forums import forums_demo_load, mentoring_demo_load, police_demo_load
from public_safety.models import (
    ActionItem,
    BiasMotivation,
    HateCrimeIncident,
    HateCrimeKind,
    HateCrimeResponse,
    Rank,
    Strategy,
    Training,
    TrainingTopic,
)

FIRST_NAMES = ["Shpresa", "Dragan", "Fatmir", "Jelena", "Agim", "Mirela", "Bekim", "Sanja", "Ilir", "Zorica"]
LAST_NAMES = ["Rexhepi", "Stojanović", "Bytyqi", "Ilić", "Kastrati", "Đorđević", "Halili", "Marković"]
# The response of a demo incident: which steps it has, by its number (a step only once its day has come).
RESPONSES: tuple[tuple[str, int], ...] = (
    (HateCrimeResponse.RECORDED, 1),
    (HateCrimeResponse.INDICATORS, 2),
    (HateCrimeResponse.INVESTIGATION, 6),
    (HateCrimeResponse.CHARGED, 40),
)


def _steps(n: int, day: datetime.date, today: datetime.date, reported: bool) -> list[dict[str, object]]:
    if not reported:
        return []
    steps: list[dict[str, object]] = []
    for k, (step, after) in enumerate(RESPONSES):
        when = day + datetime.timedelta(days=after + n % 3)
        if when > today:
            break  # not yet
        if (n + k) % 4 == 3:  # not done: the steps after it wait too, but a hate crime not recorded
            if step == HateCrimeResponse.RECORDED:  # may still be investigated (and is flagged)
                continue
            break
        steps.append({"step": step, "date": when, "note": ""})
    if n % 6 == 1:
        steps.append({"step": HateCrimeResponse.MISSION_MEETING, "date": min(day + datetime.timedelta(3), today)})
    return [{"note": "", **step} for step in steps]


def public_safety_demo_load(*, records: int) -> str:
    users = get_user_model().objects
    monitor = users.get(username="demo.monitor.safety")
    supervisor = users.get(username="demo.supervisor.safety")
    places = list(Municipality.objects.filter(region=monitor.region).order_by("code"))
    biases = list(BiasMotivation.objects.order_by("code"))
    if HateCrimeIncident.objects.exists() or not places or not biases:
        return "public_safety: already there"
    record_type = record_type_of(HateCrimeIncident)
    assert record_type is not None
    victims_part, steps_part = record_type.parts
    communities = list(Community.objects.order_by("code"))
    kinds, bands = list(HateCrimeKind), list(AgeBand)
    today = timezone.localdate()
    made = 0
    for n in range(max(8, min(records, 50))):
        day = today - datetime.timedelta(days=6 * n + 1)
        victims: list[dict[str, object]] = [
            {
                "name": f"{FIRST_NAMES[(n + k) % len(FIRST_NAMES)]} {LAST_NAMES[(n * 3 + k) % len(LAST_NAMES)]}",
                "sex": (Sex.MALE, Sex.FEMALE, Sex.MALE)[(n + k) % 3],
                "age_band": bands[(n + k) % (len(bands) - 1)],
                "community": communities[(n * 2 + k) % len(communities)] if communities else None,
            }
            for k in range(0 if n % 5 == 4 else 1 + n % 3)  # attacks on property may have no victim named
        ]
        reported = n % 5 != 3
        parts: dict[RecordPart, list[dict[str, object]]] = {
            victims_part: victims,
            steps_part: _steps(n, day, today, reported),
        }
        fields = {
            "date": day,
            "municipality": places[n % len(places)],
            "kind": kinds[n % len(kinds)],
            "bias_motivation": biases[(n * 7) % len(biases)],
            "reported_to_police": None if n % 9 == 8 else reported,
            "description": "Demo incident.",
        }
        demo_record(
            n,
            author=monitor,
            reviewer=supervisor,
            model=HateCrimeIncident,
            fields=fields,
            parts=parts,
            returned_because="Say which bias indicators the police noted.",
        )
        made += 1
    trainings = trainings_demo_load(monitor, supervisor, places, records)
    head = users.get(username="demo.head.safety")
    actions = actions_demo_load(head)
    forums = forums_demo_load(monitor, supervisor, places, records)
    names = [f"{first} {last}" for first, last in zip(FIRST_NAMES, LAST_NAMES * 2, strict=False)]
    mentoring = mentoring_demo_load(monitor, supervisor, places, names)
    figures = police_demo_load(head)
    return (
        f"hate-crime incidents: {made}, trainings: {trainings}, actions of action plans: {actions}, "
        f"forum meetings: {forums}, mentoring programmes: {mentoring}, women-in-police figures: {figures}"
    )


# Synthetic actions, worded as action plans word them (not quotations of the real plans): strategy,
# objective, number, responsible institution, deadline, what, and the status history (year, month, status).
ACTIONS = [
    (
        "PVE-2015",
        1,
        1,
        "MIA",
        (2016, 6, 30),
        "Set up a referral mechanism for persons at risk of radicalisation.",
        [(2016, 3, "in_progress"), (2017, 2, "completed")],
    ),
    (
        "PVE-2015",
        1,
        2,
        "KP",
        (2017, 12, 31),
        "Train community police officers to recognise signs of radicalisation.",
        [(2016, 9, "in_progress")],
    ),
    (
        "PVE-2015",
        2,
        1,
        "KCS",
        (2018, 12, 31),
        "Run disengagement programmes in the correctional facilities.",
        [(2017, 5, "in_progress"), (2019, 1, "dropped")],
    ),
    (
        "CYBER-2016",
        1,
        1,
        "KP",
        (2017, 6, 30),
        "Equip the cybercrime unit with digital forensics tools.",
        [(2016, 10, "completed")],
    ),
    ("CYBER-2016", 2, 1, "MIA", (2019, 12, 31), "Draft the law on cyber security.", [(2018, 4, "in_progress")]),
    (
        "THB-2015",
        1,
        1,
        "KP",
        (2016, 12, 31),
        "Set up standard procedures to identify victims of trafficking.",
        [(2016, 2, "in_progress"), (2016, 11, "completed")],
    ),
    ("THB-2015", 3, 2, "MOJ", (2019, 6, 30), "Train prosecutors on trafficking cases.", []),
]


def actions_demo_load(head: User) -> int:
    """The action plans' actions, as the department head enters them, with their status so far."""
    strategies = {s.code: s for s in Strategy.objects.all()}
    institutions = {i.code: i for i in Institution.objects.all()}
    made = 0
    for strategy, objective, number, responsible, (year, month, day), text, history in ACTIONS:
        if strategy not in strategies or responsible not in institutions:
            continue  # an administrator removed it from the reference list
        fields = {
            "strategy": strategies[strategy],
            "objective": objective,
            "number": number,
            "text": text,
            "responsible": institutions[responsible],
            "deadline": datetime.date(year, month, day),
        }
        demo_tracked(actor=head, model=ActionItem, fields=fields, history=history)
        made += 1
    return made


def trainings_demo_load(monitor: User, supervisor: User, places: list[Municipality], records: int) -> int:
    """Trainings on the department's topics for the agencies, with trainees' scores before and after
    (most learn, a few do not) and their evaluations, in every review state."""
    record_type = record_type_of(Training)
    assert record_type is not None
    (trainees_part,) = record_type.parts
    topics = list(TrainingTopic.objects.order_by("code"))
    agencies = list(Institution.objects.filter(kind="police_security").concerning("public_safety").order_by("code"))
    communities = list(Community.objects.order_by("code"))
    ranks, bands = [Rank.OFFICER, Rank.OFFICER, Rank.SERGEANT, Rank.LIEUTENANT, Rank.CAPTAIN], list(AgeBand)
    if not topics or not agencies:
        return 0
    today = timezone.localdate()
    made = 0
    for n in range(max(6, min(records // 2, 40))):
        topic, agency = topics[n % len(topics)], agencies[n % len(agencies)]
        trainees: list[dict[str, object]] = []
        for k in range(4 + n % 8):
            before = 35 + (n * 7 + k * 11) % 40
            trainees.append(
                {
                    "name": f"{FIRST_NAMES[(n + k) % len(FIRST_NAMES)]} {LAST_NAMES[(n + 3 * k) % len(LAST_NAMES)]}",
                    "sex": (Sex.MALE, Sex.FEMALE, Sex.MALE)[(n + k) % 3],
                    "age_band": bands[2 + (n + k) % 4],
                    "community": communities[(n + k) % len(communities)] if communities else None,
                    "rank": ranks[(n + k) % len(ranks)],
                    "agency": None,  # the course's
                    "pre_score": before,
                    "post_score": None if k % 7 == 6 else min(100, before + (k * 5 + n) % 30 - 3),
                    "satisfaction": 3 + (n + k) % 3,
                }
            )
        first = today - datetime.timedelta(days=9 * n + 3)
        fields = {
            "date": first,
            "end_date": first + datetime.timedelta(days=n % 3)
            if n % 3 and first < today - datetime.timedelta(2)
            else None,
            "municipality": places[n % len(places)],
            "title": f"{topic.name_en}: course {n + 1}",
            "topic": topic,
            "agency": agency,
            "unit": "",
            "trainers": "Demo trainers",
            "partner_institution": "Kosovo Academy for Public Safety",
            "description": "Demo training.",
        }
        demo_record(
            n,
            author=monitor,
            reviewer=supervisor,
            model=Training,
            fields=fields,
            parts={trainees_part: trainees},
            returned_because="Add the test scores after the course.",
        )
        made += 1
    return made
