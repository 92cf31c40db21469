"""Bots: a User with is_bot, and a Bots row for its owner and description."""
import time

from store import models, sessions
from store.db import transaction
from store.ids import new_id
from store.users import Conflict, write


def _millis():
    return int(time.time() * 1000)


def create(username, display_name, description, owner_id):
    """A bot account owned by owner_id. Raises Conflict when the username is taken."""
    now = _millis()
    user_id = new_id()
    with transaction():
        if models.User.select().where(models.User.username == username).exists():
            raise Conflict("username")
        models.User.insert(id=user_id, create_at=now, update_at=now, username=username,
                           email="%s@localhost" % username, first_name=display_name, roles="system_user",
                           is_bot=True, email_verified=True).execute()
        models.Bot.insert(user_id=user_id, description=description, owner_id=owner_id,
                          create_at=now, update_at=now).execute()
    return get(user_id)


def get(user_id, include_deleted=True):
    """(bot row, user row), or None."""
    bot = models.Bot.get_or_none(models.Bot.user_id == user_id)
    if bot is None or (bot.delete_at and not include_deleted):
        return None
    user = models.User.get_or_none(models.User.id == user_id)
    return (bot, user) if user is not None else None


def page(offset, limit, owner_id=None, include_deleted=False, only_orphaned=False):
    query = (models.Bot.select(models.Bot, models.User)
             .join(models.User, on=(models.User.id == models.Bot.user_id), attr="user"))
    if owner_id is not None:
        query = query.where(models.Bot.owner_id == owner_id)
    if not include_deleted:
        query = query.where(models.Bot.delete_at == 0)
    if only_orphaned:
        owners = models.User.alias()
        query = query.where(models.Bot.owner_id.in_(owners.select(owners.id).where(owners.delete_at != 0)))
    return [(row, row.user) for row in query.order_by(models.User.username).offset(offset).limit(limit)]


def patch(user_id, username=None, display_name=None, description=None):
    now = _millis()
    with transaction():
        if username is not None and models.User.select().where(
                (models.User.username == username) & (models.User.id != user_id)).exists():
            raise Conflict("username")
        user_values = {models.User.update_at: now}
        if username is not None:
            user_values[models.User.username] = username
        if display_name is not None:
            user_values[models.User.first_name] = display_name
        write(user_id, user_values)
        bot_values = {models.Bot.update_at: now}
        if description is not None:
            bot_values[models.Bot.description] = description
        models.Bot.update(bot_values).where(models.Bot.user_id == user_id).execute()
    return get(user_id)


def set_active(user_id, active):
    now = _millis()
    with transaction():
        delete_at = 0 if active else now
        models.Bot.update(delete_at=delete_at, update_at=now).where(models.Bot.user_id == user_id).execute()
        write(user_id, delete_at=delete_at, update_at=now)
        if not active:
            sessions.end_for_user(user_id)
    return get(user_id)


def assign(user_id, owner_id):
    with transaction():
        models.Bot.update(owner_id=owner_id, update_at=_millis()).where(models.Bot.user_id == user_id).execute()
    return get(user_id)


def from_user(user_id, owner_id):
    """Make a user account a bot: its sessions end, it can no longer log in."""
    now = _millis()
    with transaction():
        write(user_id, is_bot=True, password="", update_at=now)
        models.Bot.insert(user_id=user_id, owner_id=owner_id, create_at=now, update_at=now).execute()
        sessions.end_for_user(user_id)
    return get(user_id)


def to_user(user_id, fields, password_hash, roles):
    """Make a bot a user account again, with the given profile and password."""
    now = _millis()
    with transaction():
        values = dict(fields)
        values.update(is_bot=False, password=password_hash, roles=roles, update_at=now, last_password_update=now)
        write(user_id, values)
        models.Bot.delete().where(models.Bot.user_id == user_id).execute()
    return models.User.get_by_id(user_id)
