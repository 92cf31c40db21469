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

import peewee

from store import db, models
from store.cache import RowCache
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
    return db.objects(ChannelMember.select().where(
        (ChannelMember.user_id == user_id) & ChannelMember.channel_id.in_(channels))
        .order_by(ChannelMember.channel_id))


def scheme_role_names_of(channel_ids):
    """{channel id: (guest, user, admin) role names of its members} for the
    given channels, as store.channels.scheme_role_names answers for each (the
    channel's scheme, else its team's, else the default roles), in at most
    two queries."""
    import peewee
    channel_ids = list(dict.fromkeys(channel_ids))
    if not channel_ids:
        return {}
    Channel, Team, Scheme = models.Channel, models.Team, models.Scheme
    rows = (Channel.select(Channel.id, Channel.scheme_id, Channel.team_id, Team.scheme_id)
            .join(Team, peewee.JOIN.LEFT_OUTER, on=(Team.id == Channel.team_id))
            .where(Channel.id.in_(channel_ids)).tuples())
    scheme_of = {}
    for channel_id, channel_scheme, team_id, team_scheme in rows:
        scheme_of[channel_id] = channel_scheme or (team_scheme if team_id else None) or None
    defaults = ("channel_guest", "channel_user", "channel_admin")
    wanted = sorted({s for s in scheme_of.values() if s})
    names = {}
    if wanted:
        for scheme in Scheme.select().where(Scheme.id.in_(wanted)):
            if scheme.delete_at == 0:
                names[scheme.id] = (scheme.default_channel_guest_role or "channel_guest",
                                    scheme.default_channel_user_role or "channel_user",
                                    scheme.default_channel_admin_role or "channel_admin")
    return {channel_id: names.get(scheme_of.get(channel_id), defaults) for channel_id in channel_ids}


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

# Literal 1 and 0: PostgreSQL cannot type CASE parameters when preparing.
_GUEST = peewee.Case(None, [(ChannelMember.scheme_guest == True, peewee.SQL("1"))], peewee.SQL("0"))  # noqa: E712
_MEMBER_COUNTS = db.Lookup(ChannelMember, lambda a: (
    ChannelMember.select(peewee.fn.COUNT(ChannelMember.user_id), peewee.fn.SUM(_GUEST))
    .join(models.User, on=(models.User.id == ChannelMember.user_id))
    .where((ChannelMember.channel_id == a[0]) & (models.User.delete_at == 0))))
_PINNED_COUNT = db.Lookup(models.Post, lambda a: models.Post.select(peewee.fn.COUNT(models.Post.id)).where(
    (models.Post.channel_id == a[0]) & (models.Post.is_pinned == True) & (models.Post.delete_at == 0)))  # noqa: E712
_FILE_COUNT = db.Lookup(models.FileInfo, lambda a: models.FileInfo.select(peewee.fn.COUNT(models.FileInfo.id)).where(
    (models.FileInfo.delete_at == 0)
    & models.FileInfo.post_id.in_(models.Post.select(models.Post.id).where(models.Post.channel_id == a[0]))))


def _read_pinned_count(channel_id):
    return int(_PINNED_COUNT.tuples(channel_id)[0][0] or 0)


def _read_member_counts(channel_id):
    members, guests = _MEMBER_COUNTS.tuples(channel_id)[0]
    return int(members or 0), int(guests or 0)


def stats(channel_id, with_files=True):
    """(active members, active guests, pinned posts, files or -1): a channel's
    statistics. The member counts are kept per process (see counts_changed):
    on a channel of thousands they are most of the database's work here. So
    is the pinned post count (see pinned_changed), as Mattermost caches it."""
    members, guests = _member_counts.read(channel_id, _read_member_counts)
    pinned = _pinned_counts.read(channel_id, _read_pinned_count)
    files = _FILE_COUNT.tuples(channel_id)[0][0] if with_files else -1
    return members, guests, pinned, int(files or 0) if with_files else -1


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
    return mark_viewed(channel_ids, user_id)[0]


def mark_viewed(channel_ids, user_id):
    """view(), also saying which channels had something to mark read:
    ({channel_id: last viewed time}, [ids of the channels it marked read]).
    One read of the memberships with their channels; a write only when
    something was unread (see _mark_viewed)."""
    channel_ids = list(dict.fromkeys(c for c in channel_ids if c))
    if not channel_ids:
        return {}, []
    return _mark_viewed(_viewed_rows(user_id, channel_ids), user_id)


def _viewed_columns():
    Channel = models.Channel
    return (ChannelMember.channel_id, ChannelMember.last_viewed_at, ChannelMember.msg_count,
            ChannelMember.msg_count_root, ChannelMember.mention_count,
            Channel.last_post_at, Channel.total_msg_count, Channel.total_msg_count_root)


# Marking a channel viewed is the most frequent write: its read is compiled
# (building the query text each time cost about as much as running it).
_VIEWED = db.Lookup(ChannelMember, lambda a: (
    ChannelMember.select(*_viewed_columns())
    .join(models.Channel, on=(models.Channel.id == ChannelMember.channel_id))
    .where((ChannelMember.user_id == a[0]) & ChannelMember.channel_id.in_(a[1]))))


# ... and so is its write: a membership read up to a[2], no mentions left, its
# message counts caught up with the channel's (a[0], a[1]).
_MARK_READ = db.Lookup(ChannelMember, lambda a: ChannelMember.update(
    mention_count=0, mention_count_root=0, urgent_mention_count=0, msg_count=a[0], msg_count_root=a[1],
    last_viewed_at=a[2], last_update_at=a[2]).where(
        (ChannelMember.channel_id == a[3]) & (ChannelMember.user_id == a[4])))


def _viewed_rows(user_id, channel_ids):
    return _VIEWED.tuples(user_id, list(channel_ids))


def view_direct_and_group(user_id):
    """Mark all the user's direct and group message channels as read; returns
    {channel_id: last viewed time} for each of them."""
    Channel = models.Channel
    rows = (ChannelMember.select(*_viewed_columns())
            .join(Channel, on=(Channel.id == ChannelMember.channel_id))
            .where((ChannelMember.user_id == user_id) & Channel.type.in_(["D", "G"]) & (Channel.delete_at == 0))
            .tuples())
    return _mark_viewed(list(rows), user_id)[0]


def _mark_viewed(rows, user_id):
    """rows: (channel id, last_viewed_at, msg_count, msg_count_root,
    mention_count, last_post_at, total_msg_count, total_msg_count_root).
    Each unread membership gets one UPDATE; several go in one transaction.
    A single one on PostgreSQL runs alone (a statement is atomic by itself,
    and BEGIN/COMMIT would double the round trips); SQLite writes always go
    through transaction(), which queues the process's writers."""
    times, updates = {}, []
    for channel_id, last_viewed, msgs, msgs_root, mentions, last_post, total, total_root in rows:
        viewed = max(last_post, last_viewed)
        times[channel_id] = viewed
        if total - msgs > 0 or mentions > 0:
            updates.append((max(msgs, total), max(msgs_root, total_root), viewed, channel_id))

    def write():
        for msg_count, msg_count_root, viewed, channel_id in updates:
            _MARK_READ.write(msg_count, msg_count_root, viewed, channel_id, user_id)

    if len(updates) == 1 and not db.current.is_sqlite:
        write()
    elif updates:
        with transaction():
            write()
    return times, [update[-1] for update in updates]


def unread(channel_id, user_id):
    """(channel, member) for a member of a channel that is not archived, else None."""
    member = (ChannelMember.select(ChannelMember, models.Channel)
              .join(models.Channel, on=(models.Channel.id == ChannelMember.channel_id))
              .where((ChannelMember.channel_id == channel_id) & (ChannelMember.user_id == user_id)
                     & (models.Channel.delete_at == 0)).first())
    if member is None:
        return None
    return member.channel, member


# Who hears of what (the WebSocket hub asks, for every event)
#
# Each process keeps the member ids of the channels it has routed events for
# (a channel's event would otherwise read all its members, in every worker).
# Whatever adds or removes channel members calls members_changed, which drops
# them here at once and, after commit, in every process (store.cache).

MEMBER_IDS_SECONDS = 60
MEMBER_IDS_CHANNELS = 10000
_member_ids = RowCache("channel member ids", MEMBER_IDS_SECONDS, MEMBER_IDS_CHANNELS)   # channel id -> frozenset of user ids
# channel id -> (active members, active guests), as Mattermost's member count cache
_member_counts = RowCache("channel member counts", MEMBER_IDS_SECONDS, MEMBER_IDS_CHANNELS)
# channel id -> pinned posts not deleted, as Mattermost's pinned post count cache
_pinned_counts = RowCache("channel pinned counts", MEMBER_IDS_SECONDS, MEMBER_IDS_CHANNELS)

_TM = models.TeamMember
_ALL_IN_CHANNEL = db.Lookup(ChannelMember, lambda a: ChannelMember.select(ChannelMember.user_id).where(
    ChannelMember.channel_id == a[0]))
_AMONG_IN_TEAM = db.Lookup(_TM, lambda a: _TM.select(_TM.user_id).where(
    (_TM.team_id == a[0]) & (_TM.delete_at == 0) & _TM.user_id.in_(a[1])))
_ALL_IN_TEAM = db.Lookup(_TM, lambda a: _TM.select(_TM.user_id).where((_TM.team_id == a[0]) & (_TM.delete_at == 0)))


def _read_member_ids(channel_id):
    return frozenset(row[0] for row in _ALL_IN_CHANNEL.tuples(channel_id))


def members_changed(channel_ids=(), everyone=False):
    """Members were added to or removed from these channels (or any)."""
    _member_ids.changed(channel_ids, everyone)
    counts_changed(channel_ids, everyone)


def counts_changed(channel_ids=(), everyone=False):
    """What the member counts of these channels (or of any) count changed: a
    member became or stopped being a guest, a user was deactivated, restored
    or erased."""
    _member_counts.changed(channel_ids, everyone)


def pinned_changed(channel_ids):
    """Posts of these channels were pinned, unpinned, deleted or erased."""
    _pinned_counts.changed(channel_ids)


def _among(ids_among, all_ids, group_id, among):
    """The ids among `among` in the group: asked by name when they are few,
    else the group's ids read and kept if among."""
    among = among if isinstance(among, (set, frozenset, dict)) else set(among)
    if not among:
        return set()
    if len(among) <= db.Lookup.MAX_LIST:
        return {row[0] for row in ids_among.tuples(group_id, sorted(among))}
    return {row[0] for row in all_ids.tuples(group_id) if row[0] in among}


def user_ids_in(channel_id, among):
    """The ids among `among` that are members of the channel."""
    members = _member_ids.read(channel_id, _read_member_ids)
    return set(members.intersection(among))


def team_user_ids_in(team_id, among):
    """The ids among `among` that are active members of the team."""
    return _among(_AMONG_IN_TEAM, _ALL_IN_TEAM, team_id, among)


def member_system_roles(channel_id):
    """[(user id, system roles)] of the channel's members."""
    User = models.User
    return list(User.select(User.id, User.roles).join(ChannelMember, on=(ChannelMember.user_id == User.id))
                .where(ChannelMember.channel_id == channel_id).tuples())
