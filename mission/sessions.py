"""The session engine (SESSION_ENGINE): Django's database sessions, whose read of the session row is
also the check that the request's kept database connection works (`mission.connections`), instead
of a `SELECT 1` before it. Sessions stay rows of the database: listable, and ended by deleting them."""

from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

from mission.connections import first_statement


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self) -> Any:
        read = super()._get_session_from_db  # type: ignore[misc]  # Django's, missing from the stubs
        return first_statement(read, using=self.model.objects.db)
