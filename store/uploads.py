"""Resumable uploads (Mattermost's UploadSession): a file announced with its
name and size, then sent in one or more pieces appended at file_offset; the
last piece makes its FileInfo (store/file_infos.py) and ends the session."""
import datetime

from store import file_infos, models
from store.db import transaction
from store.ids import new_id

TYPE_ATTACHMENT = "attachment"
TYPE_IMPORT = "import"
IMPORT_DIRECTORY = "import"
INCOMPLETE_SUFFIX = ".tmp"
# The first piece must be at least this large unless it is the whole file
# (Mattermost's rule, from S3's multipart uploads).
MIN_FIRST_PART = 5 * 1024 * 1024


class Concurrent(Exception):
    """Another request moved the session's offset meanwhile."""


class FirstPartTooSmall(Exception):
    """A first piece below MIN_FIRST_PART that is not the whole file."""


def upload_json(session):
    return {"id": session.id, "type": session.type, "create_at": session.create_at,
            "user_id": session.user_id, "channel_id": session.channel_id, "filename": session.filename,
            "file_size": session.file_size, "file_offset": session.file_offset,
            "remote_id": session.remote_id or "", "req_file_id": session.req_file_id or ""}


def get(upload_id):
    return models.UploadSession.get_or_none(models.UploadSession.id == upload_id)


def for_user(user_id):
    """The user's unfinished upload sessions, oldest first."""
    U = models.UploadSession
    return list(U.select().where(U.user_id == user_id).order_by(U.create_at, U.id))


def create(kind, user_id, channel_id, filename, file_size):
    """A new session. filename must already be a base name."""
    now = file_infos.now_millis()
    upload_id = new_id()
    if kind == TYPE_IMPORT:
        path = "%s/%s_%s" % (IMPORT_DIRECTORY, upload_id, filename)
        channel_id = ""
    else:
        day = datetime.datetime.fromtimestamp(now / 1000, datetime.timezone.utc).strftime("%Y%m%d")
        path = "%s/teams/%s/channels/%s/users/%s/%s/%s" % (day, file_infos.NO_TEAM, channel_id, user_id,
                                                          upload_id, file_infos._disk_name(filename))
    session = models.UploadSession(id=upload_id, type=kind, create_at=now, user_id=user_id,
                                   channel_id=channel_id, filename=filename, path=path,
                                   file_size=file_size, file_offset=0, remote_id="", req_file_id="")
    with transaction():
        session.save(force_insert=True)
    return session


def _data_path(session):
    return session.path + INCOMPLETE_SUFFIX if session.type == TYPE_IMPORT else session.path


def append(filestore, session, stream):
    """Write stream at the session's offset, never past file_size. Returns the
    bytes written. Raises FirstPartTooSmall, Concurrent, FileStoreError."""
    remaining = session.file_size - session.file_offset
    path = _data_path(session)
    first = session.file_offset == 0
    written = 0
    if remaining > 0:
        limited = _Limited(stream, remaining)
        written = file_infos.write_stream(filestore, path, limited, remaining, append=not first)
    if first and written < MIN_FIRST_PART and written != session.file_size:
        file_infos.remove_files(filestore, path)
        raise FirstPartTooSmall(written)
    if written:
        UploadSession = models.UploadSession
        with transaction():
            moved = (UploadSession.update(file_offset=session.file_offset + written)
                     .where(UploadSession.id == session.id, UploadSession.file_offset == session.file_offset)
                     .execute())
        if not moved:
            raise Concurrent(session.id)
        session.file_offset += written
    return written


def complete(filestore, session, max_pixels, extract_content):
    """The FileInfo of a fully received upload; the session is deleted. Raises
    thumbnails.TooManyPixels (the session and its bytes stay)."""
    path = _data_path(session)
    if session.type == TYPE_IMPORT:
        import os
        os.replace(filestore.path(path), filestore.path(session.path))
        path = session.path
    file_id = session.req_file_id or new_id()
    info = file_infos.finish(filestore, file_id, session.filename, path, session.file_size,
                             session.channel_id, session.user_id, max_pixels, extract_content,
                             file_infos.now_millis(), remove_rejected=False)
    with transaction():
        models.UploadSession.delete().where(models.UploadSession.id == session.id).execute()
    return info


class _Limited:
    """A reader that ends after limit bytes (more data is left unread)."""

    def __init__(self, stream, limit):
        self.stream, self.left = stream, limit

    def read(self, size=-1):
        if self.left <= 0:
            return b""
        size = self.left if size is None or size < 0 else min(size, self.left)
        data = self.stream.read(size)
        self.left -= len(data)
        return data
