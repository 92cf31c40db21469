"""Queries about teams beyond the core of store/teams.py: listings and search,
member pages and counts, unread counts, team icons, invitation tokens, and
removing a team for good."""
import io
import json
import secrets
import time

import peewee
from PIL import Image, UnidentifiedImageError

from store import channel_members, images, models, teams
from store.db import objects, transaction

TEAM_INVITATION = "team_invitation"
GUEST_INVITATION = "guest_invitation"
INVITATION_LIFETIME_MS = 48 * 60 * 60 * 1000

Team, TeamMember, User = models.Team, models.TeamMember, models.User
Channel, ChannelMember = models.Channel, models.ChannelMember


def _millis():
    return int(time.time() * 1000)


# Listings and search. Like Mattermost's, these include archived teams.

def _open_invite_filter(query, allow_open_invite):
    if allow_open_invite is not None:
        query = query.where(Team.allow_open_invite == bool(allow_open_invite))
    return query


def list_teams(offset, limit, allow_open_invite=None):
    query = _open_invite_filter(Team.select(), allow_open_invite)
    return list(query.order_by(Team.display_name, Team.id).offset(offset).limit(limit))


def count_teams(allow_open_invite=None):
    return _open_invite_filter(Team.select(), allow_open_invite).count()


def _not_true(field):
    return (field != True) | field.is_null()  # noqa: E712 (SQL comparison)


def _like(field, pattern):
    """Case-insensitive LIKE with backslash escapes, the same on both stores."""
    return peewee.NodeList((peewee.fn.LOWER(field), peewee.SQL("LIKE"), pattern, peewee.SQL("ESCAPE"), "\\"))


def _search_query(term, allow_open_invite=None, group_constrained=None, team_type=None):
    query = Team.select()
    if term:
        pattern = "%" + term.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(_like(Team.name, pattern) | _like(Team.display_name, pattern))
    condition = None
    if allow_open_invite is not None:
        if allow_open_invite:
            condition = Team.allow_open_invite == True  # noqa: E712
        else:
            condition = _not_true(Team.allow_open_invite) & _not_true(Team.group_constrained)
    if group_constrained is not None:
        grouped = (Team.group_constrained == True) if group_constrained else _not_true(Team.group_constrained)  # noqa: E712
        condition = grouped if condition is None else (condition | grouped)
    if team_type is not None:
        condition = (Team.type == team_type) if condition is None else (condition & (Team.type == team_type))
    if condition is not None:
        query = query.where(condition)
    return query


def search_teams(term, allow_open_invite=None, group_constrained=None, team_type=None, offset=None, limit=None):
    """(teams, total) matching term in the name or display name, by display name."""
    query = _search_query(term, allow_open_invite, group_constrained, team_type)
    total = query.count()
    page = query.order_by(Team.display_name, Team.id)
    if limit is not None:
        page = page.offset(offset or 0).limit(limit)
    return list(page), total


def teams_for_user(user_id):
    """The live teams a user is a current member of."""
    return objects(Team.select().join(TeamMember, on=(TeamMember.team_id == Team.id))
                   .where((TeamMember.user_id == user_id) & (TeamMember.delete_at == 0) & (Team.delete_at == 0))
                   .order_by(Team.display_name, Team.id))


# Who may see whom (Mattermost's view restrictions).

def visible_user_ids(viewer_id, team_ids):
    """The users a viewer without system-wide view_members can see: the current
    members of team_ids (teams where the viewer may view members) and the
    members of every channel the viewer is in."""
    seen = {viewer_id}
    if team_ids:
        seen.update(m.user_id for m in TeamMember.select(TeamMember.user_id).where(
            TeamMember.team_id.in_(list(team_ids)) & (TeamMember.delete_at == 0)))
    mine = ChannelMember.select(ChannelMember.channel_id).where(ChannelMember.user_id == viewer_id)
    seen.update(m.user_id for m in ChannelMember.select(ChannelMember.user_id).where(
        ChannelMember.channel_id.in_(mine)))
    return seen


def member_team_ids(user_id):
    return [m.team_id for m in TeamMember.select(TeamMember.team_id).where(
        (TeamMember.user_id == user_id) & (TeamMember.delete_at == 0))]


# Members.

def members(team_id, offset, limit, by_username=False, exclude_deleted_users=False, visible=None):
    query = TeamMember.select().where((TeamMember.team_id == team_id) & (TeamMember.delete_at == 0))
    if by_username or exclude_deleted_users:
        query = query.join(User, on=(User.id == TeamMember.user_id))
        if exclude_deleted_users:
            query = query.where(User.delete_at == 0)
    if visible is not None:
        query = query.where(TeamMember.user_id.in_(list(visible) or [""]))
    query = query.order_by(User.username, TeamMember.user_id) if by_username else query.order_by(TeamMember.user_id)
    return list(query.offset(offset).limit(limit))


def members_by_ids(team_id, user_ids, visible=None):
    query = TeamMember.select().where((TeamMember.team_id == team_id) & TeamMember.user_id.in_(list(user_ids))
                                      & (TeamMember.delete_at == 0))
    if visible is not None:
        query = query.where(TeamMember.user_id.in_(list(visible) or [""]))
    return list(query.order_by(TeamMember.user_id))


def memberships_for_user(user_id):
    """Every team membership row of a user, those they left included."""
    return list(TeamMember.select().where(TeamMember.user_id == user_id).order_by(TeamMember.team_id))


def count_members(team_id, active_users_only=False, visible=None):
    """Current members of a team (of accounts still active, if asked)."""
    query = (TeamMember.select(TeamMember.user_id).join(User, on=(User.id == TeamMember.user_id))
             .where((TeamMember.team_id == team_id) & (TeamMember.delete_at == 0)))
    if active_users_only:
        query = query.where(User.delete_at == 0)
    if visible is not None:
        query = query.where(TeamMember.user_id.in_(list(visible) or [""]))
    return query.distinct().count()


def members_minus_groups(team_id, offset, limit):
    """(rows, total): the active, non-bot users who are current members of a
    live team, by username, each as (user, member). There are no user groups
    on this server, so nobody belongs to the groups asked about."""
    query = (TeamMember.select(TeamMember, User).join(User, on=(User.id == TeamMember.user_id))
             .switch(TeamMember).join(Team, on=(Team.id == TeamMember.team_id))
             .where((TeamMember.team_id == team_id) & (TeamMember.delete_at == 0) & (Team.delete_at == 0)
                    & (User.delete_at == 0) & (User.is_bot == False)))  # noqa: E712
    total = query.count()
    rows = list(query.order_by(User.username).offset(offset).limit(limit))
    return [(row.user, row) for row in rows], total


# Unread counts.

def channel_unreads(user_id, team_id=None, exclude_team_id=None):
    """One dict per live channel the user is in (of team_id, or of every team
    but exclude_team_id): its team, the messages and root messages not read,
    mentions, and the member's notify props."""
    CM = ChannelMember
    query = (CM.select(Channel.team_id, Channel.total_msg_count, CM.msg_count, Channel.total_msg_count_root,
                       CM.msg_count_root, CM.mention_count, CM.mention_count_root, CM.notify_props)
             .join(Channel, on=(Channel.id == CM.channel_id))
             .where((CM.user_id == user_id) & (Channel.delete_at == 0)))
    if team_id is not None:
        query = query.where(Channel.team_id == team_id)
    if exclude_team_id is not None:
        query = query.where(Channel.team_id != exclude_team_id)
    return [{"team_id": team, "msg_count": total - read, "msg_count_root": total_root - read_root,
             "mention_count": mentions, "mention_count_root": mentions_root, "notify_props": notify_props or {}}
            for team, total, read, total_root, read_root, mentions, mentions_root, notify_props in query.tuples()]


# Icons.

class IconTooLarge(Exception):
    """The picture has more pixels than FileSettings.MaxImageResolution."""


def team_icon(data, max_pixels):
    """An uploaded team icon as a 128x128 PNG. Raises IconTooLarge, or
    images.BadImage when the bytes are not a picture of an accepted kind."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError) as e:
        raise images.BadImage(str(e))
    if width * height > max_pixels:
        raise IconTooLarge("image of %dx%d is too large" % (width, height))
    return images.profile_image(data, max_pixels)


def set_icon_updated(team_id, at):
    with transaction():
        Team.update(last_team_icon_update=at, update_at=at if at else _millis()).where(Team.id == team_id).execute()
        teams.teams_changed([team_id])


# Invitation tokens (Mattermost's Tokens rows of the invitation kinds).

def create_invitation(kind, extra):
    token = secrets.token_hex(32)
    with transaction():
        models.Token.insert(token=token, create_at=_millis(), type=kind, extra=json.dumps(extra)).execute()
    return token


def find_token(token):
    """(kind, extra, expired) of a token, or None."""
    row = models.Token.get_or_none(models.Token.token == token)
    if row is None:
        return None
    try:
        extra = json.loads(row.extra or "{}")
    except ValueError:
        extra = {}
    return row.type, extra if isinstance(extra, dict) else {}, _millis() - row.create_at >= INVITATION_LIFETIME_MS


def delete_token(token):
    with transaction():
        models.Token.delete().where(models.Token.token == token).execute()


def delete_tokens_of(kinds):
    with transaction():
        models.Token.delete().where(models.Token.type.in_(list(kinds))).execute()


# Deleting a team for good.

def permanent_delete(team_id):
    """Erase a team with its channels (their members, sidebar entries,
    bookmarks and posts), its members and its members' sidebars."""
    with transaction():
        channel_ids = [c.id for c in Channel.select(Channel.id).where(Channel.team_id == team_id)]
        if channel_ids:
            ChannelMember.delete().where(ChannelMember.channel_id.in_(channel_ids)).execute()
            channel_members.members_changed(channel_ids)
            models.SidebarChannel.delete().where(models.SidebarChannel.channel_id.in_(channel_ids)).execute()
            models.ChannelBookmark.delete().where(models.ChannelBookmark.channel_id.in_(channel_ids)).execute()
            models.Post.delete().where(models.Post.channel_id.in_(channel_ids)).execute()
            channel_members.pinned_changed(channel_ids)
            Channel.delete().where(Channel.id.in_(channel_ids)).execute()
        categories = models.SidebarCategory.select(models.SidebarCategory.id).where(
            models.SidebarCategory.team_id == team_id)
        models.SidebarChannel.delete().where(models.SidebarChannel.category_id.in_(categories)).execute()
        models.SidebarCategory.delete().where(models.SidebarCategory.team_id == team_id).execute()
        TeamMember.delete().where(TeamMember.team_id == team_id).execute()
        Team.delete().where(Team.id == team_id).execute()
        teams.teams_changed([team_id])
        teams.members_changed(everyone=True)
