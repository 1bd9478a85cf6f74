"""What the browser needs to keep offline drafts safely (static/js/drafts.js).

Drafts of what a user types live in the browser's localStorage, so that a crash, a dropped connection or
an expired session loses nothing. Restricted values (party names) are sealed there with AES-GCM under a
key derived from the session: Django makes a new session key at every sign-in and the key is never
stored on the device, so the sealed values die with the session. Every draft expires after
`DRAFT_MAX_AGE_HOURS`.
"""

import base64
from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

# A form field whose widget carries this attribute is restricted: drafts.js keeps it only sealed.
RESTRICTED_ATTR = "data-draft-restricted"


def draft_seal_key(request: HttpRequest) -> str:
    """The AES-256 key (base64) that seals this session's restricted draft values; "" without a session.

    Derived, not stored: the same session always gets the same key, a new session (sign-in, expiry)
    another, and nothing outside the server can derive it from the session cookie alone.
    """
    session_key = getattr(getattr(request, "session", None), "session_key", None)
    if not session_key or not request.user.is_authenticated:
        return ""
    digest = salted_hmac("mission.drafts.seal", session_key, algorithm="sha256").digest()
    return base64.b64encode(digest).decode("ascii")


def mark_restricted(*fields: forms.Field) -> None:
    """Declare form fields restricted, so that offline drafts keep them sealed (or not at all)."""
    for field in fields:
        field.widget.attrs[RESTRICTED_ATTR] = "1"


def mark_declared_restricted(form: forms.BaseModelForm[Any]) -> None:
    """Mark the fields of a model form that its model declares restricted (`mission.sensitivity`)."""
    from mission.sensitivity import restricted_fields

    mark_restricted(*[form.fields[name] for name in sorted(restricted_fields(form._meta.model)) if name in form.fields])


def drafts(request: HttpRequest) -> dict[str, int | Callable[[], str]]:
    """Context processor: the drafts' lifetime for every page, the seal key for pages with a draft form
    (a callable, so that pages without one never derive it)."""
    return {
        "draft_max_age_ms": settings.DRAFT_MAX_AGE_HOURS * 3600 * 1000,
        "draft_seal_key": lambda: draft_seal_key(request),
    }
