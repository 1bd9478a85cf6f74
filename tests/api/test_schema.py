"""schemathesis over every operation of the OpenAPI schema, in-process: no server errors, no response
that the schema does not describe."""

import json

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings

from mission.api.datasets import all_datasets
from mission.api.services import token_issue
from tests.api.conftest import PARTNER_SCOPES
from tests.departments import contract_fixtures, contracts

pytestmark = pytest.mark.django_db

globals().update(contract_fixtures())
CONTRACTS = contracts()


def _load():
    """The schema exactly as /api/v1/schema/ serves it; its generation needs no database."""
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    raw = json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))
    loaded = schemathesis.openapi.from_dict(raw)
    loaded.app = get_wsgi_application()
    return loaded


schema = _load()


def _list_parameters() -> dict[str, dict[str, dict]]:
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    lists = {}
    for path, operations in paths.items():
        parameters = {p["name"]: p["schema"] for p in operations["get"].get("parameters", [])}
        if "cursor" in parameters:
            lists[path] = parameters
    return lists


def test_the_schema_declares_what_the_server_enforces():
    """Found by a schema-generated client: `cursor=`, `fields=` and `page_size=` were allowed by the
    schema and refused by the server."""
    import re

    lists = _list_parameters()
    for contract in CONTRACTS.values():  # every department's lists (its first route is one)
        assert f"/api/v1/{contract.API_ROUTES[0]}/" in lists
    for path, parameters in lists.items():
        assert parameters["page_size"] == {"type": "integer", "minimum": 1, "maximum": 500, "default": 100}, path
        for name in ("cursor", "fields"):
            assert parameters[name]["minLength"] == 1, (path, name)
            assert not re.search(parameters[name]["pattern"], " "), (path, name)
        assert re.search(parameters["fields"]["pattern"], "id,code")
        assert not re.search(parameters["fields"]["pattern"], "id,,code")
        assert re.search(parameters["cursor"]["pattern"], "aWQ6MTA")
        for name, declared in parameters.items():
            if declared.get("type") == "string" and "format" not in declared and "enum" not in declared:
                # The server refuses a value of only spaces as it refuses an empty one (check_query).
                assert not re.search(declared["pattern"], "  "), (path, name)


@pytest.fixture
def keep_connection():
    """Like Django's test client: the WSGI handler must not close the test's database connection (and
    with it the test's transaction) at the end of each request."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_keys(request, keep_connection, partner, supervisor, administrator):
    """A partner's token and a supervisor's, with every department's published records (each contract's
    `<label>_published`, tests/departments.py): every case is sent with both."""
    for label in CONTRACTS:
        request.getfixturevalue(f"{label}_published")
    _token, partner_key = token_issue(actor=administrator, user=partner, name="partner", scopes=PARTNER_SCOPES)
    _token, staff_key = token_issue(
        actor=administrator, user=supervisor, name="staff", scopes=[d.code for d in all_datasets()]
    )
    return [partner_key, staff_key]


@schema.parametrize()
# Derandomized: CI must not pass or fail by luck; the examples still cover every parameter.
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_every_operation_conforms_to_the_schema(case, api_keys, monkeypatch):
    from mission.api.throttling import TokenRateThrottle, UnauthenticatedRateThrottle

    # Rates are not what this checks (tests/api/test_aggregates_and_tokens.py does): schemathesis also
    # sends every operation without a token, and expects 401, not the 429 that many of those earn.
    for throttle in (TokenRateThrottle, UnauthenticatedRateThrottle):
        monkeypatch.setattr(throttle, "allow_request", lambda self, request, view: True)
    for key in api_keys:
        # A code that matches the schema's pattern but names no region or court is a 400 that says so:
        # the codes are data, not schema, so "valid data rejected" is not a failure here.
        case.call_and_validate(
            headers={"Authorization": f"Bearer {key}"}, excluded_checks=[schemathesis.checks.positive_data_acceptance]
        )
