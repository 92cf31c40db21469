"""File infos: the metadata of uploaded files, in Mattermost's FileInfo shape.
(The bytes are in the file store, store/files.py.)"""
import base64

from store import models
from store.db import Lookup


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


def _for_posts_query(include_deleted):
    FileInfo = models.FileInfo

    def build(a):
        query = FileInfo.select().where(FileInfo.post_id.in_(a[0]))
        if not include_deleted:
            query = query.where(FileInfo.delete_at == 0)
        return query.order_by(FileInfo.create_at, FileInfo.id)
    return Lookup(FileInfo, build)


_FOR_POSTS = {False: _for_posts_query(False), True: _for_posts_query(True)}


def for_posts(post_ids, include_deleted=False):
    """{post id: [FileInfo rows, oldest first]} for the given posts."""
    if not post_ids:
        return {}
    found = {}
    for info in _FOR_POSTS[bool(include_deleted)].all(sorted(set(post_ids))):
        found.setdefault(info.post_id, []).append(info)
    return found


# ---------------------------------------------------------------------------
# Uploading: the bytes go to the file store, the metadata to FileInfo.

import datetime  # noqa: E402
import hashlib  # noqa: E402
import mimetypes  # noqa: E402
import os  # noqa: E402
import time  # noqa: E402

from store import thumbnails  # noqa: E402
from store.db import transaction  # noqa: E402
from store.files import FileStoreError  # noqa: E402
from store.ids import new_id  # noqa: E402

CHUNK = 64 * 1024
NO_TEAM = "noteam"
MAX_EXTRACTED_CONTENT = 1 << 20
# Files whose text is kept for file search (Mattermost's extractor reads more
# kinds, documents included; plain text is what is read here).
_TEXT_EXTENSIONS = {"txt", "md", "markdown", "csv", "tsv", "json", "xml", "yaml", "yml", "log", "ini",
                    "conf", "cfg", "toml", "html", "htm", "css", "js", "ts", "py", "go", "java", "c",
                    "h", "cpp", "rb", "rs", "sh", "sql"}


class FileTooLarge(Exception):
    """More bytes arrived than FileSettings.MaxFileSize allows."""


class BadFilename(Exception):
    """A file name that is empty or names no file once reduced to its base name."""


def now_millis():
    return int(time.time() * 1000)


def get(file_id, include_deleted=False):
    """The FileInfo, or None (deleted ones count as absent unless asked for)."""
    FileInfo = models.FileInfo
    query = FileInfo.select().where(FileInfo.id == file_id)
    if not include_deleted:
        query = query.where(FileInfo.delete_at == 0)
    return query.first()


def sanitize_filename(name):
    """The base name only, as Mattermost keeps it (whatever path a client sends,
    with either separator); control characters are dropped."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch >= " " and ch != "\x7f").strip()
    if name in ("", ".", ".."):
        raise BadFilename(name)
    return name


def extension_and_mime(name):
    """(extension without the dot, lower case; MIME type from the extension)."""
    _, dot, ext = name.rpartition(".")
    if not dot:
        return "", ""
    ext = ext.lower()
    return ext, mimetypes.guess_type("x." + ext, strict=False)[0] or ""


def _disk_name(name, limit=200):
    """The name as stored on disk: at most limit bytes, keeping the extension."""
    if len(name.encode("utf-8", "surrogatepass")) <= limit:
        return name
    stem, dot, ext = name.rpartition(".")
    if not dot or len(ext) > 32:
        stem, ext = name, ""
    suffix = ("." + ext) if ext else ""
    room = limit - len(suffix.encode())
    return stem.encode("utf-8", "surrogatepass")[:room].decode("utf-8", "ignore") + suffix


def path_prefix(when_millis, channel_id, user_id, file_id, team_id=NO_TEAM):
    """Where Mattermost keeps an upload: <yyyymmdd>/teams/<team>/channels/<channel>/users/<user>/<file id>/."""
    day = datetime.datetime.fromtimestamp(when_millis / 1000, datetime.timezone.utc).strftime("%Y%m%d")
    return "%s/teams/%s/channels/%s/users/%s/%s/" % (day, team_id, channel_id, user_id, file_id)


def write_stream(filestore, relative, stream, limit, append=False):
    """Copy stream into the stored file in chunks; stop as soon as more than
    limit bytes have come (the partial file is removed: FileTooLarge). Returns
    the number of bytes written."""
    full = filestore.path(relative)
    written = 0
    try:
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "ab" if append else "wb") as out:
            while True:
                chunk = stream.read(min(CHUNK, limit - written + 1))
                if not chunk:
                    break
                written += len(chunk)
                if written > limit:
                    raise FileTooLarge(relative)
                out.write(chunk)
    except FileTooLarge:
        if not append:
            _remove_quietly(full)
        raise
    except OSError as e:
        if not append:
            _remove_quietly(full)
        raise FileStoreError("cannot write %r: %s" % (relative, e.strerror))
    return written


def _remove_quietly(full):
    try:
        os.remove(full)
    except OSError:
        pass


def remove_files(filestore, *relatives):
    for relative in relatives:
        if relative:
            try:
                _remove_quietly(filestore.path(relative))
            except FileStoreError:
                pass


def upload(filestore, stream, name, channel_id, user_id, max_size, max_pixels, extract_content=True,
           when=None):
    """Store one uploaded file and make its FileInfo (not attached to a post).
    Raises BadFilename, FileTooLarge, thumbnails.TooManyPixels, FileStoreError."""
    name = sanitize_filename(name)
    when = when or now_millis()
    file_id = new_id()
    prefix = path_prefix(when, channel_id, user_id, file_id)
    path = prefix + _disk_name(name)
    size = write_stream(filestore, path, stream, max_size)
    return finish(filestore, file_id, name, path, size, channel_id, user_id, max_pixels, extract_content, when)


def finish(filestore, file_id, name, path, size, channel_id, user_id, max_pixels, extract_content, when,
           remove_rejected=True):
    """The FileInfo of a file already in the store at path: image facts,
    renditions beside it, searchable text; the row is saved."""
    ext, mime = extension_and_mime(name)
    info = models.FileInfo(id=file_id, creator_id=user_id, post_id="", channel_id=channel_id,
                           create_at=when, update_at=when, delete_at=0, path=path, name=name,
                           extension=ext, size=size, mime_type=mime, remote_id="")
    if mime.startswith("image"):
        try:
            facts = thumbnails.examine(filestore.path(path), mime, max_pixels)
        except thumbnails.TooManyPixels:
            if remove_rejected:
                remove_files(filestore, path)
            raise
        if facts is not None:
            _apply_image(filestore, info, facts)
    elif extract_content:
        info.content = _text_content(filestore, path, ext, mime)
    with transaction():
        info.save(force_insert=True)
    return info


def _apply_image(filestore, info, facts):
    info.width, info.height, info.has_preview_image = facts.width, facts.height, facts.has_preview
    if info.mime_type == "image/svg+xml":
        return
    directory = info.path.rsplit("/", 1)[0] + "/"
    stem = _disk_name(info.name).rsplit(".", 1)[0]
    suffix = "png" if info.mime_type == "image/png" else "jpg"
    info.thumbnail_path = directory + stem + "_thumb." + suffix
    info.preview_path = directory + stem + "_preview." + suffix
    if facts.thumbnail is not None:
        filestore.write(info.thumbnail_path, facts.thumbnail)
    if facts.preview is not None:
        filestore.write(info.preview_path, facts.preview)
    info.mini_preview = facts.mini_preview


def _text_content(filestore, path, ext, mime):
    if not (mime.startswith("text/") or ext in _TEXT_EXTENSIONS):
        return ""
    try:
        with open(filestore.path(path), "rb") as f:
            data = f.read(MAX_EXTRACTED_CONTENT)
    except (OSError, FileStoreError):
        return ""
    return data.decode("utf-8", "ignore").replace("\x00", "")


# ---------------------------------------------------------------------------
# Public links.

PUBLIC_LINK_SALT_KEY = "PublicLinkSaltGenerated"


def public_link_salt(configured):
    """FileSettings.PublicLinkSalt, or when it is empty a random salt made once
    and kept in the systems table (Mattermost fills an empty salt at start)."""
    if configured:
        return configured
    System = models.System
    row = System.get_or_none(System.name == PUBLIC_LINK_SALT_KEY)
    if row is not None:
        return row.value
    import secrets
    with transaction():
        System.insert(name=PUBLIC_LINK_SALT_KEY, value=secrets.token_urlsafe(24)).on_conflict_ignore().execute()
    return System.get(System.name == PUBLIC_LINK_SALT_KEY).value


def public_link_hash(file_id, salt):
    """Mattermost's hash: SHA-256 of the salt then the file id, base64url without padding."""
    digest = hashlib.sha256(salt.encode() + file_id.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
