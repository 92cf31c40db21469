"""The OpenAPI document: it validates, the bundle is current, it covers every
Mattermost operation with the same interface, and it says who may call what."""
import json
import re

import pytest
import yaml
from openapi_spec_validator import validate

from conftest import ROOT, SHARED_API
from scripts import bundle_api

HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options"}

# Deliberate differences from upstream's document; each is explained in api/DIFFERENCES.md.
RENAMED_OPERATION_IDS = {("POST", "/api/v4/posts/rewrite"): "RewritePostMessage"}
MOVED_PATHS = {"/teams/{team_id}/commands/autocomplete_suggestions":
               "/api/v4/teams/{team_id}/commands/autocomplete_suggestions"}
ADDED_OPERATIONS = {("POST", "/hooks/{hook_id}")}
# Parameters upstream names differently from what Mattermost's server reads.
RENAMED_PARAMETERS = {("/api/v4/users/autocomplete", "team_id"): "in_team",
                      ("/api/v4/users/autocomplete", "channel_id"): "in_channel"}
# Parameters upstream requires that the server reads as one of two alternatives.
OPTIONAL_PARAMETERS = {
    ("/api/v4/teams/members/invite", "token"),              # or invite_id
    ("/api/v4/users/{user_id}/teams/unread", "exclude_team"),  # Client4.getMyTeamUnreads omits it
}
PUBLIC_OPERATIONS = {  # answer without a session, as in Mattermost
    "GetPing", "GetClientConfig", "GetClientLicense", "Login", "CreateUser", "ConnectWebSocket",
    "ResetPassword", "SendPasswordResetEmail", "VerifyUserEmail", "SendVerificationEmail",
    "GetBrandImage", "Logout", "IncomingWebhook",
}


@pytest.fixture(scope="module")
def document():
    return json.loads((ROOT / "api" / "openapi.json").read_text())


def operations(document):
    for path, item in document["paths"].items():
        for method, op in item.items():
            if method in HTTP_METHODS:
                yield method.upper(), path, op


def test_bundle_is_up_to_date():
    assert bundle_api.main(["--check"]) == 0, "run python scripts/bundle_api.py"


def test_bundle_validates(document):
    validate(document)


def test_operation_ids_unique_and_present(document):
    seen = {}
    for method, path, op in operations(document):
        assert op.get("operationId"), "%s %s has no operationId" % (method, path)
        assert op["operationId"] not in seen, op["operationId"]
        seen[op["operationId"]] = (method, path)


def test_every_operation_has_our_prose(document):
    for method, path, op in operations(document):
        where = "%s %s" % (method, path)
        assert op.get("summary") and len(op["summary"]) <= 80 and "\n" not in op["summary"], where
        assert "Permission" in op.get("description", ""), "%s does not state its permission" % where
        assert "Minimum server version" not in op["description"], where


def test_tags_declared(document):
    declared = {t["name"] for t in document["tags"]}
    used = {t for _, _, op in operations(document) for t in op["tags"]}
    assert used <= declared, used - declared


def test_security_declared(document):
    assert document["security"], "the default must require a session"
    schemes = document["components"]["securitySchemes"]
    assert schemes["bearerAuth"]["scheme"] == "bearer"
    assert schemes["cookieAuth"] == {**schemes["cookieAuth"], "in": "cookie", "name": "MMAUTHTOKEN"}
    public = {op["operationId"] for _, _, op in operations(document) if op.get("security") == []}
    assert PUBLIC_OPERATIONS <= public, PUBLIC_OPERATIONS - public
    assert "GetUser" not in public and "GetSupportedTimezone" not in public


def test_every_secured_operation_documents_401_and_errors(document):
    for method, path, op in operations(document):
        responses = op["responses"]
        assert "default" in responses, "%s %s" % (method, path)
        if op.get("security") != []:
            assert "401" in responses, "%s %s" % (method, path)


def _upstream():
    if not SHARED_API.exists():
        pytest.skip("../shared/mattermost-api is absent: cannot compare with Mattermost's operations")
    return SHARED_API


def test_operations_match_mattermost(document):
    shared = _upstream()
    ours = {(m, p): op for m, p, op in operations(document)}
    listed = 0
    for line in (shared / "operations.txt").read_text().splitlines():
        method, path, operation_id = line.split(" ", 3)[:3]
        listed += 1
        path = MOVED_PATHS.get(path, path)
        assert (method, path) in ours, "missing %s %s" % (method, path)
        expected = RENAMED_OPERATION_IDS.get((method, path), operation_id)
        if expected != "-":
            assert ours[(method, path)]["operationId"] == expected, (method, path)
    assert listed == 622
    extra = set(ours) - {(l.split()[0], MOVED_PATHS.get(l.split()[1], l.split()[1]))
                         for l in (shared / "operations.txt").read_text().splitlines()}
    assert extra == ADDED_OPERATIONS


def _param_key(param):
    schema = param.get("schema") or {}
    return param["name"], param["in"], bool(param.get("required")), schema.get("type")


def test_parameters_match_mattermost(document):
    shared = _upstream()
    upstream = yaml.load((shared / "openapi.yaml").read_text(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    ours = {(m, p): op for m, p, op in operations(document)}
    checked = 0
    for path, item in upstream["paths"].items():
        for method, op in item.items():
            if method not in HTTP_METHODS:
                continue
            mine = ours[(method.upper(), MOVED_PATHS.get(path, path))]
            my_params = {(p["name"], p["in"]): _param_key(p) for p in mine.get("parameters", [])}
            for param in op.get("parameters") or []:
                if "$ref" in param:
                    continue
                key = _param_key(param)
                renamed = RENAMED_PARAMETERS.get((path, key[0]))
                if renamed:
                    key = (renamed,) + key[1:]
                assert (key[0], key[1]) in my_params, "%s %s lost parameter %s" % (method, path, key[:2])
                name, where, required, kind = my_params[(key[0], key[1])]
                assert required == key[2] or where == "path" or (path, name) in OPTIONAL_PARAMETERS, \
                    "%s %s %s: required differs" % (method, path, name)
                if kind != key[3]:
                    # Only upstream's string-typed boolean flag was corrected (DIFFERENCES.md).
                    assert (path, name) == ("/api/v4/config", "remove_defaults"), (method, path, name)
                checked += 1
            # Every path parameter is declared (upstream forgot three).
            declared = {n for n, w in my_params if w == "path"}
            assert set(re.findall(r"{([^}]+)}", path)) <= declared, (method, path)
            if "requestBody" in op:
                assert "requestBody" in mine, "%s %s lost its body" % (method, path)
    assert checked > 800


def test_no_upstream_prose(document):
    """Summaries are ours: none equals upstream's summary of the same operation."""
    shared = _upstream()
    upstream = yaml.load((shared / "openapi.yaml").read_text(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    ours = {(m, p): op for m, p, op in operations(document)}
    same = []
    for path, item in upstream["paths"].items():
        for method, op in item.items():
            if method in HTTP_METHODS and op.get("summary"):
                mine = ours[(method.upper(), MOVED_PATHS.get(path, path))]
                if mine["summary"].strip().lower() == op["summary"].strip().lower():
                    same.append((method, path))
    assert same == []
