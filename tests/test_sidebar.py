"""Sidebar categories, as Mattermost keeps them for each user and team."""
import threading

import pytest

from conftest import auth, create, login, unique
from store import channels, models, teams, users

BASE = "/api/v4/users/%s/teams/%s/channels/categories"


def _team(app, **fields):
    with app.app_context():
        return teams.create({"display_name": "Side", "name": unique("side"), "type": "O", **fields})


def _member(app, client, admin, team):
    """A new user who belongs to the team, logged in."""
    account = create(client, admin)
    with app.app_context():
        teams.add_member(team, users.get(account["id"]))
    return login(client, account["username"])


def _channel(app, team, who, kind="O", display_name=None):
    with app.app_context():
        channel = channels.create({"team_id": team.id, "type": kind, "name": unique("ch"),
                                   "display_name": display_name or unique("Chan")})
        if who is not None:
            channels.add_member(channel, users.get(who["user_id"]))
    return channel


def _dm(app, who, other):
    with app.app_context():
        return channels.get_or_create_direct(users.get(who["user_id"]), users.get(other["user_id"]))[0]


def _get(client, who, team, user_id=None):
    response = client.get(BASE % (user_id or who["user_id"], team.id), headers=auth(who))
    assert response.status_code == 200, response.data
    return response.get_json()


def _by_type(body, kind):
    return next(c for c in body["categories"] if c["type"] == kind)


def test_defaults_are_made_on_first_read(app, client, admin):
    team = _team(app)
    who = _member(app, client, admin, team)
    body = _get(client, who, team)
    uid, tid = who["user_id"], team.id
    assert body["order"] == ["favorites_%s_%s" % (uid, tid), "channels_%s_%s" % (uid, tid),
                             "direct_messages_%s_%s" % (uid, tid)]
    favorites, chans, dms = body["categories"]
    assert favorites == {"id": body["order"][0], "user_id": uid, "team_id": tid, "sort_order": 0, "sorting": "",
                         "type": "favorites", "display_name": "Favorites", "muted": False, "collapsed": False,
                         "channel_ids": []}
    assert (chans["type"], chans["display_name"], chans["sort_order"], chans["sorting"]) == \
        ("channels", "Channels", 10, "")
    assert (dms["type"], dms["display_name"], dms["sort_order"], dms["sorting"]) == \
        ("direct_messages", "Direct Messages", 20, "recent")
    # The team's default channels, by display name.
    with app.app_context():
        off = channels.get_by_name(tid, "off-topic").id
        town = channels.get_by_name(tid, "town-square").id
    assert chans["channel_ids"] == [off, town]
    assert _get(client, who, team) == body  # made once
    assert client.get((BASE % ("me", tid)) + "/order", headers=auth(who)).get_json() == body["order"]


def test_concurrent_first_reads_make_one_set(app, client, admin):
    team = _team(app)
    who = _member(app, client, admin, team)
    results = []

    def read():
        results.append(app.test_client().get(BASE % ("me", team.id), headers=auth(who)).status_code)

    threads = [threading.Thread(target=read) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [200] * 4
    with app.app_context():
        count = models.SidebarCategory.select().where((models.SidebarCategory.user_id == who["user_id"])
                                                      & (models.SidebarCategory.team_id == team.id)).count()
    assert count == 3


def test_channels_and_direct_messages_fill_themselves(app, client, admin):
    team, other_team = _team(app), _team(app)
    who = _member(app, client, admin, team)
    friend = _member(app, client, admin, team)
    private = _channel(app, team, who, "P", "aaa private")
    not_mine = _channel(app, team, None, "O")
    elsewhere = _channel(app, other_team, who, "O")
    dm = _dm(app, who, friend)
    archived = _channel(app, team, who, "O", "archived one")
    with app.app_context():
        channels.update(archived.id, {"delete_at": 1})
    body = _get(client, who, team)
    chans = _by_type(body, "channels")["channel_ids"]
    assert chans[0] == private.id
    assert not_mine.id not in chans and elsewhere.id not in chans and archived.id not in chans
    assert _by_type(body, "direct_messages")["channel_ids"] == [dm.id]
    # Direct messages show in every team of the user.
    with app.app_context():
        teams.add_member(other_team, users.get(who["user_id"]))
    assert _by_type(_get(client, who, other_team), "direct_messages")["channel_ids"] == [dm.id]
    # The friend sees the same direct message; a stranger's sidebar does not.
    assert dm.id in _by_type(_get(client, friend, team), "direct_messages")["channel_ids"]
    stranger = _member(app, client, admin, team)
    assert dm.id not in _by_type(_get(client, stranger, team), "direct_messages")["channel_ids"]
    assert private.id not in _by_type(_get(client, stranger, team), "channels")["channel_ids"]


def test_create_custom_category(app, client, admin):
    team = _team(app)
    who = _member(app, client, admin, team)
    chan = _channel(app, team, who, "O", "zzz last")
    foreign = _channel(app, team, None, "P")
    body = {"user_id": who["user_id"], "team_id": team.id, "display_name": "Work", "type": "custom",
            "channel_ids": [chan.id, foreign.id, chan.id]}
    response = client.post(BASE % ("me", team.id), json=body, headers=auth(who))
    assert response.status_code == 200, response.data
    created = response.get_json()
    assert created["type"] == "custom" and created["display_name"] == "Work"
    assert created["channel_ids"] == [chan.id]  # not a member of foreign
    assert created["sort_order"] == 10  # after Favorites
    everything = _get(client, who, team)
    assert everything["order"][1] == created["id"]
    assert [c["sort_order"] for c in everything["categories"]] == [0, 10, 20, 30]
    assert chan.id not in _by_type(everything, "channels")["channel_ids"]  # it moved
    fetched = client.get((BASE % ("me", team.id)) + "/" + created["id"], headers=auth(who)).get_json()
    assert fetched == dict(created, sort_order=10)
    # A type asked for is ignored: new categories are custom.
    response = client.post(BASE % ("me", team.id), json=dict(body, type="favorites", channel_ids=[]),
                           headers=auth(who))
    assert response.get_json()["type"] == "custom"


def test_create_refused(app, client, admin):
    team, other_team = _team(app), _team(app)
    who = _member(app, client, admin, team)
    peer = _member(app, client, admin, team)
    good = {"user_id": who["user_id"], "team_id": team.id, "display_name": "X"}
    url = BASE % (who["user_id"], team.id)
    assert client.post(url, json=good).status_code == 401
    assert client.post(url, json=good, headers=auth(peer)).status_code == 403
    wrong = client.post(url, json=dict(good, team_id=other_team.id), headers=auth(who))
    assert wrong.status_code == 400 and wrong.get_json()["id"] == "api.context.invalid_param.app_error"
    assert client.post(url, json=dict(good, user_id=peer["user_id"]), headers=auth(who)).status_code == 400
    assert client.post(url, json=dict(good, display_name="x" * 65), headers=auth(who)).status_code == 400
    assert client.post(url, json=dict(good, sorting="sideways"), headers=auth(who)).status_code == 400
    assert client.post(url, json=dict(good, channel_ids="nope"), headers=auth(who)).status_code == 400
    assert client.post(BASE % ("nope", team.id), json=good, headers=auth(who)).status_code == 400
    bad_team = client.post(BASE % (who["user_id"], "short"), json=good, headers=auth(who))
    assert bad_team.status_code == 400 and bad_team.get_json()["id"] == "api.context.invalid_url_param.app_error"
    # Not a member of the team: no categories there.
    outside = client.post(BASE % (who["user_id"], other_team.id), json=dict(good, team_id=other_team.id),
                          headers=auth(who))
    assert outside.status_code == 404 and outside.get_json()["id"] == "app.channel.sidebar_categories.app_error"


def test_not_a_member_sees_nothing(app, client, admin):
    team = _team(app)
    who = _member(app, client, admin, team)
    other_team = _team(app)
    assert _get(client, who, other_team) == {"categories": [], "order": []}
    assert client.get((BASE % ("me", other_team.id)) + "/order", headers=auth(who)).get_json() == []
    # Leaving a team hides its categories.
    _get(client, who, team)
    with app.app_context():
        teams.remove_member(team.id, who["user_id"])
    assert _get(client, who, team) == {"categories": [], "order": []}


def test_read_permissions(app, client, admin):
    team = _team(app)
    who = _member(app, client, admin, team)
    peer = _member(app, client, admin, team)
    url = BASE % (who["user_id"], team.id)
    assert client.get(url).status_code == 401
    denied = client.get(url, headers=auth(peer))
    assert denied.status_code == 403 and denied.get_json()["id"] == "api.context.permissions.app_error"
    assert client.get(url + "/order", headers=auth(peer)).status_code == 403
    favorites = "favorites_%s_%s" % (who["user_id"], team.id)
    assert client.get(url + "/" + favorites, headers=auth(peer)).status_code == 403
    # Someone else's category through your own URL: 403 too.
    assert client.get((BASE % (peer["user_id"], team.id)) + "/" + favorites, headers=auth(peer)).status_code == 403
    # A system admin (edit_other_users) may read anyone's.
    assert client.get(url, headers=auth(admin)).status_code == 200
    assert client.get(url + "/" + favorites, headers=auth(admin)).get_json()["type"] == "favorites"
    missing = client.get(url + "/" + "z" * 26, headers=auth(admin))
    assert missing.status_code == 404 and missing.get_json()["id"] == "app.channel.sidebar_categories.app_error"
    assert client.get(url + "/" + "z" * 26, headers=auth(who)).status_code == 403
    assert client.get(url + "/bad.id", headers=auth(who)).status_code == 404  # not a route
    bad = client.get(url + "/not_valid_id", headers=auth(who))
    assert bad.status_code == 400 and bad.get_json()["id"] == "api.context.invalid_url_param.app_error"


def test_update_categories_moves_channels(app, client, admin):
    team = _team(app)
    who = _member(app, client, admin, team)
    friend = _member(app, client, admin, team)
    chan = _channel(app, team, who, "O", "mid")
    dm = _dm(app, who, friend)
    body = _get(client, who, team)
    favorites, chans, dms = body["categories"]
    moved = [dict(favorites, channel_ids=[dm.id, chan.id]),
             dict(chans, channel_ids=[c for c in chans["channel_ids"] if c != chan.id], collapsed=True,
                  display_name="Renamed")]
    response = client.put(BASE % ("me", team.id), json=moved, headers=auth(who))
    assert response.status_code == 200, response.data
    updated = response.get_json()
    assert [c["id"] for c in updated] == [favorites["id"], chans["id"]]
    assert updated[0]["channel_ids"] == [dm.id, chan.id]
    assert updated[1]["collapsed"] is True and updated[1]["display_name"] == "Channels"  # defaults keep names
    after = _get(client, who, team)
    assert _by_type(after, "direct_messages")["channel_ids"] == []
    assert chan.id not in _by_type(after, "channels")["channel_ids"]
    # Favorites are kept as preferences too.
    prefs = client.get("/api/v4/users/me/preferences/favorite_channel", headers=auth(who)).get_json()
    assert {p["name"] for p in prefs if p["value"] == "true"} == {dm.id, chan.id}
    # Moving a channel out of Favorites puts it back where it belongs.
    response = client.put(BASE % ("me", team.id), json=[dict(favorites, channel_ids=[])], headers=auth(who))
    assert response.get_json()[0]["channel_ids"] == []
    after = _get(client, who, team)
    assert _by_type(after, "direct_messages")["channel_ids"] == [dm.id]
    assert chan.id in _by_type(after, "channels")["channel_ids"]
    assert client.get("/api/v4/users/me/preferences/favorite_channel", headers=auth(who)).status_code == 404


def test_update_rules(app, client, admin):
    team = _team(app)
    who = _member(app, client, admin, team)
    friend = _member(app, client, admin, team)
    dm = _dm(app, who, friend)
    foreign = _channel(app, team, None, "O")
    body = _get(client, who, team)
    favorites, chans, dms = body["categories"]
    custom = client.post(BASE % ("me", team.id), json={"user_id": who["user_id"], "team_id": team.id,
                                                        "display_name": "Mine"}, headers=auth(who)).get_json()
    # Custom categories can be renamed; the DM category keeps its channels and is never muted.
    response = client.put(BASE % ("me", team.id), json=[
        dict(custom, display_name="Ours", sorting="alpha", channel_ids=[foreign.id]),
        dict(dms, muted=True, channel_ids=[], sorting="alpha")], headers=auth(who))
    assert response.status_code == 200, response.data
    ours, direct = response.get_json()
    assert ours["display_name"] == "Ours" and ours["sorting"] == "alpha" and ours["channel_ids"] == []
    assert direct["muted"] is False and direct["channel_ids"] == [dm.id] and direct["sorting"] == "alpha"
    # Read-only fields stay.
    response = client.put(BASE % ("me", team.id), json=[dict(chans, type="custom", sort_order=99,
                                                             team_id="x" * 26)], headers=auth(who))
    assert response.get_json()[0]["type"] == "channels" and response.get_json()[0]["sort_order"] == 20
    assert response.get_json()[0]["team_id"] == team.id
    # Categories that are not yours, or not there: 400.
    peer = _member(app, client, admin, team)
    theirs = _by_type(_get(client, peer, team), "favorites")
    for bad in ([theirs], [dict(favorites, id="z" * 26)], [{"display_name": "no id"}]):
        refused = client.put(BASE % ("me", team.id), json=bad, headers=auth(who))
        assert refused.status_code == 400, bad
        assert refused.get_json()["id"] == "api.context.invalid_param.app_error"
    # An admin naming a category that is not the user's: 400 as well.
    assert client.put(BASE % (who["user_id"], team.id), json=[theirs], headers=auth(admin)).status_code == 400
    assert client.put(BASE % (who["user_id"], team.id), json=[favorites], headers=auth(peer)).status_code == 403
    assert client.put(BASE % (who["user_id"], team.id), json=[favorites]).status_code == 401


def test_muting_a_category_mutes_its_channels(app, client, admin):
    team = _team(app)
    who = _member(app, client, admin, team)
    chan = _channel(app, team, who, "O")

    def mark_unread(channel_id):
        with app.app_context():
            return channels.get_member(channel_id, who["user_id"]).notify_props["mark_unread"]

    body = _get(client, who, team)
    favorites, chans, _ = body["categories"]
    response = client.put(BASE % ("me", team.id), json=[dict(chans, muted=True)], headers=auth(who))
    assert response.get_json()[0]["muted"] is True
    assert all(mark_unread(c) == "mention" for c in chans["channel_ids"])
    # Moved into an unmuted category, the channel is unmuted.
    left = [c for c in chans["channel_ids"] if c != chan.id]
    client.put(BASE % ("me", team.id), json=[dict(favorites, channel_ids=[chan.id]),
                                             dict(chans, muted=True, channel_ids=left)], headers=auth(who))
    assert mark_unread(chan.id) == "all" and mark_unread(left[0]) == "mention"
    client.put(BASE % ("me", team.id), json=[dict(chans, muted=False, channel_ids=left)], headers=auth(who))
    assert mark_unread(left[0]) == "all"


def test_update_one_category(app, client, admin):
    team = _team(app)
    who = _member(app, client, admin, team)
    peer = _member(app, client, admin, team)
    chan = _channel(app, team, who, "O")
    custom = client.post(BASE % ("me", team.id), json={"user_id": who["user_id"], "team_id": team.id,
                                                        "display_name": "One"}, headers=auth(who)).get_json()
    url = (BASE % (who["user_id"], team.id)) + "/" + custom["id"]
    response = client.put(url, json=dict(custom, display_name="Two", channel_ids=[chan.id]), headers=auth(who))
    assert response.status_code == 200, response.data
    assert response.get_json()["display_name"] == "Two" and response.get_json()["channel_ids"] == [chan.id]
    # The id in the URL wins over the body's.
    favorites = "favorites_%s_%s" % (who["user_id"], team.id)
    response = client.put(url, json=dict(custom, id=favorites, display_name="Three"), headers=auth(who))
    assert response.get_json()["id"] == custom["id"] and response.get_json()["display_name"] == "Three"
    assert client.put(url, json=dict(custom, user_id=peer["user_id"]), headers=auth(who)).status_code == 400
    assert client.put(url, json=custom, headers=auth(peer)).status_code == 403
    assert client.put(url, json=custom).status_code == 401
    missing = client.put((BASE % (who["user_id"], team.id)) + "/" + "z" * 26, json=custom, headers=auth(admin))
    assert missing.status_code == 404


def test_order(app, client, admin):
    team = _team(app)
    who = _member(app, client, admin, team)
    peer = _member(app, client, admin, team)
    custom = client.post(BASE % ("me", team.id), json={"user_id": who["user_id"], "team_id": team.id,
                                                        "display_name": "C"}, headers=auth(who)).get_json()
    url = (BASE % ("me", team.id)) + "/order"
    order = client.get(url, headers=auth(who)).get_json()
    assert order[1] == custom["id"] and len(order) == 4
    new_order = list(reversed(order))
    response = client.put(url, json=new_order, headers=auth(who))
    assert response.status_code == 200 and response.get_json() == new_order
    body = _get(client, who, team)
    assert body["order"] == new_order and [c["sort_order"] for c in body["categories"]] == [0, 10, 20, 30]
    # A new category goes first when Favorites is not first.
    second = client.post(BASE % ("me", team.id), json={"user_id": who["user_id"], "team_id": team.id,
                                                        "display_name": "D"}, headers=auth(who)).get_json()
    assert second["sort_order"] == 0 and client.get(url, headers=auth(who)).get_json()[0] == second["id"]
    order = client.get(url, headers=auth(who)).get_json()
    short = client.put(url, json=order[:-1], headers=auth(who))
    assert short.status_code == 400 and short.get_json()["id"] == "app.channel.sidebar_categories.app_error"
    assert client.put(url, json=order[:-1] + [order[0]], headers=auth(who)).status_code == 400
    foreign = client.put(url, json=order[:-1] + ["favorites_%s_%s" % (peer["user_id"], team.id)], headers=auth(who))
    assert foreign.status_code == 400 and foreign.get_json()["id"] == "api.context.invalid_param.app_error"
    assert client.put((BASE % (who["user_id"], team.id)) + "/order", json=order, headers=auth(peer)).status_code == 403
    assert client.put(url, json=order).status_code == 401
    assert client.get((BASE % (who["user_id"], team.id)) + "/order", headers=auth(peer)).status_code == 403


def test_delete_custom_category(app, client, admin):
    team = _team(app)
    who = _member(app, client, admin, team)
    peer = _member(app, client, admin, team)
    chan = _channel(app, team, who, "O")
    friend = _member(app, client, admin, team)
    dm = _dm(app, who, friend)
    custom = client.post(BASE % ("me", team.id), json={"user_id": who["user_id"], "team_id": team.id,
                                                        "display_name": "Gone", "channel_ids": [chan.id, dm.id]},
                         headers=auth(who)).get_json()
    assert custom["channel_ids"] == [chan.id, dm.id]
    url = (BASE % (who["user_id"], team.id)) + "/" + custom["id"]
    assert client.delete(url).status_code == 401
    assert client.delete(url, headers=auth(peer)).status_code == 403
    response = client.delete(url, headers=auth(who))
    assert response.status_code == 200 and response.get_json() == {"status": "OK"}
    body = _get(client, who, team)
    assert custom["id"] not in body["order"]
    assert chan.id in _by_type(body, "channels")["channel_ids"]
    assert _by_type(body, "direct_messages")["channel_ids"] == [dm.id]
    assert client.delete(url, headers=auth(who)).status_code == 403  # gone: no longer yours
    assert client.delete(url, headers=auth(admin)).status_code == 404
    default = client.delete((BASE % (who["user_id"], team.id)) + "/channels_%s_%s" % (who["user_id"], team.id),
                            headers=auth(who))
    assert default.status_code == 400 and default.get_json()["id"] == "app.channel.sidebar_categories.app_error"


def test_leaving_a_channel_takes_it_out(app, client, admin):
    team = _team(app)
    who = _member(app, client, admin, team)
    chan = _channel(app, team, who, "O")
    favorites = _by_type(_get(client, who, team), "favorites")
    client.put(BASE % ("me", team.id), json=[dict(favorites, channel_ids=[chan.id])], headers=auth(who))
    with app.app_context():
        models.ChannelMember.delete().where((models.ChannelMember.channel_id == chan.id)
                                            & (models.ChannelMember.user_id == who["user_id"])).execute()
    body = _get(client, who, team)
    assert chan.id not in _by_type(body, "favorites")["channel_ids"]
    assert chan.id not in _by_type(body, "channels")["channel_ids"]


@pytest.mark.parametrize("method", ["get", "post", "put"])
def test_other_users_need_edit_other_users(app, client, admin, method):
    team = _team(app)
    who = _member(app, client, admin, team)
    other = _member(app, client, admin, team)
    url = BASE % (other["user_id"], team.id)
    body = {"user_id": other["user_id"], "team_id": team.id, "display_name": "x"} if method == "post" else []
    kwargs = {} if method == "get" else {"json": body}
    assert getattr(client, method)(url, headers=auth(who), **kwargs).status_code == 403
    assert getattr(client, method)(url, headers=auth(admin), **kwargs).status_code == 200


def test_odd_input_is_refused_not_crashed(app, client, admin):
    team = _team(app)
    who = _member(app, client, admin, team)
    base = {"user_id": who["user_id"], "team_id": team.id}
    assert client.post(BASE % ("me", team.id), json=dict(base, display_name="\ud800"),
                       headers=auth(who)).status_code == 400
    assert client.put(BASE % ("me", team.id), json=[{"id": "\ud800x"}], headers=auth(who)).status_code == 400
    assert client.put((BASE % ("me", team.id)) + "/order", json=["\ud800"], headers=auth(who)).status_code == 400
    assert client.put(BASE % ("me", team.id), json=[{"id": "\ud800x"}], headers=auth(admin)).status_code == 400


def test_favorite_preferences_and_the_favorites_category(app, client, admin):
    team = _team(app)
    who = _member(app, client, admin, team)
    channel = _channel(app, team, who)
    _get(client, who, team)
    favorite = [{"user_id": who["user_id"], "category": "favorite_channel", "name": channel.id, "value": "true"}]
    assert client.put("/api/v4/users/me/preferences", json=favorite, headers=auth(who)).status_code == 200
    body = _get(client, who, team)
    assert channel.id in _by_type(body, "favorites")["channel_ids"]
    assert channel.id not in _by_type(body, "channels")["channel_ids"]
    assert client.post("/api/v4/users/me/preferences/delete", json=favorite, headers=auth(who)).status_code == 200
    body = _get(client, who, team)
    assert channel.id not in _by_type(body, "favorites")["channel_ids"]
    assert channel.id in _by_type(body, "channels")["channel_ids"]


def test_leaving_the_team_drops_its_sidebar(app, client, admin):
    team = _team(app)
    who = _member(app, client, admin, team)
    body = {"user_id": who["user_id"], "team_id": team.id, "display_name": "Mine", "type": "custom"}
    created = client.post(BASE % ("me", team.id), json=body, headers=auth(who))
    assert created.status_code == 200, created.data
    assert client.delete("/api/v4/teams/%s/members/%s" % (team.id, who["user_id"]), headers=auth(who)).status_code == 200
    assert not models.SidebarCategory.select().where((models.SidebarCategory.user_id == who["user_id"])
                                                     & (models.SidebarCategory.team_id == team.id)).exists()
    with app.app_context():
        teams.add_member(team, users.get(who["user_id"]))
    assert "custom" not in [c["type"] for c in _get(client, who, team)["categories"]]
