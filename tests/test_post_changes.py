"""The posts operations that change a post after it is made: update, patch,
delete, pin, edit history and restore, acknowledgements (unlicensed), reminders,
marking a channel unread from a post, and moving threads (unlicensed)."""
import time

import pytest

from conftest import auth, create, login, unique
from store import channels as store_channels, models, posts, teams, threads, users

BAD_ID = "not-an-id"
MISSING = "a" * 26


def _who(client, admin):
    created = create(client, admin)
    who = login(client, created["username"])
    who["username"] = created["username"]
    who["user"] = users.get(created["id"])
    return who


@pytest.fixture(scope="module")
def w(app, admin):
    client = app.test_client()

    class W:
        pass
    w = W()
    with app.app_context():
        w.alice, w.bob, w.carol = (_who(client, admin) for _ in range(3))
        w.team = teams.create({"display_name": "T", "name": unique("team"), "type": "O"})
        for who in (w.alice, w.bob, w.carol):
            teams.add_member(w.team, who["user"])
        teams.add_member(w.team, users.get(admin["user_id"]))
        w.public = store_channels.create({"team_id": w.team.id, "type": "O", "name": unique("pub"),
                                          "display_name": "Public"}, creator=w.alice["user"])
        for who in (w.bob, w.carol):
            store_channels.add_member(w.public, who["user"])
        w.private = store_channels.create({"team_id": w.team.id, "type": "P", "name": unique("priv"),
                                           "display_name": "Private"}, creator=w.alice["user"])
        store_channels.add_member(w.private, w.bob["user"])
    return w


def _post(app, channel, who, message="hello", **fields):
    with app.app_context():
        fresh = store_channels.get(channel.id)
        return posts.create(dict(fields, message=message), fresh, who["user"]).post


def _stored(app, post_id):
    with app.app_context():
        return models.Post.get_or_none(models.Post.id == post_id)


@pytest.fixture
def limit(app):
    """Set ServiceSettings.PostEditTimeLimit for one test."""
    settings = app.config["MM_CONFIG"]["ServiceSettings"]
    before = settings["PostEditTimeLimit"]
    yield lambda value: settings.__setitem__("PostEditTimeLimit", value)
    settings["PostEditTimeLimit"] = before


# UpdatePost

def test_update_post_replaces_message_and_keeps_history(app, client, w):
    post = _post(app, w.public, w.alice, "first #one")
    response = client.put("/api/v4/posts/%s" % post.id, headers=auth(w.alice),
                          json={"id": post.id, "message": "second #two", "is_pinned": True})
    assert response.status_code == 200, response.data
    body = response.get_json()
    assert body["message"] == "second #two" and body["is_pinned"] is True
    assert body["edit_at"] > 0 and body["hashtags"] == "#two" and body["id"] == post.id
    stored = _stored(app, post.id)
    assert stored.message == "second #two"
    with app.app_context():
        history = list(models.Post.select().where(models.Post.original_id == post.id))
    assert [h.message for h in history] == ["first #one"] and history[0].delete_at > 0
    # PUT replaces: leaving is_pinned out unpins, leaving message out empties it
    response = client.put("/api/v4/posts/%s" % post.id, headers=auth(w.alice), json={"id": post.id})
    assert response.status_code == 200
    assert response.get_json()["is_pinned"] is False and response.get_json()["message"] == ""


def test_update_post_errors(app, client, w):
    post = _post(app, w.public, w.alice)
    url = "/api/v4/posts/%s" % post.id
    assert client.put(url, json={"id": post.id, "message": "x"}).status_code == 401
    response = client.put("/api/v4/posts/%s" % BAD_ID, headers=auth(w.alice), json={"id": BAD_ID})
    assert response.status_code == 400
    response = client.put(url, headers=auth(w.alice), json={"id": MISSING, "message": "x"})
    assert response.status_code == 400 and response.get_json()["id"] == "api.context.invalid_param.app_error"
    response = client.put("/api/v4/posts/%s" % MISSING, headers=auth(w.alice), json={"id": MISSING})
    assert response.status_code == 403
    response = client.put(url, headers=auth(w.bob), json={"id": post.id, "message": "not mine"})
    assert response.status_code == 403 and response.get_json()["id"] == "api.context.permissions.app_error"
    assert _stored(app, post.id).message == "hello"
    response = client.put(url, headers=auth(w.alice), json={"id": post.id, "message": "x" * 16384})
    assert response.status_code == 400 and response.get_json()["id"] == "model.post.is_valid.msg.app_error"


def test_update_post_by_admin_and_privacy(app, client, admin, w):
    post = _post(app, w.private, w.alice, "secret")
    url = "/api/v4/posts/%s" % post.id
    assert client.put(url, headers=auth(w.carol), json={"id": post.id, "message": "x"}).status_code == 403
    response = client.put(url, headers=auth(admin), json={"id": post.id, "message": "moderated"})
    assert response.status_code == 200 and response.get_json()["message"] == "moderated"
    assert response.get_json()["user_id"] == w.alice["user_id"]


def test_system_messages_and_archived_channels_cannot_be_edited(app, client, admin, w):
    system = _post(app, w.public, w.alice, "joined", type="system_join_channel")
    response = client.put("/api/v4/posts/%s" % system.id, headers=auth(w.alice),
                          json={"id": system.id, "message": "changed"})
    assert response.status_code == 400
    assert response.get_json()["id"] == "api.post.update_post.system_message.app_error"
    with app.app_context():
        gone = store_channels.create({"team_id": w.team.id, "type": "O", "name": unique("arch"),
                                      "display_name": "A"}, creator=w.alice["user"])
    post = _post(app, gone, w.alice)
    with app.app_context():
        store_channels.set_deleted(gone.id, int(time.time() * 1000))
    response = client.put("/api/v4/posts/%s" % post.id, headers=auth(w.alice), json={"id": post.id, "message": "x"})
    assert response.get_json()["id"] == "api.post.update_post.can_not_update_post_in_deleted.error"
    response = client.put("/api/v4/posts/%s/patch" % post.id, headers=auth(w.alice), json={"message": "x"})
    assert response.get_json()["id"] == "api.post.patch_post.can_not_update_post_in_deleted.error"
    response = client.post("/api/v4/posts/%s/pin" % post.id, headers=auth(w.alice))
    assert response.status_code == 400
    response = client.delete("/api/v4/posts/%s" % post.id, headers=auth(w.alice))
    assert response.get_json()["id"] == "api.post.delete_post.can_not_delete_post_in_deleted.error"


def test_edit_time_limit(app, client, w, limit):
    old = _post(app, w.public, w.alice, "old", create_at=int(time.time() * 1000) - 120000)
    limit(60)
    url = "/api/v4/posts/%s" % old.id
    response = client.put(url, headers=auth(w.alice), json={"id": old.id, "message": "late"})
    assert response.status_code == 400
    assert response.get_json()["id"] == "api.post.update_post.permissions_time_limit.app_error"
    response = client.put(url + "/patch", headers=auth(w.alice), json={"message": "late"})
    assert response.status_code == 400
    # without a message change the limit does not apply
    response = client.put(url + "/patch", headers=auth(w.alice), json={"is_pinned": True})
    assert response.status_code == 200 and response.get_json()["is_pinned"] is True
    limit(-1)
    assert client.put(url, headers=auth(w.alice), json={"id": old.id, "message": "late"}).status_code == 200


# PatchPost

def _file(app, who, channel_id=""):
    with app.app_context():
        now = int(time.time() * 1000)
        info = models.FileInfo.create(id=unique("f").ljust(26, "x")[:26], creator_id=who["user_id"],
                                      channel_id=channel_id, create_at=now, update_at=now, name="a.txt",
                                      extension="txt", size=1, mime_type="text/plain", path="x/a.txt")
        return info.id


def test_patch_post_changes_only_given_fields(app, client, admin, w):
    post = _post(app, w.public, w.alice, "patch me", props={"keep": "yes"})
    url = "/api/v4/posts/%s/patch" % post.id
    response = client.put(url, headers=auth(w.alice), json={"message": "patched"})
    assert response.status_code == 200, response.data
    body = response.get_json()
    assert body["message"] == "patched" and body["props"] == {"keep": "yes"} and body["is_pinned"] is False
    response = client.put(url, headers=auth(w.alice), json={"props": {"other": 1, "add_channel_member": "x"}})
    assert response.status_code == 200 and response.get_json()["props"] == {"other": 1}
    assert client.put(url, headers=auth(w.bob), json={"message": "no"}).status_code == 403
    assert client.put(url, json={"message": "no"}).status_code == 401
    response = client.put(url, headers=auth(admin), json={"has_reactions": True, "is_pinned": True})
    assert response.status_code == 200
    assert response.get_json()["has_reactions"] is True and response.get_json()["message"] == "patched"
    assert client.put("/api/v4/posts/%s/patch" % BAD_ID, headers=auth(w.alice), json={}).status_code == 400
    assert client.put("/api/v4/posts/%s/patch" % MISSING, headers=auth(w.alice), json={}).status_code == 403


def test_patch_post_files(app, client, w):
    post = _post(app, w.public, w.alice, "files")
    mine, theirs = _file(app, w.alice), _file(app, w.bob)
    url = "/api/v4/posts/%s/patch" % post.id
    response = client.put(url, headers=auth(w.alice), json={"file_ids": [mine, theirs]})
    assert response.status_code == 200, response.data
    body = response.get_json()
    assert body["file_ids"] == [mine]     # someone else's upload is not attached
    assert [f["id"] for f in body["metadata"]["files"]] == [mine]
    with app.app_context():
        assert models.FileInfo.get(models.FileInfo.id == mine).post_id == post.id
        assert models.FileInfo.get(models.FileInfo.id == theirs).post_id == ""
    response = client.put(url, headers=auth(w.alice), json={"file_ids": []})
    assert response.status_code == 200 and response.get_json()["file_ids"] == []
    with app.app_context():
        assert models.FileInfo.get(models.FileInfo.id == mine).delete_at > 0
    many = [_file(app, w.alice) for _ in range(11)]
    response = client.put(url, headers=auth(w.alice), json={"file_ids": many})
    assert response.status_code == 400


# DeletePost

def test_delete_post(app, client, admin, w):
    root = _post(app, w.public, w.alice, "root")
    reply = _post(app, w.public, w.bob, "reply", root_id=root.id)
    url = "/api/v4/posts/%s" % root.id
    with app.app_context():
        from store import preferences
        preferences.save([{"user_id": w.bob["user_id"], "category": "flagged_post", "name": root.id, "value": "true"}])
    assert client.delete(url).status_code == 401
    assert client.delete("/api/v4/posts/%s" % BAD_ID, headers=auth(w.alice)).status_code == 400
    response = client.delete("/api/v4/posts/%s" % MISSING, headers=auth(w.alice))
    assert response.status_code == 404 and response.get_json()["id"] == "app.post.get.app_error"
    assert client.delete(url, headers=auth(w.bob)).status_code == 403
    response = client.delete(url, headers=auth(w.alice))
    assert response.status_code == 200 and response.get_json() == {"status": "OK"}
    assert _stored(app, root.id).delete_at > 0 and _stored(app, reply.id).delete_at > 0
    with app.app_context():
        assert preferences.get(w.bob["user_id"], "flagged_post", root.id) is None
    other = _post(app, w.private, w.bob, "bob's")
    assert client.delete("/api/v4/posts/%s" % other.id, headers=auth(w.carol)).status_code == 403
    assert client.delete("/api/v4/posts/%s" % other.id, headers=auth(admin)).status_code == 200


# Pins

def test_pin_and_unpin(app, client, w):
    post = _post(app, w.private, w.alice, "pin me")
    url = "/api/v4/posts/%s/" % post.id
    assert client.post(url + "pin").status_code == 401
    assert client.post(url + "pin", headers=auth(w.carol)).status_code == 403
    assert client.post("/api/v4/posts/%s/pin" % MISSING, headers=auth(w.bob)).status_code == 403
    assert client.post("/api/v4/posts/%s/pin" % BAD_ID, headers=auth(w.bob)).status_code == 400
    response = client.post(url + "pin", headers=auth(w.bob))
    assert response.status_code == 200 and response.get_json() == {"status": "OK"}
    assert _stored(app, post.id).is_pinned is True
    assert _stored(app, post.id).edit_at == 0
    response = client.post(url + "unpin", headers=auth(w.bob))
    assert response.status_code == 200 and _stored(app, post.id).is_pinned is False


# Edit history and restore

def test_edit_history_and_restore(app, client, w):
    post = _post(app, w.public, w.alice, "v1")
    url = "/api/v4/posts/%s" % post.id
    response = client.get(url + "/edit_history", headers=auth(w.alice))
    assert response.status_code == 404 and response.get_json()["id"] == "app.post.get.app_error"
    for text in ("v2", "v3"):
        time.sleep(0.002)
        assert client.put(url + "/patch", headers=auth(w.alice), json={"message": text}).status_code == 200
    response = client.get(url + "/edit_history", headers=auth(w.alice))
    assert response.status_code == 200
    history = response.get_json()
    assert [h["message"] for h in history] == ["v2", "v1"]
    assert all(h["original_id"] == post.id and h["delete_at"] > 0 for h in history)
    assert client.get(url + "/edit_history", headers=auth(w.bob)).status_code == 403
    assert client.get(url + "/edit_history").status_code == 401
    assert client.get("/api/v4/posts/%s/edit_history" % BAD_ID, headers=auth(w.alice)).status_code == 400
    assert client.get("/api/v4/posts/%s/edit_history" % MISSING, headers=auth(w.alice)).status_code == 403

    v1 = history[1]["id"]
    assert client.post(url + "/restore/" + v1, headers=auth(w.bob)).status_code == 403
    assert client.post(url + "/restore/" + MISSING, headers=auth(w.alice)).status_code == 403
    assert client.post(url + "/restore/" + v1).status_code == 401
    other = _post(app, w.public, w.alice, "other")
    response = client.post("/api/v4/posts/%s/restore/%s" % (other.id, v1), headers=auth(w.alice))
    assert response.status_code == 400
    assert response.get_json()["id"] == "app.post.restore_post_version.not_an_history_item.app_error"
    response = client.post(url + "/restore/" + v1, headers=auth(w.alice))
    assert response.status_code == 200, response.data
    assert response.get_json()["message"] == "v1" and response.get_json()["id"] == post.id
    history = client.get(url + "/edit_history", headers=auth(w.alice)).get_json()
    assert [h["message"] for h in history] == ["v3", "v2", "v1"]


# Acknowledgements (Professional license) and moving threads (license + flag)

def test_unlicensed_operations_answer_501(app, client, w):
    post = _post(app, w.public, w.alice)
    url = "/api/v4/users/me/posts/%s/ack" % post.id
    response = client.post(url, headers=auth(w.bob))
    assert response.status_code == 501 and response.get_json()["id"] == "<untranslated>"
    response = client.delete(url, headers=auth(w.bob))
    assert response.status_code == 501 and response.get_json()["id"] == "license_error.feature_unavailable"
    assert client.post(url).status_code == 401
    response = client.post("/api/v4/posts/%s/move" % post.id, headers=auth(w.alice),
                           json={"channel_id": w.private.id})
    assert response.status_code == 501 and response.get_json()["id"] == "api.post.move_thread.disabled.app_error"
    response = client.post("/api/v4/posts/%s/move" % BAD_ID, headers=auth(w.alice), json={"channel_id": MISSING})
    assert response.status_code == 400


# Reminders

def test_set_post_reminder(app, client, admin, w):
    post = _post(app, w.private, w.alice, "remind me")
    target = int(time.time()) + 3600
    url = "/api/v4/users/%s/posts/%s/reminder"
    response = client.post(url % ("me", post.id), headers=auth(w.bob), json={"target_time": target})
    assert response.status_code == 200 and response.get_json() == {"status": "OK"}
    response = client.post(url % ("me", post.id), headers=auth(w.bob), json={"target_time": target + 60})
    assert response.status_code == 200
    with app.app_context():
        rows = list(models.PostReminder.select().where(models.PostReminder.post_id == post.id))
    assert [(r.user_id, r.target_time) for r in rows] == [(w.bob["user_id"], target + 60)]
    assert client.post(url % ("me", post.id), json={"target_time": target}).status_code == 401
    assert client.post(url % ("me", post.id), headers=auth(w.carol), json={"target_time": target}).status_code == 403
    response = client.post(url % (w.alice["user_id"], post.id), headers=auth(w.bob), json={"target_time": target})
    assert response.status_code == 403
    assert client.post(url % ("me", BAD_ID), headers=auth(w.bob), json={"target_time": target}).status_code == 400
    assert client.post(url % (BAD_ID, post.id), headers=auth(w.bob), json={"target_time": target}).status_code == 400
    assert client.post(url % ("me", post.id), headers=auth(w.bob), json={}).status_code == 400
    response = client.post(url % ("me", MISSING), headers=auth(admin), json={"target_time": target})
    assert response.status_code == 404


# Marking unread

def _member(app, channel, who):
    with app.app_context():
        return store_channels.get_member(channel.id, who["user_id"])


def test_set_post_unread_counts_from_the_post(app, client, w):
    with app.app_context():
        channel = store_channels.create({"team_id": w.team.id, "type": "O", "name": unique("unread"),
                                         "display_name": "U"}, creator=w.alice["user"])
        store_channels.add_member(channel, w.bob["user"])
    _post(app, channel, w.alice, "before")
    first = _post(app, channel, w.alice, "hi @%s" % w.bob["username"])
    _post(app, channel, w.alice, "plain")
    reply = _post(app, channel, w.alice, "@%s in a thread" % w.bob["username"], root_id=first.id)
    with app.app_context():
        from store import channel_members
        channel_members.view([channel.id], w.bob["user_id"])
    url = "/api/v4/users/%s/posts/%s/set_unread"
    response = client.post(url % ("me", first.id), headers=auth(w.bob), json={"collapsed_threads_supported": True})
    assert response.status_code == 200, response.data
    state = response.get_json()
    with app.app_context():
        fresh = store_channels.get(channel.id)
    assert state["channel_id"] == channel.id and state["team_id"] == w.team.id
    assert state["user_id"] == w.bob["user_id"]
    assert state["last_viewed_at"] == first.create_at - 1
    assert state["msg_count"] == fresh.total_msg_count - 3
    assert state["msg_count_root"] == fresh.total_msg_count_root - 2
    assert state["mention_count"] == 2 and state["mention_count_root"] == 1
    member = _member(app, channel, w.bob)
    assert member.last_viewed_at == first.create_at - 1 and member.mention_count == 2
    assert member.msg_count == state["msg_count"]

    # without collapsed threads a reply marks its thread unread too
    response = client.post(url % ("me", reply.id), headers=auth(w.bob), json={})
    assert response.status_code == 200
    state = response.get_json()
    assert state["last_viewed_at"] == reply.create_at - 1 and state["mention_count"] == 1
    assert state["msg_count_root"] == fresh.total_msg_count_root
    with app.app_context():
        membership = threads.get_membership(first.id, w.bob["user_id"])
    assert membership.following and membership.last_viewed == reply.create_at - 1
    assert membership.unread_mentions == 1


def test_set_post_unread_errors_and_privacy(app, client, admin, w):
    post = _post(app, w.private, w.alice, "private")
    url = "/api/v4/users/%s/posts/%s/set_unread"
    assert client.post(url % ("me", post.id)).status_code == 401
    assert client.post(url % ("me", BAD_ID), headers=auth(w.bob)).status_code == 400
    assert client.post(url % (BAD_ID, post.id), headers=auth(w.bob)).status_code == 400
    assert client.post(url % ("me", post.id), headers=auth(w.carol)).status_code == 403
    assert client.post(url % (w.alice["user_id"], post.id), headers=auth(w.bob)).status_code == 403
    assert client.post(url % ("me", MISSING), headers=auth(admin)).status_code == 404
    response = client.post(url % (w.bob["user_id"], post.id), headers=auth(admin))
    assert response.status_code == 200 and response.get_json()["user_id"] == w.bob["user_id"]


def test_set_post_unread_in_direct_messages(app, client, w):
    with app.app_context():
        dm, _ = store_channels.get_or_create_direct(w.alice["user"], w.bob["user"])
    first = _post(app, dm, w.alice, "one")
    _post(app, dm, w.bob, "mine")
    _post(app, dm, w.alice, "two")
    response = client.post("/api/v4/users/me/posts/%s/set_unread" % first.id, headers=auth(w.bob),
                           json={"collapsed_threads_supported": True})
    assert response.status_code == 200, response.data
    assert response.get_json()["mention_count"] == 2 and response.get_json()["team_id"] == ""
    assert client.post("/api/v4/users/me/posts/%s/set_unread" % first.id,
                       headers=auth(w.carol)).status_code == 403
