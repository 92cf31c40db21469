"""Handlers for the 'status' operations of the document: a user's presence
(online, away, dnd, offline) set by hand, and custom statuses.

Presence from websocket activity comes with the websocket issue; here a status
changes only when a client sets it. Statuses follow Mattermost's rules: a user
with no stored status is offline; every status set through the API is manual
except online; a timed do-not-disturb (dnd_end_time, in seconds) goes back to
the status it replaced once it ends.

A custom status lives in the user's props under "customStatus" as a JSON
string; the last five used are the preference (custom_status,
recent_custom_statuses), a JSON array.
"""
import datetime
import json
import logging
import re
import time

import flask

from api import config as config_module, errors, permissions
from handlers import common
from store import status as store_status
from ws import account_events

log = logging.getLogger("mattermost.status")

_INT64_MIN, _INT64_MAX = -2 ** 63, 2 ** 63 - 1
_DND_INTERVAL_SECONDS = 60  # Mattermost's DND expiry job runs each minute; end times are cut to it

CUSTOM_STATUS_TEXT_MAX_RUNES = 100
MAX_RECENT_CUSTOM_STATUSES = 5
VALID_DURATIONS = {"thirty_minutes", "one_hour", "four_hours", "today", "this_week", "date_and_time"}
_EMOJI_NAME_RE = re.compile(r"[a-zA-Z0-9+_\-]{1,64}\Z")
_RFC3339_RE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})"
                         r"(?:\.([0-9]+))?(Z|[+-][0-9]{2}:[0-9]{2})\Z")
_EPOCH_ORDINAL = datetime.date(1970, 1, 1).toordinal()
_ZERO_TIME = "0001-01-01T00:00:00Z"  # Go's zero time.Time, as Mattermost writes an absent expires_at
_ZERO_TIME_NS = (1 - _EPOCH_ORDINAL) * 86400 * 10 ** 9


# ---------------------------------------------------------------------------
# Helpers.

def _config():
    return config_module.current()


def _path_user_id(value):
    return common.path_id(value, "user_id")


def _require_self_or_editor(user_id):
    if not permissions.can_act_on_user(common.session(), user_id):
        raise errors.permission_denied(["edit_other_users"])


def _go_string(value):
    """A JSON string as Go decodes it: a lone surrogate becomes U+FFFD."""
    return "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in value)


def _go_json(value):
    """JSON as Go's encoding/json writes it: compact, UTF-8, HTML characters escaped."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


# ---------------------------------------------------------------------------
# Presence.

def status_json(status):
    """A status as Mattermost sends it (it has no active channel until websockets
    track one)."""
    return {"user_id": status["user_id"], "status": status["status"], "manual": bool(status["manual"]),
            "last_activity_at": status["last_activity_at"], "dnd_end_time": status["dnd_end_time"]}


def _offline(user_id):
    return {"user_id": user_id, "status": "offline", "manual": False, "last_activity_at": 0,
            "dnd_end_time": 0, "prev_status": ""}


def _statuses(user_ids):
    """The statuses of user_ids: the stored ones, then offline for the users
    with none (unknown ids included). Empty when user statuses are off."""
    if not _config()["ServiceSettings"]["EnableUserStatuses"]:
        return []
    queryable = [u for u in user_ids if "\x00" not in u]
    stored = store_status.get_many(queryable) if queryable else []
    found = {s["user_id"] for s in stored}
    return [status_json(s) for s in stored] + [status_json(_offline(u)) for u in user_ids if u not in found]


def _user_not_found():
    return errors.AppError(404, "api.status.user_not_found.app_error", "User not found.")


def get_user_status(user_id):
    user_id = _path_user_id(user_id)
    statuses = _statuses([user_id])
    if not statuses:
        raise _user_not_found()
    return statuses[0]


def get_users_statuses_by_ids(body):
    if not isinstance(body, list) or not all(isinstance(x, str) for x in body):
        raise errors.invalid_body_param("user_ids")
    user_ids = sorted({_go_string(x) for x in body})
    if not user_ids or any(len(u.encode("utf-8")) != 26 for u in user_ids):
        raise errors.invalid_body_param("user_ids")
    return _statuses(user_ids)


# Go decodes the whole status object: a known field of the wrong type is a bad body.
_STATUS_FIELD_TYPES = {"user_id": str, "status": str, "manual": bool, "active_channel": str,
                       "last_activity_at": int, "dnd_end_time": int}


def _check_status_body(body):
    if not isinstance(body, dict):
        raise errors.invalid_body_param("status")
    for name, kind in _STATUS_FIELD_TYPES.items():
        value = body.get(name)
        if value is None:
            continue
        if kind is int:
            if isinstance(value, bool) or not isinstance(value, int) or not _INT64_MIN <= value <= _INT64_MAX:
                raise errors.invalid_body_param("status")
        elif not isinstance(value, kind):
            raise errors.invalid_body_param("status")


def _truncate_dnd_end_time(end_time):
    """Cut an end time (seconds) down to the minute, as Mattermost lines it up
    with its expiry job."""
    truncated = end_time - end_time % _DND_INTERVAL_SECONDS
    if truncated < _INT64_MIN:
        raise errors.invalid_body_param("status")
    return truncated


def _now_ms():
    return int(time.time() * 1000)


def _set_online(current, user_id):
    status = dict(current) if current else _offline(user_id)
    status.update(status="online", manual=False, last_activity_at=_now_ms())
    return status


def _set_offline(current, user_id):
    return dict(_offline(user_id), manual=True, last_activity_at=_now_ms())


def _set_away(current, user_id):
    status = dict(current) if current else _offline(user_id)
    status.update(status="away", manual=True)
    return status


def _set_dnd(end_time):
    def compute(current, user_id):
        status = dict(current) if current else _offline(user_id)
        status.update(prev_status=status["status"], status="dnd", manual=True, dnd_end_time=end_time)
        return status
    return compute


def update_user_status(user_id, body):
    """Set a status by hand. The body's user_id must be the path's; anyone but
    yourself needs edit_other_users. Leaving out-of-office turns the automatic
    replies off."""
    user_id = _path_user_id(user_id)
    _check_status_body(body)
    if body.get("user_id") != user_id:
        raise errors.invalid_body_param("user_id")
    _require_self_or_editor(user_id)
    new_status = body.get("status") or ""
    enabled = _config()["ServiceSettings"]["EnableUserStatuses"]
    if enabled:
        current = store_status.get(user_id)
        if current is not None and current["status"] == "ooo" and new_status != "ooo":
            store_status.disable_auto_responder(user_id)
    if new_status == "online":
        compute = _set_online
    elif new_status == "offline":
        compute = _set_offline
    elif new_status == "away":
        compute = _set_away
    elif new_status == "dnd":
        compute = _set_dnd(_truncate_dnd_end_time(body.get("dnd_end_time") or 0))
    else:
        raise errors.invalid_body_param("status")
    if not enabled:
        raise _user_not_found()
    before = {}

    def write(current):
        before["status"] = current["status"] if current is not None else None
        return compute(current, user_id)

    written = store_status.change(user_id, write)
    # Mattermost's SetStatusOnline tells the user only of a change; the other
    # statuses set by hand are always sent.
    if new_status != "online" or before.get("status") != "online":
        account_events.status_change(user_id, written["status"])
    return status_json(written)


# ---------------------------------------------------------------------------
# Custom statuses.

def _require_custom_statuses():
    if not _config()["TeamSettings"]["EnableCustomUserStatuses"]:
        raise errors.AppError(501, "api.custom_status.disabled",
                              "Custom statuses are turned off on this server (TeamSettings.EnableCustomUserStatuses).")


class _Undecodable(ValueError):
    """A custom status Go's JSON decoder would refuse."""


def _parse_time(value):
    """An RFC 3339 time as Go reads it: (the text Go writes back for it, its
    instant in nanoseconds since the epoch)."""
    match = _RFC3339_RE.match(value)
    if not match:
        raise _Undecodable("expires_at")
    year, month, day, hour, minute, second = (int(match.group(i)) for i in range(1, 7))
    fraction, zone = match.group(7) or "", match.group(8)
    if hour > 23 or minute > 59 or second > 59:
        raise _Undecodable("expires_at")
    try:
        days = datetime.date(year, month, day).toordinal() - _EPOCH_ORDINAL
    except ValueError:
        raise _Undecodable("expires_at")
    offset = 0
    if zone != "Z":
        zone_hours, zone_minutes = int(zone[1:3]), int(zone[4:6])
        if zone_hours > 23 or zone_minutes > 59:
            raise _Undecodable("expires_at")
        offset = (zone_hours * 3600 + zone_minutes * 60) * (-1 if zone[0] == "-" else 1)
    nanos = fraction[:9].ljust(9, "0")
    seconds = days * 86400 + hour * 3600 + minute * 60 + second - offset
    text = "%04d-%02d-%02dT%02d:%02d:%02d" % (year, month, day, hour, minute, second)
    if nanos.strip("0"):
        text += "." + nanos.rstrip("0")
    if offset == 0:
        text += "Z"
    else:
        text += "%s%02d:%02d" % ("-" if offset < 0 else "+", abs(offset) // 3600, abs(offset) % 3600 // 60)
    return text, seconds * 10 ** 9 + int(nanos)


def _decode_custom_status(value):
    """A custom status object (a request body or an entry of the recent list) as
    Mattermost reads it: (the status in Mattermost's JSON field order, the
    instant of expires_at in nanoseconds)."""
    if value is None:
        value = {}
    if not isinstance(value, dict):
        raise _Undecodable("custom_status")
    status = {}
    for name in ("emoji", "text", "duration"):
        field = value.get(name)
        if field is not None and not isinstance(field, str):
            raise _Undecodable(name)
        status[name] = _go_string(field or "")
    expires_at = value.get("expires_at")
    if expires_at is None:
        status["expires_at"], instant = _ZERO_TIME, _ZERO_TIME_NS
    elif isinstance(expires_at, str):
        status["expires_at"], instant = _parse_time(expires_at)
    else:
        raise _Undecodable("expires_at")
    return status, instant


def _decode_recent(value):
    """The stored recent custom statuses (a JSON array) as a list of statuses."""
    try:
        entries = json.loads(value)
    except ValueError:
        raise _Undecodable("recent_custom_statuses")
    if entries is None:
        return []
    if not isinstance(entries, list):
        raise _Undecodable("recent_custom_statuses")
    return [_decode_custom_status(entry)[0] for entry in entries]


def _durations_valid(status, instant):
    """Mattermost's AreDurationAndExpirationTimeValid."""
    expired = instant < time.time_ns()
    if status["duration"] == "" and (instant == _ZERO_TIME_NS or not expired):
        return True
    return status["duration"] in VALID_DURATIONS and not expired


def _check_emoji(name):
    """The emoji must exist. Mattermost accepts its system emoji and the
    server's custom emoji; until the emoji issue brings both lists, any
    well-formed emoji name is taken as existing."""
    if name and not _EMOJI_NAME_RE.match(name):
        raise errors.AppError(400, "api.custom_status.set_custom_statuses.emoji_not_found",
                              "There is no emoji with that name.")


def _add_recent(user_id, status):
    def compute(value):
        if value is None or value == "":
            recent = []
        else:
            try:
                recent = _decode_recent(value)
            except _Undecodable:
                log.error("can't add a recent custom status for user_id=%s: the stored list is not valid",
                          user_id)
                return None
        recent = [status] + [s for s in recent if s["text"] != status["text"]]
        return _go_json(recent[:MAX_RECENT_CUSTOM_STATUSES])

    _recent_changed(user_id, store_status.change_recent(user_id, compute))


def update_user_custom_status(user_id, body):
    """Set the user's custom status (emoji and/or text, optionally expiring)
    and put it first in their recent custom statuses."""
    user_id = _path_user_id(user_id)
    _require_custom_statuses()
    try:
        status, instant = _decode_custom_status(body)
    except _Undecodable as problem:
        raise errors.invalid_body_param("custom_status", str(problem))
    if (status["emoji"] == "" and status["text"] == "") or not _durations_valid(status, instant):
        raise errors.invalid_body_param("custom_status")
    _require_self_or_editor(user_id)
    # What Mattermost does before saving: an expiry without a duration is a date
    # and time; the text is cut to 100 characters.
    if status["duration"] == "" and instant >= time.time_ns():
        status["duration"] = "date_and_time"
    status["text"] = status["text"][:CUSTOM_STATUS_TEXT_MAX_RUNES]
    _check_emoji(status["emoji"])
    if not store_status.set_custom_status_prop(user_id, _go_json(status)):
        raise _missing_user(user_id)
    _user_updated(user_id)
    _add_recent(user_id, status)
    return {"status": "OK"}


def _user_updated(user_id):
    """Mattermost saves a custom status through UpdateUser, which sends user_updated."""
    from handlers.users import publish_user_updated
    from store import users as store_users
    user = store_users.get(user_id)
    if user is not None:
        publish_user_updated(user)


def _recent_changed(user_id, value):
    """Mattermost saves the recent custom statuses through UpdatePreferences,
    which sends sidebar_category_updated and preferences_changed."""
    if value is not None:
        account_events.preferences_changed(user_id, [{
            "user_id": user_id, "category": store_status.RECENT_CATEGORY, "name": store_status.RECENT_NAME,
            "value": value}])


def _missing_user(user_id):
    return errors.AppError(404, "app.user.missing_account.const", "There is no such user.",
                           "user_id=%s" % user_id)


def unset_user_custom_status(user_id):
    """Clear the user's custom status (the prop is left empty, as Mattermost does)."""
    user_id = _path_user_id(user_id)
    _require_custom_statuses()
    _require_self_or_editor(user_id)
    if not store_status.set_custom_status_prop(user_id, ""):
        raise _missing_user(user_id)
    _user_updated(user_id)
    return {"status": "OK"}


def _recent_delete_error():
    return errors.AppError(400, "api.custom_status.recent_custom_statuses.delete.app_error",
                           "That status is not among the user's recent custom statuses.")


def _remove_recent(user_id, body):
    user_id = _path_user_id(user_id)
    _require_custom_statuses()
    try:
        if body is None:  # no body at all, which Go's decoder refuses (a JSON null it takes)
            raise _Undecodable("body")
        status, _ = _decode_custom_status(body)
    except _Undecodable as problem:
        raise errors.invalid_body_param("recent_custom_status", str(problem))
    _require_self_or_editor(user_id)

    def compute(value):
        if value is None:
            raise errors.AppError(400, "app.preference.get.app_error",
                                  "The preference is not set.")
        if value == "":
            raise _recent_delete_error()
        try:
            recent = _decode_recent(value)
        except _Undecodable:
            raise errors.AppError(400, "api.unmarshal_error", "The stored value could not be read.")
        if (status["emoji"] == "" and status["text"] == "") or status not in recent:
            raise _recent_delete_error()
        return _go_json([s for s in recent if s != status])

    _recent_changed(user_id, store_status.change_recent(user_id, compute))
    return {"status": "OK"}


def remove_recent_custom_status(user_id, body=None):
    """Forget one of the user's recent custom statuses (the body is the status, as listed).
    connexion hands no body to a DELETE handler, so it is read here."""
    if body is None:
        body = flask.request.get_json(force=True, silent=True)
    return _remove_recent(user_id, body)


def post_user_recent_custom_status_delete(user_id, body):
    """The POST form of remove_recent_custom_status, for clients that cannot send a body with DELETE."""
    return _remove_recent(user_id, body)
