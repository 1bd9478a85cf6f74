"""A list's filter form, validated once and kept (`mission.forms.kept_filter_form`): the same query gets
the same checked form, another query, language, choice of colleagues or changed reference data its own,
and what the list shows is what a form built afresh would filter."""

import pytest
from django.http import QueryDict
from django.utils import translation

from field_offices.models import Region
from rights.filters import HearingFilter, ReviewQueueFilter
from rights.models import Hearing, Observation

pytestmark = pytest.mark.django_db


def _hearings(query: str) -> HearingFilter:
    return HearingFilter(QueryDict(query) if query else None, queryset=Hearing.objects.all())  # as the views


def test_the_same_query_gets_the_same_checked_form(geography):
    first, again = _hearings("region=PRZ&date_from=2026-13-01"), _hearings("region=PRZ&date_from=2026-13-01")
    assert first.form is again.form
    assert "date_from" in again.form.errors
    assert again.form.cleaned_data["region"] == Region.objects.get(code="PRZ")


def test_another_query_or_language_gets_its_own(geography):
    prizren = _hearings("region=PRZ")
    assert _hearings("region=MIT").form is not prizren.form
    assert _hearings("region=MIT").form.cleaned_data["region"].code == "MIT"
    assert _hearings("").form is not prizren.form
    assert not _hearings("").form.is_bound
    with translation.override("sq"):
        albanian = _hearings("region=PRZ").form
    assert albanian is not prizren.form


def test_changed_reference_data_is_checked_again(geography, django_capture_on_commit_callbacks):
    assert _hearings("region=MIT").form.is_valid()
    region = Region.objects.get(code="MIT")
    with django_capture_on_commit_callbacks(execute=True):
        region.code = "MTX"
        region.save()
    assert "region" in _hearings("region=MIT").form.errors  # no longer a choice: checked against the new data
    assert _hearings("region=MTX").form.is_valid()


def test_each_reviewer_gets_the_colleagues_they_may_pick(supervisor):
    one = ReviewQueueFilter(
        QueryDict("monitor=ana"), queryset=Observation.objects.all(), monitors=[("ana", "Ana")], reviewer=supervisor
    )
    other = ReviewQueueFilter(
        QueryDict("monitor=ana"), queryset=Observation.objects.all(), monitors=[("ben", "Ben")], reviewer=supervisor
    )
    assert one.form.is_valid()
    assert "monitor" in other.form.errors
