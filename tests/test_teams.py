"""Teams, their members, invitations, icons and unread counts, on both stores,
as Mattermost's Team Edition answers them."""
import io
import re

import pytest
from PIL import Image

from conftest import auth, create, login, unique
from store import channels, models, team_queries, teams as store_teams, users as store_users

API = "/api/v4"
NO_SUCH_ID = "a" * 26


def new_team(client, who, type_="O", open_invite=True, **fields):
    name = unique("team")
    body = {"name": name, "display_name": "Team " + name, "type": type_, "allow_open_invite": open_invite, **fields}
    response = client.post(API + "/teams", json=body, headers=auth(who))
    assert response.status_code == 201, response.data
    return response.get_json()


def person(client, admin):
    user = create(client, admin)
    who = login(client, user["username"])
    who["user"] = user
    return who


def join(client, admin, team, who):
    response = client.post(API + "/teams/%s/members" % team["id"],
                           json={"team_id": team["id"], "user_id": who["user_id"]}, headers=auth(admin))
    assert response.status_code == 201, response.data
    return response.get_json()


def error_id(response):
    return response.get_json()["id"]


# ---------------------------------------------------------------------------
# Creating and reading teams.

def test_create_team_makes_creator_admin_with_default_channels(client, admin):
    who = person(client, admin)
    team = new_team(client, who)
    assert team["type"] == "O" and team["allow_open_invite"] is True
    assert team["email"] == who["user"]["email"] and team["invite_id"]
    assert "last_team_icon_update" not in team
    member = client.get(API + "/teams/%s/members/me" % team["id"], headers=auth(who)).get_json()
    assert member["roles"] == "team_user team_admin" and member["scheme_admin"] is True
    names = {c.name for c in models.Channel.select().where(models.Channel.team_id == team["id"])}
    assert names == {"town-square", "off-topic"}
    for name in names:
        assert channels.get_member(channels.get_by_name(team["id"], name).id, who["user_id"]) is not None


def test_create_team_type_follows_open_invite(client, admin):
    # Mattermost keeps type and allow_open_invite in step: no open invites means invite only.
    team = new_team(client, admin, type_="O", open_invite=False)
    assert team["type"] == "I" and team["allow_open_invite"] is False
    team = new_team(client, admin, type_="I", open_invite=True)
    assert team["type"] == "I" and team["allow_open_invite"] is False


@pytest.mark.parametrize("fields,expected", [
    ({"name": "ab-"}, "model.team.is_valid.characters.app_error"),
    ({"name": "a"}, "model.team.is_valid.characters.app_error"),
    ({"name": "Upper"}, "model.team.is_valid.characters.app_error"),
    ({"name": "admin-team"}, "model.team.is_valid.reserved.app_error"),
    ({"name": "signup"}, "model.team.is_valid.reserved.app_error"),
    ({"name": "x" * 65}, "model.team.is_valid.url.app_error"),
    ({"display_name": ""}, "model.team.is_valid.name.app_error"),
    ({"display_name": "d" * 65}, "model.team.is_valid.name.app_error"),
    ({"description": "d" * 256}, "model.team.is_valid.description.app_error"),
    ({"company_name": "c" * 65}, "model.team.is_valid.company.app_error"),
    ({"id": NO_SUCH_ID}, "app.team.save.existing.app_error"),
])
def test_create_team_validation(client, admin, fields, expected):
    body = {"name": unique("valid"), "display_name": "Valid", "type": "O", **fields}
    response = client.post(API + "/teams", json=body, headers=auth(admin))
    assert response.status_code == 400 and error_id(response) == expected


def test_create_team_name_taken_and_permissions(client, admin, app):
    team = new_team(client, admin)
    response = client.post(API + "/teams", json={"name": team["name"], "display_name": "Again", "type": "O"},
                           headers=auth(admin))
    assert response.status_code == 400 and error_id(response) == "app.team.save.existing.app_error"
    assert client.post(API + "/teams", json={"name": unique("t"), "display_name": "x", "type": "O"}).status_code == 401
    # Guests lack create_team.
    guest = person(client, admin)
    store_users.write(guest["user_id"], roles="system_guest")
    guest = login(client, guest["user"]["username"])
    response = client.post(API + "/teams", json={"name": unique("t"), "display_name": "x", "type": "O"},
                           headers=auth(guest))
    assert response.status_code == 403 and error_id(response) == "api.team.is_team_creation_allowed.disabled.app_error"
    # Setting a scheme takes a sysconsole permission.
    who = person(client, admin)
    response = client.post(API + "/teams", json={"name": unique("t"), "display_name": "x", "type": "O",
                                                 "scheme_id": NO_SUCH_ID}, headers=auth(who))
    assert response.status_code == 403
    # Domain restrictions apply to the creator's email.
    settings = app.config["MM_CONFIG"]["TeamSettings"]
    settings["RestrictCreationToDomains"] = "elsewhere.org"
    try:
        response = client.post(API + "/teams", json={"name": unique("t"), "display_name": "x", "type": "O"},
                               headers=auth(who))
        assert response.status_code == 400 and error_id(response) == "api.team.is_team_creation_allowed.domain.app_error"
    finally:
        settings["RestrictCreationToDomains"] = ""


def test_get_team_and_by_name_visibility(client, admin):
    owner = person(client, admin)
    outsider = person(client, admin)
    open_team = new_team(client, owner)
    private = new_team(client, owner, type_="I", open_invite=False)
    # An open team with open invites is readable by anyone, sanitized.
    body = client.get(API + "/teams/" + open_team["id"], headers=auth(outsider)).get_json()
    assert body["id"] == open_team["id"] and body["email"] == "" and body["invite_id"] == ""
    body = client.get(API + "/teams/name/" + open_team["name"], headers=auth(outsider)).get_json()
    assert body["id"] == open_team["id"]
    # An invite-only team is not.
    for url in ("/teams/" + private["id"], "/teams/name/" + private["name"]):
        response = client.get(API + url, headers=auth(outsider))
        assert response.status_code == 403 and error_id(response) == "api.context.permissions.app_error"
    # Its admin sees everything; a plain member sees the invite id but not the email.
    body = client.get(API + "/teams/" + private["id"], headers=auth(owner)).get_json()
    assert body["email"] == owner["user"]["email"] and body["invite_id"] == private["invite_id"]
    member = person(client, admin)
    join(client, admin, private, member)
    body = client.get(API + "/teams/" + private["id"], headers=auth(member)).get_json()
    assert body["email"] == "" and body["invite_id"] == private["invite_id"]
    # The system admin sees everything.
    assert client.get(API + "/teams/" + private["id"], headers=auth(admin)).get_json()["email"]
    # Errors.
    assert client.get(API + "/teams/" + NO_SUCH_ID, headers=auth(admin)).status_code == 404
    assert client.get(API + "/teams/not-an-id", headers=auth(admin)).status_code == 400
    response = client.get(API + "/teams/name/nosuchteamhere", headers=auth(admin))
    assert response.status_code == 404 and error_id(response) == "app.team.get_by_name.missing.app_error"
    assert client.get(API + "/teams/name/Bad_Name", headers=auth(admin)).status_code == 400
    assert client.get(API + "/teams/" + open_team["id"]).status_code == 401


def test_team_exists(client, admin):
    owner = person(client, admin)
    outsider = person(client, admin)
    open_team = new_team(client, owner)
    private = new_team(client, owner, type_="I", open_invite=False)
    check = lambda who, name: client.get(API + "/teams/name/%s/exists" % name, headers=auth(who)).get_json()["exists"]
    assert check(outsider, open_team["name"]) is True
    assert check(outsider, private["name"]) is False  # no list_private_teams, not a member
    assert check(owner, private["name"]) is True
    assert check(admin, private["name"]) is True
    assert check(outsider, "nosuchteamatall") is False
    assert client.get(API + "/teams/name/x/exists", headers=auth(outsider)).status_code == 400


def test_get_all_teams_visibility_and_count(client, admin):
    owner = person(client, admin)
    user = person(client, admin)
    open_team = new_team(client, owner)
    private = new_team(client, owner, type_="I", open_invite=False)
    ids = {t["id"] for t in client.get(API + "/teams?per_page=200", headers=auth(user)).get_json()}
    assert open_team["id"] in ids and private["id"] not in ids
    listed = client.get(API + "/teams?per_page=200", headers=auth(admin)).get_json()
    assert {open_team["id"], private["id"]} <= {t["id"] for t in listed}
    body = client.get(API + "/teams?include_total_count=true&per_page=1", headers=auth(admin)).get_json()
    assert len(body["teams"]) == 1 and body["total_count"] >= 2
    for team in client.get(API + "/teams?per_page=200", headers=auth(user)).get_json():
        assert team["email"] == "" and team["invite_id"] == ""
    response = client.get(API + "/teams?exclude_policy_constrained=true", headers=auth(user))
    assert response.status_code == 403
    guest = person(client, admin)
    store_users.write(guest["user_id"], roles="system_guest")
    guest = login(client, guest["user"]["username"])
    response = client.get(API + "/teams", headers=auth(guest))
    assert response.status_code == 403 and error_id(response) == "api.team.get_all_teams.insufficient_permissions"


def test_search_teams(client, admin):
    owner = person(client, admin)
    user = person(client, admin)
    marker = unique("findme")
    open_team = new_team(client, owner, display_name="Open " + marker)
    private = new_team(client, owner, type_="I", open_invite=False, display_name="Private " + marker)
    found = client.post(API + "/teams/search", json={"term": marker}, headers=auth(admin)).get_json()
    assert {t["id"] for t in found} == {open_team["id"], private["id"]}
    found = client.post(API + "/teams/search", json={"term": marker.upper()}, headers=auth(user)).get_json()
    assert [t["id"] for t in found] == [open_team["id"]]
    paged = client.post(API + "/teams/search", json={"term": marker, "page": "0", "per_page": "1"},
                        headers=auth(admin)).get_json()
    assert paged["total_count"] == 2 and len(paged["teams"]) == 1
    response = client.post(API + "/teams/search", json={"term": marker, "page": "0", "per_page": "1"},
                           headers=auth(user))
    assert response.status_code == 501
    assert error_id(response) == "api.team.search_teams.pagination_not_implemented.public_team_search"
    found = client.post(API + "/teams/search", json={"term": marker, "allow_open_invite": False},
                        headers=auth(admin)).get_json()
    assert [t["id"] for t in found] == [private["id"]]
    assert client.post(API + "/teams/search", json={"term": "%"}, headers=auth(admin)).status_code == 200


# ---------------------------------------------------------------------------
# Changing teams.

def test_update_team(client, admin):
    owner = person(client, admin)
    member = person(client, admin)
    team = new_team(client, owner)
    join(client, admin, team, member)
    body = dict(team, display_name="Renamed", description="About", company_name="Co",
                allowed_domains="", allow_open_invite=True)
    response = client.put(API + "/teams/" + team["id"], json=body, headers=auth(owner))
    assert response.status_code == 200, response.data
    assert response.get_json()["display_name"] == "Renamed" and response.get_json()["description"] == "About"
    # The name is not changed by an update.
    response = client.put(API + "/teams/" + team["id"], json=dict(body, name="othername"), headers=auth(owner))
    assert response.get_json()["name"] == team["name"]
    response = client.put(API + "/teams/" + team["id"], json=dict(body, id=NO_SUCH_ID), headers=auth(owner))
    assert response.status_code == 400 and error_id(response) == "api.context.invalid_body_param.app_error"
    assert client.put(API + "/teams/" + team["id"], json=body, headers=auth(member)).status_code == 403
    response = client.put(API + "/teams/" + NO_SUCH_ID, json=dict(body, id=NO_SUCH_ID), headers=auth(admin))
    assert response.status_code == 404
    response = client.put(API + "/teams/" + team["id"], json=dict(body, display_name=""), headers=auth(owner))
    assert response.status_code == 400 and error_id(response) == "model.team.is_valid.name.app_error"


def test_patch_team(client, admin, app):
    owner = person(client, admin)
    member = person(client, admin)
    team = new_team(client, owner)
    join(client, admin, team, member)
    client.put(API + "/teams/%s/patch" % team["id"], json={"display_name": "Renamed"}, headers=auth(owner))
    # Patch changes only what it names; closing open invites makes a new invite id.
    response = client.put(API + "/teams/%s/patch" % team["id"], json={"description": "Patched"}, headers=auth(owner))
    assert response.status_code == 200 and response.get_json()["display_name"] == "Renamed"
    assert response.get_json()["description"] == "Patched"
    old_invite = response.get_json()["invite_id"]
    response = client.put(API + "/teams/%s/patch" % team["id"], json={"allow_open_invite": False}, headers=auth(owner))
    patched = response.get_json()
    assert patched["allow_open_invite"] is False and patched["type"] == "I" and patched["invite_id"] != old_invite
    assert client.put(API + "/teams/%s/patch" % team["id"], json={"description": "x"},
                      headers=auth(member)).status_code == 403
    settings = app.config["MM_CONFIG"]["TeamSettings"]
    settings["RestrictCreationToDomains"] = "example.com"
    try:
        response = client.put(API + "/teams/%s/patch" % team["id"], json={"allowed_domains": "other.org"},
                              headers=auth(owner))
        assert response.status_code == 400
        assert error_id(response) == "api.team.update_restricted_domains.mismatch.app_error"
    finally:
        settings["RestrictCreationToDomains"] = ""


def test_update_team_privacy_and_regenerate_invite(client, admin):
    owner = person(client, admin)
    team = new_team(client, owner)
    response = client.put(API + "/teams/%s/privacy" % team["id"], json={"privacy": "I"}, headers=auth(owner))
    body = response.get_json()
    assert body["type"] == "I" and body["allow_open_invite"] is False and body["invite_id"] != team["invite_id"]
    response = client.put(API + "/teams/%s/privacy" % team["id"], json={"privacy": "O"}, headers=auth(owner))
    assert response.get_json()["type"] == "O" and response.get_json()["allow_open_invite"] is True
    response = client.put(API + "/teams/%s/privacy" % team["id"], json={"privacy": "X"}, headers=auth(owner))
    assert response.status_code == 400
    other = person(client, admin)
    assert client.put(API + "/teams/%s/privacy" % team["id"], json={"privacy": "I"},
                      headers=auth(other)).status_code == 403
    assert client.put(API + "/teams/%s/privacy" % NO_SUCH_ID, json={"privacy": "I"},
                      headers=auth(admin)).status_code == 404
    before = client.get(API + "/teams/" + team["id"], headers=auth(owner)).get_json()["invite_id"]
    response = client.post(API + "/teams/%s/regenerate_invite_id" % team["id"], headers=auth(owner))
    assert response.status_code == 200 and response.get_json()["invite_id"] not in ("", before)
    assert client.post(API + "/teams/%s/regenerate_invite_id" % team["id"], headers=auth(other)).status_code == 403
    assert client.post(API + "/teams/%s/regenerate_invite_id" % NO_SUCH_ID, headers=auth(admin)).status_code == 404


def test_delete_restore_and_permanent_delete(client, admin, app):
    owner = person(client, admin)
    other = person(client, admin)
    team = new_team(client, owner)
    assert client.delete(API + "/teams/" + team["id"], headers=auth(other)).status_code == 403
    assert client.delete(API + "/teams/" + team["id"], headers=auth(owner)).get_json() == {"status": "OK"}
    assert client.get(API + "/teams/" + team["id"], headers=auth(owner)).get_json()["delete_at"] > 0
    # An archived team is not among a user's teams.
    ids = {t["id"] for t in client.get(API + "/users/me/teams", headers=auth(owner)).get_json()}
    assert team["id"] not in ids
    response = client.post(API + "/teams/%s/restore" % team["id"], headers=auth(owner))
    assert response.status_code == 200 and response.get_json()["delete_at"] == 0
    assert client.post(API + "/teams/%s/restore" % team["id"], headers=auth(other)).status_code == 403
    assert client.delete(API + "/teams/" + NO_SUCH_ID, headers=auth(admin)).status_code == 404
    response = client.delete(API + "/teams/%s?permanent=true" % team["id"], headers=auth(owner))
    assert response.status_code == 401 and error_id(response) == "api.user.delete_team.not_enabled.app_error"
    app.config["MM_CONFIG"]["ServiceSettings"]["EnableAPITeamDeletion"] = True
    try:
        assert client.delete(API + "/teams/%s?permanent=true" % team["id"], headers=auth(owner)).status_code == 200
    finally:
        app.config["MM_CONFIG"]["ServiceSettings"]["EnableAPITeamDeletion"] = False
    assert client.get(API + "/teams/" + team["id"], headers=auth(admin)).status_code == 404
    assert not models.Channel.select().where(models.Channel.team_id == team["id"]).exists()
    assert not models.TeamMember.select().where(models.TeamMember.team_id == team["id"]).exists()


# ---------------------------------------------------------------------------
# Members.

def test_join_open_team_and_private_team(client, admin):
    owner = person(client, admin)
    user = person(client, admin)
    open_team = new_team(client, owner)
    private = new_team(client, owner, type_="I", open_invite=False)
    response = client.post(API + "/teams/%s/members" % open_team["id"],
                           json={"team_id": open_team["id"], "user_id": user["user_id"]}, headers=auth(user))
    assert response.status_code == 201 and response.get_json()["roles"] == "team_user"
    town = channels.get_by_name(open_team["id"], "town-square")
    assert channels.get_member(town.id, user["user_id"]) is not None
    response = client.post(API + "/teams/%s/members" % private["id"],
                           json={"team_id": private["id"], "user_id": user["user_id"]}, headers=auth(user))
    assert response.status_code == 403
    # Adding someone else takes add_user_to_team in the team.
    other = person(client, admin)
    response = client.post(API + "/teams/%s/members" % private["id"],
                           json={"team_id": private["id"], "user_id": other["user_id"]}, headers=auth(user))
    assert response.status_code == 403
    response = client.post(API + "/teams/%s/members" % private["id"],
                           json={"team_id": private["id"], "user_id": other["user_id"]}, headers=auth(owner))
    assert response.status_code == 201
    response = client.post(API + "/teams/%s/members" % private["id"],
                           json={"team_id": open_team["id"], "user_id": other["user_id"]}, headers=auth(owner))
    assert response.status_code == 400
    response = client.post(API + "/teams/%s/members" % private["id"],
                           json={"team_id": private["id"], "user_id": "bad"}, headers=auth(owner))
    assert response.status_code == 400
    response = client.post(API + "/teams/%s/members" % private["id"],
                           json={"team_id": private["id"], "user_id": NO_SUCH_ID}, headers=auth(owner))
    assert response.status_code == 404 and error_id(response) == "app.user.missing_account.const"
    response = client.post(API + "/teams/%s/members" % NO_SUCH_ID,
                           json={"team_id": NO_SUCH_ID, "user_id": other["user_id"]}, headers=auth(admin))
    assert response.status_code == 404


def test_team_size_limit(client, admin, app):
    owner = person(client, admin)
    team = new_team(client, owner)
    settings = app.config["MM_CONFIG"]["TeamSettings"]
    settings["MaxUsersPerTeam"] = 1
    try:
        other = person(client, admin)
        response = client.post(API + "/teams/%s/members" % team["id"],
                               json={"team_id": team["id"], "user_id": other["user_id"]}, headers=auth(owner))
        assert response.status_code == 400
        assert error_id(response) == "app.team.join_user_to_team.save_member.max_accounts.app_error"
    finally:
        settings["MaxUsersPerTeam"] = 50


def test_add_team_members_batch(client, admin):
    owner = person(client, admin)
    team = new_team(client, owner)
    a, b = person(client, admin), person(client, admin)
    body = [{"team_id": team["id"], "user_id": a["user_id"]}, {"team_id": team["id"], "user_id": b["user_id"]}]
    response = client.post(API + "/teams/%s/members/batch" % team["id"], json=body, headers=auth(owner))
    assert response.status_code == 201 and {m["user_id"] for m in response.get_json()} == {a["user_id"], b["user_id"]}
    bad = body + [{"team_id": team["id"], "user_id": NO_SUCH_ID}]
    response = client.post(API + "/teams/%s/members/batch" % team["id"], json=bad, headers=auth(owner))
    assert response.status_code == 404
    response = client.post(API + "/teams/%s/members/batch?graceful=true" % team["id"], json=bad, headers=auth(owner))
    assert response.status_code == 201
    results = response.get_json()
    assert results[2]["user_id"] == NO_SUCH_ID and results[2]["error"]["id"] == "app.user.missing_account.const"
    assert results[0]["member"]["user_id"] == a["user_id"] and results[0]["error"] is None
    assert client.post(API + "/teams/%s/members/batch" % team["id"], json=[], headers=auth(owner)).status_code == 400
    outsider = person(client, admin)
    assert client.post(API + "/teams/%s/members/batch" % team["id"], json=body,
                       headers=auth(outsider)).status_code == 403
    response = client.post(API + "/teams/%s/members/batch" % team["id"],
                           json=[{"team_id": NO_SUCH_ID, "user_id": a["user_id"]}], headers=auth(owner))
    assert response.status_code == 400
    too_many = [{"team_id": team["id"], "user_id": NO_SUCH_ID}] * 257
    assert client.post(API + "/teams/%s/members/batch" % team["id"], json=too_many,
                       headers=auth(owner)).status_code == 400


def test_get_members_by_team_id_ids_and_one(client, admin):
    owner = person(client, admin)
    team = new_team(client, owner)
    a, b = person(client, admin), person(client, admin)
    join(client, admin, team, a)
    join(client, admin, team, b)
    members = client.get(API + "/teams/%s/members" % team["id"], headers=auth(a)).get_json()
    assert {m["user_id"] for m in members} == {owner["user_id"], a["user_id"], b["user_id"]}
    assert [m["user_id"] for m in members] == sorted(m["user_id"] for m in members)
    by_name = client.get(API + "/teams/%s/members?sort=Username" % team["id"], headers=auth(a)).get_json()
    usernames = {owner["user_id"]: owner["user"]["username"], a["user_id"]: a["user"]["username"],
                 b["user_id"]: b["user"]["username"]}
    assert [usernames[m["user_id"]] for m in by_name] == sorted(usernames.values())
    page = client.get(API + "/teams/%s/members?per_page=1&page=1" % team["id"], headers=auth(a)).get_json()
    assert len(page) == 1 and page[0]["user_id"] == members[1]["user_id"]
    outsider = person(client, admin)
    assert client.get(API + "/teams/%s/members" % team["id"], headers=auth(outsider)).status_code == 403
    got = client.post(API + "/teams/%s/members/ids" % team["id"], json=[a["user_id"], outsider["user_id"]],
                      headers=auth(b)).get_json()
    assert [m["user_id"] for m in got] == [a["user_id"]]
    assert client.post(API + "/teams/%s/members/ids" % team["id"], json=[], headers=auth(b)).status_code == 400
    assert client.post(API + "/teams/%s/members/ids" % team["id"], json=[a["user_id"]],
                       headers=auth(outsider)).status_code == 403
    one = client.get(API + "/teams/%s/members/%s" % (team["id"], a["user_id"]), headers=auth(b)).get_json()
    assert one["roles"] == "team_user" and one["explicit_roles"] == ""
    response = client.get(API + "/teams/%s/members/%s" % (team["id"], outsider["user_id"]), headers=auth(b))
    assert response.status_code == 404 and error_id(response) == "app.team.get_member.missing.app_error"
    assert client.get(API + "/teams/%s/members/%s" % (team["id"], a["user_id"]),
                      headers=auth(outsider)).status_code == 403
    # Deactivated accounts can be left out.
    store_users.write(b["user_id"], delete_at=1)
    try:
        active = client.get(API + "/teams/%s/members?exclude_deleted_users=true" % team["id"],
                            headers=auth(a)).get_json()
        assert b["user_id"] not in {m["user_id"] for m in active}
        stats = client.get(API + "/teams/%s/stats" % team["id"], headers=auth(a)).get_json()
        assert stats == {"team_id": team["id"], "total_member_count": 3, "active_member_count": 2}
    finally:
        store_users.write(b["user_id"], delete_at=0)
    assert client.get(API + "/teams/%s/stats" % team["id"], headers=auth(outsider)).status_code == 403


def test_members_and_teams_for_user(client, admin, app):
    owner = person(client, admin)
    user = person(client, admin)
    team = new_team(client, owner)
    join(client, admin, team, user)
    mine = client.get(API + "/users/me/teams/members", headers=auth(user)).get_json()
    assert [m["team_id"] for m in mine] == [team["id"]]
    assert client.get(API + "/users/%s/teams/members" % user["user_id"], headers=auth(admin)).status_code == 200
    assert client.get(API + "/users/%s/teams/members" % user["user_id"], headers=auth(owner)).status_code == 403
    teams = client.get(API + "/users/me/teams", headers=auth(user)).get_json()
    assert [t["id"] for t in teams] == [team["id"]] and teams[0]["email"] == "" and teams[0]["invite_id"]
    assert client.get(API + "/users/%s/teams" % user["user_id"], headers=auth(owner)).status_code == 403
    assert client.get(API + "/users/%s/teams" % user["user_id"], headers=auth(admin)).status_code == 200
    assert client.get(API + "/users/bad/teams", headers=auth(admin)).status_code == 400
    privacy = app.config["MM_CONFIG"]["PrivacySettings"]
    privacy["ShowEmailAddress"] = False
    try:
        assert client.get(API + "/users/me/teams", headers=auth(owner)).get_json()[0]["email"] == ""
        assert client.get(API + "/users/%s/teams" % owner["user_id"], headers=auth(admin)).get_json()[0]["email"]
    finally:
        privacy["ShowEmailAddress"] = True


def test_remove_team_member_and_leave(client, admin):
    owner = person(client, admin)
    a, b = person(client, admin), person(client, admin)
    team = new_team(client, owner)
    join(client, admin, team, a)
    join(client, admin, team, b)
    assert client.delete(API + "/teams/%s/members/%s" % (team["id"], b["user_id"]), headers=auth(a)).status_code == 403
    response = client.delete(API + "/teams/%s/members/%s" % (team["id"], a["user_id"]), headers=auth(a))
    assert response.get_json() == {"status": "OK"}
    town = channels.get_by_name(team["id"], "town-square")
    assert channels.get_member(town.id, a["user_id"]) is None
    left = client.get(API + "/teams/%s/members/%s" % (team["id"], a["user_id"]), headers=auth(owner)).get_json()
    assert left["delete_at"] > 0
    assert client.delete(API + "/teams/%s/members/%s" % (team["id"], b["user_id"]),
                         headers=auth(owner)).status_code == 200
    outsider = person(client, admin)
    response = client.delete(API + "/teams/%s/members/%s" % (team["id"], outsider["user_id"]), headers=auth(owner))
    assert response.status_code == 400 and error_id(response) == "api.team.remove_user_from_team.missing.app_error"
    assert client.delete(API + "/teams/%s/members/%s" % (team["id"], NO_SUCH_ID), headers=auth(owner)).status_code == 404
    assert client.delete(API + "/teams/%s/members/%s" % (NO_SUCH_ID, owner["user_id"]),
                         headers=auth(admin)).status_code == 404
    # Joining again brings the member back with the default channels.
    join(client, admin, team, a)
    assert channels.get_member(town.id, a["user_id"]) is not None


def test_member_roles(client, admin):
    owner = person(client, admin)
    user = person(client, admin)
    team = new_team(client, owner)
    join(client, admin, team, user)
    url = API + "/teams/%s/members/%s/roles" % (team["id"], user["user_id"])
    assert client.put(url, json={"roles": "team_user team_admin"}, headers=auth(user)).status_code == 403
    assert client.put(url, json={"roles": "team_user team_admin"}, headers=auth(owner)).get_json() == {"status": "OK"}
    member = store_teams.get_member(team["id"], user["user_id"])
    assert member.scheme_admin and member.scheme_user and member.roles == ""
    response = client.put(url, json={"roles": "channel_user"}, headers=auth(owner))
    assert response.status_code == 400
    assert error_id(response) == "api.channel.update_team_member_roles.scheme_role.app_error"
    response = client.put(url, json={"roles": "no_such_role"}, headers=auth(owner))
    assert response.status_code == 400
    response = client.put(url, json={"roles": "team_guest"}, headers=auth(owner))
    assert response.status_code == 400
    assert client.put(url, json={"roles": "Bad Role!"}, headers=auth(owner)).status_code == 400
    outsider = person(client, admin)
    response = client.put(API + "/teams/%s/members/%s/roles" % (team["id"], outsider["user_id"]),
                          json={"roles": "team_user"}, headers=auth(owner))
    assert response.status_code == 404
    url = API + "/teams/%s/members/%s/schemeRoles" % (team["id"], user["user_id"])
    body = {"scheme_admin": False, "scheme_user": True}
    assert client.put(url, json=body, headers=auth(outsider)).status_code == 403
    assert client.put(url, json=body, headers=auth(owner)).get_json() == {"status": "OK"}
    assert not store_teams.get_member(team["id"], user["user_id"]).scheme_admin
    response = client.put(url, json=dict(body, scheme_guest=True), headers=auth(owner))
    assert response.status_code == 400 and error_id(response) == "api.team.update_team_member_roles.guest_and_user.app_error"


def test_guest_cannot_see_users_outside_their_channels(client, admin):
    owner = person(client, admin)
    team = new_team(client, owner)
    guest = person(client, admin)
    store_users.write(guest["user_id"], roles="system_guest")
    join(client, admin, team, guest)
    guest = login(client, guest["user"]["username"])
    # The guest joined no channel, so sees only themself.
    members = client.get(API + "/teams/%s/members" % team["id"], headers=auth(guest)).get_json()
    assert [m["user_id"] for m in members] == [guest["user_id"]]
    response = client.get(API + "/teams/%s/members/%s" % (team["id"], owner["user_id"]), headers=auth(guest))
    assert response.status_code == 403
    town = channels.get_by_name(team["id"], "town-square")
    assert channels.get_member(town.id, guest["user_id"]) is None
    channels.add_member(town, models.User.get_by_id(guest["user_id"]))
    members = client.get(API + "/teams/%s/members" % team["id"], headers=auth(guest)).get_json()
    assert owner["user_id"] in {m["user_id"] for m in members}


def test_team_members_minus_group_members(client, admin):
    owner = person(client, admin)
    team = new_team(client, owner)
    url = API + "/teams/%s/members_minus_group_members?group_ids=%s" % (team["id"], NO_SUCH_ID)
    body = client.get(url, headers=auth(admin)).get_json()
    assert body["total_count"] == 1 and body["users"][0]["id"] == owner["user_id"]
    assert body["users"][0]["scheme_admin"] is True and body["users"][0]["groups"] == []
    assert client.get(url, headers=auth(owner)).status_code == 403
    bad = API + "/teams/%s/members_minus_group_members?group_ids=short" % team["id"]
    assert client.get(bad, headers=auth(admin)).status_code == 400


# ---------------------------------------------------------------------------
# Invitations.

def test_invite_info_and_join_by_invite_id(client, admin):
    owner = person(client, admin)
    team = new_team(client, owner)
    private = new_team(client, owner, type_="I", open_invite=False)
    info = client.get(API + "/teams/invite/" + team["invite_id"]).get_json()
    assert info == {"id": team["id"], "name": team["name"], "display_name": team["display_name"],
                    "description": ""}
    response = client.get(API + "/teams/invite/" + private["invite_id"])
    assert response.status_code == 403 and error_id(response) == "api.team.get_invite_info.not_open_team"
    assert client.get(API + "/teams/invite/" + NO_SUCH_ID).status_code == 404
    user = person(client, admin)
    response = client.post(API + "/teams/members/invite?invite_id=" + private["invite_id"],
                           headers=auth(user))
    assert response.status_code == 201 and response.get_json()["team_id"] == private["id"]
    response = client.post(API + "/teams/members/invite?invite_id=" + NO_SUCH_ID, headers=auth(user))
    assert response.status_code == 404
    response = client.post(API + "/teams/members/invite?token=", headers=auth(user))
    assert response.status_code == 400
    assert error_id(response) == "api.team.add_user_to_team.missing_parameter.app_error"


def test_join_by_token_and_invalidate(client, admin):
    owner = person(client, admin)
    team = new_team(client, owner, type_="I", open_invite=False)
    user = person(client, admin)
    token = team_queries.create_invitation(team_queries.TEAM_INVITATION, {"teamId": team["id"], "email": "x@y.z"})
    response = client.post(API + "/teams/members/invite?token=" + token, headers=auth(user))
    assert response.status_code == 201 and response.get_json()["user_id"] == user["user_id"]
    response = client.post(API + "/teams/members/invite?token=" + token, headers=auth(user))  # used up
    assert response.status_code == 400 and error_id(response) == "api.user.create_user.signup_link_invalid.app_error"
    old = team_queries.create_invitation(team_queries.TEAM_INVITATION, {"teamId": team["id"]})
    models.Token.update(create_at=1).where(models.Token.token == old).execute()
    response = client.post(API + "/teams/members/invite?token=" + old, headers=auth(user))
    assert error_id(response) == "api.user.create_user.signup_link_expired.app_error"
    fresh = team_queries.create_invitation(team_queries.TEAM_INVITATION, {"teamId": team["id"]})
    assert client.delete(API + "/teams/invites/email", headers=auth(owner)).status_code == 403
    assert client.delete(API + "/teams/invites/email", headers=auth(admin)).get_json() == {"status": "OK"}
    assert team_queries.find_token(fresh) is None


def test_invite_users_by_email(client, admin, app, smtp):
    owner = person(client, admin)
    team = new_team(client, owner)
    url = API + "/teams/%s/invite/email" % team["id"]
    response = client.post(url, json=["someone@example.com"], headers=auth(owner))
    assert response.status_code == 501 and error_id(response) == "api.team.invite_members.disabled.app_error"
    service = app.config["MM_CONFIG"]["ServiceSettings"]
    service["EnableEmailInvitations"] = True
    try:
        smtp.messages.clear()
        response = client.post(url, json=["Someone@Example.com"], headers=auth(owner))
        assert response.get_json() == {"status": "OK"}
        assert len(smtp.messages) == 1 and smtp.messages[0]["To"] == "someone@example.com"
        text = smtp.messages[0].get_payload(decode=True).decode()
        token = re.search(r"[?&]t=([0-9a-f]{64})", text).group(1)
        newcomer = person(client, admin)
        response = client.post(API + "/teams/members/invite?token=" + token, headers=auth(newcomer))
        assert response.status_code == 201 and response.get_json()["team_id"] == team["id"]
        # Allowed domains.
        client.put(API + "/teams/%s/patch" % team["id"], json={"allowed_domains": "example.com"}, headers=auth(owner))
        response = client.post(url, json=["a@other.org"], headers=auth(owner))
        assert response.status_code == 400 and error_id(response) == "api.team.invite_members.invalid_email.app_error"
        response = client.post(url + "?graceful=true", json=["a@other.org", "b@example.com"], headers=auth(owner))
        results = response.get_json()
        assert results[0]["error"]["id"] == "api.team.invite_members.invalid_email.app_error"
        assert results[1] == {"email": "b@example.com", "error": None}
        assert client.post(url, json=[], headers=auth(owner)).status_code == 400
        outsider = person(client, admin)
        assert client.post(url, json=["c@example.com"], headers=auth(outsider)).status_code == 403
        # About 20 invitations per sender per hour.
        response = client.post(url, json=["r%d@example.com" % i for i in range(25)], headers=auth(owner))
        assert response.status_code == 413 and error_id(response) == "app.email.rate_limit_exceeded.app_error"
    finally:
        service["EnableEmailInvitations"] = False


def test_unlicensed_answers(client, admin):
    owner = person(client, admin)
    team = new_team(client, owner)
    response = client.post(API + "/teams/%s/invite-guests/email" % team["id"],
                           json={"emails": ["g@example.com"], "channels": [NO_SUCH_ID]}, headers=auth(owner))
    assert response.status_code == 501 and error_id(response) == "api.team.invite_guests_to_channels.license.error"
    response = client.put(API + "/teams/%s/scheme" % team["id"], json={"scheme_id": ""}, headers=auth(admin))
    assert response.status_code == 501 and error_id(response) == "api.team.update_team_scheme.license.error"
    response = client.put(API + "/teams/%s/scheme" % team["id"], json={"scheme_id": "bad"}, headers=auth(admin))
    assert response.status_code == 400


# ---------------------------------------------------------------------------
# Unread counts.

def test_unread_counts(client, admin):
    owner = person(client, admin)
    user = person(client, admin)
    first, second = new_team(client, owner), new_team(client, owner)
    join(client, admin, first, user)
    join(client, admin, second, user)
    town = channels.get_by_name(first["id"], "town-square")
    off = channels.get_by_name(first["id"], "off-topic")
    channels.update(town.id, {"total_msg_count": 10, "total_msg_count_root": 6})
    channels.update_member(town.id, user["user_id"], {"msg_count": 4, "msg_count_root": 2, "mention_count": 3,
                                                     "mention_count_root": 1})
    channels.update(off.id, {"total_msg_count": 5, "total_msg_count_root": 5})
    props = dict(channels.get_member(off.id, user["user_id"]).notify_props, mark_unread="mention")
    channels.update_member(off.id, user["user_id"], {"notify_props": props, "mention_count": 2})
    other_town = channels.get_by_name(second["id"], "town-square")
    channels.update(other_town.id, {"total_msg_count": 1})
    # the join messages in the second team's off-topic are not counted here
    channels.update(channels.get_by_name(second["id"], "off-topic").id, {"total_msg_count": 0})
    body = client.get(API + "/users/me/teams/%s/unread" % first["id"], headers=auth(user)).get_json()
    assert body == {"team_id": first["id"], "msg_count": 6, "mention_count": 5, "mention_count_root": 1,
                    "msg_count_root": 4, "thread_count": 0, "thread_mention_count": 0,
                    "thread_urgent_mention_count": 0}
    listed = client.get(API + "/users/me/teams/unread?exclude_team=" + second["id"], headers=auth(user)).get_json()
    assert [u["team_id"] for u in listed] == [first["id"]] and listed[0]["msg_count"] == 6
    listed = client.get(API + "/users/me/teams/unread?exclude_team=", headers=auth(user)).get_json()
    by_team = {u["team_id"]: u for u in listed}
    assert set(by_team) == {first["id"], second["id"]} and by_team[second["id"]]["msg_count"] == 1
    assert client.get(API + "/users/%s/teams/unread?exclude_team=" % user["user_id"],
                      headers=auth(owner)).status_code == 403
    assert client.get(API + "/users/%s/teams/unread?exclude_team=" % user["user_id"],
                      headers=auth(admin)).status_code == 200
    assert client.get(API + "/users/%s/teams/%s/unread" % (user["user_id"], first["id"]),
                      headers=auth(owner)).status_code == 403
    outsider = person(client, admin)
    assert client.get(API + "/users/me/teams/%s/unread" % first["id"], headers=auth(outsider)).status_code == 403


# ---------------------------------------------------------------------------
# Icons.

def _png(width=300, height=200):
    out = io.BytesIO()
    Image.new("RGB", (width, height), (10, 120, 200)).save(out, format="PNG")
    return out.getvalue()


def test_team_icon(client, admin):
    owner = person(client, admin)
    member = person(client, admin)
    team = new_team(client, owner)
    join(client, admin, team, member)
    url = API + "/teams/%s/image" % team["id"]
    response = client.get(url, headers=auth(member))
    assert response.status_code == 404 and error_id(response) == "api.team.get_team_icon.read_file.app_error"
    upload = {"image": (io.BytesIO(_png()), "icon.png")}
    assert client.post(url, data=upload, headers=auth(member), content_type="multipart/form-data").status_code == 403
    upload = {"image": (io.BytesIO(_png()), "icon.png")}
    response = client.post(url, data=upload, headers=auth(owner), content_type="multipart/form-data")
    assert response.get_json() == {"status": "OK"}
    updated = client.get(API + "/teams/" + team["id"], headers=auth(owner)).get_json()["last_team_icon_update"]
    assert updated > 0
    response = client.get(url, headers=auth(member))
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert Image.open(io.BytesIO(response.data)).size == (128, 128)
    assert response.headers["ETag"] == str(updated)
    assert client.get(url, headers=dict(auth(member), **{"If-None-Match": str(updated)})).status_code == 304
    upload = {"image": (io.BytesIO(b"not an image"), "icon.png")}
    response = client.post(url, data=upload, headers=auth(owner), content_type="multipart/form-data")
    assert response.status_code == 400 and error_id(response) == "api.team.set_team_icon.decode.app_error"
    outsider = person(client, admin)
    private = new_team(client, owner, type_="I", open_invite=False)
    assert client.get(API + "/teams/%s/image" % private["id"], headers=auth(outsider)).status_code == 403
    assert client.get(API + "/teams/%s/image" % NO_SUCH_ID, headers=auth(owner)).status_code == 404
    assert client.delete(url, headers=auth(member)).status_code == 403
    assert client.delete(url, headers=auth(owner)).get_json() == {"status": "OK"}
    body = client.get(API + "/teams/" + team["id"], headers=auth(owner)).get_json()
    assert "last_team_icon_update" not in body
    response = client.delete(API + "/teams/%s/image" % NO_SUCH_ID, headers=auth(admin))
    assert response.status_code == 400 and error_id(response) == "api.team.remove_team_icon.get_team.app_error"
