"""Filters that every department's API filter sets share."""

import datetime
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField
from rest_framework.exceptions import ValidationError

from mission.api.identifiers import for_owner, kind_of
from mission.api.permissions import is_partner


class UtcIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 moment, converted to UTC. ISO allows offsets up to ±23:59 and PostgreSQL only ±15:59,
    so queries compare in UTC; and a moment at the edge of the calendar (9999-12-31T23:59-23:59,
    0001-01-01T00:00+01:00) falls outside what Python can hold once in UTC: that is the caller's
    mistake (400), not a server error."""

    default_error_messages = {"out_of_range": _("Give a moment between the years 1 and 9999 in UTC.")}

    def to_python(self, value: str | datetime.datetime | datetime.date | None) -> datetime.datetime | None:
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(datetime.UTC)
        except OverflowError:
            raise forms.ValidationError(self.error_messages["out_of_range"], code="out_of_range") from None


class UtcDateTimeFilter(django_filters.IsoDateTimeFilter):
    """An ISO 8601 moment, compared in UTC (see `UtcIsoDateTimeField`)."""

    field_class = UtcIsoDateTimeField


class RecordFilter(django_filters.CharFilter):
    """The rows that belong to one record (e.g. the hearings of a case), named as the caller knows it: a
    partner by its own identifier (`mission.api.identifiers`), staff by the database id."""

    field_name: str  # always given
    parent: "django_filters.FilterSet"  # set by the FilterSet (django-filter's stubs leave it out)

    def __init__(self, *, model: type[models.Model], field_name: str, **kwargs: Any) -> None:
        self.record_model = model  # not `model`: django-filter sets that to the listed model
        super().__init__(field_name=field_name, **kwargs)

    def filter(self, qs: QuerySet[Any], value: str) -> QuerySet[Any]:
        if not value:
            return qs
        request = self.parent.request
        if request is None:
            raise ImproperlyConfigured("A filter set with a RecordFilter is made with the request.")
        if is_partner(request):
            pk = for_owner(request.user.pk).decode(kind_of(self.record_model), value.strip())
        else:
            text = value.strip()
            pk = int(text) if text.isascii() and text.isdigit() and int(text) < 2**63 else None
        if pk is None:
            name = next(name for name, flt in self.parent.filters.items() if flt is self)
            raise ValidationError({name: [gettext("Not an identifier you received from this API.")]})
        return qs.filter(**{self.field_name: pk})
