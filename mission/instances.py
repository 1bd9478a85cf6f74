"""Model instances made from a kept statement's rows (`mission.kept_pages`), without `Model.__init__`.

`Model.from_db` builds an instance through `__init__`: the init signals, a `setattr` per field through
its descriptor, the deferred fields' checks. A review queue's page makes some 140 instances (each
observation with its hearing, case, court and monitor, the flags, the colleagues), and that cost it
about a tenth of its time. For a model whose fields are plain values (each read through Django's
`DeferredAttribute` or a foreign key's), with no `__init__` or `from_db` of its own and no receiver of
`pre_init` or `post_init`, the instance is its `__dict__`: the state and the values read, exactly what
`__init__` leaves (a field not read is left out of it, deferred, as `from_db` leaves it). Any other
model is made by `from_db` as usual.
"""

from collections.abc import Callable, Sequence
from typing import Any

from django.db.models import Model
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query import RelatedPopulator
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import post_init, pre_init

Maker = Callable[[Sequence[Any]], Model]


def _plain(model: type[Model], attname: str) -> bool:
    """The field's attribute is Django's own, which `__init__` would only store in `__dict__`:
    `DeferredAttribute` has no `__set__`, and a foreign key's id sets `__dict__` too (and forgets a
    cached related object, which a new instance does not have)."""
    for klass in model.__mro__:
        if attname in klass.__dict__:
            return type(klass.__dict__[attname]) in _PLAIN
    return True


_PLAIN = (DeferredAttribute, ForeignKeyDeferredAttribute)


def fast(model: type[Model], init_list: Sequence[str]) -> bool:
    return (
        model.__init__ is Model.__init__
        and model.from_db.__func__ is Model.from_db.__func__  # type: ignore[attr-defined]
        and not pre_init.has_listeners(model)
        and not post_init.has_listeners(model)
        and all(_plain(model, attname) for attname in init_list)
    )


def maker(model: type[Model], init_list: Sequence[str], db: str) -> Maker:
    """A function of a row's values (in `init_list`'s order) to the instance `from_db` would make."""
    names = tuple(init_list)
    if not fast(model, names):
        return lambda values: model.from_db(db, names, values)
    new = model.__new__

    def make(values: Sequence[Any]) -> Model:
        obj = new(model)
        state = ModelState()
        state.adding = False
        state.db = db
        attributes = dict(zip(names, values, strict=True))
        attributes["_state"] = state
        obj.__dict__ = attributes
        return obj

    return make


class Populator:
    """`RelatedPopulator` (a `select_related` model of each row) with its instances made by `maker`."""

    def __init__(self, populator: RelatedPopulator, db: str) -> None:
        self.reorder = populator.reorder_for_init
        self.start, self.end = getattr(populator, "cols_start", 0), getattr(populator, "cols_end", 0)
        self.pk_idx = populator.pk_idx
        self.make = maker(populator.model_cls, populator.init_list, db)
        self.related = tuple(Populator(related, db) for related in populator.related_populators)
        self.local_setter = populator.local_setter
        self.remote_setter = populator.remote_setter

    def populate(self, row: Sequence[Any], from_obj: Model) -> None:
        data = self.reorder(row) if self.reorder else row[self.start : self.end]
        if data[self.pk_idx] is None:
            obj = None
        else:
            obj = self.make(data)
            for related in self.related:
                related.populate(row, obj)
        self.local_setter(from_obj, obj)
        if obj is not None:
            self.remote_setter(obj, from_obj)
