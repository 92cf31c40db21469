"""The WebSocket events of posts, reactions, emoji and threads (ws/post_events.py):
who hears each one and the exact fields of its data, with the data
Mattermost encodes as JSON strings sent as strings. Fake connections on the
hub record what they are pushed after REST calls through the Flask test
client (the LocalBus delivers in-process, after commit); one test runs the
real server with websocket clients."""
import io
import json
import time

import pytest
from PIL import Image

from conftest import api_request, auth, person, running_server, unique
from store import channels as store_channels, teams, users
from store.ids import new_id

API = "/api/v4"
POSTED_FIELDS = {"channel_display_name", "channel_name", "channel_type", "post", "sender_name", "team_id",
                 "set_online"}


class World:
    pass


_user = person


@pytest.fixture(scope="module")
def w(app, admin):
    client = app.test_client()
    world = World()
    world.admin = admin
    world.admin["username"] = "firstadmin"
    world.alice, world.bob, world.carol, world.dave = (_user(client, admin) for _ in range(4))
    with app.app_context():
        admin_user, alice, bob, carol = (users.get(x["user_id"]) for x in
                                         (world.admin, world.alice, world.bob, world.carol))
        world.team = teams.create({"display_name": "T", "name": unique("team"), "type": "O"})
        for u in (admin_user, alice, bob, carol):
            teams.add_member(world.team, u)
        world.public = store_channels.create({"team_id": world.team.id, "type": "O", "name": unique("pub"),
                                              "display_name": "Pub"}, creator=alice)
        store_channels.add_member(world.public, bob)
        world.private = store_channels.create({"team_id": world.team.id, "type": "P", "name": unique("priv"),
                                               "display_name": "Priv"}, creator=alice)
        store_channels.add_member(world.private, bob)
        store_channels.add_member(world.private, admin_user)
        world.dm, _ = store_channels.get_or_create_direct(alice, bob)
        world.gm = store_channels.get_or_create_group([alice, bob, carol], alice.id)
        if isinstance(world.gm, tuple):
            world.gm = world.gm[0]
    return world


def post(client, who, channel_id, message="hello", **extra):
    response = client.post(API + "/posts", json={"channel_id": channel_id, "message": message, **extra},
                           headers=auth(who))
    assert response.status_code == 201, response.data
    return response.get_json()


def only(fake, event):
    found = fake.named(event)
    assert len(found) == 1, [m["event"] for m in fake.got if isinstance(m, dict)]
    return found[0]


# ---------------------------------------------------------------------------
# posted

def test_posted_reaches_members_with_mattermost_fields(client, w, listen):
    fakes = listen(w.alice, w.bob, w.carol, w.dave)
    answer = post(client, w.alice, w.public.id, "hello @%s" % w.bob["username"], pending_post_id="p-" + new_id())
    assert fakes[w.carol["user_id"]].got == [] and fakes[w.dave["user_id"]].got == []
    own = only(fakes[w.alice["user_id"]], "posted")
    assert set(own["data"]) == POSTED_FIELDS
    data = own["data"]
    assert data["channel_type"] == "O" and data["channel_name"] == w.public.name
    assert data["channel_display_name"] == "Pub" and data["team_id"] == w.team.id
    assert data["sender_name"] == "@" + w.alice["username"] and data["set_online"] is True
    assert isinstance(data["post"], str)
    sent = json.loads(data["post"])
    assert sent["id"] == answer["id"] and sent["message"] == answer["message"]
    assert sent["pending_post_id"] == answer["pending_post_id"] and "metadata" in sent
    assert own["broadcast"]["channel_id"] == w.public.id
    mentioned = only(fakes[w.bob["user_id"]], "posted")
    assert set(mentioned["data"]) == POSTED_FIELDS | {"mentions"}
    assert mentioned["data"]["mentions"] == json.dumps([w.bob["user_id"]])
    assert {k: v for k, v in mentioned["data"].items() if k != "mentions"} == data


def test_posted_set_online_false(client, w, listen):
    fakes = listen(w.alice)
    response = client.post(API + "/posts?set_online=false", json={"channel_id": w.public.id, "message": "quiet"},
                           headers=auth(w.alice))
    assert response.status_code == 201, response.data
    assert only(fakes[w.alice["user_id"]], "posted")["data"]["set_online"] is False


def test_private_channel_posted_never_reaches_a_non_member(client, w, listen):
    fakes = listen(w.alice, w.bob, w.carol)
    post(client, w.alice, w.private.id, "secret")
    assert only(fakes[w.bob["user_id"]], "posted")["data"]["channel_type"] == "P"
    assert fakes[w.carol["user_id"]].got == []


def test_repeated_pending_post_id_sends_no_second_event(client, w, listen):
    fakes = listen(w.alice, w.bob)
    pending = "%s:%d" % (w.alice["user_id"], time.time() * 1000)
    first = post(client, w.alice, w.public.id, "once", pending_post_id=pending)
    again = post(client, w.alice, w.public.id, "once", pending_post_id=pending)
    assert again["id"] == first["id"]
    assert len(fakes[w.bob["user_id"]].named("posted")) == 1
    assert len(fakes[w.alice["user_id"]].named("posted")) == 1


def test_direct_message_reaches_only_its_two_users(client, w, listen):
    fakes = listen(w.alice, w.bob, w.carol, w.admin)
    post(client, w.alice, w.dm.id, "just us")
    assert fakes[w.carol["user_id"]].got == [] and fakes[w.admin["user_id"]].got == []
    data = only(fakes[w.alice["user_id"]], "posted")["data"]
    assert set(data) == POSTED_FIELDS
    assert data["channel_type"] == "D" and data["team_id"] == ""
    assert data["channel_display_name"] == "@" + w.alice["username"]
    other = only(fakes[w.bob["user_id"]], "posted")["data"]
    assert other["mentions"] == json.dumps([w.bob["user_id"]])


def test_group_message_display_name_lists_the_members(client, w, listen):
    fakes = listen(w.alice, w.bob, w.carol, w.dave)
    post(client, w.alice, w.gm.id, "all three")
    assert fakes[w.dave["user_id"]].got == []
    data = only(fakes[w.carol["user_id"]], "posted")["data"]
    names = sorted([w.alice["username"], w.bob["username"], w.carol["username"]])
    assert data["channel_display_name"] == ", ".join(names) and data["channel_type"] == "G"
    assert data["mentions"] == json.dumps([w.carol["user_id"]])


def test_system_messages_are_posted_as_the_system(client, w, listen):
    channel = client.post(API + "/channels", json={"team_id": w.team.id, "name": unique("sys"), "display_name": "S",
                                                   "type": "O"}, headers=auth(w.alice)).get_json()
    fakes = listen(w.alice, w.carol)
    response = client.post(API + "/channels/%s/members" % channel["id"], json={"user_id": w.carol["user_id"]},
                           headers=auth(w.carol))
    assert response.status_code == 201, response.data
    posted = [m for m in fakes[w.alice["user_id"]].named("posted")]
    assert posted, [m["event"] for m in fakes[w.alice["user_id"]].got]
    data = posted[-1]["data"]
    assert json.loads(data["post"])["type"] == "system_join_channel"
    assert data["sender_name"] == "System" and set(data) >= POSTED_FIELDS


def test_channel_mention_without_permission_sends_an_ephemeral_note(app, client, w, listen):
    from store import roles
    with app.app_context():
        role = roles.get_by_name("channel_user")
        granted = role.permissions.split()
        roles.set_permissions(role.id, [p for p in granted if p != "use_channel_mentions"])
    try:
        fakes = listen(w.alice, w.bob)
        post(client, w.bob, w.public.id, "hey @channel")
        note = only(fakes[w.bob["user_id"]], "ephemeral_message")
        assert fakes[w.alice["user_id"]].named("ephemeral_message") == []
        assert set(note["data"]) == {"post"}
        body = json.loads(note["data"]["post"])
        assert body["type"] == "system_ephemeral" and body["props"]["mentionHighlightDisabled"] is True
        assert body["channel_id"] == w.public.id and body["user_id"] == w.bob["user_id"]
        assert note["broadcast"]["user_id"] == w.bob["user_id"]
    finally:
        with app.app_context():
            roles.set_permissions(role.id, granted)


def test_mentioning_someone_outside_the_channel_sends_an_ephemeral_note(client, w, listen):
    fakes = listen(w.alice, w.carol, w.dave)
    post(client, w.alice, w.private.id, "ping @%s and @%s." % (w.carol["username"], w.dave["username"]))
    assert fakes[w.carol["user_id"]].got == [] and fakes[w.dave["user_id"]].got == []
    notes = fakes[w.alice["user_id"]].named("ephemeral_message")
    assert len(notes) == 2
    in_team = json.loads(notes[0]["data"]["post"])
    assert in_team["props"]["add_channel_member"]["not_in_channel_user_ids"] == [w.carol["user_id"]]
    assert w.carol["username"] in in_team["message"] and in_team["channel_id"] == w.private.id
    assert w.dave["username"] in json.loads(notes[1]["data"]["post"])["message"]


def test_ephemeral_post_reaches_only_its_user(client, w, listen):
    fakes = listen(w.alice, w.bob)
    body = {"user_id": w.bob["user_id"], "post": {"channel_id": w.public.id, "message": "psst"}}
    response = client.post(API + "/posts/ephemeral", json=body, headers=auth(w.admin))
    assert response.status_code == 201, response.data
    assert fakes[w.alice["user_id"]].got == []
    event = only(fakes[w.bob["user_id"]], "ephemeral_message")
    assert set(event["data"]) == {"post"} and isinstance(event["data"]["post"], str)
    assert json.loads(event["data"]["post"])["id"] == response.get_json()["id"]
    assert event["broadcast"]["user_id"] == w.bob["user_id"]
    assert event["broadcast"]["channel_id"] == w.public.id


# ---------------------------------------------------------------------------
# Edits, pins, deletes, unread

def test_edit_and_pin_send_post_edited_to_the_channel(client, w, listen):
    made = post(client, w.alice, w.private.id, "first")
    fakes = listen(w.alice, w.bob, w.carol)
    response = client.put(API + "/posts/%s/patch" % made["id"], json={"message": "second"}, headers=auth(w.alice))
    assert response.status_code == 200, response.data
    event = only(fakes[w.bob["user_id"]], "post_edited")
    assert set(event["data"]) == {"post"} and json.loads(event["data"]["post"])["message"] == "second"
    assert event["broadcast"]["channel_id"] == w.private.id
    assert client.post(API + "/posts/%s/pin" % made["id"], headers=auth(w.bob)).status_code == 200
    edits = fakes[w.alice["user_id"]].named("post_edited")
    assert len(edits) == 2 and json.loads(edits[-1]["data"]["post"])["is_pinned"] is True
    assert fakes[w.carol["user_id"]].got == []


def test_delete_sends_post_deleted_with_delete_by_to_admins_only(client, w, listen):
    made = post(client, w.alice, w.private.id, "to go")
    fakes = listen(w.alice, w.bob, w.carol, w.admin)
    assert client.delete(API + "/posts/" + made["id"], headers=auth(w.alice)).status_code == 200
    plain = only(fakes[w.bob["user_id"]], "post_deleted")
    assert set(plain["data"]) == {"post"} and json.loads(plain["data"]["post"])["id"] == made["id"]
    assert set(only(fakes[w.alice["user_id"]], "post_deleted")["data"]) == {"post"}
    for_admin = only(fakes[w.admin["user_id"]], "post_deleted")
    assert set(for_admin["data"]) == {"post", "delete_by"}
    assert for_admin["data"]["delete_by"] == w.alice["user_id"]
    assert for_admin["data"]["post"] == plain["data"]["post"]
    assert fakes[w.carol["user_id"]].got == []


def test_set_unread_sends_post_unread_to_that_user(client, w, listen):
    made = post(client, w.alice, w.private.id, "read me later")
    fakes = listen(w.alice, w.bob)
    response = client.post(API + "/users/%s/posts/%s/set_unread" % (w.bob["user_id"], made["id"]),
                           headers=auth(w.bob))
    assert response.status_code == 200, response.data
    assert fakes[w.alice["user_id"]].got == []
    event = only(fakes[w.bob["user_id"]], "post_unread")
    assert set(event["data"]) == {"msg_count", "msg_count_root", "mention_count", "mention_count_root",
                                  "urgent_mention_count", "last_viewed_at", "post_id"}
    assert event["data"]["post_id"] == made["id"]
    assert event["data"]["last_viewed_at"] == response.get_json()["last_viewed_at"]
    assert all(isinstance(v, int) for k, v in event["data"].items() if k != "post_id")
    assert event["broadcast"]["user_id"] == w.bob["user_id"]
    assert event["broadcast"]["channel_id"] == w.private.id and event["broadcast"]["team_id"] == w.team.id


# ---------------------------------------------------------------------------
# Reactions and emoji

def test_reactions_go_to_the_channel_as_json_strings(client, w, listen):
    made = post(client, w.alice, w.private.id, "react")
    fakes = listen(w.alice, w.bob, w.carol)
    body = {"user_id": w.bob["user_id"], "post_id": made["id"], "emoji_name": "smile"}
    answer = client.post(API + "/reactions", json=body, headers=auth(w.bob)).get_json()
    added = only(fakes[w.alice["user_id"]], "reaction_added")
    assert set(added["data"]) == {"reaction"} and isinstance(added["data"]["reaction"], str)
    assert json.loads(added["data"]["reaction"]) == answer
    response = client.delete(API + "/users/%s/posts/%s/reactions/smile" % (w.bob["user_id"], made["id"]),
                             headers=auth(w.bob))
    assert response.status_code == 200
    removed = json.loads(only(fakes[w.bob["user_id"]], "reaction_removed")["data"]["reaction"])
    assert (removed["user_id"], removed["post_id"], removed["emoji_name"]) == (w.bob["user_id"], made["id"], "smile")
    assert removed["channel_id"] == w.private.id
    assert fakes[w.carol["user_id"]].got == []


def _png():
    out = io.BytesIO()
    Image.new("RGB", (16, 16), (10, 200, 30)).save(out, format="PNG")
    return out.getvalue()


def test_emoji_added_reaches_everyone(client, w, listen):
    fakes = listen(w.alice, w.dave)
    name = unique("emo")
    form = {"image": (io.BytesIO(_png()), "e.png"),
            "emoji": json.dumps({"name": name, "creator_id": w.alice["user_id"]})}
    response = client.post(API + "/emoji", data=form, headers=auth(w.alice), content_type="multipart/form-data")
    assert response.status_code == 200, response.data
    for fake in fakes.values():
        event = only(fake, "emoji_added")
        assert set(event["data"]) == {"emoji"} and json.loads(event["data"]["emoji"]) == response.get_json()
        assert event["broadcast"]["user_id"] == "" and event["broadcast"]["channel_id"] == ""


# ---------------------------------------------------------------------------
# Threads

def test_reply_sends_thread_updated_to_followers_and_followers_in_posted(client, w, listen):
    root = post(client, w.alice, w.private.id, "root")
    post(client, w.bob, w.private.id, "first reply", root_id=root["id"])
    fakes = listen(w.alice, w.bob, w.carol)
    reply = post(client, w.bob, w.private.id, "second reply", root_id=root["id"])
    updated = only(fakes[w.alice["user_id"]], "thread_updated")
    assert set(updated["data"]) == {"thread", "previous_unread_mentions", "previous_unread_replies"}
    thread = json.loads(updated["data"]["thread"])
    assert thread["id"] == root["id"] and thread["reply_count"] == 2 and thread["unread_replies"] == 2
    assert updated["data"]["previous_unread_replies"] == 1 and updated["data"]["previous_unread_mentions"] == 0
    assert isinstance(thread["participants"][0], dict) and "username" in thread["participants"][0]
    assert "password" not in thread["participants"][0]
    assert updated["broadcast"]["user_id"] == w.alice["user_id"] and updated["broadcast"]["team_id"] == w.team.id
    mine = json.loads(only(fakes[w.bob["user_id"]], "thread_updated")["data"]["thread"])
    assert mine["unread_replies"] == 0 and mine["unread_mentions"] == 0
    posted = only(fakes[w.alice["user_id"]], "posted")["data"]
    assert posted["followers"] == json.dumps([w.alice["user_id"]])
    assert json.loads(posted["post"])["id"] == reply["id"]
    assert "followers" not in only(fakes[w.bob["user_id"]], "posted")["data"]
    assert fakes[w.carol["user_id"]].got == []


def thread_url(who, team_id, thread_id, rest=""):
    return API + "/users/%s/teams/%s/threads/%s%s" % (who["user_id"], team_id, thread_id, rest)


def test_follow_read_and_team_read_events(client, w, listen):
    root = post(client, w.alice, w.private.id, "root")
    reply = post(client, w.bob, w.private.id, "reply @%s" % w.alice["username"], root_id=root["id"])
    fakes = listen(w.alice, w.bob)
    alice = fakes[w.alice["user_id"]]
    assert client.delete(thread_url(w.alice, w.team.id, root["id"], "/following"),
                         headers=auth(w.alice)).status_code == 200
    stopped = only(alice, "thread_follow_changed")
    assert stopped["data"] == {"thread_id": root["id"], "state": False, "reply_count": 1}
    assert stopped["broadcast"]["user_id"] == w.alice["user_id"]
    assert client.put(thread_url(w.alice, w.team.id, root["id"], "/following"),
                      headers=auth(w.alice)).status_code == 200
    assert alice.named("thread_follow_changed")[-1]["data"]["state"] is True
    response = client.post(thread_url(w.alice, w.team.id, root["id"], "/set_unread/" + reply["id"]),
                           headers=auth(w.alice))
    assert response.status_code == 200, response.data
    changed = only(alice, "thread_read_changed")
    assert set(changed["data"]) == {"thread_id", "timestamp", "unread_mentions", "unread_replies", "channel_id",
                                    "previous_unread_mentions", "previous_unread_replies"}
    assert changed["data"]["thread_id"] == root["id"] and changed["data"]["channel_id"] == w.private.id
    assert changed["data"]["timestamp"] == reply["create_at"] - 1
    assert changed["data"]["unread_replies"] == 1 and changed["data"]["unread_mentions"] == 1
    assert changed["data"]["previous_unread_replies"] == 0
    assert client.put(API + "/users/%s/teams/%s/threads/read" % (w.alice["user_id"], w.team.id),
                      headers=auth(w.alice)).status_code == 200
    team_read = alice.named("thread_read_changed")[-1]
    assert team_read["data"] == {} and team_read["broadcast"]["team_id"] == w.team.id
    assert fakes[w.bob["user_id"]].got == []


# ---------------------------------------------------------------------------
# End to end: the real server and websocket clients

_request = api_request


@pytest.fixture
def server(tmp_path):
    with running_server(tmp_path, {"MM_PYTHONSETTINGS_PASSWORDWORKFACTOR": "1000"}) as (base, _):
        yield base


def test_posted_over_a_real_websocket_counts_seq_without_gaps(server):
    import websocket
    _request(server, "POST", "/api/v4/users", {"username": "wsadmin", "email": "wsadmin@example.com",
                                               "password": "correct-horse-9"})
    me, headers = _request(server, "POST", "/api/v4/users/login",
                           {"login_id": "wsadmin", "password": "correct-horse-9"})
    token = headers["Token"]
    team, _ = _request(server, "POST", "/api/v4/teams", {"name": "wsteam", "display_name": "WS", "type": "O"},
                       token)
    channel, _ = _request(server, "POST", "/api/v4/channels",
                          {"team_id": team["id"], "name": "wschan", "display_name": "WS", "type": "O"}, token)
    ws = websocket.create_connection(server.replace("http", "ws") + "/api/v4/websocket", timeout=10,
                                     header=["Authorization: Bearer " + token])
    try:
        hello = json.loads(ws.recv())
        assert hello["event"] == "hello" and hello["seq"] == 0
        sent = [_request(server, "POST", "/api/v4/posts", {"channel_id": channel["id"], "message": "m%d" % i},
                         token)[0]["id"] for i in range(3)]
        got = []
        deadline = time.time() + 10
        while len([m for m in got if m.get("event") == "posted"]) < 3 and time.time() < deadline:
            got.append(json.loads(ws.recv()))
        events = [m for m in got if "event" in m]
        assert [m["seq"] for m in events] == list(range(1, len(events) + 1))
        posted = [m for m in events if m["event"] == "posted"]
        assert [json.loads(m["data"]["post"])["id"] for m in posted] == sent
        assert all(m["data"]["sender_name"] == "@wsadmin" and m["data"]["team_id"] == team["id"] for m in posted)
        assert all(m["broadcast"]["channel_id"] == channel["id"] for m in posted)
    finally:
        ws.close()
