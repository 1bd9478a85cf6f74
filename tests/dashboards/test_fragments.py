"""A dashboard's rendered figures are kept per summaries' version, scope, filters and language
(mission/dashboards/fragments.py): readers share them only with readers who see the same records."""

import datetime

import pytest
from django.http import QueryDict
from django.utils import timezone, translation

from mission.dashboards.fragments import dashboard_fragment

pytestmark = pytest.mark.django_db

# The summaries' version: a refresh's time, different in every test (the cache outlives a test).
VERSION = None


@pytest.fixture(autouse=True)
def _version():
    global VERSION
    VERSION = timezone.now()


class Renders:
    """A render function that says who it rendered for, and counts its calls."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, tag: str):
        def render() -> str:
            self.calls += 1
            return f"<p>{tag}</p>"

        return render


def fragment(user, tag, renders, *, query=(), version="current", name="test"):
    version = VERSION if version == "current" else version
    filters = QueryDict(mutable=True)
    for key, value in query:
        filters.appendlist(key, value)
    return dashboard_fragment(name, user=user, query=filters, version=version, render=renders(tag))


def test_readers_with_the_same_scope_share_the_fragment(monitor, supervisor):
    renders = Renders()
    assert fragment(monitor, "monitor", renders) == "<p>monitor</p>"
    assert fragment(supervisor, "supervisor", renders) == "<p>monitor</p>"  # same department and region
    assert renders.calls == 1


def test_another_region_another_department_or_a_wider_scope_never_gets_the_fragment(
    monitor, other_region_monitor, other_department_monitor, department_head, management
):
    renders = Renders()
    fragment(monitor, "Prizren", renders)
    for user, tag in (
        (other_region_monitor, "Mitrovica"),
        (other_department_monitor, "Democratization"),
        (department_head, "head"),
        (management, "management"),
    ):
        assert fragment(user, tag, renders) == f"<p>{tag}</p>"
    assert renders.calls == 5


def test_new_summaries_other_filters_or_another_language_render_again(monitor):
    renders = Renders()
    fragment(monitor, "first", renders, query=[("from", "2026-01"), ("to", "2026-03")])
    # The same filters in another order are the same page.
    assert fragment(monitor, "same", renders, query=[("to", "2026-03"), ("from", "2026-01")]) == "<p>first</p>"
    assert fragment(monitor, "filters", renders, query=[("from", "2026-02")]) == "<p>filters</p>"
    later = VERSION + datetime.timedelta(minutes=1)
    assert fragment(monitor, "refreshed", renders, query=[("from", "2026-01"), ("to", "2026-03")], version=later) == (
        "<p>refreshed</p>"
    )
    with translation.override("sq"):
        assert fragment(monitor, "shqip", renders, version=later) == "<p>shqip</p>"
    assert fragment(monitor, "other dashboard", renders, name="other") == "<p>other dashboard</p>"
    assert renders.calls == 5


def test_nothing_is_kept_before_the_summaries_were_ever_built(monitor):
    renders = Renders()
    fragment(monitor, "one", renders, version=None)
    assert fragment(monitor, "two", renders, version=None) == "<p>two</p>"
    assert renders.calls == 2


def test_every_value_of_a_repeated_parameter_is_part_of_the_key(monitor):
    renders = Renders()
    fragment(monitor, "one region", renders, query=[("region", "PRZ")])
    assert (
        fragment(monitor, "two regions", renders, query=[("region", "PRZ"), ("region", "MIT")]) == "<p>two regions</p>"
    )
    assert fragment(monitor, "same two", renders, query=[("region", "MIT"), ("region", "PRZ")]) == "<p>two regions</p>"
