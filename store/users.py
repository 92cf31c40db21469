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


def update(user_id, fields):
    """Change profile columns; raises Conflict when a new username or email is taken."""
    fields = dict(fields)
    fields["update_at"] = _millis()
    with transaction():
        for field in ("username", "email"):
            if field in fields and models.User.select().where(
                    (getattr(models.User, field) == fields[field]) & (models.User.id != user_id)).exists():
                raise Conflict(field)
        models.User.update(fields).where(models.User.id == user_id).execute()
    return get(user_id)


def set_active(user_id, active):
    """Deactivate (delete_at = now; the user's sessions end) or reactivate."""
    now = _millis()
    with transaction():
        models.User.update(delete_at=0 if active else now, update_at=now).where(models.User.id == user_id).execute()
        if not active:
            models.Session.delete().where(models.Session.user_id == user_id).execute()


def set_roles(user_id, roles):
    """New system roles for a user, effective at once in their live sessions."""
    with transaction():
        models.User.update(roles=roles, update_at=_millis()).where(models.User.id == user_id).execute()
        models.Session.update(roles=roles).where(models.Session.user_id == user_id).execute()


def _role_condition(role):
    # roles is a space-separated list: match a whole word.
    return ((models.User.roles == role) | models.User.roles.startswith(role + " ")
            | models.User.roles.endswith(" " + role) | models.User.roles.contains(" " + role + " "))


def page(offset, limit, active=None, role=None, sort=""):
    """Users by username (or newest first with sort="create_at"), optionally only
    active (True) or inactive (False) ones, or those with a system role."""
    query = models.User.select()
    if active is True:
        query = query.where(models.User.delete_at == 0)
    elif active is False:
        query = query.where(models.User.delete_at != 0)
    if role:
        query = query.where(_role_condition(role))
    order = models.User.create_at.desc() if sort == "create_at" else models.User.username
    return list(query.order_by(order, models.User.id).offset(offset).limit(limit))


def count_active(include_bots=False):
    query = models.User.select().where(models.User.delete_at == 0)
    if not include_bots:
        query = query.where(models.User.is_bot == False)  # noqa: E712 (peewee expression)
    return query.count()


def search(term, limit, allow_inactive=False, include_email=True):
    """Users whose username, names or nickname (and email, when visible) start
    with term, case-insensitively."""
    term = term.strip().lower().lstrip("@")
    fields = [models.User.username, models.User.first_name, models.User.last_name, models.User.nickname]
    if include_email:
        fields.append(models.User.email)
    condition = None
    for field in fields:
        clause = peewee.fn.LOWER(field).startswith(term)
        condition = clause if condition is None else (condition | clause)
    query = models.User.select().where(condition)
    if not allow_inactive:
        query = query.where(models.User.delete_at == 0)
    return list(query.order_by(models.User.username).limit(limit))


def set_picture_updated(user_id, at):
    with transaction():
        models.User.update(last_picture_update=at, update_at=_millis()).where(models.User.id == user_id).execute()


def set_email_verified(user_id):
    with transaction():
        models.User.update(email_verified=True, update_at=_millis()).where(models.User.id == user_id).execute()


def permanent_delete(user_id):
    """Erase a user and everything that is theirs alone."""
    with transaction():
        for model, column in ((models.Session, models.Session.user_id),
                              (models.UserAccessToken, models.UserAccessToken.user_id),
                              (models.Preference, models.Preference.user_id),
                              (models.Status, models.Status.user_id),
                              (models.Bot, models.Bot.user_id),
                              (models.UserTermsOfService, models.UserTermsOfService.user_id),
                              (models.Audit, models.Audit.user_id)):
            model.delete().where(column == user_id).execute()
        models.User.delete().where(models.User.id == user_id).execute()
