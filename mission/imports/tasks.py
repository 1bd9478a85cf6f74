"""The jobs of a long file: its dry run, then its application, each telling its progress in the
pending import. They take the pending import's id alone (and the digest the user confirmed): no cell
of the file reaches the broker or the worker's log."""

from __future__ import annotations

import json
import logging
from typing import Any

from celery import shared_task
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.utils import translation

from mission.concurrency import ConcurrentEditError
from mission.encryption import encrypt
from mission.imports.flows import flow_of
from mission.imports.models import ImportState, PendingImport
from mission.imports.services import (
    CREATE,
    UNCHANGED,
    UPDATE,
    ImportPlan,
    PlanChangedError,
    UnreadableFileError,
    import_apply,
    import_plan,
    import_table,
)

logger = logging.getLogger(__name__)


def _progress(pk: int) -> Any:
    def told(done: int) -> None:
        PendingImport.objects.filter(pk=pk).update(done=done)

    return told


def _checked(pending: PendingImport, plan: ImportPlan, outcome: dict[str, Any]) -> None:
    pending.plan = encrypt(plan.as_json()) or ""
    pending.state = ImportState.CHECKED
    pending.done = pending.total
    pending.outcome = json.dumps(outcome)
    pending.save(update_fields=["plan", "state", "done", "outcome", "updated_at"])


def _failed(pk: int) -> None:
    PendingImport.objects.filter(pk=pk).update(state=ImportState.FAILED, outcome=json.dumps({"kind": "failed"}))


@shared_task
def import_check(pk: int, language: str = "") -> str:
    """Make the dry run of a long file, in its author's language, and keep it for its page."""
    with translation.override(language or None):
        return _check(pk)


def _check(pk: int) -> str:
    pending = PendingImport.objects.filter(pk=pk, state=ImportState.CHECKING).select_related("user").first()
    if pending is None:
        return "gone"
    try:
        flow = flow_of(pending.flow)
        user = pending.user
        plan = import_plan(flow.spec, import_table(pending), flow.rules_for(user), progress=_progress(pk))
    except Exception as error:  # said by its kind alone: a message could quote a cell
        logger.error("import %s could not be checked: %s", pk, type(error).__name__)
        _failed(pk)
        return "failed"
    _checked(pending, plan, {"kind": "checked"})
    return "checked"


@shared_task
def import_apply_job(pk: int, expected: str, language: str = "") -> str:
    """Apply a long file's dry run as the user confirmed it (`expected`: its digest), all or nothing.
    Its rows are written in one transaction: the page shows that it is writing, not how far."""
    with translation.override(language or None):
        return _apply(pk, expected)


def _apply(pk: int, expected: str) -> str:
    pending = PendingImport.objects.filter(pk=pk, state=ImportState.APPLYING).select_related("user").first()
    if pending is None:
        return "gone"
    try:
        flow = flow_of(pending.flow)
        rules = flow.rules_for(pending.user)
        try:
            counts = import_apply(flow.spec, pending, actor=pending.user, expected=expected, rules=rules, forget=False)
        except PlanChangedError as changed:
            _checked(pending, changed.plan, {"kind": "changed"})
            return "changed"
        except (UnreadableFileError, ValidationError, IntegrityError, ConcurrentEditError, PermissionDenied):
            _checked(pending, import_plan(flow.spec, import_table(pending), rules), {"kind": "not_applied"})
            return "not applied"
    except Exception as error:  # said by its kind alone: a message could quote a cell
        logger.error("import %s could not be applied: %s", pk, type(error).__name__)
        _failed(pk)
        return "failed"
    outcome = {"kind": "applied", "created": counts[CREATE], "updated": counts[UPDATE], "unchanged": counts[UNCHANGED]}
    # The file's cells and its dry run are forgotten: the page says what came of it, nothing more.
    PendingImport.objects.filter(pk=pk).update(
        state=ImportState.APPLIED, cells="", plan="", done=pending.total, outcome=json.dumps(outcome)
    )
    return "applied"
