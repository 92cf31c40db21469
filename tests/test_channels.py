"""Channel operations (handlers/channels.py), as Mattermost's Team Edition
server answers them: creation rules, reading with privacy, changes, archiving,
moving, the lists and searches, and the licensed features answered as an
unlicensed server does. Teams are made through the store core."""
import pytest

from conftest import auth, create, login, unique
from store import channels as store_channels, models, teams, users

API = "/api/v4"
NO_ID = "z" * 26


class World:
    pass


def _team(app, *members, admins=()):
    with app.app_context():
        team = teams.create({"display_name": "Team " + unique("t"), "name": unique("team"), "type": "O"})
        for who in members + tuple(admins):
            teams.add_member(team, users.get(who["user_id"]), admin=who in admins)
    return team


def _user(client, admin, guest=False):
    created = create(client, admin)
    if guest:
        users.set_roles(created["id"], "system_guest")
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
    world.carol = _user(client, admin)  # team admin of team
    world.dave = _user(client, admin)  # only in other team
    world.team = _team(app, world.alice, world.bob, admins=(world.carol,))
    world.other = _team(app, world.dave)
    return world


def post_channel(client, who, team, **fields):
    body = {"team_id": team.id, "name": unique("chan"), "display_name": "Channel", "type": "O", **fields}
    return client.post(API + "/channels", json=body, headers=auth(who))


def make_channel(client, who, team, **fields):
    response = post_channel(client, who, team, **fields)
    assert response.status_code == 201, response.data
    return response.get_json()


def error_id(response):
    return response.get_json()["id"]


# ---------------------------------------------------------------------------
# Creating

def test_create_public_and_private(client, w):
    public = make_channel(client, w.alice, w.team, purpose="talk", header="hi")
    assert public["type"] == "O" and public["team_id"] == w.team.id and public["creator_id"] == w.alice["user_id"]
    assert public["purpose"] == "talk" and public["header"] == "hi" and public["delete_at"] == 0
    member = store_channels.get_member(public["id"], w.alice["user_id"])
    assert store_channels.member_json(member)["roles"] == "channel_user channel_admin"
    private = make_channel(client, w.alice, w.team, type="P", display_name="  Secret  ")
    assert private["type"] == "P" and private["display_name"] == "Secret"
    taken = post_channel(client, w.bob, w.team, name=public["name"])
    assert taken.status_code == 400 and error_id(taken) == "store.sql_channel.save_channel.exists.app_error"


@pytest.mark.parametrize("fields,expected", [
    ({"name": "Bad Name"}, "model.channel.is_valid.1_or_more.app_error"),
    ({"name": ""}, "model.channel.is_valid.1_or_more.app_error"),
    ({"name": "-dash"}, "model.channel.is_valid.1_or_more.app_error"),
    ({"name": "a" * 65}, "model.channel.is_valid.1_or_more.app_error"),
    ({"name": "a" * 26 + "__" + "b" * 26}, "model.channel.is_valid.name.app_error"),
    ({"name": "a" * 40}, "model.channel.is_valid.name.app_error"),
    ({"display_name": "d" * 65}, "model.channel.is_valid.display_name.app_error"),
    ({"purpose": "p" * 251}, "model.channel.is_valid.purpose.app_error"),
    ({"header": "h" * 1025}, "model.channel.is_valid.header.app_error"),
    ({"display_name": ""}, "api.context.invalid_body_param.app_error"),
    ({"team_id": ""}, "api.context.invalid_body_param.app_error"),
    ({"type": "D"}, "api.channel.create_channel.direct_channel.app_error"),
    ({"type": "X"}, "model.channel.is_valid.type.app_error"),
])
def test_create_refused(client, w, fields, expected):
    response = post_channel(client, w.alice, w.team, **fields)
    assert response.status_code == 400 and error_id(response) == expected, response.data


def test_create_needs_team_permission(client, w):
    assert post_channel(client, w.dave, w.team).status_code == 403
    assert post_channel(client, w.dave, w.team, type="P").status_code == 403
    assert client.post(API + "/channels", json={"team_id": w.team.id, "name": "x", "display_name": "x",
                                                "type": "O"}).status_code == 401
    bogus = post_channel(client, w.admin, type("T", (), {"id": NO_ID})())
    assert bogus.status_code == 404 and error_id(bogus) == "app.channel.get_channels.not_found.app_error"


def test_create_limit(client, w, app):
    settings = app.config["MM_CONFIG"]["TeamSettings"]
    count = store_channels.team_channel_count(w.team.id)
    settings["MaxChannelsPerTeam"] = count
    try:
        response = post_channel(client, w.alice, w.team)
        assert response.status_code == 400
        assert error_id(response) == "api.channel.create_channel.max_channel_limit.app_error"
    finally:
        settings["MaxChannelsPerTeam"] = 2000


def test_direct_channel(client, w):
    response = client.post(API + "/channels/direct", json=[w.alice["user_id"], w.bob["user_id"]],
                           headers=auth(w.alice))
    assert response.status_code == 201
    dm = response.get_json()
    assert dm["type"] == "D" and dm["team_id"] == "" and dm["display_name"] == ""
    assert dm["name"] == "__".join(sorted([w.alice["user_id"], w.bob["user_id"]]))
    assert set(store_channels.member_ids(dm["id"])) == {w.alice["user_id"], w.bob["user_id"]}
    again = client.post(API + "/channels/direct", json=[w.bob["user_id"], w.alice["user_id"]], headers=auth(w.bob))
    assert again.status_code == 201 and again.get_json()["id"] == dm["id"]
    mine = client.post(API + "/channels/direct", json=[w.alice["user_id"], w.alice["user_id"]],
                       headers=auth(w.alice))
    assert mine.status_code == 201 and mine.get_json()["name"] == w.alice["user_id"] + "__" + w.alice["user_id"]
    assert store_channels.member_ids(mine.get_json()["id"]) == [w.alice["user_id"]]


def test_direct_channel_refused(client, w, app):
    others = [w.bob["user_id"], w.carol["user_id"]]
    refused = client.post(API + "/channels/direct", json=others, headers=auth(w.alice))
    assert refused.status_code == 403
    assert client.post(API + "/channels/direct", json=others, headers=auth(w.admin)).status_code == 201
    bad = client.post(API + "/channels/direct", json=[w.alice["user_id"], "nope"], headers=auth(w.alice))
    assert bad.status_code == 400 and error_id(bad) == "api.context.invalid_body_param.app_error"
    missing = client.post(API + "/channels/direct", json=[w.alice["user_id"], NO_ID], headers=auth(w.alice))
    assert missing.status_code == 400 and error_id(missing) == "api.channel.create_direct_channel.invalid_user.app_error"
    assert client.post(API + "/channels/direct", json=others).status_code == 401
    guest = _user(client, w.admin, guest=True)
    hidden = client.post(API + "/channels/direct", json=[guest["user_id"], w.dave["user_id"]], headers=auth(guest))
    assert hidden.status_code == 403
    settings = app.config["MM_CONFIG"]["TeamSettings"]
    settings["RestrictDirectMessage"] = "team"
    try:
        apart = client.post(API + "/channels/direct", json=[w.alice["user_id"], w.dave["user_id"]],
                            headers=auth(w.alice))
        assert apart.status_code == 403
        assert error_id(apart) == "api.channel.create_channel.direct_channel.team_restricted_error"
    finally:
        settings["RestrictDirectMessage"] = "any"


def test_group_channel(client, w):
    members = [w.bob["user_id"], w.carol["user_id"], w.alice["user_id"]]
    response = client.post(API + "/channels/group", json=members, headers=auth(w.alice))
    assert response.status_code == 201
    gm = response.get_json()
    assert gm["type"] == "G" and gm["team_id"] == ""
    assert gm["display_name"] == ", ".join(sorted([w.alice["username"], w.bob["username"], w.carol["username"]]))
    assert gm["name"] == store_channels.group_name(members)
    again = client.post(API + "/channels/group", json=list(reversed(members)), headers=auth(w.bob))
    assert again.status_code == 201 and again.get_json()["id"] == gm["id"]
    # The caller is added when absent.
    added = client.post(API + "/channels/group", json=[w.bob["user_id"], w.carol["user_id"], w.dave["user_id"]],
                        headers=auth(w.alice))
    assert added.status_code == 201
    assert w.alice["user_id"] in store_channels.member_ids(added.get_json()["id"])


def test_group_channel_refused(client, w, admin):
    many = [create(client, admin)["id"] for _ in range(8)]
    too_many = client.post(API + "/channels/group", json=many, headers=auth(w.alice))
    assert too_many.status_code == 400 and error_id(too_many) == "api.channel.create_group.bad_size.app_error"
    missing = client.post(API + "/channels/group", json=[w.bob["user_id"], NO_ID, w.alice["user_id"]],
                          headers=auth(w.alice))
    assert missing.status_code == 400 and error_id(missing) == "api.channel.create_group.bad_user.app_error"
    bad = client.post(API + "/channels/group", json=[w.bob["user_id"], "x", w.alice["user_id"]],
                      headers=auth(w.alice))
    assert bad.status_code == 400
    assert client.post(API + "/channels/group", json=many[:3]).status_code == 401


# ---------------------------------------------------------------------------
# Reading, and privacy

def test_get_channel_and_privacy(client, w):
    public = make_channel(client, w.alice, w.team)
    private = make_channel(client, w.alice, w.team, type="P")
    dm = client.post(API + "/channels/direct", json=[w.alice["user_id"], w.bob["user_id"]],
                     headers=auth(w.alice)).get_json()
    get = lambda who, cid: client.get(API + "/channels/" + cid, headers=auth(who))  # noqa: E731
    assert get(w.bob, public["id"]).get_json()["id"] == public["id"]  # team member, not channel member
    assert get(w.dave, public["id"]).status_code == 403  # other team
    assert get(w.bob, private["id"]).status_code == 403
    assert get(w.carol, private["id"]).status_code == 403  # team admins cannot read private channels by id
    assert get(w.alice, private["id"]).status_code == 200
    assert get(w.carol, dm["id"]).status_code == 403
    assert get(w.bob, dm["id"]).status_code == 200
    assert get(w.admin, private["id"]).status_code == 200 and get(w.admin, dm["id"]).status_code == 200
    missing = get(w.alice, NO_ID)
    assert missing.status_code == 404 and error_id(missing) == "app.channel.get.existing.app_error"
    assert get(w.alice, "short").status_code == 400
    assert client.get(API + "/channels/" + public["id"]).status_code == 401


def test_get_by_name(client, w):
    public = make_channel(client, w.alice, w.team)
    private = make_channel(client, w.alice, w.team, type="P")
    dm = client.post(API + "/channels/direct", json=[w.alice["user_id"], w.bob["user_id"]],
                     headers=auth(w.alice)).get_json()

    def by_name(who, name, team=w.team, query=""):
        return client.get("%s/teams/%s/channels/name/%s%s" % (API, team.id, name, query), headers=auth(who))

    def by_team_name(who, name, team=w.team, query=""):
        return client.get("%s/teams/name/%s/channels/name/%s%s" % (API, team.name, name, query), headers=auth(who))

    for lookup in (by_name, by_team_name):
        assert lookup(w.bob, public["name"]).get_json()["id"] == public["id"]
        assert lookup(w.dave, public["name"]).status_code == 403
        hidden = lookup(w.bob, private["name"])
        assert hidden.status_code == 404 and error_id(hidden) == "app.channel.get_by_name.missing.app_error"
        assert lookup(w.carol, private["name"]).status_code == 200  # team admins may
        assert lookup(w.alice, private["name"]).status_code == 200
        assert lookup(w.carol, dm["name"]).status_code == 404
        assert lookup(w.bob, dm["name"]).get_json()["id"] == dm["id"]
        assert lookup(w.alice, "no-such-channel").status_code == 404
        assert lookup(w.alice, "Bad Name!").status_code in (400, 404)
    missing_team = client.get(API + "/teams/name/nosuchteam/channels/name/town-square", headers=auth(w.alice))
    assert missing_team.status_code == 404 and error_id(missing_team) == "app.team.get_by_name.missing.app_error"
    assert client.get(API + "/teams/bad/channels/name/town-square", headers=auth(w.alice)).status_code == 400
    archived = make_channel(client, w.alice, w.team)
    assert client.delete(API + "/channels/" + archived["id"], headers=auth(w.alice)).status_code == 200
    assert by_name(w.alice, archived["name"]).status_code == 404
    assert by_name(w.alice, archived["name"], query="?include_deleted=true").status_code == 200
    assert by_team_name(w.alice, archived["name"], query="?include_deleted=true").status_code == 200


# ---------------------------------------------------------------------------
# Changing

def test_update_channel(client, w):
    channel = make_channel(client, w.alice, w.team, purpose="old", header="old")
    url = API + "/channels/" + channel["id"]
    response = client.put(url, json={"id": channel["id"], "display_name": "New Name", "header": "new"},
                          headers=auth(w.alice))
    body = response.get_json()
    assert response.status_code == 200 and body["display_name"] == "New Name" and body["header"] == "new"
    assert body["purpose"] == "" and body["name"] == channel["name"]  # purpose overwritten, name kept
    mismatch = client.put(url, json={"id": NO_ID, "header": "x"}, headers=auth(w.alice))
    assert mismatch.status_code == 400
    assert client.put(url, json={"id": channel["id"], "header": "x"}, headers=auth(w.dave)).status_code == 403
    typed = client.put(url, json={"id": channel["id"], "type": "P"}, headers=auth(w.alice))
    assert typed.status_code == 400 and error_id(typed) == "api.channel.update_channel.typechange.app_error"
    other = make_channel(client, w.alice, w.team)
    clash = client.put(url, json={"id": channel["id"], "name": other["name"]}, headers=auth(w.alice))
    assert clash.status_code == 400 and error_id(clash) == "store.sql_channel.save_channel.exists.app_error"
    town = store_channels.get_by_name(w.team.id, "town-square")
    renamed = client.put(API + "/channels/" + town.id, json={"id": town.id, "name": "elsewhere"},
                         headers=auth(w.admin))
    assert renamed.status_code == 400 and error_id(renamed) == "api.channel.update_channel.tried.app_error"
    missing = client.put(API + "/channels/" + NO_ID, json={"id": NO_ID}, headers=auth(w.admin))
    assert missing.status_code == 404
    client.delete(url, headers=auth(w.alice))
    archived = client.put(url, json={"id": channel["id"], "header": "x"}, headers=auth(w.alice))
    assert archived.status_code == 400 and error_id(archived) == "api.channel.update_channel.deleted.app_error"


def test_update_direct_channel(client, w):
    dm = client.post(API + "/channels/direct", json=[w.alice["user_id"], w.bob["user_id"]],
                     headers=auth(w.alice)).get_json()
    url = API + "/channels/" + dm["id"]
    ok = client.put(url, json={"id": dm["id"], "header": "our talk"}, headers=auth(w.bob))
    assert ok.status_code == 200 and ok.get_json()["header"] == "our talk"
    renamed = client.put(url, json={"id": dm["id"], "name": "renamed"}, headers=auth(w.bob))
    assert renamed.status_code == 400
    assert error_id(renamed) == "api.channel.update_channel.update_direct_or_group_messages_not_allowed.app_error"
    outsider = client.put(url, json={"id": dm["id"], "header": "x"}, headers=auth(w.carol))
    assert outsider.status_code == 403 and error_id(outsider) == "api.channel.patch_update_channel.forbidden.app_error"


def test_patch_channel(client, w):
    channel = make_channel(client, w.alice, w.team, type="P", header="keep")
    url = API + "/channels/%s/patch" % channel["id"]
    patched = client.put(url, json={"display_name": " Renamed ", "purpose": "why"}, headers=auth(w.alice))
    body = patched.get_json()
    assert patched.status_code == 200 and body["display_name"] == "Renamed" and body["header"] == "keep"
    assert body["purpose"] == "why"
    none = client.put(url, json={}, headers=auth(w.alice))
    assert none.status_code == 400 and error_id(none) == "api.channel.patch_update_channel.no_changes.app_error"
    assert client.put(url, json={"header": "x"}, headers=auth(w.bob)).status_code == 403
    assert client.put(url, json={"header": "x"}, headers=auth(w.dave)).status_code == 403
    translate = client.put(url, json={"autotranslation": True}, headers=auth(w.alice))
    assert translate.status_code == 403
    banner = client.put(url, json={"banner_info": {"enabled": True, "text": "hi", "background_color": "#fff"}},
                        headers=auth(w.alice))
    assert banner.status_code == 403 and error_id(banner) == "license_error.feature_unavailable.specific"
    bad = client.put(url, json={"name": "Not Valid"}, headers=auth(w.alice))
    assert bad.status_code == 400 and error_id(bad) == "model.channel.is_valid.1_or_more.app_error"
    assert client.put(API + "/channels/%s/patch" % NO_ID, json={"header": "x"}, headers=auth(w.admin)).status_code == 404
    assert client.put(url, json={"header": "x"}).status_code == 401
    town = store_channels.get_by_name(w.team.id, "town-square")
    renamed = client.put(API + "/channels/%s/patch" % town.id, json={"name": "moved"}, headers=auth(w.admin))
    assert renamed.status_code == 400 and error_id(renamed) == "api.channel.update_channel.tried.app_error"


def test_patch_direct_and_group(client, w):
    dm = client.post(API + "/channels/direct", json=[w.alice["user_id"], w.bob["user_id"]],
                     headers=auth(w.alice)).get_json()
    url = API + "/channels/%s/patch" % dm["id"]
    assert client.put(url, json={"header": "hello"}, headers=auth(w.alice)).get_json()["header"] == "hello"
    renamed = client.put(url, json={"display_name": "Us"}, headers=auth(w.alice))
    assert renamed.status_code == 400
    assert error_id(renamed) == "api.channel.patch_update_channel.update_direct_or_group_messages_not_allowed.app_error"
    assert client.put(url, json={"header": "x"}, headers=auth(w.carol)).status_code == 403
    constrained = client.put(url, json={"group_constrained": True}, headers=auth(w.alice))
    assert constrained.status_code == 400


def test_update_privacy(client, w):
    channel = make_channel(client, w.alice, w.team)
    url = API + "/channels/%s/privacy" % channel["id"]
    refused = client.put(url, json={"privacy": "P"}, headers=auth(w.alice))  # channel admins lack the permission
    assert refused.status_code == 403
    converted = client.put(url, json={"privacy": "P"}, headers=auth(w.carol))  # team admin
    assert converted.status_code == 200 and converted.get_json()["type"] == "P"
    back = client.put(url, json={"privacy": "O"}, headers=auth(w.admin))
    assert back.status_code == 200 and back.get_json()["type"] == "O"
    assert client.put(url, json={"privacy": "X"}, headers=auth(w.admin)).status_code == 400
    town = store_channels.get_by_name(w.team.id, "town-square")
    default = client.put(API + "/channels/%s/privacy" % town.id, json={"privacy": "P"}, headers=auth(w.admin))
    assert default.status_code == 400 and error_id(default) == "api.channel.update_channel_privacy.default_channel_error"
    assert client.put(API + "/channels/%s/privacy" % NO_ID, json={"privacy": "P"},
                      headers=auth(w.admin)).status_code == 404


# ---------------------------------------------------------------------------
# Archiving, restoring, moving

def test_delete_and_restore(client, w, app):
    channel = make_channel(client, w.alice, w.team)
    url = API + "/channels/" + channel["id"]
    assert client.delete(url, headers=auth(w.dave)).status_code == 403
    assert client.delete(url, headers=auth(w.alice)).get_json() == {"status": "OK"}
    assert store_channels.get(channel["id"]).delete_at > 0
    again = client.delete(url, headers=auth(w.alice))
    assert again.status_code == 400 and error_id(again) == "api.channel.delete_channel.deleted.app_error"
    assert client.post(url + "/restore", headers=auth(w.alice)).status_code == 403
    restored = client.post(url + "/restore", headers=auth(w.carol))
    assert restored.status_code == 200 and restored.get_json()["delete_at"] == 0
    not_archived = client.post(url + "/restore", headers=auth(w.admin))
    assert not_archived.status_code == 400 and error_id(not_archived) == "api.channel.restore_channel.restored.app_error"
    assert client.post(API + "/channels/%s/restore" % NO_ID, headers=auth(w.admin)).status_code == 404
    town = store_channels.get_by_name(w.team.id, "town-square")
    default = client.delete(API + "/channels/" + town.id, headers=auth(w.admin))
    assert default.status_code == 400 and error_id(default) == "api.channel.delete_channel.cannot.app_error"
    dm = client.post(API + "/channels/direct", json=[w.alice["user_id"], w.bob["user_id"]],
                     headers=auth(w.alice)).get_json()
    direct = client.delete(API + "/channels/" + dm["id"], headers=auth(w.alice))
    assert direct.status_code == 400 and error_id(direct) == "api.channel.delete_channel.type.invalid"
    private = make_channel(client, w.alice, w.team, type="P")
    assert client.delete(API + "/channels/" + private["id"], headers=auth(w.bob)).status_code == 403
    assert client.delete(API + "/channels/" + NO_ID, headers=auth(w.admin)).status_code == 404
    assert client.delete(url).status_code == 401


def test_permanent_delete(client, w, app):
    channel = make_channel(client, w.alice, w.team)
    url = API + "/channels/%s?permanent=true" % channel["id"]
    off = client.delete(url, headers=auth(w.admin))
    assert off.status_code == 401 and error_id(off) == "api.user.delete_channel.not_enabled.for_admin.app_error"
    off_user = client.delete(url, headers=auth(w.alice))
    assert off_user.status_code == 401 and error_id(off_user) == "api.user.delete_channel.not_enabled.app_error"
    settings = app.config["MM_CONFIG"]["ServiceSettings"]
    settings["EnableAPIChannelDeletion"] = True
    try:
        assert client.delete(url, headers=auth(w.admin)).status_code == 200
    finally:
        settings["EnableAPIChannelDeletion"] = False
    assert store_channels.get(channel["id"]) is None
    assert store_channels.member_ids(channel["id"]) == []


def test_move_channel(client, w, app):
    target = _team(app, w.alice)
    channel = make_channel(client, w.alice, w.team)
    url = API + "/channels/%s/move" % channel["id"]
    assert client.post(url, json={"team_id": target.id, "force": False}, headers=auth(w.alice)).status_code == 403
    moved = client.post(url, json={"team_id": target.id, "force": False}, headers=auth(w.admin))
    assert moved.status_code == 200 and moved.get_json()["team_id"] == target.id
    # Bob is not on the target team: refused unless forced, which removes him.
    second = make_channel(client, w.alice, w.team)
    store_channels.add_member(store_channels.get(second["id"]), users.get(w.bob["user_id"]))
    url = API + "/channels/%s/move" % second["id"]
    mismatch = client.post(url, json={"team_id": target.id, "force": False}, headers=auth(w.admin))
    assert mismatch.status_code == 400 and error_id(mismatch) == "app.channel.move_channel.members_do_not_match.error"
    forced = client.post(url, json={"team_id": target.id, "force": True}, headers=auth(w.admin))
    assert forced.status_code == 200 and w.bob["user_id"] not in store_channels.member_ids(second["id"])
    no_force = client.post(url, json={"team_id": w.team.id}, headers=auth(w.admin))
    assert no_force.status_code == 400
    missing = client.post(url, json={"team_id": NO_ID, "force": True}, headers=auth(w.admin))
    assert missing.status_code == 404
    dm = client.post(API + "/channels/direct", json=[w.alice["user_id"], w.bob["user_id"]],
                     headers=auth(w.alice)).get_json()
    direct = client.post(API + "/channels/%s/move" % dm["id"], json={"team_id": target.id, "force": True},
                         headers=auth(w.admin))
    assert direct.status_code == 403 and error_id(direct) == "api.channel.move_channel.type.invalid"
    assert client.post(API + "/channels/%s/move" % NO_ID, json={"team_id": target.id, "force": True},
                       headers=auth(w.admin)).status_code == 404


# ---------------------------------------------------------------------------
# A team's lists

def test_team_lists(client, w):
    public = make_channel(client, w.alice, w.team, display_name="Listed Public")
    private = make_channel(client, w.alice, w.team, type="P")
    listed = client.get(API + "/teams/%s/channels?per_page=200" % w.team.id, headers=auth(w.bob))
    ids = [c["id"] for c in listed.get_json()]
    assert listed.status_code == 200 and public["id"] in ids and private["id"] not in ids
    assert all(c["type"] == "O" for c in listed.get_json())
    assert client.get(API + "/teams/%s/channels" % w.team.id, headers=auth(w.dave)).status_code == 403
    paged = client.get(API + "/teams/%s/channels?per_page=1&page=0" % w.team.id, headers=auth(w.bob)).get_json()
    assert len(paged) == 1
    privates = client.get(API + "/teams/%s/channels/private" % w.team.id, headers=auth(w.admin))
    assert private["id"] in [c["id"] for c in privates.get_json()]
    assert client.get(API + "/teams/%s/channels/private" % w.team.id, headers=auth(w.carol)).status_code == 403
    assert client.get(API + "/teams/bad/channels", headers=auth(w.bob)).status_code == 400
    assert client.get(API + "/teams/%s/channels" % w.team.id).status_code == 401


def test_deleted_lists(client, w):
    public = make_channel(client, w.alice, w.team)
    private = make_channel(client, w.alice, w.team, type="P")
    for channel in (public, private):
        assert client.delete(API + "/channels/" + channel["id"], headers=auth(w.alice)).status_code == 200
    url = API + "/teams/%s/channels/deleted?per_page=200" % w.team.id
    bob_sees = [c["id"] for c in client.get(url, headers=auth(w.bob)).get_json()]
    assert public["id"] in bob_sees and private["id"] not in bob_sees
    alice_sees = [c["id"] for c in client.get(url, headers=auth(w.alice)).get_json()]
    assert private["id"] in alice_sees
    assert client.get(url, headers=auth(w.dave)).status_code == 403


def test_public_by_ids(client, w):
    public = make_channel(client, w.alice, w.team)
    private = make_channel(client, w.alice, w.team, type="P")
    url = API + "/teams/%s/channels/ids" % w.team.id
    found = client.post(url, json=[public["id"], private["id"]], headers=auth(w.bob))
    assert found.status_code == 200 and [c["id"] for c in found.get_json()] == [public["id"]]
    none = client.post(url, json=[private["id"]], headers=auth(w.bob))
    assert none.status_code == 404 and error_id(none) == "app.channel.get_channels_by_ids.not_found.app_error"
    assert client.post(url, json=[], headers=auth(w.bob)).status_code == 400
    assert client.post(url, json=["bad"], headers=auth(w.bob)).status_code == 400
    assert client.post(url, json=[public["id"]], headers=auth(w.dave)).status_code == 403


def test_search_and_autocomplete(client, w):
    public = make_channel(client, w.alice, w.team, display_name="Zebra Crossing", name=unique("zebra"))
    private = make_channel(client, w.alice, w.team, type="P", display_name="Zebra Secret", name=unique("zebra"))
    search = client.post(API + "/teams/%s/channels/search" % w.team.id, json={"term": "zebra"}, headers=auth(w.bob))
    ids = [c["id"] for c in search.get_json()]
    assert search.status_code == 200 and public["id"] in ids and private["id"] not in ids
    by_word = client.post(API + "/teams/%s/channels/search" % w.team.id, json={"term": "cross"}, headers=auth(w.bob))
    assert public["id"] in [c["id"] for c in by_word.get_json()]
    outsider = client.post(API + "/teams/%s/channels/search" % w.team.id, json={"term": "zebra"},
                           headers=auth(w.dave))
    assert outsider.status_code == 404 and error_id(outsider) == "app.team.get_member.missing.app_error"

    def complete(who, path="autocomplete", term="zebra"):
        return client.get(API + "/teams/%s/channels/%s?name=%s" % (w.team.id, path, term), headers=auth(who))

    bob_ids = [c["id"] for c in complete(w.bob).get_json()]
    assert public["id"] in bob_ids and private["id"] not in bob_ids
    alice_ids = [c["id"] for c in complete(w.alice).get_json()]
    assert public["id"] in alice_ids and private["id"] in alice_ids
    assert complete(w.dave).status_code == 403
    # Search autocomplete: only the caller's own channels, and DMs by the other's username.
    assert [c["id"] for c in complete(w.bob, "search_autocomplete").get_json()] == []
    mine = [c["id"] for c in complete(w.alice, "search_autocomplete").get_json()]
    assert public["id"] in mine and private["id"] in mine
    dm = client.post(API + "/channels/direct", json=[w.alice["user_id"], w.bob["user_id"]],
                     headers=auth(w.alice)).get_json()
    found = complete(w.alice, "search_autocomplete", w.bob["username"]).get_json()
    assert [(c["id"], c["display_name"]) for c in found if c["type"] == "D"] == [(dm["id"], w.bob["username"])]


def test_search_as_guest_team_member(client, w, app):
    guest = _user(client, w.admin, guest=True)
    with app.app_context():
        teams.add_member(w.team, users.get(guest["user_id"]))
    public = make_channel(client, w.alice, w.team, display_name="Guest Room", name=unique("guestroom"))
    url = API + "/teams/%s/channels/search" % w.team.id
    assert client.post(url, json={"term": "guest"}, headers=auth(guest)).get_json() == []
    store_channels.add_member(store_channels.get(public["id"]), users.get(guest["user_id"]))
    assert [c["id"] for c in client.post(url, json={"term": "guest"}, headers=auth(guest)).get_json()] == [public["id"]]


# ---------------------------------------------------------------------------
# A user's channels

def test_channels_for_user(client, w, app):
    lonely = _user(client, w.admin)
    team = _team(app, lonely)
    url = API + "/users/%s/teams/%s/channels" % (lonely["user_id"], team.id)
    names = {c["name"] for c in client.get(url, headers=auth(lonely)).get_json()}
    assert names == {"town-square", "off-topic"}
    dm = client.post(API + "/channels/direct", json=[lonely["user_id"], w.bob["user_id"]],
                     headers=auth(lonely)).get_json()
    extra = make_channel(client, lonely, team)
    in_team = [c["id"] for c in client.get(url, headers=auth(lonely)).get_json()]
    assert dm["id"] in in_team and extra["id"] in in_team
    me_url = API + "/users/me/teams/%s/channels" % team.id
    assert len(client.get(me_url, headers=auth(lonely)).get_json()) == len(in_team)
    assert client.get(url, headers=auth(w.bob)).status_code == 403
    assert client.get(url, headers=auth(w.admin)).status_code == 200
    assert client.get(API + "/users/%s/teams/%s/channels" % (w.dave["user_id"], team.id),
                      headers=auth(w.dave)).status_code == 403
    everything = client.get(API + "/users/me/channels", headers=auth(lonely)).get_json()
    assert {dm["id"], extra["id"]} <= {c["id"] for c in everything}
    assert [c["id"] for c in everything] == sorted(c["id"] for c in everything)
    assert client.get(API + "/users/%s/channels" % lonely["user_id"], headers=auth(w.bob)).status_code == 403
    assert client.get(API + "/users/%s/channels" % lonely["user_id"], headers=auth(w.admin)).status_code == 200
    client.delete(API + "/channels/" + extra["id"], headers=auth(lonely))
    assert extra["id"] not in [c["id"] for c in client.get(API + "/users/me/channels", headers=auth(lonely)).get_json()]
    with_deleted = client.get(API + "/users/me/channels?include_deleted=true", headers=auth(lonely)).get_json()
    assert extra["id"] in [c["id"] for c in with_deleted]
    later = client.get(API + "/users/me/channels?include_deleted=true&last_delete_at=%d" % (2 ** 62),
                       headers=auth(lonely)).get_json()
    assert extra["id"] not in [c["id"] for c in later]
    negative = client.get(API + "/users/me/channels?last_delete_at=-1", headers=auth(lonely))
    assert negative.status_code == 400
    nothing = _user(client, w.admin)
    empty = client.get(API + "/users/me/teams/%s/channels" % team.id, headers=auth(nothing))
    assert empty.status_code == 403  # not on the team
    assert client.get(API + "/users/me/channels", headers=auth(nothing)).get_json() == []
    assert client.get(API + "/users/me/channels").status_code == 401


# ---------------------------------------------------------------------------
# System Console lists and searches

def test_all_channels(client, w):
    private = make_channel(client, w.alice, w.team, type="P", display_name="Console Private")
    listed = client.get(API + "/channels?per_page=200", headers=auth(w.admin))
    assert listed.status_code == 200
    entry = next(c for c in listed.get_json() if c["id"] == private["id"])
    assert entry["team_name"] == w.team.name and entry["team_display_name"] == w.team.display_name
    assert all(c["type"] in ("O", "P") for c in listed.get_json())
    counted = client.get(API + "/channels?include_total_count=true&per_page=1", headers=auth(w.admin)).get_json()
    assert set(counted) == {"channels", "total_count"} and len(counted["channels"]) == 1
    assert counted["total_count"] >= 3
    no_defaults = client.get(API + "/channels?exclude_default_channels=true&per_page=200",
                             headers=auth(w.admin)).get_json()
    assert not {c["name"] for c in no_defaults} & {"town-square", "off-topic"}
    assert client.get(API + "/channels", headers=auth(w.alice)).status_code == 403
    assert client.get(API + "/channels").status_code == 401


def test_search_all_channels(client, w):
    channel = make_channel(client, w.alice, w.team, display_name="Sysconsole Findme", name=unique("findme"))
    url = API + "/channels/search"
    plain = client.post(url, json={"term": "findme"}, headers=auth(w.admin))
    assert plain.status_code == 200 and channel["id"] in [c["id"] for c in plain.get_json()]
    paged = client.post(url, json={"term": "findme", "page": "0", "per_page": "10"}, headers=auth(w.admin)).get_json()
    assert paged["total_count"] == 1 and paged["channels"][0]["team_name"] == w.team.name
    private_only = client.post(url, json={"term": "findme", "private": True}, headers=auth(w.admin)).get_json()
    assert private_only == []
    assert client.post(url, json={"term": "findme"}, headers=auth(w.alice)).status_code == 403
    mine = client.post(url + "?system_console=false", json={"term": "findme"}, headers=auth(w.bob))
    assert mine.status_code == 200 and [c["id"] for c in mine.get_json()] == [channel["id"]]
    outsider = client.post(url + "?system_console=false", json={"term": "findme"}, headers=auth(w.dave))
    assert outsider.get_json() == []
    in_team = client.post(url + "?system_console=false", json={"term": "findme", "team_ids": [w.team.id]},
                          headers=auth(w.dave))
    assert in_team.status_code == 403
    assert client.post(url, json={"term": "x"}).status_code == 401


def test_search_group_channels(client, w):
    members = [w.alice["user_id"], w.bob["user_id"], w.carol["user_id"]]
    gm = client.post(API + "/channels/group", json=members, headers=auth(w.alice)).get_json()
    url = API + "/channels/group/search"
    found = client.post(url, json={"term": w.carol["username"]}, headers=auth(w.alice)).get_json()
    assert gm["id"] in [c["id"] for c in found]
    outsider = _user(client, w.admin)
    assert client.post(url, json={"term": w.carol["username"]}, headers=auth(outsider)).get_json() == []
    assert client.post(url, json={"term": ""}, headers=auth(w.alice)).get_json() == []
    assert client.post(url, json={"term": "x"}).status_code == 401


def test_common_teams(client, w, app):
    members = [w.alice["user_id"], w.bob["user_id"], w.carol["user_id"]]
    gm = client.post(API + "/channels/group", json=members, headers=auth(w.alice)).get_json()
    url = API + "/channels/%s/common_teams" % gm["id"]
    teams_found = client.get(url, headers=auth(w.alice)).get_json()
    assert w.team.id in [t["id"] for t in teams_found]
    assert all(t["email"] == "" for t in teams_found if t["id"] == w.team.id)
    assert client.get(url, headers=auth(w.dave)).status_code == 403
    public = make_channel(client, w.alice, w.team)
    wrong = client.get(API + "/channels/%s/common_teams" % public["id"], headers=auth(w.alice))
    assert wrong.status_code == 400 and error_id(wrong) == "app.channel.get_common_teams.incorrect_channel_type"
    assert client.get(API + "/channels/%s/common_teams" % NO_ID, headers=auth(w.admin)).status_code == 403  # no such channel: no permission
    assert client.get(API + "/channels/%s/common_teams" % NO_ID, headers=auth(w.alice)).status_code == 403


# ---------------------------------------------------------------------------
# Licensed features

def test_licensed_features(client, w):
    channel = make_channel(client, w.alice, w.team)
    moderations = client.get(API + "/channels/%s/moderations" % channel["id"], headers=auth(w.admin))
    assert moderations.status_code == 403 and error_id(moderations) == "api.channel.get_channel_moderations.license.error"
    patch = client.put(API + "/channels/%s/moderations/patch" % channel["id"],
                       json=[{"name": "create_post", "roles": {"members": False}}], headers=auth(w.admin))
    assert patch.status_code == 403 and error_id(patch) == "api.channel.patch_channel_moderations.license.error"
    scheme = client.put(API + "/channels/%s/scheme" % channel["id"], json={"scheme_id": NO_ID}, headers=auth(w.admin))
    assert scheme.status_code == 403 and error_id(scheme) == "api.channel.update_channel_scheme.license.error"
    bad_scheme = client.put(API + "/channels/%s/scheme" % channel["id"], json={"scheme_id": "x"},
                            headers=auth(w.admin))
    assert bad_scheme.status_code == 400
    managed = client.get(API + "/teams/%s/channels/managed_categories" % w.team.id, headers=auth(w.alice))
    assert managed.status_code == 501 and error_id(managed) == "api.license_error"
    recommended = client.get(API + "/teams/%s/channels/recommended" % w.team.id, headers=auth(w.alice))
    assert recommended.status_code == 200 and recommended.get_json() == []
    assert client.get(API + "/teams/%s/channels/recommended" % w.team.id, headers=auth(w.dave)).status_code == 403
    assert client.get(API + "/channels/%s/moderations" % channel["id"]).status_code == 401


def test_store_search_matching():
    assert store_channels.matches("town", "town-square", "Town Square", "")
    assert store_channels.matches("squ", "town-square", "Town Square", "")
    assert store_channels.matches("", "anything")
    assert not store_channels.matches("own", "town-square", "Town Square", "")
    assert models.Channel is not None


def test_header_channel_mentions(client, w):
    private = make_channel(client, w.alice, w.team, type="P")
    channel = make_channel(client, w.alice, w.team, header="see ~town-square, ~%s and ~nothing" % private["name"])
    body = client.get(API + "/channels/" + channel["id"], headers=auth(w.alice)).get_json()
    assert body["props"] == {"channel_mentions": {"town-square": {"display_name": "Town Square"}}}
    listed = client.get(API + "/teams/%s/channels?per_page=200" % w.team.id, headers=auth(w.alice)).get_json()
    assert next(c for c in listed if c["id"] == channel["id"])["props"]["channel_mentions"]
    plain = client.get(API + "/channels/" + private["id"], headers=auth(w.alice)).get_json()
    assert not plain["props"]
