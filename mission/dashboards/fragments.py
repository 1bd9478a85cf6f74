"""The rendered figures and charts of a dashboard, kept until the summaries they are read from change.

A dashboard's figures come from summary tables alone, so the same filters over the same scope give the
same page until the next refresh of those summaries. Rendering them (number formatting, SVG, tables) is
most of the page's time; this keeps the rendered fragment in the shared cache under a key made of what
decides its content:

- the dashboard and the interface language,
- the reader's scope (departments and regions: `scope_for`), never the reader's identity, so readers
  with the same scope share the fragment,
- the filters (every value of every parameter of the query string, in a fixed order),
- the version of the summaries: when they were last refreshed. A refresh makes a new key; the old
  fragments expire.

What changes with time or with the reader (the freshness line, the header, the forms with CSRF tokens)
stays outside the fragment. A fragment is never kept when the summaries were never built."""

import datetime
import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import QueryDict
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from mission.accounts.permissions import AnyUser, scope_for

KEY_PREFIX = "mission:dashboard-fragment"


def fragment_key(
    name: str, *, user: AnyUser, query: QueryDict, version: datetime.datetime, extra: object = None
) -> str:
    scope = scope_for(user)
    parts = (
        name,
        translation.get_language() or "",
        scope.nothing,
        sorted(scope.departments) if scope.departments is not None else None,
        sorted(scope.region_ids) if scope.region_ids is not None else None,
        sorted((key, sorted(values)) for key, values in query.lists()),
        version.isoformat(),
        extra,
    )
    return f"{KEY_PREFIX}:{hashlib.sha256(repr(parts).encode()).hexdigest()}"


def dashboard_fragment(
    name: str,
    *,
    user: AnyUser,
    query: QueryDict,
    version: datetime.datetime | None,
    render: Callable[[], str],
    extra: object = None,
) -> SafeString:
    """The fragment `render()` makes, from the cache when these summaries, this scope and these filters
    made it before. `version` None (summaries never built): rendered each time, not kept."""
    if version is None:
        return mark_safe(render())  # noqa: S308 - rendered by the template engine, escaped there
    key = fragment_key(name, user=user, query=query, version=version, extra=extra)
    kept = cache.get(key)
    if kept is not None:
        return mark_safe(str(kept))  # noqa: S308 - a rendered template, kept as it was
    html = render()
    # Two refresh intervals: a fragment outlives its summaries' version only in an unused key.
    cache.set(key, str(html), settings.DASHBOARD_REFRESH_MINUTES * 60 * 2)
    return mark_safe(html)  # noqa: S308 - rendered by the template engine, escaped there
