from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import patch_cache_control

from mission.accounts.roles import Role


class PagesForStaffOnlyMiddleware:
    """Partners use the API only: a partner session gets no HTML page, whatever the URL.

    The login form already refuses partners; this is the second lock, for a session that exists anyway.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponseBase],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.role != Role.PARTNER:
            return None
        view_class = getattr(view_func, "view_class", None)
        if request.path.startswith("/api/") or getattr(view_class or view_func, "partner_allowed", False):
            return None
        raise PermissionDenied


class NoStoreForSignedInMiddleware:
    """Pages for a signed-in user are not stored by the browser or a proxy.

    They hold restricted values and the key that seals this session's offline drafts
    (`mission.drafts`); a copy in the browser's disk cache would outlive the session.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, no_store=True, private=True)
        return response
