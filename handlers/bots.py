"""Handlers for the 'bots' operations of the document. A bot is a user account
(is_bot) owned by a user, with a description; it cannot log in, but acts
through personal access tokens."""
import flask
import peewee

from api import config as config_module, errors, permissions
from handlers import common
from handlers.users import (_active_changed, _invalid_user, _profile_fields, check_password_policy,
                            publish_user_updated, user_json)
from store import bots as store_bots, passwords, users as store_users


def bot_json(pair):
    bot, user = pair
    body = {"user_id": bot.user_id, "username": user.username, "display_name": user.first_name,
            "description": bot.description, "owner_id": bot.owner_id, "create_at": bot.create_at,
            "update_at": bot.update_at, "delete_at": bot.delete_at}
    if bot.last_icon_update:
        body["last_icon_update"] = bot.last_icon_update
    return body


def _not_found(bot_user_id):
    return errors.AppError(404, "store.sql_bot.get.missing.app_error", "There is no such bot.",
                           "user_id=%s" % bot_user_id)


def _visible_bot(bot_user_id, include_deleted=False):
    """The bot, if the caller may read it; otherwise 404 (a bot is not revealed)."""
    session = common.session()
    pair = store_bots.get(bot_user_id, include_deleted)
    if pair is None:
        raise _not_found(bot_user_id)
    own = pair[0].owner_id == session.user_id
    if not (permissions.has(session, "read_others_bots") or (own and permissions.has(session, "read_bots"))):
        raise _not_found(bot_user_id)
    return pair


def _managed_bot(bot_user_id):
    """The bot, if the caller may change it (manage_bots on their own, manage_others_bots otherwise)."""
    session = common.session()
    pair = store_bots.get(bot_user_id)
    if pair is None:
        raise _not_found(bot_user_id)
    if pair[0].owner_id == session.user_id:
        permissions.require(session, "manage_bots")
    else:
        permissions.require(session, "manage_others_bots")
    return pair


def _bot_name(value):
    username = str(value or "").strip().lower()
    _profile_fields({"username": username, "email": "x@localhost"})  # the user rules for usernames
    return username


def _text(body, name, limit):
    value = body.get(name, "")
    if not isinstance(value, str) or len(value) > limit:
        raise errors.AppError(400, "model.bot.is_valid.%s.app_error" % name, "Invalid %s." % name.replace("_", " "))
    return value


def create_bot(body):
    session = common.session()
    permissions.require(session, "create_bot")
    if not config_module.current()["ServiceSettings"]["EnableBotAccountCreation"]:
        raise errors.AppError(403, "api.bot.create_disabled", "Bot account creation is turned off on this server.")
    caller = store_users.get(session.user_id)
    if caller is not None and caller.is_bot:
        raise errors.AppError(403, "api.bot.create_bot.bot_user", "A bot cannot create bots.")
    username = _bot_name(body.get("username"))
    display_name = _text(body, "display_name", 64)
    description = _text(body, "description", 1024)
    try:
        pair = store_bots.create(username, display_name, description, session.user_id)
    except store_users.Conflict:
        raise errors.AppError(400, "app.user.save.username_exists.app_error",
                              "An account with that username already exists.")
    return bot_json(pair), 201


def get_bots(page=0, per_page=60, include_deleted=False, only_orphaned=False):
    session = common.session()
    if permissions.has(session, "read_others_bots"):
        owner = None
    elif permissions.has(session, "read_bots"):
        owner = session.user_id
    else:
        raise errors.permission_denied(["read_bots"])
    offset, limit = common.paging(page, per_page)
    return [bot_json(p) for p in store_bots.page(offset, limit, owner, bool(include_deleted), bool(only_orphaned))]


def get_bot(bot_user_id, include_deleted=False):
    return bot_json(_visible_bot(bot_user_id, bool(include_deleted)))


def patch_bot(bot_user_id, body):
    before = bot_json(_managed_bot(bot_user_id))
    username = _bot_name(body["username"]) if "username" in body else None
    display_name = _text(body, "display_name", 64) if "display_name" in body else None
    description = _text(body, "description", 1024) if "description" in body else None
    try:
        pair = store_bots.patch(bot_user_id, username, display_name, description)
    except store_users.Conflict:
        raise errors.AppError(400, "app.user.save.username_exists.app_error",
                              "An account with that username already exists.")
    wanted = {"username": username, "display_name": display_name, "description": description}
    if any(value is not None and value != before[name] for name, value in wanted.items()):
        # Mattermost's PatchBot saves (and announces) only a patch that changes something.
        publish_user_updated(pair[1])
    return bot_json(pair)


def disable_bot(bot_user_id):
    return _set_bot_active(bot_user_id, False)


def enable_bot(bot_user_id):
    return _set_bot_active(bot_user_id, True)


def _set_bot_active(bot_user_id, active):
    """Mattermost's UpdateBotActive: the account's UpdateActive (and its
    events) only when its state changes."""
    _, user = _managed_bot(bot_user_id)
    pair = store_bots.set_active(bot_user_id, active)
    if bool(user.delete_at) == active:
        _active_changed(bot_user_id, active)
    return bot_json(pair)


def assign_bot(bot_user_id, user_id):
    _managed_bot(bot_user_id)
    owner = common.require_user(user_id)
    if owner.is_bot:
        raise errors.AppError(400, "api.bot.assign_bot.bot_owner", "A bot cannot own a bot.")
    return bot_json(store_bots.assign(bot_user_id, owner.id))


def convert_user_to_bot(user_id):
    permissions.require(common.session(), "manage_system")
    user = common.require_user(common.user_id(user_id))
    if user.is_bot:
        raise errors.AppError(400, "api.user.convert_user_to_bot.already_bot", "The user is already a bot.")
    return bot_json(store_bots.from_user(user.id, user.id))


def convert_bot_to_user(bot_user_id, body, set_system_admin=False):
    permissions.require(common.session(), "manage_system")
    pair = store_bots.get(bot_user_id)
    if pair is None:
        raise _not_found(bot_user_id)
    bot, user = pair
    password = body.get("password")
    if not isinstance(password, str) or not password:
        raise errors.invalid_body_param("password")
    check_password_policy(password)
    profile = dict(username=body.get("username") or user.username,
                   email=body.get("email") or "", **{k: body[k] for k in ("first_name", "last_name", "nickname",
                                                                          "position", "locale") if k in body})
    if not profile["email"]:
        raise _invalid_user("email")
    fields = _profile_fields(profile)
    fields = {k: fields[k] for k in ("username", "email", "first_name", "last_name", "nickname", "position")}
    roles = "system_admin system_user" if set_system_admin else "system_user"
    try:
        converted = store_bots.to_user(bot.user_id, fields, passwords.hash_password(password), roles)
    except peewee.IntegrityError:  # a username or email another account has
        raise errors.AppError(400, "app.user.save.existing.app_error",
                              "An account with that username or email already exists.")
    return user_json(converted, common.session())


def _route_absent():
    # Mattermost's current server registers no bot icon routes: its unknown-URL 404.
    raise errors.unknown_url(flask.request.path)


def get_bot_icon_image(bot_user_id):
    _route_absent()


def set_bot_icon_image(bot_user_id):
    _route_absent()


def delete_bot_icon_image(bot_user_id):
    _route_absent()
