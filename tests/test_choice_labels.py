"""`get_<field>_display()` of the portal's models looks the labels up once per process
(mission/common.py), and still says them in the language of the moment."""

import pytest
from django.utils import translation

from rights.models import Court

pytestmark = pytest.mark.django_db


def test_a_choice_is_shown_by_its_label_in_the_active_language_and_an_unknown_value_as_it_is():
    court = Court(level="basic")
    with translation.override("en"):
        assert court.get_level_display() == "Basic Court"
    with translation.override("sq"):
        albanian = court.get_level_display()
    assert albanian not in ("", "Basic Court", "basic")
    court.level = "no-such-level"
    assert court.get_level_display() == "no-such-level"
