"""Handlers for the 'posts' operations of the document that create and read
posts, as Mattermost's Team Edition server answers them: creating (with the
checks Mattermost makes), ephemeral posts, reading one post, posts by id,
threads, a channel's pages of posts with their cursors and ETag, the posts
around the last unread one, flagged posts, a post's channel and team info,
its files, integration actions, and the AI and burn-on-read operations as a
server without those features answers them.

Who may read a post: members of its channel, team members for a public
channel (read_public_channel), and system admins (has_channel decides).
Changes to posts live in handlers/post_changes.py, search in handlers/search.py.
"""
import ipaddress
import json
import re
import socket
import time
import urllib.parse
import urllib.request

import flask

from api import config as config_module, errors, permissions
from handlers import common
from store import channels as store_channels, file_infos, post_queries, posts as store_posts, teams as store_teams
from store import db as store_db
from store import threads as store_threads, users as store_users
from store.ids import is_valid_id
from ws import channel_events, post_events, presence

FILE_IDS_MAX_RUNES = 300          # Mattermost's PostFileidsMaxRunes (the JSON of file_ids)
POSTS_BY_IDS_MAX = 1000
# Props a client may not set on its own posts (Mattermost strips them).
_SERVER_PROPS = ("add_channel_member", "force_notification", "silent_notification", "from_plugin",
                 "from_oauth_app", "previewed_post", "channel_mentions")
_CHANNEL_MENTION_RE = re.compile(r"(?:^|\W)@(?:channel|all|here)\b", re.IGNORECASE)
_ALLOWED_TYPES = {"", "slack_attachment", "burn_on_read"}


# ---------------------------------------------------------------------------
# Helpers

def _config():
    return config_module.current()


def _now():
    return int(time.time() * 1000)


def _post_missing(post_id=""):
    return errors.AppError(404, "app.post.get.app_error", "There is no such post.", "post_id=%s" % post_id)


def _channel_missing(channel_id):
    return errors.AppError(404, "app.channel.get.existing.app_error", "There is no such channel.",
                           "channel_id=%s" % channel_id)


def _require_read(session, channel):
    if not permissions.can_read_channel(session, channel):
        raise errors.permission_denied(["read_channel_content"])


def _authorized_post(session, post_id, include_deleted=False):
    """Mattermost's GetPostIfAuthorized: the post (404 if there is none), then
    the permission to read its channel (403)."""
    post = post_queries.get(post_id, include_deleted)
    if post is None:
        raise _post_missing(post_id)
    channel = store_channels.get(post.channel_id)
    if channel is None:
        raise _channel_missing(post.channel_id)
    if not permissions.has_channel(session, channel.id, "read_channel_content", channel):
        if channel.type == "O":
            if not permissions.has_team(session, channel.team_id, "read_public_channel"):
                raise errors.permission_denied(["read_public_channel"])
        else:
            raise errors.permission_denied(["read_channel_content"])
    return post, channel


def _flag(name):
    """A boolean query parameter as Mattermost's strconv.ParseBool reads it."""
    return flask.request.args.get(name, "").lower() in ("1", "t", "true")


def _etag_response(body, etag, status=200):
    if flask.request.headers.get("If-None-Match") == etag:
        response = flask.current_app.response_class(status=304)
        response.headers["ETag"] = etag
        return response
    response = flask.jsonify(body)
    response.status_code = status
    response.headers["ETag"] = etag
    return response


def _list_json(ordered, extras=(), next_post_id="", prev_post_id="", has_next=None):
    """A PostList of the ordered posts (their order kept) and the extra posts
    that come with them."""
    seen, rows = set(), []
    for post in list(ordered) + list(extras):
        if post.id not in seen:
            seen.add(post.id)
            rows.append(post)
    return store_posts.post_list_json(store_posts.posts_json(rows), order=[p.id for p in ordered],
                                      next_post_id=next_post_id, prev_post_id=prev_post_id, has_next=has_next)


def _channel_etag(channel_id, collapsed):
    """Mattermost's GetPostsEtag: the version and the latest post update."""
    last = post_queries.channel_last_update(channel_id, collapsed)
    return "%s.%d" % (config_module.VERSION, last if last is not None else _now())


def _strip_action_integrations(body):
    """Mattermost's StripActionIntegrations: action buttons lose their
    integration (URL and context) in lists of posts by id."""
    attachments = (body.get("props") or {}).get("attachments")
    if isinstance(attachments, list):
        for attachment in attachments:
            if isinstance(attachment, dict) and isinstance(attachment.get("actions"), list):
                for action in attachment["actions"]:
                    if isinstance(action, dict):
                        action.pop("integration", None)
    return body


# ---------------------------------------------------------------------------
# Creating

def _runes(value):
    return len(value) if isinstance(value, str) else 0


def _check_create_permission(session, channel_id):
    """Mattermost's userCreatePostPermissionCheck: create_post in the channel,
    or create_post_public in the team of a public channel."""
    channel = permissions.caller_channel(session, channel_id) if is_valid_id(channel_id) else None
    if permissions.has_channel(session, channel_id, "create_post", channel):
        return channel
    if channel is not None and channel.type == "O" and permissions.has_team(
            session, channel.team_id, "create_post_public"):
        return channel
    raise errors.permission_denied(["create_post"])


def _validate_post(message, props, file_ids, root_id, post_type):
    if len(message) > store_posts.MESSAGE_MAX_RUNES:
        raise errors.AppError(400, "model.post.is_valid.message_length.app_error",
                              "The message is longer than a post may be.",
                              "length=%d, max=%d" % (len(message), store_posts.MESSAGE_MAX_RUNES))
    if root_id and not is_valid_id(root_id):
        raise errors.AppError(400, "model.post.is_valid.root_id.app_error", "The root_id is not valid.")
    if post_type not in _ALLOWED_TYPES and not post_type.startswith("custom_"):
        raise errors.AppError(400, "model.post.is_valid.type.app_error", "The post type is not valid.",
                              "type=%s" % post_type)
    if len(file_ids) > store_posts.MAX_FILES_PER_POST or len(json.dumps(file_ids)) > FILE_IDS_MAX_RUNES:
        raise errors.AppError(400, "model.post.is_valid.file_ids.app_error", "The post has too many files.")
    if len(json.dumps(props, ensure_ascii=False)) > store_posts.PROPS_MAX_USER_RUNES:
        raise errors.AppError(400, "model.post.is_valid.props.app_error", "The post's props are too large.")


def create_post(body, set_online=None):
    """POST /posts: create a post as the caller (201 with the post). The
    order of checks is Mattermost's: permissions (create_post, upload_file
    for files), then the channel (archived ones refuse), the type, the
    pending_post_id repeat, the root post, then the sizes."""
    session = common.session()
    if not isinstance(body, dict):
        raise errors.invalid_param("post")
    channel_id = body.get("channel_id") if isinstance(body.get("channel_id"), str) else ""
    message = body.get("message") if isinstance(body.get("message"), str) else ""
    root_id = body.get("root_id") if isinstance(body.get("root_id"), str) else ""
    post_type = body.get("type") if isinstance(body.get("type"), str) else ""
    props = dict(body.get("props")) if isinstance(body.get("props"), dict) else {}
    file_ids = [f for f in body.get("file_ids") or [] if isinstance(f, str)] \
        if isinstance(body.get("file_ids"), list) else []
    pending = body.get("pending_post_id") if isinstance(body.get("pending_post_id"), str) else ""
    create_at = body.get("create_at") if isinstance(body.get("create_at"), int) else 0
    if create_at and not permissions.has(session, "manage_system"):
        create_at = 0

    channel = _check_create_permission(session, channel_id)
    if file_ids and not permissions.has_channel(session, channel_id, "upload_file", channel):
        raise errors.permission_denied(["upload_file"])
    if channel is None:
        raise errors.invalid_param("post.channel_id")
    if post_type.startswith("system_"):
        raise errors.invalid_param("post.type")
    if channel.delete_at:
        raise errors.AppError(400, "api.post.create_post.can_not_post_to_deleted.error",
                              "Posts cannot be made in an archived channel.")
    sender = store_users.get(session.user_id)
    if sender is None:
        raise errors.AppError(404, "app.user.missing_account.const", "There is no such user.",
                              "user_id=%s" % session.user_id)

    for key in _SERVER_PROPS:
        props.pop(key, None)
    if props.get("mm_blocks_actions") is not None and not sender.is_bot:
        props.pop("mm_blocks_actions", None)
    if sender.is_bot:
        props["from_bot"] = "true"
    allow_mentions = permissions.has_channel(session, channel.id, "use_channel_mentions", channel)
    if not post_type and not allow_mentions and _CHANNEL_MENTION_RE.search(message):
        props["mentionHighlightDisabled"] = True

    root = None
    if root_id:
        root = post_queries.get(root_id)
        if root is None or root.root_id:
            raise errors.AppError(400, "api.post.create_post.root_id.app_error",
                                  "The root_id does not name a root post.", "root_id=%s" % root_id)
        if root.channel_id != channel.id:
            raise errors.AppError(400, "api.post.create_post.channel_root_id.app_error",
                                  "The root post is in another channel.", "root_id=%s" % root_id)
    if post_type == "burn_on_read":
        raise errors.AppError(501, "api.post.fill_in_post_props.burn_on_read.license.app_error",
                              "Burn-on-read messages need a license this server does not have.")
    _validate_post(message, props, file_ids, root_id, post_type)

    settings = _config()
    options = store_posts.Options(
        allow_channel_mentions=allow_mentions,
        thread_auto_follow=bool(settings["ServiceSettings"].get("ThreadAutoFollow", True)),
        collapsed_threads=settings["ServiceSettings"].get("CollapsedThreads") or "always_on",
        mark_viewed=not (props.get("from_webhook") or props.get("from_bot")),
        max_notifications_per_channel=settings["TeamSettings"].get("MaxNotificationsPerChannel") or 1000)
    followers_before = store_threads.followers(root_id) if root_id else None
    created = store_posts.create({"message": message, "type": post_type, "props": props, "root_id": root_id,
                                  "file_ids": file_ids, "create_at": create_at, "pending_post_id": pending,
                                  "root": root},
                                 channel, sender, options)
    online = True if set_online is None else bool(set_online)
    if online:
        presence.set_online(config_module.current(), session.user_id)
    answer = None
    if not created.repeated:
        # The answer is the post as the `posted` event carries it.
        answer = store_posts.posts_json([created.post], just_created=True)[0]
        answer["pending_post_id"] = pending
        post_events.posted(created.post, channel, sender, created.mentioned, set_online=online,
                           pending_post_id=pending, followers_before=followers_before, body=answer)
        if props.get("mentionHighlightDisabled") is True and not post_type:
            post_events.channel_mentions_disabled(created.post, channel, session.user_id)
        post_events.out_of_channel_mentions(created.post, channel, session.user_id, created.mentioned)
        if options.mark_viewed:
            channel_events.viewed_after_post(created.post, channel, session.user_id)
    if answer is None:
        answer = store_posts.posts_json([created.post])[0]
    return answer, 201


def create_post_ephemeral(body):
    """POST /posts/ephemeral: an ephemeral post for one user (create_post_ephemeral);
    nothing is stored, the post is answered as it would be sent."""
    session = common.session()
    if not isinstance(body, dict):
        raise errors.invalid_param("body")
    user_id = body.get("user_id")
    if not isinstance(user_id, str) or not user_id:
        raise errors.invalid_param("user_id")
    post = body.get("post")
    if not isinstance(post, dict):
        raise errors.invalid_param("post")
    if not permissions.has(session, "create_post_ephemeral"):
        raise errors.permission_denied(["create_post_ephemeral"])
    now = _now()
    props = post.get("props") if isinstance(post.get("props"), dict) else {}
    file_ids = [f for f in post.get("file_ids") or [] if isinstance(f, str)] \
        if isinstance(post.get("file_ids"), list) else []
    text = {k: post.get(k) if isinstance(post.get(k), str) else "" for k in ("channel_id", "root_id", "message")}
    answer = store_posts.ephemeral_json(session.user_id, text["channel_id"], text["root_id"], text["message"],
                                        props, file_ids, now)
    post_events.ephemeral(user_id, answer)
    return answer, 201


# ---------------------------------------------------------------------------
# Reading posts

def get_post(post_id, include_deleted=False):
    """GET /posts/{post_id}: one post the caller may read; include_deleted
    takes manage_system. Honours If-None-Match."""
    session = common.session()
    post_id = common.path_id(post_id, "post_id")
    if include_deleted and not permissions.has(session, "manage_system"):
        raise errors.permission_denied(["manage_system"])
    post, _ = _authorized_post(session, post_id, include_deleted)
    body = store_posts.posts_json([post], deleted_files=bool(include_deleted))[0]
    return _etag_response(body, "%s.%s.%d" % (config_module.VERSION, post.id, post.update_at))


def get_posts_by_ids(body):
    """POST /posts/ids: the posts among these ids whose channels the caller
    may read (at most 1000 ids), newest first."""
    session = common.session()
    if not isinstance(body, list):
        raise errors.invalid_param("post_ids")
    ids = sorted({i for i in body if isinstance(i, str)})
    if not ids:
        raise errors.invalid_param("post_ids")
    if len(ids) > POSTS_BY_IDS_MAX:
        raise errors.AppError(400, "api.post.posts_by_ids.invalid_body.request_error",
                              "At most %d post ids may be asked for at once." % POSTS_BY_IDS_MAX)
    found = post_queries.by_ids(ids)
    readable = {}
    visible = []
    for post in found:
        if post.channel_id not in readable:
            channel = store_channels.get(post.channel_id)
            readable[post.channel_id] = channel is not None and permissions.can_read_channel(session, channel)
        if readable[post.channel_id]:
            visible.append(post)
    response = flask.jsonify([_strip_action_integrations(p) for p in store_posts.posts_json(visible)])
    response.headers["First-Inaccessible-Post-Time"] = "0"
    return response


def _int_arg(name):
    """An integer query parameter, 0 when absent; a 400 naming it when it is
    not a number."""
    raw = flask.request.args.get(name, "")
    if raw == "":
        return 0
    try:
        return int(raw)
    except ValueError:
        raise errors.invalid_param(name)


def get_post_thread(post_id, **_):
    """GET /posts/{post_id}/thread: the post with its thread (the root and
    its replies), paged by perPage/fromPost/fromCreateAt/fromUpdateAt and
    direction as Mattermost's thread read is."""
    session = common.session()
    post_id = common.path_id(post_id, "post_id")
    per_page = _int_arg("perPage")
    if per_page > common.PER_PAGE_MAX or per_page < 0:
        raise errors.invalid_param("perPage")
    from_create_at = _int_arg("fromCreateAt")
    from_post = flask.request.args.get("fromPost", "")
    if from_post and not from_create_at:
        raise errors.invalid_param("if fromPost is set, then fromCreateAt must also be set")
    from_update_at = _int_arg("fromUpdateAt")
    if from_update_at and from_create_at:
        raise errors.invalid_param("fromUpdateAt", "both fromUpdateAt and fromCreateAt cannot be set")
    updates_only = flask.request.args.get("updatesOnly") == "true"
    if updates_only and not from_update_at:
        raise errors.invalid_param("fromUpdateAt", "fromUpdateAt must be set if updatesOnly is set")
    direction = flask.request.args.get("direction", "")
    if direction not in ("", "up", "down"):
        raise errors.invalid_param("direction")
    if updates_only and direction == "up":
        raise errors.invalid_param("updatesOnly", "updatesOnly flag cannot be used with up direction")
    collapsed = flask.request.args.get("collapsedThreads") == "true"
    skip = flask.request.args.get("skipFetchThreads") == "true"

    post = post_queries.get(post_id)
    if post is None:
        raise _post_missing(post_id)
    _authorized_post(session, post_id)
    others, has_next = post_queries.thread(post, collapsed=collapsed, direction=direction,
                                           from_create_at=from_create_at, from_post=from_post,
                                           from_update_at=from_update_at, per_page=per_page, skip_threads=skip)
    body = _list_json([post] + others, has_next=None if (skip and not collapsed) else has_next)
    return _etag_response(body, store_posts.post_list_etag(config_module.VERSION, body))


def get_posts_for_channel(channel_id, page=0, per_page=60, since=None, before=None, after=None,
                          include_deleted=False, **_):
    """GET /channels/{channel_id}/posts: a page of the channel's posts, newest
    first: by page, changed since a time, or before/after a post; with the
    cursors Mattermost computes and its ETag (not for since)."""
    session = common.session()
    channel_id = common.path_id(channel_id, "channel_id")
    after = after or ""
    before = before or ""
    if after and not is_valid_id(after):
        raise errors.invalid_param("after")
    if before and not is_valid_id(before):
        raise errors.invalid_param("before")
    since = since or 0
    collapsed = _flag("collapsedThreads")
    skip = _flag("skipFetchThreads")
    if include_deleted and not permissions.has(session, "manage_system"):
        raise errors.permission_denied(["read_deleted_posts"])
    channel = permissions.caller_channel(session, channel_id)
    if channel is None:
        raise _channel_missing(channel_id)
    _require_read(session, channel)
    if "per_page" not in flask.request.args:
        per_page = common.PER_PAGE_DEFAULT
    offset, limit = common.paging(page, per_page)
    page = offset // limit if limit else 0

    etag = ""
    if since > 0:
        ordered, extras = post_queries.channel_since(channel_id, since, collapsed)
    else:
        etag = _channel_etag(channel_id, collapsed)
        if flask.request.headers.get("If-None-Match") == etag:
            response = flask.current_app.response_class(status=304)
            response.headers["ETag"] = etag
            return response
        if after or before:
            ordered, extras = post_queries.channel_around(channel_id, after or before, not after, offset, limit,
                                                          include_deleted, collapsed, skip)
        else:
            ordered, extras = post_queries.channel_page(channel_id, offset, limit, include_deleted, collapsed, skip)

    next_id, prev_id = _cursors(channel_id, ordered, after, before, since, page, limit, collapsed)
    body = _list_json(ordered, extras, next_post_id=next_id, prev_post_id=prev_id)
    response = flask.jsonify(body)
    if etag:
        response.headers["ETag"] = etag
    return response


def _cursors(channel_id, ordered, after, before, since, page, per_page, collapsed):
    """Mattermost's AddCursorIdsForPostList: (next_post_id, prev_post_id)."""
    next_id = prev_id = None
    if since > 0:
        next_id = prev_id = ""
    elif after:
        if page == 0:
            prev_id = after
        if len(ordered) < per_page:
            next_id = ""
    elif before:
        if page == 0:
            next_id = before
        if len(ordered) < per_page:
            prev_id = ""
    if next_id is None:
        next_id = post_queries.post_id_around_time(channel_id, ordered[0].create_at, False, collapsed) \
            if ordered else ""
    if prev_id is None:
        prev_id = post_queries.post_id_around_time(channel_id, ordered[-1].create_at, True, collapsed) \
            if ordered else ""
    return next_id, prev_id


def get_posts_around_last_unread(user_id, channel_id, limit_before=60, limit_after=60, **_):
    """GET /users/{user_id}/channels/{channel_id}/posts/unread: the oldest
    unread post of the member with limit_before posts before it and
    limit_after - 1 after it (the newest page when nothing is unread)."""
    session = common.session()
    user_id = common.path_id(user_id, "user_id")
    channel_id = common.path_id(channel_id, "channel_id")
    if not permissions.can_act_on_user(session, user_id):
        raise errors.permission_denied(["edit_other_users"])
    channel = permissions.caller_channel(session, channel_id)
    if channel is None:
        raise _channel_missing(channel_id)
    _require_read(session, channel)
    if not limit_after:
        raise errors.invalid_url_param("limit_after")
    collapsed = flask.request.args.get("collapsedThreads") == "true"
    skip = flask.request.args.get("skipFetchThreads") == "true"
    member = permissions.caller_channel_member(session, channel_id) if user_id == session.user_id \
        else store_channels.get_member(channel_id, user_id)
    if member is None:
        raise errors.AppError(404, "app.channel.get_member.missing.app_error",
                              "The user is not a member of the channel.",
                              "channel_id=%s, user_id=%s" % (channel_id, user_id))
    ordered, extras = [], []
    unread = None
    # No post was made after the channel's last_post_at: a member who viewed
    # the channel since then has nothing unread, and nothing need be looked for.
    if member.last_viewed_at and (channel.last_post_at or 0) > member.last_viewed_at:
        unread = post_queries.post_around_time(channel_id, member.last_viewed_at, False, collapsed)
    # A page shorter than asked for holds every post on its side, so there is
    # no post beyond it to name (and no query to find one).
    more_newer = more_older = True
    if unread is not None:
        unread_id = unread.id
        others, _ = post_queries.thread(unread, collapsed=collapsed, skip_threads=skip)
        extras.extend(others)
        older, older_extras = post_queries.channel_around(channel_id, unread_id, True, 0, limit_before,
                                                          collapsed=collapsed, skip_threads=skip)
        newer, newer_extras = post_queries.channel_around(channel_id, unread_id, False, 0, limit_after - 1,
                                                          collapsed=collapsed, skip_threads=skip)
        ordered = newer + [unread] + older
        extras.extend(older_extras + newer_extras)
        ordered.sort(key=lambda p: (p.create_at, p.id), reverse=True)
        more_newer = len(newer) >= limit_after - 1
        more_older = len(older) >= limit_before
    etag = ""
    if not ordered:
        etag = _channel_etag(channel_id, collapsed)
        if flask.request.headers.get("If-None-Match") == etag:
            response = flask.current_app.response_class(status=304)
            response.headers["ETag"] = etag
            return response
        ordered, extras = post_queries.channel_page(channel_id, 0, limit_before, collapsed=collapsed,
                                                    skip_threads=skip)
        # The newest page: nothing comes after it.
        more_newer = False
        more_older = len(ordered) >= limit_before
    next_id = post_queries.post_id_around_time(channel_id, ordered[0].create_at, False, collapsed) \
        if ordered and more_newer else ""
    prev_id = post_queries.post_id_around_time(channel_id, ordered[-1].create_at, True, collapsed) \
        if ordered and more_older else ""
    response = flask.jsonify(_list_json(ordered, extras, next_post_id=next_id, prev_post_id=prev_id))
    if etag:
        response.headers["ETag"] = etag
    return response


def get_flagged_posts_for_user(user_id, team_id=None, channel_id=None, page=0, per_page=60):
    """GET /users/{user_id}/posts/flagged: the user's flagged posts in
    channels the caller may read, newest first; team_id or channel_id narrow
    them. (Mattermost answers one PostList.)"""
    session = common.session()
    user_id = common.path_id(user_id, "user_id")
    if not permissions.can_act_on_user(session, user_id):
        raise errors.permission_denied(["edit_other_users"])
    if "per_page" not in flask.request.args:
        per_page = common.PER_PAGE_DEFAULT
    offset, limit = common.paging(page, per_page)
    found = post_queries.flagged(user_id, channel_id or "", "" if channel_id else (team_id or ""), offset, limit)
    readable, visible = {}, []
    for post in found:
        if post.channel_id not in readable:
            channel = store_channels.get(post.channel_id)
            readable[post.channel_id] = channel is not None and permissions.can_read_channel(session, channel)
        if readable[post.channel_id]:
            visible.append(post)
    return _list_json(visible)


def get_post_info(post_id):
    """GET /posts/{post_id}/info: the channel and team of a post, for a user
    who may join them (404 for anyone else), as Mattermost's GetPostInfo."""
    session = common.session()
    post_id = common.path_id(post_id, "post_id")
    post = post_queries.get(post_id)
    if post is None:
        raise _post_missing(post_id)
    channel = store_channels.get(post.channel_id)
    if channel is None:
        raise _channel_missing(post.channel_id)
    team = None
    if channel.team_id:
        team = store_teams.get(channel.team_id)
        if team is None:
            raise errors.AppError(404, "app.team.get.find.app_error", "There is no such team.")
        team_member = store_teams.get_member(team.id, session.user_id)
        join = "join_public_teams" if team.type == "O" else "join_private_teams"
        if team_member is None and not permissions.has_team(session, team.id, join):
            raise _post_missing(post_id)
    if channel.type == "O":
        allowed = True
    elif channel.type == "P":
        allowed = permissions.has_channel(session, channel.id, "manage_private_channel_members", channel)
    else:
        allowed = permissions.has_channel(session, channel.id, "read_channel", channel)
    if not allowed:
        raise _post_missing(post_id)
    info = {"channel_id": channel.id, "channel_type": channel.type, "channel_display_name": channel.display_name,
            "has_joined_channel": store_channels.get_member(channel.id, session.user_id) is not None}
    if team is not None:
        info.update(team_id=team.id, team_type=team.type, team_display_name=team.display_name,
                    has_joined_team=store_teams.get_member(team.id, session.user_id) is not None)
    return info


def get_file_infos_for_post(post_id, include_deleted=False):
    """GET /posts/{post_id}/files/info: the post's files (read_channel_content
    in its channel; include_deleted takes manage_system). Honours If-None-Match."""
    session = common.session()
    post_id = common.path_id(post_id, "post_id")
    post = post_queries.get(post_id, include_deleted=True)
    channel = store_channels.get(post.channel_id) if post is not None else None
    if channel is None or not permissions.has_channel(session, channel.id, "read_channel_content", channel):
        raise errors.permission_denied(["read_channel_content"])
    if include_deleted and not permissions.has(session, "manage_system"):
        raise errors.permission_denied(["manage_system"])
    infos = file_infos.for_posts([post_id], include_deleted=bool(include_deleted)).get(post_id, [])
    body = [file_infos.file_info_json(info) for info in infos]
    if infos:
        etag = "%s.%s.%d" % (config_module.VERSION, infos[0].post_id, max(i.update_at for i in infos))
    else:
        etag = config_module.VERSION
    response = _etag_response(body, etag)
    if response.status_code == 200:
        response.headers["Cache-Control"] = "max-age=2592000, private"
    return response


# ---------------------------------------------------------------------------
# Integration actions

def _find_action(post, action_id):
    attachments = (post.props or {}).get("attachments")
    if not isinstance(attachments, list):
        return None
    for attachment in attachments:
        if not isinstance(attachment, dict) or not isinstance(attachment.get("actions"), list):
            continue
        for action in attachment["actions"]:
            if isinstance(action, dict) and action.get("id") == action_id:
                return action
    return None


def _action_failed(detail=""):
    return errors.AppError(400, "api.post.do_action.action_integration.app_error",
                           "The integration behind the action did not answer as it should.", detail)


def _trusted_url(url):
    """Mattermost refuses integration URLs on internal addresses unless
    ServiceSettings.AllowedUntrustedInternalConnections names them."""
    parsed = urllib.parse.urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        return False
    allowed = (_config()["ServiceSettings"].get("AllowedUntrustedInternalConnections") or "").replace(",", " ").split()
    if parsed.hostname in allowed:
        return True
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(parsed.hostname, None)}
    except OSError:
        return False
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if any(ip in ipaddress.ip_network(net, strict=False) for net in allowed if "/" in net):
            continue
        if ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_multicast \
                or ip.is_unspecified:
            return False
    return True


def do_post_action(post_id, action_id):
    """POST /posts/{post_id}/actions/{action_id}: press an integration's
    button or menu: read_channel in the post's channel; an action the post
    does not have is a 404; the integration gets the request and its failure
    is a 400."""
    session = common.session()
    post_id = common.path_id(post_id, "post_id")
    request_body = flask.request.get_json(silent=True)
    request_body = request_body if isinstance(request_body, dict) else {}
    if request_body.get("cookie"):
        # Cookies are sealed with a secret of Mattermost's own; none can be opened here.
        raise _action_failed("cookie")
    post = post_queries.get(post_id, include_deleted=True)
    channel = store_channels.get(post.channel_id) if post is not None else None
    if channel is None or not permissions.has_channel(session, channel.id, "read_channel", channel):
        raise errors.permission_denied(["read_channel"])
    if post.delete_at:
        raise _post_missing(post_id)
    action = _find_action(post, action_id)
    integration = action.get("integration") if action else None
    if not isinstance(integration, dict) or not isinstance(integration.get("url"), str):
        raise errors.AppError(404, "api.post.do_action.action_id.app_error", "The post has no such action.",
                              "action_id=%s" % action_id)
    url = integration["url"]
    if not _trusted_url(url):
        raise _action_failed("url")
    user = store_users.get(session.user_id)
    context = dict(integration.get("context") or {}) if isinstance(integration.get("context"), dict) else {}
    selected = request_body.get("selected_option")
    if action.get("type") == "select" and isinstance(selected, str):
        context["selected_option"] = selected
    team = store_teams.get(channel.team_id) if channel.team_id else None
    payload = {"user_id": session.user_id, "user_name": user.username if user else "",
               "channel_id": channel.id, "channel_name": channel.name, "team_id": channel.team_id,
               "team_domain": team.name if team else "", "post_id": post.id, "trigger_id": "",
               "type": action.get("type") or "", "data_source": action.get("data_source") or "",
               "context": context}
    request = urllib.request.Request(url, data=json.dumps(payload).encode(), method="POST",
                                     headers={"Content-Type": "application/json", "Accept": "application/json"})
    store_db.release()   # the integration may take its time: hold no connection meanwhile
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            if answer.status != 200:
                raise _action_failed("status=%d" % answer.status)
            answer.read(1 << 20)
    except errors.AppError:
        raise
    except Exception as exc:  # the integration's failure is the client's 400, as in Mattermost
        raise _action_failed(type(exc).__name__)
    return {"status": "OK"}


# ---------------------------------------------------------------------------
# AI rewriting and burn-on-read, as a server without them answers

_REWRITE_ACTIONS = ("custom", "shorten", "elaborate", "improve_writing", "fix_spelling", "simplify", "summarize")


def rewrite_post_message(body):
    """POST /posts/rewrite: with no AI agent installed Mattermost's call to
    the agent call fails once the request is valid. Mattermost answers that
    with a 500; no agent can exist here, so it is a 501 with the same id
    (api/DIFFERENCES.md)."""
    if not isinstance(body, dict):
        raise errors.invalid_param("request_body")
    if not is_valid_id(body.get("agent_id") if isinstance(body.get("agent_id"), str) else ""):
        raise errors.invalid_param("agent_id")
    if body.get("action") not in _REWRITE_ACTIONS:
        raise errors.AppError(400, "app.ai.rewrite.invalid_action", "That rewrite action does not exist.",
                              "action=%s" % body.get("action"))
    raise errors.AppError(501, "app.ai.rewrite.agent_call_failed", "No AI agent could rewrite the message.",
                          "no AI agent is installed")


def burn_post(post_id):
    """DELETE /posts/{post_id}/burn: burn-on-read posts cannot be made here,
    so every post the caller may read and belongs to is refused as not one."""
    session = common.session()
    post_id = common.path_id(post_id, "post_id")
    post, _ = _authorized_post(session, post_id)
    if store_channels.get_member(post.channel_id, session.user_id) is None:
        raise errors.AppError(403, "api.post.burn_post.user_not_in_channel.app_error",
                              "Only members of the channel may burn its posts.", "postId=%s" % post_id)
    raise errors.AppError(400, "app.burn_post.not_burn_on_read.app_error",
                          "The post is not a burn-on-read post.", "postId=%s" % post_id)


def reveal_post(post_id):
    """GET /posts/{post_id}/reveal: burn-on-read is off (its feature flag is
    off by default), which Mattermost answers 501."""
    common.path_id(post_id, "post_id")
    raise errors.AppError(501, "api.post.reveal_post.disabled.app_error",
                          "Burn-on-read messages are not enabled on this server.")


from handlers.post_changes import (  # noqa: E402,F401
    delete_post,
    update_post,
    patch_post,
    pin_post,
    unpin_post,
    get_edit_history_for_post,
    restore_post_version,
    save_acknowledgement_for_post,
    delete_acknowledgement_for_post,
    set_post_reminder,
    set_post_unread,
    move_thread,
)
from handlers.search import search_posts, search_posts_in_all_teams  # noqa: E402,F401
