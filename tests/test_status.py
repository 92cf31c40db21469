"""The 'status' operations: presence set by hand and custom statuses."""
import datetime
import json
import time

import pytest

from conftest import auth, create, login
from store import models, users as store_users

STATUS_KEYS = {"user_id", "status", "manual", "last_activity_at", "dnd_end_time"}


def member(client, admin):
    user = create(client, admin)
    return login(client, user["username"])


def put_status(client, who, user_id, status, **fields):
    body = {"user_id": user_id, "status": status, **fields}
    return client.put("/api/v4/users/%s/status" % user_id, json=body, headers=auth(who))


def iso(delta_seconds):
    moment = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=delta_seconds)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def recent_of(user_id):
    row = models.Preference.get_or_none((models.Preference.user_id == user_id)
                                        & (models.Preference.category == "custom_status")
                                        & (models.Preference.name == "recent_custom_statuses"))
    return None if row is None else json.loads(row.value)


def custom_prop(user_id):
    return models.User.get_by_id(user_id).props.get("customStatus")


@pytest.fixture
def setting(app):
    """Change a setting for one test: setting("TeamSettings", "X", value)."""
    changed = []

    def change(section, name, value):
        changed.append((section, name, app.config["MM_CONFIG"][section][name]))
        app.config["MM_CONFIG"][section][name] = value

    yield change
    for section, name, value in reversed(changed):
        app.config["MM_CONFIG"][section][name] = value


# ---------------------------------------------------------------------------
# Reading statuses.

def test_user_without_status_is_offline(client, admin):
    who = member(client, admin)
    response = client.get("/api/v4/users/%s/status" % who["user_id"], headers=auth(admin))
    assert response.status_code == 200
    assert response.get_json() == {"user_id": who["user_id"], "status": "offline", "manual": False,
                                   "last_activity_at": 0, "dnd_end_time": 0}


def test_get_status_errors(client, admin):
    assert client.get("/api/v4/users/me/status").status_code == 401
    response = client.get("/api/v4/users/not-an-id/status", headers=auth(admin))
    assert response.status_code == 400
    assert response.get_json()["id"] == "api.context.invalid_url_param.app_error"
    # Any well-formed id answers, as Mattermost does (offline when nothing is stored).
    response = client.get("/api/v4/users/%s/status" % ("z" * 26), headers=auth(admin))
    assert response.status_code == 200 and response.get_json()["status"] == "offline"


def test_statuses_by_ids(client, admin):
    first, second = member(client, admin), member(client, admin)
    assert put_status(client, first, first["user_id"], "away").status_code == 200
    ids = [second["user_id"], first["user_id"], first["user_id"]]
    response = client.post("/api/v4/users/status/ids", json=ids, headers=auth(second))
    assert response.status_code == 200
    statuses = {s["user_id"]: s for s in response.get_json()}
    assert len(response.get_json()) == 2
    assert statuses[first["user_id"]]["status"] == "away"
    assert statuses[second["user_id"]]["status"] == "offline"
    assert all(set(s) == STATUS_KEYS for s in statuses.values())


@pytest.mark.parametrize("body", [[], ["short"], ["x" * 27]])
def test_statuses_by_ids_invalid(client, admin, body):
    response = client.post("/api/v4/users/status/ids", json=body, headers=auth(admin))
    assert response.status_code == 400
    assert response.get_json()["id"] == "api.context.invalid_body_param.app_error"


def test_statuses_by_ids_needs_session(client, admin):
    assert client.post("/api/v4/users/status/ids", json=[admin["user_id"]]).status_code == 401


# ---------------------------------------------------------------------------
# Setting a status.

def test_set_own_status(client, admin):
    who = member(client, admin)
    uid = who["user_id"]
    before = int(time.time() * 1000)
    online = put_status(client, who, uid, "online").get_json()
    assert online["status"] == "online" and online["manual"] is False
    assert online["last_activity_at"] >= before
    away = put_status(client, who, uid, "away").get_json()
    assert away["status"] == "away" and away["manual"] is True
    assert away["last_activity_at"] == online["last_activity_at"]
    offline = put_status(client, who, uid, "offline").get_json()
    assert offline["status"] == "offline" and offline["manual"] is True
    got = client.get("/api/v4/users/me/status", headers=auth(who)).get_json()
    assert got == offline and set(got) == STATUS_KEYS


def test_me_in_path(client, admin):
    who = member(client, admin)
    response = client.put("/api/v4/users/me/status", json={"user_id": who["user_id"], "status": "away"},
                          headers=auth(who))
    assert response.status_code == 200 and response.get_json()["status"] == "away"


def test_dnd_with_end_time(client, admin):
    who = member(client, admin)
    uid = who["user_id"]
    put_status(client, who, uid, "online")
    end = int(time.time()) + 3600 + 17
    dnd = put_status(client, who, uid, "dnd", dnd_end_time=end).get_json()
    assert dnd["status"] == "dnd" and dnd["manual"] is True
    assert dnd["dnd_end_time"] == end - end % 60  # cut to the minute, in seconds
    row = models.Status.get_by_id(uid)
    assert row.prev_status == "online"
    assert client.get("/api/v4/users/me/status", headers=auth(who)).get_json()["status"] == "dnd"


def test_dnd_without_end_time_does_not_expire(client, admin):
    who = member(client, admin)
    dnd = put_status(client, who, who["user_id"], "dnd").get_json()
    assert dnd["status"] == "dnd" and dnd["dnd_end_time"] == 0
    assert client.get("/api/v4/users/me/status", headers=auth(who)).get_json()["status"] == "dnd"


def test_timed_dnd_goes_back_when_over(client, admin):
    who = member(client, admin)
    uid = who["user_id"]
    put_status(client, who, uid, "away")
    past = int(time.time()) - 120
    answered = put_status(client, who, uid, "dnd", dnd_end_time=past).get_json()
    assert answered["status"] == "dnd"
    after = client.get("/api/v4/users/me/status", headers=auth(who)).get_json()
    assert after["status"] == "away" and after["manual"] is False and after["dnd_end_time"] == 0
    assert models.Status.get_by_id(uid).prev_status == "dnd"


def test_status_of_another_user_needs_permission(client, admin):
    who, other = member(client, admin), member(client, admin)
    response = put_status(client, who, other["user_id"], "away")
    assert response.status_code == 403
    assert response.get_json()["id"] == "api.context.permissions.app_error"
    response = put_status(client, admin, other["user_id"], "away")
    assert response.status_code == 200 and response.get_json()["user_id"] == other["user_id"]


@pytest.mark.parametrize("status", ["ooo", "busy", ""])
def test_invalid_status(client, admin, status):
    who = member(client, admin)
    response = put_status(client, who, who["user_id"], status)
    assert response.status_code == 400
    assert response.get_json()["id"] == "api.context.invalid_body_param.app_error"


def test_body_user_must_match_path(client, admin):
    who, other = member(client, admin), member(client, admin)
    response = client.put("/api/v4/users/%s/status" % who["user_id"],
                          json={"user_id": other["user_id"], "status": "online"}, headers=auth(admin))
    assert response.status_code == 400
    assert "user_id" in response.get_json()["message"]


def test_bad_body_and_no_session(client, admin):
    who = member(client, admin)
    url = "/api/v4/users/%s/status" % who["user_id"]
    response = client.put(url, json={"user_id": who["user_id"], "status": "online", "manual": "yes"},
                          headers=auth(who))
    assert response.status_code == 400
    assert client.put(url, json={"user_id": who["user_id"], "status": "online"}).status_code == 401
    response = client.put("/api/v4/users/bad/status", json={"user_id": "bad", "status": "online"},
                          headers=auth(who))
    assert response.status_code == 400
    assert response.get_json()["id"] == "api.context.invalid_url_param.app_error"


def test_leaving_out_of_office_turns_auto_replies_off(client, admin):
    who = member(client, admin)
    uid = who["user_id"]
    user = models.User.get_by_id(uid)
    store_users.write(uid, notify_props=dict(user.notify_props, auto_responder_active="true"))
    models.Status.insert(user_id=uid, status="ooo", manual=True, last_activity_at=1).execute()
    response = put_status(client, who, uid, "online")
    assert response.status_code == 200 and response.get_json()["status"] == "online"
    assert models.User.get_by_id(uid).notify_props["auto_responder_active"] == "false"


def test_statuses_disabled(client, admin, setting):
    who = member(client, admin)
    setting("ServiceSettings", "EnableUserStatuses", False)
    response = client.get("/api/v4/users/me/status", headers=auth(who))
    assert response.status_code == 404
    assert response.get_json()["id"] == "api.status.user_not_found.app_error"
    response = client.post("/api/v4/users/status/ids", json=[who["user_id"]], headers=auth(who))
    assert response.status_code == 200 and response.get_json() == []
    response = put_status(client, who, who["user_id"], "away")
    assert response.status_code == 404
    assert models.Status.get_or_none(models.Status.user_id == who["user_id"]) is None


# ---------------------------------------------------------------------------
# Custom statuses.

def put_custom(client, who, user_id, **body):
    return client.put("/api/v4/users/%s/status/custom" % user_id, json=body, headers=auth(who))


def test_set_custom_status(client, admin):
    who = member(client, admin)
    uid = who["user_id"]
    response = put_custom(client, who, "me", emoji="calendar", text="In a meeting")
    assert response.status_code == 200 and response.get_json() == {"status": "OK"}
    stored = custom_prop(uid)
    assert isinstance(stored, str)
    assert json.loads(stored) == {"emoji": "calendar", "text": "In a meeting", "duration": "",
                                  "expires_at": "0001-01-01T00:00:00Z"}
    assert list(json.loads(stored)) == ["emoji", "text", "duration", "expires_at"]
    assert recent_of(uid) == [json.loads(stored)]
    me = client.get("/api/v4/users/me", headers=auth(who)).get_json()
    assert me["props"]["customStatus"] == stored


def test_custom_status_expiry_and_text(client, admin):
    who = member(client, admin)
    uid = who["user_id"]
    expires = iso(3600)
    put_custom(client, who, uid, emoji="", text="t" * 150, expires_at=expires)
    stored = json.loads(custom_prop(uid))
    assert stored["duration"] == "date_and_time"  # an expiry without a duration
    assert stored["text"] == "t" * 100
    assert stored["expires_at"] == expires.replace(".000Z", "Z")
    response = put_custom(client, who, uid, emoji="sun", text="x", duration="one_hour",
                          expires_at=iso(4 * 3600)[:-5] + ".250+02:00")  # 2 hours ahead
    assert response.status_code == 200
    assert json.loads(custom_prop(uid))["expires_at"].endswith(".25+02:00")


@pytest.mark.parametrize("body", [
    {"emoji": "", "text": ""},
    {"emoji": "x", "text": "y", "duration": "forever"},
    {"emoji": "x", "text": "y", "duration": "one_hour", "expires_at": "2001-01-01T00:00:00Z"},
    {"emoji": "x", "text": "y", "expires_at": "2001-01-01T00:00:00Z"},
    {"emoji": "x", "text": "y", "expires_at": "tomorrow"},
    {"emoji": "x", "text": "y", "expires_at": "2999-02-30T00:00:00Z"},
])
def test_custom_status_invalid(client, admin, body):
    who = member(client, admin)
    response = put_custom(client, who, who["user_id"], **body)
    assert response.status_code == 400
    assert response.get_json()["id"] == "api.context.invalid_body_param.app_error"
    assert "custom_status" in response.get_json()["message"]


def test_custom_status_unknown_emoji(client, admin):
    who = member(client, admin)
    response = put_custom(client, who, who["user_id"], emoji="not an emoji!", text="x")
    assert response.status_code == 400
    assert response.get_json()["id"] == "api.custom_status.set_custom_statuses.emoji_not_found"
    assert custom_prop(who["user_id"]) is None


def test_custom_status_permissions(client, admin):
    who, other = member(client, admin), member(client, admin)
    response = put_custom(client, who, other["user_id"], emoji="sun", text="x")
    assert response.status_code == 403
    response = client.delete("/api/v4/users/%s/status/custom" % other["user_id"], headers=auth(who))
    assert response.status_code == 403
    assert put_custom(client, admin, other["user_id"], emoji="sun", text="x").status_code == 200
    assert json.loads(custom_prop(other["user_id"]))["emoji"] == "sun"
    assert put_custom(client, who, who["user_id"], emoji="sun", text="x").status_code == 200
    url = "/api/v4/users/%s/status/custom" % who["user_id"]
    assert client.put(url, json={"emoji": "sun", "text": "x"}).status_code == 401
    assert client.delete(url).status_code == 401


def test_custom_status_missing_user(client, admin):
    missing = "q" * 26
    response = put_custom(client, admin, missing, emoji="sun", text="x")
    assert response.status_code == 404
    assert response.get_json()["id"] == "app.user.missing_account.const"
    response = client.delete("/api/v4/users/%s/status/custom" % missing, headers=auth(admin))
    assert response.status_code == 404
    response = put_custom(client, admin, "bad-id", emoji="sun", text="x")
    assert response.status_code == 400


def test_unset_custom_status(client, admin):
    who = member(client, admin)
    put_custom(client, who, who["user_id"], emoji="sun", text="x")
    response = client.delete("/api/v4/users/me/status/custom", headers=auth(who))
    assert response.status_code == 200 and response.get_json() == {"status": "OK"}
    assert custom_prop(who["user_id"]) == ""
    assert len(recent_of(who["user_id"])) == 1  # the recent list keeps it


def test_recent_custom_statuses(client, admin):
    who = member(client, admin)
    uid = who["user_id"]
    for n in range(7):
        put_custom(client, who, uid, emoji="sun", text="status %d" % n)
    assert [s["text"] for s in recent_of(uid)] == ["status %d" % n for n in (6, 5, 4, 3, 2)]
    # The same text again replaces the older entry and comes first.
    put_custom(client, who, uid, emoji="moon", text="status 4")
    recent = recent_of(uid)
    assert [s["text"] for s in recent] == ["status 4", "status 6", "status 5", "status 3", "status 2"]
    assert recent[0]["emoji"] == "moon"


@pytest.mark.parametrize("method", ["delete", "post"])
def test_remove_recent_custom_status(client, admin, method):
    who = member(client, admin)
    uid = who["user_id"]
    put_custom(client, who, uid, emoji="sun", text="first")
    put_custom(client, who, uid, emoji="rain", text="second", expires_at=iso(7200))
    second = recent_of(uid)[0]

    def remove(body, as_who=who):
        if method == "delete":
            return client.delete("/api/v4/users/%s/status/custom/recent" % uid, json=body, headers=auth(as_who))
        return client.post("/api/v4/users/%s/status/custom/recent/delete" % uid, json=body, headers=auth(as_who))

    other = member(client, admin)
    assert remove(second, other).status_code == 403
    response = remove(dict(second, text="unknown"))
    assert response.status_code == 400
    assert response.get_json()["id"] == "api.custom_status.recent_custom_statuses.delete.app_error"
    response = remove(dict(second, expires_at="not a time"))
    assert response.status_code == 400
    assert "recent_custom_status" in response.get_json()["message"]
    response = remove(second)
    assert response.status_code == 200 and response.get_json() == {"status": "OK"}
    assert [s["text"] for s in recent_of(uid)] == ["first"]
    response = remove({"emoji": "sun", "text": "first", "duration": "", "expires_at": "0001-01-01T00:00:00Z"})
    assert response.status_code == 200
    assert recent_of(uid) == []


def test_remove_recent_without_any(client, admin):
    who = member(client, admin)
    body = {"emoji": "sun", "text": "x", "duration": "", "expires_at": "0001-01-01T00:00:00Z"}
    response = client.post("/api/v4/users/me/status/custom/recent/delete", json=body, headers=auth(who))
    assert response.status_code == 400
    assert response.get_json()["id"] == "app.preference.get.app_error"
    response = client.post("/api/v4/users/me/status/custom/recent/delete", json=body)
    assert response.status_code == 401


def test_custom_statuses_disabled(client, admin, setting):
    who = member(client, admin)
    setting("TeamSettings", "EnableCustomUserStatuses", False)
    body = {"emoji": "sun", "text": "x", "duration": "", "expires_at": "0001-01-01T00:00:00Z"}
    responses = [
        put_custom(client, who, "me", emoji="sun", text="x"),
        client.delete("/api/v4/users/me/status/custom", headers=auth(who)),
        client.delete("/api/v4/users/me/status/custom/recent", json=body, headers=auth(who)),
        client.post("/api/v4/users/me/status/custom/recent/delete", json=body, headers=auth(who)),
    ]
    for response in responses:
        assert response.status_code == 501
        assert response.get_json()["id"] == "api.custom_status.disabled"


def test_remove_recent_needs_a_body(client, admin):
    who = member(client, admin)
    response = client.delete("/api/v4/users/me/status/custom/recent", headers=auth(who))
    assert response.status_code == 400
    assert response.get_json()["id"] == "api.context.invalid_body_param.app_error"
