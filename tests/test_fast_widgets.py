"""Widgets written in Python (mission/forms.py) write exactly what Django's widget templates write."""

import datetime
import re

import pytest
from django import forms

from mission.forms import FastDateInput, FastNumberInput, FastTextInput, use_fast_widgets

ATTRS = [
    {},
    {"placeholder": 'P. nr. "1"/2026 <b>', "required": True, "aria-required": "true"},
    {"autofocus": False, "maxlength": 20, "class": "wide"},
]


@pytest.mark.parametrize("attrs", ATTRS)
@pytest.mark.parametrize(
    ("plain", "fast", "values"),
    [
        (forms.TextInput, FastTextInput, [None, "", 'A & B "quoted" <script>', 12]),
        (forms.DateInput, FastDateInput, [None, "", datetime.date(2026, 3, 1), "not a date"]),
        (forms.NumberInput, FastNumberInput, [None, 0, 12.5, "x"]),
    ],
)
def test_the_fast_input_writes_what_the_template_writes(plain, fast, values, attrs):
    for value in values:
        for widget_attrs in ({"type": "date"}, {}):
            kwargs = {"attrs": dict(widget_attrs)}
            if plain is forms.DateInput:
                kwargs["format"] = "%Y-%m-%d"
            expected = plain(**kwargs).render("field_name", value, attrs={"id": "id_field_name", **attrs})
            written = fast(**kwargs).render("field_name", value, attrs={"id": "id_field_name", **attrs})
            assert written == expected


class Filters(forms.Form):
    q = forms.CharField(required=False)
    day = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    size = forms.IntegerField(required=False)
    kind = forms.ChoiceField(choices=[("", "Any"), ("a", "A & B")], required=False)
    notes = forms.CharField(widget=forms.Textarea, required=False)


def test_a_form_renders_the_same_with_fast_widgets():
    data = {"q": "<x>", "day": "2026-01-02", "size": "3", "kind": "a", "notes": "n"}
    plain = Filters(data)
    fast = Filters(data)
    use_fast_widgets(fast)
    for name in plain.fields:
        # The select leaves out the template's line breaks between options.
        assert re.sub(r">\s+<", "><", str(fast[name])) == re.sub(r">\s+<", "><", str(plain[name])), name
    assert type(fast.fields["notes"].widget) is forms.Textarea  # others keep their templates
