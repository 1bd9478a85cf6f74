"""Statements prepared once per connection (mission/prepared.py): the API token's lookup is prepared on a
connection's first request and run by name after; a statement dropped under the portal (a pooler, a
`DISCARD ALL`) or a new connection prepares it again; inside a transaction it runs as it is."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from mission.api.services import token_issue
from mission.api.token_lookup import token_with_user
from mission.prepared import _placeholders
from tests.conftest import require_service


def test_placeholders_are_numbered_and_literal_percent_signs_kept():
    assert _placeholders("SELECT a FROM t WHERE b = %s AND c LIKE 'x%%' AND d > %s", 2) == (
        "SELECT a FROM t WHERE b = $1 AND c LIKE 'x%' AND d > $2"
    )
    assert _placeholders("SELECT 1", 0) == "SELECT 1"
    with pytest.raises(ValueError, match="placeholders"):
        _placeholders("SELECT %s", 2)


def statements(run) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        run()
    return [query["sql"].split(" ", 1)[0] for query in queries.captured_queries]


@pytest.mark.django_db(transaction=True)
def test_the_token_lookup_is_prepared_once_per_connection(partner, administrator):
    require_service(connection.vendor == "postgresql", "postgresql", "PostgreSQL (DATABASE_URL)")
    token, _key = token_issue(actor=administrator, user=partner, name="NGO system", scopes=["reference"])
    connection.close()  # a new connection: nothing prepared on it yet

    def lookup():
        assert token_with_user(token.prefix).pk == token.pk

    assert statements(lookup) == ["PREPARE", "EXECUTE"]
    assert statements(lookup) == ["EXECUTE"]
    assert token_with_user("nosuchprefix") is None  # same statement, another prefix

    with connection.cursor() as cursor:  # what a pooler in transaction mode or DISCARD ALL does
        cursor.execute("DEALLOCATE ALL")
    assert statements(lookup) == ["EXECUTE", "PREPARE", "EXECUTE"]
    assert statements(lookup) == ["EXECUTE"]

    connection.close()
    assert statements(lookup) == ["PREPARE", "EXECUTE"]


@pytest.mark.django_db
def test_inside_a_transaction_the_statement_runs_as_it_is(partner, administrator):
    """A missing prepared statement would abort the transaction, with no way to try again."""
    require_service(connection.vendor == "postgresql", "postgresql", "PostgreSQL (DATABASE_URL)")
    token, _key = token_issue(actor=administrator, user=partner, name="NGO system", scopes=["reference"])
    with transaction.atomic():
        assert statements(lambda: token_with_user(token.prefix)) == ["SELECT"]


@pytest.mark.django_db(transaction=True)
def test_a_pooler_that_changes_server_connections_gets_the_statement_as_it_is(partner, administrator, monkeypatch):
    """Behind a pooler in transaction mode PREPARE and EXECUTE may reach different server connections:
    after preparing again once, the lookup runs the statement as it is, and answers."""
    from mission import prepared

    require_service(connection.vendor == "postgresql", "postgresql", "PostgreSQL (DATABASE_URL)")
    token, _key = token_issue(actor=administrator, user=partner, name="NGO system", scopes=["reference"])
    connection.close()
    original = prepared.execute

    def through_a_pooler(cursor, sql, params, using="default"):
        class Pooled:
            def execute(self, statement, arguments=None):
                result = cursor.execute(statement, arguments)
                if statement.startswith("PREPARE"):
                    cursor.execute("DEALLOCATE ALL")  # the next statement reaches another server connection
                return result

        return original(Pooled(), sql, params, using)

    monkeypatch.setattr(prepared, "execute", through_a_pooler)
    assert statements(lambda: token_with_user(token.prefix)) == [
        "PREPARE",
        "DEALLOCATE",
        "EXECUTE",
        "PREPARE",
        "DEALLOCATE",
        "EXECUTE",
        "SELECT",
    ]
    assert token_with_user(token.prefix).pk == token.pk
