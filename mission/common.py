"""Shared plumbing for every app: the abstract base model, localised names, application errors."""

import functools
import re
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils import translation
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser


class BaseModel(models.Model):
    """Every table that holds mission data knows when its rows were made and last changed."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # Read by django-simple-history on the next save(): who made the change and why. Services set them.
    _history_user: "AbstractBaseUser | None"
    _change_reason: str | None

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field: models.Field) -> Any:  # type: ignore[type-arg]  # noqa: N802 - Django's name
        """`get_<field>_display()` with the field's labels said once per process and language, not
        rebuilt (a dict of every choice, made hashable, each label translated) on every call: a list of
        25 rows calls it a hundred times. A value without a label is itself, as Django gives it."""
        value = getattr(self, field.attname)
        key = make_hashable(value)
        labels = _choice_texts(field, get_language() or "")
        return labels[key] if key in labels else force_str(value, strings_only=True)


@functools.lru_cache(maxsize=2048)
def _choice_texts(field: models.Field, language: str) -> dict[Any, str]:  # type: ignore[type-arg]
    """The field's labels in `language` (the active one when first asked for)."""
    with translation.override(language or None):
        return {key: force_str(label) for key, label in make_hashable(field.flatchoices)}


# The suffix of the name column that each interface language reads; English is the fallback.
_NAME_SUFFIX_BY_LANGUAGE = {"en": "en", "sq": "sq", "sr-latn": "sr", "sr": "sr"}


def language_suffix(language: str | None = None) -> str:
    """The `name_<suffix>` column for a language code (the active language when not given)."""
    code = (language or get_language() or "en").lower()
    return _NAME_SUFFIX_BY_LANGUAGE.get(code, _NAME_SUFFIX_BY_LANGUAGE.get(code.split("-")[0], "en"))


class LocalizedNameModel(models.Model):
    """A name in the interface's three languages; `name` is the one of the user's language."""

    name_en = models.CharField(_("name (English)"), max_length=200)
    name_sq = models.CharField(_("name (Albanian)"), max_length=200)
    name_sr = models.CharField(_("name (Serbian Latin)"), max_length=200)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return getattr(self, f"name_{language_suffix()}") or self.name_en


class ReferenceList(LocalizedNameModel, BaseModel):
    """A row of a reference list a department loads from its `data/` folder (a bias motivation, a
    training topic, a media outlet): its code, which the API, imports and loaders name it by, its name in
    the three languages, and the history of its changes. The subclass adds its own fields and names; its
    Meta may order it otherwise (by name by default)."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True
        ordering = ["name_en"]


class ApplicationError(Exception):
    """A business rule refused an action; `message` is safe to show to the user."""

    def __init__(self, message: str, extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra or {}


class VersionedModel(models.Model):
    """Optimistic locking: every save through a service raises `version`; a save based on an older
    version, or naming none, is refused (see `mission.concurrency`). `conflict_related` may name
    child relations whose changes an edit conflict lists too."""

    conflict_related: tuple[str, ...] = ()

    version = models.PositiveIntegerField(_("version"), default=1)
    # The django-simple-history manager every versioned model has: conflicts are read from it.
    history: Any

    class Meta:
        abstract = True


_WHOLE_NUMBER = re.compile(r"[0-9]{1,18}")


def whole_number(text: str | None) -> int | None:
    """`text` as a non-negative whole number, or None. Only ASCII digits count (`str.isdigit` also takes
    "²" and other scripts' digits, which `int()` refuses or reads), and at most 18 of them, so that the
    number always fits the database's 64-bit integers (an OFFSET or an id beyond them is a server
    error, not an empty page)."""
    if text is None or not _WHOLE_NUMBER.fullmatch(text):
        return None
    return int(text)
