"""The system messages written when channels and teams change: joins and
leaves, additions and removals, header, purpose and name changes, privacy
changes, archiving, restoring and moving.

Clients render these from the post type and its props (Mattermost's), so the
types and prop keys are Mattermost's; the message text is only a fallback.
Each is an ordinary post made through store.posts.create (it counts in the
channel like any other), without marking the channel read for its sender.
The caller decides whether a message is due (the configuration lives in the
handlers); these functions only refuse join and leave messages in direct and
group messages, where Mattermost never writes them.
"""
from store import posts as store_posts

JOIN_CHANNEL = "system_join_channel"
GUEST_JOIN_CHANNEL = "system_guest_join_channel"
LEAVE_CHANNEL = "system_leave_channel"
ADD_TO_CHANNEL = "system_add_to_channel"
ADD_GUEST_TO_CHANNEL = "system_add_guest_to_chan"
REMOVE_FROM_CHANNEL = "system_remove_from_channel"
JOIN_TEAM = "system_join_team"
LEAVE_TEAM = "system_leave_team"
ADD_TO_TEAM = "system_add_to_team"
REMOVE_FROM_TEAM = "system_remove_from_team"
HEADER_CHANGE = "system_header_change"
PURPOSE_CHANGE = "system_purpose_change"
DISPLAYNAME_CHANGE = "system_displayname_change"
CHANGE_CHANNEL_PRIVACY = "system_change_chan_privacy"
CHANNEL_DELETED = "system_channel_deleted"
CHANNEL_RESTORED = "system_channel_restored"
MOVE_CHANNEL = "system_move_channel"

DEFAULT_CHANNEL = "town-square"


def _is_guest(user):
    return "system_guest" in (user.roles or "").split()


def _post(channel, sender, post_type, message, props, root_id=""):
    from store import threads
    from ws import post_events
    fields = {"type": post_type, "message": message, "props": props, "root_id": root_id or ""}
    followers_before = threads.followers(root_id) if root_id else None
    created = store_posts.create(fields, channel, sender, store_posts.Options(mark_viewed=False))
    # Clients hear of it as of any post (sent once the transaction commits).
    post_events.posted(created.post, channel, sender, created.mentioned, followers_before=followers_before)
    return created.post


def _membership_channel(channel):
    """Join, leave, add and remove messages exist only in team channels."""
    return channel is not None and channel.type in ("O", "P")


# ---------------------------------------------------------------------------
# Channel membership

def join_channel(channel, user):
    """user joined channel by themselves (or made it)."""
    if not _membership_channel(channel):
        return None
    if _is_guest(user):
        return _post(channel, user, GUEST_JOIN_CHANNEL, "%s joined this channel as a guest." % user.username,
                     {"username": user.username})
    return _post(channel, user, JOIN_CHANNEL, "%s joined this channel." % user.username,
                 {"username": user.username})


def leave_channel(channel, user):
    """user left channel."""
    if not _membership_channel(channel):
        return None
    # The @ keeps the name a mention even though the user is no longer a member.
    return _post(channel, user, LEAVE_CHANNEL, "@%s left this channel." % user.username,
                 {"username": user.username})


def add_to_channel(channel, adder, added, root_id=""):
    """adder added added to channel; root_id puts the message in a thread."""
    if not _membership_channel(channel):
        return None
    props = {"userId": adder.id, "username": adder.username, "addedUserId": added.id,
             "addedUsername": added.username}
    if _is_guest(added):
        return _post(channel, adder, ADD_GUEST_TO_CHANNEL, "%s was added to this channel as a guest by %s."
                     % (added.username, adder.username), props, root_id)
    return _post(channel, adder, ADD_TO_CHANNEL, "%s was added to this channel by %s."
                 % (added.username, adder.username), props, root_id)


def remove_from_channel(channel, remover, removed):
    """remover removed removed from channel."""
    if not _membership_channel(channel):
        return None
    return _post(channel, remover, REMOVE_FROM_CHANNEL, "@%s was removed from this channel." % removed.username,
                 {"removedUserId": removed.id, "removedUsername": removed.username})


# ---------------------------------------------------------------------------
# Channel properties

def _changed_text(user, what, old, new):
    if not old:
        return "%s set the channel %s to: %s" % (user.username, what, new)
    if not new:
        return "%s cleared the channel %s (it was: %s)" % (user.username, what, old)
    return "%s changed the channel %s from: %s to: %s" % (user.username, what, old, new)


def header_change(channel, user, old, new):
    return _post(channel, user, HEADER_CHANGE, _changed_text(user, "header", old or "", new or ""),
                 {"username": user.username, "old_header": old or "", "new_header": new or ""})


def purpose_change(channel, user, old, new):
    return _post(channel, user, PURPOSE_CHANGE, _changed_text(user, "purpose", old or "", new or ""),
                 {"username": user.username, "old_purpose": old or "", "new_purpose": new or ""})


def displayname_change(channel, user, old, new):
    return _post(channel, user, DISPLAYNAME_CHANGE, "%s renamed the channel from %s to %s"
                 % (user.username, old or "", new or ""),
                 {"username": user.username, "old_displayname": old or "", "new_displayname": new or ""})


def property_changes(channel, user, before, after):
    """The messages for a channel whose display name, header or purpose went
    from before to after (each a Channel or a dict of those fields), in
    Mattermost's order: display name, header, purpose."""
    def field(obj, name):
        value = obj.get(name) if isinstance(obj, dict) else getattr(obj, name)
        return value or ""
    written = []
    if field(before, "display_name") != field(after, "display_name"):
        written.append(displayname_change(channel, user, field(before, "display_name"), field(after, "display_name")))
    if field(before, "header") != field(after, "header"):
        written.append(header_change(channel, user, field(before, "header"), field(after, "header")))
    if field(before, "purpose") != field(after, "purpose"):
        written.append(purpose_change(channel, user, field(before, "purpose"), field(after, "purpose")))
    return written


def privacy_change(channel, user):
    """channel (as it is now) changed privacy."""
    if channel.type == "O":
        message = "This channel is now public: anyone in the team can join it."
    else:
        message = "This channel is now private: only invited members can join it."
    return _post(channel, user, CHANGE_CHANNEL_PRIVACY, message, {"username": user.username})


def channel_archived(channel, user):
    return _post(channel, user, CHANNEL_DELETED, "%s archived this channel." % user.username,
                 {"username": user.username})


def channel_restored(channel, user):
    return _post(channel, user, CHANNEL_RESTORED, "%s restored this channel from the archive." % user.username,
                 {"username": user.username})


def channel_moved(channel, user, previous_team):
    return _post(channel, user, MOVE_CHANNEL, "This channel was moved here from the team %s." % previous_team.name,
                 {"username": user.username})


# ---------------------------------------------------------------------------
# Teams (written in the team's town-square)

def _town_square(team_id):
    from store import channels
    channel = channels.get_by_name(team_id, DEFAULT_CHANNEL)
    return channel if channel is not None and channel.type in ("O", "P") else None


def joined_team(team_id, user, default_names, requestor=None):
    """user became a member of the team (by themselves, or added by requestor):
    a team message in town-square and a channel message in each other default
    channel the user is now a member of (Mattermost's JoinDefaultChannels;
    the caller checks ServiceSettings.ExperimentalEnableDefaultChannelLeaveJoinMessages)."""
    from store import channels
    written = []
    for name in default_names:
        channel = channels.get_by_name(team_id, name)
        if channel is None or channel.type != "O" or channels.get_member(channel.id, user.id) is None:
            continue
        if name == DEFAULT_CHANNEL:
            if requestor is None:
                written.append(_post(channel, user, JOIN_TEAM, "%s joined this team." % user.username,
                                     {"username": user.username}))
            else:
                written.append(_post(channel, requestor, ADD_TO_TEAM, "%s was added to this team by %s."
                                     % (user.username, requestor.username),
                                     {"userId": requestor.id, "username": requestor.username,
                                      "addedUserId": user.id, "addedUsername": user.username}))
        elif requestor is None:
            written.append(join_channel(channel, user))
        else:
            written.append(add_to_channel(channel, requestor, user))
    return written


def left_team(team_id, user, requestor_id):
    """user left the team (requestor_id is theirs) or was removed from it:
    a message in town-square, written by the user who left."""
    channel = _town_square(team_id)
    if channel is None:
        return None
    if requestor_id == user.id:
        return _post(channel, user, LEAVE_TEAM, "%s left this team." % user.username, {"username": user.username})
    return _post(channel, user, REMOVE_FROM_TEAM, "%s was removed from this team." % user.username,
                 {"username": user.username})
