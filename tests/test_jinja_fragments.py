"""The Jinja2 fragments of pages (mission/jinja.py) write what the Django templates wrote: the same
dates in every language and time zone, the same links, the same escaping and translations."""

import datetime

import pytest
from django.template import Context, Template, engines
from django.urls import reverse
from django.utils import timezone, translation

from mission import jinja

pytestmark = pytest.mark.django_db

LANGUAGES = ("en", "sq", "sr-latn")


def django_date(value) -> str:
    return Template('{{ value|date:"SHORT_DATE_FORMAT" }}').render(Context({"value": value}))


@pytest.mark.parametrize("language", LANGUAGES)
def test_dates_are_written_as_the_django_date_filter_writes_them(language, settings):
    settings.TIME_ZONE = "Europe/Belgrade"
    late_evening_utc = datetime.datetime(2026, 3, 31, 23, 30, tzinfo=datetime.UTC)  # 1 April in Pristina
    with translation.override(language), timezone.override("Europe/Belgrade"):
        for value in (datetime.date(2026, 1, 5), datetime.date(2026, 12, 31), late_evening_utc):
            assert jinja.date(value) == django_date(value)
            assert jinja.date(value) == jinja.date(value)  # remembered, unchanged
    assert jinja.date(None) == ""


def test_a_remembered_date_follows_the_language():
    day = datetime.date(2026, 2, 3)
    with translation.override("en"):
        english = jinja.date(day, "DATE_FORMAT")
    with translation.override("sq"):
        albanian = jinja.date(day, "DATE_FORMAT")
    assert english != albanian


def test_links_are_django_reverse():
    assert jinja.url("rights:case_detail", 42) == reverse("rights:case_detail", args=[42])
    assert jinja.url("rights:case_detail", 43) == reverse("rights:case_detail", args=[43])
    assert jinja.url("home") == reverse("home")


def test_values_are_escaped_and_words_translated():
    fragment = engines["jinja2"].from_string('<td>{{ value }}</td><td>{{ _("Review") }}</td>')
    html = fragment.render({"value": '<script>alert("x")</script>'})
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    with translation.override("sq"):
        albanian = fragment.render({"value": ""})
    assert "Review" not in albanian
