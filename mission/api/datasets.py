"""The datasets a token can be scoped to. A department declares its own (`datasets` on its
DepartmentConfig, registered by its `ready()`); the API framework knows no department."""

from dataclasses import dataclass

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
