"""Walk every operation of the accounts tags as an ordinary user and as a guest,
aimed at the system admin's own resources, and check that nothing only an
admin (or the resource's owner) may do succeeds."""
import json
import re

import pytest

from conftest import ROOT, auth, create, login
from store import models, users as store_users

TAGS = {"users", "bots", "status", "preferences", "roles", "schemes", "terms of service", "permissions"}

# What Mattermost lets any user with a session do to another user's resources.
ALLOWED = {
    "GetUser", "GetUserByUsername", "GetUserByEmail", "GetUsersByIds", "GetUsersByUsernames", "GetUsers",
    "SearchUsers", "AutocompleteUsers", "GetTotalUsersStats", "GetProfileImage", "GetDefaultProfileImage",
    "GetUserStatus", "GetUsersStatusesByIds", "GetRole", "GetRoleByName", "GetRolesByNames",
    "GetTermsOfService", "Logout", "GetPing", "CheckUserMfa", "SendPasswordResetEmail", "SendVerificationEmail",
    "GetKnownUsers", "GetUsersByGroupChannelIds", "AttachDeviceExtraProps", "GetUserTermsOfService",
    "RegisterTermsOfServiceAction", "GetRecentCustomStatuses",
    "GetServerLimits",  # answered to everyone, with the user counts zeroed for non-admins
}


def attempts(ids, me):
    """Bodies that would succeed for an admin: each an attempt that must be refused."""
    admin = ids["user_id"]
    return {
        "UpdateUserRoles": {"roles": "system_user system_admin"},
        "UpdateUserActive": {"active": False},
        "PatchUser": {"nickname": "taken over"},
        "UpdateUser": {"id": admin, "username": ids["username"], "email": ids["email"], "nickname": "taken over"},
        "UpdateUserPassword": {"new_password": "taken-over-1"},
        "CreateUserAccessToken": {"description": "taken over"},
        "RevokeSession": {"session_id": ids["session_id"]},
        "RevokeUserAccessToken": {"token_id": ids["token_id"]},
        "DisableUserAccessToken": {"token_id": ids["token_id"]},
        "EnableUserAccessToken": {"token_id": ids["token_id"]},
        "SearchUserAccessTokens": {"term": "walk"},
        "PatchBot": {"username": "walkbot", "description": "taken over"},
        "CreateBot": {"username": "takenbot"},
        "ConvertBotToUser": {"email": "taken@over.io", "password": "Taken-over-1"},
        "UpdateUserMfa": {"activate": False},
        "CreateTermsOfService": {"text": "new terms"},
        "PatchRole": {"permissions": ["manage_system"]},
        "UpdatePreferences": [{"user_id": admin, "category": "display_settings", "name": "x", "value": "y"}],
        "DeletePreferences": [{"user_id": admin, "category": "display_settings", "name": "x", "value": "y"}],
        "UpdateUserStatus": {"user_id": admin, "status": "dnd"},
        "UpdateUserCustomStatus": {"emoji": "smile", "text": "taken over"},
    }


def _value(schema, name=""):
    kind = schema.get("type")
    if kind == "boolean":
        return True
    if kind in ("integer", "number"):
        return 1
    if kind == "array":
        return []
    if kind == "object" or "properties" in schema:
        return {k: _value(v, k) for k, v in schema.get("properties", {}).items() if k in schema.get("required", [])}
    return "x" * 26 if name.endswith("_id") else "value"


def _requests(document, ids, tags=TAGS, bodies=None):
    """(operationId, method, url, body) for every operation of the tags, aimed at ids."""
    bodies = attempts(ids, None) if bodies is None else bodies
    for path, item in document["paths"].items():
        for method, op in item.items():
            if method not in ("get", "put", "post", "delete", "patch") or not tags & set(op.get("tags", [])):
                continue
            url = re.sub(r"{([^}]+)}", lambda m: ids.get(m.group(1), "x" * 26), path)
            body = None
            content = (op.get("requestBody") or {}).get("content", {})
            if "application/json" in content:
                schema = content["application/json"].get("schema", {})
                if "$ref" in schema:
                    schema = document["components"]["schemas"][schema["$ref"].split("/")[-1]]
                body = _value(schema)
            yield op["operationId"], method.upper(), url, bodies.get(op["operationId"], body)


@pytest.fixture(scope="module")
def targets(admin, app):
    """The admin's resources: their user id, a bot and a personal access token."""
    client = app.test_client()
    app.config["MM_CONFIG"]["ServiceSettings"].update(EnableBotAccountCreation=True, EnableUserAccessTokens=True)
    bot = client.post("/api/v4/bots", json={"username": "walkbot"}, headers=auth(admin)).get_json()
    token = client.post("/api/v4/users/%s/tokens" % admin["user_id"], json={"description": "walk"},
                        headers=auth(admin)).get_json()
    role = client.get("/api/v4/roles/name/system_user", headers=auth(admin)).get_json()
    session_id = models.Session.get(models.Session.token == admin["token"]).id
    return {"user_id": admin["user_id"], "bot_user_id": bot["user_id"], "token_id": token["id"],
            "session_id": session_id,
            "role_id": role["id"], "username": "firstadmin", "email": "first@example.com",
            "role_name": "system_user"}


@pytest.mark.parametrize("kind", ["user", "guest"])
def test_nothing_admin_only_succeeds(client, admin, targets, kind):
    document = json.loads((ROOT / "api" / "openapi.json").read_text())
    account = create(client, admin)
    if kind == "guest":
        store_users.write(account["id"], roles="system_guest")
    who = login(client, account["username"])
    succeeded = []
    for operation_id, method, url, body in _requests(document, targets):
        if operation_id in ALLOWED:
            continue
        response = client.open(url, method=method, json=body, headers=auth(who))
        if response.status_code < 300:
            succeeded.append((operation_id, method, url, response.status_code))
    assert succeeded == []
    # The admin's account and resources are untouched.
    me = client.get("/api/v4/users/me", headers=auth(admin)).get_json()
    assert me["roles"] == "system_admin system_user" and me["delete_at"] == 0
    assert client.get("/api/v4/bots/" + targets["bot_user_id"], headers=auth(admin)).status_code == 200
