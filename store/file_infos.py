"""File infos: the metadata of uploaded files, in Mattermost's FileInfo shape.
(The bytes are in the file store, store/files.py.)"""
import base64

from store import models


def file_info_json(info):
    """A FileInfo as clients see it: the storage paths stay on the server."""
    body = {
        "id": info.id, "user_id": info.creator_id, "post_id": info.post_id, "channel_id": info.channel_id,
        "create_at": info.create_at, "update_at": info.update_at, "delete_at": info.delete_at,
        "name": info.name, "extension": info.extension, "size": info.size, "mime_type": info.mime_type,
        "width": info.width, "height": info.height, "has_preview_image": info.has_preview_image,
        "mini_preview": base64.b64encode(bytes(info.mini_preview)).decode() if info.mini_preview else None,
        "remote_id": info.remote_id or "", "archived": bool(info.archived),
    }
    return body


def for_posts(post_ids, include_deleted=False):
    """{post id: [FileInfo rows, oldest first]} for the given posts."""
    if not post_ids:
        return {}
    FileInfo = models.FileInfo
    query = FileInfo.select().where(FileInfo.post_id.in_(list(set(post_ids))))
    if not include_deleted:
        query = query.where(FileInfo.delete_at == 0)
    found = {}
    for info in query.order_by(FileInfo.create_at, FileInfo.id):
        found.setdefault(info.post_id, []).append(info)
    return found
