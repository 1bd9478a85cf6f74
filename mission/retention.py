"""Retention: how long the portal keeps its logs, its change history and the names in its records.

Each kind of data has a period in days (settings `RETENTION_*`, `.env.example`; 0 keeps it for ever).
`retention_purge()` deletes or anonymises what is past its period; the beat task
`mission.audit.tasks.retention_purge` runs it every night and `manage.py retention_purge` by hand or
from cron. The portal's own logs and history are purged here; a department registers how its records
are anonymised (`purges` on its DepartmentConfig, which `register`s them), as trial monitoring does for
party names.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

CHUNK = 5000


@dataclass(frozen=True)
class Purge:
    """One kind of data with a retention period: `run(cutoff)` purges or anonymises what is older than
    `cutoff` and returns how many rows it deleted or changed."""

    key: str
    label: StrOrPromise
    setting: str  # the name of the setting holding the period in days
    run: Callable[[datetime.datetime], int]


_purges: dict[str, Purge] = {}


def register(purge: Purge) -> None:
    _purges[purge.key] = purge


def all_purges() -> list[Purge]:
    return list(_purges.values())


def _delete_in_chunks(queryset: models.QuerySet[Any, Any]) -> int:
    """Delete without loading a year of rows at once (and without one huge statement)."""
    total = 0
    while True:
        ids = list(queryset.values_list("pk", flat=True)[:CHUNK])
        if not ids:
            return total
        total += queryset.model._default_manager.filter(pk__in=ids).delete()[0]


def purge_api_requests(cutoff: datetime.datetime) -> int:
    from mission.api.models import ApiRequestLog

    return _delete_in_chunks(ApiRequestLog.objects.filter(at__lt=cutoff))


def purge_access_logs(cutoff: datetime.datetime) -> int:
    from mission.audit.models import AccessLog

    return _delete_in_chunks(AccessLog.objects.filter(at__lt=cutoff))


def purge_sign_in_logs(cutoff: datetime.datetime) -> int:
    """django-axes' records of sign-ins and failed attempts (user names and addresses)."""
    from axes.models import AccessAttempt, AccessFailureLog
    from axes.models import AccessLog as SignInLog

    return (
        _delete_in_chunks(SignInLog.objects.filter(attempt_time__lt=cutoff))
        + _delete_in_chunks(AccessFailureLog.objects.filter(attempt_time__lt=cutoff))
        + _delete_in_chunks(AccessAttempt.objects.filter(attempt_time__lt=cutoff))
    )


def purge_history(cutoff: datetime.datetime) -> int:
    """Entries of every model's change history (django-simple-history) older than `cutoff`, except each
    record's latest entry: who last changed a record, and its state then, stay known."""
    from django.apps import apps

    total = 0
    for history in apps.get_models():
        tracked = getattr(history, "instance_type", None)  # set on django-simple-history's models only
        if tracked is None or "history_date" not in {f.name for f in history._meta.fields}:
            continue  # not a history, or the rows of a history's many-to-many (they go with their entry)
        pk_name = tracked._meta.pk.attname
        latest = history._default_manager.values(pk_name).annotate(latest=Max("history_id")).values("latest")
        total += _delete_in_chunks(
            history._default_manager.filter(history_date__lt=cutoff).exclude(history_id__in=latest)
        )
    return total


def purge_form_tokens(cutoff: datetime.datetime) -> int:
    """One-time tokens of create forms (mission.forms.once_per_form): needed only while the same form
    may be sent again."""
    from mission.accounts.models import FormSubmission

    return _delete_in_chunks(FormSubmission.objects.filter(created_at__lt=cutoff))


register(Purge("api_requests", _("API requests"), "RETENTION_API_REQUEST_LOG_DAYS", purge_api_requests))
register(Purge("sign_ins", _("Sign-in records"), "RETENTION_SIGN_IN_LOG_DAYS", purge_sign_in_logs))
register(Purge("access_logs", _("Accesses to restricted records"), "RETENTION_ACCESS_LOG_DAYS", purge_access_logs))
register(Purge("history", _("Change history"), "RETENTION_HISTORY_DAYS", purge_history))
register(Purge("form_tokens", _("Tokens of saved forms"), "RETENTION_FORM_TOKENS_DAYS", purge_form_tokens))


def purge_pending_imports(cutoff: datetime.datetime) -> int:
    """Files read for an import's dry run and never applied (mission.imports)."""
    from mission.imports.services import import_purge

    return import_purge(cutoff)


register(
    Purge(
        "pending_imports",
        _("Files read for imports and not applied"),
        "RETENTION_PENDING_IMPORTS_DAYS",
        purge_pending_imports,
    )
)


def retention_purge(*, now: datetime.datetime | None = None, dry_run: bool = False) -> dict[str, int]:
    """Purge or anonymise everything past its retention period; {purge label: rows} for each period
    that is set. A dry run counts the same rows and rolls back."""
    now = now or timezone.now()
    done: dict[str, int] = {}
    with transaction.atomic():
        for purge in all_purges():
            days = getattr(settings, purge.setting)
            if days:
                done[str(purge.label)] = purge.run(now - datetime.timedelta(days=days))
        if dry_run:
            transaction.set_rollback(True)
    return done
