"""Handlers for the 'files' operations of the document: uploading files to
attach to posts, and serving them (the file, its thumbnail and preview, its
metadata, and public links)."""
import hmac
import urllib.parse

import flask

from api import config as config_module
from api import errors, permissions
from handlers import common
from store import db as store_db
from store import file_infos, thumbnails
from store import posts as store_posts
from store.files import FileStore, FileStoreError
from store.ids import is_valid_id

READ_PERMISSION = "read_channel_content"
THUMBNAIL_TYPE = PREVIEW_TYPE = "image/jpeg"
# Served as text/plain: a browser must never run an upload as a page or script.
UNSAFE_CONTENT_TYPES = ("application/javascript", "application/ecmascript", "text/javascript",
                        "text/ecmascript", "application/x-javascript", "text/html")
# Shown inline unless a download is asked for; everything else is an attachment.
MEDIA_CONTENT_TYPES = ("image/jpeg", "image/png", "image/bmp", "image/gif", "image/tiff", "image/webp",
                       "video/avi", "video/mpeg", "video/mp4", "audio/mpeg", "audio/wav")
FORM_FIELD_LIMIT = 10 * 1024


def _settings():
    return config_module.current()["FileSettings"]


def file_store():
    return FileStore(_settings()["Directory"])


# ---------------------------------------------------------------------------
# Uploading.

def _attachments_enabled(status):
    if not _settings()["EnableFileAttachments"]:
        raise errors.AppError(status, "api.file.attachments.disabled.app_error",
                              "File attachments are turned off on this server (FileSettings.EnableFileAttachments).")


def _storage_configured():
    if not _settings()["DriverName"]:
        raise errors.AppError(501, "api.file.upload_file.storage.app_error",
                              "No file storage is configured on this server (FileSettings.DriverName).")


def upload_target(session, channel_id):
    """The channel a caller may upload to: upload_file there (a channel that
    does not exist grants nothing), and not archived."""
    from store import channels as store_channels
    channel = store_channels.get(channel_id)
    if not permissions.has_channel(session, channel_id, "upload_file", channel):
        raise errors.permission_denied(["upload_file"])
    if channel.delete_at:
        raise errors.AppError(400, "app.upload.create.cannot_upload_to_deleted_channel.app_error",
                              "Files cannot be uploaded to an archived channel.", "channel_id=%s" % channel_id)
    return channel


def store_upload(stream, name, channel_id, user_id):
    """One file through store.file_infos.upload, its failures as Mattermost's errors."""
    settings = _settings()
    max_size = int(settings["MaxFileSize"])
    try:
        return file_infos.upload(file_store(), stream, name, channel_id, user_id, max_size,
                                 int(settings["MaxImageResolution"]), bool(settings["ExtractContent"]))
    except file_infos.BadFilename:
        raise errors.invalid_param("filename", "the file name %r names no file" % name)
    except file_infos.FileTooLarge:
        raise too_large(name, max_size)
    except thumbnails.TooManyPixels as e:
        raise errors.AppError(400, "api.file.upload_file.large_image_detailed.app_error",
                              "The image is larger than this server accepts (FileSettings.MaxImageResolution).",
                              "%s is %dx%d" % (name, e.width, e.height))
    except FileStoreError as e:
        raise errors.AppError(500, "api.file.write_file.app_error", "The file could not be stored.", str(e))


def too_large(name, limit):
    return errors.AppError(413, "api.file.upload_file.too_large_detailed.app_error",
                           "The file is larger than this server accepts (FileSettings.MaxFileSize).",
                           "%s is over the limit of %d bytes" % (name, limit))


def _channel_param(value, multipart_value=None):
    if value is None:
        value = multipart_value
    if value is None or value == "":
        return None
    if not is_valid_id(value):
        raise errors.invalid_url_param("channel_id")
    return value


def upload_file(**_):
    """POST /api/v4/files: multipart (channel_id, files, client_ids) or a raw
    body with channel_id and filename in the query. 201 with the new FileInfos."""
    _attachments_enabled(403)
    request = flask.request
    session = common.session()
    if request.content_length == 0 or (request.content_length is None
                                       and "HTTP_TRANSFER_ENCODING" not in request.environ):
        raise errors.AppError(400, "api.file.upload_file.read_request.app_error",
                              "The request has no file in its body.", "Content-Length should not be 0")
    if request.mimetype == "multipart/form-data":
        if not request.mimetype_params.get("boundary"):
            raise errors.AppError(400, "api.file.upload_file.read_request.app_error",
                                  "The multipart request has no boundary.")
        return _upload_multipart(request, session), 201
    return _upload_simple(request, session), 201


def _upload_simple(request, session):
    channel_id = request.args.get("channel_id", "")
    if not is_valid_id(channel_id):
        raise errors.invalid_url_param("channel_id")
    filename = request.args.get("filename", "")
    if not filename:
        raise errors.invalid_url_param("filename")
    upload_target(session, channel_id)
    client_id = request.args.get("client_id", "")
    _storage_configured()
    limit = int(_settings()["MaxFileSize"])
    if request.content_length is not None and request.content_length > limit:
        raise too_large(filename, limit)
    store_db.release()   # the body may be slow to arrive: hold no connection meanwhile
    info = store_upload(common.raw_body(request), filename, channel_id, session.user_id)
    return {"file_infos": [file_infos.file_info_json(info)], "client_ids": [client_id] if client_id else []}


def _upload_multipart(request, session):
    form, files = request.form, request.files
    query_channel = request.args.get("channel_id")
    form_channels = form.getlist("channel_id")
    for value in form_channels:
        if query_channel not in (None, "") and value != query_channel:
            raise errors.AppError(400, "api.file.upload_file.multiple_channel_ids.app_error",
                                  "The request names more than one channel.")
    for name in form.keys():
        if name not in ("channel_id", "client_ids"):
            raise errors.invalid_param(name, "unexpected form field")
    channel_id = _channel_param(query_channel or None, next((v for v in form_channels if v), None))
    if channel_id is None:
        raise errors.invalid_param("channel_id")
    uploads = [storage for _, storage in files.items(multi=True)]
    client_ids = [value[:FORM_FIELD_LIMIT] for value in form.getlist("client_ids")]
    upload_target(session, channel_id)
    if client_ids and len(client_ids) != len(uploads):
        raise errors.AppError(400, "api.file.upload_file.incorrect_number_of_client_ids.app_error",
                              "Send one client id for each file, or none.",
                              "%d client ids for %d files" % (len(client_ids), len(uploads)))
    if uploads:
        _storage_configured()
    infos = [store_upload(storage.stream, storage.filename or "", channel_id, session.user_id)
             for storage in uploads]
    return {"file_infos": [file_infos.file_info_json(info) for info in infos], "client_ids": client_ids}


# ---------------------------------------------------------------------------
# Reading.

def readable_info(file_id):
    """The FileInfo if the caller may see it: its uploader, or whoever may read
    the channel of the post it is attached to (an unattached file only by its
    uploader, or by someone holding the permission system-wide)."""
    session = common.session()
    file_id = common.path_id(file_id, "file_id")
    info = file_infos.get(file_id)
    if info is None:
        raise errors.AppError(404, "app.file_info.get.app_error", "There is no such file.", "file_id=%s" % file_id)
    if info.creator_id != session.user_id and not _may_read(session, info.post_id):
        raise errors.permission_denied([READ_PERMISSION])
    return info


def _may_read(session, post_id):
    post = store_posts.get(post_id) if post_id else None
    if post is None:
        return permissions.has(session, READ_PERMISSION)
    return permissions.has_channel(session, post.channel_id, READ_PERMISSION)


def _download_param():
    return flask.request.args.get("download", "").strip().lower() in ("1", "t", "true")


def serve(relative, name, content_type, update_at, download):
    """A stored file as Mattermost sends one: safe content type, inline only
    for media, never framed; ranges and If-Modified-Since are honoured."""
    try:
        full = file_store().path(relative)
        handle = open(full, "rb")
    except (FileStoreError, OSError):
        raise errors.AppError(404, "api.file.file_reader.app_error", "The stored file could not be read.",
                              "path=%s" % relative)
    if not content_type:
        content_type = "application/octet-stream"
    elif content_type.startswith(UNSAFE_CONTENT_TYPES):
        content_type = "text/plain"
    inline = not download and content_type.startswith(MEDIA_CONTENT_TYPES)
    response = flask.send_file(handle, mimetype=content_type, conditional=True, etag=False,
                               last_modified=update_at / 1000.0, max_age=None)
    escaped = urllib.parse.quote(name, safe="$&+:=@")
    response.headers["Content-Disposition"] = '%s;filename="%s"; filename*=UTF-8\'\'%s' % (
        "inline" if inline else "attachment", escaped, escaped)
    response.headers["Cache-Control"] = "private, max-age=86400"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Content-Security-Policy"] = "Frame-ancestors 'none'"
    return response


def get_file(file_id):
    """GET /api/v4/files/{file_id}: the file; ?download=true makes it an attachment."""
    info = readable_info(file_id)
    return serve(info.path, info.name, info.mime_type, info.update_at, _download_param())


def get_file_thumbnail(file_id):
    info = readable_info(file_id)
    if not info.thumbnail_path:
        raise errors.AppError(400, "api.file.get_file_thumbnail.no_thumbnail.app_error",
                              "The file has no thumbnail.", "file_id=%s" % info.id)
    return serve(info.thumbnail_path, info.name, THUMBNAIL_TYPE, info.update_at, _download_param())


def get_file_preview(file_id):
    info = readable_info(file_id)
    if not info.preview_path:
        raise errors.AppError(400, "api.file.get_file_preview.no_preview.app_error",
                              "The file has no preview image.", "file_id=%s" % info.id)
    return serve(info.preview_path, info.name, PREVIEW_TYPE, info.update_at, _download_param())


def get_file_info(file_id):
    info = readable_info(file_id)
    return file_infos.file_info_json(info), 200, {"Cache-Control": "max-age=2592000, private"}


# ---------------------------------------------------------------------------
# Public links.

def _public_links_enabled():
    if not _settings()["EnablePublicLink"]:
        raise errors.AppError(403, "api.file.get_public_link.disabled.app_error",
                              "Public links are turned off on this server (FileSettings.EnablePublicLink).")


def _site_url():
    return (config_module.current()["ServiceSettings"]["SiteURL"] or flask.request.host_url).rstrip("/")


def public_hash(file_id):
    return file_infos.public_link_hash(file_id, file_infos.public_link_salt(_settings()["PublicLinkSalt"]))


def get_file_link(file_id):
    """GET /api/v4/files/{file_id}/link: a link that needs no session."""
    file_id = common.path_id(file_id, "file_id")
    _public_links_enabled()
    info = readable_info(file_id)
    if not info.post_id:
        raise errors.AppError(400, "api.file.get_public_link.no_post.app_error",
                              "Only files attached to a post have public links.", "file_id=%s" % info.id)
    return {"link": "%s/files/%s/public?h=%s" % (_site_url(), info.id, public_hash(info.id))}


def get_file_public(file_id, h=None):
    """GET /files/{file_id}/public?h=: no session; the hash is the key."""
    file_id = common.path_id(file_id, "file_id")
    _public_links_enabled()
    info = file_infos.get(file_id)
    if info is None:
        raise errors.AppError(404, "app.file_info.get.app_error", "There is no such file.", "file_id=%s" % file_id)
    if not h or not hmac.compare_digest(h.encode("utf-8", "surrogatepass"), public_hash(info.id).encode()):
        raise errors.AppError(400, "api.file.get_file.public_invalid.app_error",
                              "The public link is not valid.")
    return serve(info.path, info.name, info.mime_type, info.update_at, False)
