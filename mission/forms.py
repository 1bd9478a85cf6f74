"""Shared form plumbing."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


def add_service_errors(form: forms.BaseForm, error: ValidationError, field_map: dict[str, str] | None = None) -> None:
    """Show a service's ValidationError on the form: on the field it names, else at the top."""
    field_map = field_map or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, errors in error.error_dict.items():
        target = field_map.get(field, field)
        messages = [m for e in errors for m in e.messages]
        if target in form.fields:
            form.add_error(target, messages)
        else:
            form.add_error(None, messages)


class VersionField(forms.IntegerField):
    """The version of a record the user started from, for optimistic locking (`mission.concurrency`).

    Missing or malformed, it cleans to None, and the service refuses the save with a message that says
    why: an error on a hidden field would be invisible."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs) -> None:
        super().__init__(required=False, **kwargs)

    def to_python(self, value: object) -> int | None:
        try:
            return super().to_python(value)
        except ValidationError:
            return None


DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class FastSelect(forms.Select):
    """A select whose options are joined in Python instead of one template render per option: a filter
    form with every municipality and court renders in microseconds instead of milliseconds."""

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        final_attrs["name"] = name
        chosen = {str(v) for v in (value if isinstance(value, (list, tuple)) else [value]) if v not in (None, "")}
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((key, mark_safe(" selected") if str(key) in chosen else "", label) for key, label in self.choices),
        )
        return format_html("<select{}>{}</select>", flatatt(final_attrs), options)


def use_fast_selects(form: forms.BaseForm) -> None:
    """Swap every plain select of a form for a FastSelect, keeping its attributes and choices."""
    for field in form.fields.values():
        if type(field.widget) is forms.Select:
            fast = FastSelect(attrs=field.widget.attrs)
            fast.choices = field.widget.choices
            field.widget = fast
