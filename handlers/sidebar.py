"""Handlers for the sidebar category operations (tag 'channels'; handlers/channels.py
imports them, so the router finds them there).

A user's sidebar in a team is a list of categories (store/categories.py). As
in Mattermost, every operation acts on one user: yourself, or anyone with
edit_other_users (a system admin's sidebar only with manage_system). Operations
naming a category also want the category to be the caller's own, in that team
(or the caller to have edit_other_users); otherwise 403, or 400 for the ids in
a request body. Channel ids the user is not a member of (in the team, or
direct and group messages) are dropped from requests, as Mattermost drops them.
"""
import re

import flask

from api import errors, permissions
from handlers import common
from store import categories as store_categories, channel_members as store_members, ids, users as store_users
from ws import channel_events

# Mattermost's router only knows {user_id} and {team_id} segments of letters and
# digits and {category_id} segments of these and '_' and '-'; other segments are
# an unknown URL (404).
_ROUTE_ID = re.compile(r"[A-Za-z0-9]+\Z")
_ROUTE_CATEGORY = re.compile(r"[A-Za-z0-9_-]+\Z")
MAX_DISPLAY_NAME = 64
_SURROGATE = re.compile("[\ud800-\udfff]")


def _not_found(detail=""):
    return errors.AppError(404, "app.channel.sidebar_categories.app_error",
                           "There is no such sidebar category.", detail)


def _invalid_category(detail=""):
    return errors.invalid_param("category", detail)


def _target(user_id, team_id, category_id=None):
    """(user id, team id) of the request, checked in Mattermost's order: the
    route, the ids (400), then, without a category, the right to act on the user (403)."""
    if not _ROUTE_ID.match(user_id) or not _ROUTE_ID.match(team_id) or (
            category_id is not None and not _ROUTE_CATEGORY.match(category_id)):
        raise errors.unknown_url(flask.request.path)
    user_id = common.user_id(user_id)
    if not ids.is_valid_id(user_id):
        raise errors.invalid_url_param("user_id")
    if not ids.is_valid_id(team_id):
        raise errors.invalid_url_param("team_id")
    if category_id is not None:
        if not store_categories.is_valid_category_id(category_id):
            raise errors.invalid_url_param("category_id")
    elif not _may_act_on(user_id):
        raise errors.permission_denied(["edit_other_users"])
    # The defaults exist from here on for a member of the team (Mattermost
    # makes them when the user joins).
    store_categories.ensure_defaults(user_id, team_id)
    return user_id, team_id


def _may_act_on(user_id):
    """Mattermost's SessionHasPermissionToUser."""
    session = common.session()
    if session.user_id == user_id or permissions.is_system_admin(session):
        return True
    target = store_users.get(user_id)
    if target is None:
        return False
    return permissions.can_act_on_user(session, user_id, target.roles)


def _may_use_category(user_id, team_id, category_id):
    """Mattermost's SessionHasPermissionToCategory: edit_other_users, or the
    category is the caller's own and the request's user and team are its."""
    if not store_categories.is_valid_category_id(category_id):
        return False
    session = common.session()
    if permissions.has(session, "edit_other_users"):
        return True
    category = store_categories.get_row(category_id)
    return (category is not None and category.user_id == session.user_id == user_id
            and category.team_id == team_id)


def _category_change(body):
    """The fields a category in a request body sets (as Mattermost reads them),
    or 400. Fields left out keep their values."""
    if not isinstance(body, dict):
        raise _invalid_category("a category must be an object")
    change = {}
    for name, kind in (("id", str), ("user_id", str), ("team_id", str), ("display_name", str),
                       ("sorting", str), ("type", str), ("muted", bool), ("collapsed", bool)):
        value = body.get(name)
        if value is None:
            continue
        if not isinstance(value, kind):
            raise _invalid_category("%s has the wrong type" % name)
        change[name] = value
    sort_order = body.get("sort_order")
    if sort_order is not None and (isinstance(sort_order, bool) or not isinstance(sort_order, (int, float))):
        raise _invalid_category("sort_order has the wrong type")
    if "display_name" in change and _SURROGATE.search(change["display_name"]):
        raise _invalid_category("display_name is not valid Unicode")
    if "display_name" in change and len(change["display_name"]) > MAX_DISPLAY_NAME:
        raise _invalid_category("display_name is longer than %d characters" % MAX_DISPLAY_NAME)
    if "sorting" in change and change["sorting"] not in store_categories.SORTINGS:
        raise _invalid_category("sorting must be one of %s" % ", ".join(repr(s) for s in store_categories.SORTINGS))
    channel_ids = body.get("channel_ids")
    if channel_ids is not None:
        if not isinstance(channel_ids, list) or not all(isinstance(c, str) for c in channel_ids):
            raise _invalid_category("channel_ids must be a list of channel ids")
        change["channel_ids"] = channel_ids
    return change


def _keep_member_channels(changes, user_id, team_id):
    """Drop the channels the user may not put in their sidebar in the team."""
    allowed = None
    for change in changes:
        if "channel_ids" in change:
            if allowed is None:
                allowed = store_categories.member_channels(user_id, team_id)
            change["channel_ids"] = [c for c in change["channel_ids"] if c in allowed]
    return changes


def _owned_body(body, user_id, team_id):
    """A single category of a request body, which must name the user and team of the URL."""
    change = _category_change(body)
    if change.get("user_id") != user_id or change.get("team_id") != team_id:
        raise _invalid_category("the category's user_id and team_id must be those of the URL")
    return _keep_member_channels([change], user_id, team_id)[0]


def _mute_states(user_id, team_id):
    """{channel id: mark_unread} of the user's memberships in the team's
    channels and their direct and group messages."""
    return {m.channel_id: (m.notify_props or {}).get("mark_unread")
            for m in store_members.for_user_in_team(team_id, user_id)}


def _announce_mutes(user_id, team_id, before):
    """channel_member_updated for each membership that muting or unmuting a
    category changed (Mattermost's setChannelsMuted sends them)."""
    if before is None:
        return
    for member in store_members.for_user_in_team(team_id, user_id):
        if member.channel_id in before and (member.notify_props or {}).get("mark_unread") != before[member.channel_id]:
            channel_events.channel_member_updated(member)


def get_sidebar_categories_for_team_for_user(user_id, team_id):
    user_id, team_id = _target(user_id, team_id)
    return store_categories.get_all(user_id, team_id)


def create_sidebar_category_for_team_for_user(user_id, team_id, body):
    user_id, team_id = _target(user_id, team_id)
    change = _owned_body(body, user_id, team_id)
    before = _mute_states(user_id, team_id) if change.get("muted") and change.get("channel_ids") else None
    try:
        category = store_categories.create_custom(user_id, team_id, change.get("display_name", ""),
                                                  change.get("sorting", ""), change.get("muted", False),
                                                  change.get("channel_ids", []))
    except store_categories.NotFound:
        raise _not_found("user_id=%s, team_id=%s" % (user_id, team_id))
    channel_events.sidebar_category_created(user_id, team_id, category["id"])
    _announce_mutes(user_id, team_id, before)
    return category


def _update(user_id, team_id, changes):
    """Apply category changes and announce them (the categories, and the
    memberships whose muting followed)."""
    may_mute = any("muted" in c or "channel_ids" in c for c in changes)
    before = _mute_states(user_id, team_id) if may_mute else None
    updated = store_categories.update(user_id, team_id, changes)
    channel_events.sidebar_category_updated(user_id, team_id, updated)
    _announce_mutes(user_id, team_id, before)
    return updated


def update_sidebar_categories_for_team_for_user(user_id, team_id, body):
    user_id, team_id = _target(user_id, team_id)
    if not isinstance(body, list):
        raise _invalid_category("the body must be a list of categories")
    changes = [_category_change(item) for item in body]
    for change in changes:
        if not _may_use_category(user_id, team_id, change.get("id", "")):
            raise _invalid_category("id=%s" % change.get("id", ""))
    _keep_member_channels(changes, user_id, team_id)
    try:
        return _update(user_id, team_id, changes)
    except store_categories.Invalid as exc:
        raise _invalid_category("id=%s" % exc)


def get_sidebar_category_order_for_team_for_user(user_id, team_id):
    user_id, team_id = _target(user_id, team_id)
    return store_categories.get_order(user_id, team_id)


def update_sidebar_category_order_for_team_for_user(user_id, team_id, body):
    user_id, team_id = _target(user_id, team_id)
    order = body if isinstance(body, list) and all(isinstance(i, str) for i in body) else []
    for category_id in order:
        if not _may_use_category(user_id, team_id, category_id):
            raise _invalid_category("id=%s" % category_id)
    try:
        updated = store_categories.update_order(user_id, team_id, order)
    except store_categories.Invalid:
        raise errors.AppError(400, "app.channel.sidebar_categories.app_error",
                              "The order must name each of the user's categories in the team once.")
    channel_events.sidebar_category_order_updated(user_id, team_id, updated)
    return updated


def _category_in_path(user_id, team_id, category_id):
    user_id, team_id = _target(user_id, team_id, category_id)
    if not _may_use_category(user_id, team_id, category_id):
        raise errors.permission_denied(["edit_other_users"])
    return user_id, team_id


def get_sidebar_category_for_team_for_user(user_id, team_id, category_id):
    user_id, team_id = _category_in_path(user_id, team_id, category_id)
    category = store_categories.get_one(user_id, team_id, category_id)
    if category is None:
        raise _not_found("category_id=%s" % category_id)
    return category


def update_sidebar_category_for_team_for_user(user_id, team_id, category_id, body):
    user_id, team_id = _category_in_path(user_id, team_id, category_id)
    change = _owned_body(body, user_id, team_id)
    change["id"] = category_id
    try:
        return _update(user_id, team_id, [change])[0]
    except store_categories.Invalid:
        raise _not_found("category_id=%s" % category_id)


def remove_sidebar_category_for_team_for_user(user_id, team_id, category_id):
    user_id, team_id = _category_in_path(user_id, team_id, category_id)
    category = store_categories.get_row(category_id)
    if category is None or category.user_id != user_id or category.team_id != team_id:
        raise _not_found("category_id=%s" % category_id)
    try:
        store_categories.delete_custom(category_id)
    except store_categories.Invalid:
        raise errors.AppError(400, "app.channel.sidebar_categories.app_error",
                              "Only custom categories can be deleted.", "category_id=%s" % category_id)
    channel_events.sidebar_category_deleted(user_id, team_id, category_id)
    return {"status": "OK"}
