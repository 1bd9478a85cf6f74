"""Filters that every department's API filter sets share."""

import datetime

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField


class UtcIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 moment, converted to UTC. ISO allows offsets up to ±23:59 and PostgreSQL only ±15:59,
    so queries compare in UTC; and a moment at the edge of the calendar (9999-12-31T23:59-23:59,
    0001-01-01T00:00+01:00) falls outside what Python can hold once in UTC: that is the caller's
    mistake (400), not a server error."""

    default_error_messages = {"out_of_range": _("Give a moment between the years 1 and 9999 in UTC.")}

    def to_python(self, value: str | None) -> datetime.datetime | None:
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
