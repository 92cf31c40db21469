"""The posts operations that create and read posts (handlers/posts.py,
store/post_queries.py), as Mattermost's Team Edition server answers them:
creating with its checks and counts, ephemeral posts, reading posts, posts by
id, threads, a channel's pages and cursors, the posts around the last unread
one, flagged posts, post info, file infos, integration actions, and the AI
and burn-on-read operations of a server without them. Privacy throughout:
private channels, other teams and other people's messages stay unseen."""
import time

import pytest

from conftest import auth, create, login, unique
from store import channels as store_channels, models, teams, users

API = "/api/v4"
NO_ID = "z" * 26


class World:
    pass


def _user(client, admin):
    created = create(client, admin)
    who = login(client, created["username"])
    who["username"] = created["username"]
    return who


@pytest.fixture(scope="module")
def w(app, admin):
    client = app.test_client()
    world = World()
    world.admin = admin
    world.alice = _user(client, admin)
    world.bob = _user(client, admin)
    world.dave = _user(client, admin)      # in the team, not in the private channel
    world.carol = _user(client, admin)     # only in another team
    with app.app_context():
        world.team = teams.create({"display_name": "Posts", "name": unique("team"), "type": "O"})
        world.other = teams.create({"display_name": "Other", "name": unique("team"), "type": "O"})
        alice = users.get(world.alice["user_id"])
        bob = users.get(world.bob["user_id"])
        for who in (world.alice, world.bob, world.dave):
            teams.add_member(world.team, users.get(who["user_id"]))
        teams.add_member(world.other, users.get(world.carol["user_id"]))
        world.public = store_channels.create({"team_id": world.team.id, "type": "O", "name": unique("pub"),
                                              "display_name": "Public"}, creator=alice)
        store_channels.add_member(world.public, bob)
        world.private = store_channels.create({"team_id": world.team.id, "type": "P", "name": unique("priv"),
                                               "display_name": "Private"}, creator=alice)
        world.dm, _ = store_channels.get_or_create_direct(alice, bob)
    return world


def post(client, who, channel_id, message="hello", **fields):
    response = client.post(API + "/posts", json={"channel_id": channel_id, "message": message, **fields},
                           headers=auth(who))
    assert response.status_code == 201, response.data
    return response.get_json()


def error_id(response):
    return response.get_json()["id"]


def unread(client, who, channel_id):
    response = client.get(API + "/users/me/channels/%s/unread" % channel_id, headers=auth(who))
    assert response.status_code == 200, response.data
    return response.get_json()


def fresh_channel(app, w, *members, kind="O"):
    with app.app_context():
        channel = store_channels.create({"team_id": w.team.id, "type": kind, "name": unique("c"),
                                         "display_name": "C"}, creator=users.get(members[0]["user_id"]))
        for who in members[1:]:
            store_channels.add_member(channel, users.get(who["user_id"]))
    return channel


# ---------------------------------------------------------------------------
# Creating

def test_create_post_counts_and_unreads(client, w):
    before = unread(client, w.bob, w.public.id)
    made = post(client, w.alice, w.public.id, "hi @%s #tag" % w.bob["username"], pending_post_id="p1")
    assert made["user_id"] == w.alice["user_id"] and made["channel_id"] == w.public.id
    assert made["message"].startswith("hi @") and made["hashtags"] == "#tag" and made["root_id"] == ""
    assert made["pending_post_id"] == "p1" and made["delete_at"] == 0 and made["create_at"] > 0
    after = unread(client, w.bob, w.public.id)
    assert after["msg_count"] == before["msg_count"] + 1
    assert after["mention_count"] == before["mention_count"] + 1
    assert unread(client, w.alice, w.public.id)["msg_count"] == 0   # the poster has read it
    # a DM mentions the other user
    before = unread(client, w.bob, w.dm.id)
    post(client, w.alice, w.dm.id, "psst")
    assert unread(client, w.bob, w.dm.id)["mention_count"] == before["mention_count"] + 1


def test_create_post_checks(client, w, app):
    assert client.post(API + "/posts", json={"channel_id": w.public.id, "message": "x"}).status_code == 401
    # not a member of a private channel, another team's channel, or someone's DM: 403
    for who, channel_id in ((w.dave, w.private.id), (w.carol, w.public.id), (w.dave, w.dm.id),
                            (w.alice, NO_ID), (w.alice, "bad")):
        response = client.post(API + "/posts", json={"channel_id": channel_id, "message": "x"}, headers=auth(who))
        assert response.status_code == 403 and error_id(response) == "api.context.permissions.app_error"
    # a team member who has not joined a public channel may not post in it (no create_post_public)
    assert client.post(API + "/posts", json={"channel_id": w.public.id, "message": "x"},
                       headers=auth(w.dave)).status_code == 403
    too_long = client.post(API + "/posts", json={"channel_id": w.public.id, "message": "x" * 16384},
                           headers=auth(w.alice))
    assert too_long.status_code == 400 and error_id(too_long) == "model.post.is_valid.message_length.app_error"
    assert post(client, w.alice, w.public.id, "é" * 16383)["message"] == "é" * 16383
    system = client.post(API + "/posts", json={"channel_id": w.public.id, "message": "x", "type": "system_join_channel"},
                         headers=auth(w.alice))
    assert system.status_code == 400 and error_id(system) == "api.context.invalid_param.app_error"
    files = client.post(API + "/posts", json={"channel_id": w.public.id, "message": "x",
                                              "file_ids": [NO_ID] * 11}, headers=auth(w.alice))
    assert files.status_code == 400 and error_id(files) == "model.post.is_valid.file_ids.app_error"
    # archived channel
    archived = fresh_channel(app, w, w.alice)
    with app.app_context():
        store_channels.set_deleted(archived.id, int(time.time() * 1000))
    response = client.post(API + "/posts", json={"channel_id": archived.id, "message": "x"}, headers=auth(w.alice))
    assert response.status_code == 400 and error_id(response) == "api.post.create_post.can_not_post_to_deleted.error"


def test_create_at_only_for_admins_and_props_sanitized(client, w):
    mine = post(client, w.alice, w.public.id, "old", create_at=1000,
                props={"add_channel_member": {"x": 1}, "custom": "kept", "force_notification": "1"})
    assert mine["create_at"] > 1000
    assert mine["props"] == {"custom": "kept"}
    admin_post = post(client, w.admin, w.public.id, "imported", create_at=5000)
    assert admin_post["create_at"] == 5000


def test_replies_and_root_checks(client, w, app):
    root = post(client, w.alice, w.public.id, "root")
    reply = post(client, w.bob, w.public.id, "reply", root_id=root["id"])
    assert reply["root_id"] == root["id"] and reply["reply_count"] == 1
    nested = client.post(API + "/posts", json={"channel_id": w.public.id, "message": "x", "root_id": reply["id"]},
                         headers=auth(w.alice))
    assert nested.status_code == 400 and error_id(nested) == "api.post.create_post.root_id.app_error"
    missing = client.post(API + "/posts", json={"channel_id": w.public.id, "message": "x", "root_id": NO_ID},
                          headers=auth(w.alice))
    assert missing.status_code == 400 and error_id(missing) == "api.post.create_post.root_id.app_error"
    elsewhere = client.post(API + "/posts", json={"channel_id": w.dm.id, "message": "x", "root_id": root["id"]},
                            headers=auth(w.alice))
    assert elsewhere.status_code == 400 and error_id(elsewhere) == "api.post.create_post.channel_root_id.app_error"
    with app.app_context():
        thread = models.Thread.get(models.Thread.post_id == root["id"])
        assert thread.reply_count == 1


def test_pending_post_id_repeats_answer_the_same_post(client, w):
    pending = "%s:%d" % (w.alice["user_id"], int(time.time() * 1000))
    first = post(client, w.alice, w.public.id, "once", pending_post_id=pending)
    before = unread(client, w.bob, w.public.id)["msg_count"]
    again = post(client, w.alice, w.public.id, "once", pending_post_id=pending)
    assert again["id"] == first["id"]
    assert unread(client, w.bob, w.public.id)["msg_count"] == before


def test_channel_mentions_need_permission(client, w, app):
    from api import permissions
    original = permissions.has_channel

    def without(session, channel_id, permission, channel=None):
        if permission == "use_channel_mentions":
            return False
        return original(session, channel_id, permission, channel)
    permissions.has_channel = without
    try:
        before = unread(client, w.bob, w.public.id)["mention_count"]
        made = post(client, w.alice, w.public.id, "@channel look")
        assert made["props"].get("mentionHighlightDisabled") is True
        assert unread(client, w.bob, w.public.id)["mention_count"] == before
    finally:
        permissions.has_channel = original


def test_set_online(client, w, app):
    post(client, w.bob, w.public.id, "online?", )
    with app.app_context():
        assert models.Status.get(models.Status.user_id == w.bob["user_id"]).status == "online"
    response = client.post(API + "/posts?set_online=false", json={"channel_id": w.public.id, "message": "x"},
                           headers=auth(w.bob))
    assert response.status_code == 201


def test_ephemeral(client, w):
    body = {"user_id": w.bob["user_id"], "post": {"channel_id": w.public.id, "message": "only you"}}
    response = client.post(API + "/posts/ephemeral", json=body, headers=auth(w.admin))
    assert response.status_code == 201
    made = response.get_json()
    assert made["type"] == "system_ephemeral" and made["message"] == "only you" and made["create_at"] > 0
    assert client.get(API + "/posts/" + made["id"], headers=auth(w.admin)).status_code == 404
    denied = client.post(API + "/posts/ephemeral", json=body, headers=auth(w.alice))
    assert denied.status_code == 403
    empty = client.post(API + "/posts/ephemeral", json={"user_id": "", "post": body["post"]}, headers=auth(w.admin))
    assert empty.status_code == 400
    assert client.post(API + "/posts/ephemeral", json=body).status_code == 401


# ---------------------------------------------------------------------------
# Reading one post, posts by id

def test_get_post_privacy_and_etag(client, w):
    public = post(client, w.alice, w.public.id, "open")
    private = post(client, w.alice, w.private.id, "secret")
    direct = post(client, w.alice, w.dm.id, "between us")
    response = client.get(API + "/posts/" + public["id"], headers=auth(w.dave))   # team member, not a member
    assert response.status_code == 200 and response.get_json()["message"] == "open"
    etag = response.headers["ETag"]
    assert client.get(API + "/posts/" + public["id"], headers={**auth(w.dave), "If-None-Match": etag}).status_code == 304
    assert client.get(API + "/posts/" + public["id"], headers=auth(w.carol)).status_code == 403
    for who, post_id in ((w.dave, private["id"]), (w.dave, direct["id"]), (w.carol, direct["id"])):
        response = client.get(API + "/posts/" + post_id, headers=auth(who))
        assert response.status_code == 403, (who, post_id)
    assert client.get(API + "/posts/" + direct["id"], headers=auth(w.bob)).status_code == 200
    assert client.get(API + "/posts/" + private["id"], headers=auth(w.admin)).status_code == 200
    missing = client.get(API + "/posts/" + NO_ID, headers=auth(w.alice))
    assert missing.status_code == 404 and error_id(missing) == "app.post.get.app_error"
    assert client.get(API + "/posts/bad", headers=auth(w.alice)).status_code == 400
    assert client.get(API + "/posts/" + public["id"]).status_code == 401
    assert client.get(API + "/posts/%s?include_deleted=true" % public["id"], headers=auth(w.alice)).status_code == 403


def test_deleted_posts(client, w, app):
    made = post(client, w.alice, w.public.id, "going")
    with app.app_context():
        models.Post.update(delete_at=int(time.time() * 1000)).where(models.Post.id == made["id"]).execute()
    assert client.get(API + "/posts/" + made["id"], headers=auth(w.alice)).status_code == 404
    response = client.get(API + "/posts/%s?include_deleted=true" % made["id"], headers=auth(w.admin))
    assert response.status_code == 200 and response.get_json()["delete_at"] > 0


def test_posts_by_ids(client, w):
    public = post(client, w.alice, w.public.id, "a")
    private = post(client, w.alice, w.private.id, "b")
    response = client.post(API + "/posts/ids", json=[public["id"], private["id"], NO_ID], headers=auth(w.dave))
    assert response.status_code == 200
    assert [p["id"] for p in response.get_json()] == [public["id"]]
    response = client.post(API + "/posts/ids", json=[public["id"], private["id"]], headers=auth(w.alice))
    assert {p["id"] for p in response.get_json()} == {public["id"], private["id"]}
    assert client.post(API + "/posts/ids", json=[public["id"]], headers=auth(w.carol)).get_json() == []
    empty = client.post(API + "/posts/ids", json=[], headers=auth(w.alice))
    assert empty.status_code == 400 and error_id(empty) == "api.context.invalid_param.app_error"
    many = client.post(API + "/posts/ids", json=["%026d" % i for i in range(1001)], headers=auth(w.alice))
    assert many.status_code == 400 and error_id(many) == "api.post.posts_by_ids.invalid_body.request_error"


# ---------------------------------------------------------------------------
# Threads

def test_thread(client, w):
    root = post(client, w.alice, w.public.id, "root")
    replies = [post(client, w.bob, w.public.id, "r%d" % i, root_id=root["id"]) for i in range(3)]
    response = client.get(API + "/posts/%s/thread" % root["id"], headers=auth(w.dave))
    assert response.status_code == 200
    body = response.get_json()
    assert body["order"][0] == root["id"] and set(body["order"]) == {root["id"]} | {r["id"] for r in replies}
    assert body["posts"][root["id"]]["reply_count"] == 3 and "ETag" in response.headers
    # a reply's thread is the same thread, the reply first
    body = client.get(API + "/posts/%s/thread" % replies[1]["id"], headers=auth(w.alice)).get_json()
    assert body["order"][0] == replies[1]["id"] and len(body["order"]) == 4
    # paging down from the root
    body = client.get(API + "/posts/%s/thread?perPage=2&direction=down&fromCreateAt=%d"
                      % (root["id"], root["create_at"]), headers=auth(w.alice)).get_json()
    assert body["order"] == [root["id"], replies[0]["id"], replies[1]["id"]] and body["has_next"] is True
    body = client.get(API + "/posts/%s/thread?perPage=2&direction=down&fromCreateAt=%d&fromPost=%s"
                      % (root["id"], replies[1]["create_at"], replies[1]["id"]), headers=auth(w.alice)).get_json()
    assert body["order"] == [root["id"], replies[2]["id"]] and body["has_next"] is False
    body = client.get(API + "/posts/%s/thread?collapsedThreads=true" % root["id"], headers=auth(w.alice)).get_json()
    assert len(body["order"]) == 4
    for query in ("perPage=201", "direction=sideways", "fromPost=%s" % root["id"], "perPage=x",
                  "updatesOnly=true", "fromUpdateAt=5&fromCreateAt=5"):
        response = client.get(API + "/posts/%s/thread?%s" % (root["id"], query), headers=auth(w.alice))
        assert response.status_code == 400, query
    assert client.get(API + "/posts/%s/thread" % NO_ID, headers=auth(w.alice)).status_code == 404
    assert client.get(API + "/posts/%s/thread" % root["id"], headers=auth(w.carol)).status_code == 403
    private = post(client, w.alice, w.private.id, "hidden")
    assert client.get(API + "/posts/%s/thread" % private["id"], headers=auth(w.dave)).status_code == 403


# ---------------------------------------------------------------------------
# A channel's posts

def test_channel_pages_cursors_and_etag(client, w, app):
    channel = fresh_channel(app, w, w.alice, w.bob)
    made = [post(client, w.alice, channel.id, "m%d" % i) for i in range(5)]
    reply = post(client, w.bob, channel.id, "reply", root_id=made[0]["id"])
    url = API + "/channels/%s/posts" % channel.id
    response = client.get(url, headers=auth(w.bob))
    body = response.get_json()
    assert body["order"] == [reply["id"]] + [m["id"] for m in reversed(made)]
    assert body["next_post_id"] == "" and body["prev_post_id"] == "" and "has_next" not in body
    etag = response.headers["ETag"]
    assert client.get(url, headers={**auth(w.bob), "If-None-Match": etag}).status_code == 304
    # paging: newest two, then the next two; cursors name the neighbours
    body = client.get(url + "?per_page=2", headers=auth(w.bob)).get_json()
    assert body["order"] == [reply["id"], made[4]["id"]]
    assert body["prev_post_id"] == made[3]["id"] and body["next_post_id"] == ""
    body = client.get(url + "?per_page=2&page=1", headers=auth(w.bob)).get_json()
    assert body["order"] == [made[3]["id"], made[2]["id"]]
    assert body["next_post_id"] == made[4]["id"] and body["prev_post_id"] == made[1]["id"]
    # the page with the reply brings its root along outside the order
    body = client.get(url + "?per_page=1", headers=auth(w.bob)).get_json()
    assert body["order"] == [reply["id"]] and made[0]["id"] in body["posts"]
    # before and after a post
    body = client.get(url + "?before=%s&per_page=2" % made[3]["id"], headers=auth(w.bob)).get_json()
    assert body["order"] == [made[2]["id"], made[1]["id"]]
    assert body["next_post_id"] == made[3]["id"] and body["prev_post_id"] == made[0]["id"]
    body = client.get(url + "?before=%s&per_page=5" % made[1]["id"], headers=auth(w.bob)).get_json()
    assert body["order"] == [made[0]["id"]] and body["prev_post_id"] == ""
    body = client.get(url + "?after=%s&per_page=2" % made[1]["id"], headers=auth(w.bob)).get_json()
    assert body["order"] == [made[3]["id"], made[2]["id"]]
    assert body["prev_post_id"] == made[1]["id"] and body["next_post_id"] == made[4]["id"]
    body = client.get(url + "?after=%s&per_page=10" % made[3]["id"], headers=auth(w.bob)).get_json()
    assert body["order"] == [reply["id"], made[4]["id"]] and body["next_post_id"] == ""
    # since: what changed after a time (cursors empty)
    body = client.get(url + "?since=%d" % made[3]["create_at"], headers=auth(w.bob)).get_json()
    assert set(body["order"]) >= {made[4]["id"], reply["id"]} and made[1]["id"] not in body["order"]
    assert body["next_post_id"] == "" and body["prev_post_id"] == ""
    # collapsed threads: root posts only
    body = client.get(url + "?collapsedThreads=true", headers=auth(w.bob)).get_json()
    assert reply["id"] not in body["order"] and len(body["order"]) == 5
    # a new post changes the ETag
    post(client, w.alice, channel.id, "newer")
    assert client.get(url, headers={**auth(w.bob), "If-None-Match": etag}).status_code == 200


def test_channel_posts_errors_and_privacy(client, w):
    url = API + "/channels/%s/posts"
    assert client.get(url % w.public.id).status_code == 401
    assert client.get(url % "bad", headers=auth(w.alice)).status_code == 400
    assert client.get((url % w.public.id) + "?after=bad", headers=auth(w.alice)).status_code == 400
    assert client.get((url % w.public.id) + "?before=bad", headers=auth(w.alice)).status_code == 400
    assert client.get(url % NO_ID, headers=auth(w.alice)).status_code == 404
    deleted = client.get((url % w.public.id) + "?include_deleted=true", headers=auth(w.alice))
    assert deleted.status_code == 403
    assert client.get((url % w.public.id) + "?include_deleted=true", headers=auth(w.admin)).status_code == 200
    for who, channel in ((w.dave, w.private), (w.dave, w.dm), (w.carol, w.public)):
        response = client.get(url % channel.id, headers=auth(who))
        assert response.status_code == 403, (who, channel.id)
    assert client.get(url % w.public.id, headers=auth(w.dave)).status_code == 200


def test_posts_around_last_unread(client, w, app):
    channel = fresh_channel(app, w, w.alice, w.bob)
    read = [post(client, w.bob, channel.id, "read%d" % i) for i in range(3)]
    client.post(API + "/channels/members/me/view", json={"channel_id": channel.id}, headers=auth(w.alice))
    time.sleep(0.01)
    fresh = [post(client, w.bob, channel.id, "new%d" % i) for i in range(3)]
    url = API + "/users/me/channels/%s/posts/unread" % channel.id
    body = client.get(url + "?limit_before=2&limit_after=2", headers=auth(w.alice)).get_json()
    assert body["order"] == [fresh[1]["id"], fresh[0]["id"], read[2]["id"], read[1]["id"]]
    assert body["next_post_id"] == fresh[2]["id"] and body["prev_post_id"] == read[0]["id"]
    # nothing unread: the newest page
    client.post(API + "/channels/members/me/view", json={"channel_id": channel.id}, headers=auth(w.alice))
    body = client.get(url + "?limit_before=2", headers=auth(w.alice)).get_json()
    assert body["order"] == [fresh[2]["id"], fresh[1]["id"]] and body["next_post_id"] == ""
    assert client.get(url, headers=auth(w.carol)).status_code == 403   # cannot read the channel
    not_member = client.get(url, headers=auth(w.dave))                  # may read it, but has no membership
    assert not_member.status_code == 404 and error_id(not_member) == "app.channel.get_member.missing.app_error"
    other = API + "/users/%s/channels/%s/posts/unread" % (w.alice["user_id"], channel.id)
    assert client.get(other, headers=auth(w.bob)).status_code == 403
    assert client.get(other, headers=auth(w.admin)).status_code == 200
    assert client.get(API + "/users/me/channels/%s/posts/unread" % NO_ID, headers=auth(w.alice)).status_code == 404
    assert client.get(url + "?limit_after=0", headers=auth(w.alice)).status_code == 400
    assert client.get(url).status_code == 401


def test_flagging_needs_a_readable_post(client, w):
    secret = post(client, w.alice, w.private.id, "not for dave")
    response = client.put(API + "/users/me/preferences", headers=auth(w.dave), json=[
        {"user_id": w.dave["user_id"], "category": "flagged_post", "name": secret["id"], "value": "true"}])
    assert response.status_code == 403


# ---------------------------------------------------------------------------
# Flagged posts

def _flag(client, who, post_id):
    """Flag a post as the web app does: a flagged_post preference."""
    response = client.put(API + "/users/me/preferences", headers=auth(who), json=[
        {"user_id": who["user_id"], "category": "flagged_post", "name": post_id, "value": "true"}])
    assert response.status_code == 200, response.data


def test_flagged_posts(client, w, app):
    other_channel = fresh_channel(app, w, w.alice, w.bob)
    first = post(client, w.alice, w.public.id, "flag me")
    second = post(client, w.alice, other_channel.id, "and me")
    direct = post(client, w.alice, w.dm.id, "dm flag")
    for made in (first, second, direct):
        _flag(client, w.bob, made["id"])
    url = API + "/users/me/posts/flagged"
    body = client.get(url, headers=auth(w.bob)).get_json()
    assert body["order"][:3] == [direct["id"], second["id"], first["id"]]
    body = client.get(url + "?channel_id=%s" % other_channel.id, headers=auth(w.bob)).get_json()
    assert body["order"] == [second["id"]]
    body = client.get(url + "?team_id=%s" % w.other.id, headers=auth(w.bob)).get_json()
    assert direct["id"] in body["order"] and first["id"] not in body["order"]
    body = client.get(url + "?per_page=1", headers=auth(w.bob)).get_json()
    assert body["order"] == [direct["id"]]
    # leaving the channel hides its flagged posts
    with app.app_context():
        store_channels.remove_member(other_channel.id, w.bob["user_id"])
    body = client.get(url, headers=auth(w.bob)).get_json()
    assert second["id"] not in body["order"]
    assert client.get(API + "/users/%s/posts/flagged" % w.bob["user_id"], headers=auth(w.alice)).status_code == 403
    assert client.get(API + "/users/bad/posts/flagged", headers=auth(w.alice)).status_code == 400
    assert client.get(url).status_code == 401


# ---------------------------------------------------------------------------
# Post info, files, actions

def test_post_info(client, w):
    public = post(client, w.alice, w.public.id, "info")
    private = post(client, w.alice, w.private.id, "info")
    direct = post(client, w.alice, w.dm.id, "info")
    body = client.get(API + "/posts/%s/info" % public["id"], headers=auth(w.dave)).get_json()
    assert body["channel_id"] == w.public.id and body["has_joined_channel"] is False
    assert body["team_id"] == w.team.id and body["has_joined_team"] is True and body["channel_type"] == "O"
    body = client.get(API + "/posts/%s/info" % public["id"], headers=auth(w.carol)).get_json()
    assert body["has_joined_team"] is False            # an open team carol may join
    for who, made in ((w.dave, private), (w.dave, direct), (w.carol, direct)):
        response = client.get(API + "/posts/%s/info" % made["id"], headers=auth(who))
        assert response.status_code == 404 and error_id(response) == "app.post.get.app_error"
    body = client.get(API + "/posts/%s/info" % direct["id"], headers=auth(w.bob)).get_json()
    assert body["channel_type"] == "D" and body["has_joined_channel"] is True and "team_id" not in body
    assert client.get(API + "/posts/%s/info" % NO_ID, headers=auth(w.alice)).status_code == 404
    assert client.get(API + "/posts/bad/info", headers=auth(w.alice)).status_code == 400


def test_file_infos_for_post(client, w):
    made = post(client, w.alice, w.public.id, "no files")
    response = client.get(API + "/posts/%s/files/info" % made["id"], headers=auth(w.bob))
    assert response.status_code == 200 and response.get_json() == []
    assert client.get(API + "/posts/%s/files/info" % made["id"], headers=auth(w.carol)).status_code == 403
    assert client.get(API + "/posts/%s/files/info" % NO_ID, headers=auth(w.alice)).status_code == 403
    assert client.get(API + "/posts/%s/files/info?include_deleted=true" % made["id"],
                      headers=auth(w.alice)).status_code == 403
    assert client.get(API + "/posts/%s/files/info?include_deleted=true" % made["id"],
                      headers=auth(w.admin)).status_code == 200


def test_post_actions(client, w):
    made = post(client, w.alice, w.public.id, "buttons", props={"attachments": [{"actions": [
        {"id": "go", "name": "Go", "integration": {"url": "http://127.0.0.1:9/hook", "context": {}}}]}]})
    missing = client.post(API + "/posts/%s/actions/nope" % made["id"], headers=auth(w.bob))
    assert missing.status_code == 404 and error_id(missing) == "api.post.do_action.action_id.app_error"
    internal = client.post(API + "/posts/%s/actions/go" % made["id"], headers=auth(w.bob))
    assert internal.status_code == 400 and error_id(internal) == "api.post.do_action.action_integration.app_error"
    assert client.post(API + "/posts/%s/actions/go" % made["id"], headers=auth(w.carol)).status_code == 403
    assert client.post(API + "/posts/%s/actions/go" % NO_ID, headers=auth(w.bob)).status_code == 403
    # the integration is stripped from posts by id
    listed = client.post(API + "/posts/ids", json=[made["id"]], headers=auth(w.bob)).get_json()
    assert "integration" not in listed[0]["props"]["attachments"][0]["actions"][0]


def test_unlicensed_features(client, w):
    made = post(client, w.alice, w.public.id, "plain")
    burn = client.delete(API + "/posts/%s/burn" % made["id"], headers=auth(w.bob))
    assert burn.status_code == 400 and error_id(burn) == "app.burn_post.not_burn_on_read.app_error"
    outsider = client.delete(API + "/posts/%s/burn" % made["id"], headers=auth(w.dave))
    assert outsider.status_code == 403 and error_id(outsider) == "api.post.burn_post.user_not_in_channel.app_error"
    assert client.delete(API + "/posts/%s/burn" % NO_ID, headers=auth(w.bob)).status_code == 404
    reveal = client.get(API + "/posts/%s/reveal" % made["id"], headers=auth(w.bob))
    assert reveal.status_code == 501 and error_id(reveal) == "api.post.reveal_post.disabled.app_error"
    bor = client.post(API + "/posts", json={"channel_id": w.public.id, "message": "x", "type": "burn_on_read"},
                      headers=auth(w.alice))
    assert bor.status_code == 501
    rewrite = client.post(API + "/posts/rewrite", json={"agent_id": "bad", "message": "m", "action": "shorten"},
                          headers=auth(w.alice))
    assert rewrite.status_code == 400 and error_id(rewrite) == "api.context.invalid_param.app_error"
    rewrite = client.post(API + "/posts/rewrite", json={"agent_id": NO_ID, "message": "m", "action": "shorten"},
                          headers=auth(w.alice))
    assert rewrite.status_code == 501 and error_id(rewrite) == "app.ai.rewrite.agent_call_failed"
