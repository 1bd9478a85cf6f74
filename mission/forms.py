"""Shared form plumbing."""

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.forms.boundfield import BoundField
from django.forms.renderers import BaseRenderer, TemplatesSetting
from django.forms.utils import flatatt
from django.http import HttpRequest
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from mission.choices import ReferenceChoices, is_reference_field

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


class FastSelect(forms.Select):
    """A select whose options are joined in Python instead of one template render per option: a filter
    form with every municipality and court renders in microseconds instead of milliseconds."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: BaseRenderer | None = None
    ) -> SafeString:
        final_attrs = self.build_attrs(self.attrs, attrs)
        final_attrs["name"] = name
        chosen = {str(v) for v in (value if isinstance(value, (list, tuple)) else [value]) if v not in (None, "")}
        # Plain string building: format_html per option cost more than the rest of the select.
        options = "".join(
            f'<option value="{conditional_escape(key)}"{" selected" if str(key) in chosen else ""}>'
            f"{conditional_escape(label)}</option>"  # type: ignore[arg-type]  # no groups in our selects
            for key, label in self.choices
        )
        return mark_safe(f"<select{flatatt(final_attrs)}>{options}</select>")  # noqa: S308 - every part escaped


def use_fast_selects(form: forms.BaseForm) -> None:
    """Swap every plain select of a form for a FastSelect, keeping its attributes and choices. The
    options of a reference table (regions, municipalities, courts) come from the per-language lists of
    `mission.choices`; other model choices (users, records) are read each time."""
    for field in form.fields.values():
        if type(field.widget) is forms.Select:
            fast = FastSelect(attrs=field.widget.attrs)
            if is_reference_field(field):
                fast.choices = ReferenceChoices(field)
            else:
                fast.choices = field.widget.choices
            field.widget = fast


class RequiredAwareBoundField(BoundField):
    """Required fields say so to assistive technology too (`aria-required`), besides the visible mark
    that `includes/field.html` draws. Radio buttons and checkboxes keep plain `required`: ARIA does not
    allow `aria-required` on them."""

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
