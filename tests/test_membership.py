"""The membership core under teams and channels: default channels, derived
scheme roles, and the team and channel scope of the permission check."""
from conftest import FakeSession, create, unique
from api import permissions
from store import channels, models, teams, users


def _team(app):
    with app.app_context():
        return teams.create({"display_name": "Core", "name": unique("core"), "type": "O"})


def test_team_starts_with_default_channels_and_members_join_them(app, client, admin):
    team = _team(app)
    names = {c.name for c in models.Channel.select().where(models.Channel.team_id == team.id)}
    assert names == {"town-square", "off-topic"}
    user = users.get(create(client, admin)["id"])
    member, added = teams.add_member(team, user)
    assert added and teams.member_json(member)["roles"] == "team_user"
    assert teams.add_member(team, user)[1] is False
    town = channels.get_by_name(team.id, "town-square")
    assert channels.member_json(channels.get_member(town.id, user.id))["roles"] == "channel_user"
    teams.remove_member(team.id, user.id)
    assert teams.get_member(team.id, user.id) is None
    assert channels.get_member(town.id, user.id) is None
    member, added = teams.add_member(team, user, admin=True)
    assert added and teams.member_json(member)["roles"] == "team_user team_admin"


def test_guests_join_the_team_but_not_its_channels(app, client, admin):
    team = _team(app)
    guest = users.get(create(client, admin)["id"])
    users.set_roles(guest.id, "system_guest")
    member, _ = teams.add_member(team, users.get(guest.id))
    assert teams.member_json(member)["roles"] == "team_guest"
    assert channels.get_member(channels.get_by_name(team.id, "town-square").id, guest.id) is None


def test_team_and_channel_scope(app, client, admin):
    team = _team(app)
    user = users.get(create(client, admin)["id"])
    session = FakeSession(user.id)
    assert not permissions.has_team(session, team.id, "create_public_channel")
    teams.add_member(team, user)
    assert permissions.has_team(session, team.id, "create_public_channel")
    assert not permissions.has_team(session, team.id, "manage_team")
    private = channels.create({"team_id": team.id, "type": "P", "name": unique("p"), "display_name": "P"})
    assert not permissions.has_channel(session, private.id, "read_channel")
    channels.add_member(private, user)
    assert permissions.has_channel(session, private.id, "read_channel")
    assert not permissions.has_channel(session, private.id, "manage_channel_roles")
    channels.update_member(private.id, user.id, {"scheme_admin": True})
    assert permissions.has_channel(session, private.id, "manage_channel_roles")
    # A team-scope permission reaches the team's channels.
    town = channels.get_by_name(team.id, "town-square")
    assert permissions.has_channel(session, town.id, "create_post")
    assert not permissions.has_channel(FakeSession(unique("x").ljust(26, "x")), town.id, "create_post")


def test_direct_and_group_channels(app, client, admin):
    a, b, c = (users.get(create(client, admin)["id"]) for _ in range(3))
    direct, created = channels.get_or_create_direct(a, b)
    assert created and direct.type == "D" and direct.name == channels.direct_name(b.id, a.id)
    assert channels.get_or_create_direct(b, a) == (direct, False)
    assert channels.get_member(direct.id, b.id) is not None
    group, created = channels.get_or_create_group([a, b, c], a.id)
    assert created and group.type == "G" and group.display_name == ", ".join(sorted([a.username, b.username, c.username]))
    assert channels.get_or_create_group([c, b, a], c.id)[0].id == group.id
