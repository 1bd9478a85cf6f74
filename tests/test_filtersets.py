"""The portal's filter sets copy their filters per request without deep copies (`mission.filtersets`):
each filter set's filters are its own (options, form field, method), and what they filter is what
django-filter's own deep copies filter."""

import copy

import pytest
from django.http import QueryDict

from rights.filters import HearingFilter, ReviewQueueFilter
from rights.models import Hearing, Observation

pytestmark = pytest.mark.django_db


def _deep(filterset_class, data, **kwargs):
    """The same filter set with django-filter's deep copies."""
    made = filterset_class(data, **kwargs)
    made.filters = copy.deepcopy(dict(type(made).base_filters))  # dict: its own, deep copying
    for filter_ in made.filters.values():
        filter_.model = made.queryset.model
        filter_.parent = made
    return made


@pytest.mark.parametrize(
    "query",
    ["", "region=PRI", "court=BC-PR&held=no", "date_from=2026-01-01&date_to=2026-03-31", "sort=-date&q=P. nr."],
)
def test_a_filter_set_filters_as_with_deep_copies(geography, query):
    data = QueryDict(query)
    ours = HearingFilter(data, queryset=Hearing.objects.all())
    theirs = _deep(HearingFilter, data, queryset=Hearing.objects.all())
    assert ours.is_valid() == theirs.is_valid()
    assert str(ours.qs.query) == str(theirs.qs.query)


def test_each_filter_set_has_its_own_filters_options_and_methods(supervisor):
    first = ReviewQueueFilter(
        QueryDict("monitor=a"), queryset=Observation.objects.all(), monitors=[("a", "A")], reviewer=supervisor
    )
    second = ReviewQueueFilter(
        QueryDict("monitor=b"), queryset=Observation.objects.all(), monitors=[("b", "B")], reviewer=supervisor
    )
    one, other = first.filters["monitor"], second.filters["monitor"]
    assert one is not other
    assert one is not ReviewQueueFilter.base_filters["monitor"]
    assert (one.parent, other.parent) == (first, second)
    assert one.extra["choices"] == [("a", "A")]
    assert other.extra["choices"] == [("b", "B")]
    assert "choices" not in ReviewQueueFilter.base_filters["monitor"].extra
    assert list(first.form.fields["monitor"].choices)[-1] == ("a", "A")
    assert list(second.form.fields["monitor"].choices)[-1] == ("b", "B")
    # The method each one calls is its own filter set's.
    assert one.filter.f is one
    assert other.filter.f is other
    assert '"accounts_user"."username" = a ' in str(first.qs.query)
    assert '"accounts_user"."username" = b ' in str(second.qs.query)
    assert first.form.cleaned_data["monitor"] == "a"
    assert second.form.cleaned_data["monitor"] == "b"


def test_a_reviewers_filter_set_reads_their_queue_only(supervisor, monitor, other_region_monitor, monkeypatch):
    """With a `reviewer`, the review queue's filter set reads their queue (submitted, their region, never
    their own) whatever queryset it was given, when its rows are read and not before."""
    from rights import filters
    from rights.models import ObservationStatus
    from tests.factories import CaseFactory, HearingFactory, ObservationFactory

    def observed(author, status=ObservationStatus.SUBMITTED):
        hearing = HearingFactory(case=CaseFactory(created_by=author, municipality=author.region.municipalities.first()))
        return ObservationFactory(hearing=hearing, monitor=author, status=status)

    waiting = observed(monitor)
    observed(monitor, ObservationStatus.DRAFT)
    observed(other_region_monitor)
    observed(supervisor)
    built = []
    real_review_queue = filters.review_queue

    def review_queue(**kwargs):
        built.append(kwargs["user"])
        return real_review_queue(**kwargs)

    monkeypatch.setattr(filters, "review_queue", review_queue)
    filterset = ReviewQueueFilter(QueryDict(""), queryset=Observation.objects.all(), monitors=[], reviewer=supervisor)
    assert filterset.form.is_valid()
    assert built == []  # not built until its rows are read
    assert list(filterset.qs) == [waiting]
    assert built == [supervisor]
    narrowed = ReviewQueueFilter(
        QueryDict(f"monitor={monitor.username}"),
        queryset=Observation.objects.all(),
        monitors=[(monitor.username, "M")],
        reviewer=supervisor,
    )
    assert list(narrowed.qs) == [waiting]


def test_the_review_queues_filter_set_needs_its_reviewer():
    with pytest.raises(TypeError):
        ReviewQueueFilter(QueryDict(""), queryset=Observation.objects.all(), monitors=[])
