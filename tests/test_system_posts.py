"""The system messages written when channels and teams change
(store/system_posts.py, called from the channel, member and team handlers):
Mattermost's post types and props, in the right channel, counted in it, and
never a join or leave message in a direct or group message."""
import pytest

from conftest import auth, create, login, unique
from store import channels as store_channels, models, system_posts, users

API = "/api/v4"


class World:
    pass


def _user(client, admin):
    created = create(client, admin)
    who = login(client, created["username"])
    who["username"] = created["username"]
    return who


def _posts(app, channel_id):
    with app.app_context():
        Post = models.Post
        return list(Post.select().where((Post.channel_id == channel_id) & (Post.delete_at == 0))
                    .order_by(Post.create_at, Post.id))


def _channel(app, channel_id):
    with app.app_context():
        return store_channels.get(channel_id, include_deleted=True)


def _by_name(app, team_id, name):
    with app.app_context():
        return store_channels.get_by_name(team_id, name)


def _new_posts(app, channel_id, before):
    return _posts(app, channel_id)[len(before):]


def _make_team(client, who):
    body = {"name": unique("team"), "display_name": "Team", "type": "O"}
    response = client.post(API + "/teams", json=body, headers=auth(who))
    assert response.status_code == 201, response.data
    return response.get_json()


def _make_channel(client, who, team_id, **fields):
    body = {"team_id": team_id, "name": unique("chan"), "display_name": "Channel", "type": "O", **fields}
    response = client.post(API + "/channels", json=body, headers=auth(who))
    assert response.status_code == 201, response.data
    return response.get_json()


@pytest.fixture(scope="module")
def w(app, admin):
    client = app.test_client()
    world = World()
    world.admin = admin
    world.alice = _user(client, admin)
    world.bob = _user(client, admin)
    world.carol = _user(client, admin)
    world.team = _make_team(client, world.alice)
    for who in (world.bob, world.carol):
        response = client.post(API + "/teams/%s/members" % world.team["id"],
                               json={"team_id": world.team["id"], "user_id": who["user_id"]},
                               headers=auth(world.alice))
        assert response.status_code == 201, response.data
    return world


def _assert_counted(app, channel_id):
    """Every post of the channel is in its total_msg_count."""
    posts = _posts(app, channel_id)
    channel = _channel(app, channel_id)
    assert channel.total_msg_count == len(posts)
    assert channel.total_msg_count_root == len([p for p in posts if not p.root_id])
    assert channel.last_post_at == max(p.create_at for p in posts)


# ---------------------------------------------------------------------------
# Teams

def test_creating_a_team_writes_join_messages(app, w):
    town = _by_name(app, w.team["id"], "town-square")
    posts = _posts(app, town.id)
    first = posts[0]
    assert first.type == "system_join_team" and first.user_id == w.alice["user_id"]
    assert first.props == {"username": w.alice["username"]} and first.root_id == ""
    off = _posts(app, _by_name(app, w.team["id"], "off-topic").id)
    assert [(p.type, p.user_id) for p in off][0] == ("system_join_channel", w.alice["user_id"])
    _assert_counted(app, town.id)


def test_adding_one_member_is_a_join(app, w):
    # POST /teams/{id}/members joins without a requestor, as Mattermost's AddTeamMember.
    town = _by_name(app, w.team["id"], "town-square")
    joins = [p for p in _posts(app, town.id) if p.type == "system_join_team"]
    assert [p.user_id for p in joins] == [w.alice["user_id"], w.bob["user_id"], w.carol["user_id"]]
    assert joins[1].props == {"username": w.bob["username"]}


def test_batch_add_is_an_addition_by_the_requestor(app, client, w, admin):
    dave = _user(client, admin)
    town = _by_name(app, w.team["id"], "town-square")
    off = _by_name(app, w.team["id"], "off-topic")
    before_town, before_off = _posts(app, town.id), _posts(app, off.id)
    response = client.post(API + "/teams/%s/members/batch" % w.team["id"],
                           json=[{"team_id": w.team["id"], "user_id": dave["user_id"]}], headers=auth(w.alice))
    assert response.status_code == 201, response.data
    [added] = _new_posts(app, town.id, before_town)
    assert added.type == "system_add_to_team" and added.user_id == w.alice["user_id"]
    assert added.props == {"userId": w.alice["user_id"], "username": w.alice["username"],
                           "addedUserId": dave["user_id"], "addedUsername": dave["username"]}
    [in_off] = _new_posts(app, off.id, before_off)
    assert in_off.type == "system_add_to_channel" and in_off.props["addedUserId"] == dave["user_id"]
    _assert_counted(app, town.id)
    # The added user has an unread mention in the channels they were added to.
    with app.app_context():
        assert store_channels.get_member(off.id, dave["user_id"]).mention_count == 1


def test_leaving_and_removal_from_a_team(app, client, w, admin):
    erin, frank = _user(client, admin), _user(client, admin)
    for who in (erin, frank):
        client.post(API + "/teams/%s/members" % w.team["id"],
                    json={"team_id": w.team["id"], "user_id": who["user_id"]}, headers=auth(w.alice))
    town = _by_name(app, w.team["id"], "town-square")
    before = _posts(app, town.id)
    response = client.delete(API + "/teams/%s/members/%s" % (w.team["id"], erin["user_id"]), headers=auth(erin))
    assert response.status_code == 200, response.data
    response = client.delete(API + "/teams/%s/members/%s" % (w.team["id"], frank["user_id"]), headers=auth(w.alice))
    assert response.status_code == 200, response.data
    left, removed = _new_posts(app, town.id, before)
    assert (left.type, left.user_id, left.props) == ("system_leave_team", erin["user_id"],
                                                     {"username": erin["username"]})
    # The removal is written by the user who was removed, as Mattermost does.
    assert (removed.type, removed.user_id, removed.props) == ("system_remove_from_team", frank["user_id"],
                                                              {"username": frank["username"]})
    _assert_counted(app, town.id)


def test_team_messages_follow_the_setting(app, client, w, admin):
    settings = app.config["MM_CONFIG"]["ServiceSettings"]
    settings["ExperimentalEnableDefaultChannelLeaveJoinMessages"] = False
    try:
        gina = _user(client, admin)
        town = _by_name(app, w.team["id"], "town-square")
        before = _posts(app, town.id)
        client.post(API + "/teams/%s/members" % w.team["id"],
                    json={"team_id": w.team["id"], "user_id": gina["user_id"]}, headers=auth(w.alice))
        client.delete(API + "/teams/%s/members/%s" % (w.team["id"], gina["user_id"]), headers=auth(gina))
        assert _new_posts(app, town.id, before) == []
    finally:
        settings["ExperimentalEnableDefaultChannelLeaveJoinMessages"] = True


def test_extra_default_channels_get_join_messages(app, client, w, admin):
    team = w.team
    extra = _make_channel(client, w.alice, team["id"], name=unique("lobby"))
    settings = app.config["MM_CONFIG"]["TeamSettings"]
    settings["ExperimentalDefaultChannels"] = [extra["name"]]
    try:
        hank = _user(client, admin)
        before = _posts(app, extra["id"])
        client.post(API + "/teams/%s/members" % team["id"],
                    json={"team_id": team["id"], "user_id": hank["user_id"]}, headers=auth(w.alice))
        [joined] = _new_posts(app, extra["id"], before)
        assert joined.type == "system_join_channel" and joined.user_id == hank["user_id"]
    finally:
        settings["ExperimentalDefaultChannels"] = []


# ---------------------------------------------------------------------------
# Channel membership

def test_creating_a_channel_is_a_join(app, client, w):
    channel = _make_channel(client, w.alice, w.team["id"])
    [post] = _posts(app, channel["id"])
    assert (post.type, post.user_id, post.props) == ("system_join_channel", w.alice["user_id"],
                                                     {"username": w.alice["username"]})
    _assert_counted(app, channel["id"])
    # A system message does not mark the channel read for its sender.
    with app.app_context():
        member = store_channels.get_member(channel["id"], w.alice["user_id"])
    assert member.msg_count == 0


def test_add_join_leave_and_remove(app, client, w):
    channel = _make_channel(client, w.alice, w.team["id"])
    cid = channel["id"]
    # Joining by yourself.
    response = client.post(API + "/channels/%s/members" % cid, json={"user_id": w.bob["user_id"]},
                           headers=auth(w.bob))
    assert response.status_code == 201, response.data
    # Added by someone else, in a thread.
    root = client.post(API + "/posts", json={"channel_id": cid, "message": "root"}, headers=auth(w.alice))
    root_id = root.get_json()["id"] if root.status_code == 201 else ""
    body = {"user_id": w.carol["user_id"]}
    if root_id:
        body["post_root_id"] = root_id
    response = client.post(API + "/channels/%s/members" % cid, json=body, headers=auth(w.alice))
    assert response.status_code == 201, response.data
    # Adding a member again writes nothing.
    client.post(API + "/channels/%s/members" % cid, json={"user_id": w.carol["user_id"]}, headers=auth(w.alice))
    # Leaving, and being removed.
    assert client.delete(API + "/channels/%s/members/%s" % (cid, w.bob["user_id"]),
                         headers=auth(w.bob)).status_code == 200
    assert client.delete(API + "/channels/%s/members/%s" % (cid, w.carol["user_id"]),
                         headers=auth(w.alice)).status_code == 200
    posts = [p for p in _posts(app, cid) if p.type.startswith("system_")]
    assert [p.type for p in posts] == ["system_join_channel", "system_join_channel", "system_add_to_channel",
                                       "system_leave_channel", "system_remove_from_channel"]
    joined, added, left, removed = posts[1:]
    assert (joined.user_id, joined.props) == (w.bob["user_id"], {"username": w.bob["username"]})
    assert added.user_id == w.alice["user_id"] and added.root_id == root_id
    assert added.props == {"userId": w.alice["user_id"], "username": w.alice["username"],
                           "addedUserId": w.carol["user_id"], "addedUsername": w.carol["username"]}
    assert (left.user_id, left.props) == (w.bob["user_id"], {"username": w.bob["username"]})
    assert removed.user_id == w.alice["user_id"]
    assert removed.props == {"removedUserId": w.carol["user_id"], "removedUsername": w.carol["username"]}
    _assert_counted(app, cid)


def test_guest_messages_have_guest_types(app, client, w, admin):
    guest = create(client, admin)
    channel = _make_channel(client, w.alice, w.team["id"])
    with app.app_context():
        users.set_roles(guest["id"], "system_guest")
        user = users.get(guest["id"])
        alice = users.get(w.alice["user_id"])
        row = store_channels.get(channel["id"])
        joined = system_posts.join_channel(row, user)
        added = system_posts.add_to_channel(row, alice, user)
    assert joined.type == "system_guest_join_channel" and joined.props == {"username": guest["username"]}
    assert added.type == "system_add_guest_to_chan" and added.props["addedUserId"] == guest["id"]


def test_no_join_or_leave_messages_in_direct_and_group_messages(app, client, w):
    response = client.post(API + "/channels/direct", json=[w.alice["user_id"], w.bob["user_id"]],
                           headers=auth(w.alice))
    assert response.status_code == 201, response.data
    dm = response.get_json()
    response = client.post(API + "/channels/group",
                           json=[w.alice["user_id"], w.bob["user_id"], w.carol["user_id"]], headers=auth(w.alice))
    assert response.status_code == 201, response.data
    gm = response.get_json()
    assert _posts(app, dm["id"]) == [] and _posts(app, gm["id"]) == []
    with app.app_context():
        alice, bob = users.get(w.alice["user_id"]), users.get(w.bob["user_id"])
        for channel_id in (dm["id"], gm["id"]):
            row = store_channels.get(channel_id)
            assert system_posts.join_channel(row, alice) is None
            assert system_posts.leave_channel(row, alice) is None
            assert system_posts.add_to_channel(row, alice, bob) is None
            assert system_posts.remove_from_channel(row, alice, bob) is None
    assert _posts(app, dm["id"]) == [] and _posts(app, gm["id"]) == []
    # A header change is written in a direct message too, as in Mattermost.
    response = client.put(API + "/channels/%s/patch" % dm["id"], json={"header": "our notes"}, headers=auth(w.alice))
    assert response.status_code == 200, response.data
    [post] = _posts(app, dm["id"])
    assert post.type == "system_header_change" and post.props["new_header"] == "our notes"
    _assert_counted(app, dm["id"])


# ---------------------------------------------------------------------------
# Channel properties

def test_patch_writes_name_header_and_purpose_changes(app, client, w):
    channel = _make_channel(client, w.alice, w.team["id"], display_name="Before", header="old header")
    cid = channel["id"]
    before = _posts(app, cid)
    response = client.put(API + "/channels/%s/patch" % cid,
                          json={"display_name": "After", "header": "new header", "purpose": "a purpose"},
                          headers=auth(w.alice))
    assert response.status_code == 200, response.data
    name, header, purpose = _new_posts(app, cid, before)
    props = {"username": w.alice["username"]}
    assert (name.type, name.props) == ("system_displayname_change",
                                       dict(props, old_displayname="Before", new_displayname="After"))
    assert (header.type, header.props) == ("system_header_change",
                                           dict(props, old_header="old header", new_header="new header"))
    assert (purpose.type, purpose.props) == ("system_purpose_change", dict(props, old_purpose="", new_purpose="a purpose"))
    assert all(p.user_id == w.alice["user_id"] and p.root_id == "" for p in (name, header, purpose))
    # A patch that changes nothing of those writes nothing.
    before = _posts(app, cid)
    client.put(API + "/channels/%s/patch" % cid, json={"header": "new header"}, headers=auth(w.alice))
    assert _new_posts(app, cid, before) == []
    _assert_counted(app, cid)


def test_update_writes_only_the_display_name_change(app, client, w):
    channel = _make_channel(client, w.alice, w.team["id"], display_name="One")
    cid = channel["id"]
    before = _posts(app, cid)
    body = dict(channel, display_name="Two", header="changed", purpose="changed too")
    response = client.put(API + "/channels/%s" % cid, json=body, headers=auth(w.alice))
    assert response.status_code == 200, response.data
    [post] = _new_posts(app, cid, before)
    assert post.type == "system_displayname_change"
    assert post.props == {"username": w.alice["username"], "old_displayname": "One", "new_displayname": "Two"}


def test_privacy_archive_and_restore(app, client, w):
    channel = _make_channel(client, w.alice, w.team["id"])
    cid = channel["id"]
    before = _posts(app, cid)
    assert client.put(API + "/channels/%s/privacy" % cid, json={"privacy": "P"},
                      headers=auth(w.alice)).status_code == 200
    assert client.delete(API + "/channels/%s" % cid, headers=auth(w.alice)).status_code == 200
    assert client.post(API + "/channels/%s/restore" % cid, headers=auth(w.admin)).status_code == 200
    privacy, archived, restored = _new_posts(app, cid, before)
    assert (privacy.type, privacy.user_id, privacy.props) == ("system_change_chan_privacy", w.alice["user_id"],
                                                              {"username": w.alice["username"]})
    assert (archived.type, archived.user_id, archived.props) == ("system_channel_deleted", w.alice["user_id"],
                                                                 {"username": w.alice["username"]})
    assert restored.type == "system_channel_restored" and restored.user_id == w.admin["user_id"]
    assert set(restored.props) == {"username"}
    # The archive message is written before the channel is archived.
    assert archived.create_at <= _channel(app, cid).update_at
    _assert_counted(app, cid)


def test_moving_a_channel(app, client, w):
    channel = _make_channel(client, w.alice, w.team["id"])
    cid = channel["id"]
    other = _make_team(client, w.admin)
    for who in (w.alice,):
        client.post(API + "/teams/%s/members" % other["id"], json={"team_id": other["id"], "user_id": who["user_id"]},
                    headers=auth(w.admin))
    before = _posts(app, cid)
    response = client.post(API + "/channels/%s/move" % cid, json={"team_id": other["id"], "force": False},
                           headers=auth(w.admin))
    assert response.status_code == 200, response.data
    [moved] = _new_posts(app, cid, before)
    assert moved.type == "system_move_channel" and moved.user_id == w.admin["user_id"]
    assert w.team["name"] in moved.message
    _assert_counted(app, cid)


def test_failed_changes_write_nothing(app, client, w):
    channel = _make_channel(client, w.alice, w.team["id"])
    cid = channel["id"]
    before = _posts(app, cid)
    # bob is not a channel admin but may change a public channel's properties
    # only through his role; carol is not a member: both are refused or not.
    response = client.put(API + "/channels/%s/patch" % cid, json={"header": "x" * 2000}, headers=auth(w.alice))
    assert response.status_code == 400
    response = client.delete(API + "/channels/%s/members/%s" % (cid, w.carol["user_id"]), headers=auth(w.alice))
    assert response.status_code == 404
    assert _new_posts(app, cid, before) == []
