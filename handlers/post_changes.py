"""Handlers for the posts operations that change a post after it is made
(edit, pin, delete, acknowledge, remind, mark unread, move). Re-exported by
handlers/posts.py, where the router looks for them."""
import json
import re
import time

import flask

from api import config as config_module
from api import errors, permissions
from handlers import common
from store import channels as store_channels
from store import post_changes as store_changes
from store import posts as store_posts
from store import preferences as store_preferences
from store import threads as store_threads
from store import users as store_users
from ws import post_events

# Props a client may not set on an edit (Mattermost's SanitizeProps), and the
# ones an edit keeps from the post as it was (PreserveIdentityPropsFrom).
_STRIPPED_PROPS = ("add_channel_member", "force_notification", "silent_notification")
_IDENTITY_PROPS = ("from_bot", "from_webhook", "from_oauth_app", "from_plugin", "silent_notification")


def _millis():
    return int(time.time() * 1000)


def _post_id(value):
    return common.path_id(value, "post_id")


def _single_post(post_id):
    """The post if it exists and is not deleted (Mattermost's GetSinglePost)."""
    return store_posts.get(post_id)


def _post_not_found():
    return errors.AppError(404, "app.post.get.app_error", "The post could not be found.")


def _can_by_post(session, post_id, permission):
    """Mattermost's SessionHasPermissionToChannelByPost: the permission in the
    channel of the post (deleted or not), else system-wide."""
    post = store_changes.get_any(post_id)
    if post is None:
        return permissions.has(session, permission)
    return permissions.has_channel(session, post.channel_id, permission)


def _user_param(user_id):
    """The path user_id ('me' allowed), checked; the caller must be that user or
    may act on other users (edit_other_users)."""
    user_id = common.path_id(user_id, "user_id")
    return user_id


def _require_act_on(session, user_id):
    if session.user_id != user_id and not permissions.can_act_on_user(session, user_id, _roles_of(user_id)):
        raise errors.permission_denied(["edit_other_users"])


def _roles_of(user_id):
    user = store_users.get(user_id)
    return user.roles if user is not None else ""


def _edit_time_limit():
    limit = config_module.current()["ServiceSettings"].get("PostEditTimeLimit", -1)
    return -1 if limit is None else int(limit)


def _check_time_limit(post, message_changes):
    limit = _edit_time_limit()
    if limit != -1 and message_changes and _millis() > post.create_at + limit * 1000:
        raise errors.AppError(400, "api.post.update_post.permissions_time_limit.app_error",
                              "Posts can be edited for only %d seconds after they are made." % limit,
                              "timeLimit=%d" % limit)


def _answer(post):
    return store_posts.posts_json([post])[0]


def _props_value(value):
    """props as a dict: the document types it as a string, so a JSON object
    given as text is read too. None when not given."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = json.loads(value) if value.strip() else {}
        except ValueError:
            raise errors.invalid_param("post", "props is not a JSON object")
    if not isinstance(value, dict):
        raise errors.invalid_param("post", "props is not a JSON object")
    return value


def _new_props(received, old):
    """The props an edit saves: the received ones without those a client may
    not set, with the post's own identity props put back."""
    props = {k: v for k, v in (received or {}).items() if k not in _STRIPPED_PROPS}
    old = old or {}
    for key in _IDENTITY_PROPS:
        if old.get(key) is not None:
            props[key] = old[key]
    return props


def _check_upload(session, post, file_ids):
    """upload_file in the channel when the edit brings files the post did not have."""
    if file_ids is None:
        return
    old = set(store_changes.file_ids_of(post))
    if any(f not in old for f in file_ids) and not permissions.has_channel(session, post.channel_id, "upload_file"):
        raise errors.permission_denied(["upload_file"])


def _check_sizes(message, props, final_files):
    if message is not None and len(message) > store_posts.MESSAGE_MAX_RUNES:
        raise errors.AppError(400, "model.post.is_valid.msg.app_error",
                              "The message is longer than a post may be.")
    if props is not None and len(json.dumps(props, ensure_ascii=False)) > store_posts.PROPS_MAX_USER_RUNES:
        raise errors.AppError(400, "model.post.is_valid.props.app_error", "The post's props are too large.")
    if final_files is not None and len(final_files) > store_posts.MAX_FILES_PER_POST:
        raise errors.AppError(400, "model.post.is_valid.file_ids.app_error", "A post has too many files.")


def _channel_of(post):
    channel = store_channels.get(post.channel_id)
    if channel is None:
        raise errors.AppError(404, "app.channel.get.existing.app_error", "The channel could not be found.")
    return channel


def _system_message(post):
    if (post.type or "").startswith("system_"):
        raise errors.AppError(400, "api.post.update_post.system_message.app_error",
                              "System messages cannot be changed.", "id=%s" % post.id)


def _archived_for_patch(channel):
    if channel.delete_at:
        raise errors.AppError(400, "api.post.patch_post.can_not_update_post_in_deleted.error",
                              "Posts in an archived channel cannot be changed.")


def _list_of_ids(value, name):
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise errors.invalid_param(name)
    return value


def _patch(session, post, message=None, props=None, file_ids=None, is_pinned=None, has_reactions=None,
           restoring=False):
    """Mattermost's PatchPost followed by UpdatePost: the archived channel and
    system message checks, then the change. Returns the saved post."""
    channel = _channel_of(post)
    _archived_for_patch(channel)
    _system_message(post)
    props = _new_props(props if props is not None else post.props, post.props)
    if props == (post.props or {}):
        props = None
    final = store_changes.final_file_ids(post, file_ids, restoring) if file_ids is not None else None
    _check_sizes(message, props, final)
    saved = store_changes.update(post, message=message, props=props, file_ids=file_ids, is_pinned=is_pinned,
                                 has_reactions=has_reactions, restoring=restoring)
    post_events.post_edited(saved)
    return saved


# Edit

def update_post(post_id, body):
    """PUT /posts/{post_id}: replace the post's message, props, pin, reaction
    flag and files (files stay as they were when file_ids is left out)."""
    session = common.session()
    post_id = _post_id(post_id)
    if not isinstance(body, dict):
        raise errors.invalid_param("post")
    if body.get("id") != post_id:
        raise errors.invalid_param("id")
    message = body.get("message")
    if message is not None and not isinstance(message, str):
        raise errors.invalid_param("post")
    props = _props_value(body.get("props"))
    file_ids = _list_of_ids(body.get("file_ids"), "post")
    post = _single_post(post_id)
    if post is None:
        raise errors.permission_denied(["edit_post"])
    permissions.require_channel(session, post.channel_id, "edit_post")
    if file_ids is None:
        file_ids = store_changes.file_ids_of(post)
    _check_upload(session, post, file_ids)
    if session.user_id != post.user_id:
        permissions.require_channel(session, post.channel_id, "edit_others_posts")
    message = message or ""
    _check_time_limit(post, message != post.message)
    _system_message(post)
    channel = _channel_of(post)
    if channel.delete_at:
        raise errors.AppError(400, "api.post.update_post.can_not_update_post_in_deleted.error",
                              "Posts in an archived channel cannot be changed.")
    props = _new_props(props, post.props)
    final = store_changes.final_file_ids(post, file_ids)
    _check_sizes(message, props, final)
    saved = store_changes.update(post, message=message, props=props, file_ids=file_ids,
                                 is_pinned=bool(body.get("is_pinned")), has_reactions=bool(body.get("has_reactions")))
    post_events.post_edited(saved)
    common.audit(session.user_id, "post_id=%s" % post_id)
    return _answer(saved)


def _patch_checks(session, post_id, message_given):
    """Mattermost's postPatchChecks: the post (403 when it is not there), the
    edit permission (edit_post for the author, edit_others_posts otherwise)
    and the edit time limit when the message changes."""
    post = _single_post(post_id)
    if post is None:
        raise errors.permission_denied(["edit_post"])
    permission = "edit_post" if session.user_id == post.user_id else "edit_others_posts"
    permissions.require_channel(session, post.channel_id, permission)
    _check_time_limit(post, message_given)
    return post


def patch_post(post_id, body):
    """PUT /posts/{post_id}/patch: change only the given fields."""
    session = common.session()
    post_id = _post_id(post_id)
    if not isinstance(body, dict):
        raise errors.invalid_param("post")
    message = body.get("message")
    if message is not None and not isinstance(message, str):
        raise errors.invalid_param("post")
    props = _props_value(body.get("props"))
    file_ids = _list_of_ids(body.get("file_ids"), "post")
    is_pinned, has_reactions = body.get("is_pinned"), body.get("has_reactions")
    post = _patch_checks(session, post_id, message is not None)
    _check_upload(session, post, file_ids)
    saved = _patch(session, post, message=message, props=props, file_ids=file_ids,
                   is_pinned=bool(is_pinned) if is_pinned is not None else None,
                   has_reactions=bool(has_reactions) if has_reactions is not None else None)
    common.audit(session.user_id, "post_id=%s" % post_id)
    return _answer(saved)


# Delete

def delete_post(post_id):
    """DELETE /posts/{post_id}: delete the post and its replies (delete_post
    for the author, delete_others_posts otherwise)."""
    session = common.session()
    post_id = _post_id(post_id)
    post = _single_post(post_id)
    if post is None:
        raise _post_not_found()
    permission = "delete_post" if session.user_id == post.user_id else "delete_others_posts"
    permissions.require_channel(session, post.channel_id, permission)
    channel = _channel_of(post)
    if channel.delete_at:
        raise errors.AppError(400, "api.post.delete_post.can_not_delete_post_in_deleted.error",
                              "Posts in an archived channel cannot be deleted.")
    store_changes.delete(post, session.user_id)
    post_events.post_deleted(post, session.user_id)
    common.audit(session.user_id, "post_id=%s" % post_id)
    return {"status": "OK"}


# Pins

def _set_pinned(post_id, pinned):
    session = common.session()
    post_id = _post_id(post_id)
    post = _single_post(post_id)
    if post is None:
        raise errors.permission_denied(["read_channel_content"])
    channel = _channel_of(post)
    if not permissions.can_read_channel(session, channel):
        raise errors.permission_denied(["read_channel_content"])
    _patch(session, post, is_pinned=pinned)
    return {"status": "OK"}


def pin_post(post_id):
    """POST /posts/{post_id}/pin (anyone who can read the channel)."""
    return _set_pinned(post_id, True)


def unpin_post(post_id):
    """POST /posts/{post_id}/unpin (anyone who can read the channel)."""
    return _set_pinned(post_id, False)


# History

def get_edit_history_for_post(post_id):
    """GET /posts/{post_id}/edit_history: the earlier versions, latest edit
    first; only the post's author may see them."""
    session = common.session()
    post_id = _post_id(post_id)
    post = _single_post(post_id)
    if post is None:
        raise errors.permission_denied(["edit_post"])
    permissions.require_channel(session, post.channel_id, "edit_post")
    if session.user_id != post.user_id:
        raise errors.permission_denied(["edit_post"])
    history = store_changes.edit_history(post_id)
    if not history:
        raise _post_not_found()
    return store_posts.posts_json(history, deleted_files=True)


_VERSION_ID = re.compile(r"^[A-Za-z0-9]+$")


def restore_post_version(post_id, restore_version_id):
    """POST /posts/{post_id}/restore/{restore_version_id}: bring back the
    message and files of an earlier version (the author only)."""
    session = common.session()
    post_id = _post_id(post_id)
    if not _VERSION_ID.match(restore_version_id or ""):
        raise errors.unknown_url(flask.request.path)
    version = store_changes.get_any(restore_version_id)
    if version is None or session.user_id != version.user_id:
        raise errors.permission_denied(["edit_post"])
    post = _patch_checks(session, post_id, True)
    if version.original_id != post_id:
        raise errors.AppError(400, "app.post.restore_post_version.not_an_history_item.app_error",
                              "That version is not one of this post's.")
    if version.delete_at == 0:
        raise errors.AppError(400, "app.post.restore_post_version.not_valid_post_history_item.app_error",
                              "That version is not an earlier version of a post.")
    saved = _patch(session, post, message=version.message, file_ids=store_changes.file_ids_of(version),
                   restoring=True)
    common.audit(session.user_id, "post_id=%s restore_version_id=%s" % (post_id, restore_version_id))
    return _answer(saved)


# Acknowledgements: Mattermost answers these only with a Professional
# license, which this server never has.

def save_acknowledgement_for_post(user_id, post_id):
    """POST /users/{user_id}/posts/{post_id}/ack: 501, as an unlicensed server answers."""
    raise errors.AppError(501, "<untranslated>", "This feature is not available without a license.",
                          "feature is not available for the current license")


def delete_acknowledgement_for_post(user_id, post_id):
    """DELETE /users/{user_id}/posts/{post_id}/ack: 501, as an unlicensed server answers."""
    raise errors.AppError(501, "license_error.feature_unavailable",
                          "This feature is not available without a license.",
                          "feature is not available for the current license")


# Reminders and reading state

def set_post_reminder(user_id, post_id, body):
    """POST /users/{user_id}/posts/{post_id}/reminder: remind the user of the
    post at target_time (seconds)."""
    session = common.session()
    post_id = _post_id(post_id)
    user_id = _user_param(user_id)
    _require_act_on(session, user_id)
    if not _can_by_post(session, post_id, "read_channel_content"):
        raise errors.permission_denied(["read_channel_content"])
    target = body.get("target_time") if isinstance(body, dict) else None
    if not isinstance(target, int) or isinstance(target, bool):
        raise errors.invalid_param("target_time")
    if _single_post(post_id) is None:
        raise _post_not_found()
    store_changes.set_reminder(post_id, user_id, target)
    return {"status": "OK"}


def _crt_enabled(user_id):
    """Mattermost's IsCRTEnabledForUser."""
    setting = config_module.current()["ServiceSettings"].get("CollapsedThreads", "always_on")
    if setting == "disabled":
        return False
    if setting == "always_on":
        return True
    enabled = setting == "default_on"
    pref = store_preferences.get(user_id, "display_settings", "collapsed_reply_threads")
    if pref is not None:
        enabled = pref.value == "on"
    return enabled


def _collapsed_threads_supported():
    """The collapsed_threads_supported flag of the JSON body (the document gives
    this operation no body, so it is read here)."""
    body = flask.request.get_json(force=True, silent=True)
    return isinstance(body, dict) and body.get("collapsed_threads_supported") is True


def set_post_unread(user_id, post_id):
    """POST /users/{user_id}/posts/{post_id}/set_unread: mark the channel
    unread for the user from the post on; answers the new reading state."""
    session = common.session()
    post_id = _post_id(post_id)
    user_id = _user_param(user_id)
    supported = _collapsed_threads_supported()
    _require_act_on(session, user_id)
    if not _can_by_post(session, post_id, "read_channel_content"):
        raise errors.permission_denied(["read_channel_content"])
    post = _single_post(post_id)
    if post is None:
        raise _post_not_found()
    user = common.require_user(user_id)
    crt = supported and _crt_enabled(user_id)
    if not crt and post.root_id and _single_post(post.root_id) is None:
        raise _post_not_found()
    channel = _channel_of(post)
    follow = bool(config_module.current()["ServiceSettings"].get("ThreadAutoFollow", True))
    state = store_changes.mark_unread(post, user, channel, crt, follow)
    if state is None:
        raise errors.AppError(404, "app.channel.get_member.missing.app_error",
                              "The user is not a member of that channel, or it is archived.",
                              "channel_id=%s user_id=%s" % (channel.id, user_id))
    if not crt and post.root_id and follow and _crt_enabled(user_id):
        membership = store_threads.get_membership(post.root_id, user_id)
        thread = post_events.user_thread(membership) if membership is not None else None
        if thread is not None:
            post_events.thread_updated(user_id, channel.team_id or "", thread)
    post_events.post_unread(state, post_id)
    return state


# Moving threads

def move_thread(post_id, body=None):
    """POST /posts/{post_id}/move: Mattermost allows this only with a license
    and the MoveThreadsEnabled feature flag; unlicensed it answers 501."""
    _post_id(post_id)
    raise errors.AppError(501, "api.post.move_thread.disabled.app_error",
                          "Moving threads is not available on this server.")
