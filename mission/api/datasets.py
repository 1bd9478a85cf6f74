"""The datasets a token can be scoped to. Apps register theirs from AppConfig.ready(); the API framework
knows no department."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Dataset:
    code: str
    label: str
    partners: bool = True  # False: staff only, never granted to a partner token


_datasets: dict[str, Dataset] = {}


def register(dataset: Dataset) -> None:
    _datasets[dataset.code] = dataset


def all_datasets() -> list[Dataset]:
    return sorted(_datasets.values(), key=lambda d: d.code)


def get(code: str) -> Dataset | None:
    return _datasets.get(code)
