"""Instances made from a kept statement's rows without `Model.__init__` (`mission.instances`): what
`from_db` would make, deferred fields still deferred, and `from_db` itself for a model that needs it."""

import datetime

import pytest
from django.db.models.signals import post_init

from mission.instances import fast, maker
from rights.models import Hearing
from tests.factories import CaseFactory, HearingFactory

pytestmark = pytest.mark.django_db


def _values(hearing: Hearing, names: list[str]) -> list:
    return [getattr(hearing, name) for name in names]


def test_an_instance_made_fast_is_what_from_db_makes(geography, monitor):
    hearing = HearingFactory(case=CaseFactory(), date=datetime.date(2026, 3, 4))
    names = [field.attname for field in Hearing._meta.concrete_fields]
    assert fast(Hearing, names)
    made = maker(Hearing, names, "default")(_values(hearing, names))
    reference = Hearing.from_db("default", names, _values(hearing, names))
    assert type(made) is Hearing
    assert (made._state.adding, made._state.db) == (False, "default")
    assert {k: v for k, v in made.__dict__.items() if k != "_state"} == {
        k: v for k, v in reference.__dict__.items() if k != "_state"
    }
    assert made == hearing
    assert made.case == hearing.case  # the related case read on demand, as usual
    made.date = datetime.date(2026, 3, 5)
    made.save(update_fields=["date"])  # an existing row: an UPDATE, not an INSERT
    hearing.refresh_from_db()
    assert hearing.date == datetime.date(2026, 3, 5)


def test_a_field_not_read_stays_deferred(geography, monitor):
    hearing = HearingFactory(case=CaseFactory(), outcome="Said in court")
    names = [field.attname for field in Hearing._meta.concrete_fields if field.name != "outcome"]
    made = maker(Hearing, names, "default")(_values(hearing, names))
    assert "outcome" not in made.__dict__
    assert made.get_deferred_fields() == {"outcome"}
    assert made.outcome == "Said in court"  # read when asked for, as from_db's instance does


def test_a_model_with_an_init_receiver_is_made_by_from_db(geography, monitor):
    hearing = HearingFactory(case=CaseFactory())
    names = [field.attname for field in Hearing._meta.concrete_fields]
    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance)

    post_init.connect(receiver, sender=Hearing)
    try:
        assert not fast(Hearing, names)
        made = maker(Hearing, names, "default")(_values(hearing, names))
    finally:
        post_init.disconnect(receiver, sender=Hearing)
    assert seen == [made]
