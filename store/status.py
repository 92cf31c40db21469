"""Presence and custom statuses: the Status table, the custom status kept in a
user's props, and the recent custom statuses kept as a preference.

Presence rows are Mattermost's: status, manual, last_activity_at (ms),
dnd_end_time (seconds, as Mattermost keeps it) and prev_status (what a timed
do-not-disturb goes back to). A user without a row is offline; callers decide
what to write, these functions only read and write atomically.
"""
import time

from store import models, users
from store.db import Lookup, transaction

_S = models.Status
_P = models.Preference
_U = models.User

CUSTOM_STATUS_PROP = "customStatus"
RECENT_CATEGORY = "custom_status"
RECENT_NAME = "recent_custom_statuses"
AUTO_RESPONDER_PROP = "auto_responder_active"

_CHUNK = 500  # ids per IN (...) query: well under SQLite's variable limit


def _millis():
    return int(time.time() * 1000)


def _as_dict(row):
    return {"user_id": row.user_id, "status": row.status, "manual": bool(row.manual),
            "last_activity_at": row.last_activity_at, "dnd_end_time": row.dnd_end_time,
            "prev_status": row.prev_status}


def _expire_dnd(user_ids, now_seconds):
    """Timed do-not-disturb that has run out goes back to the status it replaced,
    as Mattermost's once-a-minute job does; here it happens when the rows are read."""
    expired = (_S.status == "dnd") & (_S.dnd_end_time > 0) & (_S.dnd_end_time <= now_seconds)
    with transaction():
        for start in range(0, len(user_ids), _CHUNK):
            (_S.update({_S.status: _S.prev_status, _S.prev_status: "dnd", _S.dnd_end_time: 0,
                        _S.manual: False})
             .where(expired & _S.user_id.in_(user_ids[start:start + _CHUNK])).execute())


_BY_IDS = Lookup(_S, lambda a: _S.select().where(_S.user_id.in_(a[0])))


def _rows(user_ids):
    rows = []
    for start in range(0, len(user_ids), _CHUNK):
        rows.extend(_BY_IDS.all(user_ids[start:start + _CHUNK]))
    return rows


def get_many(user_ids):
    """The stored statuses (dicts) of the given users, ordered by user id; users
    without a row are left out. A timed do-not-disturb that has run out is
    ended first (checked on the rows read: no extra query when none has)."""
    user_ids = [u for u in user_ids if isinstance(u, str)]
    now = int(time.time())
    rows = _rows(user_ids)
    ended = [r.user_id for r in rows if r.status == "dnd" and 0 < r.dnd_end_time <= now]
    if ended:
        _expire_dnd(ended, now)
        rows = _rows(user_ids)
    return sorted((_as_dict(r) for r in rows), key=lambda s: s["user_id"])


def get(user_id):
    """A user's stored status (dict), or None."""
    found = get_many([user_id])
    return found[0] if found else None


def change(user_id, compute):
    """Read the user's status and write what compute(current) returns, in one
    transaction. current is the stored dict or None; compute returns the full new
    dict (user_id, status, manual, last_activity_at, dnd_end_time, prev_status) or
    None to write nothing. Returns what was written (or None)."""
    with transaction():
        row = _S.get_or_none(_S.user_id == user_id)
        new = compute(_as_dict(row) if row is not None else None)
        if new is None:
            return None
        values = {"status": new["status"], "manual": bool(new["manual"]),
                  "last_activity_at": int(new["last_activity_at"]),
                  "dnd_end_time": int(new["dnd_end_time"]), "prev_status": new["prev_status"]}
        (_S.insert(user_id=user_id, **values)
         .on_conflict(conflict_target=[_S.user_id],
                      update={getattr(_S, k): v for k, v in values.items()})
         .execute())
    return dict(values, user_id=user_id)


def disable_auto_responder(user_id):
    """Turn off the user's automatic replies (notify prop auto_responder_active)
    if they are on. Returns True if something changed."""
    with transaction():
        user = _U.get_or_none(_U.id == user_id)
        if user is None:
            return False
        notify = dict(user.notify_props or {})
        if notify.get(AUTO_RESPONDER_PROP) != "true":
            return False
        notify[AUTO_RESPONDER_PROP] = "false"
        users.write(user_id, {_U.notify_props: notify, _U.update_at: _millis()})
    return True


def set_custom_status_prop(user_id, value):
    """Store value (a JSON string, or "" to clear) as the user's custom status
    prop. Returns False when there is no such user."""
    with transaction():
        user = _U.get_or_none(_U.id == user_id)
        if user is None:
            return False
        props = dict(user.props or {})
        props[CUSTOM_STATUS_PROP] = value
        users.write(user_id, {_U.props: props, _U.update_at: _millis()})
    return True


def get_recent(user_id):
    """The stored value of the user's recent custom statuses preference, or None
    when there is no such preference."""
    row = _P.get_or_none((_P.user_id == user_id) & (_P.category == RECENT_CATEGORY) & (_P.name == RECENT_NAME))
    return None if row is None else row.value


def change_recent(user_id, compute):
    """Read the recent custom statuses preference and write what
    compute(value_or_None) returns, in one transaction (None writes nothing;
    an exception from compute writes nothing and propagates)."""
    with transaction():
        row = _P.get_or_none((_P.user_id == user_id) & (_P.category == RECENT_CATEGORY)
                             & (_P.name == RECENT_NAME))
        value = compute(None if row is None else row.value)
        if value is None:
            return None
        (_P.insert(user_id=user_id, category=RECENT_CATEGORY, name=RECENT_NAME, value=value)
         .on_conflict(conflict_target=[_P.user_id, _P.category, _P.name], update={_P.value: value})
         .execute())
    return value


def get_all():
    """Every stored status (dicts)."""
    return [_as_dict(r) for r in _S.select()]
