from typing import TYPE_CHECKING

from django.http import HttpRequest
from django.utils.translation import gettext as _
from rest_framework import permissions
from rest_framework.request import Request

from mission.accounts.permissions import AnyUser, Capability, has_capability
from mission.accounts.roles import Role
from mission.api import datasets

if TYPE_CHECKING:  # DRF imports this module from its settings while rest_framework.views is loading
    from rest_framework.views import APIView


def is_partner(request: Request | HttpRequest) -> bool:
    return getattr(request.user, "role", None) == Role.PARTNER


def staff_may_read(user: AnyUser, dataset: datasets.Dataset) -> bool:
    """A staff user reads a dataset when they hold the capability its pages ask for: one rule,
    `has_capability`, for the pages and the API."""
    return dataset.capability is None or has_capability(user, dataset.capability)


class DatasetPermission(permissions.BasePermission):
    """The view's `dataset` decides: a token needs that scope; partners never get staff-only datasets;
    staff need the API capability and the dataset's capability (their records are then scoped by
    `visible_to`, as on the pages)."""

    message = _("Your token does not include this dataset.")

    def has_permission(self, request: Request, view: "APIView") -> bool:
        user = request.user
        if not getattr(user, "is_authenticated", False) or not has_capability(user, Capability.API):
            self.message = _("Your account may not use the API.")
            return False
        code: str = getattr(view, "dataset", "")  # PortalAPIView's; a view that names none is refused
        dataset = datasets.get(code)
        if dataset is None:
            return False
        if is_partner(request) and not dataset.partners:
            self.message = _("This dataset is for mission staff only.")
            return False
        if not is_partner(request) and not staff_may_read(user, dataset):
            self.message = _("Your role may not read this dataset (as on the portal's pages).")
            return False
        token = request.auth
        if token is not None and hasattr(token, "scopes") and code not in token.scopes:
            self.message = _("Your token does not include the dataset “%(code)s”.") % {"code": code}
            return False
        return token is not None or not is_partner(request)  # partners use tokens only
