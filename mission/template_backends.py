"""Django's template engine, leaving no reference cycle behind a page.

Django's `make_context` pushes the view's values onto a `RequestContext` as a `ContextDict` that points
back at the context: a cycle, so the context and everything the page showed (a list's page of rows, each
row's related instances, the filter form) outlive the request until the cyclic garbage collector finds
them, and each collection on the way walks them again. Measured on the review queue: about 500 of the
670 objects a request left for the collector; the page about 7 % faster without them (docs/architecture.md,
"Fast pages").
The context is emptied once the page is written; what a test client recorded of it is its own copy."""

from typing import Any

from django.http import HttpRequest
from django.template import TemplateDoesNotExist
from django.template.backends.django import DjangoTemplates as DjangoBackend
from django.template.backends.django import Template as DjangoTemplate
from django.template.backends.django import reraise
from django.template.context import make_context
from django.utils.safestring import SafeString


class Template(DjangoTemplate):
    def render(self, context: dict[str, Any] | None = None, request: HttpRequest | None = None) -> SafeString:
        made = make_context(context, request, autoescape=self.backend.engine.autoescape)
        try:
            return self.template.render(made)
        except TemplateDoesNotExist as exc:
            reraise(exc, self.backend)
        finally:
            made.dicts = []  # the cycle: each of its dicts points back at it


class DjangoTemplates(DjangoBackend):
    def from_string(self, template_code: str) -> Template:
        return Template(self.engine.from_string(template_code), self)

    def get_template(self, template_name: str) -> Template:
        try:
            return Template(self.engine.get_template(template_name), self)
        except TemplateDoesNotExist as exc:
            reraise(exc, self)
