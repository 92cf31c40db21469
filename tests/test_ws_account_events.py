"""The WebSocket events of teams, users, preferences, statuses, roles, bots
and the system (ws/account_events.py): who hears each one and the exact
fields of its data, JSON strings where Mattermost encodes JSON, and profiles
that never carry another user's private fields. Fake connections on the hub
record what they are pushed after REST calls through the Flask test client
(the LocalBus delivers in-process, after commit)."""
import io
import json

import pytest
from PIL import Image

from conftest import api_request, auth, create, person, running_server, unique
from store import channels as store_channels, teams, users

API = "/api/v4"
SECRET_FIELDS = {"password", "mfa_secret", "auth_data_secret"}


class World:
    pass


_user = person


@pytest.fixture(scope="module")
def w(app, admin):
    client = app.test_client()
    world = World()
    world.admin = admin
    world.alice, world.bob, world.carol, world.dave = (_user(client, admin) for _ in range(4))
    with app.app_context():
        admin_user, alice, bob, carol = (users.get(x["user_id"]) for x in
                                         (world.admin, world.alice, world.bob, world.carol))
        world.team = teams.create({"display_name": "T", "name": unique("team"), "type": "O",
                                   "allow_open_invite": True, "email": "owner@example.com"})
        for u in (admin_user, alice, bob, carol):
            teams.add_member(world.team, u)
        world.private = store_channels.create({"team_id": world.team.id, "type": "P", "name": unique("priv"),
                                               "display_name": "Priv"}, creator=alice)
        store_channels.add_member(world.private, bob)
    return world


def only(fake, event):
    found = fake.named(event)
    assert len(found) == 1, fake.events()
    return found[0]


def no_secrets(profile):
    assert not SECRET_FIELDS & set(profile), profile
    assert profile.get("auth_data", "") == ""


@pytest.fixture
def privacy(app):
    """Set PrivacySettings for a test; put back afterwards."""
    settings = app.config["MM_CONFIG"]["PrivacySettings"]
    saved = dict(settings)
    yield settings
    settings.clear()
    settings.update(saved)


# ---------------------------------------------------------------------------
# Teams

def test_creating_a_team_sends_added_to_team_to_its_creator(client, w, listen):
    fakes = listen(w.alice, w.bob)
    response = client.post(API + "/teams", json={"name": unique("made"), "display_name": "Made", "type": "O"},
                           headers=auth(w.alice))
    assert response.status_code == 201, response.data
    event = only(fakes[w.alice["user_id"]], "added_to_team")
    assert event["data"] == {"team_id": response.get_json()["id"], "user_id": w.alice["user_id"]}
    assert event["broadcast"]["user_id"] == w.alice["user_id"]
    assert fakes[w.bob["user_id"]].named("added_to_team") == []


def test_update_team_goes_to_members_as_a_sanitized_json_string(client, w, listen):
    fakes = listen(w.alice, w.bob, w.dave)
    response = client.put(API + "/teams/%s/patch" % w.team.id, json={"description": "new words"},
                          headers=auth(w.admin))
    assert response.status_code == 200, response.data
    for member in (w.alice, w.bob):
        event = only(fakes[member["user_id"]], "update_team")
        assert set(event["data"]) == {"team"} and isinstance(event["data"]["team"], str)
        team = json.loads(event["data"]["team"])
        assert team["id"] == w.team.id and team["description"] == "new words"
        assert team["email"] == "" and team["invite_id"] == ""
        assert event["broadcast"]["team_id"] == w.team.id
    assert fakes[w.dave["user_id"]].got == []


def test_regenerating_the_invite_id_never_sends_it(client, w, listen):
    fakes = listen(w.bob)
    response = client.post(API + "/teams/%s/regenerate_invite_id" % w.team.id, headers=auth(w.admin))
    assert response.status_code == 200, response.data
    team = json.loads(only(fakes[w.bob["user_id"]], "update_team")["data"]["team"])
    assert team["invite_id"] == "" and response.get_json()["invite_id"]


def test_adding_a_member_sends_added_to_team_to_them_only(client, w, listen):
    fakes = listen(w.dave, w.alice)
    body = {"team_id": w.team.id, "user_id": w.dave["user_id"]}
    response = client.post(API + "/teams/%s/members" % w.team.id, json=body, headers=auth(w.admin))
    assert response.status_code == 201, response.data
    added = fakes[w.dave["user_id"]].named("added_to_team")
    # Mattermost's AddTeamMember tells the user once as they join and once more.
    assert len(added) == 2
    assert all(e["data"] == {"team_id": w.team.id, "user_id": w.dave["user_id"]} for e in added)
    assert all(e["broadcast"]["user_id"] == w.dave["user_id"] for e in added)
    assert fakes[w.alice["user_id"]].named("added_to_team") == []
    # Leaving: the rest of the team and the user hear leave_team once each.
    fakes2 = listen(w.carol)
    response = client.delete(API + "/teams/%s/members/%s" % (w.team.id, w.dave["user_id"]), headers=auth(w.dave))
    assert response.status_code == 200, response.data
    for fake in (fakes[w.dave["user_id"]], fakes[w.alice["user_id"]], fakes2[w.carol["user_id"]]):
        event = only(fake, "leave_team")
        assert event["data"] == {"user_id": w.dave["user_id"], "team_id": w.team.id}


def test_member_roles_send_memberrole_updated_with_a_member_string(client, w, listen):
    fakes = listen(w.bob, w.alice)
    url = API + "/teams/%s/members/%s/roles" % (w.team.id, w.bob["user_id"])
    response = client.put(url, json={"roles": "team_user team_admin"}, headers=auth(w.admin))
    assert response.status_code == 200, response.data
    event = only(fakes[w.bob["user_id"]], "memberrole_updated")
    assert set(event["data"]) == {"member"} and isinstance(event["data"]["member"], str)
    member = json.loads(event["data"]["member"])
    assert member["user_id"] == w.bob["user_id"] and member["team_id"] == w.team.id
    assert member["scheme_admin"] is True and "team_admin" in member["roles"].split()
    assert event["broadcast"]["user_id"] == w.bob["user_id"]
    assert fakes[w.alice["user_id"]].named("memberrole_updated") == []
    url = API + "/teams/%s/members/%s/schemeRoles" % (w.team.id, w.bob["user_id"])
    response = client.put(url, json={"scheme_admin": False, "scheme_user": True}, headers=auth(w.admin))
    assert response.status_code == 200, response.data
    assert json.loads(fakes[w.bob["user_id"]].named("memberrole_updated")[-1]["data"]["member"])["scheme_admin"] is False


def test_archive_and_restore_go_to_the_members(client, w, listen):
    made = client.post(API + "/teams", json={"name": unique("arch"), "display_name": "Arch", "type": "O"},
                       headers=auth(w.alice)).get_json()
    fakes = listen(w.alice, w.bob)
    assert client.delete(API + "/teams/" + made["id"], headers=auth(w.alice)).status_code == 200
    deleted = json.loads(only(fakes[w.alice["user_id"]], "delete_team")["data"]["team"])
    assert deleted["id"] == made["id"] and deleted["delete_at"] > 0 and deleted["email"] == ""
    assert client.post(API + "/teams/%s/restore" % made["id"], headers=auth(w.alice)).status_code == 200
    restored = only(fakes[w.alice["user_id"]], "restore_team")
    assert json.loads(restored["data"]["team"])["delete_at"] == 0
    assert restored["broadcast"]["team_id"] == made["id"]
    assert fakes[w.bob["user_id"]].got == []


# ---------------------------------------------------------------------------
# Users

def test_new_user_reaches_everyone(client, w, listen):
    fakes = listen(w.alice, w.dave)
    created = create(client, w.admin)
    for fake in fakes.values():
        event = only(fake, "new_user")
        assert event["data"] == {"user_id": created["id"]}
        assert event["broadcast"]["user_id"] == "" and event["broadcast"]["team_id"] == ""


def test_user_updated_comes_in_three_copies_that_never_leak(client, w, listen, privacy):
    privacy["ShowEmailAddress"] = False
    privacy["ShowFullName"] = False
    fakes = listen(w.alice, w.bob, w.admin)
    response = client.put(API + "/users/%s/patch" % w.alice["user_id"],
                          json={"first_name": "Alice", "nickname": "al"}, headers=auth(w.alice))
    assert response.status_code == 200, response.data
    own = only(fakes[w.alice["user_id"]], "user_updated")
    assert own["broadcast"]["user_id"] == w.alice["user_id"]
    assert isinstance(own["data"]["user"], dict)  # an object, as Mattermost sends it
    mine = own["data"]["user"]
    assert mine["email"] == w.alice["email"] and mine["first_name"] == "Alice" and mine["notify_props"]
    other = only(fakes[w.bob["user_id"]], "user_updated")["data"]["user"]
    assert other["id"] == w.alice["user_id"] and other["nickname"] == "al"
    assert other["email"] == "" and other["first_name"] == "" and "notify_props" not in other
    boss = only(fakes[w.admin["user_id"]], "user_updated")
    assert boss["broadcast"]["user_id"] == w.admin["user_id"]
    seen = boss["data"]["user"]
    assert seen["email"] == w.alice["email"] and seen["first_name"] == "Alice" and "notify_props" not in seen
    for profile in (mine, other, seen):
        no_secrets(profile)
    public = [m for m in fakes[w.bob["user_id"]].named("user_updated")][0]
    assert w.alice["user_id"] in public["broadcast"]["omit_users"]
    assert w.admin["user_id"] in public["broadcast"]["omit_users"]


def test_user_role_updated_goes_to_the_user(client, w, listen):
    target = _user(client, w.admin)
    fakes = listen(target, w.alice)
    response = client.put(API + "/users/%s/roles" % target["user_id"],
                          json={"roles": "system_user system_user_manager"}, headers=auth(w.admin))
    assert response.status_code == 200, response.data
    event = only(fakes[target["user_id"]], "user_role_updated")
    assert event["data"] == {"user_id": target["user_id"], "roles": "system_user system_user_manager"}
    assert event["broadcast"]["user_id"] == target["user_id"]
    assert fakes[w.alice["user_id"]].named("user_role_updated") == []


def test_deactivation_sends_status_user_updated_and_activation_change(client, w, listen):
    target = _user(client, w.admin)
    fakes = listen(target, w.alice)
    response = client.put(API + "/users/%s/active" % target["user_id"], json={"active": False},
                          headers=auth(w.admin))
    assert response.status_code == 200, response.data
    status = only(fakes[target["user_id"]], "status_change")
    assert status["data"] == {"status": "offline", "user_id": target["user_id"]}
    assert only(fakes[target["user_id"]], "user_updated")["data"]["user"]["delete_at"] > 0
    seen = only(fakes[w.alice["user_id"]], "user_updated")["data"]["user"]
    assert seen["id"] == target["user_id"] and seen["delete_at"] > 0
    no_secrets(seen)
    for fake in fakes.values():
        assert only(fake, "user_activation_status_change")["data"] == {}
    assert fakes[w.alice["user_id"]].named("status_change") == []


def test_typing_over_rest_reaches_the_channel_but_the_typist(client, w, listen):
    fakes = listen(w.alice, w.bob, w.carol)
    url = API + "/users/%s/typing" % w.alice["user_id"]
    response = client.post(url, json={"channel_id": w.private.id, "parent_id": ""}, headers=auth(w.alice))
    assert response.status_code == 200, response.data
    event = only(fakes[w.bob["user_id"]], "typing")
    assert event["data"] == {"parent_id": "", "user_id": w.alice["user_id"]}
    assert event["broadcast"]["channel_id"] == w.private.id
    assert fakes[w.alice["user_id"]].got == [] and fakes[w.carol["user_id"]].got == []
    # Not a member: no create_post in the channel.
    url = API + "/users/%s/typing" % w.carol["user_id"]
    assert client.post(url, json={"channel_id": w.private.id}, headers=auth(w.carol)).status_code == 403
    # For someone else: manage_system only.
    assert client.post(API + "/users/%s/typing" % w.bob["user_id"], json={"channel_id": w.private.id},
                       headers=auth(w.alice)).status_code == 403
    response = client.post(API + "/users/%s/typing" % w.bob["user_id"],
                           json={"channel_id": w.private.id, "parent_id": "p" * 26}, headers=auth(w.admin))
    assert response.status_code == 200, response.data
    assert fakes[w.alice["user_id"]].named("typing")[-1]["data"] == {"parent_id": "p" * 26,
                                                                      "user_id": w.bob["user_id"]}


def test_promoting_a_guest_sends_user_and_member_updates(client, w, listen, app):
    guest = _user(client, w.admin)
    with app.app_context():
        teams.add_member(w.team, users.get(guest["user_id"]))
        store_channels.add_member(w.private, users.get(guest["user_id"]))
        users.set_roles(guest["user_id"], "system_guest")
    fakes = listen(guest, w.alice)
    response = client.post(API + "/users/%s/promote" % guest["user_id"], headers=auth(w.admin))
    assert response.status_code == 200, response.data
    mine = fakes[guest["user_id"]]
    assert only(mine, "user_updated")["data"]["user"]["roles"] == "system_user"
    member = json.loads(only(mine, "memberrole_updated")["data"]["member"])
    assert member["team_id"] == w.team.id and member["scheme_user"] is True
    channels = [json.loads(e["data"]["channelMember"]) for e in mine.named("channel_member_updated")]
    assert w.private.id in {c["channel_id"] for c in channels}
    assert all(c["user_id"] == guest["user_id"] and c["scheme_guest"] is False for c in channels)
    assert all(e["broadcast"]["user_id"] == guest["user_id"] for e in mine.named("channel_member_updated"))
    assert fakes[w.alice["user_id"]].named("memberrole_updated") == []
    assert fakes[w.alice["user_id"]].named("channel_member_updated") == []


def _png():
    out = io.BytesIO()
    Image.new("RGB", (16, 16), (200, 10, 30)).save(out, format="PNG")
    return out.getvalue()


def test_profile_picture_sends_the_sanitized_profile_to_everyone(client, w, listen, privacy):
    privacy["ShowEmailAddress"] = False
    fakes = listen(w.alice, w.bob, w.admin)
    response = client.post(API + "/users/%s/image" % w.bob["user_id"], data={"image": (io.BytesIO(_png()), "a.png")},
                           headers=auth(w.bob), content_type="multipart/form-data")
    assert response.status_code == 200, response.data
    for fake in fakes.values():
        event = only(fake, "user_updated")
        user = event["data"]["user"]
        assert user["id"] == w.bob["user_id"] and user["last_picture_update"] > 0
        assert user["email"] == "" and "notify_props" not in user
        no_secrets(user)
        assert event["broadcast"]["user_id"] == ""


# ---------------------------------------------------------------------------
# Preferences and statuses

def test_preferences_changed_and_deleted_go_to_their_user(client, w, listen):
    fakes = listen(w.alice, w.bob)
    prefs = [{"user_id": w.alice["user_id"], "category": "display_settings", "name": "use_military_time",
              "value": "true"}]
    response = client.put(API + "/users/%s/preferences" % w.alice["user_id"], json=prefs, headers=auth(w.alice))
    assert response.status_code == 200, response.data
    alice = fakes[w.alice["user_id"]]
    assert alice.events() == ["sidebar_category_updated", "preferences_changed"]
    assert alice.got[0]["data"] == {} and alice.got[0]["broadcast"]["user_id"] == w.alice["user_id"]
    changed = alice.got[1]
    assert set(changed["data"]) == {"preferences"} and isinstance(changed["data"]["preferences"], str)
    assert json.loads(changed["data"]["preferences"]) == prefs
    assert changed["broadcast"]["user_id"] == w.alice["user_id"]
    response = client.post(API + "/users/%s/preferences/delete" % w.alice["user_id"], json=prefs,
                           headers=auth(w.alice))
    assert response.status_code == 200, response.data
    deleted = only(alice, "preferences_deleted")
    assert json.loads(deleted["data"]["preferences"]) == prefs
    assert fakes[w.bob["user_id"]].got == []


def test_status_change_goes_to_the_user_only(client, w, listen, app):
    app.config["MM_CONFIG"]["ServiceSettings"]["EnableUserStatuses"] = True
    fakes = listen(w.carol, w.alice)
    url = API + "/users/%s/status" % w.carol["user_id"]
    body = {"user_id": w.carol["user_id"], "status": "dnd"}
    assert client.put(url, json=body, headers=auth(w.carol)).status_code == 200
    event = only(fakes[w.carol["user_id"]], "status_change")
    assert event["data"] == {"status": "dnd", "user_id": w.carol["user_id"]}
    assert event["broadcast"]["user_id"] == w.carol["user_id"]
    for status in ("online", "online", "away"):
        response = client.put(url, json={"user_id": w.carol["user_id"], "status": status}, headers=auth(w.carol))
        assert response.status_code == 200, response.data
    # Online again is no change: Mattermost sends nothing for it.
    assert [e["data"]["status"] for e in fakes[w.carol["user_id"]].named("status_change")] == ["dnd", "online",
                                                                                                 "away"]
    assert fakes[w.alice["user_id"]].got == []


def test_custom_status_sends_user_updated_and_recent_preferences(client, w, listen, app):
    app.config["MM_CONFIG"]["TeamSettings"]["EnableCustomUserStatuses"] = True
    fakes = listen(w.carol, w.alice)
    url = API + "/users/%s/status/custom" % w.carol["user_id"]
    response = client.put(url, json={"emoji": "smile", "text": "lunch"}, headers=auth(w.carol))
    assert response.status_code == 200, response.data
    carol = fakes[w.carol["user_id"]]
    own = only(carol, "user_updated")["data"]["user"]
    assert json.loads(own["props"]["customStatus"])["text"] == "lunch"
    recent = json.loads(only(carol, "preferences_changed")["data"]["preferences"])
    assert [(p["category"], p["name"]) for p in recent] == [("custom_status", "recent_custom_statuses")]
    assert json.loads(recent[0]["value"])[0]["text"] == "lunch"
    seen = only(fakes[w.alice["user_id"]], "user_updated")["data"]["user"]
    assert json.loads(seen["props"]["customStatus"])["emoji"] == "smile"
    assert fakes[w.alice["user_id"]].named("preferences_changed") == []
    assert client.delete(url, headers=auth(w.carol)).status_code == 200
    assert carol.named("user_updated")[-1]["data"]["user"]["props"]["customStatus"] == ""


# ---------------------------------------------------------------------------
# Roles, bots, the system

def test_role_updated_reaches_everyone_as_a_json_string(client, w, listen):
    fakes = listen(w.alice, w.dave)
    role = client.get(API + "/roles/name/system_user", headers=auth(w.admin)).get_json()
    if "manage_oauth" in role["permissions"]:
        wanted = [p for p in role["permissions"] if p != "manage_oauth"]
    else:
        wanted = role["permissions"] + ["manage_oauth"]
    try:
        response = client.put(API + "/roles/%s/patch" % role["id"], json={"permissions": wanted},
                              headers=auth(w.admin))
        assert response.status_code == 200, response.data
        for fake in fakes.values():
            event = only(fake, "role_updated")
            assert set(event["data"]) == {"role"} and isinstance(event["data"]["role"], str)
            assert json.loads(event["data"]["role"]) == response.get_json()
            assert event["broadcast"]["user_id"] == ""
        # A patch that changes nothing is not announced.
        client.put(API + "/roles/%s/patch" % role["id"], json={"permissions": wanted}, headers=auth(w.admin))
        assert len(fakes[w.alice["user_id"]].named("role_updated")) == 1
    finally:
        client.put(API + "/roles/%s/patch" % role["id"], json={"permissions": role["permissions"]},
                   headers=auth(w.admin))


def test_bot_patch_and_disable_send_user_updated(client, w, listen, app):
    app.config["MM_CONFIG"]["ServiceSettings"]["EnableBotAccountCreation"] = True
    response = client.post(API + "/bots", json={"username": unique("bot"), "display_name": "B"},
                           headers=auth(w.admin))
    assert response.status_code == 201, response.data
    bot = response.get_json()
    fakes = listen(w.alice)
    response = client.put(API + "/bots/" + bot["user_id"], json={"username": bot["username"], "display_name": "Bee"}, headers=auth(w.admin))
    assert response.status_code == 200, response.data
    seen = only(fakes[w.alice["user_id"]], "user_updated")["data"]["user"]
    assert seen["id"] == bot["user_id"] and seen["first_name"] == "Bee" and seen["is_bot"] is True
    no_secrets(seen)
    assert client.post(API + "/bots/%s/disable" % bot["user_id"], headers=auth(w.admin)).status_code == 200
    assert fakes[w.alice["user_id"]].named("user_updated")[-1]["data"]["user"]["delete_at"] > 0
    # Disabling a disabled bot changes nothing and says nothing.
    assert client.post(API + "/bots/%s/disable" % bot["user_id"], headers=auth(w.admin)).status_code == 200
    assert len(fakes[w.alice["user_id"]].named("user_updated")) == 2


def test_first_admin_marketplace_visit_is_announced(client, w, listen):
    fakes = listen(w.alice)
    response = client.post(API + "/plugins/marketplace/first_admin_visit",
                           json={"name": "FirstAdminVisitMarketplace", "value": "true"}, headers=auth(w.admin))
    assert response.status_code == 200, response.data
    event = only(fakes[w.alice["user_id"]], "first_admin_visit_marketplace_status_received")
    assert event["data"] == {"firstAdminVisitMarketplaceStatus": "true"}


# ---------------------------------------------------------------------------
# End to end: the real server and a websocket client

_request = api_request


@pytest.fixture
def server(tmp_path):
    with running_server(tmp_path, {"MM_PYTHONSETTINGS_PASSWORDWORKFACTOR": "1000"}) as (base, _):
        yield base


def test_account_events_over_a_real_websocket(server):
    import time
    import websocket
    _request(server, "POST", "/api/v4/users", {"username": "acctadmin", "email": "acctadmin@example.com",
                                               "password": "correct-horse-9"})
    me, headers = _request(server, "POST", "/api/v4/users/login",
                           {"login_id": "acctadmin", "password": "correct-horse-9"})
    token = headers["Token"]
    ws = websocket.create_connection(server.replace("http", "ws") + "/api/v4/websocket", timeout=10,
                                     header=["Authorization: Bearer " + token])
    try:
        assert json.loads(ws.recv())["event"] == "hello"
        newcomer, _ = _request(server, "POST", "/api/v4/users", {"username": "newcomer",
                                                                 "email": "newcomer@example.com",
                                                                 "password": "correct-horse-9"}, token)
        _request(server, "PUT", "/api/v4/users/%s/patch" % me["id"], {"nickname": "boss"}, token)
        prefs = [{"user_id": me["id"], "category": "display_settings", "name": "use_military_time",
                  "value": "true"}]
        _request(server, "PUT", "/api/v4/users/%s/preferences" % me["id"], prefs, token)
        got = {}
        deadline = time.time() + 10
        while "preferences_changed" not in got and time.time() < deadline:
            message = json.loads(ws.recv())
            if "event" in message:
                got.setdefault(message["event"], message)
        assert got["new_user"]["data"] == {"user_id": newcomer["id"]}
        user = got["user_updated"]["data"]["user"]
        assert user["id"] == me["id"] and user["nickname"] == "boss" and "password" not in user
        assert json.loads(got["preferences_changed"]["data"]["preferences"]) == prefs
        assert got["sidebar_category_updated"]["data"] == {}
    finally:
        ws.close()
