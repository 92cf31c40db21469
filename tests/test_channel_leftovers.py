"""Leftovers of the teams-and-channels work: every field of Mattermost's Channel
JSON, default_category_name on creation and patch (the creator's or patcher's
sidebar), the team creator as channel admin of the default channels, and
default category ids matched as Mattermost matches them."""
import pytest

from conftest import auth, create, login, unique
from store import categories, channels as store_channels, teams, users

API = "/api/v4"

# Every field of Mattermost's Channel JSON (model/channel.go), with the value an
# unlicensed Team Edition server answers for a fresh public channel where the
# value does not depend on the channel. policy_actions is omitempty.
FRESH_VALUES = {
    "scheme_id": None, "props": None, "autotranslation": False, "policy_id": None, "banner_info": None,
    "policy_enforced": False, "policy_is_active": False, "default_category_name": "",
    "managed_category_name": "", "discoverable": False, "extra_update_at": 0, "total_msg_count": 0,
    "total_msg_count_root": 0, "delete_at": 0,
}
ALL_FIELDS = {
    "id", "create_at", "update_at", "delete_at", "team_id", "type", "display_name", "name", "header", "purpose",
    "last_post_at", "total_msg_count", "extra_update_at", "creator_id", "scheme_id", "props", "group_constrained",
    "autotranslation", "shared", "total_msg_count_root", "policy_id", "last_root_post_at", "banner_info",
    "policy_enforced", "policy_is_active", "default_category_name", "managed_category_name", "discoverable",
}


def _user(client, admin):
    created = create(client, admin)
    who = login(client, created["username"])
    who["username"] = created["username"]
    who["email"] = created["email"]
    return who


def _team(app, *members):
    with app.app_context():
        team = teams.create({"display_name": "Team " + unique("t"), "name": unique("team"), "type": "O"})
        for who in members:
            teams.add_member(team, users.get(who["user_id"]))
    return team


def _create(client, who, team, **fields):
    body = {"team_id": team.id, "name": unique("chan"), "display_name": "Channel", "type": "O", **fields}
    response = client.post(API + "/channels", json=body, headers=auth(who))
    assert response.status_code == 201, response.data
    return response.get_json()


def _sidebar(client, who, team_id):
    response = client.get(API + "/users/me/teams/%s/channels/categories" % team_id, headers=auth(who))
    assert response.status_code == 200, response.data
    return response.get_json()


def _custom(sidebar):
    return [c for c in sidebar["categories"] if c["type"] == "custom"]


def _home(sidebar, channel_id):
    return [c["display_name"] for c in sidebar["categories"] if channel_id in c["channel_ids"]]


@pytest.fixture
def sorting(app):
    settings = app.config["MM_CONFIG"]["TeamSettings"]
    had = "EnableChannelCategorySorting" in settings
    old = settings.get("EnableChannelCategorySorting")
    yield settings
    if had:
        settings["EnableChannelCategorySorting"] = old
    else:
        settings.pop("EnableChannelCategorySorting", None)


# ---------------------------------------------------------------------------
# 1. The Channel JSON

def test_channel_json_has_every_field(app, client, admin):
    alice = _user(client, admin)
    team = _team(app, alice)
    created = _create(client, alice, team)
    assert set(created) == ALL_FIELDS
    for key, value in FRESH_VALUES.items():
        assert created[key] == value, key
    read = client.get(API + "/channels/" + created["id"], headers=auth(alice)).get_json()
    assert set(read) == ALL_FIELDS and "policy_actions" not in read
    listed = client.get(API + "/users/me/teams/%s/channels" % team.id, headers=auth(alice)).get_json()
    assert all(set(c) == ALL_FIELDS for c in listed)
    with app.app_context():
        direct, _ = store_channels.get_or_create_direct(users.get(alice["user_id"]), users.get(admin["user_id"]))
        body = store_channels.channel_json(direct)
    assert set(body) == ALL_FIELDS and body["banner_info"] is None and body["discoverable"] is False


def test_console_lists_answer_every_field(app, client, admin):
    """The System Console list answers every field, whole to a system admin and
    zeroed as Mattermost's Channel.Sanitize zeroes them otherwise."""
    from handlers import channels as channel_handlers
    alice = _user(client, admin)
    team = _team(app, alice)
    created = _create(client, alice, team, type="P")
    response = client.get(API + "/channels?per_page=200", headers=auth(admin))
    assert response.status_code == 200
    found = [c for c in response.get_json() if c["id"] == created["id"]]
    assert found and ALL_FIELDS <= set(found[0])
    with app.app_context():
        sanitized = channel_handlers._sanitized(store_channels.get(created["id"]))
    assert set(sanitized) == ALL_FIELDS and sanitized["name"] == "" and sanitized["banner_info"] is None
    assert sanitized["default_category_name"] == "" and sanitized["policy_enforced"] is False


# ---------------------------------------------------------------------------
# 2. default_category_name

def test_create_with_default_category_makes_the_category(app, client, admin, sorting):
    alice, bob = _user(client, admin), _user(client, admin)
    team = _team(app, alice, bob)
    created = _create(client, alice, team, default_category_name="  Projects  ")
    assert created["default_category_name"] == "Projects"
    sidebar = _sidebar(client, alice, team.id)
    custom = _custom(sidebar)
    assert [c["display_name"] for c in custom] == ["Projects"]
    assert custom[0]["channel_ids"] == [created["id"]] and custom[0]["sorting"] == "" and not custom[0]["muted"]
    # Placed right after Favorites, as a new custom category is.
    assert sidebar["order"][1] == custom[0]["id"]
    assert _home(sidebar, created["id"]) == ["Projects"]
    # Only the creator's sidebar changes...
    assert _custom(_sidebar(client, bob, team.id)) == []
    # ...until bob joins: the name is kept on the channel and applies to joiners.
    fetched = client.get(API + "/channels/%s" % created["id"], headers=auth(alice)).get_json()
    assert fetched["default_category_name"] == "Projects"
    joined = client.post(API + "/channels/%s/members" % created["id"], json={"user_id": bob["user_id"]},
                         headers=auth(bob))
    assert joined.status_code == 201, joined.data
    assert _home(_sidebar(client, bob, team.id), created["id"]) == ["Projects"]


def test_existing_category_of_that_name_gets_the_channel_first(app, client, admin, sorting):
    alice = _user(client, admin)
    team = _team(app, alice)
    first = _create(client, alice, team, default_category_name="Work")
    second = _create(client, alice, team, default_category_name="work")  # names compare without case
    custom = _custom(_sidebar(client, alice, team.id))
    assert len(custom) == 1 and custom[0]["display_name"] == "Work"
    assert custom[0]["channel_ids"] == [second["id"], first["id"]]


def test_muted_category_mutes_a_channel_put_in_it(app, client, admin, sorting):
    alice = _user(client, admin)
    team = _team(app, alice)
    first = _create(client, alice, team, default_category_name="Quiet")
    category = _custom(_sidebar(client, alice, team.id))[0]
    response = client.put(API + "/users/me/teams/%s/channels/categories/%s" % (team.id, category["id"]),
                          json=dict(category, muted=True), headers=auth(alice))
    assert response.status_code == 200, response.data
    second = _create(client, alice, team, default_category_name="Quiet")
    with app.app_context():
        member = store_channels.get_member(second["id"], alice["user_id"])
    assert member.notify_props["mark_unread"] == "mention"
    assert _custom(_sidebar(client, alice, team.id))[0]["channel_ids"] == [second["id"], first["id"]]


def test_no_category_without_a_name_or_with_sorting_off(app, client, admin, sorting):
    alice = _user(client, admin)
    team = _team(app, alice)
    plain = _create(client, alice, team, default_category_name="   ")
    assert plain["default_category_name"] == ""
    sorting["EnableChannelCategorySorting"] = False
    off = _create(client, alice, team, default_category_name="Ignored")
    # Mattermost still keeps (and answers) the name; only the sidebar is left alone.
    assert off["default_category_name"] == "Ignored"
    sidebar = _sidebar(client, alice, team.id)
    assert _custom(sidebar) == []
    assert _home(sidebar, plain["id"]) == ["Channels"] and _home(sidebar, off["id"]) == ["Channels"]


def test_too_long_a_name_makes_no_category(app, client, admin, sorting):
    alice = _user(client, admin)
    team = _team(app, alice)
    created = _create(client, alice, team, default_category_name="x" * 65)
    assert _custom(_sidebar(client, alice, team.id)) == []
    assert _home(_sidebar(client, alice, team.id), created["id"]) == ["Channels"]


def test_patch_with_default_category_moves_it_for_the_patcher(app, client, admin, sorting):
    alice, bob = _user(client, admin), _user(client, admin)
    team = _team(app, alice, bob)
    created = _create(client, alice, team)
    join = client.post(API + "/channels/%s/members" % created["id"], json={"user_id": bob["user_id"]},
                       headers=auth(bob))
    assert join.status_code == 201, join.data
    # A channel in Favorites leaves it for the new category.
    favorite = client.put(API + "/users/%s/preferences" % alice["user_id"], headers=auth(alice), json=[
        {"user_id": alice["user_id"], "category": "favorite_channel", "name": created["id"], "value": "true"}])
    assert favorite.status_code == 200, favorite.data
    assert _home(_sidebar(client, alice, team.id), created["id"]) == ["Favorites"]
    response = client.put(API + "/channels/%s/patch" % created["id"], json={"default_category_name": " Later "},
                          headers=auth(alice))
    assert response.status_code == 200, response.data
    assert response.get_json()["default_category_name"] == "Later"
    assert _home(_sidebar(client, alice, team.id), created["id"]) == ["Later"]
    assert _home(_sidebar(client, bob, team.id), created["id"]) == ["Channels"]
    # A patch without the name leaves the sidebar alone.
    response = client.put(API + "/channels/%s/patch" % created["id"], json={"header": "new"}, headers=auth(alice))
    assert response.status_code == 200
    assert [c["display_name"] for c in _custom(_sidebar(client, alice, team.id))] == ["Later"]


def test_default_category_refusals(app, client, admin, sorting):
    alice, bob = _user(client, admin), _user(client, admin)
    team = _team(app, alice, bob)
    outsider = _user(client, admin)
    body = {"team_id": team.id, "name": unique("chan"), "display_name": "C", "type": "O",
            "default_category_name": "X"}
    assert client.post(API + "/channels", json=body).status_code == 401
    refused = client.post(API + "/channels", json=body, headers=auth(outsider))
    assert refused.status_code == 403
    wrong = client.post(API + "/channels", json=dict(body, default_category_name=5), headers=auth(alice))
    assert wrong.status_code == 400
    assert _custom(_sidebar(client, alice, team.id)) == []
    # A direct message takes no default category.
    with app.app_context():
        direct, _ = store_channels.get_or_create_direct(users.get(alice["user_id"]), users.get(bob["user_id"]))
    response = client.put(API + "/channels/%s/patch" % direct.id, json={"default_category_name": "DMs"},
                          headers=auth(alice))
    assert response.status_code == 400
    assert _custom(_sidebar(client, alice, team.id)) == []
    # Nobody else's sidebar can be reached through a channel they cannot change.
    channel = _create(client, alice, team, type="P")
    response = client.put(API + "/channels/%s/patch" % channel["id"], json={"default_category_name": "Mine"},
                          headers=auth(bob))
    assert response.status_code == 403
    assert _custom(_sidebar(client, bob, team.id)) == []
    missing = client.put(API + "/channels/%s/patch" % ("z" * 26), json={"default_category_name": "Mine"},
                         headers=auth(bob))
    assert missing.status_code == 404


def test_place_in_named_category_store(app, client, admin):
    alice, outsider = _user(client, admin), _user(client, admin)
    team = _team(app, alice)
    channel = _create(client, alice, team)
    with app.app_context():
        assert categories.place_in_named_category(outsider["user_id"], team.id, channel["id"], "Nope") is None
        assert categories.place_in_named_category(alice["user_id"], team.id, channel["id"], "") is None
        made = categories.place_in_named_category(alice["user_id"], team.id, channel["id"], "Here")
        assert made["type"] == "custom" and made["channel_ids"] == [channel["id"]]
        again = categories.place_in_named_category(alice["user_id"], team.id, channel["id"], "HERE")
        assert again["id"] == made["id"] and again["channel_ids"] == [channel["id"]]


# ---------------------------------------------------------------------------
# 3. The team creator and the default channels

def test_join_default_channels_store(app, client, admin):
    alice, bob = _user(client, admin), _user(client, admin)
    team = _team(app)
    with app.app_context():
        private = store_channels.create({"team_id": team.id, "type": "P", "name": unique("priv"),
                                         "display_name": "Private"})
        archived = store_channels.create({"team_id": team.id, "type": "O", "name": unique("gone"),
                                          "display_name": "Gone"})
        store_channels.set_deleted(archived.id, 1)
        names = ["town-square", "off-topic", private.name, archived.name, "no-such-channel"]
        joined = store_channels.join_default_channels(team.id, users.get(alice["user_id"]), names, admin=True)
        assert sorted(c.name for c in joined) == ["off-topic", "town-square"]
        for channel in joined:
            member = store_channels.get_member(channel.id, alice["user_id"])
            assert member.scheme_admin and store_channels.member_json(member)["roles"] == \
                "channel_user channel_admin"
        assert store_channels.get_member(private.id, alice["user_id"]) is None
        assert store_channels.join_default_channels(team.id, users.get(alice["user_id"]), names, admin=True) == []
        store_channels.join_default_channels(team.id, users.get(bob["user_id"]), names)
        for channel in joined:
            member = store_channels.get_member(channel.id, bob["user_id"])
            assert member.scheme_user and not member.scheme_admin


def test_team_creator_is_admin_of_default_channels(app, client, admin):
    """Mattermost's JoinUserToTeam makes the user whose email is the team's
    (its creator) channel admin of town-square and off-topic."""
    alice, bob = _user(client, admin), _user(client, admin)
    response = client.post(API + "/teams", json={"name": unique("team"), "display_name": "T", "type": "O"},
                           headers=auth(alice))
    assert response.status_code == 201, response.data
    team = response.get_json()
    added = client.post(API + "/teams/%s/members" % team["id"], json={"team_id": team["id"],
                                                                      "user_id": bob["user_id"]},
                        headers=auth(alice))
    assert added.status_code == 201, added.data
    with app.app_context():
        for name in ("town-square", "off-topic"):
            channel = store_channels.get_by_name(team["id"], name)
            creator = store_channels.get_member(channel.id, alice["user_id"])
            other = store_channels.get_member(channel.id, bob["user_id"])
            assert creator.scheme_admin and not other.scheme_admin


# ---------------------------------------------------------------------------
# 4. The sidebar as the web app reads it

def test_category_ids_match_as_mattermost_matches_them(app, client, admin):
    alice = _user(client, admin)
    team = _team(app, alice)
    default_id = categories.default_id("channels", alice["user_id"], team.id)
    assert categories.is_valid_category_id(default_id)
    assert categories.is_valid_category_id("x" + default_id)  # Mattermost's pattern is not anchored
    assert not categories.is_valid_category_id("channels_" + alice["user_id"])
    response = client.get(API + "/users/me/teams/%s/channels/categories/%s" % (team.id, "x" + default_id),
                          headers=auth(alice))
    assert response.status_code in (403, 404)
    bad = client.get(API + "/users/me/teams/%s/channels/categories/%s" % (team.id, "notacategory"),
                     headers=auth(alice))
    assert bad.status_code == 400


def test_sidebar_category_fields(app, client, admin):
    alice = _user(client, admin)
    team = _team(app, alice)
    sidebar = _sidebar(client, alice, team.id)
    fields = {"id", "user_id", "team_id", "sort_order", "sorting", "type", "display_name", "muted", "collapsed",
              "channel_ids"}
    assert set(sidebar) == {"categories", "order"}
    for category in sidebar["categories"]:
        assert set(category) == fields and isinstance(category["channel_ids"], list)
    kinds = {c["type"]: c for c in sidebar["categories"]}
    assert [kinds[k]["sort_order"] for k in ("favorites", "channels", "direct_messages")] == [0, 10, 20]
    assert kinds["direct_messages"]["sorting"] == "recent" and kinds["channels"]["sorting"] == ""
