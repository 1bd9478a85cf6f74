"""What a department says about one table of figures; the rest is worked out from the model."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps

from mission.imports.spec import ImportSpec


@dataclass(frozen=True)
class FigureTable:
    """One table of figures, e.g.

        FigureTable(
            model="public_safety.PoliceStaffFigure",
            path="women-in-police",
            key=("year", "region", "rank", "level"),
            values=("women", "men"),
            notes=("source",),
            dataset="women_in_police",
        )

    The model is a `mission.common.VersionedModel` with `history`, a unique constraint on `key` and
    its sensitivity declared (an internal note never reaches partners). Its pages: the list (filtered
    by the key's fields, its CSV export), a row's form, its deletion, and an import of a CSV or XLSX
    file that updates rows in place by the key, after a dry run (`mission.imports`)."""

    model: str  # "app_label.ModelName"
    path: str  # the URL segment of its pages and API list
    key: tuple[str, ...]  # the fields that name a row: one row per their values
    values: tuple[str, ...]  # the whole numbers it holds
    notes: tuple[str, ...] = ()  # other fields of a row (its source)
    dataset: str = ""  # the API dataset of its list; partners get no count under the threshold
    # The field naming a row's region: a regional supervisor keeps the rows of their region alone (the
    # department head keeps them all); every reader of the department reads them all.
    region: str | None = None

    @property
    def name(self) -> str:
        return self.model.rsplit(".", 1)[1].lower()

    @property
    def columns(self) -> tuple[str, ...]:
        return (*self.key, *self.values, *self.notes)

    def get_model(self) -> Any:
        return apps.get_model(self.model)

    def url_name(self, page: str) -> str:
        return f"{self.name}_{page}"

    def import_spec(self) -> ImportSpec:
        return ImportSpec(self.model, self.key, self.columns)
