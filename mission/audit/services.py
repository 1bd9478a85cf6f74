import functools
from collections.abc import Iterable, Iterator
from typing import TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db import connections, models, transaction
from django.db.models import CharField, F, IntegerField, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Cast, Substr
from django.utils import timezone

from mission import prepared
from mission.accounts.http import AuthenticatedHttpRequest
from mission.accounts.models import User
from mission.audit.models import AccessLog, Disclosure
from mission.sensitivity import restricted_fields
from mission.sql import column_of, insert_select

CHUNK = 2000
_M = TypeVar("_M", bound=models.Model)


def access_record(*, actor: User, obj: models.Model, path: str = "") -> AccessLog:
    """Write that `actor` saw the restricted record `obj` (call it from every view that shows one).

    When `obj` holds other records' restricted values (a report file: `disclosure_replace`), each of
    those is logged as seen too, in the same transaction: all of it is logged or none, with one commit
    (one wait for the disk) per page. On PostgreSQL both are one statement, prepared once per
    connection (`mission.prepared`): a record page that shows names pays one round trip for its log.
    """
    if connections[AccessLog.objects.db].vendor == "postgresql":
        return _access_record_statement(actor, obj, path)
    return _access_record_orm(actor, obj, path)


@functools.cache
def _access_statement() -> str:
    """The log row and a row per record the holder discloses, inserted by one statement (a
    data-modifying WITH), the log row's key returned."""
    quote = connections[AccessLog.objects.db].ops.quote_name
    log, held = quote(AccessLog._meta.db_table), quote(Disclosure._meta.db_table)
    names = ("at", "user", "content_type", "object_id", "object_repr", "path")
    columns = ", ".join(quote(column_of(AccessLog, name)) for name in names)
    of_held = [quote(column_of(Disclosure, name)) for name in ("content_type", "object_id", "object_repr")]
    holder_type, holder_id = (quote(column_of(Disclosure, name)) for name in ("holder_type", "holder_id"))
    # Identifiers are the models' own, quoted; every value is a parameter.
    return (
        f"WITH held AS (INSERT INTO {log} ({columns}) SELECT %s, %s, {', '.join(of_held)}, %s FROM {held} "  # noqa: S608
        f"WHERE {holder_type} = %s AND {holder_id} = %s) "
        f"INSERT INTO {log} ({columns}) VALUES (%s, %s, %s, %s, %s, %s) "
        f"RETURNING {quote(column_of(AccessLog, 'id'))}"
    )


def _access_record_statement(actor: User, obj: models.Model, path: str) -> AccessLog:
    content_type = ContentType.objects.get_for_model(obj)
    log = AccessLog(
        at=timezone.now(),
        user=actor,
        content_type=content_type,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        path=path[:500],
    )
    # In `_access_statement`'s order: the held rows' values and holder, then the log row's columns.
    held = (log.at, actor.pk, log.path, content_type.pk, log.object_id)
    own = (log.at, actor.pk, content_type.pk, log.object_id, log.object_repr, log.path)
    using = AccessLog.objects.db
    with connections[using].cursor() as cursor:
        prepared.execute(cursor, _access_statement(), (*held, *own), using=using)
        log.pk = cursor.fetchone()[0]
    log._state.adding = False
    log._state.db = using
    return log


@transaction.atomic
def _access_record_orm(actor: User, obj: models.Model, path: str) -> AccessLog:
    log = AccessLog.objects.create(
        user=actor,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        path=path[:500],
    )
    held = Disclosure.objects.filter(holder_type=ContentType.objects.get_for_model(obj), holder_id=str(obj.pk))
    insert_select(
        AccessLog,
        held.order_by().values(
            a_at=Value(log.at),
            a_user=Value(actor.pk, output_field=IntegerField()),
            a_type=F("content_type_id"),
            a_id=F("object_id"),
            a_repr=F("object_repr"),
            a_path=Value(path[:500], output_field=CharField()),
        ),
        {
            "at": "a_at",
            "user": "a_user",
            "content_type": "a_type",
            "object_id": "a_id",
            "object_repr": "a_repr",
            "path": "a_path",
        },
    )
    return log


def access_record_many(*, actor: User, objs: list[models.Model], path: str = "") -> None:
    """One access row per record, written in one statement (for exports)."""
    if not objs:
        return
    content_type = ContentType.objects.get_for_model(objs[0])
    AccessLog.objects.bulk_create(
        AccessLog(user=actor, content_type=content_type, object_id=str(o.pk), object_repr=str(o)[:200], path=path[:500])
        for o in objs
    )


def access_shown(request: AuthenticatedHttpRequest, obj: models.Model) -> None:
    """A page shows restricted values of `obj` to the signed-in user: log it with the page's path."""
    access_record(actor=request.user, obj=obj, path=request.path)


def restricted_shown(
    request: AuthenticatedHttpRequest, obj: models.Model, rows: list[models.Model], *, readable: bool
) -> bool:
    """Whether a page shows the restricted values (`mission.sensitivity`) of `rows`, which belong to
    `obj`, to a user who may (`readable`) or may not read them; when it does, that is a view of `obj`,
    logged. Returns `readable`: the page shows the values, else their pseudonyms."""
    if readable and rows and restricted_fields(type(rows[0])):
        access_shown(request, obj)
    return readable


@transaction.atomic
def disclosure_replace(*, holder: models.Model, objs: Iterable[models.Model], label: Combinable | None = None) -> int:
    """Record that `holder` (a report's file) holds restricted values of `objs`, replacing what it held
    before (a re-run writes a new file). Returns how many records it holds.

    With `objs` a queryset and `label` the database's version of `str()` of its records, the rows are
    written by one INSERT … SELECT: a file naming a hundred thousand cases costs one statement."""
    holder_type = ContentType.objects.get_for_model(holder)
    Disclosure.objects.filter(holder_type=holder_type, holder_id=str(holder.pk)).delete()
    if label is not None and isinstance(objs, models.QuerySet):
        content_type = ContentType.objects.get_for_model(objs.model)
        rows = objs.order_by().values(
            d_holder_type=Value(holder_type.pk, output_field=IntegerField()),
            d_holder_id=Value(str(holder.pk), output_field=CharField()),
            d_type=Value(content_type.pk, output_field=IntegerField()),
            d_id=Cast(F("pk"), CharField()),
            d_label=Substr(label, 1, 200, output_field=CharField()),
        )
        return insert_select(
            Disclosure,
            rows,
            {
                "holder_type": "d_holder_type",
                "holder_id": "d_holder_id",
                "content_type": "d_type",
                "object_id": "d_id",
                "object_repr": "d_label",
            },
        )
    types: dict[type, ContentType] = {}

    def rows_of(objects: Iterable[models.Model]) -> Iterator[Disclosure]:
        for obj in objects:
            content_type = types.get(type(obj)) or types.setdefault(type(obj), ContentType.objects.get_for_model(obj))
            yield Disclosure(
                holder_type=holder_type,
                holder_id=str(holder.pk),
                content_type=content_type,
                object_id=str(obj.pk),
                object_repr=str(obj)[:200],
            )

    return _bulk_create(Disclosure, rows_of(objs))


def _bulk_create(model: type[_M], rows: Iterable[_M]) -> int:
    """Insert from an iterator in chunks, so that a file naming thousands of cases stays light."""
    count, chunk = 0, list[_M]()
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK:
            model._default_manager.bulk_create(chunk)
            count, chunk = count + len(chunk), []
    if chunk:
        model._default_manager.bulk_create(chunk)
    return count + len(chunk)
