"""End to end with Mattermost's Python driver (`mattermostdriver`, unmodified).

A real server (`python -m api.cli serve`) per store; four people sign up and
log in through the driver and spend a day: users, statuses, teams, channels,
direct and group messages, posts, replies, reactions, files, search,
preferences and threads, over REST, while the driver's own websocket loop
(in a thread each) receives the events every step produces.

Where the driver and the server disagree, the server is what changes.
"""
import io
import json

import PIL.Image
import pytest
import requests
from mattermostdriver import exceptions

from conftest import PASSWORD, running_server
from e2e_driver_support import Events, driver_for


# ---------------------------------------------------------------------------
# The server and the people

class World:
    pass


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def world(request, tmp_path_factory):
    env = {"MM_PYTHONSETTINGS_PASSWORDWORKFACTOR": "1000",
           "MM_PYTHONSETTINGS_LOGINRATELIMITMAXBURST": "100000"}
    if request.param == "postgres":
        env.update(MM_SQLSETTINGS_DRIVERNAME="postgres",
                   MM_SQLSETTINGS_DATASOURCE=request.getfixturevalue("postgres_server").new_database())
    tmp_path = tmp_path_factory.mktemp("e2e-driver-" + request.param)
    with running_server(tmp_path, env, timeout=60, quiet=True) as (base, _):
        w = World()
        w.base = base
        # The first account needs no session, and becomes the system admin.
        anonymous = driver_for(base)
        first = anonymous.users.create_user({"username": "alice", "email": "alice@example.com",
                                             "password": PASSWORD})
        assert first["username"] == "alice" and "system_admin" in first["roles"]
        # The server is not open: nobody else signs up without a session...
        with pytest.raises(exceptions.NotEnoughPermissions):
            anonymous.users.create_user({"username": "mallory", "email": "mallory@example.com",
                                         "password": PASSWORD})
        w.alice = driver_for(base, "alice", PASSWORD)
        assert w.alice.client.userid == first["id"] and w.alice.client.username == "alice"
        # ... so the admin creates the others.
        for name in ("bob", "carol", "dave"):
            created = w.alice.users.create_user({"username": name, "email": name + "@example.com",
                                                 "password": PASSWORD, "first_name": name.title()})
            assert created["username"] == name and created["roles"] == "system_user"
            assert "password" not in created
            setattr(w, name, driver_for(base, name, PASSWORD))
        w.ids = {name: getattr(w, name).client.userid for name in ("alice", "bob", "carol", "dave")}
        # Type and allow_open_invite are kept in step, as Mattermost does.
        team = w.alice.teams.create_team({"name": "daylight", "display_name": "Daylight", "type": "O",
                                          "allow_open_invite": True})
        assert team["name"] == "daylight" and team["type"] == "O" and team["allow_open_invite"] is True
        w.team_id = team["id"]
        w.events = {}
        try:
            for name in ("alice", "bob", "carol"):
                w.events[name] = Events(getattr(w, name), name)
            yield w
        finally:
            for events in w.events.values():
                events.close()


def _drain(w):
    for events in w.events.values():
        events.drain()


def _posted(post_id):
    return lambda m: json.loads(m["data"]["post"])["id"] == post_id


# ---------------------------------------------------------------------------
# The day

def test_websocket_hello(world):
    for name, events in world.events.items():
        assert events.hello["seq"] == 0
        assert events.hello["broadcast"]["user_id"] == world.ids[name]
        assert events.hello["data"]["server_version"]
        assert events.hello["data"]["connection_id"]


def test_users(world):
    w = world
    me = w.bob.users.get_user("me")
    assert me["id"] == w.ids["bob"] and me["username"] == "bob" and me["email"] == "bob@example.com"
    assert w.bob.users.get_user_by_username("carol")["id"] == w.ids["carol"]
    found = w.bob.users.search_users({"term": "car"})
    assert [u["username"] for u in found] == ["carol"]
    assert {u["username"] for u in w.bob.users.get_users_by_usernames(["alice", "dave"])} == {"alice", "dave"}
    patched = w.bob.users.patch_user(w.ids["bob"], {"nickname": "Bobby", "position": "tester"})
    assert patched["nickname"] == "Bobby" and patched["position"] == "tester"
    assert w.carol.users.get_user(w.ids["bob"])["nickname"] == "Bobby"
    # Everyone hears about a profile change.
    w.events["carol"].wait("user_updated", lambda m: m["data"]["user"]["id"] == w.ids["bob"])
    with pytest.raises(exceptions.NotEnoughPermissions):
        w.bob.users.patch_user(w.ids["carol"], {"nickname": "not yours"})
    with pytest.raises(exceptions.ResourceNotFound):
        w.bob.users.get_user_by_username("nobody")


def test_statuses(world):
    w = world
    _drain(w)
    status = w.bob.status.update_user_status(w.ids["bob"], {"user_id": w.ids["bob"], "status": "dnd"})
    assert status["user_id"] == w.ids["bob"] and status["status"] == "dnd"
    event = w.events["bob"].wait("status_change", lambda m: m["data"]["status"] == "dnd")
    assert event["data"]["user_id"] == w.ids["bob"]
    assert w.carol.status.get_user_status(w.ids["bob"])["status"] == "dnd"
    statuses = w.carol.status.get_user_statuses_by_id([w.ids["bob"], w.ids["alice"]])
    assert {s["user_id"]: s["status"] for s in statuses}[w.ids["bob"]] == "dnd"
    with pytest.raises(exceptions.NotEnoughPermissions):
        w.carol.status.update_user_status(w.ids["bob"], {"user_id": w.ids["bob"], "status": "away"})
    w.bob.status.update_user_status(w.ids["bob"], {"user_id": w.ids["bob"], "status": "online"})
    w.events["bob"].wait("status_change", lambda m: m["data"]["status"] == "online")


def test_teams(world):
    w = world
    _drain(w)
    for name in ("bob", "carol"):
        member = w.alice.teams.add_user_to_team(w.team_id, {"team_id": w.team_id, "user_id": w.ids[name]})
        assert member["team_id"] == w.team_id and member["user_id"] == w.ids[name]
        w.events[name].wait("added_to_team", lambda m: m["data"]["team_id"] == w.team_id)
    members = w.bob.teams.get_team_members(w.team_id)
    assert {m["user_id"] for m in members} == {w.ids["alice"], w.ids["bob"], w.ids["carol"]}
    assert w.bob.teams.get_team_member(w.team_id, w.ids["carol"])["roles"] == "team_user"
    assert [t["id"] for t in w.bob.teams.get_user_teams(w.ids["bob"])] == [w.team_id]
    assert w.bob.teams.get_team_by_name("daylight")["id"] == w.team_id
    one = w.bob.teams.get_unreads_for_team(w.ids["bob"], w.team_id)
    assert one["team_id"] == w.team_id and one["mention_count"] == 0
    assert [u["team_id"] for u in w.bob.teams.get_team_unreads_for_user(w.ids["bob"])] == [w.team_id]
    # dave is not a member: the team's members are not his to list.
    with pytest.raises(exceptions.NotEnoughPermissions):
        w.dave.teams.get_team_members(w.team_id)
    w.world_town_square = w.bob.channels.get_channel_by_name(w.team_id, "town-square")
    assert w.world_town_square["type"] == "O"


def test_public_and_private_channels(world):
    w = world
    _drain(w)
    public = w.alice.channels.create_channel({"team_id": w.team_id, "name": "lunch", "display_name": "Lunch",
                                              "type": "O", "purpose": "food"})
    assert public["type"] == "O" and public["name"] == "lunch" and public["creator_id"] == w.ids["alice"]
    private = w.alice.channels.create_channel({"team_id": w.team_id, "name": "plans", "display_name": "Plans",
                                               "type": "P"})
    assert private["type"] == "P"
    w.lunch, w.plans = public["id"], private["id"]

    added = w.alice.channels.add_user(w.plans, {"user_id": w.ids["bob"]})
    assert added["channel_id"] == w.plans and added["user_id"] == w.ids["bob"]
    event = w.events["bob"].wait("user_added", lambda m: m["broadcast"]["channel_id"] == w.plans)
    assert event["data"]["user_id"] == w.ids["bob"] and event["data"]["team_id"] == w.team_id
    for name in ("bob", "carol"):
        w.alice.channels.add_user(w.lunch, {"user_id": w.ids[name]})
    w.events["carol"].wait("user_added", lambda m: m["broadcast"]["channel_id"] == w.lunch
                           and m["data"]["user_id"] == w.ids["carol"])
    members = w.bob.channels.get_channel_members(w.plans)
    assert {m["user_id"] for m in members} == {w.ids["alice"], w.ids["bob"]}

    # Get by name: the private one is invisible to a non-member.
    assert w.bob.channels.get_channel_by_name(w.team_id, "plans")["id"] == w.plans
    assert w.carol.channels.get_channel_by_name(w.team_id, "lunch")["id"] == w.lunch
    assert w.carol.channels.get_channel_by_name_and_team_name("daylight", "lunch")["id"] == w.lunch
    with pytest.raises((exceptions.NotEnoughPermissions, exceptions.ResourceNotFound)):
        w.carol.channels.get_channel_by_name(w.team_id, "plans")
    with pytest.raises(exceptions.NotEnoughPermissions):
        w.carol.channels.get_channel(w.plans)
    mine = {c["id"] for c in w.bob.channels.get_channels_for_user(w.ids["bob"], w.team_id)}
    assert {w.lunch, w.plans} <= mine
    assert w.plans not in {c["id"] for c in w.carol.channels.get_channels_for_user(w.ids["carol"], w.team_id)}

    # A member added, then removed.
    w.alice.channels.add_user(w.plans, {"user_id": w.ids["carol"]})
    w.events["carol"].wait("user_added", lambda m: m["broadcast"]["channel_id"] == w.plans)
    removed = w.alice.channels.remove_channel_member(w.plans, w.ids["carol"])
    assert removed["status"] == "OK"
    event = w.events["carol"].wait("user_removed", lambda m: m["data"].get("channel_id") == w.plans)
    assert event["data"]["remover_id"] == w.ids["alice"]
    w.events["bob"].wait("user_removed", lambda m: m["broadcast"]["channel_id"] == w.plans
                         and m["data"]["user_id"] == w.ids["carol"])
    assert {m["user_id"] for m in w.bob.channels.get_channel_members(w.plans)} == {w.ids["alice"], w.ids["bob"]}


def test_posts_replies_edits_pins_deletes(world):
    w = world
    _drain(w)
    post = w.bob.posts.create_post({"channel_id": w.lunch, "message": "pizza at noon?"})
    assert post["channel_id"] == w.lunch and post["user_id"] == w.ids["bob"] and post["root_id"] == ""
    for name in ("alice", "bob", "carol"):
        event = w.events[name].wait("posted", _posted(post["id"]))
        assert isinstance(event["data"]["post"], str)
        assert json.loads(event["data"]["post"])["message"] == "pizza at noon?"
        assert event["data"]["channel_type"] == "O" and event["data"]["sender_name"] == "@bob"
        assert event["data"]["channel_name"] == "lunch" and event["data"]["channel_display_name"] == "Lunch"
        assert event["data"]["team_id"] == w.team_id
        assert event["broadcast"]["channel_id"] == w.lunch

    reply = w.carol.posts.create_post({"channel_id": w.lunch, "message": "yes, @bob", "root_id": post["id"]})
    assert reply["root_id"] == post["id"]
    event = w.events["bob"].wait("posted", _posted(reply["id"]))
    assert json.loads(event["data"]["mentions"]) == [w.ids["bob"]]

    listing = w.alice.posts.get_posts_for_channel(w.lunch, params={"per_page": 10})
    assert listing["order"][:2] == [reply["id"], post["id"]]
    assert listing["posts"][post["id"]]["message"] == "pizza at noon?"
    thread = w.alice.posts.get_thread(post["id"])
    assert thread["order"][0] == post["id"] and set(thread["order"]) == {post["id"], reply["id"]}
    assert w.alice.posts.get_post(reply["id"])["root_id"] == post["id"]

    edited = w.bob.posts.patch_post(post["id"], {"message": "pizza at one?"})
    assert edited["message"] == "pizza at one?" and edited["edit_at"] > 0
    event = w.events["carol"].wait("post_edited", lambda m: json.loads(m["data"]["post"])["id"] == post["id"])
    assert json.loads(event["data"]["post"])["message"] == "pizza at one?"
    updated = w.bob.posts.update_post(post["id"], {"id": post["id"], "message": "pizza at two?"})
    assert updated["message"] == "pizza at two?"
    with pytest.raises(exceptions.NotEnoughPermissions):
        w.carol.posts.patch_post(post["id"], {"message": "not mine"})

    pinned = w.alice.posts.pin_post_to_channel(post["id"])
    assert pinned["status"] == "OK"
    event = w.events["bob"].wait("post_edited", lambda m: json.loads(m["data"]["post"]).get("is_pinned"))
    assert json.loads(event["data"]["post"])["id"] == post["id"]
    pinned_list = w.carol.channels.get_channel_pinned_posts(w.lunch)
    assert pinned_list["order"] == [post["id"]]
    assert w.alice.posts.unpin_post_to_channel(post["id"])["status"] == "OK"

    # The thread through the threads API, which the driver does not wrap.
    threads = w.bob.client.get("/users/%s/teams/%s/threads" % (w.ids["bob"], w.team_id))
    assert post["id"] in [t["id"] for t in threads["threads"]]
    assert threads["total_unread_threads"] >= 1
    one = w.bob.client.get("/users/%s/teams/%s/threads/%s" % (w.ids["bob"], w.team_id, post["id"]))
    assert one["id"] == post["id"] and one["reply_count"] == 1 and one["unread_replies"] == 1
    read = w.bob.client.put("/users/%s/teams/%s/threads/%s/read/%d" % (
        w.ids["bob"], w.team_id, post["id"], reply["create_at"] + 1))
    assert read["unread_replies"] == 0
    w.events["bob"].wait("thread_read_changed", lambda m: m["data"]["thread_id"] == post["id"])
    assert w.alice.client.delete("/users/%s/teams/%s/threads/%s/following" % (
        w.ids["alice"], w.team_id, post["id"]))["status"] == "OK"
    w.events["alice"].wait("thread_follow_changed", lambda m: m["data"]["thread_id"] == post["id"]
                           and m["data"]["state"] is False)

    deleted = w.carol.posts.delete_post(reply["id"])
    assert deleted["status"] == "OK"
    event = w.events["bob"].wait("post_deleted", lambda m: json.loads(m["data"]["post"])["id"] == reply["id"])
    assert event["broadcast"]["channel_id"] == w.lunch
    with pytest.raises(exceptions.ResourceNotFound):
        w.alice.posts.get_post(reply["id"])
    assert w.alice.posts.get_thread(post["id"])["order"] == [post["id"]]
    w.lunch_post = post


def test_private_channel_posts_reach_members_only(world):
    w = world
    _drain(w)
    secret = w.alice.posts.create_post({"channel_id": w.plans, "message": "surprise party friday"})
    w.events["bob"].wait("posted", _posted(secret["id"]))
    # Events reach a connection in order: once carol hears of a later post,
    # she would already have heard of the private one.
    later = w.alice.posts.create_post({"channel_id": w.lunch, "message": "anyone for coffee?"})
    w.events["carol"].wait("posted", _posted(later["id"]))
    w.events["carol"].absent("posted", _posted(secret["id"]), timeout=0)
    with pytest.raises(exceptions.NotEnoughPermissions):
        w.carol.posts.get_posts_for_channel(w.plans)
    with pytest.raises(exceptions.NotEnoughPermissions):
        w.carol.posts.create_post({"channel_id": w.plans, "message": "let me in"})


def test_typing_and_viewing(world):
    w = world
    _drain(w)
    # The driver sends no websocket actions; typing over REST is the same event.
    assert w.bob.client.post("/users/%s/typing" % w.ids["bob"], {"channel_id": w.lunch})["status"] == "OK"
    event = w.events["carol"].wait("typing", lambda m: m["broadcast"]["channel_id"] == w.lunch)
    assert event["data"]["user_id"] == w.ids["bob"] and event["data"]["parent_id"] == ""
    w.events["bob"].absent("typing")

    # Carol reads lunch; bob writes to her there: one unread message, one mention.
    w.carol.channels.view_channel(w.ids["carol"], {"channel_id": w.lunch})
    w.bob.posts.create_post({"channel_id": w.lunch, "message": "@carol, unread for you"})
    unread = w.carol.channels.get_unread_messages(w.ids["carol"], w.lunch)
    assert unread["channel_id"] == w.lunch and unread["team_id"] == w.team_id
    assert unread["msg_count"] == 1 and unread["mention_count"] == 1
    team_unread = w.carol.teams.get_unreads_for_team(w.ids["carol"], w.team_id)
    assert team_unread["team_id"] == w.team_id and team_unread["mention_count"] == 1
    every_team = w.carol.teams.get_team_unreads_for_user(w.ids["carol"])
    assert [(t["team_id"], t["mention_count"]) for t in every_team] == [(w.team_id, 1)]
    assert w.carol.teams.get_team_unreads_for_user(w.ids["carol"], params={"exclude_team": w.team_id}) == []
    w.events["carol"].drain()

    viewed = w.carol.channels.view_channel(w.ids["carol"], {"channel_id": w.lunch})
    assert viewed["status"] == "OK" and w.lunch in viewed["last_viewed_at_times"]
    # Mattermost 9 replaced channel_viewed with multiple_channels_viewed, sent
    # to the viewer alone.
    event = w.events["carol"].wait("multiple_channels_viewed",
                                   lambda m: w.lunch in m["data"]["channel_times"])
    assert event["broadcast"]["user_id"] == w.ids["carol"]
    assert event["data"]["channel_times"][w.lunch] == viewed["last_viewed_at_times"][w.lunch]
    w.events["carol"].absent("channel_viewed", timeout=0)
    w.events["bob"].absent("multiple_channels_viewed", lambda m: m["broadcast"]["user_id"] != w.ids["bob"])
    unread = w.carol.channels.get_unread_messages(w.ids["carol"], w.lunch)
    assert unread["msg_count"] == 0 and unread["mention_count"] == 0
    assert w.carol.teams.get_unreads_for_team(w.ids["carol"], w.team_id)["mention_count"] == 0
    member = w.carol.channels.get_channel_member(w.lunch, w.ids["carol"])
    assert member["last_viewed_at"] == viewed["last_viewed_at_times"][w.lunch] and member["mention_count"] == 0


def test_reactions(world):
    w = world
    _drain(w)
    post = w.lunch_post
    reaction = w.carol.reactions.create_reaction({"user_id": w.ids["carol"], "post_id": post["id"],
                                                  "emoji_name": "pizza"})
    assert reaction["emoji_name"] == "pizza" and reaction["post_id"] == post["id"]
    event = w.events["bob"].wait("reaction_added")
    assert isinstance(event["data"]["reaction"], str)
    assert json.loads(event["data"]["reaction"])["emoji_name"] == "pizza"
    assert event["broadcast"]["channel_id"] == w.lunch
    reactions = w.alice.reactions.get_reactions_of_post(post["id"])
    assert [(r["user_id"], r["emoji_name"]) for r in reactions] == [(w.ids["carol"], "pizza")]
    with pytest.raises(exceptions.NotEnoughPermissions):
        w.bob.reactions.delete_reaction(w.ids["carol"], post["id"], "pizza")
    assert w.carol.reactions.delete_reaction(w.ids["carol"], post["id"], "pizza")["status"] == "OK"
    event = w.events["bob"].wait("reaction_removed")
    assert json.loads(event["data"]["reaction"])["user_id"] == w.ids["carol"]
    assert w.alice.reactions.get_reactions_of_post(post["id"]) == []


def test_files(world):
    w = world
    _drain(w)
    content = b"shopping list: flour, tomatoes, mozzarella\n"
    uploaded = w.bob.files.upload_file(w.lunch, {"files": ("list.txt", content, "text/plain")})
    assert len(uploaded["file_infos"]) == 1 and uploaded["client_ids"] == []
    info = uploaded["file_infos"][0]
    assert info["name"] == "list.txt" and info["size"] == len(content) and info["extension"] == "txt"
    post = w.bob.posts.create_post({"channel_id": w.lunch, "message": "the list", "file_ids": [info["id"]]})
    assert post["file_ids"] == [info["id"]]
    event = w.events["carol"].wait("posted", _posted(post["id"]))
    assert json.loads(event["data"]["post"])["file_ids"] == [info["id"]]
    assert event["data"].get("otherFile") == "true"

    raw = w.carol.files.get_file(info["id"])
    assert isinstance(raw, requests.Response) and raw.content == content
    metadata = w.carol.files.get_file_metadata(info["id"])
    assert metadata["id"] == info["id"] and metadata["post_id"] == post["id"] and metadata["mime_type"] == "text/plain"
    infos = w.carol.posts.get_file_info_for_post(post["id"])
    assert [i["id"] for i in infos] == [info["id"]]
    # As the driver's own documentation uploads: a (name, file object) pair.
    picture = io.BytesIO()
    PIL.Image.new("RGB", (40, 30), (10, 120, 200)).save(picture, "PNG")
    picture.seek(0)
    uploaded = w.bob.files.upload_file(w.lunch, {"files": ("view.png", picture)})
    image = uploaded["file_infos"][0]
    assert image["mime_type"] == "image/png" and (image["width"], image["height"]) == (40, 30)
    assert image["has_preview_image"] is True
    w.bob.posts.create_post({"channel_id": w.lunch, "message": "the view", "file_ids": [image["id"]]})
    # Mattermost labels thumbnails and previews image/jpeg whatever they are;
    # those of a PNG are PNGs.
    for answer in (w.carol.files.get_file_thumbnail(image["id"]), w.carol.files.get_file_preview(image["id"])):
        assert isinstance(answer, requests.Response) and answer.headers["Content-Type"] == "image/jpeg"
        decoded = PIL.Image.open(io.BytesIO(answer.content))
        assert decoded.format == "PNG" and decoded.size[0] > 0
    with pytest.raises(exceptions.NotEnoughPermissions):
        w.dave.files.get_file_metadata(info["id"])
    with pytest.raises(exceptions.NotEnoughPermissions):
        w.dave.files.upload_file(w.lunch, {"files": ("x.txt", b"x", "text/plain")})


def test_search(world):
    w = world
    w.alice.posts.create_post({"channel_id": w.lunch, "message": "the zucchini harvest is in"})
    secret = w.alice.posts.create_post({"channel_id": w.plans, "message": "zucchini cake for the party"})
    found = w.bob.posts.search_for_team_posts(w.team_id, {"terms": "zucchini", "is_or_search": False})
    assert len(found["order"]) == 2 and secret["id"] in found["order"]
    assert all("zucchini" in found["posts"][i]["message"] for i in found["order"])
    # carol is not in the private channel: she finds only the public post.
    found = w.carol.posts.search_for_team_posts(w.team_id, {"terms": "zucchini", "is_or_search": False})
    assert len(found["order"]) == 1 and secret["id"] not in found["order"]
    found = w.carol.posts.search_for_team_posts(w.team_id, {"terms": "from:bob pizza", "is_or_search": False})
    assert [found["posts"][i]["message"] for i in found["order"]] == ["pizza at two?"]
    nothing = w.bob.posts.search_for_team_posts(w.team_id, {"terms": "xylophone", "is_or_search": True})
    assert nothing["order"] == [] and nothing["posts"] == {}


def test_direct_and_group_messages(world):
    w = world
    _drain(w)
    direct = w.bob.channels.create_direct_message_channel([w.ids["bob"], w.ids["carol"]])
    assert direct["type"] == "D" and direct["team_id"] == ""
    assert direct["name"] == "__".join(sorted([w.ids["bob"], w.ids["carol"]]))
    for name in ("bob", "carol"):
        event = w.events[name].wait("direct_added", lambda m: m["broadcast"]["channel_id"] == direct["id"])
        assert event["data"]["creator_id"] == w.ids["bob"]
    again = w.carol.channels.create_direct_message_channel([w.ids["carol"], w.ids["bob"]])
    assert again["id"] == direct["id"]
    dm = w.bob.posts.create_post({"channel_id": direct["id"], "message": "just between us"})
    event = w.events["carol"].wait("posted", _posted(dm["id"]))
    assert event["data"]["channel_type"] == "D"
    w.events["alice"].absent("posted", _posted(dm["id"]))

    group = w.carol.channels.create_group_message_channel([w.ids["alice"], w.ids["bob"], w.ids["carol"]])
    assert group["type"] == "G" and group["team_id"] == ""
    for name in ("alice", "bob", "carol"):
        w.events[name].wait("group_added", lambda m: m["broadcast"]["channel_id"] == group["id"])
    gm = w.alice.posts.create_post({"channel_id": group["id"], "message": "all three of us"})
    for name in ("bob", "carol"):
        event = w.events[name].wait("posted", _posted(gm["id"]))
        assert event["data"]["channel_type"] == "G"
    listing = w.bob.posts.get_posts_for_channel(group["id"])
    assert listing["order"][0] == gm["id"]
    with pytest.raises(exceptions.NotEnoughPermissions):
        w.dave.posts.get_posts_for_channel(group["id"])


def test_preferences(world):
    w = world
    _drain(w)
    me = w.ids["bob"]
    prefs = [{"user_id": me, "category": "display_settings", "name": "use_military_time", "value": "true"},
             {"user_id": me, "category": "favorite_channel", "name": w.lunch, "value": "true"}]
    assert w.bob.preferences.save_user_preferences(me, prefs)["status"] == "OK"
    event = w.events["bob"].wait("preferences_changed")
    assert {(p["category"], p["name"]) for p in json.loads(event["data"]["preferences"])} == \
        {("display_settings", "use_military_time"), ("favorite_channel", w.lunch)}
    everything = w.bob.preferences.get_user_preferences(me)
    assert {"category": "display_settings", "name": "use_military_time", "value": "true", "user_id": me} in everything
    favorites = w.bob.preferences.list_user_preferences_by_category(me, "favorite_channel")
    assert [p["name"] for p in favorites] == [w.lunch]
    one = w.bob.preferences.get_specific_user_preference(me, "display_settings", "use_military_time")
    assert one["value"] == "true"
    assert w.bob.preferences.delete_user_preferences(me, prefs[1:])["status"] == "OK"
    event = w.events["bob"].wait("preferences_deleted")
    assert [p["name"] for p in json.loads(event["data"]["preferences"])] == [w.lunch]
    # An empty category is a 404, as in Mattermost.
    with pytest.raises(exceptions.ResourceNotFound):
        w.bob.preferences.list_user_preferences_by_category(me, "favorite_channel")
    with pytest.raises(exceptions.NotEnoughPermissions):
        w.carol.preferences.get_user_preferences(me)
    w.events["carol"].absent("preferences_changed")


def test_more_of_the_driver(world):
    """The driver's other everyday calls, each answered in the shape it expects."""
    w = world
    _drain(w)
    in_team = w.bob.users.get_users(params={"in_team": w.team_id, "per_page": 10})
    assert {u["username"] for u in in_team} == {"alice", "bob", "carol"}
    by_ids = w.bob.users.get_users_by_ids([w.ids["alice"], w.ids["dave"]])
    assert {u["username"] for u in by_ids} == {"alice", "dave"}
    completed = w.bob.users.autocomplete_users(params={"in_team": w.team_id, "name": "car"})
    assert [u["username"] for u in completed["users"]] == ["carol"]
    assert w.alice.users.get_user_by_email("carol@example.com")["id"] == w.ids["carol"]
    sessions = w.bob.users.get_user_sessions(w.ids["bob"])
    assert len(sessions) == 1 and sessions[0]["user_id"] == w.ids["bob"]

    # Profile images travel as raw responses (not JSON) and multipart uploads.
    image = w.carol.users.get_user_profile_image(w.ids["bob"])
    assert isinstance(image, requests.Response) and image.content.startswith(b"\x89PNG")
    buffer = io.BytesIO()
    PIL.Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, "PNG")
    assert w.bob.users.set_user_profile_image(w.ids["bob"], {"image": ("me.png", buffer.getvalue(),
                                                                       "image/png")})["status"] == "OK"
    w.events["carol"].wait("user_updated", lambda m: m["data"]["user"]["id"] == w.ids["bob"]
                           and m["data"]["user"]["last_picture_update"] > 0)

    assert w.bob.teams.check_team_exists("daylight") == {"exists": True}
    assert w.bob.teams.check_team_exists("nightfall") == {"exists": False}
    stats = w.bob.teams.get_team_stats(w.team_id)
    assert stats["team_id"] == w.team_id and stats["total_member_count"] == 3
    assert [t["name"] for t in w.dave.teams.search_teams({"term": "day"})] == ["daylight"]
    public = {c["name"] for c in w.bob.channels.get_public_channels(w.team_id)}
    assert {"town-square", "off-topic", "lunch"} <= public and "plans" not in public
    assert [c["name"] for c in w.bob.channels.search_channels(w.team_id, {"term": "lun"})] == ["lunch"]
    assert "lunch" in [c["name"] for c in
                       w.bob.channels.autocomplete_channels(w.team_id, params={"name": "lu"})]
    channel_stats = w.bob.channels.get_channel_statistics(w.lunch)
    assert channel_stats["channel_id"] == w.lunch and channel_stats["member_count"] == 3
    by_ids = w.bob.channels.get_channel_members_by_ids(w.lunch, [w.ids["alice"], w.ids["carol"]])
    assert {m["user_id"] for m in by_ids} == {w.ids["alice"], w.ids["carol"]}
    notified = w.bob.channels.update_channel_notifications(w.lunch, w.ids["bob"], {
        "channel_id": w.lunch, "user_id": w.ids["bob"], "desktop": "mention", "mark_unread": "all"})
    assert notified["status"] == "OK"
    assert w.bob.channels.get_channel_member(w.lunch, w.ids["bob"])["notify_props"]["desktop"] == "mention"
    w.events["bob"].wait("channel_member_updated",
                         lambda m: json.loads(m["data"]["channelMember"])["channel_id"] == w.lunch)

    patched = w.alice.channels.patch_channel(w.lunch, {"header": "menus of the week"})
    assert patched["header"] == "menus of the week" and patched["purpose"] == "food"
    event = w.events["carol"].wait("channel_updated", lambda m: m["broadcast"]["channel_id"] == w.lunch)
    assert json.loads(event["data"]["channel"])["header"] == "menus of the week"

    # Flag a post (a preference), then list the flagged posts.
    w.carol.preferences.save_user_preferences(w.ids["carol"], [{
        "user_id": w.ids["carol"], "category": "flagged_post", "name": w.lunch_post["id"], "value": "true"}])
    flagged = w.carol.posts.get_list_of_flagged_posts(w.ids["carol"])
    assert flagged["order"] == [w.lunch_post["id"]]

    # An ephemeral post reaches its one user, over the websocket only.
    ephemeral = w.alice.posts.create_ephemeral_post({"user_id": w.ids["carol"], "post": {
        "channel_id": w.lunch, "message": "only carol sees this"}})
    assert ephemeral["message"] == "only carol sees this" and ephemeral["type"] == "system_ephemeral"
    event = w.events["carol"].wait("ephemeral_message")
    assert json.loads(event["data"]["post"])["message"] == "only carol sees this"
    w.events["bob"].absent("ephemeral_message")
    with pytest.raises(exceptions.NotEnoughPermissions):
        w.bob.posts.create_ephemeral_post({"user_id": w.ids["carol"], "post": {
            "channel_id": w.lunch, "message": "bob may not"}})

    assert w.bob.roles.get_role_by_name("system_user")["name"] == "system_user"
    assert w.bob.emoji.get_emoji_list() == []
    assert w.bob.system.check_system_health()["status"] == "OK"
    # Mattermost removed /channels/{id}/convert (now /privacy): a 404 for it too.
    with pytest.raises(exceptions.ResourceNotFound):
        w.alice.channels.convert_channel(w.lunch)


def test_bot_style_token_login(world):
    """An integration's way in: the admin turns personal access tokens on
    through the configuration, and a Driver logs in with a token alone."""
    w = world
    config = w.alice.system.get_configuration()
    assert config["ServiceSettings"]["EnableUserAccessTokens"] is False
    with pytest.raises(exceptions.FeatureDisabled):
        w.alice.users.create_user_access_token(w.ids["alice"], {"description": "reporting"})
    config["ServiceSettings"]["EnableUserAccessTokens"] = True
    saved = w.alice.system.update_configuration(config)
    assert saved["ServiceSettings"]["EnableUserAccessTokens"] is True
    token = w.alice.users.create_user_access_token(w.ids["alice"], {"description": "reporting"})
    assert token["user_id"] == w.ids["alice"] and token["description"] == "reporting" and token["token"]
    robot = driver_for(w.base, token=token["token"])
    assert robot.client.userid == w.ids["alice"] and robot.client.username == "alice"
    # The token works on the websocket as well.
    events = Events(robot, "alice-token")
    try:
        post = robot.posts.create_post({"channel_id": w.lunch, "message": "daily report: all well"})
        events.wait("posted", _posted(post["id"]))
        w.events["carol"].wait("posted", _posted(post["id"]))
        # The driver wraps no token revocation: the raw client does it. The
        # token's websocket stays open but hears nothing more.
        assert w.alice.client.post("/users/tokens/revoke", {"token_id": token["id"]})["status"] == "OK"
        with pytest.raises(exceptions.NoAccessTokenProvided):
            robot.users.get_user("me")
        after = w.bob.posts.create_post({"channel_id": w.lunch, "message": "report received"})
        w.events["alice"].wait("posted", _posted(after["id"]))
        events.absent("posted", _posted(after["id"]), timeout=0.5)
    finally:
        events.close()


def test_logout_ends_the_session_and_its_events(world):
    w = world
    events = Events(w.dave, "dave")
    try:
        direct = w.alice.channels.create_direct_message_channel([w.ids["alice"], w.ids["dave"]])
        before = w.alice.posts.create_post({"channel_id": direct["id"], "message": "are you there?"})
        events.wait("posted", _posted(before["id"]))
        session = w.dave.client.token
        assert w.dave.logout()["status"] == "OK"
        assert w.dave.client.token == ""
        answer = requests.get(w.base + "/api/v4/users/me", headers={"Authorization": "Bearer " + session},
                              timeout=10)
        assert answer.status_code == 401
        assert answer.json()["id"] == "api.context.session_expired.app_error"
        with pytest.raises(exceptions.NoAccessTokenProvided):
            w.dave.users.get_user("me")
        # The websocket of the revoked session hears nothing more.
        after = w.alice.posts.create_post({"channel_id": direct["id"], "message": "hello?"})
        w.events["alice"].wait("posted", _posted(after["id"]))
        events.absent("posted", _posted(after["id"]), timeout=1)
    finally:
        events.close()
    w.dave.login()
    assert w.dave.users.get_user("me")["username"] == "dave"


# ---------------------------------------------------------------------------
# The hub's side of an ended session, without a server

class _Session:
    def __init__(self, session_id, token, user_id):
        self.id, self.token, self.user_id = session_id, token, user_id


class _Socket:
    def __init__(self):
        self.sent = []

    def send(self, text):
        self.sent.append(json.loads(text))

    def close(self, **_):
        pass


def test_hub_stops_sending_to_revoked_sessions():
    from ws import events as ws_events
    from ws.hub import Connection, Hub, SESSIONS_REVOKED

    hub = Hub()
    made = {}
    for name, user in (("a1", "ua"), ("a2", "ua"), ("b1", "ub"), ("c1", "uc"), ("d1", "ud")):
        connection = Connection(_Socket(), _Session("s-" + name, "t-" + name, user), "conn-" + name)
        hub.register(connection)
        made[name] = connection
    hub.unregister(made["d1"])   # closed, resumable: in hub.dead

    def revoke(**data):
        hub.revoke_sessions({"event": ws_events.INTERNAL_PREFIX + SESSIONS_REVOKED, "data": data})

    def receivers():
        hub.dispatch({"event": "probe", "data": {}, "broadcast": {}})
        got = {name for name, c in made.items() if not c.queue.empty()}
        for connection in made.values():
            while not connection.queue.empty():
                connection.queue.get_nowait()
        return got

    assert receivers() == {"a1", "a2", "b1", "c1", "d1"}
    revoke(session_ids=["s-a1"])
    assert receivers() == {"a2", "b1", "c1", "d1"}
    revoke(session_ids=["s-b1"])
    assert receivers() == {"a2", "c1", "d1"}
    revoke(user_id="ud")
    assert receivers() == {"a2", "c1"} and hub.take_dead("conn-d1", "ud") is None
    revoke(user_id="ua")
    assert receivers() == {"c1"}
    revoke(**{"all": True})
    assert receivers() == set()
    # The internal event itself never reaches a socket.
    assert not any(made[name].socket.sent for name in made)
