"""`mission.expressions.ValuesOf`: one field of a subquery's rows as a tuple beside each row, in the
subquery's order, on SQLite and PostgreSQL alike."""

import pytest
from django.db.models import OuterRef

from mission.expressions import ValuesOf
from rights.models import Flag, Hearing
from tests.factories import FlagFactory, HearingFactory

pytestmark = pytest.mark.django_db


def _rules(order: tuple[str, ...]):
    flags = Flag.objects.filter(hearing=OuterRef("pk")).order_by(*order)
    return Hearing.objects.annotate(rules=ValuesOf(flags, "rule"), subjects=ValuesOf(flags, "subject")).order_by("pk")


def test_values_come_in_the_subquerys_order_and_an_empty_list_where_it_has_none(monitor):
    flagged, plain = HearingFactory(), HearingFactory()
    for rule, subject in (("not_recorded", "b"), ("violation", "c"), ("interpreter_absent", "a")):
        FlagFactory(hearing=flagged, rule=rule, subject=subject)
    rows = {hearing.pk: (hearing.rules, hearing.subjects) for hearing in _rules(("subject",))}
    assert rows == {
        flagged.pk: (("interpreter_absent", "not_recorded", "violation"), ("a", "b", "c")),
        plain.pk: ((), ()),
    }
    backwards = {hearing.pk: hearing.rules for hearing in _rules(("-subject",))}
    assert backwards[flagged.pk] == ("violation", "not_recorded", "interpreter_absent")


def test_values_of_a_related_field_and_numbers_keep_their_type(monitor):
    hearing = HearingFactory()
    flags = [FlagFactory(hearing=hearing, subject=f"s{n}") for n in range(3)]
    found = Hearing.objects.annotate(
        ids=ValuesOf(Flag.objects.filter(hearing=OuterRef("pk")).order_by("-pk"), "pk"),
        cases=ValuesOf(Flag.objects.filter(hearing=OuterRef("pk")).order_by("pk"), "case__case_number"),
    ).get(pk=hearing.pk)
    assert found.ids == tuple(sorted((flag.pk for flag in flags), reverse=True))
    assert found.cases == (hearing.case.case_number,) * 3
