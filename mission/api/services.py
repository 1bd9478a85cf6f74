import datetime
import hashlib
import re
import secrets

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mission.accounts.models import User
from mission.accounts.permissions import Capability, has_capability
from mission.accounts.roles import Role
from mission.api import datasets
from mission.api.models import ApiRequestLog, ApiToken

TOKEN_PREFIX = "mp_"  # noqa: S105 (the marker that starts every token, not a secret)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


PREFIX_PATTERN = re.compile(r"[0-9a-f]{8}")  # what _new_key makes


def _new_key() -> tuple[str, str]:
    prefix = secrets.token_hex(4)
    return prefix, f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"


def token_check(*, user: User, scopes: list[str]) -> None:
    """Whom a token may act as and what it may read, or a ValidationError naming the field. A token
    acts with its owner's rights: a staff member's token reads what their pages show (`visible_to`),
    a partner's reads published data and never a staff-only dataset."""
    if not user.is_active:
        raise ValidationError({"user": _("This account is inactive.")})
    if not has_capability(user, Capability.API):
        raise ValidationError({"user": _("This account's role may not use the API: choose staff or a partner.")})
    _check_scopes(user, scopes)


def _check_scopes(user: User, scopes: list[str]) -> None:
    for code in scopes:
        dataset = datasets.get(code)
        if dataset is None:
            raise ValidationError({"scopes": _("Unknown dataset: %(code)s") % {"code": code}})
        if user.role == Role.PARTNER and not dataset.partners:
            raise ValidationError({"scopes": _("Partners cannot be given the dataset %(code)s.") % {"code": code}})


@transaction.atomic
def token_issue(
    *, actor: User, user: User, name: str, scopes: list[str], expires_at: datetime.datetime | None = None
) -> tuple[ApiToken, str]:
    """A new token; the returned key is the only time anyone sees it (only its hash is stored)."""
    token_check(user=user, scopes=scopes)
    prefix, key = _new_key()
    token = ApiToken(
        user=user,
        name=name,
        prefix=prefix,
        key_hash=hash_key(key),
        scopes=sorted(set(scopes)),
        expires_at=expires_at,
        created_by=actor,
    )
    token.full_clean()
    token._history_user = actor
    token.save()
    return token, key


@transaction.atomic
def token_rotate(*, actor: User, token: ApiToken) -> tuple[ApiToken, str]:
    """A new key for the same token (scopes and expiry kept); the old key stops working at once."""
    prefix, key = _new_key()
    token.prefix, token.key_hash = prefix, hash_key(key)
    token._history_user = actor
    token._change_reason = "rotated"
    token.save(update_fields=["prefix", "key_hash"])
    return token, key


@transaction.atomic
def token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token._history_user = actor
        token._change_reason = "revoked"
        token.save(update_fields=["revoked_at"])
    return token


def request_log(
    *,
    token: ApiToken | None,
    user: User | AnonymousUser | None,
    method: str,
    path: str,
    query: str,
    status: int,
    duration_ms: int,
) -> None:
    """One row per API request. On PostgreSQL the commit does not wait for the disk (asynchronous
    commit): a crash may lose the last fraction of a second of request rows, never the database's
    consistency, and a read no longer pays a disk flush for its own log line (about 1 ms, half the
    cost of a list page). Outside a transaction it is one round trip to the server."""
    values = {
        "at": timezone.now(),
        "token_id": token.pk if token is not None else None,
        "user_id": user.pk if user is not None and user.is_authenticated else None,
        "method": method,
        "path": path[:500],
        "query": query[:1000],
        "status": status,
        "duration_ms": duration_ms,
    }
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        table = connection.ops.quote_name(ApiRequestLog._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(column) for column in values)
        placeholders = ", ".join(["%s"] * len(values))
        with connection.cursor() as cursor:
            try:
                # Names from the model, quoted; every value a parameter.
                statement = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
                statement = f"BEGIN; SET LOCAL synchronous_commit TO OFF; {statement}; COMMIT"
                cursor.execute(statement, list(values.values()))
            except Exception:
                cursor.execute("ROLLBACK")  # a failed statement leaves its transaction open
                raise
        return
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        ApiRequestLog.objects.create(**values)
