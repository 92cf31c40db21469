"""The WebSocket events of posts, reactions, custom emoji and threads: their
payloads in the shapes Mattermost's clients parse, and who hears them.

Handlers (and store/system_posts.py for the system messages it writes) call
these after their write; each goes out through ws.events.publish, so after
the transaction commits. Data Mattermost encodes as a JSON string (a post,
a reaction, an emoji, a thread, the mentions list) is a string here too.

Mattermost personalises some events per connection (the `mentions` and
`followers` fields of `posted`, `delete_by` of `post_deleted` for admins). The
hub has no per-connection hooks, so the users who get a personalised copy are
left out of the channel-wide event and sent their own copy (broadcast user_id
and channel_id): every member still gets exactly one event.

This module reads the configuration through Flask's current app when there is
one (Mattermost's defaults otherwise), and imports neither api nor handlers,
so the store may call it.
"""
import json
import re
import time

from ws import events

SYSTEM_SENDER_NAME = "System"      # what Mattermost's English clients are sent for system messages
_CHANNEL_MENTION = re.compile(r"(?:^|\W)(@(?:channel|all|here))\b", re.IGNORECASE)


def _millis():
    return int(time.time() * 1000)


def _dumps(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


# ---------------------------------------------------------------------------
# Configuration and per-user settings

_DEFAULTS = {"ServiceSettings": {"CollapsedThreads": "always_on", "ThreadAutoFollow": True,
                                 "EnablePostUsernameOverride": False},
             "PrivacySettings": {"ShowEmailAddress": True, "ShowFullName": True}}


def _setting(section, name):
    return events.setting(section, name, _DEFAULTS[section][name])


def crt_allowed():
    """Collapsed reply threads are not turned off server-wide."""
    return _setting("ServiceSettings", "CollapsedThreads") != "disabled"


def crt_enabled_for(user_id):
    """Mattermost's IsCRTEnabledForUser: the server setting, then the user's
    display preference when the server leaves the choice to users."""
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


def _user_json(user):
    """A participant as any other user sees them (Mattermost's sanitizeProfiles
    for a non-admin): no secrets, and email and full name as privacy allows."""
    body = {
        "id": user.id, "create_at": user.create_at, "update_at": user.update_at, "delete_at": user.delete_at,
        "username": user.username, "auth_data": "", "auth_service": "", "email": user.email,
        "nickname": user.nickname, "first_name": user.first_name, "last_name": user.last_name,
        "position": user.position, "roles": user.roles, "props": user.props or {},
        "last_picture_update": user.last_picture_update, "locale": user.locale,
        "timezone": user.timezone or {"automaticTimezone": "", "manualTimezone": "", "useAutomaticTimezone": "true"},
        "mfa_active": user.mfa_active, "is_bot": user.is_bot, "disable_welcome_email": False,
    }
    if not _setting("PrivacySettings", "ShowEmailAddress"):
        body["email"] = ""
    if not _setting("PrivacySettings", "ShowFullName"):
        body["first_name"] = body["last_name"] = ""
    for key in ("props", "last_picture_update", "mfa_active", "is_bot"):
        if not body[key]:
            del body[key]
    return body


# ---------------------------------------------------------------------------
# Posts

def post_body(post, pending_post_id="", just_created=False):
    """The post as the REST API answers it (with its metadata)."""
    from store import posts as store_posts
    body = store_posts.posts_json([post], just_created=just_created)[0]
    if pending_post_id:
        body["pending_post_id"] = pending_post_id
    return body


def _channel_display_name(channel, sender, profiles):
    """Mattermost's GetChannelName with usernames: the sender for a direct
    message, the members' usernames in order for a group message."""
    if channel.type == "D":
        return "@" + sender.username
    if channel.type == "G":
        return ", ".join(sorted(user.username for user, _ in profiles.values()))
    return channel.display_name


def _sender_name(post, channel, sender):
    if (post.type or "").startswith("system_"):
        return SYSTEM_SENDER_NAME
    props = post.props or {}
    if (_setting("ServiceSettings", "EnablePostUsernameOverride") and channel.type != "D"
            and props.get("from_webhook") == "true" and isinstance(props.get("override_username"), str)):
        return props["override_username"]
    return "@" + sender.username


def _notifies_desktop_for_thread(user, member_props, mentioned):
    """Mattermost's CRTNotifiers desktop rule: whether a thread follower's
    settings ask for a desktop notification of a reply."""
    user_props = user.notify_props or {}
    desktop = user_props.get("desktop", "mention")
    user_threads = user_props.get("desktop_threads", "all")
    by_user = desktop != "none" and (mentioned or user_threads == "all" or desktop == "all")
    channel_desktop = member_props.get("desktop", "default")
    channel_threads = member_props.get("desktop_threads", "default")
    by_channel = (channel_desktop not in ("default", "none")
                  and (mentioned or (channel_threads == "all" and user_threads != "mention")
                       or channel_desktop == "all"))
    return (channel_desktop == "default" and by_user) or by_channel


def posted(post, channel, sender, mentioned=(), set_online=True, pending_post_id="", followers_before=None,
           body=None):
    """`posted` for a created post, to the channel's members (Mattermost's
    SendNotifications), and for a reply under collapsed threads the
    `thread_updated` each follower is sent. Nothing in an archived channel.
    followers_before: the thread's followers before the reply (to tell new
    followers, whose previous unread counts are 0); None counts all as new.
    body: the post as the REST API answers it, when the caller has it."""
    if channel.delete_at:
        return
    from store import posts as store_posts, threads as store_threads
    crt_reply = bool(post.root_id) and crt_allowed()
    # The members' profiles are needed only to name a group message and to
    # find the followers of a thread (theirs only); a plain post in a big
    # channel skips them.
    thread_follower_ids = store_threads.followers(post.root_id) if crt_reply else []
    if channel.type == "G":
        profiles = store_posts.channel_profiles(channel.id)
    elif thread_follower_ids:
        profiles = store_posts.channel_profiles(channel.id, user_ids=thread_follower_ids)
    else:
        profiles = {}
    if body is None:
        body = post_body(post, pending_post_id, just_created=True)
    data = {
        "channel_display_name": _channel_display_name(channel, sender, profiles),
        "channel_name": channel.name, "channel_type": channel.type, "post": _dumps(body),
        "sender_name": _sender_name(post, channel, sender), "set_online": bool(set_online),
        "team_id": channel.team_id or "",
    }
    files = (body.get("metadata") or {}).get("files") or []
    if body.get("file_ids") and files:
        data["otherFile"] = "true"
        if any((f.get("mime_type") or "").startswith("image") for f in files):
            data["image"] = "true"
    mentioned = [u for u in mentioned if u]
    followers = []
    thread_followers = []
    if crt_reply:
        from_webhook = (post.props or {}).get("from_webhook") == "true"
        for user_id in thread_follower_ids:
            if user_id not in profiles or not crt_enabled_for(user_id):
                continue
            thread_followers.append(user_id)
            if user_id == post.user_id and not from_webhook:
                continue
            user, member_props = profiles[user_id]
            if _notifies_desktop_for_thread(user, member_props, user_id in mentioned):
                followers.append(user_id)
    personal = sorted(set(mentioned) | set(followers))
    events.publish("posted", data, channel_id=channel.id, omit_users=events.omit(*personal))
    for user_id in personal:
        own = dict(data)
        if user_id in mentioned:
            own["mentions"] = _dumps([user_id])
        if user_id in followers:
            own["followers"] = _dumps([user_id])
        events.publish("posted", own, user_id=user_id, channel_id=channel.id)
    if thread_followers:
        from store import post_queries
        before = set(followers_before) if followers_before is not None else set()
        # What every follower's thread shares (the thread, its root post and
        # participants) is read once; memberships and unread counts in one
        # query each.
        shared = {}
        memberships = post_queries.thread_memberships(post.root_id, thread_followers)
        unread = post_queries.unread_replies_by_user(post.root_id, thread_followers)
        for user_id in thread_followers:
            _reply_thread_updated(post, channel, user_id, user_id in before, user_id in mentioned,
                                  memberships.get(user_id), shared, unread.get(user_id, 0))


def _reply_thread_updated(post, channel, user_id, was_following, was_mentioned, membership, shared, unread):
    if membership is None:
        return
    thread = user_thread(membership, shared=shared, unread=unread)
    if thread is None:
        return
    previous_mentions = previous_replies = 0
    if was_following:
        previous_mentions = thread["unread_mentions"]
        previous_replies = max(thread["unread_replies"] - 1, 0)
        if was_mentioned:
            previous_mentions = max(thread["unread_mentions"] - 1, 0)
    if user_id == post.user_id:
        thread["unread_mentions"] = thread["unread_replies"] = 0
    thread_updated(user_id, channel.team_id or "", thread, previous_mentions, previous_replies)


def user_thread(membership, extended=True, shared=None, unread=None):
    """The ThreadResponse of a thread as the member sees it (participants as
    users when extended), or None when the thread has no row. shared: a dict
    kept across calls for members of the same thread, so that its row, root
    post and participants are read once; unread: the member's unread reply
    count when the caller has it."""
    from store import posts as store_posts, thread_queries, threads as store_threads, users as store_users
    cache = shared if shared is not None else {}
    if "thread" not in cache:
        cache["thread"] = thread_queries.get_thread(membership.post_id)
    thread = cache["thread"]
    if thread is None:
        return None
    if "body" not in cache:
        root = store_posts.get_many([membership.post_id], include_deleted=True)
        cache["body"] = thread_queries.sanitize_post(store_posts.posts_json(root)[0]) if root else None
    body = cache["body"]
    key = "participants" if extended else "participant_ids"
    if key not in cache:
        ids = store_threads.participants(thread)
        if extended:
            users = {u.id: u for u in store_users.get_many(ids=ids)} if ids else {}
            cache[key] = [_user_json(users[i]) for i in ids if i in users]
        else:
            cache[key] = [{"id": i} for i in ids]
    participants = cache[key]
    if unread is None:
        unread = thread_queries.unread_replies(membership.user_id, [membership.post_id]).get(membership.post_id, 0)
    return thread_queries.thread_json(thread, membership, body, participants, unread)


def thread_updated(user_id, team_id, thread, previous_unread_mentions=None, previous_unread_replies=None):
    """`thread_updated` to one user: the thread (a JSON string) and, where
    Mattermost sends them, the unread counts it had before."""
    data = {"thread": _dumps(thread)}
    if previous_unread_mentions is not None:
        data["previous_unread_mentions"] = previous_unread_mentions
    if previous_unread_replies is not None:
        data["previous_unread_replies"] = previous_unread_replies
    events.publish("thread_updated", data, user_id=user_id, team_id=team_id)


def ephemeral(user_id, body):
    """`ephemeral_message` to one user with an ephemeral post (a post dict)."""
    events.publish("ephemeral_message", {"post": _dumps(body)}, user_id=user_id,
                   channel_id=body.get("channel_id") or "")


def channel_mentions_disabled(post, channel, user_id):
    """The ephemeral note Mattermost sends a user whose @channel, @all or
    @here did not notify anyone because they may not use channel mentions."""
    found = _CHANNEL_MENTION.search(post.message or "")
    if not found:
        return
    from store import posts as store_posts
    body = store_posts.ephemeral_json(
        user_id, channel.id, post.root_id or "",
        "Channel notifications are disabled in %s: %s did not notify anyone." % (channel.name, found.group(1)),
        {"mentionHighlightDisabled": True}, [], _millis())
    ephemeral(user_id, body)


def out_of_channel_mentions(post, channel, sender_id, mentioned=()):
    """The ephemeral notes Mattermost sends a poster who @-mentioned active
    users who are not in the channel (with props.add_channel_member, so the
    client can offer to add them) or not even in the team."""
    if (post.type or "").startswith("system_") or channel.type not in ("O", "P") or "@" not in (post.message or ""):
        return
    from store import channel_members, mentions, users as store_users
    names = {}
    for text in mentions.texts_of(post.message, post.props or {}):
        for word in mentions.mentioned_words(text):
            for candidate in mentions.trimmed_forms(word):
                if not candidate.startswith("@") or len(candidate) < 2 or candidate.lower() in mentions.CHANNEL_WIDE:
                    break
                names.setdefault(candidate[1:].lower(), None)
    if not names:
        return
    found = [u for u in store_users.get_many(usernames=list(names))
             if not u.delete_at and not u.is_bot and u.id not in mentioned and u.id != sender_id]
    if not found:
        return
    members = channel_members.user_ids_in(channel.id, [u.id for u in found])
    outside = [u for u in found if u.id not in members]
    if not outside:
        return
    in_team = channel_members.team_user_ids_in(channel.team_id, [u.id for u in outside])
    from store import posts as store_posts
    not_in_channel = sorted((u for u in outside if u.id in in_team), key=lambda u: u.username)
    not_in_team = sorted((u for u in outside if u.id not in in_team), key=lambda u: u.username)
    when = post.create_at + 1
    if not_in_channel:
        usernames = [u.username for u in not_in_channel]
        body = store_posts.ephemeral_json(
            sender_id, channel.id, post.root_id or "",
            "@%s did not get notified by this mention because they are not in the channel."
            % ", @".join(usernames), {}, [], when)
        body["props"] = {"add_channel_member": {
            "post_id": body["id"], "usernames": usernames, "not_in_channel_usernames": usernames,
            "user_ids": [u.id for u in not_in_channel], "not_in_channel_user_ids": [u.id for u in not_in_channel],
            "not_in_groups_usernames": [], "not_in_groups_user_ids": []}}
        ephemeral(sender_id, body)
    if not_in_team:
        body = store_posts.ephemeral_json(
            sender_id, channel.id, post.root_id or "",
            "@%s did not get notified by this mention because they are not in the team."
            % ", @".join(u.username for u in not_in_team), {}, [], when)
        ephemeral(sender_id, body)


def post_edited(post):
    """`post_edited` with the post as the REST API answers it, to the channel."""
    events.publish("post_edited", {"post": _dumps(post_body(post))}, channel_id=post.channel_id)


def _admins_among(channel_id):
    """The channel's members whose roles grant manage_system."""
    from store import channel_members, roles
    rows = channel_members.member_system_roles(channel_id)
    return sorted(uid for uid, names in rows if "manage_system" in roles.permissions_of((names or "").split()))


def post_deleted(post, deleted_by):
    """`post_deleted` with the post as it was before (a JSON string): members
    who are system admins also get delete_by, the others do not."""
    from store import posts as store_posts
    body = store_posts.posts_json([post])[0]
    body.pop("metadata", None)
    text = _dumps(body)
    admins = _admins_among(post.channel_id)
    events.publish("post_deleted", {"post": text}, channel_id=post.channel_id, omit_users=events.omit(*admins))
    for user_id in admins:
        events.publish("post_deleted", {"post": text, "delete_by": deleted_by}, user_id=user_id,
                       channel_id=post.channel_id)


_UNREAD_FIELDS = ("msg_count", "msg_count_root", "mention_count", "mention_count_root", "urgent_mention_count",
                  "last_viewed_at")


def post_unread(state, post_id):
    """`post_unread` to the user who marked the channel unread, with the
    reading state (a ChannelUnreadAt dict) and the post."""
    data = {name: state.get(name, 0) for name in _UNREAD_FIELDS}
    data["post_id"] = post_id
    events.publish("post_unread", data, user_id=state["user_id"], channel_id=state["channel_id"],
                   team_id=state.get("team_id") or "")


# ---------------------------------------------------------------------------
# Reactions and emoji

def reaction(event, reaction_body, channel_id):
    """`reaction_added` or `reaction_removed` to the post's channel."""
    events.publish(event, {"reaction": _dumps(reaction_body)}, channel_id=channel_id)


def emoji_added(emoji_body):
    """`emoji_added` to everyone."""
    events.publish("emoji_added", {"emoji": _dumps(emoji_body)})


# ---------------------------------------------------------------------------
# Threads

def thread_follow_changed(user_id, team_id, thread_id, state, reply_count):
    events.publish("thread_follow_changed", {"thread_id": thread_id, "state": bool(state),
                                             "reply_count": reply_count}, user_id=user_id, team_id=team_id)


def thread_read_changed(user_id, team_id, data=None):
    """`thread_read_changed` to the user: for one thread (data: thread_id,
    timestamp, unread and previous unread counts, channel_id), or with no
    data when every thread of a team was marked read."""
    events.publish("thread_read_changed", dict(data or {}), user_id=user_id, team_id=team_id)
