"""Handlers for the 'channels' operations of the document: creating, reading,
changing, archiving, moving, listing and searching channels, as Mattermost's
Team Edition server does.

A channel the caller may not read is refused as Mattermost refuses it: 403 for
lookups by id (the channel is found first, then the permission checked), 404
for lookups by name of private channels and messages.
"""
import re
import unicodedata

import flask

from api import config as config_module, errors, permissions
from handlers import common
from store import channels as store_channels, system_posts, teams as store_teams, users as store_users
from store.ids import is_valid_id
from ws import channel_events

DEFAULT_CHANNEL = "town-square"
DISPLAY_NAME_MAX = 64
NAME_MAX = 64
HEADER_MAX = 1024
PURPOSE_MAX = 250
GROUP_MIN, GROUP_MAX = 3, 8

# model.IsValidChannelIdentifier; a team name as model.IsValidTeamName checks it.
_CHANNEL_NAME_RE = re.compile(r"[a-z0-9]+([a-z\-_0-9]+|(__)?)[a-z0-9]*\Z")
_TEAM_NAME_RE = re.compile(r"[a-z0-9]+([a-z\-0-9]+|(__)?)[a-z0-9]+\Z")
_GROUP_NAME_RE = re.compile(r"[a-f0-9]{40}\Z")

# The sysconsole permissions that open the System Console channel lists.
_CONSOLE_LIST = ("sysconsole_write_user_management_groups", "sysconsole_read_user_management_channels",
                 "sysconsole_read_compliance_data_retention_policy")
_CONSOLE_FULL = ("sysconsole_read_compliance_data_retention_policy", "sysconsole_read_user_management_channels")


# ---------------------------------------------------------------------------
# Helpers

def _session():
    return common.session()


def _config():
    return config_module.current()


_require_id = common.path_id


def _user_id_param(value):
    return common.path_id(value, "user_id")


def _channel_name_param(value):
    if not _CHANNEL_NAME_RE.match(value or ""):
        raise errors.invalid_url_param("channel_name")
    return value


def _team_name_param(value):
    if len(value or "") < 2 or not _TEAM_NAME_RE.match(value):
        raise errors.invalid_url_param("team_name")
    return value


def _has_any(session, names):
    return any(permissions.has(session, name) for name in names)


def _not_found_channel(channel_id):
    return errors.AppError(404, "app.channel.get.existing.app_error", "There is no such channel.",
                           "channel_id=%s" % channel_id)


def _not_found_by_name(team_id, name):
    return errors.AppError(404, "app.channel.get_by_name.missing.app_error", "There is no channel of that name.",
                           "teamId=%s, name=%s" % (team_id, name))


def _require_channel(channel_id):
    channel = store_channels.get(channel_id)
    if channel is None:
        raise _not_found_channel(channel_id)
    return channel


def _is_guest(session):
    return "system_guest" in (session.roles or "").split()


def _paging(page, per_page):
    """Mattermost's paging; per_page absent from the query means its default
    (the document declares a default of 0 for some lists)."""
    if "per_page" not in flask.request.args:
        per_page = common.PER_PAGE_DEFAULT
    return common.paging(page, per_page)


def _default_channel_names():
    extra = _config()["TeamSettings"].get("ExperimentalDefaultChannels") or []
    names = [DEFAULT_CHANNEL]
    for name in extra or ["off-topic"]:
        if name not in names:
            names.append(name)
    return names


def _sanitized(channel):
    """A channel reduced to id, team, type and display name (Mattermost's Channel.Sanitize)."""
    body = store_channels.channel_json(channel)
    for key, value in list(body.items()):
        if key in ("id", "team_id", "type", "display_name"):
            continue
        body[key] = None if value is None or isinstance(value, (dict, list)) or key in (
            "scheme_id", "group_constrained", "shared", "props") else type(value)()
    return body


def _with_team_json(channel, team, sanitize=False):
    body = _sanitized(channel) if sanitize else store_channels.channel_json(channel)
    body.update(team_display_name=team.display_name, team_name=team.name, team_update_at=team.update_at)
    return body


def _channels_json(rows, fill=False):
    bodies = [store_channels.channel_json(c) for c in rows]
    if fill:
        _fill_props(rows, bodies)
    return bodies


_MENTION_RE = re.compile(r"\B~([a-zA-Z0-9\-_]+)")


def _fill_props(rows, bodies):
    """Mattermost's FillInChannelsProps: props.channel_mentions names the public
    channels (of the same team) that a header mentions with ~name."""
    by_team = {}
    for channel, body in zip(rows, bodies):
        mentioned = list(dict.fromkeys(_MENTION_RE.findall(channel.header or "")))
        by_team.setdefault(channel.team_id, []).append((body, mentioned))
    for team_id, entries in by_team.items():
        names = {name for _, mentioned in entries for name in mentioned}
        if not names:
            continue
        found = {c.name: c for c in store_channels.get_by_names(team_id, names)}
        for body, mentioned in entries:
            mentions = {name: {"display_name": found[name].display_name}
                        for name in mentioned if name in found and found[name].type == "O"}
            props = dict(body.get("props") or {})
            if mentions:
                props["channel_mentions"] = mentions
            else:
                props.pop("channel_mentions", None)
            body["props"] = props or body.get("props")


def _channel_out(channel):
    return _channels_json([channel], fill=True)[0]


def _team_json_for(session, team):
    """A team as Mattermost's SanitizeTeam shows it: whole to its admins, the
    invite id to those who may invite, neither email nor invite id to others."""
    body = store_teams.team_json(team)
    if not permissions.has_team(session, team.id, "manage_team"):
        body["email"] = ""
        if not permissions.has_team(session, team.id, "invite_user"):
            body["invite_id"] = ""
    return body


def _runes(value):
    return len(value or "")


def _validate(fields):
    """Mattermost's Channel.IsValid for the fields a client controls."""
    if _runes(fields.get("display_name")) > DISPLAY_NAME_MAX:
        raise errors.AppError(400, "model.channel.is_valid.display_name.app_error",
                              "The display name is longer than 64 characters.")
    name = fields.get("name") or ""
    if not _CHANNEL_NAME_RE.match(name) or len(name) > NAME_MAX:
        raise errors.AppError(400, "model.channel.is_valid.1_or_more.app_error",
                              "The channel name must be 1 to 64 lowercase letters, digits, dashes or underscores, "
                              "starting with a letter or digit.")
    if fields.get("type") not in ("O", "P", "D", "G"):
        raise errors.AppError(400, "model.channel.is_valid.type.app_error", "The channel type is invalid.")
    if _runes(fields.get("header")) > HEADER_MAX:
        raise errors.AppError(400, "model.channel.is_valid.header.app_error",
                              "The header is longer than 1024 characters.")
    if _runes(fields.get("purpose")) > PURPOSE_MAX:
        raise errors.AppError(400, "model.channel.is_valid.purpose.app_error",
                              "The purpose is longer than 250 characters.")
    if fields["type"] not in ("D", "G"):
        parts = name.split("__")
        if _GROUP_NAME_RE.match(name) or (len(parts) == 2 and is_valid_id(parts[0]) and is_valid_id(parts[1])):
            raise errors.AppError(400, "model.channel.is_valid.name.app_error",
                                  "That name is kept for direct and group messages.")
    if fields.get("group_constrained") and fields["type"] not in ("O", "P"):
        raise errors.AppError(400, "model.channel.is_valid.group_constrained.app_error",
                              "Only public and private channels can be linked to groups.")


def _clean(value):
    """Mattermost's SanitizeUnicode: drop invisible and bidirectional control characters."""
    if not isinstance(value, str):
        return value
    return "".join(ch for ch in value if unicodedata.category(ch) != "Cf")


def _exists_error():
    return errors.AppError(400, "store.sql_channel.save_channel.exists.app_error",
                           "A channel with that name already exists in the team.")


def _save_update(channel, changes):
    """Validate and write changes to a channel, as Mattermost's UpdateChannel does."""
    if channel.delete_at:
        raise errors.AppError(400, "app.channel.update.bad_id", "An archived channel cannot be changed.")
    if "name" in changes:
        changes["name"] = _clean(changes["name"])
    if "display_name" in changes:
        changes["display_name"] = _clean(changes["display_name"])
    merged = {"name": channel.name, "display_name": channel.display_name, "type": channel.type,
              "header": channel.header, "purpose": channel.purpose, "group_constrained": channel.group_constrained}
    merged.update(changes)
    _validate(merged)
    team_id = changes.get("team_id", channel.team_id)
    if merged["name"] != channel.name and store_channels.name_taken(team_id, merged["name"], channel.id):
        raise _exists_error()
    return store_channels.update(channel.id, changes)


def _default_category_name(body):
    """A request's default_category_name, trimmed as Mattermost trims it; a name
    too long for a sidebar category is not kept (Mattermost cannot save it)."""
    value = body.get("default_category_name") if isinstance(body, dict) else None
    value = value.strip() if isinstance(value, str) else ""
    return value if len(value) <= 64 else ""   # the longest sidebar category name


def _place_in_default_category(user_id, channel):
    from handlers.channel_members import place_in_default_category
    place_in_default_category(user_id, channel)


def _restricted_dm(channel):
    """RestrictDirectMessage=team: a direct or group message whose members share no team."""
    if _config()["TeamSettings"].get("RestrictDirectMessage") != "team" or channel.type not in ("D", "G"):
        return False
    return not store_channels.common_team_ids(store_channels.active_member_ids(channel.id))


def _can_see(session, other_id):
    """Mattermost's UserCanSeeOtherUser."""
    if other_id == session.user_id or permissions.has(session, "view_members"):
        return True
    return store_users.can_see(session.user_id, other_id)


def _post_as(session, write, channel, *args):
    """Write a system message (a store.system_posts function) by the caller."""
    actor = store_users.get(session.user_id)
    if actor is not None:
        write(channel, actor, *args)


def _read_ok_public(session, channel):
    return (permissions.has_team(session, channel.team_id, "read_public_channel")
            or permissions.has_channel(session, channel.id, "read_channel", channel))


# ---------------------------------------------------------------------------
# Creating

def create_channel(body):
    session = _session()
    team_id = body.get("team_id") or ""
    channel_type = body.get("type") or ""
    if not team_id:
        raise errors.invalid_body_param("team_id", "A channel needs the team it belongs to.")
    if not body.get("display_name"):
        raise errors.invalid_body_param("display_name", "A channel needs a display name.")
    if channel_type == "O" and not permissions.has_team(session, team_id, "create_public_channel"):
        raise errors.permission_denied(["create_public_channel"])
    if channel_type == "P" and not permissions.has_team(session, team_id, "create_private_channel"):
        raise errors.permission_denied(["create_private_channel"])
    if channel_type in ("D", "G"):
        raise errors.AppError(400, "api.channel.create_channel.direct_channel.app_error",
                              "Direct and group messages are made with their own operations.")
    count = store_channels.team_channel_count(team_id)
    if count == 0:
        raise errors.AppError(404, "app.channel.get_channels.not_found.app_error", "The team has no channels.",
                              "team_id=%s" % team_id)
    limit = _config()["TeamSettings"]["MaxChannelsPerTeam"]
    if count + 1 > limit:
        raise errors.AppError(400, "api.channel.create_channel.max_channel_limit.app_error",
                              "The team has reached its limit of %d channels." % limit)
    fields = {"team_id": team_id, "type": channel_type, "name": _clean(body.get("name") or ""),
              "display_name": _clean(body.get("display_name") or "").strip(),
              "header": body.get("header") or "", "purpose": body.get("purpose") or "",
              "default_category_name": _default_category_name(body)}
    _validate(fields)
    creator = store_users.get(session.user_id)
    if creator is None:
        raise errors.AppError(404, "app.user.missing_account.const", "There is no such user.")
    try:
        channel = store_channels.create(fields, creator=creator)
    except store_channels.Conflict:
        raise _exists_error()
    _place_in_default_category(creator.id, channel)
    system_posts.join_channel(channel, creator)
    channel_events.channel_created(channel, creator.id)
    common.audit(session.user_id, "name=%s" % channel.name)
    return store_channels.channel_json(channel), 201


def _id_list(body, name):
    if not isinstance(body, list) or not all(isinstance(v, str) for v in body):
        raise errors.AppError(400, "api.payload.parse.error", "The request body is not a list of ids.")
    return list(dict.fromkeys(body))


def create_direct_channel(body):
    session = _session()
    user_ids = _id_list(body, "user_ids")
    if len(user_ids) == 1 and user_ids[0] == session.user_id:
        user_ids.append(user_ids[0])
    if len(user_ids) != 2:
        raise errors.invalid_body_param("user_ids")
    for user_id in user_ids:
        if not is_valid_id(user_id):
            raise errors.invalid_body_param("user_id")
    permissions.require(session, "create_direct_channel")
    if session.user_id not in user_ids:
        permissions.require(session, "manage_system")
    other_id = user_ids[1] if user_ids[0] == session.user_id else user_ids[0]
    if not _can_see(session, other_id):
        raise errors.permission_denied(["view_members"])
    first, second = store_users.get(user_ids[0]), store_users.get(user_ids[1])
    if first is None or second is None:
        raise errors.AppError(400, "api.channel.create_direct_channel.invalid_user.app_error",
                              "One of the users does not exist.")
    existing = store_channels.get_by_name("", store_channels.direct_name(first.id, second.id), include_deleted=True)
    if existing is None and _config()["TeamSettings"].get("RestrictDirectMessage") == "team" \
            and not permissions.has(session, "manage_system") and first.id != second.id \
            and not store_channels.common_team_ids([first.id, second.id]):
        raise errors.AppError(403, "api.channel.create_channel.direct_channel.team_restricted_error",
                              "Direct messages are only allowed between members of a same team.")
    channel, created = store_channels.get_or_create_direct(first, second)
    if created:
        channel_events.direct_added(channel, first.id, second.id)
    return store_channels.channel_json(channel), 201


def create_group_channel(body):
    session = _session()
    user_ids = _id_list(body, "user_ids")
    if not user_ids:
        raise errors.invalid_body_param("user_ids")
    for user_id in user_ids:
        if not is_valid_id(user_id):
            raise errors.invalid_body_param("user_id")
    if session.user_id not in user_ids:
        user_ids.append(session.user_id)
    permissions.require(session, "create_group_channel")
    if not all(_can_see(session, user_id) for user_id in user_ids):
        raise errors.permission_denied(["view_members"])
    if not GROUP_MIN <= len(user_ids) <= GROUP_MAX:
        raise errors.AppError(400, "api.channel.create_group.bad_size.app_error",
                              "A group message has between 3 and 8 members.")
    users = store_users.get_many(ids=user_ids)
    if len(users) != len(user_ids):
        raise errors.AppError(400, "api.channel.create_group.bad_user.app_error",
                              "One of the users does not exist.", "user_ids=%s" % user_ids)
    channel, created = store_channels.get_or_create_group(users, session.user_id)
    if created:
        channel_events.group_added(channel, user_ids)
    return store_channels.channel_json(channel), 201


# ---------------------------------------------------------------------------
# Reading one channel

def get_channel(channel_id):
    session = _session()
    _require_id(channel_id, "channel_id")
    channel = _require_channel(channel_id)
    if channel.type == "O":
        if not _read_ok_public(session, channel):
            raise errors.permission_denied(["read_channel"])
    elif not permissions.has_channel(session, channel.id, "read_channel", channel):
        raise errors.permission_denied(["read_channel"])
    return _channel_out(channel)


def _by_name_access(session, channel, team_id):
    """Who may read a channel found by name: public ones as GetChannel; private
    channels and messages are not found for those who cannot read them (team
    admins can)."""
    channel_ok = permissions.has_channel(session, channel.id, "read_channel", channel)
    if channel.type == "O":
        if not channel_ok and not permissions.has_team(session, channel.team_id, "read_public_channel"):
            raise errors.permission_denied(["read_public_channel"])
    elif not channel_ok and not permissions.has_team(session, channel.team_id, "manage_team"):
        raise _not_found_by_name(channel.team_id, channel.name)


def get_channel_by_name(team_id, channel_name, include_deleted=False):
    session = _session()
    _require_id(team_id, "team_id")
    _channel_name_param(channel_name)
    channel = store_channels.get_by_name_for_team(team_id, channel_name, include_deleted)
    if channel is None:
        raise _not_found_by_name(team_id, channel_name)
    _by_name_access(session, channel, team_id)
    return _channel_out(channel)


def get_channel_by_name_for_team_name(team_name, channel_name, include_deleted=False):
    session = _session()
    _team_name_param(team_name)
    _channel_name_param(channel_name)
    team = store_teams.get_by_name(team_name)
    if team is None:
        raise errors.AppError(404, "app.team.get_by_name.missing.app_error", "There is no team of that name.",
                              "name=%s" % team_name)
    channel = store_channels.get_by_name_for_team(team.id, channel_name, include_deleted)
    if channel is None:
        raise _not_found_by_name(team.id, channel_name)
    _by_name_access(session, channel, team.id)
    return _channel_out(channel)


# ---------------------------------------------------------------------------
# Changing a channel

def _check_properties_permission(session, channel):
    """manage_*_channel_properties for public and private channels; membership
    for direct and group messages."""
    if channel.type == "O":
        if not permissions.has_channel(session, channel.id, "manage_public_channel_properties", channel):
            raise errors.permission_denied(["manage_public_channel_properties"])
    elif channel.type == "P":
        if not permissions.has_channel(session, channel.id, "manage_private_channel_properties", channel):
            raise errors.permission_denied(["manage_private_channel_properties"])
    elif channel.type in ("D", "G"):
        if store_channels.get_member(channel.id, session.user_id) is None:
            raise errors.AppError(403, "api.channel.patch_update_channel.forbidden.app_error",
                                  "Only members can change a direct or group message.")
    else:
        raise errors.AppError(403, "api.channel.patch_update_channel.forbidden.app_error",
                              "This channel cannot be changed.")


def update_channel(channel_id, body):
    session = _session()
    _require_id(channel_id, "channel_id")
    if body.get("id") != channel_id:
        raise errors.invalid_body_param("channel_id")
    channel = _require_channel(channel_id)
    _check_properties_permission(session, channel)
    name, display_name = body.get("name") or "", body.get("display_name") or ""
    header, purpose = body.get("header") or "", body.get("purpose") or ""
    if channel.type in ("D", "G") and ((name and name != channel.name)
                                        or (display_name and display_name != channel.display_name)
                                        or purpose != channel.purpose):
        raise errors.AppError(400, "api.channel.update_channel.update_direct_or_group_messages_not_allowed.app_error",
                              "Only the header of a direct or group message can change.")
    if channel.delete_at:
        raise errors.AppError(400, "api.channel.update_channel.deleted.app_error", "An archived channel cannot be changed.")
    if body.get("type") and body["type"] != channel.type:
        raise errors.AppError(400, "api.channel.update_channel.typechange.app_error",
                              "The type of a channel is changed through its privacy.")
    if channel.name == DEFAULT_CHANNEL and name and name != channel.name:
        raise errors.AppError(400, "api.channel.update_channel.tried.app_error",
                              "The town-square channel cannot be renamed.")
    changes = {"header": header, "purpose": purpose}
    if display_name:
        changes["display_name"] = display_name
    if name:
        changes["name"] = name
    if isinstance(body.get("group_constrained"), bool):
        changes["group_constrained"] = body["group_constrained"]
    updated = _save_update(channel, changes)
    channel_events.channel_updated(updated)
    if updated.display_name != channel.display_name:
        _post_as(session, system_posts.displayname_change, updated, channel.display_name, updated.display_name)
    common.audit(session.user_id, "name=%s" % updated.name)
    return store_channels.channel_json(updated)


_PATCH_PROPERTIES = ("display_name", "name", "header", "purpose", "group_constrained", "default_category_name")


def patch_channel(channel_id, body):
    session = _session()
    _require_id(channel_id, "channel_id")
    channel = _require_channel(channel_id)
    present = {key for key, value in body.items() if value is not None}
    updating_properties = bool(present & set(_PATCH_PROPERTIES))
    if not (updating_properties or present & {"autotranslation", "banner_info", "managed_category_name",
                                              "discoverable"}):
        raise errors.AppError(400, "api.channel.patch_update_channel.no_changes.app_error",
                              "The patch changes nothing.")
    if "discoverable" in present:
        raise errors.AppError(400, "api.channel.discoverable_join_request.feature_disabled.app_error",
                              "Discoverable channels are not enabled on this server.")
    if "autotranslation" in present:
        raise errors.AppError(403, "api.channel.patch_update_channel.feature_not_available.app_error",
                              "Automatic translation is not available on this server.")
    if "group_constrained" in present and channel.type not in ("O", "P"):
        raise errors.AppError(400, "api.channel.patch_update_channel.group_constrained_not_allowed.app_error",
                              "Only public and private channels can be linked to groups.")
    if channel.type in ("O", "P"):
        if updating_properties:
            _check_properties_permission(session, channel)
    else:
        _check_properties_permission(session, channel)
        if (("name" in present and body["name"] != channel.name)
                or ("display_name" in present and body["display_name"] != channel.display_name)
                or ("purpose" in present and body["purpose"] != channel.purpose)
                or "default_category_name" in present):
            raise errors.AppError(400, "api.channel.patch_update_channel.update_direct_or_group_messages_not_allowed"
                                  ".app_error", "Only the header of a direct or group message can change.")
    if channel.name == DEFAULT_CHANNEL and "name" in present and body["name"] != channel.name:
        raise errors.AppError(400, "api.channel.update_channel.tried.app_error",
                              "The town-square channel cannot be renamed.")
    if "banner_info" in present:
        # Channel banners need an Enterprise Advanced license.
        if channel.type == "O":
            permission = "manage_public_channel_banner"
        elif channel.type == "P":
            permission = "manage_private_channel_banner"
        else:
            raise errors.AppError(400, "api.channel.update_channel.banner_info.channel_type.not_allowed",
                                  "Only public and private channels have banners.")
        if not permissions.has_channel(session, channel.id, permission, channel):
            raise errors.permission_denied([permission])
        raise errors.AppError(403, "license_error.feature_unavailable.specific",
                              "Channel banners need a license this server does not have.")
    if _restricted_dm(channel):
        raise errors.AppError(400, "api.channel.patch_update_channel.restricted_dm.app_error",
                              "The members of this message share no team.")
    changes = {}
    if "display_name" in present:
        changes["display_name"] = str(body["display_name"]).strip()
    for key in ("name", "header", "purpose"):
        if key in present:
            changes[key] = body[key]
    if "group_constrained" in present:
        changes["group_constrained"] = body["group_constrained"]
    if "default_category_name" in present:
        changes["default_category_name"] = _default_category_name(body)
    updated = _save_update(channel, changes)
    channel_events.channel_updated(updated)
    if updated.type in ("O", "P"):
        _place_in_default_category(session.user_id, updated)
    actor = store_users.get(session.user_id)
    if actor is not None:
        system_posts.property_changes(updated, actor, channel, updated)
    common.audit(session.user_id, "")
    return _channel_out(updated)


def update_channel_privacy(channel_id, body):
    session = _session()
    _require_id(channel_id, "channel_id")
    privacy = body.get("privacy")
    if privacy not in ("O", "P"):
        raise errors.invalid_body_param("privacy")
    channel = _require_channel(channel_id)
    permission = "convert_private_channel_to_public" if privacy == "O" else "convert_public_channel_to_private"
    if not permissions.has_channel(session, channel.id, permission, channel):
        raise errors.permission_denied([permission])
    if channel.name == DEFAULT_CHANNEL and privacy == "P":
        raise errors.AppError(400, "api.channel.update_channel_privacy.default_channel_error",
                              "The town-square channel cannot be made private.")
    updated = _save_update(channel, {"type": privacy})
    channel_events.channel_updated(updated)
    _post_as(session, system_posts.privacy_change, updated)
    channel_events.channel_converted(updated)
    common.audit(session.user_id, "name=%s" % updated.name)
    return store_channels.channel_json(updated)


def delete_channel(channel_id):
    session = _session()
    _require_id(channel_id, "channel_id")
    channel = _require_channel(channel_id)
    if channel.type in ("D", "G"):
        raise errors.AppError(400, "api.channel.delete_channel.type.invalid",
                              "Direct and group messages cannot be archived.")
    permission = "delete_public_channel" if channel.type == "O" else "delete_private_channel"
    if channel.type in ("O", "P") and not permissions.has_channel(session, channel.id, permission, channel):
        raise errors.permission_denied([permission])
    if flask.request.args.get("permanent", "").lower() in ("true", "1", "t"):
        if not _config()["ServiceSettings"]["EnableAPIChannelDeletion"]:
            user = store_users.get(session.user_id)
            if user is not None and "system_admin" in user.roles.split():
                raise errors.AppError(401, "api.user.delete_channel.not_enabled.for_admin.app_error",
                                      "Permanent deletion through the API is off "
                                      "(ServiceSettings.EnableAPIChannelDeletion).", "channelId=%s" % channel.id)
            raise errors.AppError(401, "api.user.delete_channel.not_enabled.app_error",
                                  "Permanent deletion through the API is off on this server.",
                                  "channelId=%s" % channel.id)
        member_ids = store_channels.member_ids(channel.id) if channel.type != "O" else None
        store_channels.permanent_delete(channel.id)
        channel_events.channel_deleted(channel, store_channels._millis(), member_ids)
    else:
        if channel.delete_at:
            raise errors.AppError(400, "api.channel.delete_channel.deleted.app_error",
                                  "The channel is already archived.")
        if channel.name == DEFAULT_CHANNEL:
            raise errors.AppError(400, "api.channel.delete_channel.cannot.app_error",
                                  "The town-square channel cannot be archived.")
        # Mattermost writes the message while the channel is still open.
        _post_as(session, system_posts.channel_archived, channel)
        archived = store_channels.set_deleted(channel.id, store_channels._millis())
        channel_events.channel_deleted(channel, archived.delete_at if archived is not None else channel.delete_at)
    common.audit(session.user_id, "name=%s" % channel.name)
    return {"status": "OK"}


def restore_channel(channel_id):
    session = _session()
    _require_id(channel_id, "channel_id")
    channel = _require_channel(channel_id)
    if not permissions.has_team(session, channel.team_id, "manage_team") \
            and not permissions.has(session, "sysconsole_write_user_management_channels"):
        raise errors.permission_denied(["manage_team"])
    if not channel.delete_at:
        raise errors.AppError(400, "api.channel.restore_channel.restored.app_error", "The channel is not archived.")
    restored = store_channels.set_deleted(channel.id, 0)
    channel_events.channel_restored(restored)
    _post_as(session, system_posts.channel_restored, restored)
    common.audit(session.user_id, "name=%s" % restored.name)
    return store_channels.channel_json(restored)


def move_channel(channel_id, body):
    session = _session()
    _require_id(channel_id, "channel_id")
    channel = _require_channel(channel_id)
    team_id = body.get("team_id")
    if not isinstance(team_id, str):
        raise errors.invalid_body_param("team_id")
    force = body.get("force")
    if not isinstance(force, bool):
        raise errors.invalid_body_param("force")
    team = store_teams.get(team_id)
    if team is None:
        raise errors.AppError(404, "app.team.get.find.app_error", "There is no such team.", "id=%s" % team_id)
    if channel.type in ("D", "G"):
        raise errors.AppError(403, "api.channel.move_channel.type.invalid",
                              "Direct and group messages cannot be moved.")
    permissions.require(session, "manage_system")
    store_channels.remove_deactivated_members(channel.id)
    if force:
        for user_id in store_channels.members_not_in_team(channel.id, team.id):
            if store_channels.remove_member(channel.id, user_id):
                channel_events.user_removed(channel, user_id, session.user_id)
    if store_channels.members_not_in_team(channel.id, team.id):
        raise errors.AppError(400, "app.channel.move_channel.members_do_not_match.error",
                              "Some members of the channel are not members of the target team.")
    if store_channels.name_taken(team.id, channel.name, channel.id):
        raise _exists_error()
    previous_team = store_teams.get(channel.team_id)
    moved = store_channels.move(channel.id, team.id)
    if previous_team is not None:
        _post_as(session, system_posts.channel_moved, moved, previous_team)
    common.audit(session.user_id, "channel=%s" % moved.name)
    common.audit(session.user_id, "team=%s" % team.name)
    return store_channels.channel_json(moved)


# ---------------------------------------------------------------------------
# Lists of a team's channels

def get_public_channels_for_team(team_id, page=0, per_page=60):
    session = _session()
    _require_id(team_id, "team_id")
    permissions.require_team(session, team_id, "list_team_channels")
    offset, limit = _paging(page, per_page)
    return _channels_json(store_channels.list_for_team(team_id, "O", offset, limit), fill=True)


def get_deleted_channels_for_team(team_id, page=0, per_page=60):
    session = _session()
    _require_id(team_id, "team_id")
    permissions.require_team(session, team_id, "list_team_channels")
    offset, limit = _paging(page, per_page)
    everything = permissions.has(session, "manage_system")
    return _channels_json(store_channels.list_deleted(team_id, session.user_id, offset, limit, everything), fill=True)


def get_private_channels_for_team(team_id, page=0, per_page=60):
    session = _session()
    _require_id(team_id, "team_id")
    permissions.require(session, "manage_system")
    offset, limit = _paging(page, per_page)
    return _channels_json(store_channels.list_for_team(team_id, "P", offset, limit), fill=True)


def get_public_channels_by_ids_for_team(team_id, body):
    session = _session()
    _require_id(team_id, "team_id")
    channel_ids = _id_list(body, "channel_ids")
    if not channel_ids:
        raise errors.invalid_body_param("channel_ids")
    for channel_id in channel_ids:
        if not is_valid_id(channel_id):
            raise errors.invalid_body_param("channel_id")
    permissions.require_team(session, team_id, "view_team")
    rows = store_channels.public_by_ids(team_id, channel_ids)
    if not rows:
        raise errors.AppError(404, "app.channel.get_channels_by_ids.not_found.app_error",
                              "None of those channels is a public channel of the team.")
    if _is_guest(session):
        for channel in rows:
            if not permissions.has_channel(session, channel.id, "read_channel", channel):
                raise errors.permission_denied(["read_channel"])
    return _channels_json(rows, fill=True)


def get_recommended_channels_for_team(team_id):
    """Recommendations come from attribute-based access policies, which need an
    Enterprise Advanced license: an unlicensed server recommends nothing."""
    session = _session()
    _require_id(team_id, "team_id")
    permissions.require_team(session, team_id, "list_team_channels")
    return []


def get_managed_categories(team_id):
    """Managed categories need an Enterprise license (Mattermost answers 501 without one)."""
    _require_id(team_id, "team_id")
    raise errors.AppError(501, "api.license_error", "Managed channel categories need a license this server does not have.")


def autocomplete_channels_for_team(team_id, name=""):
    session = _session()
    _require_id(team_id, "team_id")
    permissions.require_team(session, team_id, "list_team_channels")
    rows = store_channels.autocomplete_in_team(team_id, session.user_id, name, _is_guest(session))
    return _channels_json(rows)


def autocomplete_channels_for_team_for_search(team_id, name=""):
    session = _session()
    _require_id(team_id, "team_id")
    return _channels_json(store_channels.autocomplete_for_search(team_id, session.user_id, name))


def search_channels(team_id, body):
    session = _session()
    _require_id(team_id, "team_id")
    term = body.get("term") or ""
    if permissions.has_team(session, team_id, "list_team_channels"):
        rows = store_channels.search_public_in_team(team_id, term)
    else:
        if store_teams.get_member(team_id, session.user_id, include_deleted=True) is None:
            raise errors.AppError(404, "app.team.get_member.missing.app_error", "You are not a member of that team.",
                                  "teamId=%s, userId=%s" % (team_id, session.user_id))
        rows = store_channels.search_public_in_team(team_id, term, member_id=session.user_id)
    return _channels_json(rows)


# ---------------------------------------------------------------------------
# A user's channels

def _last_delete_at(value):
    if not isinstance(value, int):
        return 0
    if value < 0:
        raise errors.invalid_url_param("last_delete_at")
    return value


def _require_act_on(session, user_id):
    target = store_users.get(user_id)
    if not permissions.can_act_on_user(session, user_id, target.roles if target is not None else ""):
        raise errors.permission_denied(["edit_other_users"])


def get_channels_for_team_for_user(user_id, team_id, include_deleted=False, last_delete_at=0):
    session = _session()
    user_id = _user_id_param(user_id)
    _require_id(team_id, "team_id")
    _require_act_on(session, user_id)
    permissions.require_team(session, team_id, "view_team")
    since = _last_delete_at(last_delete_at)
    rows = store_channels.for_member_in_team(user_id, team_id, include_deleted, since)
    if not rows:
        raise errors.AppError(404, "app.channel.get_channels.not_found.app_error",
                              "The user has no channels in this team.", "userId=%s" % user_id)
    return _channels_json(rows, fill=True)


def get_channels_for_user(user_id, last_delete_at=0, include_deleted=False):
    session = _session()
    user_id = _user_id_param(user_id)
    _require_act_on(session, user_id)
    since = _last_delete_at(last_delete_at)
    return _channels_json(store_channels.for_member(user_id, include_deleted, since), fill=True)


# ---------------------------------------------------------------------------
# System Console lists and searches

def get_all_channels(not_associated_to_group=None, page=0, per_page=0, exclude_default_channels=False,
                     include_deleted=False, include_total_count=False, exclude_policy_constrained=False):
    session = _session()
    if not _has_any(session, _CONSOLE_LIST):
        raise errors.permission_denied(list(_CONSOLE_LIST))
    if exclude_policy_constrained and not permissions.has(session, "sysconsole_read_compliance_data_retention_policy"):
        raise errors.permission_denied(["sysconsole_read_compliance_data_retention_policy"])
    offset, limit = _paging(page, per_page)
    exclude = _default_channel_names() if exclude_default_channels else ()
    pairs = store_channels.all_channels(include_deleted, exclude)
    sanitize = not _has_any(session, _CONSOLE_FULL)
    listed = [_with_team_json(c, t, sanitize) for c, t in pairs[offset:offset + limit]]
    if include_total_count:
        return {"channels": listed, "total_count": len(pairs)}
    return listed


def _optional_int(body, name):
    value = body.get(name)
    if value is None:
        return None
    if isinstance(value, bool):
        raise errors.invalid_body_param("channel_search")
    if isinstance(value, str):
        try:
            value = int(value)
        except ValueError:
            raise errors.invalid_body_param("channel_search")
    if not isinstance(value, int):
        raise errors.invalid_body_param("channel_search")
    return value


def search_all_channels(body, system_console=True):
    session = _session()
    term = body.get("term") or ""
    team_ids = body.get("team_ids") or []
    if not system_console:
        if len(team_ids) == 1 and is_valid_id(team_ids[0]):
            permissions.require_team(session, team_ids[0], "view_team")
            rows = store_channels.autocomplete_in_team(
                team_ids[0], session.user_id, term, _is_guest(session), private_only=bool(body.get("private")),
                exclude_group_constrained=bool(body.get("exclude_group_constrained")))
            return _channels_json(rows)
        pairs = store_channels.autocomplete_all(session.user_id, term, _is_guest(session))
        return [_with_team_json(c, t) for c, t in pairs]
    if body.get("exclude_policy_constrained") \
            and not permissions.has(session, "sysconsole_read_compliance_data_retention_policy"):
        raise errors.permission_denied(["sysconsole_read_compliance_data_retention_policy"])
    if not _has_any(session, _CONSOLE_LIST):
        raise errors.permission_denied(["sysconsole_read_user_management_channels"])
    page, per_page = _optional_int(body, "page"), _optional_int(body, "per_page")
    include_deleted = bool(body.get("include_deleted")) \
        or flask.request.args.get("include_deleted", "").lower() in ("true", "1", "t")
    pairs = store_channels.search_all(
        term, include_deleted=include_deleted, deleted=bool(body.get("deleted")), team_ids=team_ids,
        exclude_names=_default_channel_names() if body.get("exclude_default_channels") else (),
        public=bool(body.get("public")), private=bool(body.get("private")),
        group_constrained=bool(body.get("group_constrained")),
        exclude_group_constrained=bool(body.get("exclude_group_constrained")),
        by_id=bool(body.get("include_search_by_id")))
    total = len(pairs)
    limit = per_page if per_page is not None else 100
    offset = page * per_page if page is not None and per_page is not None else 0
    sanitize = not _has_any(session, _CONSOLE_FULL)
    listed = [_with_team_json(c, t, sanitize) for c, t in pairs[max(offset, 0):max(offset, 0) + max(limit, 0)]]
    if page is not None and per_page is not None:
        return {"channels": listed, "total_count": total}
    return listed


def search_group_channels(body):
    session = _session()
    term = body.get("term") or ""
    if not term:
        return []
    return _channels_json(store_channels.search_group_channels(session.user_id, term))


def get_group_message_members_common_teams(channel_id):
    session = _session()
    _require_id(channel_id, "channel_id")
    user = store_users.get(session.user_id)
    if user is not None and "system_guest" in user.roles.split():
        raise errors.AppError(403, "api.channel.gm_to_channel_conversion.not_allowed_for_user.request_error",
                              "Guests cannot do this.", "userId=%s" % session.user_id)
    permissions.require_channel(session, channel_id, "read_channel")
    channel = _require_channel(channel_id)
    if channel.type not in ("G", "D"):
        raise errors.AppError(400, "app.channel.get_common_teams.incorrect_channel_type",
                              "Only direct and group messages have common teams.")
    member_ids = store_channels.active_member_ids(channel.id, limit=GROUP_MAX)
    if session.user_id not in member_ids:
        return []
    teams = [store_teams.get(team_id) for team_id in store_channels.common_team_ids(member_ids)]
    teams = sorted((t for t in teams if t is not None), key=lambda t: t.id)
    return [_team_json_for(session, t) for t in teams]


# ---------------------------------------------------------------------------
# Licensed features, answered as an unlicensed Mattermost server answers

def get_channel_moderations(channel_id):
    raise errors.AppError(403, "api.channel.get_channel_moderations.license.error",
                          "Channel moderation needs a license this server does not have.")


def patch_channel_moderations(channel_id, body=None):
    raise errors.AppError(403, "api.channel.patch_channel_moderations.license.error",
                          "Channel moderation needs a license this server does not have.")


def update_channel_scheme(channel_id, body):
    _require_id(channel_id, "channel_id")
    scheme_id = body.get("scheme_id")
    if not is_valid_id(scheme_id):
        raise errors.invalid_body_param("scheme_id")
    raise errors.AppError(403, "api.channel.update_channel_scheme.license.error",
                          "Channel schemes need a license this server does not have.")


# Channel members and reading state live in their own module.
from handlers.channel_members import (  # noqa: E402,F401
    mark_all_direct_messages_read,
    view_channel,
    get_channel_member_counts_by_group,
    get_channel_members,
    add_channel_member,
    set_channel_members,
    get_channel_members_by_ids,
    get_channel_member,
    remove_user_from_channel,
    update_channel_member_autotranslation,
    update_channel_notify_props,
    update_channel_roles,
    update_channel_member_scheme_roles,
    channel_members_minus_group_members,
    get_pinned_posts,
    get_channel_stats,
    get_channel_members_timezones,
    get_channel_unread,
    get_channel_members_for_user,
)


# The sidebar categories live in their own module.
from handlers.sidebar import (  # noqa: E402,F401
    get_sidebar_categories_for_team_for_user,
    create_sidebar_category_for_team_for_user,
    update_sidebar_categories_for_team_for_user,
    get_sidebar_category_order_for_team_for_user,
    update_sidebar_category_order_for_team_for_user,
    get_sidebar_category_for_team_for_user,
    update_sidebar_category_for_team_for_user,
    remove_sidebar_category_for_team_for_user,
)
from handlers.channel_pages import get_channel_pages  # noqa: E402,F401
