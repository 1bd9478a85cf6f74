"""`{% jinja "name.html" key=value … %}`: a fragment rendered by the Jinja2 engine (mission/jinja.py) with
the given values, inside a Django template. A builtin of the Django engine (settings.TEMPLATES), so
no `{% load %}` is needed."""

from typing import Any

from django import template
from django.template import engines
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag
def jinja(name: str, **values: Any) -> SafeString:
    fragment = engines["jinja2"].get_template(name)
    # Jinja2 escaped every value (autoescape), as the Django engine would have.
    return mark_safe(fragment.render(values))  # noqa: S308
