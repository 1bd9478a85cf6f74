"""The models that take files, by their label ("rights.case"): a department names them on its config
(`DepartmentConfig.attachable`) and every declared record type's model is added by the kit. A URL names
a record by this label, so only a registered model's records can be reached through it."""

from __future__ import annotations

from django.db import models

_MODELS: dict[str, type[models.Model]] = {}


def register(model: type[models.Model]) -> None:
    _MODELS[model._meta.label_lower] = model


def model_for(label: str) -> type[models.Model] | None:
    return _MODELS.get(label.lower())


def label_of(model: type[models.Model]) -> str:
    return model._meta.label_lower


def all_models() -> tuple[type[models.Model], ...]:
    return tuple(_MODELS.values())
