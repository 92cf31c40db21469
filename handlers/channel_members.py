"""Handlers for channel membership and reading state (tag 'channels';
handlers/channels.py imports them, so the router finds them there).

Checks run in Mattermost's order: the session (before the handler), the ids in
the URL (400), the body, the permission (403), then existence (404). A channel
that does not exist fails the channel permission check, so callers who may not
see a channel cannot tell whether it exists.
"""
import json
import re
import time

import flask

from api import config as config_module, errors, permissions
from handlers import common
from store import db as store_db
from store.ids import is_valid_id
from ws import channel_events
from store import categories as store_categories, channel_members as store_members, channels as store_channels, \
    posts as store_posts, system_posts, teams as store_teams, users as store_users


# ---------------------------------------------------------------------------
# Helpers.

def _path_channel(channel_id):
    return common.path_id(channel_id, "channel_id")


def _path_user(user_id):
    return common.path_id(user_id, "user_id")


def _path_team(team_id):
    return common.path_id(team_id, "team_id")


_can = permissions.has_channel
_require = permissions.require_channel


def _require_self_or_editor(session, user_id):
    target = store_users.get(user_id)
    if not permissions.can_act_on_user(session, user_id, target.roles if target is not None else ""):
        raise errors.permission_denied(["edit_other_users"])


def _channel_missing(channel_id):
    return errors.AppError(404, "app.channel.get.existing.app_error", "There is no such channel.",
                           "channel_id=%s" % channel_id)


def _require_channel(channel_id):
    channel = store_channels.get(channel_id)
    if channel is None:
        raise _channel_missing(channel_id)
    return channel


def _member_missing(channel_id, user_id):
    return errors.AppError(404, "app.channel.get_member.missing.app_error",
                           "That user is not a member of the channel.",
                           "channel_id=%s, user_id=%s" % (channel_id, user_id))


def _require_member(channel_id, user_id):
    member = store_channels.get_member(channel_id, user_id)
    if member is None:
        raise _member_missing(channel_id, user_id)
    return member


def _user_missing(user_id):
    return errors.AppError(404, "app.user.missing_account.const", "There is no such user.",
                           "user_id=%s" % user_id)


class _Members:
    """Channel members as clients see them. Another user's last_viewed_at and
    last_update_at are left out (Mattermost's SanitizeForCurrentUser). Scheme
    role names are looked up once per channel."""

    def __init__(self, session):
        self.viewer_id = session.user_id if session is not None else ""
        self.channels = {}
        self.schemes = {}

    def json(self, member, channel=None):
        if member.channel_id not in self.schemes:
            if channel is None:
                channel = self.channels.get(member.channel_id)
                if channel is None:
                    channel = self.channels[member.channel_id] = store_channels.get(member.channel_id)
            self.schemes[member.channel_id] = store_channels.scheme_role_names(channel)
        guest, user, admin = self.schemes[member.channel_id]
        roles = member.roles.split()
        for flag, name in ((member.scheme_guest, guest), (member.scheme_user, user), (member.scheme_admin, admin)):
            if flag and name not in roles:
                roles.append(name)
        body = {
            "channel_id": member.channel_id, "user_id": member.user_id, "roles": " ".join(roles),
            "last_viewed_at": member.last_viewed_at, "msg_count": member.msg_count,
            "mention_count": member.mention_count, "mention_count_root": member.mention_count_root,
            "urgent_mention_count": member.urgent_mention_count, "msg_count_root": member.msg_count_root,
            "notify_props": member.notify_props or {}, "last_update_at": member.last_update_at,
            "scheme_guest": member.scheme_guest, "scheme_user": member.scheme_user,
            "scheme_admin": member.scheme_admin, "explicit_roles": member.roles,
        }
        if member.user_id != self.viewer_id:
            del body["last_viewed_at"], body["last_update_at"]
        return body

    def many(self, members, channel=None):
        return [self.json(m, channel) for m in members]


def _is_guest_session(session):
    return "system_guest" in (session.roles or "").split()


# ---------------------------------------------------------------------------
# Members: read.

def get_channel_members(channel_id, page=0, per_page=60):
    """GET /channels/{channel_id}/members: one page of members (read_channel)."""
    session = common.session()
    _path_channel(channel_id)
    channel = store_channels.get(channel_id)
    _require(session, channel_id, "read_channel", channel)
    offset, limit = common.paging(page, per_page)
    return _Members(session).many(store_members.page(channel_id, offset, limit), channel)


def get_channel_member(channel_id, user_id):
    """GET /channels/{channel_id}/members/{user_id} (read_channel)."""
    session = common.session()
    _path_channel(channel_id)
    user_id = _path_user(user_id)
    channel = store_channels.get(channel_id)
    _require(session, channel_id, "read_channel", channel)
    return _Members(session).json(_require_member(channel_id, user_id), channel)


def get_channel_members_by_ids(channel_id, body):
    """POST /channels/{channel_id}/members/ids: the memberships of the listed users."""
    session = common.session()
    _path_channel(channel_id)
    if not isinstance(body, list) or any(not isinstance(i, str) for i in body):
        raise errors.AppError(400, "api.payload.parse_error", "The request body could not be read.")
    user_ids = sorted(set(body))
    if not user_ids:
        raise errors.invalid_param("user_ids")
    channel = store_channels.get(channel_id)
    _require(session, channel_id, "read_channel", channel)
    return _Members(session).many(store_members.by_user_ids(channel_id, user_ids), channel)


def get_channel_members_for_user(user_id, team_id):
    """GET /users/{user_id}/teams/{team_id}/channels/members: a user's memberships
    in a team's channels and in their direct and group messages (view_team;
    manage_system for another user)."""
    session = common.session()
    user_id = _path_user(user_id)
    _path_team(team_id)
    if not permissions.has_team(session, team_id, "view_team"):
        raise errors.permission_denied(["view_team"])
    if session.user_id != user_id and not permissions.has_team(session, team_id, "manage_system"):
        raise errors.permission_denied(["manage_system"])
    members = store_members.for_user_in_team(team_id, user_id)
    view = _Members(session)
    # The scheme role names of all the channels at once, not per channel.
    view.schemes.update(store_members.scheme_role_names_of([m.channel_id for m in members]))
    return view.many(members)


# ---------------------------------------------------------------------------
# Members: add, set, remove.

def place_in_default_category(user_id, channel):
    """Mattermost's addChannelToDefaultCategory: a channel with a default
    category name goes into the user's custom sidebar category of that name
    (made if missing) when TeamSettings.EnableChannelCategorySorting is on."""
    name = channel.default_category_name
    if not (name and channel.team_id and config_module.current()["TeamSettings"]["EnableChannelCategorySorting"]):
        return
    before = store_categories.get_all(user_id, channel.team_id)["categories"]
    placed = store_categories.place_in_named_category(user_id, channel.team_id, channel.id, name)
    if placed is None:
        return
    # As Mattermost: the custom category the channel leaves and the one it
    # joins are updated (one event), or the one made for it is created.
    left = next((c for c in before if c["type"] == store_categories.CUSTOM and c["id"] != placed["id"]
                 and channel.id in c["channel_ids"]), None)
    changed = [store_categories.get_one(user_id, channel.team_id, left["id"])] if left is not None else []
    if any(c["id"] == placed["id"] for c in before):
        changed.append(placed)
    else:
        channel_events.sidebar_category_created(user_id, channel.team_id, placed["id"])
    changed = [c for c in changed if c is not None]
    if changed:
        channel_events.sidebar_category_updated(user_id, channel.team_id, changed)


def _add_one(channel, user_id, requestor_id, root_id=""):
    """Add a user to a public or private channel as Mattermost's AddChannelMember
    does, with its system message (a join when users add themselves, else an
    addition, in the thread of root_id if given); returns the membership or
    raises AppError."""
    member = store_channels.get_member(channel.id, user_id)
    if member is not None:
        return member
    user = store_users.get(user_id)
    if user is None:
        raise _user_missing(user_id)
    if user.delete_at:
        raise errors.AppError(403, "app.channel.add_member.deleted_user.app_error",
                              "A deactivated user cannot be added to a channel.", "user_id=%s" % user_id)
    team_member = store_teams.get_member(channel.team_id, user_id, include_deleted=True)
    if team_member is None:
        raise errors.AppError(404, "app.team.get_member.missing.app_error",
                              "That user is not a member of the channel's team.", "user_id=%s" % user_id)
    if team_member.delete_at:
        raise errors.AppError(400, "api.channel.add_user.to.channel.failed.deleted.app_error",
                              "That user has left the channel's team.", "user_id=%s" % user_id)
    member, added = store_channels.add_member(channel, user)
    if added:
        place_in_default_category(user_id, channel)
        channel_events.user_added(channel, user_id)
        if user_id == requestor_id:
            system_posts.join_channel(channel, user)
        else:
            requestor = store_users.get(requestor_id)
            if requestor is not None:
                system_posts.add_to_channel(channel, requestor, user, root_id)
    common.audit(requestor_id, "name=%s user_id=%s" % (channel.name, user_id))
    return member


def add_channel_member(channel_id, body):
    """POST /channels/{channel_id}/members: add user_id, or each of user_ids.
    Public channels: join_public_channels on the team to add yourself,
    manage_public_channel_members to add others; private channels:
    manage_private_channel_members. 201 with the member (a list for user_ids)."""
    session = common.session()
    _path_channel(channel_id)
    body = body if isinstance(body, dict) else {}
    listed = body.get("user_ids")
    if isinstance(listed, list):
        if len(listed) > 1000:
            raise errors.invalid_param("user_ids")
        if any(not is_valid_id(u) for u in listed):
            raise errors.invalid_param("user_id in user_ids")
        user_ids = list(listed)
    else:
        single = body.get("user_id")
        if not is_valid_id(single):
            raise errors.invalid_param("user_id or user_ids")
        user_ids = [single]
    root_id = body.get("post_root_id")
    if isinstance(root_id, str) and root_id:
        if not is_valid_id(root_id):
            raise errors.invalid_param("post_root_id")
        root = store_posts.get(root_id)
        if root is None:
            raise errors.AppError(404, "app.post.get.app_error", "There is no such post.", "post_id=%s" % root_id)
        if root.channel_id != channel_id:
            raise errors.invalid_param("post_root_id")
    channel = _require_channel(channel_id)
    if _is_guest_session(session):
        _require(session, channel_id, "read_channel", channel)
        for user_id in user_ids:
            if user_id != session.user_id and not store_users.can_see(session.user_id, user_id):
                raise errors.permission_denied(["invite_user"])
    if channel.type not in ("O", "P"):
        raise errors.AppError(400, "api.channel.add_user_to_channel.type.app_error",
                              "Members cannot be added to direct or group message channels.")
    can_add_self = can_add_others = False
    if channel.type == "O":
        can_add_self = permissions.has_team(session, channel.team_id, "join_public_channels")
        can_add_others = _can(session, channel_id, "manage_public_channel_members", channel)
    else:
        _require(session, channel_id, "manage_private_channel_members", channel)
    if channel.group_constrained:
        # Group-synced channels take only members of their groups; no group
        # exists here, so nobody qualifies.
        raise errors.AppError(400, "api.channel.add_members.user_denied",
                              "Only members of the channel's groups can be added to it.",
                              "user_ids=%s" % ",".join(user_ids))
    added, last_error = [], None
    for user_id in user_ids:
        existing = store_channels.get_member(channel_id, user_id)
        if channel.type == "O":
            own = user_id == session.user_id
            if own and existing is not None:
                added.append(existing)
                continue
            if own and not can_add_self:
                last_error = errors.permission_denied(["join_public_channels"])
                continue
            if not own and not can_add_others:
                last_error = errors.permission_denied(["manage_public_channel_members"])
                continue
        if existing is not None:
            added.append(existing)
            continue
        try:
            added.append(_add_one(channel, user_id, session.user_id,
                                  root_id if isinstance(root_id, str) else ""))
        except errors.AppError as e:
            last_error = e
    if last_error is not None and not added:
        raise last_error
    view = _Members(session)
    single = body.get("user_id")
    if "user_id" in body and len(added) == 1 and added[0].user_id == single:
        return view.json(added[0], channel), 201
    return view.many(added, channel), 201


def _set_error(user_id, error):
    return {"user_id": user_id, "id": error.id, "error": error.message}


def _result_line(added=(), removed=(), promoted=(), demoted=(), errs=()):
    line = {"added": list(added), "removed": list(removed)}
    if promoted:
        line["promoted"] = list(promoted)
    if demoted:
        line["demoted"] = list(demoted)
    if errs:
        line["errors"] = list(errs)
    return json.dumps(line, separators=(",", ":")) + "\n"


def set_channel_members(channel_id, body, batch_size=100, batch_delay_ms=500):
    """PUT /channels/{channel_id}/members: make the channel's membership exactly
    members (plus channel_admins), removing then adding in batches; with
    channel_admins, those become channel admins and every other member stops
    being one. Answers NDJSON, one line per batch (manage_system)."""
    session = common.session()
    _path_channel(channel_id)
    permissions.require(session, "manage_system")
    if not isinstance(batch_size, int) or not 1 <= batch_size <= 1000:
        raise errors.invalid_url_param("batch_size")
    if not isinstance(batch_delay_ms, int) or not 0 <= batch_delay_ms <= 10000:
        raise errors.invalid_url_param("batch_delay_ms")
    if not isinstance(body, dict) or not isinstance(body.get("members"), list):
        raise errors.invalid_param("members")
    desired = []
    for user_id in body["members"]:
        if not is_valid_id(user_id):
            raise errors.invalid_param("members")
        desired.append(user_id)
    admins = body.get("channel_admins")
    if admins is not None:
        if not isinstance(admins, list) or any(not is_valid_id(u) for u in admins):
            raise errors.invalid_param("channel_admins")
        desired.extend(admins)
        admins = set(admins)
    desired = list(dict.fromkeys(desired))
    channel = _require_channel(channel_id)
    if channel.type not in ("O", "P"):
        raise errors.AppError(400, "api.channel.set_members.type.app_error",
                              "The members of direct and group message channels cannot be set.")
    if channel.group_constrained:
        raise errors.AppError(400, "api.channel.set_members.group_constrained.app_error",
                              "The members of a group-synced channel come from its groups.")
    current = {m.user_id: m for m in store_members.page(channel_id, 0, 10 ** 9)}
    wanted = set(desired)
    to_remove = sorted(u for u in current if u not in wanted)
    to_add = [u for u in desired if u not in current]
    lines = []
    batches = [("remove", to_remove[i:i + batch_size]) for i in range(0, len(to_remove), batch_size)]
    batches += [("add", to_add[i:i + batch_size]) for i in range(0, len(to_add), batch_size)]
    for index, (kind, batch) in enumerate(batches):
        if index and batch_delay_ms:
            store_db.release()
            time.sleep(batch_delay_ms / 1000.0)
        done, promoted, errs = [], [], []
        for user_id in batch:
            try:
                if kind == "remove":
                    _remove_one(channel, user_id, session.user_id)
                else:
                    _add_one(channel, user_id, session.user_id)
                    if admins is not None and user_id in admins:
                        member = store_channels.get_member(channel_id, user_id)
                        if member is not None and not member.scheme_guest and not member.scheme_admin:
                            channel_events.channel_member_updated(
                                store_channels.update_member(channel_id, user_id, {"scheme_admin": True}), channel)
                            promoted.append(user_id)
                done.append(user_id)
            except errors.AppError as e:
                errs.append(_set_error(user_id, e))
        if kind == "remove":
            lines.append(_result_line(removed=done, errs=errs))
        else:
            lines.append(_result_line(added=done, promoted=promoted, errs=errs))
    if admins is not None:
        promoted, demoted = [], []
        for user_id, member in sorted(current.items()):
            if user_id not in wanted or member.scheme_guest:
                continue
            if user_id in admins and not member.scheme_admin:
                channel_events.channel_member_updated(
                    store_channels.update_member(channel_id, user_id, {"scheme_admin": True}), channel)
                promoted.append(user_id)
            elif user_id not in admins and member.scheme_admin:
                channel_events.channel_member_updated(
                    store_channels.update_member(channel_id, user_id, {"scheme_admin": False}), channel)
                demoted.append(user_id)
        if promoted or demoted:
            lines.append(_result_line(promoted=promoted, demoted=demoted))
    if not lines:
        lines.append(_result_line())
    common.audit(session.user_id, "set members of channel_id=%s: %d added, %d removed"
                 % (channel_id, len(to_add), len(to_remove)))
    return flask.current_app.response_class("".join(lines), status=200, mimetype="application/x-ndjson")


def _remove_one(channel, user_id, remover_id):
    """Remove a user from a public or private channel as Mattermost's
    removeUserFromChannel does (town-square keeps everyone but guests; a guest
    who leaves their last channel of a team leaves the team)."""
    user = store_users.get(user_id)
    if user is None:
        raise _user_missing(user_id)
    guest = "system_guest" in user.roles.split()
    if channel.name == "town-square" and not guest:
        raise errors.AppError(400, "api.channel.remove.default.app_error",
                              "Nobody can leave or be removed from the town-square channel.",
                              "channel_id=%s" % channel.id)
    _require_member(channel.id, user_id)
    store_channels.remove_member(channel.id, user_id)
    if guest and channel.team_id and not store_members.team_channel_count(channel.team_id, user_id):
        if store_teams.get_member(channel.team_id, user_id) is not None:
            store_teams.remove_member(channel.team_id, user_id)
    channel_events.user_removed(channel, user_id, remover_id)
    if user_id == remover_id:
        system_posts.leave_channel(channel, user)
    else:
        remover = store_users.get(remover_id)
        if remover is not None:
            system_posts.remove_from_channel(channel, remover, user)
    common.audit(remover_id, "name=%s user_id=%s" % (channel.name, user_id))


def remove_user_from_channel(channel_id, user_id):
    """DELETE /channels/{channel_id}/members/{user_id}: leave, or remove another
    member (manage_public_channel_members or manage_private_channel_members)."""
    session = common.session()
    _path_channel(channel_id)
    user_id = _path_user(user_id)
    channel = _require_channel(channel_id)
    user = store_users.get(user_id)
    if user is None:
        raise _user_missing(user_id)
    if channel.type not in ("O", "P"):
        raise errors.AppError(400, "api.channel.remove_channel_member.type.app_error",
                              "Nobody can leave or be removed from a direct or group message channel.")
    if channel.group_constrained and user_id != session.user_id and not user.is_bot:
        raise errors.AppError(400, "api.channel.remove_member.group_constrained.app_error",
                              "Members of a group-synced channel come from its groups.")
    if user_id != session.user_id:
        permission = "manage_public_channel_members" if channel.type == "O" else "manage_private_channel_members"
        _require(session, channel_id, permission, channel)
    _remove_one(channel, user_id, session.user_id)
    return {"status": "OK"}


# ---------------------------------------------------------------------------
# Members: roles and settings.

_ROLE_NAME = re.compile(r"[a-z0-9_]{1,64}\Z")


def update_channel_roles(channel_id, user_id, body):
    """PUT .../members/{user_id}/roles: replace the member's roles
    (manage_channel_roles). Scheme roles set the scheme flags; other roles are
    kept as explicit roles."""
    session = common.session()
    _path_channel(channel_id)
    user_id = _path_user(user_id)
    roles = body.get("roles") if isinstance(body, dict) else None
    if not isinstance(roles, str) or any(not _ROLE_NAME.match(n) for n in roles.split()):
        raise errors.invalid_param("roles")
    channel = store_channels.get(channel_id)
    _require(session, channel_id, "manage_channel_roles", channel)
    member = _require_member(channel_id, user_id)
    flags, explicit = common.split_member_roles(roles, store_channels.scheme_role_names(channel),
                                                "api.channel.update_channel_member_roles.scheme_role.app_error")
    if flags["scheme_user"] and flags["scheme_guest"]:
        raise errors.AppError(400, "api.channel.update_channel_member_roles.guest_and_user.app_error",
                              "A member cannot be both a guest and a user.")
    if flags["scheme_guest"] != member.scheme_guest:
        raise errors.AppError(400, "api.channel.update_channel_member_roles.changing_guest_role.app_error",
                              "Guest membership cannot be changed through channel roles.")
    if not flags["scheme_user"] and not flags["scheme_guest"]:
        raise errors.AppError(400, "api.channel.update_channel_member_roles.unset_user_scheme.app_error",
                              "A member must keep the channel user (or guest) role.")
    updated = store_channels.update_member(channel_id, user_id, dict(flags, roles=" ".join(explicit)))
    channel_events.channel_member_updated(updated, channel)
    common.audit(session.user_id, "channel_id=%s user_id=%s roles=%s" % (channel_id, user_id, roles))
    return {"status": "OK"}


def update_channel_member_scheme_roles(channel_id, user_id, body):
    """PUT .../members/{user_id}/schemeRoles: set the scheme flags (manage_channel_roles)."""
    session = common.session()
    _path_channel(channel_id)
    user_id = _path_user(user_id)
    body = body if isinstance(body, dict) else {}
    values = {k: body.get(k, False) for k in ("scheme_guest", "scheme_user", "scheme_admin")}
    if any(not isinstance(v, bool) for v in values.values()):
        raise errors.invalid_param("scheme_roles")
    channel = store_channels.get(channel_id)
    _require(session, channel_id, "manage_channel_roles", channel)
    member = _require_member(channel_id, user_id)
    if member.scheme_guest:
        raise errors.AppError(400, "api.channel.update_channel_member_roles.guest.app_error",
                              "The scheme roles of a guest cannot be changed.")
    if values["scheme_guest"]:
        raise errors.AppError(400, "api.channel.update_channel_member_roles.user_and_guest.app_error",
                              "A member cannot be made a guest this way.")
    if not values["scheme_user"]:
        raise errors.AppError(400, "api.channel.update_channel_member_roles.unset_user_scheme.app_error",
                              "A member must keep the channel user role.")
    channel_events.channel_member_updated(store_channels.update_member(channel_id, user_id, values), channel)
    common.audit(session.user_id, "channel_id=%s user_id=%s scheme_admin=%s"
                 % (channel_id, user_id, values["scheme_admin"]))
    return {"status": "OK"}


# The notification settings a client may change, and the values each takes
# (None: any value), as Mattermost's ChannelMember.IsValid checks them.
_NOTIFY_KEYS = ("mark_unread", "desktop", "desktop_sound", "desktop_notification_sound", "desktop_threads",
                "email", "push", "push_threads", "ignore_channel_mentions", "channel_auto_follow_threads")
_LEVELS = ("default", "all", "mention", "none")
_NOTIFY_RULES = (
    # (key, required, allowed values, longest value, error id suffix)
    ("desktop", True, _LEVELS, 20, "notify_level"),
    ("mark_unread", True, ("all", "mention"), 20, "unread_level"),
    ("push", False, _LEVELS, 20, "push_level"),
    ("email", False, ("default", "true", "false"), 20, "email_value"),
    ("ignore_channel_mentions", False, ("default", "off", "on"), 40, "ignore_channel_mentions_value"),
    ("channel_auto_follow_threads", False, ("off", "on"), 3, "channel_auto_follow_threads_value"),
)
_NOTIFY_MESSAGES = {
    "notify_level": "The desktop notification level is invalid.",
    "unread_level": "The mark-unread level is invalid.",
    "push_level": "The push notification level is invalid.",
    "email_value": "The email notification setting is invalid.",
    "ignore_channel_mentions_value": "The ignore-channel-mentions setting is invalid.",
    "channel_auto_follow_threads_value": "The thread auto-follow setting is invalid.",
}


def _check_notify_props(props):
    for key, required, allowed, longest, suffix in _NOTIFY_RULES:
        if key not in props and not required:
            continue
        value = props.get(key, "")
        if not isinstance(value, str) or len(value) > longest or value not in allowed:
            raise errors.AppError(400, "model.channel_member.is_valid.%s.app_error" % suffix,
                                  _NOTIFY_MESSAGES[suffix], "%s=%s" % (key, value))
    if len(json.dumps(props)) > 800000:
        raise errors.AppError(400, "app.channel.update_member.notify_props_limit_exceeded.app_error",
                              "The notification settings are too large.")


def update_channel_notify_props(channel_id, user_id, body):
    """PUT .../members/{user_id}/notify_props: merge the sent settings into the
    member's (yourself, or edit_other_users)."""
    session = common.session()
    _path_channel(channel_id)
    user_id = _path_user(user_id)
    if not isinstance(body, dict):
        raise errors.invalid_param("notify_props")
    _require_self_or_editor(session, user_id)
    # As Go reads a JSON object into a string map: a value that is not a string becomes "".
    props = {k: (v if isinstance(v, str) else "") for k, v in body.items() if k in _NOTIFY_KEYS}
    member = _require_member(channel_id, user_id)
    merged = dict(member.notify_props or {})
    merged.update(props)
    _check_notify_props(merged)
    updated = store_members.update_notify_props(channel_id, user_id, props)
    if updated is None:
        raise _member_missing(channel_id, user_id)
    channel_events.channel_member_updated(updated)
    common.audit(session.user_id, "channel_id=%s user_id=%s notify_props updated" % (channel_id, user_id))
    return {"status": "OK"}


def update_channel_member_autotranslation(channel_id, user_id, body=None):
    """PUT .../members/{user_id}/autotranslation: auto-translation is an
    Enterprise feature; Team Edition refuses it, as Mattermost's does."""
    raise errors.AppError(403, "api.channel.update_channel_member_autotranslation.feature_not_available.app_error",
                          "Auto-translation is not available on this server.")


def get_channel_member_counts_by_group(channel_id, include_timezones=False):
    """GET /channels/{channel_id}/member_counts_by_group: needs a license (groups
    come from LDAP or SAML); Team Edition refuses it, as Mattermost's does."""
    raise errors.AppError(403, "api.channel.channel_member_counts_by_group.license.error",
                          "Member counts by group need a license this server does not have.")


_NOT_ID_CHARS = re.compile(r"[^a-zA-Z0-9,]")


def channel_members_minus_group_members(channel_id, group_ids="", page=0, per_page=None):
    """GET /channels/{channel_id}/members_minus_group_members: the channel's
    members outside the given groups (sysconsole_read_user_management_channels).
    No group exists here, so that is every active member."""
    session = common.session()
    _path_channel(channel_id)
    group_ids = group_ids or ""
    if len(_NOT_ID_CHARS.sub("", group_ids)) < 26 or any(not is_valid_id(g) for g in group_ids.split(",")):
        raise errors.invalid_param("group_ids")
    permissions.require(session, "sysconsole_read_user_management_channels")
    # per_page is 60 when not sent (the document's default of 0 is not Mattermost's).
    if "per_page" not in flask.request.args:
        per_page = common.PER_PAGE_DEFAULT
    offset, limit = common.paging(page, per_page)
    from handlers.users import user_json
    rows, total = store_members.users_minus_groups(channel_id, offset, limit)
    users = []
    for user, member in rows:
        body = user_json(user)
        body.update(groups=[], scheme_guest=member.scheme_guest, scheme_user=member.scheme_user,
                    scheme_admin=member.scheme_admin)
        users.append(body)
    return {"users": users, "total_count": total}


# ---------------------------------------------------------------------------
# Channel facts.

def _parse_bool(value):
    """Go's strconv.ParseBool, false for anything it would refuse."""
    return value in ("1", "t", "T", "TRUE", "true", "True")


def get_channel_stats(channel_id, exclude_files_count=None):
    """GET /channels/{channel_id}/stats (read_channel): active members, guests,
    pinned posts and files (-1 with exclude_files_count=true)."""
    session = common.session()
    if exclude_files_count is None:
        exclude = _parse_bool(flask.request.args.get("exclude_files_count", ""))
    else:
        exclude = exclude_files_count is True or _parse_bool(str(exclude_files_count))
    _path_channel(channel_id)
    _require(session, channel_id, "read_channel")
    members, guests, pinned, files = store_members.stats(channel_id, with_files=not exclude)
    return {"channel_id": channel_id, "member_count": members, "guest_count": guests,
            "pinnedpost_count": pinned, "files_count": files}


def get_channel_members_timezones(channel_id):
    """GET /channels/{channel_id}/timezones (read_channel): each distinct
    timezone the members use (automatic or manual, as each chose)."""
    session = common.session()
    _path_channel(channel_id)
    _require(session, channel_id, "read_channel")
    zones = []
    for tz in store_members.member_timezones(channel_id):
        automatic, manual = tz.get("automaticTimezone", ""), tz.get("manualTimezone", "")
        if not automatic and not manual:
            continue
        zone = automatic if tz.get("useAutomaticTimezone") == "true" else manual
        if zone not in zones:
            zones.append(zone)
    return zones


def get_pinned_posts(channel_id):
    """GET /channels/{channel_id}/pinned: the pinned posts, oldest first
    (read_channel_content, or read_public_channel on the team for a public
    channel). Honours If-None-Match."""
    session = common.session()
    _path_channel(channel_id)
    channel = _require_channel(channel_id)
    permissions.require_read_channel(session, channel)
    body = store_posts.post_list_json(store_posts.pinned(channel_id))
    etag = store_posts.post_list_etag(config_module.VERSION, body)
    if flask.request.headers.get("If-None-Match") == etag:
        response = flask.current_app.response_class(status=304)
        response.headers["ETag"] = etag
        return response
    response = flask.jsonify(body)
    response.headers["ETag"] = etag
    return response


# ---------------------------------------------------------------------------
# Reading state.

def view_channel(user_id, body):
    """POST /channels/members/{user_id}/view: mark channel_id (and
    prev_channel_id) read for the user (yourself, or edit_other_users).
    Returns {"status": "OK", "last_viewed_at_times": {channel_id: time}}."""
    session = common.session()
    user_id = _path_user(user_id)
    if session is None or session.user_id != user_id:  # yourself needs no look-up
        _require_self_or_editor(session, user_id)
    if not isinstance(body, dict):
        raise errors.invalid_param("channel_view")
    channel_id = body.get("channel_id") or ""
    prev_id = body.get("prev_channel_id") or ""
    if not isinstance(channel_id, str) or (channel_id and not is_valid_id(channel_id)):
        raise errors.invalid_param("channel_view.channel_id")
    if not isinstance(prev_id, str) or (prev_id and not is_valid_id(prev_id)):
        raise errors.invalid_param("channel_view.prev_channel_id")
    times, marked = store_members.mark_viewed([channel_id, prev_id], user_id)
    channel_events.multiple_channels_viewed(user_id, times, any_unread=bool(marked))
    return {"status": "OK", "last_viewed_at_times": times}


def _mark_all_read_enabled():
    value = (config_module.current().get("FeatureFlags") or {}).get("EnableShiftEscapeToMarkAllRead", False)
    return value is True or (isinstance(value, str) and value.lower() in ("true", "on"))


def mark_all_direct_messages_read(user_id):
    """PUT /channels/members/{user_id}/direct/read: mark every direct and group
    message channel of the user read (yourself, or edit_other_users). Behind
    the EnableShiftEscapeToMarkAllRead feature flag (off by default): 501
    without it, as Mattermost."""
    session = common.session()
    if not _mark_all_read_enabled():
        raise errors.AppError(501, "api.mark_all_as_read.disabled.app_error",
                              "Marking all messages read is turned off on this server.")
    user_id = _path_user(user_id)
    _require_self_or_editor(session, user_id)
    unread = channel_events.unread_direct_and_group_ids(user_id)
    times = store_members.view_direct_and_group(user_id)
    channel_events.multiple_channels_viewed(user_id, times, any_unread=bool(unread))
    return {"status": "OK", "last_viewed_at_times": times}


def get_channel_unread(user_id, channel_id):
    """GET /users/{user_id}/channels/{channel_id}/unread (yourself or
    edit_other_users, and read_channel): unread messages and mentions. A muted
    channel (mark_unread "mention") counts no unread messages."""
    session = common.session()
    _path_channel(channel_id)
    user_id = _path_user(user_id)
    _require_self_or_editor(session, user_id)
    _require(session, channel_id, "read_channel")
    found = store_members.unread(channel_id, user_id)
    if found is None:
        raise errors.AppError(404, "app.channel.get_unread.app_error", "There is no such membership.",
                              "channel_id=%s, user_id=%s" % (channel_id, user_id))
    channel, member = found
    muted = (member.notify_props or {}).get("mark_unread") == "mention"
    return {
        "team_id": channel.team_id, "channel_id": channel.id,
        "msg_count": 0 if muted else channel.total_msg_count - member.msg_count,
        "mention_count": member.mention_count, "mention_count_root": member.mention_count_root,
        "urgent_mention_count": member.urgent_mention_count,
        "msg_count_root": 0 if muted else channel.total_msg_count_root - member.msg_count_root,
    }
