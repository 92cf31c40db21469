"""Channel membership queries beyond the core in store/channels.py: member
lists, counts, a user's memberships, notification settings, and the reading
state (last viewed time, message and mention counts).

The reading state is kept as Mattermost keeps it: a member has read
msg_count of the channel's total_msg_count messages (msg_count_root of
total_msg_count_root root posts); viewing a channel brings msg_count up to the
total, clears the mention counts and moves last_viewed_at up to the channel's
last_post_at.
"""
import time

from store import models
from store.db import transaction

ChannelMember = models.ChannelMember


def _millis():
    return int(time.time() * 1000)


# Lists

def page(channel_id, offset, limit):
    """One page of a channel's members, by user id."""
    return list(ChannelMember.select().where(ChannelMember.channel_id == channel_id)
                .order_by(ChannelMember.user_id).offset(offset).limit(limit))


def by_user_ids(channel_id, user_ids):
    """The memberships of the given users in a channel (non-members are left out)."""
    user_ids = list(dict.fromkeys(user_ids))
    if not user_ids:
        return []
    found = []
    for start in range(0, len(user_ids), 500):
        found.extend(ChannelMember.select().where(
            (ChannelMember.channel_id == channel_id) & ChannelMember.user_id.in_(user_ids[start:start + 500])))
    return sorted(found, key=lambda m: m.user_id)


def for_user_in_team(team_id, user_id):
    """A user's memberships in the team's channels, plus their direct and
    group message channels (which belong to no team), as Mattermost lists them."""
    channels = models.Channel.select(models.Channel.id).where(
        (models.Channel.team_id == team_id) | (models.Channel.team_id == ""))
    return list(ChannelMember.select().where(
        (ChannelMember.user_id == user_id) & ChannelMember.channel_id.in_(channels))
        .order_by(ChannelMember.channel_id))


def channels_of(channel_ids):
    """{id: Channel} for the given ids."""
    if not channel_ids:
        return {}
    return {c.id: c for c in models.Channel.select().where(models.Channel.id.in_(list(set(channel_ids))))}


def team_channel_count(team_id, user_id):
    """How many of the team's channels the user is a member of."""
    channels = models.Channel.select(models.Channel.id).where(models.Channel.team_id == team_id)
    return ChannelMember.select().where(
        (ChannelMember.user_id == user_id) & ChannelMember.channel_id.in_(channels)).count()


# Counts

def _active_members(channel_id):
    return (ChannelMember.select().join(models.User, on=(models.User.id == ChannelMember.user_id))
            .where((ChannelMember.channel_id == channel_id) & (models.User.delete_at == 0)))


def member_count(channel_id):
    """Members whose accounts are active."""
    return _active_members(channel_id).count()


def guest_count(channel_id):
    """Guest members whose accounts are active."""
    return _active_members(channel_id).where(ChannelMember.scheme_guest == True).count()  # noqa: E712


def pinned_post_count(channel_id):
    return models.Post.select().where((models.Post.channel_id == channel_id) & (models.Post.is_pinned == True)  # noqa: E712
                                      & (models.Post.delete_at == 0)).count()


def file_count(channel_id):
    """Files attached to the channel's posts that are not deleted."""
    posts = models.Post.select(models.Post.id).where(models.Post.channel_id == channel_id)
    return models.FileInfo.select().where((models.FileInfo.delete_at == 0)
                                          & models.FileInfo.post_id.in_(posts)).count()


def member_timezones(channel_id):
    """The timezone settings (dicts) of the channel's members, by user id."""
    query = (models.User.select(models.User.timezone)
             .join(ChannelMember, on=(ChannelMember.user_id == models.User.id))
             .where(ChannelMember.channel_id == channel_id).order_by(models.User.id))
    return [u.timezone or {} for u in query]


def users_minus_groups(channel_id, offset, limit):
    """Active members of a channel who belong to none of the given groups. No
    group exists on this server (groups come from LDAP or SAML, which need a
    license), so that is every active member: [(user, member)] by username, and
    the total."""
    query = (models.User.select(models.User, ChannelMember)
             .join(ChannelMember, on=(ChannelMember.user_id == models.User.id))
             .where((ChannelMember.channel_id == channel_id) & (models.User.delete_at == 0)))
    total = query.count()
    rows = query.order_by(models.User.username).offset(offset).limit(limit)
    return [(u, u.channelmember) for u in rows], total


# Changes

def update_notify_props(channel_id, user_id, props):
    """Merge props into the member's notify_props; the member, or None."""
    with transaction():
        member = ChannelMember.get_or_none((ChannelMember.channel_id == channel_id)
                                           & (ChannelMember.user_id == user_id))
        if member is None:
            return None
        merged = dict(member.notify_props or {})
        merged.update(props)
        ChannelMember.update(notify_props=merged, last_update_at=_millis()).where(
            (ChannelMember.channel_id == channel_id) & (ChannelMember.user_id == user_id)).execute()
    return ChannelMember.get_or_none((ChannelMember.channel_id == channel_id) & (ChannelMember.user_id == user_id))


# Reading state

def view(channel_ids, user_id):
    """Mark the user's memberships of these channels as read, as Mattermost's
    MarkChannelsAsViewed does. Channels the user is not a member of are left
    out. Returns {channel_id: last viewed time} for every membership found
    (the later of the channel's last post and the member's last view)."""
    channel_ids = list(dict.fromkeys(c for c in channel_ids if c))
    if not channel_ids:
        return {}
    with transaction():
        rows = list(ChannelMember.select(ChannelMember, models.Channel)
                    .join(models.Channel, on=(models.Channel.id == ChannelMember.channel_id))
                    .where((ChannelMember.user_id == user_id) & ChannelMember.channel_id.in_(channel_ids)))
        return _mark_viewed(rows, user_id)


def view_direct_and_group(user_id):
    """Mark all the user's direct and group message channels as read; returns
    {channel_id: last viewed time} for each of them."""
    with transaction():
        rows = list(ChannelMember.select(ChannelMember, models.Channel)
                    .join(models.Channel, on=(models.Channel.id == ChannelMember.channel_id))
                    .where((ChannelMember.user_id == user_id) & models.Channel.type.in_(["D", "G"])
                           & (models.Channel.delete_at == 0)))
        return _mark_viewed(rows, user_id)


def _mark_viewed(rows, user_id):
    times = {}
    for member in rows:
        channel = member.channel
        times[channel.id] = max(channel.last_post_at, member.last_viewed_at)
        unread = channel.total_msg_count - member.msg_count > 0 or member.mention_count > 0
        if not unread:
            continue
        viewed = max(member.last_viewed_at, channel.last_post_at)
        ChannelMember.update(
            mention_count=0, mention_count_root=0, urgent_mention_count=0,
            msg_count=max(member.msg_count, channel.total_msg_count),
            msg_count_root=max(member.msg_count_root, channel.total_msg_count_root),
            last_viewed_at=viewed, last_update_at=viewed,
        ).where((ChannelMember.channel_id == channel.id) & (ChannelMember.user_id == user_id)).execute()
    return times


def unread(channel_id, user_id):
    """(channel, member) for a member of a channel that is not archived, else None."""
    member = (ChannelMember.select(ChannelMember, models.Channel)
              .join(models.Channel, on=(models.Channel.id == ChannelMember.channel_id))
              .where((ChannelMember.channel_id == channel_id) & (ChannelMember.user_id == user_id)
                     & (models.Channel.delete_at == 0)).first())
    if member is None:
        return None
    return member.channel, member


# Who hears of what (the WebSocket hub asks)

def user_ids_in(channel_id, among):
    """The ids among `among` that are members of the channel."""
    among = list(among)
    if not among:
        return set()
    return {row[0] for row in ChannelMember.select(ChannelMember.user_id).where(
        (ChannelMember.channel_id == channel_id) & ChannelMember.user_id.in_(among)).tuples()}


def team_user_ids_in(team_id, among):
    """The ids among `among` that are active members of the team."""
    among = list(among)
    if not among:
        return set()
    TM = models.TeamMember
    return {row[0] for row in TM.select(TM.user_id).where(
        (TM.team_id == team_id) & (TM.delete_at == 0) & TM.user_id.in_(among)).tuples()}


def member_system_roles(channel_id):
    """[(user id, system roles)] of the channel's members."""
    User = models.User
    return list(User.select(User.id, User.roles).join(ChannelMember, on=(ChannelMember.user_id == User.id))
                .where(ChannelMember.channel_id == channel_id).tuples())
