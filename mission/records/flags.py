"""Flags by rule on declared records: a department names its rules (`RecordType.flag_rules`), each a
predicate over a record; a rule that holds raises one open flag on the record, which someone who
follows the record up (`may_follow_up`) closes with a note. Rules are checked when the record goes to
review or is corrected, and every night for what time alone makes true ("no police case 30 days after
the incident"): a rule with `candidates` names the records that sweep looks at."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from mission.accounts.permissions import may_follow_up
from mission.records.declaration import RecordType, record_type_of
from mission.records.shapes import FlagStatus, RecordFlagRow
from mission.review.models import ReviewStatus

if TYPE_CHECKING:
    from mission.accounts.models import User
    from mission.review.models import ReviewedRecord

# A record is flagged once someone has sent it for review: a draft is its author's work in progress.
FLAGGED_STATUSES = (ReviewStatus.SUBMITTED, ReviewStatus.APPROVED)


@dataclass(frozen=True)
class FlagRule:
    """One rule: `code` is a value of the flag model's `rule` choices (its label is what pages show),
    `applies(record)` whether it holds. `candidates(queryset)` narrows the department's submitted and
    approved records to those the rule may hold for, for the nightly sweep; without it the rule is
    checked only when the record is sent for review or corrected."""

    code: str
    applies: Callable[[Any], bool]
    candidates: Callable[[QuerySet[Any]], QuerySet[Any]] | None = None


@functools.cache
def rules_of(record_type: RecordType) -> tuple[FlagRule, ...]:
    if not record_type.flag_rules:
        return ()
    rules: tuple[FlagRule, ...] = tuple(import_string(record_type.flag_rules))
    return rules


FLAGS = "flags"  # the related name of a record's flag rows


def flags_of(record: ReviewedRecord) -> Any:
    """The record's flag rows (its related manager)."""
    return getattr(record, FLAGS)


def flag_model_of(model: type[ReviewedRecord]) -> type[RecordFlagRow]:
    flag_model: type[RecordFlagRow] = getattr(model, FLAGS).rel.related_model
    return flag_model


def record_flags_raise(record: ReviewedRecord) -> list[RecordFlagRow]:
    """Raise the flags whose rules now hold for `record` (submitted or approved), each once per rule
    and record (a closed flag is not raised again). Returns the flags raised."""
    record_type = record_type_of(type(record))
    rules = rules_of(record_type) if record_type else ()
    if not rules or record.status not in FLAGGED_STATUSES:
        return []
    from mission.notifications.models import NotificationKind
    from mission.notifications.services import follow_up_staff, notify, page_of

    model: Any = flag_model_of(type(record))  # a department's flag row: its `rule` and its record's key
    link = flags_of(record).field.name
    known = set(model._default_manager.filter(**{link: record}).values_list("rule", flat=True))
    raised = []
    for rule in rules:
        if rule.code in known or not rule.applies(record):
            continue
        try:
            with transaction.atomic():  # raised meanwhile by another process: the same flag
                raised.append(model._default_manager.create(**{link: record, "rule": rule.code}))
        except IntegrityError:
            continue
    if raised:
        notify(
            follow_up_staff(record),
            NotificationKind.FLAG,
            url=page_of(record),
            record=f"model:{record._meta.label_lower}",
        )
    return raised


@transaction.atomic
def record_flag_close(*, actor: User, flag: RecordFlagRow, note: str) -> RecordFlagRow:
    """Close an open flag with a note saying what was done, by someone who follows up its record."""
    record = getattr(flag, _record_link(type(flag)))
    if not may_follow_up(actor, record):
        raise PermissionDenied
    flag = type(flag)._default_manager.select_for_update().get(pk=flag.pk)
    if flag.status != FlagStatus.OPEN:
        raise ValidationError(_("This flag is already closed."))
    if not note.strip():
        raise ValidationError({"closing_note": _("Say what was done, or why the flag needs nothing more.")})
    flag.status = FlagStatus.CLOSED
    flag.closed_by = actor
    flag.closed_at = timezone.now()
    flag.closing_note = note.strip()
    flag._history_user = actor
    flag.save()
    return flag


def _record_link(model: type[RecordFlagRow]) -> str:
    """The flag model's foreign key to its record: the one that is not who closed it."""
    keys = [f.name for f in model._meta.concrete_fields if f.many_to_one and f.name != "closed_by"]
    if len(keys) != 1:
        raise TypeError(f"{model.__name__} needs one foreign key to its record.")
    return keys[0]


def _declared() -> Iterator[RecordType]:
    from mission import departments

    for config in departments.all():
        yield from (record_type for record_type in config.records if rules_of(record_type))


def record_flags_sweep() -> int:
    """Check every rule with `candidates` against the records it names (what time alone makes true);
    returns how many flags were raised. Run nightly by Celery beat."""
    raised = 0
    for record_type in _declared():
        model: Any = record_type.get_model()
        records = model._default_manager.filter(status__in=FLAGGED_STATUSES)
        for rule in rules_of(record_type):
            if rule.candidates is None:
                continue
            for record in rule.candidates(records.exclude(flags__rule=rule.code)).order_by("pk").iterator(2000):
                raised += len(record_flags_raise(record))
    return raised


def no_step_after(
    code: str, step: str, days: int, *, steps: str = "response_steps", reported_only: bool = True
) -> FlagRule:
    """The rule "no `step` in the response `days` after an incident reported to the police" (no police
    case, no investigation), for an `IncidentRecord` whose `ResponseStepRow` rows are its `steps`; with
    `reported_only=False`, after any incident (no answer from the institution responsible). It holds
    once the days have passed, so the nightly sweep checks it too."""

    def due() -> datetime.date:
        return timezone.localdate() - datetime.timedelta(days=days)

    def applies(incident: Any) -> bool:
        return (
            (incident.reported_to_police is True or not reported_only)
            and incident.date <= due()
            and not getattr(incident, steps).filter(step=step).exists()
        )

    def candidates(incidents: QuerySet[Any]) -> QuerySet[Any]:
        if reported_only:
            incidents = incidents.filter(reported_to_police=True)
        return incidents.filter(date__lte=due()).exclude(**{f"{steps}__step": step})

    return FlagRule(code, applies, candidates=candidates)
