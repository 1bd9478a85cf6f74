"""The dashboards' filters kept per query, scope, language, day and reference data
(`mission.dashboards.filters.kept_filters`): what a reader sees is what a fresh build would show,
another scope never gets someone else's choices, and a changed court or region shows at once."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from rights.models import Court
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

DASHBOARD = "rights:dashboard"


def _court_options(response) -> list[str]:
    return [code for code, _name in response.context["form"].fields["court"].choices if code]


def test_a_kept_block_is_the_block_built_afresh(department_head, geography):
    client = client_for(department_head)
    first = client.get(reverse(DASHBOARD), {"from": "2026-13"})
    again = client.get(reverse(DASHBOARD), {"from": "2026-13"})
    assert first.context["filters_html"] == again.context["filters_html"]
    assert "Enter a month as YYYY-MM" in again.content.decode()  # the errors are kept with the form
    assert again.context["form"].errors


def test_each_scope_gets_its_own_choices(department_head, supervisor, geography):
    everyone = _court_options(client_for(department_head).get(reverse(DASHBOARD)))
    own = _court_options(client_for(supervisor).get(reverse(DASHBOARD)))
    in_region = set(Court.objects.filter(seat__region=supervisor.region).values_list("code", flat=True))
    assert set(own) == in_region
    assert len(everyone) > len(own)
    # And the head, after the supervisor, still gets every court.
    assert _court_options(client_for(department_head).get(reverse(DASHBOARD))) == everyone


def test_a_renamed_court_shows_at_once(department_head, geography, django_capture_on_commit_callbacks):
    client = client_for(department_head)
    client.get(reverse(DASHBOARD))
    court = Court.objects.order_by("code").first()
    with django_capture_on_commit_callbacks(execute=True):
        court.name_en = "Court of the renamed seat"
        court.save()
    page = client.get(reverse(DASHBOARD)).content.decode()
    assert "Court of the renamed seat" in page


def test_the_default_period_follows_the_day(department_head, geography, monkeypatch):
    client = client_for(department_head)
    today = timezone.localdate()
    assert client.get(reverse(DASHBOARD)).context["filters"].period.last == today.replace(day=1)
    later = today.replace(day=1) + datetime.timedelta(days=40)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: later)
    assert client.get(reverse(DASHBOARD)).context["filters"].period.last == later.replace(day=1)
