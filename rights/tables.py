"""The tables of trial monitoring, each declared once (`mission.exports`) and read by every file that
writes it: the list pages' CSV downloads (`rights/views/`) and the data report's sheets and files
(`rights/reports.py`). Where a page and the report differ, the difference is a named subset below."""

import functools
from collections.abc import Iterator
from typing import cast

from django.db.models import CharField, OuterRef, Subquery
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from mission.exports import (
    Choice,
    Column,
    DisplayName,
    Field,
    FreeText,
    Merged,
    PseudonymOf,
    Source,
    TableSpec,
    YesNo,
    stream_values,
)
from mission.sensitivity import pseudonym_sql
from rights.models import (
    AdjournmentReason,
    AgeBand,
    HearingType,
    ObservationStatus,
    Party,
    PartyRole,
    Sex,
)

CHUNK = 2000


@functools.cache
def _pseudonym(language: str, ordinal: int) -> str:
    """What Party.pseudonym says ("Accused B") in a language, made once per language and ordinal."""
    return Party(role=PartyRole.ACCUSED, ordinal=ordinal).pseudonym


def _accused_by_case(source: Source) -> Iterator[tuple[int, str]]:
    """(case id, the accused as one text) for the cases of these hearings, in case order: "Accused A:
    name" where names may be read, else pseudonyms. One streamed query."""
    language = get_language()  # the file's
    hearings = source.queryset.values("case_id")
    parties = Party.objects.filter(role=PartyRole.ACCUSED, case__in=hearings).order_by("case_id", "ordinal")
    fields = ("case_id", "ordinal", "name") if source.restricted else ("case_id", "ordinal")
    current: int | None = None
    people: list[str] = []
    for case_id, ordinal, *name in stream_values(parties, *fields, chunk=CHUNK):
        if case_id != current:
            if current is not None:
                yield current, "; ".join(people)
            current, people = cast(int, case_id), []
        label = _pseudonym(language, cast(int, ordinal))
        people.append(f"{label}: {name[0]}" if name else label)
    if current is not None:
        yield current, "; ".join(people)


def _accused_pseudonyms(source: Source) -> Subquery | None:
    """The SQL form of the accused (PostgreSQL): pseudonyms as `_accused_by_case` writes them; None
    where names may be read (encrypted at rest, they are filled in by Python)."""
    from django.contrib.postgres.aggregates import StringAgg  # PostgreSQL's alone, as COPY is

    if source.restricted:
        return None
    people = (
        Party.objects.filter(case_id=OuterRef("case_id"), role=PartyRole.ACCUSED)
        .order_by()
        .values("case_id")
        .annotate(text=StringAgg(pseudonym_sql(Party), delimiter="; ", order_by="ordinal"))
        .values("text")[:1]
    )
    return Subquery(people, output_field=CharField())


HEARINGS = TableSpec(
    Column("date", _("Date"), Field("date", kind="date"), width=12),
    Column("case_number", _("Case number"), Field("case__case_number"), width=18),
    Column("court", _("Court"), Field("case__court__name", localised=True), width=30),
    Column("region", _("Region"), Field("case__municipality__region__name", localised=True), width=18),
    Column("municipality", _("Municipality"), Field("case__municipality__name", localised=True), width=18),
    Column("type", _("Type"), Choice("hearing_type", HearingType.choices), width=20),
    Column("held", _("Held"), YesNo("held"), width=8),
    Column(
        "adjournment_reason",
        _("Reason for adjournment"),
        Choice("adjournment_reason", AdjournmentReason.choices),
        width=24,
    ),
    Column("recorded", _("Recorded"), YesNo("recorded"), width=10),
    Column("public", _("Public"), YesNo("public"), width=8),
    Column("interpretation_needed", _("Interpretation needed"), YesNo("interpretation_needed")),
    Column("interpretation_provided", _("Interpretation provided"), YesNo("interpretation_provided")),
    # Counted by the list's selector (`selectors.hearing_list`).
    Column("observations", _("Observations"), Field("observation_count", kind="int")),
    Column("flags", _("Flags"), Field("flag_count", kind="int")),
    # Each cell starts with a pseudonym ("Accused A: name"). The rows must come in case order.
    Column("accused", _("Accused"), Merged("case_id", _accused_by_case, _accused_pseudonyms), width=30),
)
# The list page: the list's own counts; no names, which a page's CSV would have to log case by case.
HEARINGS_PAGE = HEARINGS.without("municipality", "accused")
# The data report: where each hearing was and whom it tried; counts are the report's other sheets.
HEARINGS_REPORT = HEARINGS.without("interpretation_needed", "interpretation_provided", "observations", "flags")

OBSERVATIONS = TableSpec(
    Column("hearing_date", _("Hearing date"), Field("hearing__date", kind="date"), width=12),
    Column("case_number", _("Case number"), Field("hearing__case__case_number"), width=18),
    Column("court", _("Court"), Field("hearing__case__court__name", localised=True), width=30),
    Column("region", _("Region"), Field("hearing__case__municipality__region__name", localised=True), width=18),
    Column("monitor", _("Monitor"), DisplayName("monitor"), width=22),
    Column("status", _("Status"), Choice("status", ObservationStatus.choices), width=18),
    Column("revision", _("Revision"), Field("revision", kind="int"), width=9),
    # The day in the portal's time zone, worked out by the database.
    Column("submitted", _("Submitted"), Field("submitted_at__date", kind="date"), width=12),
    # Counted by the list's selector (`selectors.observation_list`).
    Column("violations", _("Violations"), Field("violations", kind="int"), width=10),
    Column("summary", _("Summary"), FreeText("summary", multiline=True), width=50),
)
# The list page: what a reviewer looks for first (the violations); the report: when each was submitted.
OBSERVATIONS_PAGE = OBSERVATIONS.without("submitted")
OBSERVATIONS_REPORT = OBSERVATIONS.without("violations")

JUVENILE = (
    ("juvenile", _("Juvenile (under 18)")),
    ("adult", _("Adult")),
    ("unknown", _("Not known")),
)

# The accused persons of a set of cases, one row each (so each counts once); the pseudonym, never the
# name: the counts need none. The queryset is annotated with `indicators.juvenile()`.
ACCUSED = TableSpec(
    Column("case_number", _("Case number"), Field("case__case_number"), width=18),
    Column("court", _("Court"), Field("case__court__name", localised=True), width=30),
    Column("region", _("Region"), Field("case__municipality__region__name", localised=True), width=18),
    Column("accused", _("Accused"), PseudonymOf(Party)),
    Column("sex", _("Sex"), Choice("sex", Sex.choices), width=12),
    Column("age", _("Age"), Choice("age_band", AgeBand.choices), width=12),
    Column("juvenile", _("Juvenile"), Choice("juvenile", JUVENILE), width=18),
    Column("community", _("Community"), Field("community__name", localised=True), width=18),
)
