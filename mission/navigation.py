"""The site navigation. Apps register their sections; `base.html` shows those the user may use.

A department declares its sections on its `DepartmentConfig` (mission/departments.py), whose `ready()`
registers them with the department filled in:

    navigation = (NavSection(label=_("Human Rights"),
                             items=(NavItem(_("Cases"), "rights:case_list", Capability.READ_RECORDS),)),)

so the shell never imports a department app.
"""

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import translation
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
# What a kind of user sees, in a language: (section label, ((item label, url), …)), …. The sections
# depend only on the role and department (`has_capability`, `scope_for`), so each page need not
# check capabilities and reverse every link again.
_shown: dict[tuple[Any, ...], tuple[tuple[str, tuple[tuple[str, str], ...]], ...]] = {}


def register(section: NavSection) -> None:
    if section not in _sections:
        _sections.append(section)
        _sections.sort(key=lambda s: s.order)
        _shown.clear()


def _sections_shown(user: AnyUser) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    key = (
        getattr(user, "role", None),
        getattr(user, "department", None),
        user.is_active,
        translation.get_language(),
        get_script_prefix(),
        get_urlconf(),
    )
    shown = _shown.get(key)
    if shown is None:
        scope = scope_for(user)
        sections = []
        for section in _sections:
            if section.department and (
                scope.nothing or (scope.departments is not None and section.department not in scope.departments)
            ):
                continue
            items = tuple(
                (str(item.label), reverse(item.url_name))
                for item in section.items
                if not item.capability or has_capability(user, item.capability)
            )
            if items:
                sections.append((str(section.label), items))
        shown = _shown[key] = tuple(sections)
    return shown


def _active(url: str, current_path: str) -> bool:
    return current_path == url if url == "/" else current_path.startswith(url)


class ShownSections(list[dict[str, Any]]):
    """The sections a page shows, with what they are made of (`key`: the sections a kind of user sees
    in a language and which of their items are active), so that the menu rendered once is kept for it
    (mission/templatetags/fragments.py)."""

    key: Hashable = ()


def sections_for(user: "AnyUser | None", current_path: str = "") -> list[dict[str, Any]]:
    if user is None or not user.is_authenticated:
        return []
    shown = _sections_shown(user)
    sections = ShownSections()
    active = []
    for label, items in shown:
        section_items = []
        for item, url in items:
            is_active = _active(url, current_path)
            active.append(is_active)
            section_items.append({"label": item, "url": url, "active": is_active})
        sections.append({"label": label, "items": section_items})
    sections.key = (shown, tuple(active))
    return sections


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Template context processor: the navigation sections for the current user."""
    return {"nav_sections": sections_for(getattr(request, "user", None), request.path)}
