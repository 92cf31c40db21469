"""Channels and channel membership.

Types are Mattermost's: "O" public, "P" private, "D" direct message (two users,
named by their sorted ids joined with "__"), "G" group message (3 to 8 users,
named by the SHA-1 of their sorted ids). Direct and group messages have no team.

A member's roles are derived as Mattermost derives them: the explicit roles on
the row plus the channel scheme roles its flags select. The scheme is the
channel's own, else its team's, else the defaults (channel_guest, channel_user,
channel_admin).
"""
import hashlib
import time

import peewee

from store import models
from store.db import transaction
from store.ids import new_id

# A new member's notification settings, Mattermost's defaults.
DEFAULT_NOTIFY_PROPS = {
    "desktop": "default", "email": "default", "push": "default", "mark_unread": "all",
    "ignore_channel_mentions": "default", "channel_auto_follow_threads": "off",
    "desktop_threads": "default", "push_threads": "default",
}


class Conflict(Exception):
    """A channel of that name exists in the team."""


def _millis():
    return int(time.time() * 1000)


def direct_name(user_id, other_id):
    return "__".join(sorted((user_id, other_id)))


def group_name(user_ids):
    return hashlib.sha1("".join(sorted(set(user_ids))).encode()).hexdigest()


def channel_json(channel):
    return {
        "id": channel.id, "create_at": channel.create_at, "update_at": channel.update_at,
        "delete_at": channel.delete_at, "team_id": channel.team_id, "type": channel.type,
        "display_name": channel.display_name, "name": channel.name, "header": channel.header,
        "purpose": channel.purpose, "last_post_at": channel.last_post_at,
        "total_msg_count": channel.total_msg_count, "extra_update_at": channel.extra_update_at,
        "creator_id": channel.creator_id, "scheme_id": channel.scheme_id, "props": channel.props or None,
        "group_constrained": channel.group_constrained, "shared": channel.shared,
        "total_msg_count_root": channel.total_msg_count_root, "policy_id": None,
        "last_root_post_at": channel.last_root_post_at,
    }


def get(channel_id, include_deleted=True):
    query = models.Channel.select().where(models.Channel.id == channel_id)
    if not include_deleted:
        query = query.where(models.Channel.delete_at == 0)
    return query.first()


def get_by_name(team_id, name, include_deleted=False):
    query = models.Channel.select().where((models.Channel.team_id == team_id) & (models.Channel.name == name))
    if not include_deleted:
        query = query.where(models.Channel.delete_at == 0)
    return query.first()


def create(fields, creator=None):
    """Insert a channel; creator (a User), if given, joins it as channel admin
    (for public and private channels). Raises Conflict when the team already
    has a channel of that name."""
    now = _millis()
    row = dict(fields)
    row.setdefault("team_id", "")
    row.update(id=new_id(), create_at=now, update_at=now, delete_at=0,
               creator_id=creator.id if creator is not None else row.get("creator_id", ""))
    with transaction():
        if models.Channel.select().where((models.Channel.team_id == row["team_id"])
                                         & (models.Channel.name == row["name"])).exists():
            raise Conflict(row["name"])
        try:
            with transaction():
                models.Channel.insert(row).execute()
        except peewee.IntegrityError:
            raise Conflict(row["name"])
        channel = get(row["id"])
        if creator is not None and channel.type in ("O", "P"):
            add_member(channel, creator, admin=True)
    return channel


def update(channel_id, fields):
    fields = dict(fields, update_at=_millis())
    with transaction():
        models.Channel.update(fields).where(models.Channel.id == channel_id).execute()
    return get(channel_id)


def get_or_create_direct(user, other):
    """The direct message channel of two users (one user: a channel with
    yourself), created with both as members if it does not exist.
    Returns (channel, created)."""
    name = direct_name(user.id, other.id)
    with transaction():
        channel = get_by_name("", name, include_deleted=True)
        if channel is not None:
            return channel, False
        channel = create({"type": "D", "name": name, "display_name": "", "creator_id": user.id})
        add_member(channel, user)
        if other.id != user.id:
            add_member(channel, other)
    return channel, True


def get_or_create_group(users, creator_id):
    """The group message channel of these users (3 to 8 of them), created with
    all of them as members if it does not exist. Returns (channel, created)."""
    name = group_name([u.id for u in users])
    with transaction():
        channel = get_by_name("", name, include_deleted=True)
        if channel is not None:
            return channel, False
        display_name = ", ".join(sorted(u.username for u in users))[:64]
        channel = create({"type": "G", "name": name, "display_name": display_name, "creator_id": creator_id})
        for user in users:
            add_member(channel, user)
    return channel, True


# Membership

def scheme_role_names(channel):
    """(guest, user, admin) role names of a channel's members."""
    scheme_id = channel.scheme_id if channel is not None else None
    if not scheme_id and channel is not None and channel.team_id:
        team = models.Team.get_or_none(models.Team.id == channel.team_id)
        scheme_id = team.scheme_id if team is not None else None
    if scheme_id:
        scheme = models.Scheme.get_or_none(models.Scheme.id == scheme_id)
        if scheme is not None and scheme.delete_at == 0:
            return (scheme.default_channel_guest_role or "channel_guest",
                    scheme.default_channel_user_role or "channel_user",
                    scheme.default_channel_admin_role or "channel_admin")
    return ("channel_guest", "channel_user", "channel_admin")


def member_role_names(member, channel=None):
    if member is None:
        return []
    if channel is None:
        channel = get(member.channel_id)
    guest, user, admin = scheme_role_names(channel)
    names = member.roles.split()
    for flag, name in ((member.scheme_guest, guest), (member.scheme_user, user), (member.scheme_admin, admin)):
        if flag and name not in names:
            names.append(name)
    return names


def member_json(member, channel=None):
    return {
        "channel_id": member.channel_id, "user_id": member.user_id,
        "roles": " ".join(member_role_names(member, channel)),
        "last_viewed_at": member.last_viewed_at, "msg_count": member.msg_count,
        "mention_count": member.mention_count, "mention_count_root": member.mention_count_root,
        "urgent_mention_count": member.urgent_mention_count, "msg_count_root": member.msg_count_root,
        "notify_props": member.notify_props, "last_update_at": member.last_update_at,
        "scheme_guest": member.scheme_guest, "scheme_user": member.scheme_user,
        "scheme_admin": member.scheme_admin, "explicit_roles": member.roles,
    }


def get_member(channel_id, user_id):
    return models.ChannelMember.get_or_none(
        (models.ChannelMember.channel_id == channel_id) & (models.ChannelMember.user_id == user_id))


def add_member(channel, user, admin=False):
    """Make user a member of channel. Returns (member, added)."""
    guest = "system_guest" in user.roles.split()
    with transaction():
        member = get_member(channel.id, user.id)
        if member is not None:
            return member, False
        models.ChannelMember.insert(
            channel_id=channel.id, user_id=user.id, roles="", notify_props=dict(DEFAULT_NOTIFY_PROPS),
            last_update_at=_millis(), scheme_guest=guest, scheme_user=not guest,
            scheme_admin=admin and not guest).execute()
        return get_member(channel.id, user.id), True


def remove_member(channel_id, user_id):
    with transaction():
        removed = models.ChannelMember.delete().where(
            (models.ChannelMember.channel_id == channel_id) & (models.ChannelMember.user_id == user_id)).execute()
        models.SidebarChannel.delete().where(
            (models.SidebarChannel.channel_id == channel_id) & (models.SidebarChannel.user_id == user_id)).execute()
    return bool(removed)


def update_member(channel_id, user_id, fields):
    fields = dict(fields, last_update_at=_millis())
    with transaction():
        models.ChannelMember.update(fields).where(
            (models.ChannelMember.channel_id == channel_id) & (models.ChannelMember.user_id == user_id)).execute()
    return get_member(channel_id, user_id)
