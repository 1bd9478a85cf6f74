"""The site navigation. Apps register their sections; `base.html` shows those the user may use.

A department declares its sections on its `DepartmentConfig` (mission/departments.py), whose `ready()`
registers them with the department filled in:

    navigation = (NavSection(label=_("Human Rights"),
                             items=(NavItem(_("Cases"), "rights:case_list", Capability.READ_RECORDS),)),)

so the shell never imports a department app.
"""

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django_stubs_ext import StrOrPromise

from mission.accounts.permissions import AnyUser, Capability, has_capability, scope_for


@dataclass(frozen=True)
class NavItem:
    label: StrOrPromise
    url_name: str
    capability: Capability | None = None


@dataclass(frozen=True)
class NavSection:
    label: StrOrPromise
    items: tuple[NavItem, ...]
    department: str | None = None  # shown only to users whose scope includes this department
    order: int = 50


_sections: list[NavSection] = []


def register(section: NavSection) -> None:
    if section not in _sections:
        _sections.append(section)
        _sections.sort(key=lambda s: s.order)


def sections_for(user: "AnyUser | None", current_path: str = "") -> list[dict[str, Any]]:
    if user is None or not user.is_authenticated:
        return []
    scope = scope_for(user)
    shown = []
    for section in _sections:
        if section.department and (
            scope.nothing or (scope.departments is not None and section.department not in scope.departments)
        ):
            continue
        items = []
        for item in section.items:
            if item.capability and not has_capability(user, item.capability):
                continue
            url = reverse(item.url_name)
            active = current_path == url if url == "/" else current_path.startswith(url)
            items.append({"label": item.label, "url": url, "active": active})
        if items:
            shown.append({"label": section.label, "items": items})
    return shown


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Template context processor: the navigation sections for the current user."""
    return {"nav_sections": sections_for(getattr(request, "user", None), request.path)}
