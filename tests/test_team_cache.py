"""The per-process cache of teams and team memberships (store.teams): read
once, callers get their own copies, and every write through the store is seen
at once (here, and in other processes through the bus)."""
from conftest import auth, create, login, unique
from store import teams
from ws import events

API = "/api/v4"


def _team(client, who):
    made = client.post(API + "/teams", json={"name": unique("team"), "display_name": "T", "type": "O"},
                       headers=auth(who))
    assert made.status_code == 201, made.get_json()
    return made.get_json()


def test_teams_and_members_are_read_once_and_copied(app, client, admin):
    owner = login(client, create(client, admin)["username"])
    team = _team(client, owner)
    with app.app_context():
        assert teams.get(team["id"]).display_name == "T"
        assert teams.get_member(team["id"], owner["user_id"]) is not None
        from test_perf_paths_views import _statements
        with _statements() as seen:
            first = teams.get(team["id"])
            member = teams.get_member(team["id"], owner["user_id"])
        assert seen == []
        first.display_name = "changed by a caller"
        member.roles = "changed by a caller"
        assert teams.get(team["id"]).display_name == "T"
        assert teams.get_member(team["id"], owner["user_id"]).roles != "changed by a caller"


def test_team_writes_are_seen_at_once(app, client, admin):
    owner = login(client, create(client, admin)["username"])
    other = create(client, admin)
    team = _team(client, owner)
    with app.app_context():
        assert teams.get_member(team["id"], other["id"]) is None
    assert client.post(API + "/teams/%s/members" % team["id"], json={"team_id": team["id"], "user_id": other["id"]},
                       headers=auth(owner)).status_code == 201
    with app.app_context():
        assert teams.get_member(team["id"], other["id"]).scheme_admin is False
    roles = client.put(API + "/teams/%s/members/%s/schemeRoles" % (team["id"], other["id"]),
                       json={"scheme_admin": True, "scheme_user": True}, headers=auth(owner))
    assert roles.status_code == 200, roles.get_json()
    with app.app_context():
        assert teams.get_member(team["id"], other["id"]).scheme_admin is True
    patched = client.put(API + "/teams/%s/patch" % team["id"], json={"display_name": "Renamed"}, headers=auth(owner))
    assert patched.status_code == 200, patched.get_json()
    with app.app_context():
        assert teams.get(team["id"]).display_name == "Renamed"
    assert client.delete(API + "/teams/%s/members/%s" % (team["id"], other["id"]),
                         headers=auth(owner)).status_code == 200
    with app.app_context():
        assert teams.get_member(team["id"], other["id"]) is None
        assert teams.get_member(team["id"], other["id"], include_deleted=True).delete_at > 0
    assert client.delete(API + "/teams/%s" % team["id"], headers=auth(owner)).status_code == 200
    with app.app_context():
        assert teams.get(team["id"], include_deleted=False) is None
        assert teams.get(team["id"]).delete_at > 0


def test_a_change_announced_by_another_process_drops_the_rows(app, client, admin):
    owner = login(client, create(client, admin)["username"])
    team = _team(client, owner)
    key = "%s:%s" % (team["id"], owner["user_id"])
    with app.app_context():
        teams.get(team["id"])
        teams.get_member(team["id"], owner["user_id"])
        assert teams._teams.get(team["id"]) is not None and teams._members.get(key) is not None
        for cache, keys in (("teams", [team["id"]]), ("team members", [key])):
            events.run_process_listeners({"event": events.INTERNAL_PREFIX + "rows_changed",
                                          "data": {"cache": cache, "keys": keys, "all": False}})
        assert teams._teams.get(team["id"]) is None and teams._members.get(key) is None
