"""Channel membership and reading state, as Mattermost has them. Teams and
channels are made through the store core (not the endpoints)."""
import json
import types

from conftest import auth, create, login, unique
from store import users as store_users

BAD = "z" * 26  # a well-formed id nothing has


def _user_row(app, user_id):
    with app.app_context():
        from store import users
        return users.get(user_id)


def _login_new(client, admin, **fields):
    return login(client, create(client, admin, **fields)["username"])


def make_guest(app, client, admin):
    user = create(client, admin)
    with app.app_context():
        from store import users
        users.set_roles(user["id"], "system_guest")
    return login(client, user["username"])


def world(app, client, admin):
    """A team with alice and bob (carol is outside it); alice made a public
    and a private channel; alice and bob have a direct message channel."""
    w = types.SimpleNamespace()
    w.alice, w.bob, w.carol = (_login_new(client, admin) for _ in range(3))
    with app.app_context():
        from store import channels, teams
        team = teams.create({"name": unique("team"), "display_name": "Team", "type": "O"})
        w.team = team.id
        for who in (w.alice, w.bob):
            teams.add_member(team, _user_row(app, who["user_id"]))
        alice = _user_row(app, w.alice["user_id"])
        w.public = channels.create({"team_id": team.id, "type": "O", "name": unique("pub"),
                                    "display_name": "Pub"}, creator=alice).id
        w.private = channels.create({"team_id": team.id, "type": "P", "name": unique("priv"),
                                     "display_name": "Priv"}, creator=alice).id
        w.town = channels.get_by_name(team.id, "town-square").id
        dm, _ = channels.get_or_create_direct(alice, _user_row(app, w.bob["user_id"]))
        w.dm = dm.id
    return w


def add(app, channel_id, who, admin=False):
    with app.app_context():
        from store import channels
        channels.add_member(channels.get(channel_id), _user_row(app, who["user_id"]), admin=admin)


def set_fields(app, model, where, **fields):
    with app.app_context():
        from store import models
        m = getattr(models, model)
        query = m.update(**fields)
        for key, value in where.items():
            query = query.where(getattr(m, key) == value)
        query.execute()


def member_row(app, channel_id, user_id):
    with app.app_context():
        from store import channels
        return channels.get_member(channel_id, user_id)


def err(response, status, error_id=None):
    assert response.status_code == status, response.data
    if error_id:
        assert response.get_json()["id"] == error_id, response.get_json()


# ---------------------------------------------------------------------------
# Reading members.

def test_get_members_and_member(app, client, admin):
    w = world(app, client, admin)
    add(app, w.public, w.bob)
    members = client.get("/api/v4/channels/%s/members" % w.public, headers=auth(w.alice)).get_json()
    by_user = {m["user_id"]: m for m in members}
    assert set(by_user) == {w.alice["user_id"], w.bob["user_id"]}
    mine = by_user[w.alice["user_id"]]
    assert mine["roles"] == "channel_user channel_admin" and mine["scheme_admin"] and mine["explicit_roles"] == ""
    assert "last_viewed_at" in mine and "last_update_at" in mine
    assert mine["notify_props"]["mark_unread"] == "all"
    # Another member's reading times are not shown.
    assert "last_viewed_at" not in by_user[w.bob["user_id"]] and "last_update_at" not in by_user[w.bob["user_id"]]
    paged = client.get("/api/v4/channels/%s/members?page=1&per_page=1" % w.public, headers=auth(w.alice))
    assert len(paged.get_json()) == 1
    one = client.get("/api/v4/channels/%s/members/me" % w.public, headers=auth(w.bob)).get_json()
    assert one["user_id"] == w.bob["user_id"] and one["roles"] == "channel_user" and "last_viewed_at" in one
    other = client.get("/api/v4/channels/%s/members/%s" % (w.public, w.bob["user_id"]), headers=auth(w.alice))
    assert other.status_code == 200 and "last_viewed_at" not in other.get_json()
    err(client.get("/api/v4/channels/%s/members/%s" % (w.public, w.carol["user_id"]), headers=auth(w.alice)),
        404, "app.channel.get_member.missing.app_error")


def test_get_members_errors_and_privacy(app, client, admin):
    w = world(app, client, admin)
    err(client.get("/api/v4/channels/%s/members" % w.public), 401)
    err(client.get("/api/v4/channels/short/members", headers=auth(w.alice)), 400,
        "api.context.invalid_url_param.app_error")
    err(client.get("/api/v4/channels/%s/members/nope" % w.public, headers=auth(w.alice)), 400)
    # A team member outside the channel, someone outside the team, and a
    # channel that does not exist: 403 alike (even for the admin).
    for who in (w.bob, w.carol):
        err(client.get("/api/v4/channels/%s/members" % w.private, headers=auth(who)), 403,
            "api.context.permissions.app_error")
        err(client.get("/api/v4/channels/%s/members/%s" % (w.private, w.alice["user_id"]), headers=auth(who)), 403)
    err(client.get("/api/v4/channels/%s/members" % w.public, headers=auth(w.bob)), 403)
    err(client.get("/api/v4/channels/%s/members" % w.dm, headers=auth(w.carol)), 403)
    err(client.get("/api/v4/channels/%s/members" % BAD, headers=auth(admin)), 403)
    # The system admin reads any channel that exists.
    assert client.get("/api/v4/channels/%s/members" % w.private, headers=auth(admin)).status_code == 200
    assert len(client.get("/api/v4/channels/%s/members" % w.dm, headers=auth(w.bob)).get_json()) == 2


def test_get_members_by_ids(app, client, admin):
    w = world(app, client, admin)
    add(app, w.private, w.bob)
    url = "/api/v4/channels/%s/members/ids" % w.private
    found = client.post(url, json=[w.bob["user_id"], w.carol["user_id"], w.bob["user_id"]], headers=auth(w.alice))
    assert [m["user_id"] for m in found.get_json()] == [w.bob["user_id"]]
    err(client.post(url, json=[], headers=auth(w.alice)), 400, "api.context.invalid_param.app_error")
    err(client.post(url, json=[w.bob["user_id"]], headers=auth(w.carol)), 403)
    err(client.post(url, json=[w.bob["user_id"]]), 401)
    err(client.post("/api/v4/channels/%s/members/ids" % BAD, json=[w.bob["user_id"]], headers=auth(w.alice)), 403)


def test_get_members_for_user(app, client, admin):
    w = world(app, client, admin)
    url = "/api/v4/users/%s/teams/%s/channels/members"
    mine = client.get(url % ("me", w.team), headers=auth(w.alice)).get_json()
    assert {m["channel_id"] for m in mine} == {w.town, w.public, w.private, w.dm,
                                               _channel_id(app, w.team, "off-topic")}
    err(client.get(url % (w.alice["user_id"], w.team), headers=auth(w.bob)), 403, "api.context.permissions.app_error")
    err(client.get(url % ("me", w.team), headers=auth(w.carol)), 403)
    assert client.get(url % (w.alice["user_id"], w.team), headers=auth(admin)).status_code == 200
    err(client.get(url % ("me", "bad"), headers=auth(w.alice)), 400, "api.context.invalid_url_param.app_error")
    err(client.get(url % ("me", w.team)), 401)


def _channel_id(app, team_id, name):
    with app.app_context():
        from store import channels
        return channels.get_by_name(team_id, name).id


# ---------------------------------------------------------------------------
# Adding members.

def test_add_member_public(app, client, admin):
    w = world(app, client, admin)
    url = "/api/v4/channels/%s/members" % w.public
    # Joining yourself needs join_public_channels on the team.
    joined = client.post(url, json={"user_id": w.bob["user_id"]}, headers=auth(w.bob))
    assert joined.status_code == 201 and joined.get_json()["user_id"] == w.bob["user_id"]
    assert joined.get_json()["roles"] == "channel_user"
    again = client.post(url, json={"user_id": w.bob["user_id"]}, headers=auth(w.bob))
    assert again.status_code == 201
    # Outsiders of the team cannot join; members add others.
    err(client.post(url, json={"user_id": w.carol["user_id"]}, headers=auth(w.carol)), 403)
    err(client.post(url, json={"user_id": w.carol["user_id"]}, headers=auth(w.alice)), 404,
        "app.team.get_member.missing.app_error")
    # A non-member of the channel cannot add others.
    dave = _login_new(client, admin)
    add_team(app, w.team, dave)
    err(client.post("/api/v4/channels/%s/members" % w.private, json={"user_id": dave["user_id"]},
                    headers=auth(w.bob)), 403)
    listed = client.post(url, json={"user_ids": [dave["user_id"]]}, headers=auth(w.alice))
    assert listed.status_code == 201 and [m["user_id"] for m in listed.get_json()] == [dave["user_id"]]
    assert "last_viewed_at" not in listed.get_json()[0]


def add_team(app, team_id, who):
    with app.app_context():
        from store import teams
        teams.add_member(teams.get(team_id), _user_row(app, who["user_id"]))


def test_add_member_private_dm_and_errors(app, client, admin):
    w = world(app, client, admin)
    url = "/api/v4/channels/%s/members" % w.private
    err(client.post(url, json={"user_id": w.bob["user_id"]}, headers=auth(w.bob)), 403,
        "api.context.permissions.app_error")
    ok = client.post(url, json={"user_id": w.bob["user_id"]}, headers=auth(w.alice))
    assert ok.status_code == 201 and member_row(app, w.private, w.bob["user_id"]) is not None
    err(client.post("/api/v4/channels/%s/members" % w.dm, json={"user_id": w.carol["user_id"]},
                    headers=auth(admin)), 400, "api.channel.add_user_to_channel.type.app_error")
    err(client.post(url, json={"user_id": "bad"}, headers=auth(w.alice)), 400, "api.context.invalid_param.app_error")
    err(client.post(url, json={}, headers=auth(w.alice)), 400)
    err(client.post(url, json={"user_ids": ["bad"]}, headers=auth(w.alice)), 400)
    err(client.post(url, json={"user_id": w.bob["user_id"]}), 401)
    err(client.post("/api/v4/channels/%s/members" % BAD, json={"user_id": w.bob["user_id"]},
                    headers=auth(w.alice)), 404, "app.channel.get.existing.app_error")
    err(client.post(url, json={"user_id": BAD}, headers=auth(w.alice)), 404, "app.user.missing_account.const")
    err(client.post(url, json={"user_id": w.bob["user_id"], "post_root_id": BAD}, headers=auth(w.alice)), 404,
        "app.post.get.app_error")


def test_add_deactivated_and_left_team(app, client, admin):
    w = world(app, client, admin)
    url = "/api/v4/channels/%s/members" % w.public
    gone = create(client, admin)
    with app.app_context():
        from store import teams, users
        teams.add_member(teams.get(w.team), users.get(gone["id"]))
        users.set_active(gone["id"], False)
        teams.remove_member(w.team, w.bob["user_id"])
    err(client.post(url, json={"user_id": gone["id"]}, headers=auth(w.alice)), 403,
        "app.channel.add_member.deleted_user.app_error")
    err(client.post(url, json={"user_id": w.bob["user_id"]}, headers=auth(w.alice)), 400,
        "api.channel.add_user.to.channel.failed.deleted.app_error")


def test_add_guest(app, client, admin):
    w = world(app, client, admin)
    guest = make_guest(app, client, admin)
    add_team(app, w.team, guest)
    added = client.post("/api/v4/channels/%s/members" % w.public, json={"user_id": guest["user_id"]},
                        headers=auth(w.alice)).get_json()
    assert added["scheme_guest"] and not added["scheme_user"] and added["roles"] == "channel_guest"
    # A guest cannot add people to channels it cannot read.
    err(client.post("/api/v4/channels/%s/members" % w.private, json={"user_id": guest["user_id"]},
                    headers=auth(guest)), 403)


# ---------------------------------------------------------------------------
# Setting members.

def test_set_members(app, client, admin):
    w = world(app, client, admin)
    add(app, w.private, w.bob)
    dave = _login_new(client, admin)
    add_team(app, w.team, dave)
    url = "/api/v4/channels/%s/members?batch_delay_ms=0" % w.private
    body = {"members": [w.alice["user_id"], dave["user_id"], w.carol["user_id"]],
            "channel_admins": [dave["user_id"]]}
    response = client.put(url, json=body, headers=auth(admin))
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("application/x-ndjson")
    lines = [json.loads(line) for line in response.data.decode().splitlines()]
    assert lines[0] == {"added": [], "removed": [w.bob["user_id"]]}
    assert lines[1]["added"] == [dave["user_id"]] and lines[1]["promoted"] == [dave["user_id"]]
    assert lines[1]["errors"][0]["user_id"] == w.carol["user_id"]
    assert lines[2] == {"added": [], "removed": [], "demoted": [w.alice["user_id"]]}
    assert member_row(app, w.private, w.bob["user_id"]) is None
    assert member_row(app, w.private, dave["user_id"]).scheme_admin
    assert not member_row(app, w.private, w.alice["user_id"]).scheme_admin
    same = client.put(url, json={"members": [w.alice["user_id"], dave["user_id"]]}, headers=auth(admin))
    assert same.data.decode().splitlines() == ['{"added":[],"removed":[]}']
    err(client.put(url, json=body, headers=auth(w.alice)), 403)
    err(client.put(url, json={"members": ["bad"]}, headers=auth(admin)), 400)
    err(client.put("/api/v4/channels/%s/members" % w.dm, json={"members": []}, headers=auth(admin)), 400,
        "api.channel.set_members.type.app_error")
    err(client.put("/api/v4/channels/%s/members" % BAD, json={"members": []}, headers=auth(admin)), 404)
    err(client.put(url, json=body), 401)


# ---------------------------------------------------------------------------
# Removing members.

def test_leave_and_remove(app, client, admin):
    w = world(app, client, admin)
    add(app, w.public, w.bob)
    add(app, w.private, w.bob)
    url = "/api/v4/channels/%s/members/%s"
    assert client.delete(url % (w.public, "me"), headers=auth(w.bob)).get_json() == {"status": "OK"}
    assert member_row(app, w.public, w.bob["user_id"]) is None
    err(client.delete(url % (w.public, "me"), headers=auth(w.bob)), 404, "app.channel.get_member.missing.app_error")
    # bob (a channel user, who may manage private members) removes alice; carol may not.
    err(client.delete(url % (w.private, w.alice["user_id"]), headers=auth(w.carol)), 403)
    assert client.delete(url % (w.private, w.alice["user_id"]), headers=auth(w.bob)).status_code == 200
    err(client.delete(url % (w.town, "me"), headers=auth(w.bob)), 400, "api.channel.remove.default.app_error")
    err(client.delete(url % (w.dm, "me"), headers=auth(w.bob)), 400, "api.channel.remove_channel_member.type.app_error")
    err(client.delete(url % (BAD, "me"), headers=auth(w.bob)), 404, "app.channel.get.existing.app_error")
    err(client.delete(url % (w.public, BAD), headers=auth(admin)), 404, "app.user.missing_account.const")
    err(client.delete(url % ("bad", "me"), headers=auth(w.bob)), 400)
    err(client.delete(url % (w.public, "me")), 401)


def test_guest_leaving_last_channel_leaves_team(app, client, admin):
    w = world(app, client, admin)
    guest = make_guest(app, client, admin)
    add_team(app, w.team, guest)
    add(app, w.public, guest)
    assert client.delete("/api/v4/channels/%s/members/me" % w.public, headers=auth(guest)).status_code == 200
    with app.app_context():
        from store import teams
        assert teams.get_member(w.team, guest["user_id"]) is None


# ---------------------------------------------------------------------------
# Roles and settings.

def test_update_roles(app, client, admin):
    w = world(app, client, admin)
    add(app, w.public, w.bob)
    url = "/api/v4/channels/%s/members/%s/roles" % (w.public, w.bob["user_id"])
    err(client.put(url, json={"roles": "channel_user channel_admin"}, headers=auth(w.bob)), 403)
    assert client.put(url, json={"roles": "channel_user channel_admin"}, headers=auth(w.alice)).status_code == 200
    assert member_row(app, w.public, w.bob["user_id"]).scheme_admin
    assert client.put(url, json={"roles": "channel_user"}, headers=auth(w.alice)).status_code == 200
    assert not member_row(app, w.public, w.bob["user_id"]).scheme_admin
    err(client.put(url, json={"roles": "channel_admin"}, headers=auth(w.alice)), 400,
        "api.channel.update_channel_member_roles.unset_user_scheme.app_error")
    err(client.put(url, json={"roles": "channel_user channel_guest"}, headers=auth(w.alice)), 400,
        "api.channel.update_channel_member_roles.guest_and_user.app_error")
    err(client.put(url, json={"roles": "team_admin channel_user"}, headers=auth(w.alice)), 400,
        "api.channel.update_channel_member_roles.scheme_role.app_error")
    err(client.put(url, json={"roles": "no_such_role channel_user"}, headers=auth(w.alice)), 400,
        "app.role.get_by_name.app_error")
    err(client.put(url, json={"roles": "Bad Role!"}, headers=auth(w.alice)), 400, "api.context.invalid_param.app_error")
    err(client.put("/api/v4/channels/%s/members/%s/roles" % (w.public, w.carol["user_id"]),
                   json={"roles": "channel_user"}, headers=auth(w.alice)), 404)
    err(client.put("/api/v4/channels/%s/members/%s/roles" % (BAD, w.bob["user_id"]),
                   json={"roles": "channel_user"}, headers=auth(admin)), 403)
    err(client.put(url, json={"roles": "channel_user"}), 401)


def test_update_scheme_roles(app, client, admin):
    w = world(app, client, admin)
    add(app, w.public, w.bob)
    url = "/api/v4/channels/%s/members/%s/schemeRoles" % (w.public, w.bob["user_id"])
    ok = client.put(url, json={"scheme_admin": True, "scheme_user": True}, headers=auth(w.alice))
    assert ok.get_json() == {"status": "OK"} and member_row(app, w.public, w.bob["user_id"]).scheme_admin
    err(client.put(url, json={"scheme_admin": True, "scheme_user": False}, headers=auth(w.alice)), 400,
        "api.channel.update_channel_member_roles.unset_user_scheme.app_error")
    err(client.put(url, json={"scheme_admin": False, "scheme_user": True, "scheme_guest": True},
                   headers=auth(w.alice)), 400, "api.channel.update_channel_member_roles.user_and_guest.app_error")
    err(client.put(url, json={"scheme_admin": False, "scheme_user": True}, headers=auth(w.carol)), 403)
    err(client.put("/api/v4/channels/%s/members/%s/schemeRoles" % (w.public, w.carol["user_id"]),
                   json={"scheme_admin": False, "scheme_user": True}, headers=auth(admin)), 404)
    err(client.put(url, json={"scheme_admin": False}, headers=auth(w.alice)), 400)
    err(client.put(url, json={"scheme_admin": False, "scheme_user": True}), 401)


def test_notify_props(app, client, admin):
    w = world(app, client, admin)
    url = "/api/v4/channels/%s/members/%s/notify_props"
    ok = client.put(url % (w.public, "me"), json={"desktop": "mention", "mark_unread": "mention", "junk": "x"},
                    headers=auth(w.alice))
    assert ok.get_json() == {"status": "OK"}
    props = member_row(app, w.public, w.alice["user_id"]).notify_props
    assert props["desktop"] == "mention" and props["mark_unread"] == "mention" and "junk" not in props
    assert props["push"] == "default"  # kept
    for bad, error_id in (({"desktop": "loud"}, "notify_level"), ({"mark_unread": "none"}, "unread_level"),
                          ({"push": "x"}, "push_level"), ({"email": "yes"}, "email_value"),
                          ({"ignore_channel_mentions": "x"}, "ignore_channel_mentions_value"),
                          ({"channel_auto_follow_threads": "maybe"}, "channel_auto_follow_threads_value")):
        err(client.put(url % (w.public, "me"), json=bad, headers=auth(w.alice)), 400,
            "model.channel_member.is_valid.%s.app_error" % error_id)
    err(client.put(url % (w.public, w.alice["user_id"]), json={"desktop": "all"}, headers=auth(w.bob)), 403)
    assert client.put(url % (w.public, w.alice["user_id"]), json={"desktop": "all"}, headers=auth(admin)).status_code == 200
    err(client.put(url % (w.public, "me"), json={"desktop": "all"}, headers=auth(w.bob)), 404,
        "app.channel.get_member.missing.app_error")
    err(client.put(url % ("bad", "me"), json={"desktop": "all"}, headers=auth(w.bob)), 400)
    err(client.put(url % (w.public, "me"), json={"desktop": "all"}), 401)


def test_unlicensed_features(app, client, admin):
    w = world(app, client, admin)
    err(client.put("/api/v4/channels/%s/members/me/autotranslation" % w.public,
                   json={"autotranslation_disabled": True}, headers=auth(w.alice)), 403,
        "api.channel.update_channel_member_autotranslation.feature_not_available.app_error")
    err(client.get("/api/v4/channels/%s/member_counts_by_group" % w.public, headers=auth(admin)), 403,
        "api.channel.channel_member_counts_by_group.license.error")
    err(client.get("/api/v4/channels/%s/member_counts_by_group" % w.public), 401)


def test_members_minus_group_members(app, client, admin):
    w = world(app, client, admin)
    add(app, w.public, w.bob)
    url = "/api/v4/channels/%s/members_minus_group_members?group_ids=%s" % (w.public, BAD)
    found = client.get(url, headers=auth(admin)).get_json()
    assert found["total_count"] == 2 and len(found["users"]) == 2
    first = found["users"][0]
    assert first["groups"] == [] and "scheme_user" in first and "password" not in first
    assert client.get(url + "&per_page=1", headers=auth(admin)).get_json()["total_count"] == 2
    assert len(client.get(url + "&per_page=1", headers=auth(admin)).get_json()["users"]) == 1
    err(client.get(url, headers=auth(w.alice)), 403)
    err(client.get("/api/v4/channels/%s/members_minus_group_members?group_ids=abc" % w.public,
                   headers=auth(admin)), 400, "api.context.invalid_param.app_error")
    err(client.get(url), 401)


# ---------------------------------------------------------------------------
# Channel facts.

def _post(app, channel_id, user_id, create_at, pinned=False, deleted=False, root_id=""):
    from store.ids import new_id
    with app.app_context():
        from store import models
        post_id = new_id()
        models.Post.insert(id=post_id, create_at=create_at, update_at=create_at, user_id=user_id,
                           channel_id=channel_id, root_id=root_id, message="m%d" % create_at, is_pinned=pinned,
                           delete_at=create_at if deleted else 0).execute()
        return post_id


def test_stats(app, client, admin):
    w = world(app, client, admin)
    guest = make_guest(app, client, admin)
    add_team(app, w.team, guest)
    add(app, w.public, guest)
    add(app, w.public, w.bob)
    _post(app, w.public, w.alice["user_id"], 1000, pinned=True)
    _post(app, w.public, w.alice["user_id"], 1001, pinned=True, deleted=True)
    with_file = _post(app, w.public, w.alice["user_id"], 1002)
    with app.app_context():
        from store import models, users
        models.FileInfo.insert(id="f" * 26, creator_id=w.alice["user_id"], post_id=with_file, channel_id=w.public,
                               create_at=1, update_at=1).execute()
        users.set_active(w.bob["user_id"], False)
    url = "/api/v4/channels/%s/stats" % w.public
    stats = client.get(url, headers=auth(w.alice)).get_json()
    assert stats == {"channel_id": w.public, "member_count": 2, "guest_count": 1, "pinnedpost_count": 1,
                     "files_count": 1}
    assert client.get(url + "?exclude_files_count=true", headers=auth(w.alice)).get_json()["files_count"] == -1
    err(client.get("/api/v4/channels/%s/stats" % w.private, headers=auth(w.carol)), 403)
    err(client.get("/api/v4/channels/%s/stats" % BAD, headers=auth(admin)), 403)
    err(client.get("/api/v4/channels/bad/stats", headers=auth(admin)), 400)
    err(client.get(url), 401)


def test_timezones(app, client, admin):
    w = world(app, client, admin)
    add(app, w.public, w.bob)
    add(app, w.public, w.carol)
    with app.app_context():
        from store import models
        store_users.write(w.alice["user_id"], timezone={"useAutomaticTimezone": "true",
                                                        "automaticTimezone": "Europe/Paris", "manualTimezone": ""})
        store_users.write(w.bob["user_id"], timezone={"useAutomaticTimezone": "false",
                                                      "automaticTimezone": "Europe/Paris",
                                                      "manualTimezone": "Asia/Tokyo"})
    zones = client.get("/api/v4/channels/%s/timezones" % w.public, headers=auth(w.alice)).get_json()
    assert sorted(zones) == ["Asia/Tokyo", "Europe/Paris"]
    err(client.get("/api/v4/channels/%s/timezones" % w.private, headers=auth(w.bob)), 403)
    err(client.get("/api/v4/channels/%s/timezones" % w.public), 401)


def test_pinned_posts(app, client, admin):
    w = world(app, client, admin)
    older = _post(app, w.private, w.alice["user_id"], 2000, pinned=True)
    newer = _post(app, w.private, w.alice["user_id"], 3000, pinned=True)
    _post(app, w.private, w.alice["user_id"], 4000, pinned=True, deleted=True)
    _post(app, w.private, w.alice["user_id"], 5000)
    _post(app, w.private, w.alice["user_id"], 6000, root_id=older)
    url = "/api/v4/channels/%s/pinned" % w.private
    response = client.get(url, headers=auth(w.alice))
    body = response.get_json()
    assert body["order"] == [older, newer] and set(body["posts"]) == {older, newer}
    assert body["next_post_id"] == "" and body["prev_post_id"] == ""
    assert body["posts"][older]["reply_count"] == 1 and body["posts"][older]["is_pinned"]
    assert body["posts"][newer]["message"] == "m3000" and body["posts"][newer]["file_ids"] == []
    etag = response.headers["ETag"]
    assert client.get(url, headers=dict(auth(w.alice), **{"If-None-Match": etag})).status_code == 304
    err(client.get(url, headers=auth(w.bob)), 403, "api.context.permissions.app_error")
    err(client.get("/api/v4/channels/%s/pinned" % BAD, headers=auth(w.alice)), 404)
    err(client.get(url), 401)
    # A public channel's pinned posts are readable by the team.
    assert client.get("/api/v4/channels/%s/pinned" % w.public, headers=auth(w.bob)).get_json()["order"] == []
    err(client.get("/api/v4/channels/%s/pinned" % w.public, headers=auth(w.carol)), 403)


# ---------------------------------------------------------------------------
# Reading state.

def test_view_channel_and_unread(app, client, admin):
    w = world(app, client, admin)
    add(app, w.public, w.bob)
    set_fields(app, "Channel", {"id": w.public}, total_msg_count=7, total_msg_count_root=5, last_post_at=12345)
    set_fields(app, "ChannelMember", {"channel_id": w.public, "user_id": w.bob["user_id"]},
               msg_count=2, msg_count_root=1, mention_count=3, mention_count_root=2, urgent_mention_count=1)
    unread_url = "/api/v4/users/%s/channels/%s/unread"
    unread = client.get(unread_url % ("me", w.public), headers=auth(w.bob)).get_json()
    assert unread == {"team_id": w.team, "channel_id": w.public, "msg_count": 5, "mention_count": 3,
                      "mention_count_root": 2, "urgent_mention_count": 1, "msg_count_root": 4}
    viewed = client.post("/api/v4/channels/members/me/view", json={"channel_id": w.public, "prev_channel_id": ""},
                         headers=auth(w.bob))
    assert viewed.get_json() == {"status": "OK", "last_viewed_at_times": {w.public: 12345}}
    row = member_row(app, w.public, w.bob["user_id"])
    assert (row.msg_count, row.msg_count_root, row.mention_count, row.mention_count_root,
            row.urgent_mention_count, row.last_viewed_at) == (7, 5, 0, 0, 0, 12345)
    after = client.get(unread_url % ("me", w.public), headers=auth(w.bob)).get_json()
    assert after["msg_count"] == 0 and after["mention_count"] == 0
    # A muted channel counts no unread messages.
    set_fields(app, "Channel", {"id": w.public}, total_msg_count=9)
    client.put("/api/v4/channels/%s/members/me/notify_props" % w.public, json={"mark_unread": "mention"},
               headers=auth(w.bob))
    assert client.get(unread_url % ("me", w.public), headers=auth(w.bob)).get_json()["msg_count"] == 0
    # Channels the user is not in are left out; prev_channel_id is marked too.
    both = client.post("/api/v4/channels/members/me/view", json={"channel_id": w.private, "prev_channel_id": w.dm},
                       headers=auth(w.bob)).get_json()
    assert set(both["last_viewed_at_times"]) == {w.dm}
    assert client.post("/api/v4/channels/members/me/view", json={"channel_id": ""},
                       headers=auth(w.bob)).get_json()["last_viewed_at_times"] == {}


def test_view_and_unread_errors(app, client, admin):
    w = world(app, client, admin)
    view = "/api/v4/channels/members/%s/view"
    err(client.post(view % "me", json={"channel_id": "bad"}, headers=auth(w.bob)), 400,
        "api.context.invalid_param.app_error")
    err(client.post(view % "me", json={"channel_id": w.public, "prev_channel_id": "bad"}, headers=auth(w.bob)), 400)
    err(client.post(view % w.alice["user_id"], json={"channel_id": w.public}, headers=auth(w.bob)), 403)
    assert client.post(view % w.alice["user_id"], json={"channel_id": w.public}, headers=auth(admin)).status_code == 200
    err(client.post(view % "me", json={"channel_id": w.public}), 401)
    unread = "/api/v4/users/%s/channels/%s/unread"
    err(client.get(unread % (w.alice["user_id"], w.public), headers=auth(w.bob)), 403)
    err(client.get(unread % ("me", w.private), headers=auth(w.bob)), 403)
    err(client.get(unread % ("me", w.public), headers=auth(w.carol)), 403)
    err(client.get(unread % (w.bob["user_id"], w.private), headers=auth(admin)), 404, "app.channel.get_unread.app_error")
    err(client.get(unread % ("me", "bad"), headers=auth(w.bob)), 400)
    err(client.get(unread % ("me", w.public)), 401)


def test_mark_all_direct_messages_read(app, client, admin):
    w = world(app, client, admin)
    url = "/api/v4/channels/members/%s/direct/read"
    err(client.put(url % "me", headers=auth(w.alice)), 501, "api.mark_all_as_read.disabled.app_error")
    flags = app.config["MM_CONFIG"]["FeatureFlags"]
    flags["EnableShiftEscapeToMarkAllRead"] = True
    try:
        set_fields(app, "Channel", {"id": w.dm}, total_msg_count=4, last_post_at=777)
        set_fields(app, "Channel", {"id": w.public}, total_msg_count=4, last_post_at=888)
        done = client.put(url % "me", headers=auth(w.alice)).get_json()
        assert done == {"status": "OK", "last_viewed_at_times": {w.dm: 777}}
        assert member_row(app, w.dm, w.alice["user_id"]).msg_count == 4
        assert member_row(app, w.public, w.alice["user_id"]).msg_count == 0
        err(client.put(url % w.alice["user_id"], headers=auth(w.bob)), 403)
        err(client.put(url % "bad", headers=auth(w.bob)), 400)
        err(client.put(url % "me"), 401)
    finally:
        flags.pop("EnableShiftEscapeToMarkAllRead")
