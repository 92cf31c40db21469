"""Channel bookmarks: links and files pinned under a channel's header, as
Mattermost's ChannelBookmarks. Deleting is soft (delete_at), so that clients
asking for the changes since a time learn of deletions too. Editing someone
else's bookmark keeps theirs, deleted, and makes a new one owned by the editor
(original_id names the one it replaced)."""
import base64
import time

from store import models
from store.db import transaction
from store.ids import new_id

MAX_PER_CHANNEL = 50  # Mattermost's MaxBookmarksPerChannel
_B = models.ChannelBookmark


class LimitReached(Exception):
    """The channel has MAX_PER_CHANNEL bookmarks."""


class FileUnusable(Exception):
    """The file does not exist, is elsewhere, or is attached already."""


class NotFound(Exception):
    pass


def _millis():
    return int(time.time() * 1000)


def _file_json(info):
    return {
        "id": info.id, "user_id": info.creator_id, "post_id": info.post_id, "channel_id": info.channel_id,
        "create_at": info.create_at, "update_at": info.update_at, "delete_at": info.delete_at,
        "name": info.name, "extension": info.extension, "size": info.size, "mime_type": info.mime_type,
        "width": info.width, "height": info.height, "has_preview_image": info.has_preview_image,
        "mini_preview": base64.b64encode(bytes(info.mini_preview)).decode() if info.mini_preview else None,
        "remote_id": info.remote_id or "", "archived": info.archived,
    }


def bookmark_json(bookmark, with_file=True):
    body = {
        "id": bookmark.id, "create_at": bookmark.create_at, "update_at": bookmark.update_at,
        "delete_at": bookmark.delete_at, "channel_id": bookmark.channel_id, "owner_id": bookmark.owner_id,
        "file_id": bookmark.file_info_id or "", "display_name": bookmark.display_name,
        "sort_order": bookmark.sort_order, "type": bookmark.type,
    }
    for name, value in (("link_url", bookmark.link_url), ("image_url", bookmark.image_url),
                        ("emoji", bookmark.emoji), ("original_id", bookmark.original_id),
                        ("parent_id", bookmark.parent_id)):
        if value:
            body[name] = value
    if with_file and bookmark.file_info_id:
        info = models.FileInfo.get_or_none(models.FileInfo.id == bookmark.file_info_id)
        if info is not None:
            body["file"] = _file_json(info)
    return body


def get(bookmark_id, include_deleted=False):
    query = _B.select().where(_B.id == bookmark_id)
    if not include_deleted:
        query = query.where(_B.delete_at == 0)
    return query.first()


def for_channel(channel_id, since=0):
    """The channel's bookmarks in order; with since > 0, those changed or
    deleted since then (deleted ones included)."""
    query = _B.select().where(_B.channel_id == channel_id)
    if since > 0:
        query = query.where((_B.update_at >= since) | (_B.delete_at >= since))
    else:
        query = query.where(_B.delete_at == 0)
    return list(query.order_by(_B.sort_order, _B.delete_at, _B.id).limit(MAX_PER_CHANNEL * 2))


def _check_file(file_id, channel_id, except_bookmark=None):
    info = models.FileInfo.get_or_none(models.FileInfo.id == file_id)
    if info is None or info.delete_at or info.post_id or info.channel_id != channel_id:
        raise FileUnusable(file_id)
    taken = _B.select().where((_B.file_info_id == file_id) & (_B.delete_at == 0))
    if except_bookmark is not None:
        taken = taken.where(_B.id != except_bookmark)
    if taken.exists():
        raise FileUnusable(file_id)


def create(fields, owner_id, sort_order=None, original_id=None):
    """Insert a bookmark (fields: channel_id, type, display_name, link_url,
    image_url, emoji, file_id), last in the channel unless sort_order is given."""
    now = _millis()
    with transaction():
        live = _B.select().where((_B.channel_id == fields["channel_id"]) & (_B.delete_at == 0))
        if live.count() >= MAX_PER_CHANNEL:
            raise LimitReached()
        if fields.get("file_id"):
            _check_file(fields["file_id"], fields["channel_id"])
        if sort_order is None:
            last = live.order_by(_B.sort_order.desc()).first()
            sort_order = last.sort_order + 1 if last is not None else 0
        bookmark_id = new_id()
        _B.insert(id=bookmark_id, owner_id=owner_id, channel_id=fields["channel_id"],
                  file_info_id=fields.get("file_id") or None, create_at=now, update_at=now, delete_at=0,
                  display_name=fields["display_name"], sort_order=sort_order,
                  link_url=fields.get("link_url") or None, image_url=fields.get("image_url") or None,
                  emoji=fields.get("emoji") or None, type=fields["type"], original_id=original_id).execute()
    return get(bookmark_id)


def update(bookmark_id, fields):
    """Change the bookmark in place (fields as for create, plus sort_order)."""
    with transaction():
        current = get(bookmark_id)
        if current is None:
            raise NotFound(bookmark_id)
        if fields.get("file_id") and fields["file_id"] != current.file_info_id:
            _check_file(fields["file_id"], current.channel_id, except_bookmark=bookmark_id)
        _B.update(display_name=fields["display_name"], sort_order=fields["sort_order"],
                  link_url=fields.get("link_url") or None, image_url=fields.get("image_url") or None,
                  emoji=fields.get("emoji") or None, file_info_id=fields.get("file_id") or None,
                  update_at=_millis()).where(_B.id == bookmark_id).execute()
    return get(bookmark_id)


def replace(bookmark_id, fields, editor_id):
    """Someone else's edit: delete the bookmark and make the edited copy, owned
    by the editor, in its place. Returns (new, deleted)."""
    with transaction():
        current = get(bookmark_id)
        if current is None:
            raise NotFound(bookmark_id)
        # Deleted first, so that the copy may keep its file and its place in the count.
        deleted = delete(bookmark_id, delete_file=False)
        created = create(dict(fields, channel_id=current.channel_id), editor_id,
                         sort_order=fields["sort_order"], original_id=current.id)
    return created, deleted


def delete(bookmark_id, delete_file=True):
    """Soft-delete the bookmark (and the file it holds). Returns it, deleted."""
    now = _millis()
    with transaction():
        current = get(bookmark_id)
        if current is None:
            raise NotFound(bookmark_id)
        _B.update(delete_at=now, update_at=now).where(_B.id == bookmark_id).execute()
        if delete_file and current.file_info_id:
            models.FileInfo.update(delete_at=now, update_at=now).where(
                models.FileInfo.id == current.file_info_id).execute()
    return get(bookmark_id, include_deleted=True)


def move(bookmark_id, channel_id, index):
    """Put the bookmark at position index among the channel's bookmarks and
    number them all 0, 1, ... Returns them in order."""
    now = _millis()
    with transaction():
        bookmarks = for_channel(channel_id)
        if index > len(bookmarks) - 1 or index < 0:
            raise NotFound(bookmark_id)
        current = next((b for b in bookmarks if b.id == bookmark_id), None)
        if current is None:
            raise NotFound(bookmark_id)
        bookmarks.remove(current)
        bookmarks.insert(index, current)
        for position, bookmark in enumerate(bookmarks):
            _B.update(sort_order=position, update_at=now).where(_B.id == bookmark.id).execute()
    return for_channel(channel_id)
