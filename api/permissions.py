"""The permission check: what a session's roles allow, by Mattermost's role model.

Three scopes, checked as Mattermost checks them (SessionHasPermissionTo...):
system (the union of the permissions of the session's roles; store/default_roles.json
gives Mattermost's defaults), team (system roles, then the caller's team member
roles, scheme roles included) and channel (system roles, then the channel
member roles, then the team scope of the channel's team).
"""
from api import errors
from store import roles


def has(session, permission):
    """True if the session's roles grant permission system-wide."""
    return session is not None and permission in roles.permissions_of(session.roles.split())


def require(session, permission):
    if not has(session, permission):
        raise errors.permission_denied([permission])


def has_team(session, team_id, permission):
    """True if the session may do permission in the team (SessionHasPermissionToTeam)."""
    if session is None or not team_id:
        return False
    if has(session, permission):
        return True
    from store import teams
    member = caller_team_member(session, team_id)
    if member is None:
        return False
    return permission in roles.permissions_of(teams.member_role_names(member))


def require_team(session, team_id, permission):
    if not has_team(session, team_id, permission):
        raise errors.permission_denied([permission])


def has_channel(session, channel_id, permission, channel=None):
    """True if the session may do permission in the channel
    (SessionHasPermissionToChannel): by system roles, channel member roles, or
    the team roles of the channel's team. No one may do anything in a channel
    that does not exist, as in Mattermost (a 403 rather than a 404)."""
    if session is None or not channel_id:
        return False
    from store import channels
    if channel is None:
        channel = caller_channel(session, channel_id)
    if channel is None:
        return False
    if has(session, permission):
        return True
    member = caller_channel_member(session, channel_id)
    if member is not None and permission in roles.permissions_of(channels.member_role_names(member, channel)):
        return True
    if channel.team_id:
        return has_team(session, channel.team_id, permission)
    return False


def caller_team_member(session, team_id):
    """The caller's membership of the team (None if not a member), read once
    per request however many checks ask."""
    from store import db, teams
    return db.remembered(("team member", team_id, session.user_id),
                         lambda: teams.get_member(team_id, session.user_id))


def caller_channel_member(session, channel_id):
    """The caller's membership of the channel (None if not a member), read
    once per request however many checks ask."""
    from store import channels, db
    return db.remembered(_member_key(session, channel_id), lambda: channels.get_member(channel_id, session.user_id))


def caller_channel(session, channel_id):
    """The channel (None if there is none), read with the caller's membership,
    which caller_channel_member then gives for the rest of the request."""
    from store import channels, db
    channel, member = channels.get_with_member(channel_id, session.user_id)
    if channel is not None:
        db.remember(_member_key(session, channel_id), member)
    return channel


def _member_key(session, channel_id):
    return ("channel member", channel_id, session.user_id)


def require_channel(session, channel_id, permission, channel=None):
    if not has_channel(session, channel_id, permission, channel):
        raise errors.permission_denied([permission])


def can_read_channel(session, channel):
    """True if the session may read the channel's posts
    (SessionHasPermissionToReadChannel): read_channel_content in the channel,
    or, for a public channel, read_public_channel on its team."""
    if has_channel(session, channel.id, "read_channel_content", channel):
        return True
    return channel.type == "O" and has_team(session, channel.team_id, "read_public_channel")


def require_read_channel(session, channel):
    if not can_read_channel(session, channel):
        raise errors.permission_denied(["read_channel_content"])


def can_act_on_user(session, user_id, target_roles=""):
    """Yourself, or anyone with edit_other_users (Mattermost's SessionHasPermissionToUser);
    acting on a system admin also takes manage_system."""
    if session is None:
        return False
    if session.user_id == user_id:
        return True
    if "system_admin" in target_roles.split() and not has(session, "manage_system"):
        return False
    return has(session, "edit_other_users")


def can_act_on_user_or_bot(session, user):
    """can_act_on_user, and for a bot also its owner with manage_bots or anyone
    with manage_others_bots (Mattermost's SessionHasPermissionToUserOrBot)."""
    if can_act_on_user(session, user.id, user.roles):
        return True
    if session is None or not user.is_bot:
        return False
    from store import bots
    pair = bots.get(user.id)
    if pair is None:
        return False
    if pair[0].owner_id == session.user_id:
        return has(session, "manage_bots")
    return has(session, "manage_others_bots")


def is_system_admin(session):
    return has(session, "manage_system")
