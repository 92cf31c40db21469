"""The WebSocket events of channels, channel members, reading state, sidebar
categories and channel bookmarks: their payloads in the shapes Mattermost's
clients parse, and who hears them.

Handlers call these after their write; each goes out through
ws.events.publish, so after the transaction commits. Data Mattermost encodes
as a JSON string (a channel, a channel member, updated categories, teammate
ids, a bookmark) is a string here too.

Recipients follow Mattermost's broadcasts: a channel broadcast reaches the
channel's members as the hub finds them when it delivers (so a user removed
from a channel no longer hears it, and a private channel's events never reach
a non-member); where Mattermost addresses a user directly (the creator of a
channel, someone added to or removed from one, a user's own reading state and
sidebar) the event names that user.

This module reads the configuration through Flask's current app when there
is one (Mattermost's defaults otherwise) and imports neither api nor
handlers.
"""
import json

from ws import events

_DEFAULTS = {"ServiceSettings": {"EnableChannelViewedMessages": True, "CollapsedThreads": "always_on"}}


def _dumps(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _setting(section, name):
    return events.setting(section, name, _DEFAULTS[section][name])


def _channel_body(channel):
    from store import channels as store_channels
    return store_channels.channel_json(channel)


# ---------------------------------------------------------------------------
# Channels

def channel_created(channel, creator_id):
    """`channel_created` to the user who made a public or private channel."""
    events.publish("channel_created", {"channel_id": channel.id, "team_id": channel.team_id or ""},
                   user_id=creator_id)


def direct_added(channel, creator_id, teammate_id):
    """`direct_added` for a new direct message channel, to its members (its two users)."""
    events.publish("direct_added", {"creator_id": creator_id, "teammate_id": teammate_id},
                   channel_id=channel.id)


def group_added(channel, user_ids):
    """`group_added` for a new group message channel, to each of its users,
    with the users' ids as a JSON string."""
    teammates = _dumps(list(user_ids))
    for user_id in dict.fromkeys(user_ids):
        events.publish("group_added", {"teammate_ids": teammates}, user_id=user_id, channel_id=channel.id)


def channel_updated(channel):
    """`channel_updated` with the channel (a JSON string), to its members."""
    events.publish("channel_updated", {"channel": _dumps(_channel_body(channel))}, channel_id=channel.id)


def channel_converted(channel):
    """`channel_converted` after a change of privacy, to the channel's team."""
    events.publish("channel_converted", {"channel_id": channel.id}, team_id=channel.team_id or "")


def _open_or_members(event, channel, data, member_ids=None):
    """A public channel's event goes to its team; any other channel's to its
    members (member_ids, when the memberships are already gone, to each of
    them)."""
    if channel.type == "O":
        events.publish(event, data, team_id=channel.team_id or "")
    elif member_ids is not None:
        for user_id in dict.fromkeys(member_ids):
            events.publish(event, data, user_id=user_id, channel_id=channel.id)
    else:
        events.publish(event, data, channel_id=channel.id)


def channel_deleted(channel, delete_at, member_ids=None):
    """`channel_deleted` (archived or erased): a public channel's to its team,
    another's to its members. For an erased channel pass member_ids, its
    members before the erasure."""
    _open_or_members("channel_deleted", channel, {"channel_id": channel.id, "delete_at": int(delete_at)},
                     member_ids)


def channel_restored(channel):
    """`channel_restored`: a public channel's to its team, another's to its members."""
    _open_or_members("channel_restored", channel, {"channel_id": channel.id})


# ---------------------------------------------------------------------------
# Members

def member_body(member, channel=None):
    """A channel member as the member sees it (Mattermost's ChannelMember JSON)."""
    from store import channels as store_channels
    body = store_channels.member_json(member, channel)
    body["notify_props"] = body.get("notify_props") or {}
    return body


def channel_member_updated(member, channel=None):
    """`channel_member_updated` with the membership (a JSON string), to its user."""
    if member is None:
        return
    events.publish("channel_member_updated", {"channelMember": _dumps(member_body(member, channel))},
                   user_id=member.user_id)


def user_added(channel, user_id, personal=True):
    """`user_added` for a user who joined or was added to a channel: to the
    other members, and (personal) separately to the user, as Mattermost's
    AddUserToChannel. Joining a team's default channels sends only the
    channel-wide one (personal=False)."""
    data = {"user_id": user_id, "team_id": channel.team_id or ""}
    if not personal:
        events.publish("user_added", data, channel_id=channel.id)
        return
    events.publish("user_added", data, channel_id=channel.id, omit_users=events.omit(user_id))
    events.publish("user_added", dict(data), user_id=user_id, channel_id=channel.id)


def user_removed(channel, user_id, remover_id):
    """`user_removed` for a user who left or was removed from a channel: to
    the remaining members (user_id, remover_id), and to the user
    (channel_id, remover_id)."""
    events.publish("user_removed", {"user_id": user_id, "remover_id": remover_id or ""}, channel_id=channel.id)
    events.publish("user_removed", {"channel_id": channel.id, "remover_id": remover_id or ""}, user_id=user_id)


# ---------------------------------------------------------------------------
# Reading state

def _viewed_messages_enabled():
    value = _setting("ServiceSettings", "EnableChannelViewedMessages")
    return value is True or (isinstance(value, str) and value.lower() == "true")


def _is_unread(channel, member):
    """What Mattermost's MarkChannelsAsViewed (and store.channel_members.view)
    count as a channel to mark read."""
    return channel.total_msg_count - member.msg_count > 0 or member.mention_count > 0


def unread_direct_and_group_ids(user_id):
    """The user's direct and group message channels (not archived) with
    something unread."""
    from store import channel_members
    members = [m for m in channel_members.for_user_in_team("", user_id)]
    found = channel_members.channels_of([m.channel_id for m in members])
    return [m.channel_id for m in members
            if m.channel_id in found and found[m.channel_id].type in ("D", "G")
            and not found[m.channel_id].delete_at and _is_unread(found[m.channel_id], m)]


def multiple_channels_viewed(user_id, channel_times, any_unread=True):
    """`multiple_channels_viewed` to the user with {channel id: last viewed
    time}, as MarkChannelsAsViewed sends it: only when one of the channels
    had something to mark read, and only with
    ServiceSettings.EnableChannelViewedMessages on."""
    if not any_unread or not channel_times or not _viewed_messages_enabled():
        return
    events.publish("multiple_channels_viewed", {"channel_times": {k: int(v) for k, v in channel_times.items()}},
                   user_id=user_id)


def _crt_enabled_for(user_id):
    setting = _setting("ServiceSettings", "CollapsedThreads")
    if setting == "disabled":
        return False
    if setting == "always_on":
        return True
    from store import preferences
    row = preferences.get(user_id, "display_settings", "collapsed_reply_threads")
    if row is not None:
        return row.value == "on"
    return setting == "default_on"


def viewed_after_post(post, channel, user_id=None):
    """After a post is created: Mattermost's CreatePostAsUser marks the
    channel read for the poster (not for webhook or bot posts, nor for a
    reply when the poster uses collapsed threads) and so sends them
    `multiple_channels_viewed`. Call after store.posts.create returned (it
    has marked the channel read); the time sent is the poster's
    last_viewed_at now."""
    from store import channels as store_channels
    user_id = user_id or post.user_id
    props = post.props or {}
    if "from_webhook" in props or "from_bot" in props:
        return
    if post.root_id and _crt_enabled_for(user_id):
        return
    member = store_channels.get_member(channel.id, user_id)
    if member is None:
        return
    multiple_channels_viewed(user_id, {channel.id: max(member.last_viewed_at, post.create_at)})


# ---------------------------------------------------------------------------
# Sidebar categories (each to its user, with the team)

def sidebar_category_created(user_id, team_id, category_id):
    events.publish("sidebar_category_created", {"category_id": category_id}, user_id=user_id, team_id=team_id)


def sidebar_category_updated(user_id, team_id, categories):
    """`sidebar_category_updated` with the changed categories (a list of
    category dicts as the REST API answers them) as a JSON string."""
    events.publish("sidebar_category_updated", {"updatedCategories": _dumps(list(categories))},
                   user_id=user_id, team_id=team_id)


def sidebar_category_deleted(user_id, team_id, category_id):
    events.publish("sidebar_category_deleted", {"category_id": category_id}, user_id=user_id, team_id=team_id)


def sidebar_category_order_updated(user_id, team_id, order):
    """`sidebar_category_order_updated` with the order as a list of category ids."""
    events.publish("sidebar_category_order_updated", {"order": list(order)}, user_id=user_id, team_id=team_id)


# ---------------------------------------------------------------------------
# Channel bookmarks (to the channel, less the connection that made the change)

def _bookmark_event(event, channel_id, key, value):
    events.publish(event, {key: _dumps(value)}, channel_id=channel_id,
                   omit_connection_id=events.request_connection_id())


def bookmark_created(channel_id, bookmark):
    _bookmark_event("channel_bookmark_created", channel_id, "bookmark", bookmark)


def bookmark_updated(channel_id, response):
    """response: {"updated": bookmark, ["deleted": bookmark]}, as the REST API answers."""
    _bookmark_event("channel_bookmark_updated", channel_id, "bookmarks", response)


def bookmark_deleted(channel_id, bookmark):
    _bookmark_event("channel_bookmark_deleted", channel_id, "bookmark", bookmark)


def bookmarks_sorted(channel_id, bookmarks):
    _bookmark_event("channel_bookmark_sorted", channel_id, "bookmarks", list(bookmarks))
