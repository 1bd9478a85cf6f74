from django.contrib.contenttypes.models import ContentType
from django.db import models

from mission.audit.models import AccessLog


def access_record(*, actor, obj: models.Model, path: str = "") -> AccessLog:
    """Write that `actor` saw the restricted record `obj` (call it from every view that shows one)."""
    return AccessLog.objects.create(
        user=actor,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        path=path[:500],
    )


def access_record_many(*, actor, objs: list[models.Model], path: str = "") -> None:
    """One access row per record, written in one statement (for exports)."""
    if not objs:
        return
    content_type = ContentType.objects.get_for_model(objs[0])
    AccessLog.objects.bulk_create(
        AccessLog(user=actor, content_type=content_type, object_id=str(o.pk), object_repr=str(o)[:200], path=path[:500])
        for o in objs
    )
