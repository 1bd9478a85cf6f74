"""How sensitive each field of a record is, declared once on the model, and the pseudonyms that stand in
for restricted values.

A model says which of its fields are *internal* (staff only: free text, case numbers, who wrote what)
and which *restricted* (names and whatever identifies a person: only the department's own staff who need
them, every view logged); every other field is *public* (coded values partners may read). The API, the
exports, the reports and the access log read the declaration instead of keeping their own lists::

    class Party(BaseModel):
        ...
        sensitivity = declare(restricted=["name"], pseudonym=Pseudonym(role="role", ordinal="ordinal"))

A restricted text field must also be encrypted at rest (`mission.encryption.EncryptedCharField`):
`check_declarations` fails otherwise.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core import checks
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Case as CaseWhen
from django.db.models import CharField, F, ForeignObjectRel, Value, When
from django.db.models.expressions import Combinable
from django.db.models.functions import Chr, Concat, Mod
from django.utils.functional import Promise

from mission.history import model_field


class Sensitivity(enum.IntEnum):
    """Ordered: a value reached through a path is as sensitive as the most sensitive field on the way."""

    PUBLIC = 0
    INTERNAL = 1
    RESTRICTED = 2


def letters(ordinal: int) -> str:
    """1 → "A", 26 → "Z", 27 → "AA", 703 → "AAA" (as spreadsheet columns are named)."""
    text = ""
    n = ordinal
    while n > 0:
        n, rest = divmod(n - 1, 26)
        text = chr(ord("A") + rest) + text
    return text


def letters_sql(lookup: str) -> CaseWhen:
    """`letters` of the integer field `lookup`, worked out by the database, for ordinals up to 18,278
    ("ZZZ"). Integer division is `/` on SQLite and PostgreSQL alike."""
    ordinal = F(lookup)
    index = ordinal - 1
    two = index / 26  # 1-based number of the first of two letters (27 → 1, "A")
    three = (index / 26 - 1) / 26  # 1-based number of the first of three letters (703 → 1)
    return CaseWhen(
        When(**{f"{lookup}__lte": 26}, then=Chr(Value(64) + ordinal)),
        When(**{f"{lookup}__lte": 702}, then=Concat(Chr(Value(64) + two), Chr(Value(65) + Mod(index, 26)))),
        default=Concat(
            Chr(Value(64) + three),
            Chr(Value(65) + Mod(index / 26 - 1, 26)),
            Chr(Value(65) + Mod(index, 26)),
        ),
        output_field=CharField(),
    )


@dataclass(frozen=True)
class Pseudonym:
    """What stands in for a person's name: the label of their role and a letter per role ("Accused B").
    `role` names a field with choices, `ordinal` the number of the person within the role; without a
    role, `label` is every row's ("Journalist B")."""

    role: str = ""
    ordinal: str = "ordinal"
    label: str | Promise = ""
    stands_for: str = "name"  # the field it replaces; other restricted fields show nothing

    def of(self, obj: models.Model) -> str:
        label = getattr(obj, f"get_{self.role}_display")() if self.role else str(self.label)
        return f"{label} {letters(getattr(obj, self.ordinal) or 0)}"

    def sql(self, model: type[models.Model], prefix: str = "") -> Concat:
        """The same text worked out by the database, for rows written without model instances (COPY).
        `prefix` is the path from the queried model to `model` ("parties__"), if not the same."""
        label: Combinable = Value(str(self.label))
        if self.role:
            choices = model_field(model, self.role).choices or ()
            label = CaseWhen(
                *[When(**{f"{prefix}{self.role}": value}, then=Value(str(text))) for value, text in choices],
                default=Value(""),
                output_field=CharField(),
            )
        return Concat(label, Value(" "), letters_sql(f"{prefix}{self.ordinal}"), output_field=CharField())


@dataclass(frozen=True)
class Declaration:
    """The sensitivity of a model's fields; fields not named are public."""

    internal: frozenset[str] = field(default_factory=frozenset)
    restricted: frozenset[str] = field(default_factory=frozenset)
    pseudonym: Pseudonym | None = None

    def of(self, name: str) -> Sensitivity:
        if name in self.restricted:
            return Sensitivity.RESTRICTED
        if name in self.internal:
            return Sensitivity.INTERNAL
        return Sensitivity.PUBLIC

    def shown(self, obj: models.Model, name: str, *, restricted: bool) -> object:
        """The value of `obj.<name>` for someone who may (`restricted`) or may not read restricted
        values: a restricted value becomes the record's pseudonym."""
        if self.of(name) is Sensitivity.RESTRICTED and not restricted:
            if self.pseudonym is None or name != self.pseudonym.stands_for:
                return ""
            return self.pseudonym.of(obj)
        return getattr(obj, name)


def declare(
    *, internal: Iterable[str] = (), restricted: Iterable[str] = (), pseudonym: Pseudonym | None = None
) -> Declaration:
    """A model's declaration, as its class attribute `sensitivity` (checked by `check_declarations`)."""
    return Declaration(internal=frozenset(internal), restricted=frozenset(restricted), pseudonym=pseudonym)


PUBLIC_ONLY = Declaration()


def declaration(model: type[models.Model]) -> Declaration:
    found = getattr(model, "sensitivity", None)
    return found if isinstance(found, Declaration) else PUBLIC_ONLY


def _field(model: type[models.Model], name: str) -> models.Field[Any, Any] | ForeignObjectRel | None:
    try:
        return model._meta.get_field(model._meta.pk.name if name == "pk" else name)
    except FieldDoesNotExist:  # an annotation: worked out from fields the path does not name
        return None


def sensitivity_of(model: type[models.Model], lookup: str) -> Sensitivity:
    """How sensitive what `.values(lookup)` reads is: the most sensitive field along the path
    ("monitor__username" of an observation is as sensitive as its `monitor`)."""
    level = Sensitivity.PUBLIC
    for part in lookup.split("__"):
        found = _field(model, part)
        if found is None:
            break
        level = max(level, declaration(model).of(found.name))
        if not found.is_relation or found.related_model is None:
            break
        model = found.related_model
    return level


def staff_only(model: type[models.Model], fields: Mapping[str, str]) -> tuple[str, ...]:
    """The output names of `fields` (output name → lookup) that are not public: never for partners."""
    return tuple(key for key, lookup in fields.items() if sensitivity_of(model, lookup) is not Sensitivity.PUBLIC)


def restricted_fields(model: type[models.Model]) -> frozenset[str]:
    return declaration(model).restricted


def pseudonym_of(obj: models.Model) -> str:
    pseudonym = declaration(type(obj)).pseudonym
    if pseudonym is None:
        raise TypeError(f"{type(obj).__name__} declares no pseudonym.")
    return pseudonym.of(obj)


def pseudonym_sql(model: type[models.Model], prefix: str = "") -> Concat:
    pseudonym = declaration(model).pseudonym
    if pseudonym is None:
        raise TypeError(f"{model.__name__} declares no pseudonym.")
    return pseudonym.sql(model, prefix)


@checks.register(checks.Tags.models)
def check_declarations(app_configs: object = None, **_kwargs: object) -> list[checks.CheckMessage]:
    """Every declared field exists, none is both internal and restricted, and restricted text is
    encrypted at rest."""
    from mission.encryption import EncryptedCharField

    errors: list[checks.CheckMessage] = []
    for model in apps.get_models():
        found = getattr(model, "sensitivity", None)
        if not isinstance(found, Declaration):
            continue
        label = model._meta.label
        for name in sorted(found.internal | found.restricted):
            if _field(model, name) is None:
                message = f"{label}.sensitivity names {name!r}, which is no field."
                errors.append(checks.Error(message, id="mission.E010"))
        for name in sorted(found.internal & found.restricted):
            errors.append(checks.Error(f"{label}.{name} is declared both internal and restricted.", id="mission.E011"))
        for name in sorted(found.restricted):
            target = _field(model, name)
            if isinstance(target, (models.CharField, models.TextField)) and not isinstance(target, EncryptedCharField):
                errors.append(
                    checks.Error(
                        f"{label}.{name} is restricted text stored in clear.",
                        hint="Make it a mission.encryption.EncryptedCharField.",
                        id="mission.E012",
                    )
                )
    return errors
