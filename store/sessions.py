"""Sessions: the token a login gives, stored as in Mattermost's Sessions table.

Every request looks its session up by token, so each process keeps the rows it
read in a cache (as Mattermost's session cache), for at most CACHE_SECONDS.
Whatever ends or changes sessions here tells every process to drop them
(`_ended`, `_changed`: internal events through the bus, after commit), and
drops them from this process's cache at once.
"""
import time

from store import models
from store.cache import RowCache
from store.db import Lookup, transaction
from store.ids import new_id

MAX_SESSIONS_PER_USER = 500  # Mattermost revokes the least recently used beyond this
CACHE_SECONDS = 60
CACHE_SIZE = 20000


_cache = RowCache("sessions", CACHE_SECONDS, CACHE_SIZE)   # token -> session row


def forget_cached(session_ids=(), user_id="", everyone=False):
    """Drop sessions from this process's cache (the listener of the events below)."""
    session_ids = set(session_ids)
    _cache.forget(where=lambda row: row.id in session_ids or bool(user_id and row.user_id == user_id),
                  everyone=everyone)


def _ended(**which):
    """The sessions are gone: out of this process's cache now; after commit,
    every process drops them and the websockets of them hear no more (ws.hub)."""
    from ws import hub
    forget_cached(**which)
    hub.publish_sessions_revoked(**which)


def _changed(**which):
    """The sessions' rows changed (roles, device, props): every process reads
    them again."""
    from ws import hub
    forget_cached(**which)
    hub.publish_sessions_changed(**which)


def _millis():
    return int(time.time() * 1000)


def create(user_id, roles, expires_in_ms, device_id="", props=None, token=None):
    """A new session; with a device id, the user's other sessions on that device end.
    token is given for a personal access token's session (it is the token)."""
    now = _millis()
    row = {"id": new_id(), "token": token or new_id(), "create_at": now, "last_activity_at": now,
           "expires_at": now + expires_in_ms, "user_id": user_id, "roles": roles,
           "device_id": device_id, "props": props or {}}
    with transaction():
        ids = []
        if device_id:
            ids = [s.id for s in models.Session.select(models.Session.id).where(
                (models.Session.user_id == user_id) & (models.Session.device_id == device_id))]
        models.Session.insert(row).execute()
        surplus = (models.Session.select(models.Session.id).where(models.Session.user_id == user_id)
                   .order_by(models.Session.last_activity_at.desc()).offset(MAX_SESSIONS_PER_USER))
        ids += [s.id for s in surplus]
        if ids:
            models.Session.delete().where(models.Session.id.in_(ids)).execute()
            _ended(session_ids=ids)
    return models.Session.get_by_id(row["id"])


_BY_TOKEN = Lookup(models.Session, lambda a: models.Session.select().where(models.Session.token == a[0]).limit(1))


def get_by_token(token, fresh=False):
    """The session of a token, from this process's cache unless fresh (every
    request asks). The row is shared: change it only through this module."""
    if not isinstance(token, str):
        return None
    return _cache.read(token, _BY_TOKEN.first, fresh)


def get(session_id):
    return models.Session.get_or_none(models.Session.id == session_id)


def for_user(user_id):
    return list(models.Session.select().where(models.Session.user_id == user_id)
                .order_by(models.Session.last_activity_at.desc()))


def revoke(session_id):
    with transaction():
        _ended(session_ids=[session_id])
        return models.Session.delete().where(models.Session.id == session_id).execute()


def revoke_for_user(user_id):
    with transaction():
        _ended(user_id=user_id)
        return models.Session.delete().where(models.Session.user_id == user_id).execute()


def revoke_all():
    with transaction():
        _ended(everyone=True)
        return models.Session.delete().execute()


def touch(row, at, expires_at=None):
    """Record activity on a session row (and, when given, a new expiry); the
    row (cached) says so too. Other processes' copies are older: a decision to
    end a session is taken on a fresh read (api.sessions.lookup)."""
    values = {models.Session.last_activity_at: at}
    if expires_at is not None:
        values[models.Session.expires_at] = expires_at
    with transaction():
        models.Session.update(values).where(models.Session.id == row.id).execute()
    row.last_activity_at = at
    if expires_at is not None:
        row.expires_at = expires_at


def end_for_user(user_id):
    """Delete every session of a user (deactivation, becoming a bot)."""
    with transaction():
        _ended(user_id=user_id)
        models.Session.delete().where(models.Session.user_id == user_id).execute()


def set_roles_for_user(user_id, roles):
    """The user's live sessions carry these system roles from now on."""
    with transaction():
        models.Session.update(roles=roles).where(models.Session.user_id == user_id).execute()
        _changed(user_id=user_id)


def attach_device(session_id, user_id, device_id, props, expires_at):
    """Record a mobile device on a session; other sessions of that device end.
    False when the session no longer exists."""
    with transaction():
        row = models.Session.get_or_none(models.Session.id == session_id)
        if row is None:
            return False
        if device_id:
            others = [s.id for s in models.Session.select(models.Session.id).where(
                (models.Session.user_id == user_id) & (models.Session.device_id == device_id)
                & (models.Session.id != session_id))]
            if others:
                models.Session.delete().where(models.Session.id.in_(others)).execute()
                _ended(session_ids=others)
        merged = dict(row.props or {})
        merged.update(props)
        models.Session.update(device_id=device_id or row.device_id, props=merged,
                              expires_at=expires_at).where(models.Session.id == session_id).execute()
        _changed(session_ids=[session_id])
    return True
