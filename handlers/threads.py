"""Handlers for the 'threads' operations of the document: the collapsed reply
threads a user follows, and their reading state.

Checks run in Mattermost's order: the route (a segment that is not letters and
digits is an unknown URL, 404), the ids in the URL (400), acting on the user
(yourself, or edit_other_users: 403), then view_team for the team-wide
operations or read_channel_content on the thread's channel for the others
(403, also for a thread that does not exist), then existence (404).
The reads and writes are in store/thread_queries.py.
"""
import re

import flask

from api import errors, permissions
from handlers import common
from handlers.users import user_json
from store import channels as store_channels, posts as store_posts, teams as store_teams, \
    thread_queries, threads as store_threads, users as store_users
from store.ids import is_valid_id
from ws import post_events

# Mattermost's router knows these segments only as letters and digits (and a
# timestamp as digits); anything else is an unknown URL.
_ROUTE_ID = re.compile(r"[A-Za-z0-9]+\Z")
_ROUTE_TIMESTAMP = re.compile(r"[0-9]+\Z")
_GO_INT = re.compile(r"[+-]?[0-9]+\Z")
_GO_TRUE = {"1", "t", "T", "TRUE", "true", "True"}
_INT64_MAX = 2 ** 63 - 1
_UINT64_MAX = 2 ** 64 - 1


# ---------------------------------------------------------------------------
# Helpers.

def _route(*segments, timestamp=None):
    for segment in segments:
        if not isinstance(segment, str) or not _ROUTE_ID.match(segment):
            raise errors.unknown_url(flask.request.path)
    if timestamp is not None and not _ROUTE_TIMESTAMP.match(timestamp):
        raise errors.unknown_url(flask.request.path)


def _valid(value, name):
    if not is_valid_id(value):
        raise errors.invalid_url_param(name)
    return value


def _query_bool(name):
    """A query flag as Mattermost reads it (strconv.ParseBool; anything else is false)."""
    return flask.request.args.get(name, "") in _GO_TRUE


def _per_page():
    """per_page as Mattermost's parameters read it: absent, unreadable or
    negative is 60, more than 200 is 200."""
    raw = flask.request.args.get("per_page", "")
    if not _GO_INT.match(raw) or int(raw) < 0 or int(raw) > _INT64_MAX:
        return common.PER_PAGE_DEFAULT
    return min(int(raw), common.PER_PAGE_MAX)


def _require_user_access(session, user_id):
    """Mattermost's SessionHasPermissionToUser."""
    target = store_users.get(user_id)
    if not permissions.can_act_on_user(session, user_id, target.roles if target is not None else ""):
        raise errors.permission_denied(["edit_other_users"])


def _require_thread_readable(session, thread_id):
    """Mattermost's SessionHasPermissionToChannelByPost with read_channel_content:
    by the channel of the post (deleted or not); a post that does not exist
    leaves only the system-wide permission."""
    post = thread_queries.root_post(thread_id)
    channel = store_channels.get(post.channel_id) if post is not None else None
    if channel is None:
        allowed = permissions.has(session, "read_channel_content")
    else:
        allowed = permissions.has_channel(session, channel.id, "read_channel_content", channel)
    if not allowed:
        raise errors.permission_denied(["read_channel_content"])


def _membership_missing(thread_id):
    return errors.AppError(404, "app.user.get_thread_membership_for_user.not_found",
                           "The user has no membership of this thread.", "thread_id=%s" % thread_id)


def _thread_missing(thread_id):
    return errors.AppError(404, "app.user.get_threads_for_user.not_found",
                           "The user does not follow this thread, or it has no replies yet.",
                           "thread_id=%s" % thread_id)


def _post_missing(post_id):
    return errors.AppError(404, "app.post.get.app_error", "There is no such post.", "post_id=%s" % post_id)


def _participants(ids, extended, users_by_id=None):
    if not extended:
        return [{"id": user_id} for user_id in ids]
    if users_by_id is None:
        users_by_id = {u.id: u for u in store_users.get_many(ids=ids)} if ids else {}
    # Mattermost sanitizes participants as for any other viewer, the admin and the user included.
    return [user_json(users_by_id[user_id], None) for user_id in ids if user_id in users_by_id]


def _threads_json(rows, user_id, extended, include_deleted):
    """ThreadResponses of [(thread, membership)] rows, in order."""
    if not rows:
        return []
    ids = [thread.post_id for thread, _ in rows]
    posts = store_posts.get_many(ids, include_deleted=True)
    bodies = {body["id"]: thread_queries.sanitize_post(body) for body in store_posts.posts_json(posts)}
    unread = thread_queries.unread_replies(user_id, ids, include_deleted=include_deleted)
    users_by_id = None
    if extended:
        everyone = thread_queries.participants_of([thread for thread, _ in rows])
        users_by_id = {u.id: u for u in store_users.get_many(ids=everyone)} if everyone else {}
    return [thread_queries.thread_json(thread, membership, bodies.get(thread.post_id),
                                       _participants(store_threads.participants(thread), extended, users_by_id),
                                       unread.get(thread.post_id, 0))
            for thread, membership in rows]


def _thread_for_user(membership, extended):
    """Mattermost's GetThreadForUser: the thread as the member sees it, or 404
    when they do not follow it or it has no thread row."""
    if not membership.following:
        raise _thread_missing(membership.post_id)
    thread = thread_queries.get_thread(membership.post_id)
    if thread is None:
        raise _thread_missing(membership.post_id)
    return _threads_json([(thread, membership)], membership.user_id, extended, False)[0]


def _mark_read(user_id, team_id, thread_id, timestamp):
    """Mattermost's UpdateThreadReadForUser: the read marker moves to timestamp,
    unread mentions are recounted from the replies at or after it."""
    user = common.require_user(user_id)
    membership = store_threads.get_membership(thread_id, user_id)
    if membership is None:
        raise _membership_missing(thread_id)
    root = store_posts.get(thread_id)
    if root is None:
        raise _post_missing(thread_id)
    channel = store_channels.get(root.channel_id)
    if channel is None:
        raise errors.AppError(404, "app.channel.get.existing.app_error", "There is no such channel.",
                              "channel_id=%s" % root.channel_id)
    if channel.type not in ("D", "G") and team_id and store_teams.get(team_id) is None:
        raise errors.AppError(404, "app.team.get.find.app_error", "There is no such team.", "team_id=%s" % team_id)
    previous_mentions = membership.unread_mentions
    previous_replies = thread_queries.unread_replies(user_id, [thread_id]).get(thread_id, 0)
    mentions = thread_queries.count_thread_mentions(user, root, channel, timestamp)
    membership = thread_queries.set_read(membership, timestamp, mentions)
    thread = _thread_for_user(membership, False)
    post_events.thread_read_changed(user_id, team_id, {
        "thread_id": thread_id, "timestamp": timestamp, "unread_mentions": membership.unread_mentions,
        "unread_replies": thread["unread_replies"], "previous_unread_mentions": previous_mentions,
        "previous_unread_replies": previous_replies, "channel_id": root.channel_id})
    return thread


def _thread_target(user_id, team_id, thread_id, order=("user", "thread", "team")):
    """The request's ids, checked as Mattermost does, then the permissions."""
    _route(user_id, team_id, thread_id)
    ids = {"user": common.user_id(user_id), "team": team_id, "thread": thread_id}
    for name in order:
        _valid(ids[name], name + "_id")
    session = common.session()
    _require_user_access(session, ids["user"])
    _require_thread_readable(session, thread_id)
    return ids["user"]


def _team_target(user_id, team_id):
    _route(user_id, team_id)
    user_id = _valid(common.user_id(user_id), "user_id")
    _valid(team_id, "team_id")
    session = common.session()
    _require_user_access(session, user_id)
    if not permissions.has_team(session, team_id, "view_team"):
        raise errors.permission_denied(["view_team"])
    return user_id


# ---------------------------------------------------------------------------
# Operations.

def get_user_threads(user_id, team_id, **kwargs):
    """GET /api/v4/users/{user_id}/teams/{team_id}/threads"""
    user_id = _team_target(user_id, team_id)
    args = flask.request.args
    since = 0
    raw_since = args.get("since", "")
    if raw_since:
        if not raw_since.isdigit() or not raw_since.isascii() or int(raw_since) > _UINT64_MAX:
            raise errors.invalid_param("since")
        since = int(raw_since)
    before, after = args.get("before", ""), args.get("after", "")
    totals_only, threads_only = _query_bool("totalsOnly"), _query_bool("threadsOnly")
    if before and after:
        raise errors.AppError(400, "api.getThreadsForUser.bad_params",
                              "Only one of the before and after cursors may be given.")
    if totals_only and threads_only:
        raise errors.AppError(400, "api.getThreadsForUser.bad_only_params",
                              "Only one of totalsOnly and threadsOnly may be given.")
    deleted, unread, extended = _query_bool("deleted"), _query_bool("unread"), _query_bool("extended")
    exclude_direct = _query_bool("excludeDirect")
    body = {"total": 0, "total_unread_threads": 0, "total_unread_mentions": 0,
            "total_unread_urgent_mentions": 0, "threads": []}
    if not threads_only:
        total, unread_threads, unread_mentions = thread_queries.totals(user_id, team_id, deleted, exclude_direct)
        body.update(total=unread_threads if unread else total, total_unread_threads=unread_threads,
                    total_unread_mentions=unread_mentions)
    if not totals_only:
        rows = thread_queries.followed_threads(
            user_id, team_id, since=since, deleted=deleted, unread=unread, before=before, after=after,
            limit=_per_page() or thread_queries.DEFAULT_PAGE_SIZE, exclude_direct=exclude_direct)
        body["threads"] = _threads_json(rows, user_id, extended, deleted)
    return body


def get_thread_mention_counts_by_channel(user_id, team_id, **kwargs):
    """GET /api/v4/users/{user_id}/teams/{team_id}/threads/mention_counts"""
    user_id = _team_target(user_id, team_id)
    return thread_queries.mention_counts_by_channel(user_id, team_id)


def update_threads_read_for_user(user_id, team_id, **kwargs):
    """PUT /api/v4/users/{user_id}/teams/{team_id}/threads/read"""
    user_id = _team_target(user_id, team_id)
    thread_queries.mark_all_read_in_team(user_id, team_id)
    post_events.thread_read_changed(user_id, team_id)
    return {"status": "OK"}


def get_user_thread(user_id, team_id, thread_id, **kwargs):
    """GET /api/v4/users/{user_id}/teams/{team_id}/threads/{thread_id}"""
    user_id = _thread_target(user_id, team_id, thread_id, order=("user", "team", "thread"))
    membership = store_threads.get_membership(thread_id, user_id)
    if membership is None:
        raise _membership_missing(thread_id)
    return _thread_for_user(membership, _query_bool("extended"))


def _set_following(user_id, team_id, thread_id, following):
    user_id = _thread_target(user_id, team_id, thread_id)
    store_threads.maintain_membership(user_id, thread_id, following=following, update_following=True,
                                      update_viewed=following)
    thread = thread_queries.get_thread(thread_id)
    post_events.thread_follow_changed(user_id, team_id, thread_id, following,
                                      thread.reply_count if thread is not None else 0)
    return {"status": "OK"}


def start_following_thread(user_id, team_id, thread_id, **kwargs):
    """PUT /api/v4/users/{user_id}/teams/{team_id}/threads/{thread_id}/following"""
    return _set_following(user_id, team_id, thread_id, True)


def stop_following_thread(user_id, team_id, thread_id, **kwargs):
    """DELETE /api/v4/users/{user_id}/teams/{team_id}/threads/{thread_id}/following"""
    return _set_following(user_id, team_id, thread_id, False)


def update_thread_read_for_user(user_id, team_id, thread_id, timestamp, **kwargs):
    """PUT /api/v4/users/{user_id}/teams/{team_id}/threads/{thread_id}/read/{timestamp}"""
    _route(user_id, team_id, thread_id, timestamp=timestamp)
    user = _valid(common.user_id(user_id), "user_id")
    _valid(thread_id, "thread_id")
    # Mattermost reads the timestamp as an int64; one it cannot read is 0, and 0 is refused.
    value = int(timestamp) if int(timestamp) <= _INT64_MAX else 0
    if value == 0:
        raise errors.invalid_url_param("timestamp")
    _valid(team_id, "team_id")
    session = common.session()
    _require_user_access(session, user)
    _require_thread_readable(session, thread_id)
    return _mark_read(user, team_id, thread_id, value)


def set_thread_unread_by_post_id(user_id, team_id, thread_id, post_id, **kwargs):
    """POST /api/v4/users/{user_id}/teams/{team_id}/threads/{thread_id}/set_unread/{post_id}"""
    _route(user_id, team_id, thread_id, post_id)
    user = _valid(common.user_id(user_id), "user_id")
    _valid(thread_id, "thread_id")
    _valid(post_id, "post_id")
    _valid(team_id, "team_id")
    session = common.session()
    _require_user_access(session, user)
    _require_thread_readable(session, thread_id)
    post = store_posts.get(post_id)
    if post is None:
        raise _post_missing(post_id)
    if post.root_id != thread_id and post.id != thread_id:
        raise errors.AppError(400, "app.user.update_thread_read_for_user_by_post.app_error",
                              "The post is not part of this thread.", "post_id=%s thread_id=%s" % (post_id, thread_id))
    return _mark_read(user, team_id, thread_id, post.create_at - 1)
