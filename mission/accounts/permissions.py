"""The permission layer, written once: what each role may do, and over which records.

Two questions, two functions:
- `has_capability(user, capability)`: may this user do this kind of thing at all?
- `scope_for(user)`: which departments and regions do their records come from?
Every scoped queryset answers `visible_to(user)` with `ScopedQuerySet`, which reads `scope_for`.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol, Self, TypeAlias, TypeGuard, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mission.accounts.roles import Department, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


class PortalUser(Protocol):
    """What the permission layer reads of a signed-in user: `mission.accounts.models.User` has it. The
    base names the shape rather than the model, which belongs to a framework above it."""

    @property
    def is_authenticated(self) -> Literal[True]: ...
    @property
    def is_active(self) -> bool: ...
    @property
    def role(self) -> str: ...
    @property
    def department(self) -> str: ...
    @property
    def region_id(self) -> int | None: ...


# Whoever makes a request: a signed-in user or nobody. Narrowed by `user.is_authenticated`.
AnyUser: TypeAlias = "PortalUser | AnonymousUser"


class Capability(models.TextChoices):
    RECORD = "record", _("Log observations and field activities, and submit them for review")
    REVIEW = "review", _("Review submissions: return them with comments or approve them")
    FOLLOW_UP = "follow_up", _("Follow up flags and record interventions")
    READ_RECORDS = "read_records", _("Read the records of your department")
    DASHBOARDS = "dashboards", _("Read dashboards and indicators")
    REPORTS = "reports", _("Request reports in PDF, XLSX and CSV")
    RESTRICTED = "restricted", _("See names of accused, victims and witnesses in your scope")
    DIRECTORY = "directory", _("See colleagues and the field structure")
    API = "api", _("Use the REST API")
    ADMINISTER = "administer", _("Manage users, roles and reference data in the administration")


_STAFF = {Capability.READ_RECORDS, Capability.DIRECTORY, Capability.API}

ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.MONITOR: frozenset(_STAFF | {Capability.RECORD, Capability.RESTRICTED}),
    Role.SUPERVISOR: frozenset(
        _STAFF
        | {
            Capability.RECORD,
            Capability.REVIEW,
            Capability.FOLLOW_UP,
            Capability.DASHBOARDS,
            Capability.REPORTS,
            Capability.RESTRICTED,
        }
    ),
    Role.DEPARTMENT_HEAD: frozenset(
        _STAFF | {Capability.FOLLOW_UP, Capability.DASHBOARDS, Capability.REPORTS, Capability.RESTRICTED}
    ),
    Role.MANAGEMENT: frozenset(_STAFF | {Capability.DASHBOARDS, Capability.REPORTS}),
    Role.PARTNER: frozenset({Capability.API}),
    Role.ADMINISTRATOR: frozenset({Capability.DIRECTORY, Capability.ADMINISTER}),
}


def has_capability(user: AnyUser, capability: Capability) -> TypeGuard[PortalUser]:
    """Whether the user may do this kind of thing; when true, the user is a signed-in one."""
    if not user.is_authenticated or not user.is_active:
        return False
    return capability in ROLE_CAPABILITIES.get(user.role, frozenset())


def capabilities_of(user: AnyUser) -> list[Capability]:
    """The user's capabilities in the order they are listed above, for showing on the home page."""
    return [c for c in Capability if has_capability(user, c)]


def require_capability(user: AnyUser, capability: Capability) -> None:
    if not has_capability(user, capability):
        raise PermissionDenied


@dataclass(frozen=True)
class Scope:
    """Where a user's records come from. `None` means every department or every region."""

    departments: frozenset[str] | None
    region_ids: frozenset[int] | None
    nothing: bool = False

    def describe(self) -> str:
        if self.nothing:
            return str(_("no mission records"))
        if self.departments is None:
            return str(_("all departments, all regions"))
        department = ", ".join(str(Department(d).label) for d in sorted(self.departments))
        if self.region_ids is None:
            return str(_("%(department)s, all regions") % {"department": department})
        return str(_("%(department)s, your region") % {"department": department})


NO_SCOPE = Scope(departments=frozenset(), region_ids=frozenset(), nothing=True)


def scope_for(user: AnyUser) -> Scope:
    if not has_capability(user, Capability.READ_RECORDS):
        # Partners reach published data through the API only; administrators manage, they do not read.
        return NO_SCOPE
    if user.role == Role.MANAGEMENT:
        return Scope(departments=None, region_ids=None)
    if user.role == Role.DEPARTMENT_HEAD:
        return Scope(departments=frozenset({user.department}), region_ids=None)
    # Monitors and supervisors always have a region (a constraint on the user table); one without
    # would read nothing rather than the records that have no region.
    regions = frozenset() if user.region_id is None else frozenset({user.region_id})
    return Scope(departments=frozenset({user.department}), region_ids=regions)


def scope_covers(user: AnyUser, *, department: str, region_id: int | None) -> bool:
    """Whether a record of this department and region lies in the user's scope (for writes)."""
    scope = scope_for(user)
    if scope.nothing:
        return False
    if scope.departments is not None and department not in scope.departments:
        return False
    return scope.region_ids is None or region_id in scope.region_ids


def reads_department(user: AnyUser, department: str) -> bool:
    """Whether the user reads any records of this department (in some region)."""
    scope = scope_for(user)
    return not scope.nothing and (scope.departments is None or department in scope.departments)


def sees_restricted(user: AnyUser, *, department: str) -> bool:
    """Whether the user reads restricted values (names) of this department's records in their scope.

    Only the department's own staff do; mission management reads pseudonyms.
    """
    return has_capability(user, Capability.RESTRICTED) and user.department == department


_M = TypeVar("_M", bound=models.Model, covariant=True)


class ScopedQuerySet(models.QuerySet[_M]):
    """A queryset whose rows belong to a department and a region, filtered by the user's scope.

    Subclasses name the lookups: `department_lookup` (or a fixed `department` for a department app's
    models, whose rows all belong to that department) and `region_lookup`.
    """

    department: str | None = None
    department_lookup: str | None = "department"
    region_lookup: str = "municipality__region"

    def scope_q(self, scope: Scope) -> Q | None:
        """The filter for a scope; `None` when the scope sees every row."""
        conditions = Q()
        if scope.departments is not None:
            if self.department is not None:
                if self.department not in scope.departments:
                    return Q(pk__in=[])
            else:
                conditions &= Q(**{f"{self.department_lookup}__in": scope.departments})
        if scope.region_ids is not None:
            conditions &= Q(**{f"{self.region_lookup}_id__in": scope.region_ids})
        return conditions or None

    def visible_to(self, user: AnyUser) -> "Self":
        scope = scope_for(user)
        if scope.nothing:
            return self.none()
        condition = self.scope_q(scope)
        return self if condition is None else self.filter(condition)


# --- Questions about one record, answered from what its queryset declares ---------------------------
def _walk(record: models.Model, lookup: str) -> tuple[object, str]:
    """The object at the end of `lookup` but its last step, read from `record`, and that step."""
    *path, last = lookup.split("__")
    obj: object = record
    for name in path:
        obj = getattr(obj, name)
    return obj, last


def declared_scope(model: type[models.Model]) -> ScopedQuerySet[models.Model]:
    """The scoped queryset of `model`, which declares its department and its path to a region."""
    queryset = model._default_manager.get_queryset()
    if not isinstance(queryset, ScopedQuerySet):
        raise TypeError(f"{model.__name__} has no scoped queryset: it declares no department or region")
    return queryset


def region_of(record: models.Model) -> int | None:
    """The region of `record`, reached through the `region_lookup` its queryset declares. The objects on
    the way are read from the record, so a caller that fetched it with them costs no query."""
    obj, region = _walk(record, declared_scope(type(record)).region_lookup)
    region_id: int | None = getattr(obj, f"{region}_id")
    return region_id


def department_of(record: models.Model) -> str:
    """The department of `record`: its queryset's fixed `department`, or its `department_lookup`."""
    queryset = declared_scope(type(record))
    if queryset.department is not None:
        return queryset.department
    obj, field = _walk(record, queryset.department_lookup or "department")
    department: str = getattr(obj, field)
    return department


def covers_record(user: AnyUser, record: models.Model) -> bool:
    """Whether the user's scope covers the record's department and region."""
    return scope_covers(user, department=department_of(record), region_id=region_of(record))


def may_record(user: AnyUser, record: models.Model) -> bool:
    """Whether the user records in the record's department and region (a field monitor or supervisor
    there). For a record not saved yet, its region comes from what it holds (say, its municipality)."""
    return has_capability(user, Capability.RECORD) and covers_record(user, record)


def require_record(user: AnyUser, record: models.Model) -> None:
    if not may_record(user, record):
        raise PermissionDenied


def may_follow_up(user: AnyUser, record: models.Model) -> bool:
    """Whether the user follows up (flags, interventions) on the record, in its department and region."""
    return has_capability(user, Capability.FOLLOW_UP) and covers_record(user, record)


def reads_restricted(user: AnyUser, model: type[models.Model]) -> bool:
    """Whether the user reads the restricted values (names) of a department model's records in their
    scope (`sees_restricted` for the department the model's queryset declares)."""
    department = declared_scope(model).department
    if department is None:
        raise TypeError(f"{model.__name__} belongs to no one department: ask about a record")
    return sees_restricted(user, department=department)
