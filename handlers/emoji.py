"""Handlers for the 'emoji' operations of the document: custom emoji, as
Mattermost's server keeps them (a record, and an image in the file store under
emoji/<id>/image).

With ServiceSettings.EnableCustomEmoji off, Mattermost answers 501 from the
operations that check it themselves (create, list, get, get by name, image)
and 403 from those that leave it to the app layer (search, autocomplete,
delete); so does this server.
"""
import json
import os

import flask

from api import config as config_module, errors, permissions
from handlers import common
from store import emoji as store_emoji, reactions as store_reactions, teams as store_teams
from store.ids import ID_LENGTH, new_id
from ws import post_events

AUTOCOMPLETE_MAX = 100
SEARCH_MAX = 200


# ---------------------------------------------------------------------------
# Helpers

def _enabled():
    return bool(config_module.current()["ServiceSettings"]["EnableCustomEmoji"])


def _disabled(status):
    return errors.AppError(status, "api.emoji.disabled.app_error", "Custom emoji are turned off on this server.")


def _require_enabled_api():
    """The check Mattermost's API layer makes: 501 when turned off."""
    if not _enabled():
        raise _disabled(501)


def _require_enabled_app():
    """The check Mattermost's app layer makes: 403 when turned off."""
    if not _enabled():
        raise _disabled(403)


def _file_store():
    from store.files import FileStore
    return FileStore(config_module.current()["FileSettings"]["Directory"])


def _has_anywhere(session, permission):
    """The permission system-wide, or in any team the caller belongs to."""
    if permissions.has(session, permission):
        return True
    return any(permissions.has_team(session, member.team_id, permission)
               for member in store_teams.memberships(session.user_id))


def _require_anywhere(session, permission):
    if not _has_anywhere(session, permission):
        raise errors.permission_denied([permission])


def _get_or_404(emoji_id):
    emoji = store_emoji.get(emoji_id)
    if emoji is None:
        raise errors.AppError(404, "app.emoji.get.no_result", "There is no emoji with that id.",
                              "id=%s" % emoji_id)
    return emoji


def _too_large():
    return errors.AppError(413, "api.emoji.create.too_large.app_error",
                           "The emoji image is larger than this server accepts (512 KB).")


def _search_json(term, prefix_only, limit):
    return [store_emoji.emoji_json(e) for e in store_emoji.search(term, prefix_only, limit)]


# ---------------------------------------------------------------------------
# Operations

def create_emoji(**_form):
    """Multipart: an 'image' file and an 'emoji' field with the JSON emoji
    (name, creator_id). Mattermost answers 200 with the emoji."""
    _require_enabled_api()
    request = flask.request
    if request.content_length is not None and request.content_length > store_emoji.MAX_FILE_SIZE:
        raise _too_large()
    session = common.session()
    _require_anywhere(session, "create_emojis")
    raw = request.form.get("emoji")
    if not raw:
        raise errors.invalid_param("emoji")
    try:
        fields = json.loads(raw)
    except ValueError:
        raise errors.invalid_param("emoji", "the emoji field is not JSON")
    if not isinstance(fields, dict):
        raise errors.invalid_param("emoji", "the emoji field is not a JSON object")
    name, creator_id = fields.get("name"), fields.get("creator_id")
    if not isinstance(name, (str, type(None))) or not isinstance(creator_id, (str, type(None))):
        raise errors.invalid_param("emoji", "name and creator_id are strings")
    name, creator_id = name or "", creator_id or ""
    if len(creator_id) > ID_LENGTH:
        raise errors.AppError(400, "model.emoji.user_id.app_error", "The emoji's creator id is not valid.")
    if not store_emoji.valid_name_format(name):
        raise errors.AppError(400, "model.emoji.name.app_error",
                              "An emoji name is 1 to 64 letters, digits, '+', '-' or '_'.")
    if store_emoji.is_system_name(name):
        raise errors.AppError(400, "model.emoji.system_emoji_name.app_error",
                              "That name belongs to a system emoji.", "name=%s" % name)
    if creator_id != session.user_id:
        raise errors.AppError(403, "api.emoji.create.other_user.app_error",
                              "You can only create emoji as yourself.")
    if store_emoji.get_by_name(name) is not None:
        raise errors.AppError(400, "api.emoji.create.duplicate.app_error",
                              "A custom emoji with that name already exists.", "name=%s" % name)
    upload = request.files.get("image")
    if upload is None:
        raise errors.invalid_body_param("createEmoji", "the request has no 'image' file part")
    data = upload.read(store_emoji.MAX_FILE_SIZE + 1)
    if len(data) > store_emoji.MAX_FILE_SIZE:
        raise _too_large()
    try:
        data = store_emoji.prepare_image(data)
    except store_emoji.ImageTooLarge as e:
        raise errors.AppError(400, "api.emoji.upload.large_image.too_large.app_error",
                              "An emoji image may be at most %dx%d pixels."
                              % (store_emoji.MAX_ORIGINAL_WIDTH, store_emoji.MAX_ORIGINAL_HEIGHT), str(e))
    except store_emoji.BadImage as e:
        raise errors.AppError(400, "api.emoji.upload.image.app_error",
                              "The file is not an image this server can read.", str(e))
    emoji_id = new_id()
    from store.files import FileStoreError
    try:
        _file_store().write(store_emoji.image_path(emoji_id), data)
    except FileStoreError as e:
        raise errors.AppError(500, "api.file.write_file.app_error", "The image could not be stored.", str(e))
    import peewee
    try:
        emoji = store_emoji.create(emoji_id, name, session.user_id)
    except peewee.IntegrityError:
        raise errors.AppError(400, "api.emoji.create.duplicate.app_error",
                              "A custom emoji with that name already exists.", "name=%s" % name)
    body = store_emoji.emoji_json(emoji)
    post_events.emoji_added(body)
    return body


def get_emoji_list(page=0, per_page=60, sort=""):
    """A page of the custom emoji; sort=name orders them by name."""
    _require_enabled_api()
    sort = sort or ""
    if sort not in ("", store_emoji.SORT_BY_NAME):
        raise errors.invalid_url_param("sort")
    offset, limit = common.paging(page, per_page)
    return [store_emoji.emoji_json(e) for e in store_emoji.list_page(offset, limit, sort)]


def autocomplete_emoji(name=""):
    """Up to 100 custom emoji whose names start with name."""
    if not name:
        raise errors.invalid_url_param("name")
    _require_enabled_app()
    return _search_json(name, True, AUTOCOMPLETE_MAX)


def get_emoji_by_name(emoji_name):
    if not store_emoji.valid_name_format(emoji_name):
        raise errors.invalid_url_param("emoji_name")
    _require_enabled_api()
    emoji = store_emoji.get_by_name(emoji_name)
    if emoji is None:
        raise errors.AppError(404, "app.emoji.get_by_name.no_result", "There is no emoji with that name.",
                              "name=%s" % emoji_name)
    return store_emoji.emoji_json(emoji)


def search_emoji(body):
    """Custom emoji whose names contain the term (or start with it, with
    prefix_only), by name, at most 200."""
    body = body if isinstance(body, dict) else {}
    term = body.get("term")
    if not isinstance(term, str) or not term:
        raise errors.invalid_param("term")
    prefix_only = body.get("prefix_only") is True
    _require_enabled_app()
    return _search_json(term, prefix_only, SEARCH_MAX)


def get_emoji(emoji_id):
    emoji_id = common.path_id(emoji_id, "emoji_id")
    _require_enabled_api()
    return store_emoji.emoji_json(_get_or_404(emoji_id))


def delete_emoji(emoji_id):
    """Delete a custom emoji (delete_emojis; someone else's also needs
    delete_others_emojis), its image, and the reactions that use it."""
    emoji_id = common.path_id(emoji_id, "emoji_id")
    session = common.session()
    _require_enabled_app()
    emoji = _get_or_404(emoji_id)
    _require_anywhere(session, "delete_emojis")
    if emoji.creator_id != session.user_id:
        _require_anywhere(session, "delete_others_emojis")
    if not store_emoji.delete(emoji.id):
        raise errors.AppError(404, "app.emoji.delete.no_results", "There is no emoji with that id.",
                              "id=%s" % emoji.id)
    from store.files import FileStoreError
    files = _file_store()
    try:
        os.replace(files.path(store_emoji.image_path(emoji.id)), files.path(store_emoji.deleted_image_path(emoji.id)))
    except (FileStoreError, OSError):
        pass   # as Mattermost, a missing image does not stop the deletion
    store_reactions.delete_all_with_emoji_name(emoji.name)
    return {"status": "OK"}


def get_emoji_image(emoji_id):
    """The image bytes with their image/<format> content type."""
    emoji_id = common.path_id(emoji_id, "emoji_id")
    _require_enabled_api()
    emoji = _get_or_404(emoji_id)
    from store.files import FileStoreError
    try:
        data = _file_store().read(store_emoji.image_path(emoji.id))
    except FileStoreError:
        data = None
    if data is None:
        raise errors.AppError(404, "api.emoji.get_image.read.app_error", "The emoji's image could not be read.")
    kind = store_emoji.image_format(data)
    if kind is None:
        raise errors.AppError(500, "api.emoji.get_image.decode.app_error", "The emoji's image could not be decoded.")
    response = flask.Response(data, mimetype="image/" + kind)
    response.headers["Cache-Control"] = "max-age=2592000, private"
    return response
