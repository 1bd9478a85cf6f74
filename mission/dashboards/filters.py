"""Dashboard filters, read from the URL so that a view can be bookmarked and shared.

Every dashboard has the period (`from`, `to`, as YYYY-MM) and the region (`region`, a region code);
a dashboard adds its own fields (the Human Rights dashboard adds court and court department). The
region choices are the regions in the user's scope, so a supervisor can choose only their own.
"""

import datetime
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from field_offices.models import Region
from mission.accounts.http import AuthenticatedHttpRequest
from mission.accounts.permissions import scope_for
from mission.choices import kept_while_reference_unchanged, reference_watch
from mission.dashboards.periods import (
    DEFAULT_MONTHS,
    MAX_MONTHS,
    Period,
    current_preset,
    last_months,
    month_in_range,
    month_range_message,
    months_between,
    presets,
)
from mission.forms import use_fast_widgets

MONTH_WIDGET = forms.DateInput(attrs={"type": "month", "placeholder": "YYYY-MM"}, format="%Y-%m")


def _check_month_range(month: datetime.date) -> None:
    if not month_in_range(month):
        raise forms.ValidationError(month_range_message(), code="out_of_range")


def month_field(label: StrOrPromise) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        input_formats=["%Y-%m"],
        widget=MONTH_WIDGET,
        error_messages={"invalid": _("Enter a month as YYYY-MM, for example 2026-03.")},
        validators=[_check_month_range],
    )


class DashboardFilterForm(forms.Form):
    def __init__(
        self,
        data: Mapping[str, Any] | None,
        *,
        regions: list[Region],
        extra_fields: Mapping[str, forms.Field],
        regional: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        self.fields["from"] = month_field(_("From (month)"))
        self.fields["to"] = month_field(_("To (month)"))
        if regional and len(regions) > 1:
            self.fields["region"] = forms.ChoiceField(
                label=_("Region"),
                required=False,
                choices=[("", _("All regions in your scope"))] + [(r.code, r.name) for r in regions],
            )
        self.fields.update(extra_fields)
        use_fast_widgets(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("from"), data.get("to")
        if first and last:
            if first > last:
                raise forms.ValidationError(_("The first month of the period must not be after the last."))
            if months_between(first, last) > MAX_MONTHS:
                raise forms.ValidationError(_("Choose a period of at most %(months)s months.") % {"months": MAX_MONTHS})
        return data


@dataclass
class Filters:
    """What a dashboard shows: the period, the regions (the user's scope intersected with the choice),
    and the dashboard's own choices."""

    period: Period
    region: Region | None
    region_ids: frozenset[int] | None  # None: every region
    regions: list[Region]  # the regions in the user's scope, for labels
    extra: dict[str, Any] = field(default_factory=dict)
    params: dict[str, str] = field(default_factory=dict)  # the valid filters as they appear in the URL
    # The period the address names (its `from` and `to`, or none: the default), which a shortcut may be;
    # None when it names part of one, or something that is no month.
    named: Period | None = None

    def querystring(self, **overrides: str) -> str:
        params = {**self.params, **overrides}
        return urlencode({k: v for k, v in params.items() if v not in (None, "")})

    def preset_links(self) -> list[dict[str, Any]]:
        """The period shortcuts; the one the address names is current (`aria-current`), and only one:
        not a shortcut the period shown merely equals (from a month alone, or from a default put in
        for a bad value), and in December the first of the last 12 months and this year."""
        current = current_preset(self.named) if self.named is not None else None
        return [
            {"label": label, "query": self.querystring(**period.query()), "current": label == current}
            for label, period in presets()
        ]


def read_filters(
    request: AuthenticatedHttpRequest, *, extra_fields: Mapping[str, forms.Field] | None = None, regional: bool = True
) -> tuple[DashboardFilterForm, Filters]:
    """Parse the dashboard filters from the query string. Invalid values are reported on the form and
    the default stands in for them, so the page still shows something true.

    `regional=False` is for a page about one place (a municipality): it lies in one region, so a
    region filter could only empty it; the user's scope still applies."""
    scope = scope_for(request.user)
    regions = [r for r in Region.objects.order_by("code") if scope.region_ids is None or r.pk in scope.region_ids]
    form = DashboardFilterForm(request.GET or None, regions=regions, extra_fields=extra_fields or {}, regional=regional)
    cleaned = form.cleaned_data if form.is_bound and form.is_valid() else {}
    default = last_months(DEFAULT_MONTHS)
    first: datetime.date | None = cleaned.get("from")
    last: datetime.date | None = cleaned.get("to")
    if first and not last:
        last = max(first, default.last)
    if last and not first:
        first = last_months(DEFAULT_MONTHS, until=last).first
    period = Period(first.replace(day=1), last.replace(day=1)) if first and last else default
    if months_between(period.first, period.last) > MAX_MONTHS:
        period = default
    region = next((r for r in regions if regional and r.code == cleaned.get("region")), None)
    region_ids = frozenset({region.pk}) if region is not None else scope.region_ids
    extra = {name: cleaned.get(name) for name in (extra_fields or {})}
    params = {**period.query(), "region": region.code if region else ""}
    params.update({name: value for name, value in extra.items() if value not in (None, "")})
    if not form.is_bound:
        form.initial = {"from": period.first, "to": period.last}
    named: Period | None = None
    if not request.GET.get("from") and not request.GET.get("to"):
        named = default
    elif cleaned.get("from") and cleaned.get("to"):
        named = period
    filters = Filters(
        period=period, region=region, region_ids=region_ids, regions=regions, extra=extra, params=params, named=named
    )
    return form, filters


@dataclass(frozen=True)
class KeptFilters:
    """What `kept_filters` gives a page: the filters, the form they were read with (validated; not to be
    changed) and the filter block rendered (`dashboards/_filters.html`)."""

    form: DashboardFilterForm
    filters: Filters
    html: SafeString


def kept_filters(
    request: AuthenticatedHttpRequest,
    *,
    extra_fields: Callable[[], Mapping[str, forms.Field]] | None = None,
    key: Hashable = (),
    regional: bool = True,
) -> KeptFilters:
    """`read_filters`, and its form rendered, kept in this process for this query, the reader's scope,
    the day (the default period), the language and the reference data's version
    (`mission.choices.kept_while_reference_unchanged`): a dashboard's filters offer every region and
    court, and building, checking and rendering that form on each view cost a dashboard about as much
    as its figures. `extra_fields()` builds the page's own fields; `key` is what they depend on besides
    the scope, the language and reference data (say, the departments the reader may choose). Every
    reader of the result only reads it."""
    scope = scope_for(request.user)
    reference_watch(Region)
    query = tuple(sorted((name, tuple(values)) for name, values in request.GET.lists()))
    parts = ("dashboard-filters", query, scope.departments, scope.region_ids, scope.nothing, regional, key)

    def build() -> KeptFilters:
        fields = extra_fields() if extra_fields is not None else None
        form, filters = read_filters(request, extra_fields=fields, regional=regional)
        html = render_to_string("dashboards/_filters.html", {"form": form, "filters": filters})
        return KeptFilters(form=form, filters=filters, html=mark_safe(html))  # noqa: S308 - rendered, escaped there

    return kept_while_reference_unchanged((*parts, timezone.localdate()), build)
