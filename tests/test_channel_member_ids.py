"""The per-process member ids, member counts and pinned post counts of channels
(store.channel_members): read once per channel, dropped whenever what they hold
changes (here at once, in other processes through the bus), and never kept
from inside a transaction."""
from conftest import auth, create, login, unique
from store import channel_members, db
from ws import events

API = "/api/v4"


def _channel(client, who, kind="O"):
    team = client.post(API + "/teams", json={"name": unique("team"), "display_name": "T", "type": "O"},
                       headers=auth(who)).get_json()
    made = client.post(API + "/channels", json={"team_id": team["id"], "name": unique("chan"), "display_name": "C",
                                               "type": kind}, headers=auth(who))
    assert made.status_code == 201, made.get_json()
    return team, made.get_json()


def _owner_and_teammate(client, admin):
    """(owner, other, team, channel): the channel's owner and another member
    of its team who is not in the channel."""
    owner = login(client, create(client, admin)["username"])
    other = create(client, admin)
    team, channel = _channel(client, owner)
    assert client.post(API + "/teams/%s/members" % team["id"], json={"team_id": team["id"], "user_id": other["id"]},
                       headers=auth(owner)).status_code == 201
    return owner, other, team, channel


def test_member_ids_are_read_once_and_follow_adds_and_removals(app, client, admin):
    owner, other, team, channel = _owner_and_teammate(client, admin)
    everyone = {owner["user_id"], other["id"], "x" * 26}
    with app.app_context():
        assert channel_members.user_ids_in(channel["id"], everyone) == {owner["user_id"]}
        from test_perf_paths_views import _statements
        with _statements() as seen:
            assert channel_members.user_ids_in(channel["id"], everyone) == {owner["user_id"]}
        assert seen == []
    added = client.post(API + "/channels/%s/members" % channel["id"], json={"user_id": other["id"]},
                        headers=auth(owner))
    assert added.status_code == 201, added.get_json()
    with app.app_context():
        assert channel_members.user_ids_in(channel["id"], everyone) == {owner["user_id"], other["id"]}
    removed = client.delete(API + "/channels/%s/members/%s" % (channel["id"], other["id"]), headers=auth(owner))
    assert removed.status_code == 200
    with app.app_context():
        assert channel_members.user_ids_in(channel["id"], everyone) == {owner["user_id"]}


def test_leaving_a_team_drops_its_channels_member_ids(app, client, admin):
    owner, other, team, channel = _owner_and_teammate(client, admin)
    client.post(API + "/channels/%s/members" % channel["id"], json={"user_id": other["id"]}, headers=auth(owner))
    with app.app_context():
        assert other["id"] in channel_members.user_ids_in(channel["id"], {other["id"]})
    left = client.delete(API + "/teams/%s/members/%s" % (team["id"], other["id"]), headers=auth(owner))
    assert left.status_code == 200, left.get_json()
    with app.app_context():
        assert channel_members.user_ids_in(channel["id"], {other["id"]}) == set()


def test_a_change_announced_by_another_process_drops_the_ids(app, client, admin):
    owner = login(client, create(client, admin)["username"])
    _, channel = _channel(client, owner)
    with app.app_context():
        channel_members.user_ids_in(channel["id"], {owner["user_id"]})
        assert channel_members._member_ids.get(channel["id"]) is not None
        events.run_process_listeners({"event": events.INTERNAL_PREFIX + "rows_changed",
                                      "data": {"cache": "channel member ids", "keys": [channel["id"]], "all": False}})
        assert channel_members._member_ids.get(channel["id"]) is None


def test_ids_read_inside_a_transaction_are_not_kept(app, client, admin):
    owner = login(client, create(client, admin)["username"])
    _, channel = _channel(client, owner)
    with app.app_context():
        channel_members._member_ids.forget(everyone=True)
        with db.transaction():
            assert channel_members.user_ids_in(channel["id"], [owner["user_id"]]) == {owner["user_id"]}
        assert channel_members._member_ids.get(channel["id"]) is None


def _member_count(client, who, channel_id):
    stats = client.get(API + "/channels/%s/stats" % channel_id, headers=auth(who))
    assert stats.status_code == 200, stats.get_json()
    return stats.get_json()["member_count"]


def test_member_counts_are_read_once_and_follow_members_and_deactivation(app, client, admin):
    owner, other, team, channel = _owner_and_teammate(client, admin)
    assert _member_count(client, owner, channel["id"]) == 1
    from test_perf_paths_views import _statements
    with _statements() as seen:
        assert _member_count(client, owner, channel["id"]) == 1
    assert not [s for s in seen if "channel_members" in s and "COUNT" in s], seen
    client.post(API + "/channels/%s/members" % channel["id"], json={"user_id": other["id"]}, headers=auth(owner))
    assert _member_count(client, owner, channel["id"]) == 2
    # Only active users count: deactivating one drops every channel's counts.
    assert client.delete(API + "/users/%s" % other["id"], headers=auth(admin)).status_code == 200
    assert _member_count(client, owner, channel["id"]) == 1
    assert client.put(API + "/users/%s/active" % other["id"], json={"active": True},
                      headers=auth(admin)).status_code == 200
    assert _member_count(client, owner, channel["id"]) == 2
    client.delete(API + "/channels/%s/members/%s" % (channel["id"], other["id"]), headers=auth(owner))
    assert _member_count(client, owner, channel["id"]) == 1


def _pinned_count(client, who, channel_id):
    stats = client.get(API + "/channels/%s/stats" % channel_id, headers=auth(who))
    assert stats.status_code == 200, stats.get_json()
    return stats.get_json()["pinnedpost_count"]


def _post(client, who, channel_id, root_id=""):
    made = client.post(API + "/posts", json={"channel_id": channel_id, "message": "hi", "root_id": root_id},
                       headers=auth(who))
    assert made.status_code == 201, made.get_json()
    return made.get_json()["id"]


def test_pinned_counts_are_read_once_and_follow_pins_and_deletes(app, client, admin):
    owner, other, team, channel = _owner_and_teammate(client, admin)
    first, second = _post(client, owner, channel["id"]), _post(client, owner, channel["id"])
    reply = _post(client, owner, channel["id"], root_id=second)
    assert _pinned_count(client, owner, channel["id"]) == 0
    from test_perf_paths_views import _statements
    with _statements() as seen:
        assert _pinned_count(client, owner, channel["id"]) == 0
    assert not [s for s in seen if "is_pinned" in s], seen
    for post_id in (first, reply):
        assert client.post(API + "/posts/%s/pin" % post_id, headers=auth(owner)).status_code == 200
    assert _pinned_count(client, owner, channel["id"]) == 2
    assert client.post(API + "/posts/%s/unpin" % first, headers=auth(owner)).status_code == 200
    assert _pinned_count(client, owner, channel["id"]) == 1
    patched = client.put(API + "/posts/%s/patch" % first, json={"is_pinned": True}, headers=auth(owner))
    assert patched.status_code == 200, patched.get_json()
    assert _pinned_count(client, owner, channel["id"]) == 2
    # Deleting a root deletes its replies: the pinned reply stops counting too.
    assert client.delete(API + "/posts/%s" % second, headers=auth(owner)).status_code == 200
    assert _pinned_count(client, owner, channel["id"]) == 1
    assert client.delete(API + "/posts/%s" % first, headers=auth(owner)).status_code == 200
    assert _pinned_count(client, owner, channel["id"]) == 0


def test_a_pin_announced_by_another_process_drops_the_count(app, client, admin):
    owner = login(client, create(client, admin)["username"])
    _, channel = _channel(client, owner)
    assert _pinned_count(client, owner, channel["id"]) == 0
    with app.app_context():
        assert channel_members._pinned_counts.get(channel["id"]) == 0
        events.run_process_listeners({"event": events.INTERNAL_PREFIX + "rows_changed",
                                      "data": {"cache": "channel pinned counts", "keys": [channel["id"]], "all": False}})
        assert channel_members._pinned_counts.get(channel["id"]) is None
