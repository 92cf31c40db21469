"""The user operations that look at teams and channels: list and search
filters, autocomplete, known users, group members, who a guest may see, and
signing up by invitation."""
import pytest

from conftest import PASSWORD, auth, create, login, unique
from store import channels, mailed_tokens, models, teams, users


@pytest.fixture(scope="module")
def world(app, admin):
    """A team with two members, a private channel of one of them, and an outsider."""
    client = app.test_client()
    with app.app_context():
        team = teams.create({"display_name": "World", "name": unique("world"), "type": "O"})
        alice, bob, outsider = (users.get(create(client, admin, first_name="Zed")["id"]) for _ in range(3))
        teams.add_member(team, alice, admin=True)
        teams.add_member(team, bob)
        private = channels.create({"team_id": team.id, "type": "P", "name": unique("hush"), "display_name": "Hush"},
                                  creator=alice)
    return {"team": team, "alice": alice, "bob": bob, "outsider": outsider, "private": private,
            "as_alice": login(client, alice.username), "as_bob": login(client, bob.username),
            "as_outsider": login(client, outsider.username)}


def ids(response):
    assert response.status_code == 200, response.data
    return {u["id"] for u in response.get_json()}


def test_users_in_and_not_in_a_team(client, world):
    team, who = world["team"], world["as_bob"]
    members = ids(client.get("/api/v4/users?in_team=%s&per_page=200" % team.id, headers=auth(who)))
    assert members == {world["alice"].id, world["bob"].id}
    others = ids(client.get("/api/v4/users?not_in_team=%s&per_page=200" % team.id, headers=auth(who)))
    assert world["outsider"].id in others and not others & members
    newest = client.get("/api/v4/users?in_team=%s&sort=create_at" % team.id, headers=auth(who)).get_json()
    assert [u["id"] for u in newest] == [world["outsider"].id, world["bob"].id, world["alice"].id][1:]
    active = client.get("/api/v4/users?in_team=%s&sort=last_activity_at" % team.id, headers=auth(who))
    assert active.status_code == 200
    admins = ids(client.get("/api/v4/users?in_team=%s&team_roles=team_admin" % team.id, headers=auth(who)))
    assert admins == {world["alice"].id}
    # Not a member of the team: no view_team there.
    refused = client.get("/api/v4/users?in_team=%s" % team.id, headers=auth(world["as_outsider"]))
    assert refused.status_code == 403 and refused.get_json()["id"] == "api.context.permissions.app_error"


def test_users_in_and_not_in_a_channel(client, world):
    team, private = world["team"], world["private"]
    members = ids(client.get("/api/v4/users?in_channel=%s" % private.id, headers=auth(world["as_alice"])))
    assert members == {world["alice"].id}
    outside = ids(client.get("/api/v4/users?in_team=%s&not_in_channel=%s" % (team.id, private.id),
                             headers=auth(world["as_alice"])))
    assert outside == {world["bob"].id}
    assert client.get("/api/v4/users?not_in_channel=%s" % private.id,
                      headers=auth(world["as_alice"])).status_code == 400
    by_admin = client.get("/api/v4/users?in_channel=%s&sort=admin" % private.id, headers=auth(world["as_alice"]))
    assert by_admin.status_code == 200
    assert client.get("/api/v4/users?in_channel=%s&sort=status" % private.id,
                      headers=auth(world["as_alice"])).status_code == 200
    assert client.get("/api/v4/users?sort=status", headers=auth(world["as_alice"])).status_code == 400
    # A private channel's members are hidden from a team member outside it.
    assert client.get("/api/v4/users?in_channel=%s" % private.id, headers=auth(world["as_bob"])).status_code == 403


def test_users_without_team(client, admin, world):
    listed = ids(client.get("/api/v4/users?without_team=true&per_page=200", headers=auth(admin)))
    assert world["outsider"].id in listed and world["bob"].id not in listed
    assert client.get("/api/v4/users?without_team=true", headers=auth(world["as_bob"])).status_code == 403
    assert client.get("/api/v4/users?role=no_such_role", headers=auth(admin)).status_code == 400
    assert client.get("/api/v4/users?in_group=" + "g" * 26, headers=auth(admin)).status_code == 404


def test_search_within_teams_and_channels(client, world):
    team, private = world["team"], world["private"]
    body = {"term": world["bob"].username, "team_id": team.id}
    assert ids(client.post("/api/v4/users/search", json=body, headers=auth(world["as_alice"]))) == {world["bob"].id}
    body = {"term": world["bob"].username, "not_in_team_id": team.id}
    assert ids(client.post("/api/v4/users/search", json=body, headers=auth(world["as_alice"]))) == set()
    body = {"term": world["alice"].username, "in_channel_id": private.id}
    assert ids(client.post("/api/v4/users/search", json=body, headers=auth(world["as_alice"]))) == {world["alice"].id}
    refused = client.post("/api/v4/users/search", json=body, headers=auth(world["as_bob"]))
    assert refused.status_code == 403
    missing_team = client.post("/api/v4/users/search", json={"term": "x", "not_in_channel_id": private.id},
                               headers=auth(world["as_alice"]))
    assert missing_team.status_code == 400
    too_many = client.post("/api/v4/users/search", json={"term": "x", "limit": 5000}, headers=auth(world["as_alice"]))
    assert too_many.status_code == 400


def test_autocomplete(client, world):
    team, private = world["team"], world["private"]
    both = client.get("/api/v4/users/autocomplete?in_team=%s&in_channel=%s&name=" % (team.id, private.id),
                      headers=auth(world["as_alice"])).get_json()
    assert {u["id"] for u in both["users"]} == {world["alice"].id}
    assert {u["id"] for u in both["out_of_channel"]} == {world["bob"].id}
    in_team = client.get("/api/v4/users/autocomplete?in_team=%s&name=%s" % (team.id, world["bob"].username[:4]),
                         headers=auth(world["as_alice"])).get_json()
    assert world["bob"].id in {u["id"] for u in in_team["users"]} and "out_of_channel" not in in_team
    everyone = client.get("/api/v4/users/autocomplete?name=" + world["outsider"].username,
                          headers=auth(world["as_alice"])).get_json()
    assert [u["id"] for u in everyone["users"]] == [world["outsider"].id]
    # Emails never match.
    by_email = client.get("/api/v4/users/autocomplete?name=" + world["outsider"].email,
                          headers=auth(world["as_alice"])).get_json()
    assert by_email["users"] == []
    assert client.get("/api/v4/users/autocomplete?name=x&in_channel=" + private.id,
                      headers=auth(world["as_alice"])).status_code == 400
    assert client.get("/api/v4/users/autocomplete?name=&in_channel=" + private.id + "&in_team=" + team.id,
                      headers=auth(world["as_bob"])).status_code == 403
    assert client.get("/api/v4/users/autocomplete?name=&in_team=" + team.id,
                      headers=auth(world["as_outsider"])).status_code == 403
    assert client.get("/api/v4/users/autocomplete?name=x").status_code == 401


def test_known_users_and_group_members(app, client, admin, world):
    known = client.get("/api/v4/users/known", headers=auth(world["as_bob"])).get_json()
    assert world["alice"].id in known and world["outsider"].id not in known and world["bob"].id not in known
    carol = users.get(create(client, admin)["id"])
    with app.app_context():
        group, _ = channels.get_or_create_group([world["alice"], world["bob"], carol], world["alice"].id)
    members = client.post("/api/v4/users/group_channels", json=[group.id, "x" * 26],
                          headers=auth(world["as_bob"])).get_json()
    assert list(members) == [group.id]
    assert {u["id"] for u in members[group.id]} == {world["alice"].id, world["bob"].id, carol.id}
    # Not a member of the group: nothing.
    assert client.post("/api/v4/users/group_channels", json=[group.id],
                       headers=auth(world["as_outsider"])).get_json() == {}
    assert client.post("/api/v4/users/group_channels", json=[], headers=auth(world["as_bob"])).status_code == 400


def test_channel_members_with_team_data(client, admin, world):
    rows = client.get("/api/v4/users/me/channel_members", headers=auth(world["as_alice"])).get_json()
    by_channel = {r["channel_id"]: r for r in rows}
    assert by_channel[world["private"].id]["team_name"] == world["team"].name
    assert by_channel[world["private"].id]["roles"] == "channel_user channel_admin"
    assert client.get("/api/v4/users/%s/channel_members" % world["alice"].id,
                      headers=auth(world["as_bob"])).status_code == 403
    assert client.get("/api/v4/users/%s/channel_members" % world["alice"].id, headers=auth(admin)).status_code == 200


def test_guests_see_only_who_they_share_a_team_or_channel_with(app, client, admin, world):
    guest = users.get(create(client, admin)["id"])
    users.set_roles(guest.id, "system_guest")
    with app.app_context():
        teams.add_member(world["team"], users.get(guest.id))
    who = login(client, guest.username)
    assert client.get("/api/v4/users/" + world["bob"].id, headers=auth(who)).status_code == 200
    hidden = client.get("/api/v4/users/" + world["outsider"].id, headers=auth(who))
    assert hidden.status_code == 403
    listed = ids(client.get("/api/v4/users?per_page=200", headers=auth(who)))
    assert world["bob"].id in listed and world["outsider"].id not in listed
    found = ids(client.post("/api/v4/users/ids", json=[world["bob"].id, world["outsider"].id], headers=auth(who)))
    assert found == {world["bob"].id}


def test_sign_up_with_invite_id(app, client, admin, world):
    team = world["team"]
    name = unique()
    response = client.post("/api/v4/users?iid=" + team.invite_id,
                           json={"username": name, "email": name + "@x.io", "password": PASSWORD})
    assert response.status_code == 201, response.data  # no open server needed
    assert teams.get_member(team.id, response.get_json()["id"]) is not None
    town = channels.get_by_name(team.id, "town-square")
    assert channels.get_member(town.id, response.get_json()["id"]) is not None
    unknown = client.post("/api/v4/users?iid=" + "z" * 26,
                          json={"username": unique(), "email": unique() + "@x.io", "password": PASSWORD})
    assert unknown.status_code == 404
    with app.app_context():
        teams.update(team.id, {"allowed_domains": "example.com"})
    try:
        name = unique()
        outside = client.post("/api/v4/users?iid=" + team.invite_id,
                              json={"username": name, "email": name + "@x.io", "password": PASSWORD})
        assert outside.status_code == 400 and outside.get_json()["id"] == "api.team.invite_members.invalid_email.app_error"
    finally:
        with app.app_context():
            teams.update(team.id, {"allowed_domains": ""})


def test_sign_up_with_emailed_invitation(app, client, world):
    team = world["team"]
    invited = unique() + "@invited.io"
    with app.app_context():
        token = mailed_tokens.create(mailed_tokens.TEAM_INVITATION, {"teamId": team.id, "email": invited})
    name = unique()
    response = client.post("/api/v4/users?t=" + token,
                           json={"username": name, "email": "other@x.io", "password": PASSWORD})
    assert response.status_code == 201, response.data
    user = users.get(response.get_json()["id"])
    assert user.email == invited and user.email_verified  # the invitation's address, proven by the mail
    assert teams.get_member(team.id, user.id) is not None
    again = client.post("/api/v4/users?t=" + token, json={"username": unique(), "email": "o@x.io", "password": PASSWORD})
    assert again.status_code == 404  # used up
    with app.app_context():
        old = mailed_tokens.create(mailed_tokens.TEAM_INVITATION, {"teamId": team.id, "email": "late@x.io"})
        models.Token.update(create_at=1).where(models.Token.token == old).execute()
    late = client.post("/api/v4/users?t=" + old, json={"username": unique(), "email": "o@x.io", "password": PASSWORD})
    assert late.status_code == 400 and late.get_json()["id"] == "api.user.create_user.signup_link_expired.app_error"


def test_filtered_user_stats(client, admin, world):
    team = world["team"]
    counted = client.get("/api/v4/users/stats/filtered?in_team=" + team.id, headers=auth(admin)).get_json()
    assert counted == {"total_users_count": len(ids(client.get("/api/v4/users?in_team=%s&per_page=200" % team.id,
                                                               headers=auth(admin))))}
    admins = client.get("/api/v4/users/stats/filtered?in_team=%s&team_roles=team_admin" % team.id,
                        headers=auth(admin)).get_json()
    assert admins == {"total_users_count": 1}
    assert client.get("/api/v4/users/stats/filtered", headers=auth(world["as_bob"])).status_code == 403
    assert client.get("/api/v4/users/stats/filtered?roles=Bad-Role", headers=auth(admin)).status_code == 400


def test_admin_verifies_an_email(client, admin, world):
    user = create(client, admin)
    assert client.post("/api/v4/users/%s/email/verify/member" % user["id"],
                       headers=auth(world["as_bob"])).status_code == 403
    verified = client.post("/api/v4/users/%s/email/verify/member" % user["id"], headers=auth(admin))
    assert verified.status_code == 200 and verified.get_json()["id"] == user["id"]
    assert users.get(user["id"]).email_verified
    assert client.post("/api/v4/users/%s/email/verify/member" % ("z" * 26), headers=auth(admin)).status_code == 404


def test_admin_moves_an_account_to_another_sign_in_service(client, admin, world):
    user = create(client, admin)
    body = {"auth_data": "ext-" + user["id"], "auth_service": "gitlab"}
    assert client.put("/api/v4/users/%s/auth" % user["id"], json=body, headers=auth(world["as_bob"])).status_code == 403
    moved = client.put("/api/v4/users/%s/auth" % user["id"], json=body, headers=auth(admin))
    assert moved.status_code == 200 and moved.get_json() == body
    assert users.get(user["id"]).password == ""  # the password no longer signs in
    login_failed = client.post("/api/v4/users/login", json={"login_id": user["username"], "password": PASSWORD})
    assert login_failed.status_code == 401
    other = create(client, admin)
    taken = client.put("/api/v4/users/%s/auth" % other["id"], json=body, headers=auth(admin))
    assert taken.status_code == 400
    empty = client.put("/api/v4/users/%s/auth" % other["id"], json={"auth_data": "", "auth_service": "gitlab"},
                       headers=auth(admin))
    assert empty.status_code == 400 and empty.get_json()["id"] == "api.user.update_user_auth.invalid_request"
    assert client.put("/api/v4/users/%s/auth" % ("z" * 26), json=body, headers=auth(admin)).status_code == 404


def test_promoted_guest_becomes_a_user_in_teams_and_channels(app, client, admin, world):
    guest = users.get(create(client, admin)["id"])
    users.set_roles(guest.id, "system_guest")
    with app.app_context():
        teams.add_member(world["team"], users.get(guest.id))
        channels.add_member(world["private"], users.get(guest.id))
    assert teams.member_json(teams.get_member(world["team"].id, guest.id))["roles"] == "team_guest"
    assert client.post("/api/v4/users/%s/promote" % guest.id, headers=auth(admin)).status_code == 200
    assert teams.member_json(teams.get_member(world["team"].id, guest.id))["roles"] == "team_user"
    member = channels.get_member(world["private"].id, guest.id)
    assert channels.member_json(member)["roles"] == "channel_user"
    assert users.get(guest.id).roles == "system_user"
