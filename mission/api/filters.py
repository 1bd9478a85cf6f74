"""Filters the API kit gives every dataset."""

import django_filters
from django.db import models
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

from mission.api.identifiers import for_owner, kind_of
from mission.api.permissions import is_partner


class RecordFilter(django_filters.CharFilter):
    """The rows that belong to one record (e.g. the hearings of a case), named as the caller knows it: a
    partner by its own identifier (`mission.api.identifiers`), staff by the database id."""

    def __init__(self, *, model: type[models.Model], **kwargs) -> None:
        self.record_model = model  # not `model`: django-filter sets that to the listed model
        super().__init__(**kwargs)

    def filter(self, qs, value: str):
        if not value:
            return qs
        request = self.parent.request
        if is_partner(request):
            pk = for_owner(request.user.pk).decode(kind_of(self.record_model), value.strip())
        else:
            text = value.strip()
            pk = int(text) if text.isascii() and text.isdigit() and int(text) < 2**63 else None
        if pk is None:
            name = next(name for name, flt in self.parent.filters.items() if flt is self)
            raise ValidationError({name: [_("Not an identifier you received from this API.")]})
        return qs.filter(**{self.field_name: pk})
