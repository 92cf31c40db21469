"""Users: create, find, update. Passwords are hashed here (store.passwords)."""
import time

import peewee

from store import models, passwords
from store.db import transaction
from store.ids import new_id


class Conflict(Exception):
    """A unique field (username or email) is taken; .field says which."""

    def __init__(self, field):
        super().__init__(field)
        self.field = field


def _millis():
    return int(time.time() * 1000)


def count(include_deleted=True):
    query = models.User.select()
    if not include_deleted:
        query = query.where(models.User.delete_at == 0)
    return query.count()


def create(fields, password, roles_for_first, roles):
    """Insert a user; the first account on an empty server gets roles_for_first.

    fields holds the profile columns; password is the clear text (hashed here)
    or "" for none. Raises Conflict when the username or email is taken.
    """
    now = _millis()
    with transaction():
        first = not models.User.select().exists()
        row = dict(fields)
        row.update(id=new_id(), create_at=now, update_at=now, last_password_update=now,
                   password=passwords.hash_password(password) if password else "",
                   roles=roles_for_first if first else roles)
        for field in ("username", "email"):
            if models.User.select().where(getattr(models.User, field) == row[field]).exists():
                raise Conflict(field)
        try:
            with transaction():
                models.User.insert(row).execute()
        except peewee.IntegrityError:
            raise Conflict("username")
    return get(row["id"])


def get(user_id):
    return models.User.get_or_none(models.User.id == user_id)


def get_by_username(username):
    return models.User.get_or_none(models.User.username == username.lower())


def get_by_email(email):
    return models.User.get_or_none(models.User.email == email.lower())


def get_many(ids=(), usernames=()):
    query = models.User.select()
    if ids:
        query = query.where(models.User.id.in_(list(ids)))
    else:
        query = query.where(models.User.username.in_([u.lower() for u in usernames]))
    return list(query.order_by(models.User.username))


def get_for_login(login_id, by_username, by_email):
    """The user a login id names: a username or an email, as the config allows."""
    login_id = login_id.lower()
    conditions = []
    if by_username:
        conditions.append(models.User.username == login_id)
    if by_email:
        conditions.append(models.User.email == login_id)
    if not conditions:
        return None
    condition = conditions[0] if len(conditions) == 1 else (conditions[0] | conditions[1])
    return models.User.get_or_none(condition)


def set_failed_attempts(user_id, attempts):
    with transaction():
        models.User.update(failed_attempts=attempts).where(models.User.id == user_id).execute()


def record_login(user_id, at, new_password_hash=None):
    """A successful login: attempts reset, last login set, an outdated hash replaced."""
    values = {models.User.failed_attempts: 0, models.User.last_login: at}
    if new_password_hash:
        values[models.User.password] = new_password_hash
    with transaction():
        models.User.update(values).where(models.User.id == user_id).execute()


def set_password(user_id, password):
    now = _millis()
    with transaction():
        models.User.update(password=passwords.hash_password(password), last_password_update=now,
                           update_at=now, failed_attempts=0).where(models.User.id == user_id).execute()
