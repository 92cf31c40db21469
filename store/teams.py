"""Teams and team membership.

A member's roles are derived as Mattermost derives them: the explicit roles
stored on the row, plus the team's scheme roles its scheme_guest, scheme_user
and scheme_admin flags select (the team scheme's roles when the team has one,
else team_guest, team_user and team_admin).
"""
import time

import peewee

from store import channel_members, models
from store.cache import RowCache, copy_row
from store.db import Lookup, transaction
from store.ids import new_id

# The channels every team starts with, and their display names.
DEFAULT_CHANNELS = (("town-square", "Town Square"), ("off-topic", "Off-Topic"))


class Conflict(Exception):
    """The team name is taken."""


def _millis():
    return int(time.time() * 1000)


def team_json(team):
    return {
        "id": team.id, "create_at": team.create_at, "update_at": team.update_at, "delete_at": team.delete_at,
        "display_name": team.display_name, "name": team.name, "description": team.description,
        "email": team.email, "type": team.type, "company_name": team.company_name,
        "allowed_domains": team.allowed_domains, "invite_id": team.invite_id,
        "allow_open_invite": team.allow_open_invite, "last_team_icon_update": team.last_team_icon_update,
        "scheme_id": team.scheme_id, "group_constrained": team.group_constrained,
        "policy_id": None, "cloud_limits_archived": team.cloud_limits_archived,
    }


_T, _TM = models.Team, models.TeamMember
_BY_ID = Lookup(_T, lambda a: _T.select().where(_T.id == a[0]).limit(1))
_MEMBER = Lookup(_TM, lambda a: _TM.select().where((_TM.team_id == a[0]) & (_TM.user_id == a[1])).limit(1))


# Each process keeps the teams and team memberships it has read (nearly every
# channel request checks them), deleted and left ones too. Whatever writes a
# row calls teams_changed or members_changed (store.cache.RowCache.changed).
CACHE_SECONDS = 60
_teams = RowCache("teams", CACHE_SECONDS, 10000)               # team id -> row
_members = RowCache("team members", CACHE_SECONDS, 50000)      # "team id:user id" -> row


def teams_changed(team_ids=(), everyone=False):
    _teams.changed(team_ids, everyone)


def members_changed(pairs=(), everyone=False):
    """These (team id, user id) memberships (or all) were written."""
    _members.changed(["%s:%s" % pair for pair in pairs], everyone)


def get(team_id, include_deleted=True):
    if not isinstance(team_id, str):
        return None
    row = _teams.read(team_id, _BY_ID.first)
    if row is None or (row.delete_at and not include_deleted):
        return None
    return copy_row(row)


def get_by_name(name):
    return models.Team.get_or_none(models.Team.name == name.lower())


def get_by_invite_id(invite_id):
    return models.Team.get_or_none(models.Team.invite_id == invite_id)


def create(fields, channel_names=None):
    """Insert a team with its default channels (town-square and off-topic unless
    channel_names, a list of (name, display name), says otherwise).
    Raises Conflict when the name is taken."""
    from store import channels
    now = _millis()
    row = dict(fields)
    row.update(id=new_id(), create_at=now, update_at=now, delete_at=0, invite_id=new_id(),
               name=row["name"].lower())
    with transaction():
        if models.Team.select().where(models.Team.name == row["name"]).exists():
            raise Conflict(row["name"])
        try:
            with transaction():
                models.Team.insert(row).execute()
        except peewee.IntegrityError:
            raise Conflict(row["name"])
        for name, display_name in channel_names or DEFAULT_CHANNELS:
            channels.create({"team_id": row["id"], "type": "O", "name": name, "display_name": display_name})
    return get(row["id"])


def update(team_id, fields):
    fields = dict(fields, update_at=_millis())
    with transaction():
        models.Team.update(fields).where(models.Team.id == team_id).execute()
        teams_changed([team_id])
    return get(team_id)


# Membership

def scheme_role_names(team):
    """(guest, user, admin) role names of a team's members."""
    if team is not None and team.scheme_id:
        scheme = models.Scheme.get_or_none(models.Scheme.id == team.scheme_id)
        if scheme is not None and scheme.delete_at == 0:
            return (scheme.default_team_guest_role or "team_guest", scheme.default_team_user_role or "team_user",
                    scheme.default_team_admin_role or "team_admin")
    return ("team_guest", "team_user", "team_admin")


def member_role_names(member, team=None):
    """The roles a member has: explicit ones, then the scheme roles it holds."""
    if member is None:
        return []
    if team is None:
        team = get(member.team_id)
    guest, user, admin = scheme_role_names(team)
    names = member.roles.split()
    for flag, name in ((member.scheme_guest, guest), (member.scheme_user, user), (member.scheme_admin, admin)):
        if flag and name not in names:
            names.append(name)
    return names


def member_json(member, team=None):
    return {
        "team_id": member.team_id, "user_id": member.user_id,
        "roles": " ".join(member_role_names(member, team)), "delete_at": member.delete_at,
        "scheme_guest": member.scheme_guest, "scheme_user": member.scheme_user, "scheme_admin": member.scheme_admin,
        "explicit_roles": member.roles, "create_at": member.create_at,
    }


def get_member(team_id, user_id, include_deleted=False):
    if not (isinstance(team_id, str) and isinstance(user_id, str)):
        return None
    row = _members.read("%s:%s" % (team_id, user_id), lambda key: _MEMBER.first(team_id, user_id))
    if row is None or (row.delete_at and not include_deleted):
        return None
    return copy_row(row)


def memberships(user_id):
    """A user's current team memberships (of teams not deleted)."""
    return list(models.TeamMember.select().join(models.Team, on=(models.Team.id == models.TeamMember.team_id))
                .where((models.TeamMember.user_id == user_id) & (models.TeamMember.delete_at == 0)
                       & (models.Team.delete_at == 0)))


def add_member(team, user, admin=False, default_channels=None):
    """Make user a member of team (again, if they had left), and join them to
    the team's default channels (names; town-square and off-topic unless given).
    Returns (member, added): added is False when they already were a member."""
    from store import channels
    guest = "system_guest" in user.roles.split()
    now = _millis()
    with transaction():
        member = get_member(team.id, user.id, include_deleted=True)
        if member is not None and member.delete_at == 0:
            return member, False
        values = {"roles": "", "delete_at": 0, "scheme_guest": guest, "scheme_user": not guest,
                  "scheme_admin": admin, "create_at": now}
        if member is None:
            models.TeamMember.insert(team_id=team.id, user_id=user.id, **values).execute()
        else:
            models.TeamMember.update(values).where(
                (models.TeamMember.team_id == team.id) & (models.TeamMember.user_id == user.id)).execute()
        members_changed([(team.id, user.id)])
        names = default_channels if default_channels is not None else [n for n, _ in DEFAULT_CHANNELS]
        if not guest:
            # As Mattermost's JoinUserToTeam: the user whose email is the team's
            # (its creator) becomes admin of the default channels.
            creator = bool(team.email) and team.email.lower() == (user.email or "").lower()
            from ws import channel_events
            for channel in channels.join_default_channels(team.id, user, names, admin=creator):
                channel_events.user_added(channel, user.id, personal=False)   # sent after commit
        return get_member(team.id, user.id), True


def remove_member(team_id, user_id):
    """The user leaves the team and every channel of it; their sidebar of the
    team and their preferences filed under the team's id go too, as in Mattermost."""
    from store import categories
    now = _millis()
    with transaction():
        categories.clear_for_team(user_id, team_id)
        models.Preference.delete().where(
            (models.Preference.user_id == user_id) & (models.Preference.category == team_id)).execute()
        models.TeamMember.update(delete_at=now, roles="", scheme_admin=False).where(
            (models.TeamMember.team_id == team_id) & (models.TeamMember.user_id == user_id)).execute()
        members_changed([(team_id, user_id)])
        channel_ids = models.Channel.select(models.Channel.id).where(models.Channel.team_id == team_id)
        models.ChannelMember.delete().where(
            (models.ChannelMember.user_id == user_id) & models.ChannelMember.channel_id.in_(channel_ids)).execute()
        channel_members.members_changed(everyone=True)   # the team's channels: rare enough to drop them all


def update_member(team_id, user_id, fields):
    with transaction():
        models.TeamMember.update(fields).where(
            (models.TeamMember.team_id == team_id) & (models.TeamMember.user_id == user_id)).execute()
        members_changed([(team_id, user_id)])
    return get_member(team_id, user_id)
