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
import re
import time

import peewee

from store import channel_members, models
from store.db import Lookup, loaded, objects, transaction
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
    """A channel as Mattermost's Channel JSON, every field of it, with the
    values an unlicensed Team Edition server sends for what it cannot have
    (no access policy, banner, automatic translation, managed category or
    discoverability). Fields this store has no column for yet are read from
    the row when they exist and answered with Mattermost's zero values
    otherwise; policy_actions is omitted when empty, as Mattermost omits it."""
    return {
        "id": channel.id, "create_at": channel.create_at, "update_at": channel.update_at,
        "delete_at": channel.delete_at, "team_id": channel.team_id, "type": channel.type,
        "display_name": channel.display_name, "name": channel.name, "header": channel.header,
        "purpose": channel.purpose, "last_post_at": channel.last_post_at,
        "total_msg_count": channel.total_msg_count, "extra_update_at": channel.extra_update_at,
        "creator_id": channel.creator_id, "scheme_id": channel.scheme_id, "props": channel.props or None,
        "group_constrained": channel.group_constrained,
        "autotranslation": bool(getattr(channel, "autotranslation", False)),
        "shared": channel.shared, "total_msg_count_root": channel.total_msg_count_root,
        "policy_id": None, "last_root_post_at": channel.last_root_post_at,
        "banner_info": getattr(channel, "banner_info", None) or None,
        "policy_enforced": False, "policy_is_active": False,
        "default_category_name": getattr(channel, "default_category_name", None) or "",
        "managed_category_name": getattr(channel, "managed_category_name", None) or "",
        "discoverable": bool(getattr(channel, "discoverable", False)),
    }


_C, _CM, _T = models.Channel, models.ChannelMember, models.Team


def _with_team_scheme():
    """A channel with its team's scheme id (team_scheme_id), which the roles of
    its members depend on: one query rather than two for a permission check."""
    return (_C.select(_C, _T.scheme_id.alias("team_scheme_id"))
            .join(_T, peewee.JOIN.LEFT_OUTER, on=(_T.id == _C.team_id)))


_BY_ID = Lookup(_C, lambda a: _with_team_scheme().where(_C.id == a[0]).limit(1))
_LIVE_BY_ID = Lookup(_C, lambda a: _with_team_scheme().where((_C.id == a[0]) & (_C.delete_at == 0)).limit(1))
_MEMBER = Lookup(_CM, lambda a: _CM.select().where((_CM.channel_id == a[0]) & (_CM.user_id == a[1])).limit(1))
# A channel with the membership of one user (a[1]), for a permission check
# that needs both: one round trip rather than two. The membership's columns
# come as member__<column> (get_with_member turns them into a ChannelMember).
_MEMBER_PREFIX = "member__"
_WITH_MEMBER = Lookup(_C, lambda a: (
    _with_team_scheme()
    .select_extend(*[f.alias(_MEMBER_PREFIX + f.column_name) for f in _CM._meta.sorted_fields])
    .join_from(_C, _CM, peewee.JOIN.LEFT_OUTER, on=((_CM.channel_id == _C.id) & (_CM.user_id == a[1])))
    .where(_C.id == a[0]).limit(1)))
_TEAM_SCHEME = Lookup(models.Team, lambda a: models.Team.select(models.Team.scheme_id)
                      .where(models.Team.id == a[0]).limit(1))


def get(channel_id, include_deleted=True):
    if not isinstance(channel_id, str):
        return None
    return (_BY_ID if include_deleted else _LIVE_BY_ID).first(channel_id)


def get_with_member(channel_id, user_id):
    """(channel, the user's membership or None), read together; (None, None)
    when there is no such channel. The same objects get() and get_member() give."""
    if not (isinstance(channel_id, str) and isinstance(user_id, str)):
        return None, None
    channel = _WITH_MEMBER.first(channel_id, user_id)
    if channel is None:
        return None, None
    values = {f: channel.__dict__.pop(_MEMBER_PREFIX + f.column_name) for f in _CM._meta.sorted_fields}
    if values[_CM.user_id] is None:
        return channel, None
    return channel, loaded(_CM, {f.name: f.python_value(value) for f, value in values.items()})


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
        if "team_scheme_id" in channel.__dict__:       # read with the channel (get)
            scheme_id = channel.__dict__["team_scheme_id"]
        else:
            team = _TEAM_SCHEME.first(channel.team_id)
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
    if not (isinstance(channel_id, str) and isinstance(user_id, str)):
        return None
    return _MEMBER.first(channel_id, user_id)


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
        channel_members.members_changed([channel.id])
        return get_member(channel.id, user.id), True


def join_default_channels(team_id, user, names, admin=False):
    """Mattermost's JoinDefaultChannels: make user a member of the team's
    public channels of those names that are not archived (others are passed
    over), as channel admin when admin is set (Mattermost sets it for the
    user whose email is the team's, its creator). A guest is made no admin.
    Returns the channels joined now."""
    joined = []
    with transaction():
        for name in names:
            channel = get_by_name(team_id, name)
            if channel is None or channel.type != "O":
                continue
            member, added = add_member(channel, user, admin=admin)
            if added:
                joined.append(channel)
    return joined


def remove_member(channel_id, user_id):
    with transaction():
        removed = models.ChannelMember.delete().where(
            (models.ChannelMember.channel_id == channel_id) & (models.ChannelMember.user_id == user_id)).execute()
        if removed:
            channel_members.members_changed([channel_id])
        models.SidebarChannel.delete().where(
            (models.SidebarChannel.channel_id == channel_id) & (models.SidebarChannel.user_id == user_id)).execute()
        # As Mattermost, leaving a channel ends the user's part in its threads.
        TM = models.ThreadMembership
        TM.delete().where((TM.user_id == user_id) & TM.post_id.in_(
            models.Thread.select(models.Thread.post_id).where(models.Thread.channel_id == channel_id))).execute()
    return bool(removed)


def update_member(channel_id, user_id, fields):
    fields = dict(fields, last_update_at=_millis())
    with transaction():
        models.ChannelMember.update(fields).where(
            (models.ChannelMember.channel_id == channel_id) & (models.ChannelMember.user_id == user_id)).execute()
        if "scheme_guest" in fields:
            channel_members.counts_changed([channel_id])
    return get_member(channel_id, user_id)


# ---------------------------------------------------------------------------
# Lists, searches and changes for the channel operations. Orders follow
# Mattermost's queries (display name, case-insensitive here so both stores sort
# alike); searches match as Mattermost's LIKE-prefix plus full-text clause does.

_SEARCH_SPLIT = re.compile(r"[\s<>+\-()~:*\"!@&|]+")
_TOKEN_SPLIT = re.compile(r"[^\w]+", re.UNICODE)
SEARCH_LIMIT = 50  # Mattermost's ChannelSearchDefaultLimit


def _display_key(channel):
    return ((channel.display_name or "").lower(), channel.display_name or "", channel.id)


def matches(term, *fields):
    """Whether a search term matches any of the fields: one of them starts with
    the whole term, or every word of the term starts a word of the fields."""
    term = (term or "").strip().lower()
    if not term:
        return True
    values = [(value or "").lower() for value in fields]
    if any(value.startswith(term) for value in values):
        return True
    words = [w for w in _SEARCH_SPLIT.split(term) if w]
    if not words:
        return False
    tokens = set(values)
    for value in values:
        tokens.update(t for t in _TOKEN_SPLIT.split(value) if t)
    return all(any(token.startswith(word) for token in tokens) for word in words)


def _channel_fields(channel, by_id=False):
    fields = [channel.name, channel.display_name, channel.purpose]
    if by_id:
        fields.append(channel.id)
    return fields


def _member_channel_ids(user_id):
    return models.ChannelMember.select(models.ChannelMember.channel_id).where(
        models.ChannelMember.user_id == user_id)


def team_channel_count(team_id):
    """How many channels (all but direct messages, archived ones too) the team has."""
    return models.Channel.select().where((models.Channel.team_id == team_id) & (models.Channel.type != "D")).count()


def get_by_name_for_team(team_id, name, include_deleted=False):
    """A channel of the team by name, or a direct or group message of that name
    (they have no team), as Mattermost's lookup by name finds them."""
    Channel = models.Channel
    query = Channel.select().where((Channel.name == name) & ((Channel.team_id == team_id) | (Channel.team_id == "")))
    if not include_deleted:
        query = query.where(Channel.delete_at == 0)
    return query.order_by(Channel.team_id.desc()).first()


def name_taken(team_id, name, except_id):
    Channel = models.Channel
    return Channel.select().where((Channel.team_id == team_id) & (Channel.name == name)
                                  & (Channel.id != except_id)).exists()


def list_for_team(team_id, channel_type, offset, limit):
    """The team's channels of one type that are not archived, by display name."""
    Channel = models.Channel
    rows = list(Channel.select().where((Channel.team_id == team_id) & (Channel.type == channel_type)
                                       & (Channel.delete_at == 0)))
    rows.sort(key=_display_key)
    return rows[offset:offset + limit]


def list_deleted(team_id, user_id, offset, limit, everything=False):
    """Archived channels of the team (and archived direct or group messages, for
    'everything'): public ones, and private ones user_id belongs to."""
    Channel = models.Channel
    query = Channel.select().where(((Channel.team_id == team_id) | (Channel.team_id == "")) & (Channel.delete_at != 0))
    if not everything:
        query = query.where((Channel.type == "O")
                            | ((Channel.type == "P") & Channel.id.in_(_member_channel_ids(user_id))))
    rows = sorted(query, key=_display_key)
    return rows[offset:offset + limit]


def public_by_ids(team_id, channel_ids):
    Channel = models.Channel
    rows = list(Channel.select().where((Channel.team_id == team_id) & (Channel.type == "O")
                                       & (Channel.delete_at == 0) & Channel.id.in_(list(channel_ids))))
    rows.sort(key=_display_key)
    return rows


def _deleted_filter(query, include_deleted, last_delete_at):
    Channel = models.Channel
    if not include_deleted:
        return query.where(Channel.delete_at == 0)
    if last_delete_at:
        return query.where((Channel.delete_at == 0) | (Channel.delete_at >= last_delete_at))
    return query


def for_member_in_team(user_id, team_id, include_deleted=False, last_delete_at=0):
    """The channels user_id belongs to in the team, with their direct and group
    messages, by display name."""
    Channel = models.Channel
    query = Channel.select().where(Channel.id.in_(_member_channel_ids(user_id))
                                   & ((Channel.team_id == team_id) | (Channel.team_id == "")))
    rows = objects(_deleted_filter(query, include_deleted, last_delete_at))
    rows.sort(key=_display_key)
    return rows


def for_member(user_id, include_deleted=False, last_delete_at=0):
    """Every channel user_id belongs to, by id. Channels of archived teams are
    left out unless archived ones are asked for."""
    Channel, Team = models.Channel, models.Team
    query = (Channel.select(Channel).join(Team, peewee.JOIN.LEFT_OUTER, on=(Team.id == Channel.team_id))
             .where(Channel.id.in_(_member_channel_ids(user_id))))
    if not include_deleted:
        query = query.where((Channel.delete_at == 0) & (Team.id.is_null() | (Team.delete_at == 0)))
    elif last_delete_at:
        query = query.where(((Channel.delete_at == 0) | (Channel.delete_at >= last_delete_at))
                            & (Team.id.is_null() | (Team.delete_at == 0) | (Team.delete_at >= last_delete_at)))
    return objects(query.order_by(Channel.id))


def _team_pairs(conditions):
    """(channel, team) for public and private channels matching conditions."""
    Channel, Team = models.Channel, models.Team
    query = (Channel.select(Channel, Team).join(Team, on=(Team.id == Channel.team_id), attr="team_row")
             .where(Channel.type.in_(["O", "P"])))
    for condition in conditions:
        query = query.where(condition)
    pairs = [(row, row.team_row) for row in query]
    pairs.sort(key=lambda pair: (_display_key(pair[0])[:2], (pair[1].display_name or "").lower(), pair[0].id))
    return pairs


def all_channels(include_deleted=False, exclude_names=()):
    """Public and private channels of every team, as (channel, team), ordered
    by channel then team display name."""
    Channel = models.Channel
    conditions = []
    if not include_deleted:
        conditions.append(Channel.delete_at == 0)
    if exclude_names:
        conditions.append(Channel.name.not_in(list(exclude_names)))
    return _team_pairs(conditions)


def search_all(term, include_deleted=False, deleted=False, team_ids=(), exclude_names=(), public=False,
               private=False, group_constrained=False, exclude_group_constrained=False, by_id=False):
    """Mattermost's System Console channel search, as (channel, team) pairs."""
    Channel = models.Channel
    conditions = []
    if deleted:
        conditions.append(Channel.delete_at != 0)
    elif not include_deleted:
        conditions.append(Channel.delete_at == 0)
    if team_ids:
        conditions.append(Channel.team_id.in_(list(team_ids)))
    if exclude_names:
        conditions.append(Channel.name.not_in(list(exclude_names)))
    if group_constrained:
        conditions.append(Channel.group_constrained == True)  # noqa: E712
    elif exclude_group_constrained:
        conditions.append(Channel.group_constrained.is_null() | (Channel.group_constrained == False))  # noqa: E712
    if public and not private:
        conditions.append(Channel.type == "O")
    elif private and not public:
        conditions.append(Channel.type == "P")
    return [pair for pair in _team_pairs(conditions) if matches(term, *_channel_fields(pair[0], by_id))]


def _visible_condition(user_id, is_guest):
    """Channels a user may find in autocomplete: their own for guests; otherwise
    every non-private channel and the private ones they belong to."""
    Channel = models.Channel
    mine = Channel.id.in_(_member_channel_ids(user_id))
    if is_guest:
        return mine
    return (Channel.type != "P") | mine


def _autocomplete_order(rows, term, key=lambda row: row):
    prefix = (term or "").strip().lower()

    def order(row):
        channel = key(row)
        display = (channel.display_name or "").lower()
        return (0 if prefix and display.startswith(prefix) else 1,) + _display_key(channel)
    return sorted(rows, key=order)


def autocomplete_in_team(team_id, user_id, term, is_guest, private_only=False, exclude_group_constrained=False):
    """Channels of the team for autocomplete (archived ones included, as Mattermost does)."""
    Channel = models.Channel
    query = Channel.select().where((Channel.team_id == team_id) & _visible_condition(user_id, is_guest))
    if private_only:
        query = query.where((Channel.type == "P") & (Channel.shared.is_null() | (Channel.shared == False)))  # noqa: E712
    if exclude_group_constrained:
        query = query.where(Channel.group_constrained.is_null() | (Channel.group_constrained == False))  # noqa: E712
    rows = [c for c in query if matches(term, *_channel_fields(c))]
    return _autocomplete_order(rows, term)[:SEARCH_LIMIT]


def autocomplete_all(user_id, term, is_guest):
    """Channels of every team user_id is a member of, for autocomplete, as (channel, team)."""
    Channel, Team, TeamMember = models.Channel, models.Team, models.TeamMember
    my_teams = TeamMember.select(TeamMember.team_id).where((TeamMember.user_id == user_id) & (TeamMember.delete_at == 0))
    query = (Channel.select(Channel, Team).join(Team, on=(Team.id == Channel.team_id), attr="team_row")
             .where(Channel.team_id.in_(my_teams) & _visible_condition(user_id, is_guest)))
    pairs = [(c, c.team_row) for c in query if matches(term, *_channel_fields(c))]
    return _autocomplete_order(pairs, term, key=lambda pair: pair[0])[:SEARCH_LIMIT]


def autocomplete_for_search(team_id, user_id, term):
    """The caller's channels of the team and group messages matching term, and
    their direct messages whose other member's username or nickname matches
    (shown with that username as display name), by display name."""
    Channel, ChannelMember, User = models.Channel, models.ChannelMember, models.User
    query = Channel.select().where(Channel.id.in_(_member_channel_ids(user_id))
                                   & ((Channel.team_id == team_id) | ((Channel.team_id == "") & (Channel.type == "G"))))
    rows = [c for c in query if _like_prefix(term, c.name, c.display_name, c.purpose)
            or matches(term, *_channel_fields(c))][:SEARCH_LIMIT]
    directs = []
    others = (ChannelMember.select(ChannelMember.channel_id, User.username, User.nickname)
              .join(User, on=(User.id == ChannelMember.user_id))
              .where(ChannelMember.channel_id.in_(
                  Channel.select(Channel.id).where((Channel.type == "D") & Channel.id.in_(_member_channel_ids(user_id))))
                     & (ChannelMember.user_id != user_id)).objects())
    for row in others:
        if _like_prefix(term, row.username, row.nickname):
            channel = get(row.channel_id)
            if channel is not None:
                channel.display_name = row.username
                directs.append(channel)
    rows = rows + directs[:SEARCH_LIMIT]
    rows.sort(key=lambda c: (c.display_name or "").lower())
    return rows


def _like_prefix(term, *fields):
    term = (term or "").strip().lower()
    if not term:
        return True
    return any((value or "").lower().startswith(term) for value in fields)


def search_public_in_team(team_id, term, member_id=None, limit=100):
    """The team's public channels matching term (archived ones too), by display
    name; only those member_id belongs to when given."""
    Channel = models.Channel
    query = Channel.select().where((Channel.team_id == team_id) & (Channel.type == "O"))
    if member_id is not None:
        query = query.where(Channel.id.in_(_member_channel_ids(member_id)))
    rows = sorted((c for c in query if matches(term, *_channel_fields(c))), key=_display_key)
    return rows[:limit]


def search_group_channels(user_id, term):
    """Group messages user_id belongs to whose members' usernames, joined,
    contain every word of term."""
    Channel, ChannelMember, User = models.Channel, models.ChannelMember, models.User
    words = [w for w in (term or "").lower().split() if w]
    channels = list(Channel.select().where((Channel.type == "G") & Channel.id.in_(_member_channel_ids(user_id))))
    if not channels:
        return []
    names = {}
    rows = (ChannelMember.select(ChannelMember.channel_id, User.username).join(User, on=(User.id == ChannelMember.user_id))
            .where(ChannelMember.channel_id.in_([c.id for c in channels])).objects())
    for row in rows:
        names.setdefault(row.channel_id, []).append(row.username)
    found = []
    for channel in channels:
        joined = ", ".join(names.get(channel.id, [])).lower()
        if all(word in joined for word in words):
            found.append(channel)
    return found[:SEARCH_LIMIT]


def set_deleted(channel_id, delete_at):
    """Archive (delete_at set) or restore (0) a channel."""
    now = _millis()
    with transaction():
        models.Channel.update(delete_at=delete_at, update_at=now).where(models.Channel.id == channel_id).execute()
    return get(channel_id)


def permanent_delete(channel_id):
    """Erase a channel with its members, sidebar places, bookmarks and posts."""
    with transaction():
        models.Post.delete().where(models.Post.channel_id == channel_id).execute()
        channel_members.pinned_changed([channel_id])
        models.ChannelBookmark.delete().where(models.ChannelBookmark.channel_id == channel_id).execute()
        models.SidebarChannel.delete().where(models.SidebarChannel.channel_id == channel_id).execute()
        models.ChannelMember.delete().where(models.ChannelMember.channel_id == channel_id).execute()
        models.Channel.delete().where(models.Channel.id == channel_id).execute()
        channel_members.members_changed([channel_id])


def member_ids(channel_id):
    return [m.user_id for m in models.ChannelMember.select(models.ChannelMember.user_id)
            .where(models.ChannelMember.channel_id == channel_id)]


def active_member_ids(channel_id, limit=None):
    """Members whose accounts are active, by username."""
    User, ChannelMember = models.User, models.ChannelMember
    query = (User.select(User.id).join(ChannelMember, on=(ChannelMember.user_id == User.id))
             .where((ChannelMember.channel_id == channel_id) & (User.delete_at == 0)).order_by(User.username))
    if limit:
        query = query.limit(limit)
    return [u.id for u in query]


def remove_deactivated_members(channel_id):
    User, ChannelMember = models.User, models.ChannelMember
    inactive = [u.id for u in User.select(User.id).join(ChannelMember, on=(ChannelMember.user_id == User.id))
                .where((ChannelMember.channel_id == channel_id) & (User.delete_at != 0))]
    for user_id in inactive:
        remove_member(channel_id, user_id)
    return inactive


def members_not_in_team(channel_id, team_id):
    TeamMember = models.TeamMember
    in_team = {m.user_id for m in TeamMember.select(TeamMember.user_id).where(
        (TeamMember.team_id == team_id) & (TeamMember.delete_at == 0))}
    return [user_id for user_id in member_ids(channel_id) if user_id not in in_team]


def move(channel_id, team_id):
    """Put a channel in another team; its sidebar places (in the old team's
    categories) are dropped."""
    with transaction():
        models.SidebarChannel.delete().where(models.SidebarChannel.channel_id == channel_id).execute()
        models.Channel.update(team_id=team_id, update_at=_millis()).where(models.Channel.id == channel_id).execute()
    return get(channel_id)


def common_team_ids(user_ids):
    """Teams (not archived) that every one of user_ids is an active member of."""
    TeamMember, Team = models.TeamMember, models.Team
    user_ids = list(dict.fromkeys(user_ids))
    if not user_ids:
        return []
    rows = (TeamMember.select(TeamMember.team_id, peewee.fn.COUNT(TeamMember.user_id).alias("n"))
            .join(Team, on=(Team.id == TeamMember.team_id))
            .where(TeamMember.user_id.in_(user_ids) & (TeamMember.delete_at == 0) & (Team.delete_at == 0))
            .group_by(TeamMember.team_id))
    return [row.team_id for row in rows if row.n == len(user_ids)]


def get_by_names(team_id, names):
    """Channels (not archived) of those names: in the team, or anywhere when
    team_id is empty (as Mattermost's GetByNames)."""
    names = list(names)
    if not names:
        return []
    Channel = models.Channel
    query = Channel.select().where(Channel.name.in_(names) & (Channel.delete_at == 0))
    if team_id:
        query = query.where(Channel.team_id == team_id)
    return list(query)
