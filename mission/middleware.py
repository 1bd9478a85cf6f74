"""Middleware of the whole portal (the accounts app has its own, for roles)."""

from collections.abc import Callable
from urllib.parse import unquote

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _


class RefuseNulCharactersMiddleware:
    """A NUL character (%00) in the address or its query is a 400, whatever the view.

    PostgreSQL cannot store or compare text holding NUL and raises an error on any query that does,
    so a path converter or a parameter read without a form (`request.GET.get`) would answer 500.
    Refusing it here, once, covers every URL, every parameter and every future view; forms already
    refuse it in their fields (Django's ProhibitNullCharactersValidator)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path_info or "\x00" in unquote(request.META.get("QUERY_STRING", "")):
            # Raised, not answered, so that the 400 handler answers: JSON for the API, a page elsewhere.
            raise BadRequest(_("The address holds a NUL character, which no address may hold."))
        return self.get_response(request)
