"""The WebSocket events of channels, channel members, reading state, sidebar
categories and bookmarks (ws/channel_events.py): who hears each one and the
exact fields of its data, with what Mattermost encodes as JSON strings sent as
strings, and that non-members of a private channel and others' direct
messages never hear of them. Fake connections on the hub record what they are
pushed after REST calls through the Flask test client (the LocalBus delivers
in-process, after commit)."""
import json

import pytest

from conftest import auth, person, unique
from store import channels as store_channels, post_queries, teams, users
from ws import channel_events

API = "/api/v4"


class World:
    pass


_user = person


@pytest.fixture(scope="module")
def w(app, admin):
    """alice, bob and carol are in the team (carol in none of its channels
    but its default ones); dave is in no team. alice made the public and the
    private channel; bob is in both, the admin in the private one."""
    client = app.test_client()
    world = World()
    world.admin = admin
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
    return world


def only(fake, event):
    found = fake.named(event)
    assert len(found) == 1, fake.events()
    return found[0]


def none_of(fake, *names):
    assert not [e for e in fake.events() if e in names], fake.events()


def new_channel(client, who, team_id, kind="O", **extra):
    body = {"team_id": team_id, "type": kind, "name": unique("ch"), "display_name": "Ch", **extra}
    response = client.post(API + "/channels", json=body, headers=auth(who))
    assert response.status_code == 201, response.data
    return response.get_json()


def add(client, who, channel_id, user_id):
    response = client.post(API + "/channels/%s/members" % channel_id, json={"user_id": user_id}, headers=auth(who))
    assert response.status_code == 201, response.data


def post(client, who, channel_id, message="hello", **extra):
    response = client.post(API + "/posts", json={"channel_id": channel_id, "message": message, **extra},
                           headers=auth(who))
    assert response.status_code == 201, response.data
    return response.get_json()


# ---------------------------------------------------------------------------
# Creating channels

def test_create_channel_sends_channel_created_to_the_creator_only(client, w, listen):
    fakes = listen(w.alice, w.bob, w.carol)
    made = new_channel(client, w.alice, w.team.id, "P")
    event = only(fakes[w.alice["user_id"]], "channel_created")
    assert event["data"] == {"channel_id": made["id"], "team_id": w.team.id}
    assert event["broadcast"]["user_id"] == w.alice["user_id"]
    for other in (w.bob, w.carol):
        assert fakes[other["user_id"]].got == []


def test_direct_channel_sends_direct_added_to_its_two_users_once(client, w, listen):
    fakes = listen(w.alice, w.bob, w.carol, w.admin)
    response = client.post(API + "/channels/direct", json=[w.bob["user_id"], w.carol["user_id"]],
                           headers=auth(w.bob))
    assert response.status_code == 201, response.data
    channel_id = response.get_json()["id"]
    for who in (w.bob, w.carol):
        event = only(fakes[who["user_id"]], "direct_added")
        assert event["data"] == {"creator_id": w.bob["user_id"], "teammate_id": w.carol["user_id"]}
        assert event["broadcast"]["channel_id"] == channel_id
    for other in (w.alice, w.admin):
        assert fakes[other["user_id"]].got == []
    again = client.post(API + "/channels/direct", json=[w.carol["user_id"], w.bob["user_id"]], headers=auth(w.carol))
    assert again.status_code == 201 and again.get_json()["id"] == channel_id
    assert len(fakes[w.bob["user_id"]].named("direct_added")) == 1


def test_group_channel_sends_group_added_to_each_member(client, w, listen, app, admin):
    erin, frank = _user(client, admin), _user(client, admin)
    with app.app_context():
        for who in (erin, frank):
            teams.add_member(w.team, users.get(who["user_id"]))
    fakes = listen(w.alice, erin, frank, w.bob)
    asked = [erin["user_id"], frank["user_id"]]
    response = client.post(API + "/channels/group", json=asked, headers=auth(w.alice))
    assert response.status_code == 201, response.data
    channel_id = response.get_json()["id"]
    for who in (w.alice, erin, frank):
        event = only(fakes[who["user_id"]], "group_added")
        assert set(event["data"]) == {"teammate_ids"} and isinstance(event["data"]["teammate_ids"], str)
        assert json.loads(event["data"]["teammate_ids"]) == asked + [w.alice["user_id"]]
        assert event["broadcast"]["user_id"] == who["user_id"] and event["broadcast"]["channel_id"] == channel_id
    assert fakes[w.bob["user_id"]].got == []


# ---------------------------------------------------------------------------
# Changing channels

def test_channel_updated_reaches_only_the_members_of_a_private_channel(client, w, listen):
    fakes = listen(w.alice, w.bob, w.admin, w.carol, w.dave)
    response = client.put(API + "/channels/%s/patch" % w.private.id, json={"header": "new header"},
                          headers=auth(w.alice))
    assert response.status_code == 200, response.data
    for who in (w.alice, w.bob, w.admin):
        event = only(fakes[who["user_id"]], "channel_updated")
        assert set(event["data"]) == {"channel"} and isinstance(event["data"]["channel"], str)
        channel = json.loads(event["data"]["channel"])
        assert channel["id"] == w.private.id and channel["header"] == "new header" and channel["type"] == "P"
        assert event["broadcast"]["channel_id"] == w.private.id
    for outsider in (w.carol, w.dave):
        assert fakes[outsider["user_id"]].got == []


def test_channel_updated_of_a_direct_message_reaches_its_two_users_only(client, w, listen):
    fakes = listen(w.alice, w.bob, w.carol, w.admin)
    response = client.put(API + "/channels/%s/patch" % w.dm.id, json={"header": "just us"}, headers=auth(w.bob))
    assert response.status_code == 200, response.data
    for who in (w.alice, w.bob):
        assert json.loads(only(fakes[who["user_id"]], "channel_updated")["data"]["channel"])["header"] == "just us"
    for outsider in (w.carol, w.admin):
        assert fakes[outsider["user_id"]].got == []


def test_privacy_change_sends_converted_to_the_team_and_updated_to_members(client, w, listen):
    made = new_channel(client, w.alice, w.team.id, "O")
    fakes = listen(w.alice, w.carol, w.dave)
    response = client.put(API + "/channels/%s/privacy" % made["id"], json={"privacy": "P"}, headers=auth(w.admin))
    assert response.status_code == 200, response.data
    alice, carol = fakes[w.alice["user_id"]], fakes[w.carol["user_id"]]
    for fake in (alice, carol):
        converted = only(fake, "channel_converted")
        assert converted["data"] == {"channel_id": made["id"]}
        assert converted["broadcast"]["team_id"] == w.team.id
    assert json.loads(only(alice, "channel_updated")["data"]["channel"])["type"] == "P"
    assert carol.events() == ["channel_converted"]
    assert fakes[w.dave["user_id"]].got == []


def test_archiving_and_restoring_a_public_channel_reach_the_team(client, w, listen):
    made = new_channel(client, w.alice, w.team.id, "O")
    fakes = listen(w.alice, w.carol, w.dave)
    assert client.delete(API + "/channels/" + made["id"], headers=auth(w.admin)).status_code == 200
    for who in (w.alice, w.carol):
        event = only(fakes[who["user_id"]], "channel_deleted")
        assert set(event["data"]) == {"channel_id", "delete_at"}
        assert event["data"]["channel_id"] == made["id"]
        assert isinstance(event["data"]["delete_at"], int) and event["data"]["delete_at"] > 0
        assert event["broadcast"]["team_id"] == w.team.id
    response = client.post(API + "/channels/%s/restore" % made["id"], headers=auth(w.admin))
    assert response.status_code == 200, response.data
    for who in (w.alice, w.carol):
        event = only(fakes[who["user_id"]], "channel_restored")
        assert event["data"] == {"channel_id": made["id"]} and event["broadcast"]["team_id"] == w.team.id
    assert fakes[w.dave["user_id"]].got == []


def test_archiving_and_restoring_a_private_channel_reach_its_members_only(client, w, listen):
    made = new_channel(client, w.alice, w.team.id, "P")
    fakes = listen(w.alice, w.carol, w.admin)
    assert client.delete(API + "/channels/" + made["id"], headers=auth(w.admin)).status_code == 200
    event = only(fakes[w.alice["user_id"]], "channel_deleted")
    assert event["data"]["channel_id"] == made["id"] and event["broadcast"]["channel_id"] == made["id"]
    assert client.post(API + "/channels/%s/restore" % made["id"], headers=auth(w.admin)).status_code == 200
    assert only(fakes[w.alice["user_id"]], "channel_restored")["data"] == {"channel_id": made["id"]}
    for outsider in (w.carol, w.admin):
        none_of(fakes[outsider["user_id"]], "channel_deleted", "channel_restored")


def test_erasing_a_private_channel_tells_its_former_members(client, w, listen, app):
    made = new_channel(client, w.alice, w.team.id, "P")
    fakes = listen(w.alice, w.carol)
    settings = app.config["MM_CONFIG"]["ServiceSettings"]
    previous = settings["EnableAPIChannelDeletion"]
    settings["EnableAPIChannelDeletion"] = True
    try:
        response = client.delete(API + "/channels/%s?permanent=true" % made["id"], headers=auth(w.admin))
    finally:
        settings["EnableAPIChannelDeletion"] = previous
    assert response.status_code == 200, response.data
    event = only(fakes[w.alice["user_id"]], "channel_deleted")
    assert event["data"]["channel_id"] == made["id"] and isinstance(event["data"]["delete_at"], int)
    assert event["broadcast"]["user_id"] == w.alice["user_id"]
    assert fakes[w.carol["user_id"]].got == []


def test_moving_a_channel_with_force_sends_user_removed(client, w, listen, app):
    with app.app_context():
        other = teams.create({"display_name": "T2", "name": unique("team"), "type": "O"})
        for who in (w.admin, w.alice):
            teams.add_member(other, users.get(who["user_id"]))
    made = new_channel(client, w.alice, w.team.id, "O")
    add(client, w.alice, made["id"], w.bob["user_id"])
    fakes = listen(w.alice, w.bob, w.carol)
    response = client.post(API + "/channels/%s/move" % made["id"], json={"team_id": other.id, "force": True},
                           headers=auth(w.admin))
    assert response.status_code == 200, response.data
    removed = only(fakes[w.bob["user_id"]], "user_removed")
    assert removed["data"] == {"channel_id": made["id"], "remover_id": w.admin["user_id"]}
    assert only(fakes[w.alice["user_id"]], "user_removed")["data"] == {"user_id": w.bob["user_id"],
                                                                       "remover_id": w.admin["user_id"]}
    assert fakes[w.carol["user_id"]].got == []


# ---------------------------------------------------------------------------
# Members

def test_adding_and_removing_a_member_of_a_private_channel(client, w, listen):
    made = new_channel(client, w.alice, w.team.id, "P")
    fakes = listen(w.alice, w.bob, w.carol, w.dave)
    add(client, w.alice, made["id"], w.carol["user_id"])
    alice, carol = fakes[w.alice["user_id"]], fakes[w.carol["user_id"]]
    seen = only(alice, "user_added")
    assert seen["data"] == {"user_id": w.carol["user_id"], "team_id": w.team.id}
    assert seen["broadcast"]["channel_id"] == made["id"] and seen["broadcast"]["omit_users"] == {w.carol["user_id"]: True}
    own = only(carol, "user_added")
    assert own["data"] == {"user_id": w.carol["user_id"], "team_id": w.team.id}
    assert own["broadcast"]["user_id"] == w.carol["user_id"] and own["broadcast"]["channel_id"] == made["id"]

    response = client.delete(API + "/channels/%s/members/%s" % (made["id"], w.carol["user_id"]), headers=auth(w.alice))
    assert response.status_code == 200, response.data
    removed = only(alice, "user_removed")
    assert removed["data"] == {"user_id": w.carol["user_id"], "remover_id": w.alice["user_id"]}
    assert removed["broadcast"]["channel_id"] == made["id"]
    told = only(carol, "user_removed")
    assert told["data"] == {"channel_id": made["id"], "remover_id": w.alice["user_id"]}
    assert told["broadcast"]["user_id"] == w.carol["user_id"]
    # The removal's system message reaches the remaining members only.
    assert len(alice.named("posted")) == 2 and len(carol.named("posted")) == 1
    for outsider in (w.bob, w.dave):
        assert fakes[outsider["user_id"]].got == []


def test_leaving_a_channel_sends_user_removed_with_yourself_as_remover(client, w, listen):
    made = new_channel(client, w.alice, w.team.id, "O")
    add(client, w.bob, made["id"], w.bob["user_id"])
    fakes = listen(w.alice, w.bob)
    response = client.delete(API + "/channels/%s/members/%s" % (made["id"], w.bob["user_id"]), headers=auth(w.bob))
    assert response.status_code == 200, response.data
    assert only(fakes[w.bob["user_id"]], "user_removed")["data"] == {"channel_id": made["id"],
                                                                     "remover_id": w.bob["user_id"]}
    assert only(fakes[w.alice["user_id"]], "user_removed")["data"] == {"user_id": w.bob["user_id"],
                                                                       "remover_id": w.bob["user_id"]}


def test_channel_member_updated_goes_to_that_member_only(client, w, listen):
    fakes = listen(w.alice, w.bob, w.carol)
    bob = fakes[w.bob["user_id"]]
    response = client.put(API + "/channels/%s/members/%s/notify_props" % (w.private.id, w.bob["user_id"]),
                          json={"desktop": "none", "mark_unread": "all"}, headers=auth(w.bob))
    assert response.status_code == 200, response.data
    event = only(bob, "channel_member_updated")
    assert set(event["data"]) == {"channelMember"} and isinstance(event["data"]["channelMember"], str)
    member = json.loads(event["data"]["channelMember"])
    assert (member["channel_id"], member["user_id"]) == (w.private.id, w.bob["user_id"])
    assert member["notify_props"]["desktop"] == "none"
    assert {"roles", "last_viewed_at", "msg_count", "mention_count", "scheme_admin", "explicit_roles"} <= set(member)
    assert event["broadcast"]["user_id"] == w.bob["user_id"]

    response = client.put(API + "/channels/%s/members/%s/roles" % (w.private.id, w.bob["user_id"]),
                          json={"roles": "channel_user channel_admin"}, headers=auth(w.alice))
    assert response.status_code == 200, response.data
    promoted = json.loads(bob.named("channel_member_updated")[-1]["data"]["channelMember"])
    assert promoted["scheme_admin"] is True and "channel_admin" in promoted["roles"].split()
    response = client.put(API + "/channels/%s/members/%s/schemeRoles" % (w.private.id, w.bob["user_id"]),
                          json={"scheme_user": True, "scheme_admin": False}, headers=auth(w.alice))
    assert response.status_code == 200, response.data
    assert json.loads(bob.named("channel_member_updated")[-1]["data"]["channelMember"])["scheme_admin"] is False
    assert len(bob.named("channel_member_updated")) == 3
    for other in (w.alice, w.carol):
        assert fakes[other["user_id"]].got == []


# ---------------------------------------------------------------------------
# Reading state

def test_posting_marks_the_channel_viewed_for_the_poster(client, w, listen):
    post(client, w.bob, w.public.id, "unread for alice")
    fakes = listen(w.alice, w.bob)
    post(client, w.alice, w.public.id, "alice catches up by posting")
    event = only(fakes[w.alice["user_id"]], "multiple_channels_viewed")
    assert w.public.id in event["data"]["channel_times"]
    assert fakes[w.bob["user_id"]].named("multiple_channels_viewed") == []


def test_viewing_an_unread_channel_sends_multiple_channels_viewed(client, w, listen):
    post(client, w.alice, w.public.id, "news")
    fakes = listen(w.alice, w.bob)
    bob = fakes[w.bob["user_id"]]
    response = client.post(API + "/channels/members/%s/view" % w.bob["user_id"],
                           json={"channel_id": w.public.id, "prev_channel_id": ""}, headers=auth(w.bob))
    assert response.status_code == 200, response.data
    event = only(bob, "multiple_channels_viewed")
    assert set(event["data"]) == {"channel_times"}
    times = event["data"]["channel_times"]
    assert times == response.get_json()["last_viewed_at_times"] and isinstance(times[w.public.id], int)
    assert event["broadcast"]["user_id"] == w.bob["user_id"]
    # Nothing left to mark read: no event.
    assert client.post(API + "/channels/members/%s/view" % w.bob["user_id"],
                       json={"channel_id": w.public.id}, headers=auth(w.bob)).status_code == 200
    assert len(bob.named("multiple_channels_viewed")) == 1
    assert fakes[w.alice["user_id"]].got == []


def test_viewed_after_post_tells_the_poster(client, w, listen, app):
    made = post(client, w.alice, w.public.id, "mine")
    fakes = listen(w.alice, w.bob)
    with app.app_context():
        row = post_queries.get(made["id"])
        channel_events.viewed_after_post(row, w.public)
        event = only(fakes[w.alice["user_id"]], "multiple_channels_viewed")
        assert list(event["data"]["channel_times"]) == [w.public.id]
        assert event["data"]["channel_times"][w.public.id] >= made["create_at"]
        assert event["broadcast"]["user_id"] == w.alice["user_id"]
        row.props = {"from_webhook": "true"}
        channel_events.viewed_after_post(row, w.public)
    assert len(fakes[w.alice["user_id"]].named("multiple_channels_viewed")) == 1
    assert fakes[w.bob["user_id"]].got == []


# ---------------------------------------------------------------------------
# Sidebar categories

def _categories_url(who, team_id, rest=""):
    return API + "/users/%s/teams/%s/channels/categories%s" % (who["user_id"], team_id, rest)


def test_sidebar_category_events_go_to_their_user(client, w, listen):
    fakes = listen(w.alice, w.bob)
    alice = fakes[w.alice["user_id"]]
    body = {"user_id": w.alice["user_id"], "team_id": w.team.id, "display_name": "Work"}
    response = client.post(_categories_url(w.alice, w.team.id), json=body, headers=auth(w.alice))
    assert response.status_code == 200, response.data
    category = response.get_json()
    created = only(alice, "sidebar_category_created")
    assert created["data"] == {"category_id": category["id"]}
    assert created["broadcast"]["user_id"] == w.alice["user_id"] and created["broadcast"]["team_id"] == w.team.id

    change = dict(category, muted=True, channel_ids=[w.public.id])
    response = client.put(_categories_url(w.alice, w.team.id, "/" + category["id"]), json=change,
                          headers=auth(w.alice))
    assert response.status_code == 200, response.data
    updated = only(alice, "sidebar_category_updated")
    assert set(updated["data"]) == {"updatedCategories"} and isinstance(updated["data"]["updatedCategories"], str)
    listed = json.loads(updated["data"]["updatedCategories"])
    assert listed == [response.get_json()] and listed[0]["channel_ids"] == [w.public.id]
    assert updated["broadcast"]["team_id"] == w.team.id
    muted = json.loads(only(alice, "channel_member_updated")["data"]["channelMember"])
    assert muted["channel_id"] == w.public.id and muted["notify_props"]["mark_unread"] == "mention"

    order = client.get(_categories_url(w.alice, w.team.id, "/order"), headers=auth(w.alice)).get_json()
    order = order[1:] + order[:1]
    response = client.put(_categories_url(w.alice, w.team.id, "/order"), json=order, headers=auth(w.alice))
    assert response.status_code == 200, response.data
    reordered = only(alice, "sidebar_category_order_updated")
    assert reordered["data"] == {"order": order}

    response = client.delete(_categories_url(w.alice, w.team.id, "/" + category["id"]), headers=auth(w.alice))
    assert response.status_code == 200, response.data
    assert only(alice, "sidebar_category_deleted")["data"] == {"category_id": category["id"]}
    assert fakes[w.bob["user_id"]].got == []
    # Put the public channel back as it was for the other tests.
    client.put(API + "/channels/%s/members/%s/notify_props" % (w.public.id, w.alice["user_id"]),
               json={"mark_unread": "all"}, headers=auth(w.alice))


def test_bulk_category_update_sends_one_event(client, w, listen):
    categories = client.get(_categories_url(w.bob, w.team.id), headers=auth(w.bob)).get_json()["categories"]
    favorites = next(c for c in categories if c["type"] == "favorites")
    fakes = listen(w.bob, w.alice)
    change = dict(favorites, channel_ids=[w.private.id])
    response = client.put(_categories_url(w.bob, w.team.id), json=[change], headers=auth(w.bob))
    assert response.status_code == 200, response.data
    event = only(fakes[w.bob["user_id"]], "sidebar_category_updated")
    assert json.loads(event["data"]["updatedCategories"]) == response.get_json()
    assert fakes[w.alice["user_id"]].got == []


def test_a_default_category_name_makes_a_category_for_the_creator(client, w, listen):
    fakes = listen(w.alice, w.bob)
    made = new_channel(client, w.alice, w.team.id, "O", default_category_name=unique("Projects"))
    created = only(fakes[w.alice["user_id"]], "sidebar_category_created")
    category = client.get(_categories_url(w.alice, w.team.id, "/" + created["data"]["category_id"]),
                          headers=auth(w.alice)).get_json()
    assert category["channel_ids"] == [made["id"]]
    assert fakes[w.alice["user_id"]].events()[-1] == "channel_created"
    assert fakes[w.bob["user_id"]].got == []


# ---------------------------------------------------------------------------
# Bookmarks

def test_bookmarks_send_nothing_while_unlicensed(client, w, listen):
    fakes = listen(w.alice, w.bob)
    body = {"display_name": "Docs", "type": "link", "link_url": "https://example.com"}
    response = client.post(API + "/channels/%s/bookmarks" % w.public.id, json=body, headers=auth(w.alice))
    assert response.status_code == 501
    assert fakes[w.alice["user_id"]].got == [] and fakes[w.bob["user_id"]].got == []


def test_bookmark_events_when_licensed(client, w, listen, monkeypatch):
    import handlers.bookmarks
    monkeypatch.setattr(handlers.bookmarks, "_licensed", lambda: True)
    fakes = listen(w.alice, w.bob, w.carol)
    alice_fake = fakes[w.alice["user_id"]]
    body = {"display_name": "Docs", "type": "link", "link_url": "https://example.com"}
    response = client.post(API + "/channels/%s/bookmarks" % w.private.id, json=body,
                           headers=dict(auth(w.alice), **{"Connection-Id": alice_fake.id}))
    assert response.status_code == 201, response.data
    bookmark = response.get_json()
    event = only(fakes[w.bob["user_id"]], "channel_bookmark_created")
    assert set(event["data"]) == {"bookmark"} and json.loads(event["data"]["bookmark"]) == bookmark
    assert event["broadcast"]["channel_id"] == w.private.id
    assert event["broadcast"]["omit_connection_id"] == alice_fake.id
    assert alice_fake.got == []   # the connection that made it is left out
    response = client.patch(API + "/channels/%s/bookmarks/%s" % (w.private.id, bookmark["id"]),
                            json={"display_name": "Docs 2"}, headers=auth(w.alice))
    assert response.status_code == 200, response.data
    updated = only(fakes[w.bob["user_id"]], "channel_bookmark_updated")
    assert json.loads(updated["data"]["bookmarks"]) == response.get_json()
    response = client.post(API + "/channels/%s/bookmarks/%s/sort_order" % (w.private.id, bookmark["id"]),
                           json=0, headers=auth(w.alice))
    assert response.status_code == 200, response.data
    assert json.loads(only(fakes[w.bob["user_id"]], "channel_bookmark_sorted")["data"]["bookmarks"]) \
        == response.get_json()
    response = client.delete(API + "/channels/%s/bookmarks/%s" % (w.private.id, bookmark["id"]),
                             headers=auth(w.alice))
    assert response.status_code == 200, response.data
    assert json.loads(only(fakes[w.bob["user_id"]], "channel_bookmark_deleted")["data"]["bookmark"])["id"] \
        == bookmark["id"]
    assert fakes[w.carol["user_id"]].got == []


def test_joining_a_team_announces_the_default_channels(app, client, w, listen):
    fakes = listen(w.alice, w.dave)
    with app.app_context():
        teams.add_member(w.team, users.get(w.dave["user_id"]))
        town = store_channels.get_by_name(w.team.id, "town-square")
    added = [e for e in fakes[w.alice["user_id"]].named("user_added") if e["broadcast"]["channel_id"] == town.id]
    assert added and added[0]["data"] == {"user_id": w.dave["user_id"], "team_id": w.team.id}
