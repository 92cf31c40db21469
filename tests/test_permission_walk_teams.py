"""Walk every operation of the teams, channels and bookmarks tags as a user
outside the admin's invite-only team, aimed at that team, its private channel,
the admin's direct messages and the admin's sidebar, and check that nothing
succeeds that Mattermost keeps to members (or admins)."""
import json

import pytest

from conftest import ROOT, auth, create, login
from test_permission_walk import _requests
from store import channels, models, teams, users

TAGS = {"teams", "channels", "bookmarks"}

# What Mattermost lets any user with a session do with these ids (each answer
# is limited to what the caller may see, or is about the caller alone).
ALLOWED = {
    "CreateTeam", "GetAllTeams", "SearchTeams", "TeamExists", "GetTeamInviteInfo",
    "SearchGroupChannels", "GetAllChannels",
}


@pytest.fixture(scope="module")
def targets(app, admin):
    client = app.test_client()
    with app.app_context():
        owner = users.get(admin["user_id"])
        friend = users.get(create(client, admin)["id"])
        team = teams.create({"display_name": "Walled", "name": "walled", "type": "I"})
        teams.add_member(team, owner, admin=True)
        private = channels.create({"team_id": team.id, "type": "P", "name": "vault", "display_name": "Vault"},
                                  creator=owner)
        direct, _ = channels.get_or_create_direct(owner, friend)
    category = client.get("/api/v4/users/me/teams/%s/channels/categories" % team.id,
                          headers=auth(admin)).get_json()["categories"][0]["id"]
    return {"team_id": team.id, "channel_id": private.id, "user_id": admin["user_id"], "team_name": team.name,
            "channel_name": private.name, "name": team.name, "invite_id": team.invite_id,
            "category_id": category, "direct_id": direct.id}


def test_nothing_members_only_succeeds_for_an_outsider(client, admin, targets):
    document = json.loads((ROOT / "api" / "openapi.json").read_text())
    outsider = login(client, create(client, admin)["username"])
    succeeded = []
    for ids in (targets, dict(targets, channel_id=targets["direct_id"])):
        for operation_id, method, url, body in _requests(document, ids, TAGS, {}):
            if operation_id in ALLOWED:
                continue
            response = client.open(url, method=method, json=body, headers=auth(outsider))
            if response.status_code < 300:
                succeeded.append((operation_id, method, url, response.status_code))
    assert succeeded == []
    # The outsider got into nothing.
    assert teams.get_member(targets["team_id"], outsider["user_id"]) is None
    assert not models.ChannelMember.select().where(
        (models.ChannelMember.user_id == outsider["user_id"])
        & models.ChannelMember.channel_id.in_([targets["channel_id"], targets["direct_id"]])).exists()
