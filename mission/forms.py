"""Shared form plumbing."""

import copy
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.forms.boundfield import BoundField
from django.forms.renderers import BaseRenderer, TemplatesSetting
from django.forms.widgets import Input
from django.http import HttpRequest
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from mission.choices import ReferenceChoices, is_reference_field, kept_while_reference_unchanged, reference_watch

if TYPE_CHECKING:
    from mission.accounts.models import User


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

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, **kwargs)

    def to_python(self, value: object) -> int | None:
        try:
            return super().to_python(value)
        except ValidationError:
            return None


DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _attributes(attrs: dict[str, Any]) -> str:
    """Attributes as Django's widget templates write them (django/forms/widgets/attrs.html): in their
    order, a True one bare, a False one left out."""
    return "".join(
        f" {name}" if value is True else f' {name}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class FastSelect(forms.Select):
    """A select whose options are joined in Python instead of one template render per option: a filter
    form with every municipality and court renders in microseconds instead of milliseconds."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: BaseRenderer | None = None
    ) -> SafeString:
        final_attrs = _attributes(self.build_attrs(self.attrs, attrs))
        chosen = {str(v) for v in (value if isinstance(value, (list, tuple)) else [value]) if v not in (None, "")}
        # Plain string building: format_html per option cost more than the rest of the select.
        options = "".join(
            f'<option value="{conditional_escape(key)}"{" selected" if str(key) in chosen else ""}>'
            f"{conditional_escape(label)}</option>"  # type: ignore[arg-type]  # no groups in our selects
            for key, label in self.choices
        )
        # As Django's select template, without its line breaks between options.
        return mark_safe(f'<select name="{conditional_escape(name)}"{final_attrs}>{options}</select>')  # noqa: S308


class FastInput(Input):
    """An input written in Python, as Django's input template writes it: a filter form's text and
    date inputs no longer render a template each."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: BaseRenderer | None = None
    ) -> SafeString:
        shown = self.format_value(value)
        written = "" if shown is None else f' value="{conditional_escape(shown)}"'
        final_attrs = _attributes(self.build_attrs(self.attrs, attrs))
        return mark_safe(f'<input type="{self.input_type}" name="{conditional_escape(name)}"{written}{final_attrs}>')  # noqa: S308


class FastTextInput(FastInput, forms.TextInput):
    pass


class FastDateInput(FastInput, forms.DateInput):
    pass


class FastNumberInput(FastInput, forms.NumberInput):
    pass


_FAST_INPUTS: dict[type[forms.Widget], type[FastInput]] = {
    forms.TextInput: FastTextInput,
    forms.DateInput: FastDateInput,
    forms.NumberInput: FastNumberInput,
}


def use_fast_widgets(form: forms.BaseForm) -> None:
    """Swap every plain select and text, date and number input of a form for one written in Python,
    keeping its attributes, choices and formats. The options of a reference table (regions,
    municipalities, courts) come from the per-language lists of `mission.choices`; other model
    choices (users, records) are read each time."""
    for field in form.fields.values():
        widget = field.widget
        if type(widget) is forms.Select:
            fast = FastSelect(attrs=widget.attrs)
            fast.choices = ReferenceChoices(field) if is_reference_field(field) else widget.choices
            field.widget = fast
        elif type(widget) in _FAST_INPUTS:
            replacement = copy.copy(widget)
            replacement.__class__ = _FAST_INPUTS[type(widget)]
            field.widget = replacement


class RequiredAwareBoundField(BoundField):
    """Required fields say so to assistive technology too (`aria-required`), besides the visible mark
    that `{% field_row %}` draws (mission/templatetags/fragments.py). Radio buttons and checkboxes
    keep plain `required`: ARIA does not allow `aria-required` on them."""

    def build_widget_attrs(
        self, attrs: dict[str, str | bool], widget: forms.Widget | None = None
    ) -> dict[str, str | bool]:
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if attrs.get("required") and getattr(widget, "input_type", None) not in ("radio", "checkbox"):
            attrs["aria-required"] = "true"
        return attrs


class PortalFormRenderer(TemplatesSetting):
    """The project's form renderer (FORM_RENDERER): widgets render through the project's templates (so
    templates/ can mend one), and every form's fields are RequiredAwareBoundFields."""

    bound_field_class = RequiredAwareBoundField


# --- One save per form ----------------------------------------------------------------------------
SUBMISSION_FIELD = "submission_token"


class RepeatedSubmissionError(Exception):
    """This form was saved before; `url` is where that save led."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.url = url


def submission_token(request: HttpRequest) -> str:
    """The one-time token a create form carries (render it with `includes/submission_token.html`): the
    token it was posted with, so that a form shown again after an error keeps it, or a new one."""
    posted = _token(request)
    return str(posted or uuid.uuid4())


def _token(request: HttpRequest) -> uuid.UUID | None:
    try:
        return uuid.UUID(request.POST.get(SUBMISSION_FIELD, ""))
    except ValueError:
        return None


def earlier_submission(request: HttpRequest) -> str | None:
    """Where this form led when it was saved before, if it was."""
    token = _token(request)
    if request.method != "POST" or token is None:
        return None
    from mission.accounts.models import FormSubmission

    return (
        FormSubmission.objects.filter(token=token, user=_signed_in(request))
        .exclude(url="")
        .values_list("url", flat=True)
        .first()
    )


@contextmanager
def once_per_form(request: HttpRequest) -> Iterator[Callable[[str], None]]:
    """Run a create at most once per form token, in one transaction with the claim on the token.

        with once_per_form(request) as saved_at:
            case = case_create(...)
            saved_at(case_url)

    A second POST of the same form that arrives while the first is still saving waits on the token's
    unique row and then raises RepeatedSubmissionError with the first one's URL; if the first failed, its
    claim rolled back with it and the second goes ahead. A POST without a token (an old page) is saved
    as before."""
    from mission.accounts.models import FormSubmission

    token = _token(request)
    user = _signed_in(request)
    with transaction.atomic():
        claim = None
        if token is not None:
            try:
                with transaction.atomic():
                    claim = FormSubmission.objects.create(token=token, user=user)
            except IntegrityError:
                earlier = FormSubmission.objects.filter(token=token, user=user).first()
                raise RepeatedSubmissionError(earlier.url if earlier else "") from None

        def saved_at(url: str) -> None:
            if claim is not None:
                claim.url = url
                claim.save(update_fields=["url"])

        yield saved_at


def _signed_in(request: HttpRequest) -> "User":
    # The login middleware sends anonymous visitors away before any form; this says so to mypy.
    if not request.user.is_authenticated:
        raise PermissionDenied
    return request.user


def kept_filter_form(filterset: Any) -> forms.Form:
    """The list filter set's form, validated, kept in this process when the filter set declares
    `form_key_parts()` (what its form depends on besides its class, the request's values, the language
    and reference data; None: nothing kept): `mission.choices.kept_while_reference_unchanged`, as its
    rendered fields are (`{% filter_fields %}`). Building the form class, copying a dozen fields with
    every municipality and court and checking the values cost each list page about a millisecond.
    Its readers only read it: its errors and cleaned values were made before it was kept."""

    def build() -> forms.Form:
        form_class = filterset.get_form_class()
        if filterset.is_bound:
            form: forms.Form = form_class(filterset.data, prefix=filterset.form_prefix)
        else:
            form = form_class(prefix=filterset.form_prefix)
        use_fast_widgets(form)
        for field in form.fields.values():  # a changed region or court makes the kept form stale
            if is_reference_field(field) and field.queryset is not None:
                reference_watch(field.queryset.model)
        form.is_valid()  # its errors and cleaned values, made once
        return form

    key_parts = getattr(filterset, "form_key_parts", None)
    extra = key_parts() if key_parts is not None else None
    if extra is None:
        return build()
    lists = getattr(filterset.data, "lists", None)
    data = tuple(sorted((name, tuple(values)) for name, values in lists())) if filterset.is_bound and lists else None
    parts = ("filter-form", type(filterset).__module__, type(filterset).__qualname__, data, extra)
    return kept_while_reference_unchanged(parts, build)
