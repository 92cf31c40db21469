"""Handlers for the 'preferences' operations of the document.

A preference is a user's (category, name) -> value setting. As in Mattermost,
every operation acts on one user: yourself, or anyone with edit_other_users.
"""
import json
import re

import flask

from api import errors, permissions
from handlers import common
from store import categories as store_categories, channels as store_channels, ids, posts as store_posts, \
    preferences as store_preferences
from ws import account_events

MAX_PREFERENCES_PER_REQUEST = 100  # Mattermost's maxUpdatePreferences, for saves and deletes
MAX_CATEGORY_BYTES = 32
MAX_NAME_BYTES = 32
MAX_VALUE_LENGTH = 20000  # characters (Mattermost's MaxPreferenceValueLength counts runes)
MAX_VISIBLE_DMS_GMS = 40

CATEGORY_FLAGGED_POST = "flagged_post"
CATEGORY_THEME = "theme"
CATEGORY_SIDEBAR_SETTINGS = "sidebar_settings"
NAME_LIMIT_VISIBLE_DMS_GMS = "limit_visible_dms_gms"

# Mattermost's router only knows {user_id} segments of letters and digits and
# {category} and {preference_name} segments of these characters: any other
# segment is an unknown URL (404)...
_ROUTE_USER = re.compile(r"[A-Za-z0-9]+\Z")
_ROUTE_SEGMENT = re.compile(r"[A-Za-z0-9_]+\Z")
# ...and its handlers then want lower-case letters, digits, '-' and '_', at
# least two characters, starting and ending with a letter or digit (400).
_SEGMENT = re.compile(r"[a-z0-9]+([a-z0-9_-]+|(__)?)[a-z0-9]+\Z")
_COLOR = re.compile(r"#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?\Z")
_THEME_FREE_KEYS = {"image", "type", "codeTheme"}  # kept whatever they hold
_INTEGER = re.compile(r"[+-]?[0-9]+\Z")
_SURROGATE = re.compile("[\ud800-\udfff]")


# ---------------------------------------------------------------------------
# Reads.

def get_preferences(user_id):
    user_id = _target_user(user_id)
    return [_json(row) for row in store_preferences.for_user(user_id)]


def get_preferences_by_category(user_id, category):
    user_id = _target_user(user_id, category=category)
    rows = store_preferences.for_category(user_id, category)
    if not rows:
        raise errors.AppError(404, "api.preference.preferences_category.get.app_error",
                              "The user has no preferences in that category.")
    return [_json(row) for row in rows]


def get_preferences_by_category_by_name(user_id, category, preference_name):
    user_id = _target_user(user_id, category=category, preference_name=preference_name)
    row = store_preferences.get(user_id, category, preference_name)
    if row is None:
        # Mattermost answers a preference that is not set with this 400, not a 404.
        raise errors.AppError(400, "app.preference.get.app_error",
                              "The preference is not set.",
                              "category=%s, name=%s" % (category, preference_name))
    return _json(row)


# ---------------------------------------------------------------------------
# Writes.

def update_preferences(user_id, body):
    """Save a batch: every item must belong to the path's user; items are checked
    and normalized in order, and saved all or nothing."""
    user_id = _target_user(user_id)
    items = _batch(body)
    session = common.session()
    for item in items:
        if item["category"] == CATEGORY_FLAGGED_POST:
            # Flagging needs a post the caller can read.
            post = store_posts.get(item["name"]) if isinstance(item.get("name"), str) else None
            channel = store_channels.get(post.channel_id) if post is not None else None
            if channel is None:
                raise errors.invalid_param("preference.name")
            permissions.require_read_channel(session, channel)
    for item in items:
        if item["user_id"] != user_id:
            raise errors.AppError(403, "api.preference.update_preferences.set.app_error",
                                  "Preferences can only be set for the user in the path.",
                                  "userId=%s, preference.UserId=%s" % (user_id, item["user_id"]))
    for item in items:
        _normalize(item)
        _check_valid(item)
        if any("\x00" in item[key] for key in ("category", "name", "value")):
            # PostgreSQL cannot store NUL characters; Mattermost fails the save so.
            raise errors.AppError(400, "app.preference.save.updating.app_error",
                                  "The preferences could not be saved.")
    store_preferences.save(items)
    _sync_favorites(user_id, items, True)
    account_events.preferences_changed(user_id, items)
    return {"status": "OK"}


def _sync_favorites(user_id, items, saved):
    """Favorites categories follow the favorite_channel preferences, as in Mattermost."""
    for item in items:
        if item["category"] == "favorite_channel":
            store_categories.favorite_changed(user_id, item["name"], saved and item["value"] == "true")


def delete_preferences(user_id, body):
    """Delete a batch, matched by category and name; ones not set are ignored."""
    user_id = _target_user(user_id)
    items = _batch(body)
    for item in items:
        if item["user_id"] != user_id:
            raise errors.AppError(403, "api.preference.delete_preferences.delete.app_error",
                                  "Preferences can only be deleted for the user in the path.",
                                  "userId=%s, preference.UserId=%s" % (user_id, item["user_id"]))
    keys = [(item["category"], item["name"]) for item in items]
    # Mattermost deletes one at a time: those before a failing one stay deleted.
    failing = next((i for i, key in enumerate(keys) if "\x00" in key[0] + key[1]), None)
    store_preferences.delete(user_id, keys if failing is None else keys[:failing])
    _sync_favorites(user_id, items if failing is None else items[:failing], False)
    if failing is not None:
        raise errors.AppError(400, "app.preference.delete.app_error",
                              "The preferences could not be deleted.")
    account_events.preferences_deleted(user_id, items)
    return {"status": "OK"}


# ---------------------------------------------------------------------------
# Helpers.

def _json(row):
    return {"user_id": row.user_id, "category": row.category, "name": row.name, "value": row.value}


def _target_user(user_id, **segments):
    """The user a request acts on, checked in Mattermost's order: the path
    segments (404 outside the router's pattern, else 400), then the permission."""
    if not _ROUTE_USER.match(user_id) or not all(_ROUTE_SEGMENT.match(v) for v in segments.values()):
        raise errors.unknown_url(flask.request.path)
    user_id = common.user_id(user_id)
    if not ids.is_valid_id(user_id):
        raise errors.invalid_url_param("user_id")
    for name, value in segments.items():
        if not _SEGMENT.match(value):
            raise errors.invalid_url_param(name)
    if not permissions.can_act_on_user(common.session(), user_id):
        raise errors.permission_denied(["edit_other_users"])
    return user_id


def _batch(body):
    """The request's preferences as plain dicts of four strings (absent fields are "")."""
    if not isinstance(body, list) or not 1 <= len(body) <= MAX_PREFERENCES_PER_REQUEST:
        raise errors.invalid_body_param("preferences")
    items = []
    for entry in body:
        if not isinstance(entry, dict):
            raise errors.invalid_body_param("preferences")
        item = {}
        for key in ("user_id", "category", "name", "value"):
            value = entry.get(key)
            if value is None:
                value = ""
            if not isinstance(value, str):
                raise errors.invalid_body_param("preferences")
            # A lone UTF-16 surrogate escape decodes to U+FFFD, as in Go.
            item[key] = _SURROGATE.sub("\ufffd", value)
        items.append(item)
    return items


def _invalid(field, message, detail):
    return errors.AppError(400, "model.preference.is_valid.%s.app_error" % field, message, detail)


def _check_valid(item):
    """Mattermost's Preference.IsValid: category and name lengths count bytes,
    the value's counts characters."""
    if not ids.is_valid_id(item["user_id"]):
        raise _invalid("id", "Invalid user id.", "user_id=%s" % item["user_id"])
    category, name, value = item["category"], item["name"], item["value"]
    if not category or len(category.encode("utf-8")) > MAX_CATEGORY_BYTES:
        raise _invalid("category", "Invalid category.", "category=%s" % category)
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        raise _invalid("name", "Invalid name.", "name=%s" % name)
    if len(value) > MAX_VALUE_LENGTH:
        raise _invalid("value", "Value is too long.", "value=%s" % value[:100])
    # (Mattermost also checks that a theme decodes as a JSON object of strings;
    # after _normalize it always does.)
    if category == CATEGORY_SIDEBAR_SETTINGS and name == NAME_LIMIT_VISIBLE_DMS_GMS:
        if not _visible_dms_gms_ok(value):
            raise _invalid("limit_visible_dms_gms", "Invalid value for limit_visible_dms_gms.",
                           "value=%s" % value)


def _visible_dms_gms_ok(value):
    """A decimal integer (sign allowed, as Go's strconv.Atoi reads it) from 1 to 40."""
    if not _INTEGER.match(value) or value.startswith("-"):
        return False
    digits = value.lstrip("+").lstrip("0")  # no int() of a 20000-digit string
    return 0 < len(digits) <= 2 and int(digits) <= MAX_VISIBLE_DMS_GMS


def _normalize(item):
    """Mattermost's Preference.PreUpdate: a theme is rewritten as a JSON object
    of strings with sorted keys, every color that is not #rgb or #rrggbb
    becoming #ffffff. A value that is not a JSON object becomes "null"."""
    if item["category"] != CATEGORY_THEME:
        return
    props = _theme_props(item["value"])
    if props is None:
        item["value"] = "null"
        return
    for key, color in props.items():
        if key not in _THEME_FREE_KEYS and not _COLOR.match(color):
            props[key] = "#ffffff"
    item["value"] = _go_json(props)


def _reject_constant(name):
    raise ValueError("%s is not JSON" % name)


_DECODER = json.JSONDecoder(parse_constant=_reject_constant)


def _theme_props(value):
    """The first JSON value of the text, read as Go reads it into a map of
    strings: None unless it is an object; members that are not strings read as ""."""
    try:
        decoded, _ = _DECODER.raw_decode(value.lstrip(" \t\r\n"))
    except (ValueError, RecursionError):
        return None
    if not isinstance(decoded, dict):
        return None
    return {key: member if isinstance(member, str) else "" for key, member in decoded.items()}


def _go_json(props):
    """JSON as Go's encoding/json writes a map: compact, keys sorted, and
    <, >, &, U+2028 and U+2029 escaped."""
    text = json.dumps(props, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text
