"""The datasets a token can be scoped to. A department declares its own (`datasets` on its
DepartmentConfig, registered by its `ready()`); the API framework knows no department."""

from dataclasses import dataclass
from typing import Any

from django_stubs_ext import StrOrPromise

from mission.accounts.permissions import Capability


@dataclass(frozen=True)
class Dataset:
    code: str
    label: StrOrPromise
    partners: bool = True  # False: staff only, never granted to a partner token
    # The capability the department's pages ask of staff for the same records (e.g. FOLLOW_UP for flags):
    # the API asks the same of a staff user, so it never shows what the pages refuse.
    capability: Capability | None = None


_datasets: dict[str, Dataset] = {}


def register(dataset: Dataset) -> None:
    _datasets[dataset.code] = dataset


def all_datasets() -> list[Dataset]:
    return sorted(_datasets.values(), key=lambda d: d.code)


def get(code: str) -> Dataset | None:
    return _datasets.get(code)


def name_enum(name: str, values: list[str]) -> None:
    """Give a department's set of coded values one name in the API schema (drf-spectacular names
    enums by field name, and warns when one set appears under two field names, or two sets under one):
    e.g. a tracker's statuses, listed as `current_status` of its items and `status` of their history.
    Call while the apps load (a `DepartmentConfig.ready()`), before any schema is made."""
    from django.conf import settings

    spectacular: dict[str, Any] = settings.SPECTACULAR_SETTINGS
    spectacular.setdefault("ENUM_NAME_OVERRIDES", {}).setdefault(name, values)
