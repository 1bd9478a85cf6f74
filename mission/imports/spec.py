"""What a file may import into a model (imported by declarations: no model is loaded here)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.apps import apps
from django.db import models


@dataclass(frozen=True)
class ImportSpec:
    """What a file may write to `model`: its `columns` (field names; the `key` among them names the row a
    line updates, e.g. year, region, rank and level)."""

    model: str  # "app_label.ModelName"
    key: tuple[str, ...]
    columns: tuple[str, ...]

    def get_model(self) -> type[models.Model]:
        return apps.get_model(self.model)

    def form_class(self) -> type[forms.ModelForm[Any]]:
        """The form one line fills: the model's fields, a reference list's row named by its code."""

        def by_code(db_field: Any, **kwargs: Any) -> forms.Field | None:
            related = db_field.related_model if db_field.is_relation else None
            if related is not None and any(f.name == "code" for f in related._meta.fields):
                kwargs["to_field_name"] = "code"
            return db_field.formfield(**kwargs)  # type: ignore[no-any-return]

        return forms.modelform_factory(self.get_model(), fields=self.columns, formfield_callback=by_code)
