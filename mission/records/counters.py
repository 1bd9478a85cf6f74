"""What waits for review, per declared record type, as live counts (`mission.dashboards.counters`): the
overview reads a few rows per region instead of counting the submitted records of every type (at a
million records, about 30,000 index entries per type on every view).

Kept by signals on every save and delete of a declared record, whatever writes it (the review steps,
the record services, an import, the admin): before the write, the record's share as the database
holds it; after it, the share as it is now; the difference goes into the change's transaction. The
review steps lock the record's row first, so nobody changes its share between the two readings. A
record's region changing under it (a municipality moved to another region) and bulk writes are
repaired by the nightly rebuild, which counts them again (`live_counts_recount`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Count, F, IntegerField, Value
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

from mission.accounts.permissions import declared_scope
from mission.dashboards.counters import Key, LiveCounts, live_counts_change
from mission.review.models import ReviewStatus

if TYPE_CHECKING:
    from mission.departments import DepartmentConfig

NAME_LENGTH = 50  # LiveCount.name


def waiting_name(model: type[models.Model]) -> str:
    """The live count of `model`'s records waiting for review."""
    return f"{model._meta.label_lower}.waiting"


def _region_lookup(model: type[models.Model]) -> str:
    return f"{declared_scope(model).region_lookup}_id"


def _department(model: type[models.Model]) -> str:
    department = declared_scope(model).department
    if department is None:
        raise ImproperlyConfigured(f"{model.__name__}: a declared record belongs to its department's app")
    return department


def _shares(models_: Sequence[type[models.Model]], pk: Any = None) -> Counter[Key]:
    """The waiting records' shares (by region) of these record types, in one query; with `pk`, of that
    one record of the one model."""
    counted = []
    for n, model in enumerate(models_):
        rows = model._default_manager.order_by().filter(status=ReviewStatus.SUBMITTED)
        if pk is not None:
            rows = rows.filter(pk=pk)
        counted.append(
            rows.values(s_region=F(_region_lookup(model)))
            .annotate(s_type=Value(n, output_field=IntegerField()), s_count=Count("pk"))
            .values_list("s_type", "s_region", "s_count")
        )
    shares: Counter[Key] = Counter()
    if not counted:
        return shares
    for n, region, count in counted[0].union(*counted[1:], all=True):
        model = models_[n]
        shares[(waiting_name(model), str(_department(model)), region, None)] += count
    return shares


def waiting_counts(config: DepartmentConfig) -> LiveCounts:
    """The department's counts of records waiting for review, one per declared record type."""
    record_models = [record_type.get_model() for record_type in config.records]
    names = tuple(waiting_name(model) for model in record_models)
    for name in names:
        if len(name) > NAME_LENGTH:
            raise ImproperlyConfigured(f"{name}: a live count's name has at most {NAME_LENGTH} characters")

    def shares(_everything: None = None) -> Counter[Key]:
        return _shares(record_models)

    return LiveCounts(names=names, shares=shares)


# --- Kept on every write ----------------------------------------------------------------------------
def _before(sender: Any, instance: Any, **kwargs: Any) -> None:
    adding = instance._state.adding or instance.pk is None
    instance._waiting_before = Counter() if adding else _shares([sender], instance.pk)


def _after_save(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    before: Counter[Key] = Counter(getattr(instance, "_waiting_before", None) or {})
    instance._waiting_before = Counter()
    if raw:  # a fixture's load: the nightly rebuild counts it
        return
    if not before and instance.status != ReviewStatus.SUBMITTED:
        return  # was not waiting and is not: nothing to read
    after = _shares([sender], instance.pk) if instance.status == ReviewStatus.SUBMITTED else Counter()
    if after != before:
        live_counts_change(before, after)


def _after_delete(sender: Any, instance: Any, **kwargs: Any) -> None:
    before: Counter[Key] = Counter(getattr(instance, "_waiting_before", None) or {})
    instance._waiting_before = Counter()
    if before:
        live_counts_change(before, Counter())


def waiting_counts_keep(config: DepartmentConfig) -> None:
    """Keep the counts of `waiting_counts(config)` on every save and delete of its records."""
    for record_type in config.records:
        model = record_type.get_model()
        uid = f"records-waiting:{model._meta.label}"
        pre_save.connect(_before, sender=model, weak=False, dispatch_uid=uid)
        post_save.connect(_after_save, sender=model, weak=False, dispatch_uid=uid)
        pre_delete.connect(_before, sender=model, weak=False, dispatch_uid=uid)
        post_delete.connect(_after_delete, sender=model, weak=False, dispatch_uid=uid)


# --- Filled once, by a department's migration ---------------------------------------------------------
def waiting_counts_fill(department: str, app_label: str, model_names: tuple[str, ...]) -> Any:
    """A `RunPython` function that counts the department's waiting records into their live counts once
    (the historical models: each record type's `municipality__region`), so the overview reads them
    right from the deploy on; from then on the writes keep them."""

    def fill(apps: Any, schema_editor: Any) -> None:
        db = schema_editor.connection.alias
        live_count = apps.get_model("dashboards", "LiveCount")
        rows = []
        for model_name in model_names:
            model = apps.get_model(app_label, model_name)
            name = waiting_name(model)
            live_count.objects.using(db).filter(name=name).delete()
            waiting = (
                model.objects.using(db)
                .filter(status="submitted")
                .order_by()
                .values(region=F("municipality__region_id"))
                .annotate(n=Count("pk"))
            )
            rows += [
                live_count(name=name, department=department, region_id=row["region"], owner_id=None, count=row["n"])
                for row in waiting
            ]
        live_count.objects.using(db).bulk_create(rows)

    return fill
