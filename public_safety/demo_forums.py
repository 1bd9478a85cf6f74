"""Demo data of the department's forums and of women in the police (`manage.py seed_demo`, through
`public_safety.demo`): a registry of forums in the demo monitor's region with their meetings (more
often in some forums than in others, so that some function and some do not), attendance and issues;
the police's yearly figures by region, rank and level with the plan's targets (synthetic: not the
police's own numbers); and mentoring programmes."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from field_offices.models import Community, Municipality, Region
from mission.accounts.models import User
from mission.records.declaration import record_type_of
from mission.records.demo import demo_record
from mission.records.shapes import AgeBand, Sex
from public_safety.models import (
    FollowUp,
    ForumKind,
    ForumMeeting,
    GenderTarget,
    IssueCategory,
    ManagementLevel,
    Mentoring,
    MentoringRole,
    PolicePresence,
    PoliceStaffFigure,
    Rank,
    SafetyForum,
)

FORUM_NAMES = {
    ForumKind.MCSC: (
        "Municipal Community Safety Council of {place}",
        "Këshilli Komunal për Siguri në Bashkësi, {place}",
        "Opštinski savet za bezbednost zajednice, {place}",
    ),
    ForumKind.LPSC: (
        "Local Public Safety Committee {n}, {place}",
        "Komiteti Lokal për Siguri Publike {n}, {place}",
        "Lokalni komitet za javnu bezbednost {n}, {place}",
    ),
}
AGENDAS = ("Safety in the neighbourhood", "Traffic near the schools", "Youth and drugs", "Property thefts")


def forums_demo_load(monitor: User, supervisor: User, places: list[Municipality], records: int) -> int:
    """The forums of the region's municipalities and their meetings over the last year."""
    forums = []
    for place in places:
        for kind, n in ((ForumKind.MCSC, 0), (ForumKind.LPSC, 1), (ForumKind.LPSC, 2)):
            names = {
                f"name_{lang}": text.format(place=getattr(place, f"name_{lang}"), n=n)
                for lang, text in zip(("en", "sq", "sr"), FORUM_NAMES[kind], strict=True)
            }
            forum, _created = SafetyForum.objects.get_or_create(
                code=f"{kind.upper()}-{place.code}" + (f"-{n}" if n else ""),
                defaults={"kind": kind, "municipality": place, "established": 2010 + n, **names},
            )
            forums.append(forum)
    record_type = record_type_of(ForumMeeting)
    assert record_type is not None
    attendance_part, issues_part = record_type.parts
    communities = list(Community.objects.order_by("code"))
    categories = list(IssueCategory)
    today = timezone.localdate()
    made = 0
    for f, forum in enumerate(forums):
        every = (30, 60, 150)[f % 3]  # a forum meeting every month functions; one every five months does not
        for k in range(max(1, min(records // 10, 365 // every))):
            n = f * 7 + k
            day = today - datetime.timedelta(days=every * k + 2 + f % 5)
            attendance = [
                {
                    "community": communities[(n + j) % len(communities)] if communities else None,
                    "women": (n + j) % 6,
                    "men": 3 + (n * 3 + j) % 9,
                }
                for j in range(1 + n % 3)
            ]
            issues = [
                {
                    "category": categories[(n + j) % len(categories)],
                    "issue": "Demo issue raised by residents.",
                    "action": "Demo action agreed.",
                    "owner": "Police station",
                    "deadline": day + datetime.timedelta(days=30),
                    "follow_up": (FollowUp.RESOLVED, FollowUp.OPEN, FollowUp.IN_PROGRESS, FollowUp.NOT_RESOLVED)[
                        (n + j) % 4
                    ],
                }
                for j in range(n % 3)
            ]
            fields = {
                "forum": forum,
                "date": day,
                "title": AGENDAS[n % len(AGENDAS)],
                "police": PolicePresence.ABSENT if n % 4 == 3 else PolicePresence.PRESENT,
                "partner_institution": "",
                "description": "Demo meeting.",
            }
            demo_record(
                n + 1,  # the first meeting of each forum is not a draft
                author=monitor,
                reviewer=supervisor,
                model=ForumMeeting,
                fields=fields,
                parts={attendance_part: attendance, issues_part: issues},
                returned_because="Add the attendance by community.",
            )
            made += 1
    return made


# (rank, level, officers per region, the women's share in the first year, its gain per year in 0.1 %)
STAFF = (
    (Rank.OFFICER, ManagementLevel.NONE, 1400, Decimal("0.15"), 4),
    (Rank.SERGEANT, ManagementLevel.FIRST_LINE, 260, Decimal("0.10"), 5),
    (Rank.LIEUTENANT, ManagementLevel.MIDDLE, 90, Decimal("0.09"), 6),
    (Rank.CAPTAIN, ManagementLevel.MIDDLE, 40, Decimal("0.07"), 6),
    (Rank.MAJOR, ManagementLevel.SENIOR, 12, Decimal("0.05"), 8),
    (Rank.COLONEL, ManagementLevel.SENIOR, 5, Decimal("0.00"), 10),
)


def police_demo_load(head: User) -> int:
    """Synthetic yearly figures of the police by region, rank and level, and the plan's targets."""
    if PoliceStaffFigure.objects.exists():
        return 0
    today = timezone.localdate()
    regions = list(Region.objects.order_by("code"))
    rows = []
    for year in range(today.year - 6, today.year):
        for r, region in enumerate(regions):
            for rank, level, size, share, gain in STAFF:
                total = size + (r * 37 + year) % max(2, size // 10)
                women = int(total * (share + Decimal(gain) * (year - today.year + 6) / 1000))
                rows.append(
                    PoliceStaffFigure(
                        year=year,
                        region=region,
                        rank=rank,
                        level=level,
                        women=women,
                        men=total - women,
                        source="Demo figures",
                    )
                )
    for row in rows:
        row._history_user = head
        row.save()
    for year in range(today.year - 6, today.year + 3):
        target = Decimal("15.0") + Decimal("0.5") * (year - today.year + 6)
        GenderTarget.objects.get_or_create(year=year, defaults={"share": target, "plan": "Demo gender-equality plan"})
    return len(rows)


def mentoring_demo_load(monitor: User, supervisor: User, places: list[Municipality], names: list[str]) -> int:
    """Mentoring programmes for women officers, with their mentors and mentees."""
    record_type = record_type_of(Mentoring)
    assert record_type is not None
    (participants_part,) = record_type.parts
    today = timezone.localdate()
    made = 0
    for n in range(6):
        participants = [
            {
                "name": names[(n + k) % len(names)],
                "sex": Sex.FEMALE if k else (Sex.FEMALE, Sex.MALE)[n % 2],
                "age_band": AgeBand.AGE_26_40,
                "community": None,
                "rank": Rank.CAPTAIN if k == 0 else Rank.OFFICER,
                "role": MentoringRole.MENTOR if k == 0 else MentoringRole.MENTEE,
            }
            for k in range(3 + n % 3)
        ]
        first = today - datetime.timedelta(days=40 * n + 10)
        fields = {
            "date": first,
            "end_date": first + datetime.timedelta(days=5),
            "municipality": places[n % len(places)],
            "title": f"Mentoring circle {n + 1}",
            "partner_institution": "Kosovo Police",
            "description": "Demo mentoring.",
        }
        demo_record(
            n,
            author=monitor,
            reviewer=supervisor,
            model=Mentoring,
            fields=fields,
            parts={participants_part: participants},
        )
        made += 1
    return made
