"""Bot accounts, as Mattermost has them."""
import pytest

from conftest import PASSWORD, auth, create, login, unique


@pytest.fixture(scope="module", autouse=True)
def bots_enabled(app):
    app.config["MM_CONFIG"]["ServiceSettings"]["EnableBotAccountCreation"] = True


def make_bot(client, who, **fields):
    body = {"username": unique("bot"), "display_name": "Helper", "description": "does things", **fields}
    response = client.post("/api/v4/bots", json=body, headers=auth(who))
    assert response.status_code == 201, response.data
    return response.get_json()


def test_create_and_get(client, admin):
    bot = make_bot(client, admin)
    assert bot["owner_id"] == admin["user_id"] and bot["display_name"] == "Helper" and bot["delete_at"] == 0
    assert client.get("/api/v4/bots/" + bot["user_id"], headers=auth(admin)).get_json() == bot
    as_user = client.get("/api/v4/users/" + bot["user_id"], headers=auth(admin)).get_json()
    assert as_user["is_bot"] and as_user["username"] == bot["username"]
    response = client.post("/api/v4/users/login", json={"login_id": bot["username"], "password": PASSWORD})
    assert response.status_code == 401


def test_create_refused(client, admin, app):
    user = login(client, create(client, admin)["username"])
    assert client.post("/api/v4/bots", json={"username": unique("bot")}, headers=auth(user)).status_code == 403
    assert client.post("/api/v4/bots", json={"username": "Not Valid"}, headers=auth(admin)).status_code == 400
    taken = client.post("/api/v4/bots", json={"username": "firstadmin"}, headers=auth(admin))
    assert taken.get_json()["id"] == "app.user.save.username_exists.app_error"
    settings = app.config["MM_CONFIG"]["ServiceSettings"]
    settings["EnableBotAccountCreation"] = False
    try:
        off = client.post("/api/v4/bots", json={"username": unique("bot")}, headers=auth(admin))
        assert off.status_code == 403 and off.get_json()["id"] == "api.bot.create_disabled"
    finally:
        settings["EnableBotAccountCreation"] = True
    assert client.post("/api/v4/bots", json={"username": unique("bot")}).status_code == 401


def test_bots_are_hidden_from_those_who_cannot_read_them(client, admin):
    bot = make_bot(client, admin)
    user = login(client, create(client, admin)["username"])
    assert client.get("/api/v4/bots/" + bot["user_id"], headers=auth(user)).status_code == 404
    assert client.get("/api/v4/bots", headers=auth(user)).status_code == 403
    assert client.get("/api/v4/bots/" + "z" * 26, headers=auth(admin)).status_code == 404


def test_list_patch_disable_enable(client, admin):
    bot = make_bot(client, admin)
    listed = client.get("/api/v4/bots?per_page=200", headers=auth(admin)).get_json()
    assert bot["user_id"] in [b["user_id"] for b in listed]
    patched = client.put("/api/v4/bots/" + bot["user_id"], json={"username": bot["username"],
                                                                "description": "new words"}, headers=auth(admin))
    assert patched.status_code == 200 and patched.get_json()["description"] == "new words"
    assert patched.get_json()["display_name"] == "Helper"
    disabled = client.post("/api/v4/bots/%s/disable" % bot["user_id"], headers=auth(admin)).get_json()
    assert disabled["delete_at"] > 0
    assert client.get("/api/v4/bots/" + bot["user_id"], headers=auth(admin)).status_code == 404
    assert client.get("/api/v4/bots/%s?include_deleted=true" % bot["user_id"], headers=auth(admin)).status_code == 200
    listed = client.get("/api/v4/bots?per_page=200", headers=auth(admin)).get_json()
    assert bot["user_id"] not in [b["user_id"] for b in listed]
    listed = client.get("/api/v4/bots?per_page=200&include_deleted=true", headers=auth(admin)).get_json()
    assert bot["user_id"] in [b["user_id"] for b in listed]
    enabled = client.post("/api/v4/bots/%s/enable" % bot["user_id"], headers=auth(admin)).get_json()
    assert enabled["delete_at"] == 0


def test_assign(client, admin):
    bot = make_bot(client, admin)
    owner = create(client, admin)
    assigned = client.post("/api/v4/bots/%s/assign/%s" % (bot["user_id"], owner["id"]), headers=auth(admin))
    assert assigned.get_json()["owner_id"] == owner["id"]
    other_bot = make_bot(client, admin)
    refused = client.post("/api/v4/bots/%s/assign/%s" % (bot["user_id"], other_bot["user_id"]), headers=auth(admin))
    assert refused.status_code == 400
    stranger = login(client, create(client, admin)["username"])
    assert client.post("/api/v4/bots/%s/disable" % bot["user_id"], headers=auth(stranger)).status_code == 403


def test_convert_both_ways(client, admin):
    user = create(client, admin)
    who = login(client, user["username"])
    stranger = login(client, create(client, admin)["username"])
    assert client.post("/api/v4/users/%s/convert_to_bot" % user["id"], headers=auth(stranger)).status_code == 403
    converted = client.post("/api/v4/users/%s/convert_to_bot" % user["id"], headers=auth(admin))
    assert converted.status_code == 200 and converted.get_json()["user_id"] == user["id"]
    assert client.get("/api/v4/users/me", headers=auth(who)).status_code == 401  # its sessions ended
    back = client.post("/api/v4/bots/%s/convert_to_user" % user["id"],
                       json={"email": user["email"], "password": "back-again-1"}, headers=auth(admin))
    assert back.status_code == 200 and not back.get_json().get("is_bot")
    login(client, user["username"], "back-again-1")
    missing = client.post("/api/v4/bots/%s/convert_to_user" % ("z" * 26),
                          json={"email": "a@b.io", "password": "x-pass-123"}, headers=auth(admin))
    assert missing.status_code == 404


def test_icon_routes_are_absent_as_on_current_mattermost(client, admin):
    bot = make_bot(client, admin)
    response = client.get("/api/v4/bots/%s/icon" % bot["user_id"], headers=auth(admin))
    assert response.status_code == 404 and response.get_json()["id"] == "api.context.404.app_error"


def test_owner_manages_bot_tokens_with_manage_bots(client, admin, app):
    """Mattermost's user-or-bot rule: a bot's owner with manage_bots acts on the bot's account."""
    from store import models
    owner_account = create(client, admin)
    owner = login(client, owner_account["username"])
    bot = make_bot(client, admin)
    client.post("/api/v4/bots/%s/assign/%s" % (bot["user_id"], owner_account["id"]), headers=auth(admin))
    app.config["MM_CONFIG"]["ServiceSettings"]["EnableUserAccessTokens"] = True
    role = models.Role.get(models.Role.name == "system_user")
    before = role.permissions
    try:
        # The owner lacks manage_bots and create_user_access_token by default.
        assert client.post("/api/v4/users/%s/tokens" % bot["user_id"], json={"description": "x"},
                           headers=auth(owner)).status_code == 403
        extra = " create_user_access_token read_user_access_token manage_bots"
        models.Role.update(permissions=before + extra).where(models.Role.id == role.id).execute()
        from store import roles
        roles.forget_cached()
        created = client.post("/api/v4/users/%s/tokens" % bot["user_id"], json={"description": "x"},
                              headers=auth(owner))
        assert created.status_code == 200
        assert client.get("/api/v4/users/%s/tokens" % bot["user_id"], headers=auth(owner)).status_code == 200
        # Another user's bot is still out of reach.
        other_bot = make_bot(client, admin)
        assert client.post("/api/v4/users/%s/tokens" % other_bot["user_id"], json={"description": "x"},
                           headers=auth(owner)).status_code == 403
    finally:
        models.Role.update(permissions=before).where(models.Role.id == role.id).execute()
        from store import roles
        roles.forget_cached()
        app.config["MM_CONFIG"]["ServiceSettings"]["EnableUserAccessTokens"] = False
