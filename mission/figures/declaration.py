"""What a department says about one table of figures; the rest is worked out from the model."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps

from mission.imports.flows import ImportFlow
from mission.imports.spec import ImportSpec, Refusal


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

    def flow_key(self, namespace: str) -> str:
        return f"figures:{namespace}.{self.name}"

    def may_maintain(self, user: Any, department: str) -> bool:
        """The department's supervisors and head (who follow up) keep its figures."""
        from mission.accounts.permissions import Capability, has_capability, reads_department

        return has_capability(user, Capability.FOLLOW_UP) and reads_department(user, department)

    def refusal(self, user: Any) -> Refusal:
        """A row out of a regional maintainer's region, refused on its region's cell."""
        from django.utils.translation import gettext as _

        region, field = (user.region_id if self.region else None), self.region

        def refuse(row: Any) -> dict[str, str]:
            if region is None or field is None or getattr(row, f"{field}_id") == region:
                return {}
            return {field: _("You keep the figures of your own region only.")}

        return refuse

    def import_flow(self, namespace: str, department: str) -> ImportFlow:
        from django.urls import reverse

        def back() -> str:
            return reverse(f"{namespace}:{self.url_name('list')}")

        return ImportFlow(
            key=self.flow_key(namespace),
            spec=self.import_spec(),
            may_import=lambda user: self.may_maintain(user, department),
            namespace=namespace,
            prefix=f"{self.name}_",
            back=back,
            refusal=self.refusal,
            file_name=self.path,
        )
