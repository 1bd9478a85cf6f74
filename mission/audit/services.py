from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.http import HttpRequest

from mission.audit.models import AccessLog, Disclosure

CHUNK = 2000


def access_record(*, actor, obj: models.Model, path: str = "") -> AccessLog:
    """Write that `actor` saw the restricted record `obj` (call it from every view that shows one).

    When `obj` holds other records' restricted values (a report file: `disclosure_replace`), each of
    those is logged as seen too.
    """
    log = AccessLog.objects.create(
        user=actor,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        path=path[:500],
    )
    held = Disclosure.objects.filter(holder_type=ContentType.objects.get_for_model(obj), holder_id=str(obj.pk))
    rows = (
        AccessLog(user=actor, content_type_id=type_id, object_id=object_id, object_repr=text, path=path[:500])
        for type_id, object_id, text in held.values_list("content_type_id", "object_id", "object_repr").iterator(
            chunk_size=CHUNK
        )
    )
    _bulk_create(AccessLog, rows)
    return log


def access_record_many(*, actor, objs: list[models.Model], path: str = "") -> None:
    """One access row per record, written in one statement (for exports)."""
    if not objs:
        return
    content_type = ContentType.objects.get_for_model(objs[0])
    AccessLog.objects.bulk_create(
        AccessLog(user=actor, content_type=content_type, object_id=str(o.pk), object_repr=str(o)[:200], path=path[:500])
        for o in objs
    )


def access_shown(request: HttpRequest, obj: models.Model) -> None:
    """A page shows restricted values of `obj` to the signed-in user: log it with the page's path."""
    access_record(actor=request.user, obj=obj, path=request.path)


@transaction.atomic
def disclosure_replace(*, holder: models.Model, objs: Iterable[models.Model]) -> int:
    """Record that `holder` (a report's file) holds restricted values of `objs`, replacing what it held
    before (a re-run writes a new file). Returns how many records it holds."""
    holder_type = ContentType.objects.get_for_model(holder)
    Disclosure.objects.filter(holder_type=holder_type, holder_id=str(holder.pk)).delete()
    types: dict[type, ContentType] = {}

    def rows():
        for obj in objs:
            content_type = types.get(type(obj)) or types.setdefault(type(obj), ContentType.objects.get_for_model(obj))
            yield Disclosure(
                holder_type=holder_type,
                holder_id=str(holder.pk),
                content_type=content_type,
                object_id=str(obj.pk),
                object_repr=str(obj)[:200],
            )

    return _bulk_create(Disclosure, rows())


def _bulk_create(model: type[models.Model], rows: Iterable[models.Model]) -> int:
    """Insert from an iterator in chunks, so that a file naming thousands of cases stays light."""
    count, chunk = 0, []
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK:
            model._default_manager.bulk_create(chunk)
            count, chunk = count + len(chunk), []
    if chunk:
        model._default_manager.bulk_create(chunk)
    return count + len(chunk)
