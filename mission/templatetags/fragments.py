"""Page fragments written in Python or compiled, for what every page repeats. Builtins of the Django
engine (settings.TEMPLATES), so no `{% load %}` is needed:

- `{% jinja "name.html" key=value … %}`: a fragment rendered by the Jinja2 engine (mission/jinja.py) with
  the given values (the rows of lists);
- `{% field_row field %}`: one form field with its label, help and errors, as every form shows it.
"""

from typing import Any

from django import template
from django.forms import BoundField
from django.template import engines
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag
def jinja(name: str, **values: Any) -> SafeString:
    fragment = engines["jinja2"].get_template(name)
    # Jinja2 escaped every value (autoescape), as the Django engine would have.
    return mark_safe(fragment.render(values))  # noqa: S308


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
