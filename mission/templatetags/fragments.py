"""Page fragments written in Python or compiled, for what every page repeats. Builtins of the Django
engine (settings.TEMPLATES), so no `{% load %}` is needed:

- `{% jinja "name.html" key=value … %}`: a fragment rendered by the Jinja2 engine (mission/jinja.py) with
  the given values (a record page's body);
- `{% jinja_kept "name.html" rows=… %}`: a fragment (a list's table, a record page's body), as `jinja`,
  its HTML kept by the rows and values it was made from (`mission.kept_fragments`);
- `{% field_row field %}`: one form field with its label, help and errors, as every form shows it;
- `{% filter_fields filterset %}`: a list's filter fields, kept while the reference data they offer is
  unchanged when the filter set says what else its form depends on (`form_key_parts()`);
- `{% asset "css/portal.css" %}`: a static file's address, as `{% static %}` makes it, remembered;
- `{% page_header %}` and `{% page_nav %}`: the top bar and the side menu of every page (base.html),
  compiled (through Django's engine they cost about as much as the rest of a simple page) and kept per
  user's name, role, menu and language, the form token and the address put in on each page.
"""

import functools
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import jinja2
from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.forms import BoundField
from django.template import engines
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from markupsafe import escape

from mission.choices import kept_while_reference_unchanged
from mission.jinja import render_values
from mission.kept_fragments import kept_fragment

register = template.Library()


@register.simple_tag
def jinja(name: str, **values: Any) -> SafeString:
    # Jinja2 escaped every value (autoescape), as the Django engine would have.
    return mark_safe(_fragment(name).render(render_values(values)))  # noqa: S308


@register.simple_tag
def jinja_kept(name: str, **values: Any) -> SafeString:
    """A fragment, as `jinja`, its HTML kept by the rows and values it was made from
    (`mission.kept_fragments`): the fragment reads nothing but them. A form token given as `csrf_token`
    is put in after."""
    fragment = _fragment(name)
    csrf = values.get("csrf_token")
    if csrf is not None:
        values = {**values, "csrf_token": _CSRF_MARK}
    html = kept_fragment(fragment, values, lambda: fragment.render(render_values(values)))
    if csrf is not None:
        token = "" if str(csrf) == "NOTPROVIDED" else str(escape(csrf))
        html = html.replace(_CSRF_MARK, token)
    return mark_safe(html)  # noqa: S308 - escaped by Jinja2, as `jinja`; the token is escaped


def _fragment(name: str) -> jinja2.Template:
    # Jinja2's own template, not the backend's wrapper (which adds nothing without a request).
    return engines["jinja2"].get_template(name).template  # type: ignore[attr-defined,no-any-return]


REQUIRED = mark_safe(' class="is-required"')


@register.simple_tag
def field_row(field: BoundField) -> SafeString:
    """A field in its box: the label (a required field's label shows a mark, `.is-required`, and its
    input says `required` and `aria-required` to assistive technology: mission/forms.py), the
    widget, the help text and the errors, each tied to the input by its id. Written in Python: a form
    of twelve fields through a template include each cost a filter form a few milliseconds."""
    errors = field.errors
    parts: list[str] = [
        format_html(
            '<div class="field{}">\n  <label for="{}"{}>{}</label>\n  {}',
            " field--error" if errors else "",
            field.id_for_label,
            REQUIRED if field.field.required else "",
            field.label,
            field,
        )
    ]
    if field.help_text:
        # Help texts are ours (model and form declarations), written as HTML where they link.
        help_html = mark_safe(field.help_text)  # noqa: S308
        parts.append(format_html('\n  <div class="help" id="{}_helptext">{}</div>', field.auto_id, help_html))
    parts.extend(format_html('\n  <p class="error" id="{}_error">{}</p>', field.auto_id, error) for error in errors)
    parts.append("\n</div>")
    return mark_safe("".join(parts))  # noqa: S308 - every part made by format_html


@register.simple_tag
def filter_fields(filterset: Any) -> SafeString:
    """The fields of a list's filter form, each in its box. A filter set whose form depends on nothing
    but its class, the request's values, the language and reference data declares `form_key_parts()`
    (what else its choices depend on, e.g. the colleagues a reviewer may pick; None: keep nothing),
    and its rendered fields are kept (`mission.choices`): a dozen selects of every municipality and court
    cost a list page about as much as its rows."""
    form = filterset.form

    def build() -> str:
        return "".join(field_row(field) for field in form)

    key_parts = getattr(filterset, "form_key_parts", None)
    extra = key_parts() if key_parts is not None else None
    if extra is None:
        return mark_safe(build())  # noqa: S308 - every part made by field_row
    lists = getattr(form.data, "lists", None)
    data = tuple(sorted((name, tuple(values)) for name, values in lists())) if form.is_bound and lists else None
    parts = (type(filterset).__module__, type(filterset).__qualname__, data, extra)
    return mark_safe(kept_while_reference_unchanged(parts, build))  # noqa: S308 - made by field_row


@register.simple_tag
def asset(path: str) -> str:
    """`{% static path %}`, remembered: the address of a file of ours does not change while the portal
    runs (a new build is a restart), and the manifest's lookup cost a page's head a tenth of a millisecond."""
    return _asset(path)


@functools.lru_cache(maxsize=64)
def _asset(path: str) -> str:
    return static(path)


def _forget_assets(*, setting: str, **_: Any) -> None:
    if setting in {"STATIC_URL", "STORAGES"}:  # tests that change where files are served from
        _asset.cache_clear()


setting_changed.connect(_forget_assets, dispatch_uid="mission.fragments.assets")


@functools.cache
def _languages() -> tuple[tuple[str, str], ...]:
    """The interface languages, each named in itself, as Django's language-info list gives them."""
    return tuple((code, capfirst(translation.get_language_info(code)["name_local"])) for code, _ in settings.LANGUAGES)


def _signed_in_name(user: Any) -> str:
    return str(user.get_full_name() or user.username)


def _csrf(context: template.Context) -> str:
    """The page's form token, as `{% csrf_token %}` reads it: one per render, however many forms."""
    token = context.get("csrf_token")
    return "" if token is None or str(token) == "NOTPROVIDED" else str(token)


def _request_and_user(context: template.Context) -> tuple[Any, Any]:
    """A page rendered without its request (Django's own error views render a plain dict) shows the
    bar of a signed-out visitor."""
    request = context.get("request")
    user = context.get("user") or getattr(request, "user", None)
    return request, user if user is not None and user.is_authenticated else None


# The top bar and the side menu are the same for every page a user opens in a language, but for the
# form token (new on every page) and the address the language form returns to. Each is rendered once
# with marks in their place, kept in this process, and the marks replaced: a fraction of rendering.
# Letters and digits (escaping leaves them as they are, as it does a token), drawn for this process: a
# mark no one can type into a record's text, which would otherwise get each reader's token put in.
_CSRF_MARK = f"csrf{secrets.token_hex(16)}"
_HERE_MARK = f"here{secrets.token_hex(16)}"
_kept_shells: "OrderedDict[tuple[Any, ...], str]" = OrderedDict()
_kept_lock = threading.Lock()
KEPT_SHELLS = 512  # a bar or a menu is one or two kilobytes


def _kept_shell(
    name: str, key: tuple[Any, ...], values: Callable[[], dict[str, Any]], csrf: str, here: str = ""
) -> SafeString:
    """The shell fragment `name` for `key` (everything its `values()` are made of, which are built only
    when it is not kept yet), with this page's form token and address put in."""
    full_key = (name, translation.get_language(), get_script_prefix(), get_urlconf(), key)
    with _kept_lock:
        html = _kept_shells.get(full_key)
        if html is not None:
            _kept_shells.move_to_end(full_key)
    if html is None:
        html = str(jinja(name, **values(), csrf=_CSRF_MARK, here=_HERE_MARK))
        with _kept_lock:
            _kept_shells[full_key] = html
            while len(_kept_shells) > KEPT_SHELLS:
                _kept_shells.popitem(last=False)
    # The token is letters and digits; the address is escaped as Jinja2 escaped it in the template.
    return mark_safe(html.replace(_CSRF_MARK, csrf).replace(_HERE_MARK, str(escape(here))))  # noqa: S308


@register.simple_tag(takes_context=True)
def page_header(context: template.Context) -> SafeString:
    request, user = _request_and_user(context)
    signed_in = user is not None
    language = translation.get_language() or settings.LANGUAGE_CODE
    always_sign_out = not context.get("nav_sections")

    def values() -> dict[str, Any]:
        return {
            "signed_in": signed_in,
            "who": _signed_in_name(user) if signed_in else "",
            "role": user.get_role_display() if signed_in else "",
            "languages": _languages(),
            "language": language,
            "always_sign_out": always_sign_out,
        }

    # The name and role as they are stored: the words made of them are the language's (in the key).
    person = (user.first_name, user.last_name, user.username, user.role) if signed_in else ()
    here = request.get_full_path() if request is not None else ""
    return _kept_shell("shell/header.html", (person, language, always_sign_out), values, _csrf(context), here)


@register.simple_tag(takes_context=True)
def page_nav(context: template.Context) -> SafeString:
    _request, user = _request_and_user(context)
    if user is None:
        return mark_safe("")
    sections = context.get("nav_sections") or []

    def values() -> dict[str, Any]:
        return {
            "sections": sections,
            "staff": user.is_staff,
            "sign_out": _("Sign out (%(name)s)") % {"name": _signed_in_name(user)},
        }

    shown = getattr(sections, "key", None)  # what `mission.navigation` made them of
    if shown is None:
        shown = tuple(
            (section["label"], tuple((item["label"], item["url"], item["active"]) for item in section["items"]))
            for section in sections
        )
    person = (user.first_name, user.last_name, user.username)
    return _kept_shell("shell/nav.html", (shown, user.is_staff, person), values, _csrf(context))
