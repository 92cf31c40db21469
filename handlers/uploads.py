"""Handlers for the 'uploads' operations of the document: resumable uploads."""
import io

import flask

from api import errors, permissions
from handlers import common
from handlers import files as file_handlers
from store import file_infos, thumbnails
from store import uploads as store_uploads
from store.files import FileStoreError


def create_upload(body):
    """POST /api/v4/uploads {channel_id, filename, file_size[, type]}: 201 with the session."""
    file_handlers._attachments_enabled(501)
    session = common.session()
    body = body if isinstance(body, dict) else {}
    kind = body.get("type")
    channel_id = body.get("channel_id") if isinstance(body.get("channel_id"), str) else ""
    if kind == store_uploads.TYPE_IMPORT:
        if not permissions.is_system_admin(session):
            raise errors.permission_denied(["manage_system"])
    else:
        kind = store_uploads.TYPE_ATTACHMENT
        from store import channels as store_channels
        if not permissions.has_channel(session, channel_id, "upload_file", store_channels.get(channel_id)
                                       if channel_id else None):
            raise errors.permission_denied(["upload_file"])
    file_size = body.get("file_size")
    if isinstance(file_size, int) and file_size > int(file_handlers._settings()["MaxFileSize"]):
        raise errors.AppError(413, "api.upload.create.upload_too_large.app_error",
                              "The file is larger than this server accepts (FileSettings.MaxFileSize).",
                              "channel_id=%s" % channel_id)
    if not isinstance(file_size, int) or file_size <= 0:
        raise _invalid("file_size", "the file size must be positive")
    try:
        filename = file_infos.sanitize_filename(body.get("filename") if isinstance(body.get("filename"), str) else "")
    except file_infos.BadFilename:
        raise _invalid("filename", "the file name names no file")
    if kind == store_uploads.TYPE_ATTACHMENT:
        _attachable_channel(channel_id)
    upload = store_uploads.create(kind, session.user_id, channel_id, filename, file_size)
    return store_uploads.upload_json(upload), 201


def _invalid(field, detail):
    return errors.AppError(400, "model.upload_session.is_valid.%s.app_error" % field,
                           "The upload's %s is invalid." % field.replace("_", " "), detail)


def _attachable_channel(channel_id):
    from store import channels as store_channels
    channel = store_channels.get(channel_id)
    if channel is None:
        raise errors.AppError(400, "app.upload.create.incorrect_channel_id.app_error",
                              "There is no such channel to upload to.", "channel_id=%s" % channel_id)
    if channel.delete_at:
        raise errors.AppError(400, "app.upload.create.cannot_upload_to_deleted_channel.app_error",
                              "Files cannot be uploaded to an archived channel.", "channel_id=%s" % channel_id)


def _require_upload(upload_id):
    upload_id = common.path_id(upload_id, "upload_id")
    upload = store_uploads.get(upload_id)
    if upload is None:
        raise errors.AppError(404, "app.upload.get.app_error", "There is no such upload.", "upload_id=%s" % upload_id)
    return upload


def get_upload(upload_id):
    """GET /api/v4/uploads/{upload_id}: its owner (or a system admin) sees how far it got."""
    session = common.session()
    upload = _require_upload(upload_id)
    if upload.user_id != session.user_id and not permissions.is_system_admin(session):
        raise errors.AppError(403, "api.upload.get_upload.forbidden.app_error",
                              "Only the user who started an upload may see it.")
    return store_uploads.upload_json(upload)


def upload_data(upload_id, **_):
    """POST /api/v4/uploads/{upload_id}: the next piece (raw body, or the first
    part of a multipart body). 204 while more is expected; the FileInfo (200,
    as Mattermost answers) once the file is complete."""
    file_handlers._attachments_enabled(501)
    session = common.session()
    upload = _require_upload(upload_id)
    if upload.type == store_uploads.TYPE_IMPORT:
        if not permissions.is_system_admin(session):
            raise errors.permission_denied(["manage_system"])
    elif upload.user_id != session.user_id or not permissions.has_channel(session, upload.channel_id, "upload_file"):
        raise errors.permission_denied(["upload_file"])
    stream = _piece(flask.request, upload)
    store = file_handlers.file_store()
    try:
        store_uploads.append(store, upload, stream)
    except store_uploads.FirstPartTooSmall:
        raise errors.AppError(400, "app.upload.upload_data.first_part_too_small.app_error",
                              "The first piece of an upload must be at least %d bytes unless it is the whole file."
                              % store_uploads.MIN_FIRST_PART)
    except store_uploads.Concurrent:
        raise errors.AppError(400, "app.upload.upload_data.concurrent.app_error",
                              "Another request is sending data to this upload.")
    except FileStoreError as e:
        raise errors.AppError(500, "api.file.append_file.app_error", "The data could not be stored.", str(e))
    if upload.file_offset != upload.file_size:
        return flask.Response(status=204)
    settings = file_handlers._settings()
    try:
        info = store_uploads.complete(store, upload, int(settings["MaxImageResolution"]),
                                      bool(settings["ExtractContent"]))
    except thumbnails.TooManyPixels as e:
        raise errors.AppError(400, "app.upload.upload_data.large_image.app_error",
                              "The image is larger than this server accepts (FileSettings.MaxImageResolution).",
                              "%s is %dx%d" % (upload.filename, e.width, e.height))
    except (FileStoreError, OSError) as e:
        raise errors.AppError(500, "app.upload.upload_data.read_file.app_error", "The uploaded file could not be read.",
                              str(e))
    return file_infos.file_info_json(info)


def _piece(request, upload):
    """The bytes to append: the first part of a multipart body, else the body."""
    if request.mimetype.startswith("multipart/"):
        if request.mimetype != "multipart/form-data" or not request.mimetype_params.get("boundary"):
            raise errors.AppError(400, "api.upload.upload_data.invalid_content_type",
                                  "The multipart body has no boundary.")
        for _, storage in request.files.items(multi=True):
            return storage.stream
        for _, value in request.form.items(multi=True):
            return io.BytesIO(value.encode("utf-8"))
        raise errors.AppError(400, "api.upload.upload_data.multipart_error", "The multipart body has no part.")
    if request.content_length is not None and request.content_length > upload.file_size - upload.file_offset:
        raise errors.AppError(400, "api.upload.upload_data.invalid_content_length",
                              "The body is longer than what is left of the upload.")
    return common.raw_body(request)
