from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler

API_PATH_PREFIX = "/api/"


def is_api_request(request: HttpRequest) -> bool:
    """Whether the request is for the API, whose every answer is JSON, errors included, even where no
    API view ran (an unknown /api/ address, an error before or outside DRF)."""
    return request.path_info.startswith(API_PATH_PREFIX)


def json_error(status: int, detail: str) -> JsonResponse:
    """An API error outside DRF, shaped as DRF's are (`detail`). Needs no database, for the 500."""
    return JsonResponse({"detail": detail}, status=status)


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Every API error is JSON: `detail` says what is wrong; `errors` names the fields, if any."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        response.data = {"detail": _("The request is not valid; see `errors`."), "errors": errors}
    elif isinstance(response.data, dict) and "detail" in response.data:
        response.data = {"detail": str(response.data["detail"])}
    return response
