"""Schemathesis over every operation of the served document.

On each store, each operation gets a few generated requests (valid and invalid), sent with a
session so they pass authentication and reach request validation and the
handler. A response fails the test if it is a server error or does not conform
to the document (status code, content type, body schema), or if invalid input
is accepted.

Two kinds of 501 are not server errors here, both recognized by their exact
error id: a stub's (an operation a later issue builds), and an unlicensed
Mattermost server's own answer (tests/test_routing.py MATTERMOST_501). Every
other check still applies to them.

Deeper fuzzing: MM_CONTRACT_EXAMPLES=50 python -m pytest tests/test_contract.py
"""
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (content_type_conformance, negative_data_rejection,
                                               response_schema_conformance, status_code_conformance)

from conftest import FakeSession
from test_routing import MATTERMOST_501

EXAMPLES = int(os.environ.get("MM_CONTRACT_EXAMPLES", "3"))
TOKEN = "contract-test-session"
STUB_ERROR = "api.context.not_implemented.app_error"
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance, negative_data_rejection]


@pytest.fixture(scope="module")
def api_schema(app):
    from api import auth
    auth.set_session_lookup({TOKEN: FakeSession()}.get)
    yield schemathesis.openapi.from_wsgi("/openapi.json", app)
    auth.set_session_lookup(None)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
def test_operation_conforms(case):
    response = case.call(headers={"Authorization": "Bearer " + TOKEN})
    checks = CHECKS
    if response.status_code == 501:
        try:
            error_id = response.json().get("id")
        except (ValueError, AttributeError):
            error_id = None
        if error_id == STUB_ERROR or error_id in MATTERMOST_501.get(case.operation.definition.raw.get("operationId"), ()):
            checks = [c for c in CHECKS if c is not not_a_server_error]
    if response.status_code == 414:
        # The server-wide URL length limit (as Mattermost's), which no operation lists.
        assert response.json()["id"] == "basic_security_check.url.too_long_error"
        checks = [c for c in checks if c is not status_code_conformance]
    case.validate_response(response, checks=checks)
