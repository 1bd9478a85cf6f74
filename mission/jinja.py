"""The Jinja2 environment for the hot parts of pages (the rows of lists, a record page's body):
compiled to Python, a fragment renders several times faster than the same markup through Django's
template engine, which walks a node tree per row and cell. Pages stay Django templates; a page includes
a fragment with `{% jinja "rights/hearing_rows.html" rows=page.object_list %}`
(mission/templatetags/fragments.py), and the fragments live in templates/jinja2/.

The environment offers what fragments need and nothing else: the interface's translations (Django's
gettext: the active language and the project's catalogues; `{{ _("Held") }}` is extracted by
makemessages like a Django template's; a message with a plural or values a fragment is given by its
view, written in Python), `url(name, *args)` (Django's reverse, remembered per arguments), both bound
once per render (`render_values`), and the filters `date` (the active locale's short format, as Django's
`date` filter with SHORT_DATE_FORMAT), `time` and `yesno` (Django's) and `number`. A form's token is
given as `csrf_token`. Autoescaping is on, as in Django templates."""

import datetime
import functools
from collections.abc import Callable
from typing import Any

from django.template import defaultfilters
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext, ngettext, pgettext
from jinja2 import Environment
from markupsafe import Markup


@functools.lru_cache(maxsize=8192)
def _reverse(name: str, args: tuple[Any, ...], prefix: str, urlconf: str | None) -> str:
    return reverse(name, args=args or None, urlconf=urlconf)


def url(name: str, *args: Any) -> str:
    """Django's reverse, remembered: a list reverses the same few names for each of its rows."""
    return _reverse(name, args, get_script_prefix(), get_urlconf())


@functools.lru_cache(maxsize=8192)
def _date_format(value: datetime.date, format_name: str, language: str) -> str:
    return formats.date_format(value, format_name)


def date(value: datetime.date | None, format_name: str = "SHORT_DATE_FORMAT") -> str:
    """A date or time in the active locale's format, as Django's `date` filter writes it (an aware
    time in the current time zone first). Days repeat from row to row and page to page: remembered."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value) if timezone.is_aware(value) else value, format_name)
    return _date_format(value, format_name, translation.get_language() or "")


# Each language's translations of the messages fragments asked for: the catalogue does not change while
# the process runs, and a list of 25 rows asks for the same few words a hundred times.
_said: dict[str, dict[str, Markup]] = {}


def render_values(values: dict[str, Any]) -> dict[str, Any]:
    """`values` with what a fragment calls on every row bound to this render's language and address
    prefix, each looked up once per render instead of once per call: `_` (a message's translation,
    trusted as the i18n extension trusts it; with keyword values, filled in and escaped) and `url`."""
    language = translation.get_language() or ""
    said = _said.setdefault(language, {})
    prefix, urlconf = get_script_prefix(), get_urlconf()

    def say(message: str, **variables: Any) -> Markup:
        text = said.get(message)
        if text is None:
            text = said[message] = Markup(gettext(message))  # noqa: S704 - our catalogue, as the i18n extension
        return text % variables if variables else text

    def bound_url(name: str, *args: Any) -> str:
        return _reverse(name, args, prefix, urlconf)

    return {"_": say, "url": bound_url, **values}


class Words:
    """Words a view writes in Python for a fragment (a message with a plural or values, which
    makemessages finds in Python and not in a Jinja2 call), given to it through the Django template
    that includes it: `Words(lambda count: ngettext(...) % {...})`. The Django engine would call a
    plain function when it reads the variable; this it leaves for the fragment to call."""

    do_not_call_in_templates = True

    def __init__(self, say: Callable[..., str]) -> None:
        self.say = say

    def __call__(self, *args: Any) -> str:
        return self.say(*args)


def environment(**options: Any) -> Environment:
    # Escaping always on, whatever the backend's options say.
    options.pop("autoescape", None)
    env = Environment(autoescape=True, extensions=["jinja2.ext.i18n"], **options)
    env.install_gettext_callables(gettext, ngettext, newstyle=True, pgettext=pgettext)  # type: ignore[attr-defined]
    env.globals["url"] = url
    env.filters["date"] = date
    env.filters["number"] = formats.number_format
    env.filters["time"] = defaultfilters.time  # a time in a Django format ("H:i"); nothing for None
    env.filters["yesno"] = defaultfilters.yesno  # "yes", "no", "maybe", or the words given
    return env
