"""Handlers for the 'bookmarks' operations of the document.

Mattermost serves channel bookmarks only with a license: an unlicensed server
answers every bookmark operation, once the session is checked, with 501
(api.channel.bookmark.channel_bookmark.license.error). This server has no
license, so it does the same; the operations behind that answer are built as
Mattermost has them (store/bookmarks.py), for the day it has one.

Who may do what: in public and private channels the add_/edit_/delete_/
order_bookmark_public_channel (or _private_channel) permissions; in direct and
group messages any member who is not a guest. Archived channels refuse changes.
"""
import re
import urllib.parse

import flask

from api import client_config, errors, permissions
from handlers import common
from store import bookmarks as store_bookmarks, channels as store_channels, ids, users as store_users
from ws import channel_events

_ROUTE_ID = re.compile(r"[A-Za-z0-9]+\Z")
MAX_EMOJI = 64
_SURROGATE = re.compile("[\ud800-\udfff]")
MAX_SORT_ORDER = 2 ** 31 - 1  # the column holds 32 bits (Mattermost's holds 64)
# Mattermost's error id segment for each operation.
_OPERATION = {"add": "create_channel_bookmark", "edit": "update_channel_bookmark",
              "delete": "delete_channel_bookmark", "order": "update_channel_bookmark_sort_order"}


def _licensed():
    return client_config.unlicensed()["IsLicensed"] == "true"


def _require_license():
    if not _licensed():
        raise errors.AppError(501, "api.channel.bookmark.channel_bookmark.license.error",
                              "Channel bookmarks need a license this server does not have.")


def _route(*values):
    if not all(_ROUTE_ID.match(v) for v in values):
        raise errors.unknown_url(flask.request.path)


def _channel(channel_id):
    if not ids.is_valid_id(channel_id):
        raise errors.invalid_url_param("channel_id")
    channel = store_channels.get(channel_id)
    if channel is None:
        raise errors.AppError(404, "app.channel.get.existing.app_error", "There is no such channel.",
                              "channel_id=%s" % channel_id)
    return channel


def _may_change(channel, action):
    """The session may add/edit/delete/order bookmarks of the channel, or 403."""
    operation = _OPERATION[action]
    if channel.delete_at:
        raise errors.AppError(403, "api.channel.bookmark.%s.deleted_channel.forbidden.app_error" % operation,
                              "Bookmarks of an archived channel cannot be changed.")
    session = common.session()
    if channel.type in ("O", "P"):
        permission = "%s_bookmark_%s_channel" % (action, "public" if channel.type == "O" else "private")
        permissions.require_channel(session, channel.id, permission, channel)
        return
    if channel.type in ("D", "G"):
        if store_channels.get_member(channel.id, session.user_id) is None:
            raise errors.AppError(403, "api.channel.bookmark.%s.direct_or_group_channels.forbidden.app_error"
                                  % operation, "Only members change the bookmarks of a direct or group message.")
        user = store_users.get(session.user_id)
        if user is None or "system_guest" in user.roles.split():
            raise errors.AppError(
                403, "api.channel.bookmark.%s.direct_or_group_channels_by_guests.forbidden.app_error" % operation,
                "Guests cannot change the bookmarks of a direct or group message.")
        return
    raise errors.AppError(403, "api.channel.bookmark.%s.forbidden.app_error" % operation,
                          "This channel cannot have bookmarks.")


def _may_read(channel):
    permissions.require_read_channel(common.session(), channel)


def _invalid(field, detail=""):
    return errors.AppError(400, "model.channel_bookmark.is_valid.%s.app_error" % field,
                           "The bookmark's %s is missing or invalid." % field.split(".")[0].replace("_", " "),
                           detail)


def _http_url(value):
    try:
        parts = urllib.parse.urlsplit(value)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def _validated(fields):
    """Mattermost's bookmark rules, checked on what would be saved."""
    if not fields.get("display_name"):
        raise _invalid("display_name")
    if fields.get("type") not in ("link", "file"):
        raise _invalid("type")
    if fields["type"] == "link" and not (fields.get("link_url") and _http_url(fields["link_url"])):
        raise _invalid("link_url.missing_or_invalid")
    if fields["type"] == "link" and fields.get("image_url") and not _http_url(fields["image_url"]):
        raise _invalid("image_url")
    if fields["type"] == "file" and not ids.is_valid_id(fields.get("file_id") or ""):
        raise _invalid("file_id.missing_or_invalid")
    if fields.get("image_url") and fields.get("file_id"):
        raise _invalid("link_file")
    if len(fields.get("emoji") or "") > MAX_EMOJI:
        raise _invalid("emoji")
    return fields


def _save_error(exc):
    if isinstance(exc, store_bookmarks.LimitReached):
        return errors.AppError(400, "app.channel.bookmark.save.app_error",
                               "The channel has the most bookmarks it can have (%d)." % store_bookmarks.MAX_PER_CHANNEL)
    return errors.AppError(400, "app.channel.bookmark.save.app_error",
                           "The file cannot be bookmarked: it is not an unattached file of this channel.")


def _text_fields(body, names):
    fields = {}
    for name in names:
        value = body.get(name)
        if value is None:
            continue
        if not isinstance(value, str) or _SURROGATE.search(value):
            raise errors.invalid_param("channelBookmark", "%s must be a string of valid Unicode" % name)
        fields[name] = value
    return fields


def list_channel_bookmarks_for_channel(channel_id, bookmarks_since=0):
    _route(channel_id)
    _require_license()
    channel = _channel(channel_id)
    _may_read(channel)
    since = int(bookmarks_since or 0)
    return [store_bookmarks.bookmark_json(b) for b in store_bookmarks.for_channel(channel.id, since)]


def create_channel_bookmark(channel_id, body):
    _route(channel_id)
    _require_license()
    if not isinstance(body, dict):
        raise errors.invalid_param("channelBookmark")
    fields = _text_fields(body, ("display_name", "type", "link_url", "image_url", "emoji", "file_id"))
    channel = _channel(channel_id)
    _may_change(channel, "add")
    fields = _validated(dict(fields, channel_id=channel.id))
    try:
        bookmark = store_bookmarks.create(fields, common.session().user_id)
    except (store_bookmarks.LimitReached, store_bookmarks.FileUnusable) as exc:
        raise _save_error(exc)
    body = store_bookmarks.bookmark_json(bookmark)
    channel_events.bookmark_created(channel.id, body)
    return body, 201


def _own_bookmark(bookmark_id, channel):
    if not ids.is_valid_id(bookmark_id):
        raise errors.invalid_url_param("bookmark_id")
    bookmark = store_bookmarks.get(bookmark_id)
    if bookmark is None:
        raise errors.AppError(404, "app.channel.bookmark.get.app_error", "There is no such bookmark.",
                              "bookmark_id=%s" % bookmark_id)
    if bookmark.channel_id != channel.id:
        raise errors.invalid_param("channel_id")
    return bookmark


def update_channel_bookmark(channel_id, bookmark_id, body):
    _route(channel_id, bookmark_id)
    _require_license()
    if not isinstance(body, dict):
        raise errors.invalid_param("channelBookmarkPatch")
    patch = _text_fields(body, ("display_name", "link_url", "image_url", "emoji", "file_id"))
    sort_order = body.get("sort_order")
    if sort_order is not None and (isinstance(sort_order, bool) or not isinstance(sort_order, int)
                                   or not 0 <= sort_order <= MAX_SORT_ORDER):
        raise errors.invalid_param("channelBookmarkPatch", "sort_order must be an integer from 0 to %d"
                                   % MAX_SORT_ORDER)
    channel = _channel(channel_id)
    _may_change(channel, "edit")
    bookmark = _own_bookmark(bookmark_id, channel)
    fields = {"display_name": bookmark.display_name, "type": bookmark.type, "link_url": bookmark.link_url,
              "image_url": bookmark.image_url, "emoji": bookmark.emoji, "file_id": bookmark.file_info_id,
              "sort_order": bookmark.sort_order}
    fields.update(patch)
    if sort_order is not None:
        fields["sort_order"] = sort_order
    _validated(fields)
    session = common.session()
    try:
        if bookmark.owner_id == session.user_id:
            answer = {"updated": store_bookmarks.bookmark_json(store_bookmarks.update(bookmark.id, fields))}
        else:
            created, deleted = store_bookmarks.replace(bookmark.id, fields, session.user_id)
            answer = {"updated": store_bookmarks.bookmark_json(created),
                      "deleted": store_bookmarks.bookmark_json(deleted, with_file=False)}
    except (store_bookmarks.LimitReached, store_bookmarks.FileUnusable) as exc:
        raise _save_error(exc)
    except store_bookmarks.NotFound:
        raise errors.AppError(404, "app.channel.bookmark.get_existing.app_err", "There is no such bookmark.")
    channel_events.bookmark_updated(channel.id, answer)
    return answer


def delete_channel_bookmark(channel_id, bookmark_id):
    _route(channel_id, bookmark_id)
    _require_license()
    channel = _channel(channel_id)
    _may_change(channel, "delete")
    bookmark = _own_bookmark(bookmark_id, channel)
    try:
        body = store_bookmarks.bookmark_json(store_bookmarks.delete(bookmark.id))
    except store_bookmarks.NotFound:
        raise errors.AppError(404, "app.channel.bookmark.get.app_error", "There is no such bookmark.")
    channel_events.bookmark_deleted(channel.id, body)
    return body


def update_channel_bookmark_sort_order(channel_id, bookmark_id, body=None):
    _route(channel_id, bookmark_id)
    _require_license()
    if isinstance(body, bool) or not isinstance(body, (int, float)) or body != int(body):
        raise errors.invalid_param("channelBookmarkSortOrder")
    index = int(body)
    if index < 0:
        raise errors.invalid_param("channelBookmarkSortOrder")
    channel = _channel(channel_id)
    _may_change(channel, "order")
    try:
        bookmarks = store_bookmarks.move(bookmark_id, channel.id, index)
    except store_bookmarks.NotFound:
        raise errors.AppError(404, "app.channel.bookmark.update_sort.app_error",
                              "There is no such bookmark, or no such position, in the channel.")
    answer = [store_bookmarks.bookmark_json(b) for b in bookmarks]
    channel_events.bookmarks_sorted(channel.id, answer)
    return answer
