"""Handlers for the 'teams' operations of the document: teams, their members,
invitations, icons and unread counts, as Mattermost's Team Edition answers them."""
import logging
import re
import threading
import time

import flask

from api import config as config_module, errors, permissions
from handlers import common
from store import images, system_posts, team_queries, thread_queries, teams as store_teams, users as store_users
from store.ids import is_valid_id, new_id
from ws import account_events

log = logging.getLogger("mattermost.teams")

TEAM_OPEN, TEAM_INVITE = "O", "I"
MAX_ADD_MEMBERS_BATCH = 256
# Team names that cannot be used, nor start a team name (Mattermost's list).
RESERVED_NAMES = ("admin", "api", "channel", "claim", "error", "files", "help", "landing", "login", "mfa",
                  "oauth", "plug", "plugins", "post", "signup", "boards", "playbooks")
_TEAM_NAME_RE = re.compile(r"[a-z0-9]+([a-z\-0-9]+|(__)?)[a-z0-9]+\Z")
_ROLE_NAME_RE = re.compile(r"[a-z0-9_]+\Z")
_EMAIL_RE = re.compile(r"[^@\s<>\"]+@[^@\s<>\"]+\Z")
DEFAULT_CHANNEL_TITLES = {"town-square": "Town Square", "off-topic": "Off-Topic"}


# ---------------------------------------------------------------------------
# Helpers: ids, lookups, sanitizing, validation.

def _millis():
    return int(time.time() * 1000)


def _require_team_id(team_id):
    return common.path_id(team_id, "team_id")


def _require_user_id(user_id):
    return common.path_id(user_id, "user_id")


def _team_missing(team_id):
    return errors.AppError(404, "app.team.get.find.app_error", "There is no such team.", "team_id=%s" % team_id)


def _get_team(team_id):
    team = store_teams.get(team_id)
    if team is None:
        raise _team_missing(team_id)
    return team


def _member_missing(team_id, user_id):
    return errors.AppError(404, "app.team.get_member.missing.app_error", "That user is not a member of the team.",
                           "team_id=%s, user_id=%s" % (team_id, user_id))


def _is_team_name(name):
    return isinstance(name, str) and len(name) >= 2 and _TEAM_NAME_RE.match(name) is not None


def _config():
    return config_module.current()


def team_body(team, session=None, sanitize=True):
    """A team as Mattermost sends it. Sanitized for the session: the email
    and invite id only go to those who may manage the team; the invite id
    also to those who may invite to it."""
    body = store_teams.team_json(team)
    if not body["last_team_icon_update"]:
        del body["last_team_icon_update"]  # Mattermost leaves it out when 0
    if sanitize and not permissions.has_team(session, team.id, "manage_team"):
        body["email"] = ""
        if not permissions.has_team(session, team.id, "invite_user"):
            body["invite_id"] = ""
    return body


def _hide_email_unless_admin(bodies, session):
    if not _config()["PrivacySettings"]["ShowEmailAddress"] and not permissions.is_system_admin(session):
        for body in bodies:
            body["email"] = ""
    return bodies


def _sync_type(fields):
    """Mattermost keeps type and allow_open_invite in step, privacy first:
    an invite-only team never allows open invites, and a team without open
    invites is invite only."""
    if fields.get("type") == TEAM_INVITE:
        fields["allow_open_invite"] = False
    if fields.get("allow_open_invite"):
        fields["type"] = TEAM_OPEN
    else:
        fields["type"] = TEAM_INVITE
    return fields


def _invalid_team(what, team_id=""):
    messages = {
        "email": "The team email address is invalid.", "name": "The display name must have 1 to 64 characters.",
        "url": "The team name is longer than 64 characters.",
        "description": "The description is longer than 255 characters.",
        "reserved": "That team name is reserved.",
        "characters": "The team name must have at least 2 characters: lower-case letters, numbers and "
                      "hyphens, starting and ending with a letter or number.",
        "type": "The team type must be O (open) or I (invite only).",
        "company": "The company name is longer than 64 characters.",
        "domains": "The allowed domains are longer than 500 characters.",
    }
    return errors.AppError(400, "model.team.is_valid.%s.app_error" % what, messages[what],
                           "id=%s" % team_id if team_id else "")


def _check_team(fields, team_id=""):
    """Mattermost's Team.IsValid, in its order."""
    email = fields.get("email") or ""
    if len(email) > 128 or (email and (email != email.lower() or not _EMAIL_RE.match(email))):
        raise _invalid_team("email", team_id)
    if not 1 <= len(fields.get("display_name") or "") <= 64:
        raise _invalid_team("name", team_id)
    name = fields.get("name") or ""
    if len(name) > 64:
        raise _invalid_team("url", team_id)
    if len(fields.get("description") or "") > 255:
        raise _invalid_team("description", team_id)
    if any(name.lower().startswith(reserved) for reserved in RESERVED_NAMES):
        raise _invalid_team("reserved", team_id)
    if not _is_team_name(name):
        raise _invalid_team("characters", team_id)
    if fields.get("type") not in (TEAM_OPEN, TEAM_INVITE):
        raise _invalid_team("type", team_id)
    if len(fields.get("company_name") or "") > 64:
        raise _invalid_team("company", team_id)
    if len(fields.get("allowed_domains") or "") > 500:
        raise _invalid_team("domains", team_id)


def _normalize_domains(domains):
    return (domains or "").replace("@", " ").replace(",", " ").strip().lower().split()


def _email_allowed(email, restrictions):
    """Every non-empty restriction must list the address's domain."""
    for restriction in restrictions:
        domains = _normalize_domains(restriction)
        if domains and not any(email.endswith("@" + d) for d in domains):
            return False
    return True


def _allowed_domains(user, team):
    config = _config()
    if "system_guest" in user.roles.split():
        return [config["GuestAccountsSettings"]["RestrictCreationToDomains"]]
    return [team.allowed_domains if hasattr(team, "allowed_domains") else team.get("allowed_domains", ""),
            config["TeamSettings"]["RestrictCreationToDomains"]]


def _user_email_allowed(user, team):
    if user.is_bot:
        return True
    return _email_allowed(user.email.lower(), _allowed_domains(user, team))


def _check_domains(allowed_domains):
    """A team's allowed domains must be among the server's, when it has any."""
    valid = _normalize_domains(_config()["TeamSettings"]["RestrictCreationToDomains"])
    if valid:
        for domain in _normalize_domains(allowed_domains):
            if domain not in valid:
                raise errors.AppError(400, "api.team.update_restricted_domains.mismatch.app_error",
                                      "The domain %s is not among the domains this server allows." % domain)


def _text_field(body, name, default=""):
    value = body.get(name, default)
    if value is None:
        return default
    if not isinstance(value, str):
        raise errors.invalid_body_param("team")
    return value


def _bool_field(body, name, default=False):
    value = body.get(name, default)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise errors.invalid_body_param("team")
    return value


def _default_channels():
    """(name, display name) of the channels every team has and every member joins."""
    extra = _config()["TeamSettings"].get("ExperimentalDefaultChannels") or []
    names = ["town-square"] + (["off-topic"] if not extra else [])
    for name in extra:
        if isinstance(name, str) and name and name not in names:
            names.append(name)
    return [(name, DEFAULT_CHANNEL_TITLES.get(name, name)) for name in names]


def _viewer_restrictions(session):
    """None when the caller may see every user, else the set of user ids
    they may see (Mattermost's view restrictions)."""
    if permissions.has(session, "view_members"):
        return None
    team_ids = [t for t in team_queries.member_team_ids(session.user_id)
                if permissions.has_team(session, t, "view_members")]
    return team_queries.visible_user_ids(session.user_id, team_ids)


def _can_see_user(session, user_id):
    if session.user_id == user_id:
        return True
    visible = _viewer_restrictions(session)
    return visible is None or user_id in visible


# ---------------------------------------------------------------------------
# Joining and leaving.

def _join_leave_messages():
    return bool(_config()["ServiceSettings"].get("ExperimentalEnableDefaultChannelLeaveJoinMessages", True))


def join_user_to_team(team, user, requestor=None):
    """Mattermost's JoinUserToTeam: the domain rules, the size limit, then the
    membership with the team's default channels and their system messages
    (joins, or additions by requestor). Returns the member."""
    if not _user_email_allowed(user, team):
        raise errors.AppError(400, "api.team.join_user_to_team.allowed_domains.app_error",
                              "The user's email domain is not among the domains this team allows.",
                              "team_id=%s" % team.id)
    existing = store_teams.get_member(team.id, user.id, include_deleted=True)
    if existing is not None and existing.delete_at == 0:
        return existing
    limit = int(_config()["TeamSettings"]["MaxUsersPerTeam"])
    if limit >= 0 and team_queries.count_members(team.id, active_users_only=True) >= limit:
        if existing is not None:
            raise errors.AppError(400, "app.team.join_user_to_team.max_accounts.app_error",
                                  "The team has reached its maximum number of members.", "teamId=%s" % team.id)
        raise errors.AppError(400, "app.team.join_user_to_team.save_member.max_accounts.app_error",
                              "The team has reached its maximum number of members.", "teamId=%s" % team.id)
    admin = bool(team.email) and team.email == user.email and "system_guest" not in user.roles.split()
    names = [name for name, _ in _default_channels()]
    member, added = store_teams.add_member(team, user, admin=admin, default_channels=names)
    if added and _join_leave_messages():
        system_posts.joined_team(team.id, user, names, requestor)
    if added:
        account_events.added_to_team(team.id, user.id)
    return member


def _team_event(event, team):
    """A team event with the team as Mattermost sends it (sanitized there)."""
    account_events.team_event(event, team_body(team, sanitize=False))


def _add_user(team_id, user_id, requestor=None):
    """Mattermost's AddUserToTeam: the team and user must exist."""
    team = _get_team(team_id)
    user = common.require_user(user_id)
    return join_user_to_team(team, user, requestor)


# ---------------------------------------------------------------------------
# Teams.

def create_team(body):
    """Make a team; the caller joins it as team admin."""
    session = common.session()
    if not isinstance(body, dict):
        raise errors.invalid_body_param("team")
    if not permissions.has(session, "create_team"):
        raise errors.AppError(403, "api.team.is_team_creation_allowed.disabled.app_error",
                              "Creating teams is not allowed for this account.")
    if body.get("scheme_id") is not None:
        permissions.require(session, "sysconsole_write_user_management_permissions")
    user = common.require_user(session.user_id)
    fields = {"display_name": _text_field(body, "display_name"), "name": _text_field(body, "name"),
              "description": _text_field(body, "description"), "type": _text_field(body, "type"),
              "company_name": _text_field(body, "company_name"),
              "allowed_domains": _text_field(body, "allowed_domains"),
              "allow_open_invite": _bool_field(body, "allow_open_invite"), "email": user.email.lower()}
    scheme_id = body.get("scheme_id")
    if scheme_id is not None:
        if not isinstance(scheme_id, str):
            raise errors.invalid_body_param("team")
        fields["scheme_id"] = scheme_id
    group_constrained = body.get("group_constrained")
    if group_constrained is not None:
        if not isinstance(group_constrained, bool):
            raise errors.invalid_body_param("team")
        fields["group_constrained"] = group_constrained
    if not _user_email_allowed(user, fields):
        raise errors.AppError(400, "api.team.is_team_creation_allowed.domain.app_error",
                              "Your email address is not in a domain this server allows for teams.")
    if body.get("id"):
        raise errors.AppError(400, "app.team.save.existing.app_error", "A team with that name already exists.")
    _sync_type(fields)
    _check_team(fields)
    try:
        team = store_teams.create(fields, channel_names=_default_channels())
    except store_teams.Conflict:
        raise errors.AppError(400, "app.team.save.existing.app_error", "A team with that name already exists.")
    join_user_to_team(team, user)
    common.audit(session.user_id, "team created: team_id=%s" % team.id)
    # The creator sees the whole team: they are its admin now.
    return team_body(store_teams.get(team.id), sanitize=False), 201


def get_all_teams(page=0, per_page=60, include_total_count=False, exclude_policy_constrained=False):
    session = common.session()
    if exclude_policy_constrained:
        permissions.require(session, "sysconsole_read_compliance_data_retention_policy")
    list_private = permissions.has(session, "list_private_teams")
    list_public = permissions.has(session, "list_public_teams")
    if list_private and list_public:
        open_invite = None
    elif list_private:
        open_invite = False
    elif list_public:
        open_invite = True
    else:
        raise errors.AppError(403, "api.team.get_all_teams.insufficient_permissions",
                              "Listing teams needs permission to list open or invite-only teams.")
    offset, limit = common.paging(page, per_page)
    teams = [team_body(t, session) for t in team_queries.list_teams(offset, limit, open_invite)]
    if include_total_count:
        return {"teams": teams, "total_count": team_queries.count_teams(open_invite)}
    return teams


def get_team(team_id):
    session = common.session()
    team = _get_team(_require_team_id(team_id))
    if (not team.allow_open_invite or team.type != TEAM_OPEN) and not permissions.has_team(session, team.id, "view_team"):
        raise errors.permission_denied(["view_team"])
    return team_body(team, session)


def get_team_by_name(name):
    session = common.session()
    if not _is_team_name(name):
        raise errors.invalid_url_param("team_name")
    team = store_teams.get_by_name(name)
    if team is None or team.name != name:
        raise errors.AppError(404, "app.team.get_by_name.missing.app_error", "There is no team with that name.",
                              "name=%s" % name)
    if (not team.allow_open_invite or team.type != TEAM_OPEN) and not permissions.has_team(session, team.id, "view_team"):
        raise errors.permission_denied(["view_team"])
    return team_body(team, session)


def team_exists(name):
    session = common.session()
    if not _is_team_name(name):
        raise errors.invalid_url_param("team_name")
    team = store_teams.get_by_name(name)
    exists = False
    if team is not None and team.name == name:
        member = store_teams.get_member(team.id, session.user_id)
        exists = (member is not None
                  or (team.allow_open_invite and permissions.has(session, "list_public_teams"))
                  or (not team.allow_open_invite and permissions.has(session, "list_private_teams")))
    return {"exists": exists}


def _search_int(body, name):
    value = body.get(name)
    if value is None:
        return None
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool):
        raise errors.invalid_body_param("team_search")
    return value


def search_teams(body):
    session = common.session()
    if not isinstance(body, dict):
        raise errors.invalid_body_param("team_search")
    for name in ("allow_open_invite", "group_constrained", "exclude_policy_constrained"):
        if body.get(name) is not None and not isinstance(body.get(name), bool):
            raise errors.invalid_body_param("team_search")
    term = body.get("term") or ""
    if not isinstance(term, str):
        raise errors.invalid_body_param("team_search")
    page, per_page = _search_int(body, "page"), _search_int(body, "per_page")
    if body.get("exclude_policy_constrained") is not None:
        permissions.require(session, "sysconsole_read_compliance_data_retention_policy")
    list_private = permissions.has(session, "list_private_teams")
    list_public = permissions.has(session, "list_public_teams")
    paged = page is not None and per_page is not None
    total = 0
    if list_private and list_public:
        offset = limit = None
        if paged:
            limit = max(per_page, 0)
            offset = max(page, 0) * limit
        teams, total = team_queries.search_teams(term, body.get("allow_open_invite"), body.get("group_constrained"),
                                                 offset=offset, limit=limit)
    elif list_private or list_public:
        if page is not None or per_page is not None:
            kind = "private_team_search" if list_private else "public_team_search"
            raise errors.AppError(501, "api.team.search_teams.pagination_not_implemented.%s" % kind,
                                  "Paging through this kind of team search is not supported.")
        # As Mattermost: open teams with open invites, or (its quirk) open
        # teams without them, which no longer exist.
        teams, _ = team_queries.search_teams(term, allow_open_invite=not list_private, team_type=TEAM_OPEN)
    else:
        teams = []
    bodies = [team_body(t, session) for t in teams]
    if paged:
        return {"teams": bodies, "total_count": total}
    return bodies


def _check_invite_settings_permission(session, team_id):
    if not permissions.has_team(session, team_id, "invite_user"):
        raise errors.permission_denied(["invite_user"])


def update_team(team_id, body):
    """Replace a team's editable settings (display name, description, company,
    allowed domains, open invite, group constraint, icon time)."""
    session = common.session()
    _require_team_id(team_id)
    if not isinstance(body, dict):
        raise errors.invalid_body_param("team")
    if body.get("id") != team_id:
        raise errors.invalid_body_param("id")
    permissions.require_team(session, team_id, "manage_team")
    team = _get_team(team_id)
    allow_open_invite = _bool_field(body, "allow_open_invite")
    allowed_domains = _text_field(body, "allowed_domains")
    if allow_open_invite != team.allow_open_invite or allowed_domains != team.allowed_domains:
        _check_invite_settings_permission(session, team_id)
    icon = body.get("last_team_icon_update", 0)
    if not isinstance(icon, int) or isinstance(icon, bool):
        raise errors.invalid_body_param("team")
    group_constrained = body.get("group_constrained")
    if group_constrained is not None and not isinstance(group_constrained, bool):
        raise errors.invalid_body_param("team")
    _check_domains(allowed_domains)
    fields = {"display_name": _text_field(body, "display_name"), "description": _text_field(body, "description"),
              "allow_open_invite": allow_open_invite, "company_name": _text_field(body, "company_name"),
              "allowed_domains": allowed_domains, "last_team_icon_update": icon,
              "group_constrained": group_constrained, "type": team.type}
    _sync_type(fields)
    _check_team(dict(fields, name=team.name, email=team.email), team_id)
    updated = store_teams.update(team_id, fields)
    _team_event("update_team", updated)
    return team_body(updated, session)


def patch_team(team_id, body):
    """Change only the editable settings the body names."""
    session = common.session()
    _require_team_id(team_id)
    if not isinstance(body, dict):
        raise errors.invalid_body_param("team")
    permissions.require_team(session, team_id, "manage_team")
    if body.get("allow_open_invite") is not None or body.get("allowed_domains") is not None:
        _check_invite_settings_permission(session, team_id)
    team = _get_team(team_id)
    fields = {}
    for name in ("display_name", "description", "company_name", "allowed_domains"):
        if body.get(name) is not None:
            fields[name] = _text_field(body, name)
    for name in ("allow_open_invite", "group_constrained", "cloud_limits_archived"):
        if body.get(name) is not None:
            fields[name] = _bool_field(body, name)
    if "allow_open_invite" in fields:
        if not fields["allow_open_invite"]:
            fields["invite_id"] = new_id()
    fields["type"] = team.type
    fields.setdefault("allow_open_invite", team.allow_open_invite)
    _sync_type(fields)
    merged = dict(store_teams.team_json(team), **fields)
    _check_domains(merged["allowed_domains"])
    _check_team(merged, team_id)
    updated = store_teams.update(team_id, fields)
    _team_event("update_team", updated)
    return team_body(updated, session)


def update_team_privacy(team_id, body):
    session = common.session()
    _require_team_id(team_id)
    privacy = body.get("privacy") if isinstance(body, dict) else None
    if not isinstance(privacy, str) or privacy not in (TEAM_OPEN, TEAM_INVITE):
        raise errors.invalid_body_param("privacy")
    open_invite = privacy == TEAM_OPEN
    permissions.require_team(session, team_id, "manage_team")
    team = _get_team(team_id)
    fields = {"type": privacy, "allow_open_invite": open_invite}
    if (open_invite != team.allow_open_invite or privacy != team.type) and (not open_invite or privacy == TEAM_INVITE):
        fields["invite_id"] = new_id()
    updated = store_teams.update(team_id, fields)
    _team_event("update_team", updated)
    return team_body(updated, sanitize=False)


def regenerate_team_invite_id(team_id):
    session = common.session()
    _require_team_id(team_id)
    permissions.require_team(session, team_id, "manage_team")
    _get_team(team_id)
    team = store_teams.update(team_id, {"invite_id": new_id()})
    _team_event("update_team", team)
    common.audit(session.user_id, "team invite id regenerated: team_id=%s" % team_id)
    return _hide_email_unless_admin([team_body(team, session)], session)[0]


def soft_delete_team(team_id, permanent=False):
    session = common.session()
    _require_team_id(team_id)
    permissions.require_team(session, team_id, "manage_team")
    if permanent:
        if not _config()["ServiceSettings"]["EnableAPITeamDeletion"]:
            raise errors.AppError(401, "api.user.delete_team.not_enabled.app_error",
                                  "Deleting teams through the API is turned off on this server.",
                                  "teamId=%s" % team_id)
        team = _get_team(team_id)
        # Its members are gone once it is; they are told one by one.
        member_ids = [m.user_id for m in team_queries.members(team_id, 0, None)]
        team_queries.permanent_delete(team_id)
        body = team_body(team, sanitize=False)
        body["delete_at"] = _millis()
        account_events.team_event("delete_team", body, user_ids=member_ids)
        common.audit(session.user_id, "team deleted for good: team_id=%s" % team_id)
    else:
        _get_team(team_id)
        _team_event("delete_team", store_teams.update(team_id, {"delete_at": _millis()}))
        common.audit(session.user_id, "team archived: team_id=%s" % team_id)
    return {"status": "OK"}


def restore_team(team_id):
    session = common.session()
    _require_team_id(team_id)
    permissions.require_team(session, team_id, "manage_team")
    _get_team(team_id)
    restored = store_teams.update(team_id, {"delete_at": 0})
    _team_event("restore_team", restored)
    return team_body(restored, sanitize=False)


def get_teams_for_user(user_id):
    session = common.session()
    user_id = _require_user_id(user_id)
    if session.user_id != user_id and not permissions.has(session, "sysconsole_read_user_management_users"):
        raise errors.permission_denied(["sysconsole_read_user_management_users"])
    bodies = [team_body(t, session) for t in team_queries.teams_for_user(user_id)]
    return _hide_email_unless_admin(bodies, session)


def get_team_stats(team_id):
    session = common.session()
    _require_team_id(team_id)
    permissions.require_team(session, team_id, "view_team")
    visible = _viewer_restrictions(session)
    return {"team_id": team_id, "total_member_count": team_queries.count_members(team_id, visible=visible),
            "active_member_count": team_queries.count_members(team_id, active_users_only=True, visible=visible)}


def get_team_invite_info(invite_id):
    """Name and description of the open team an invite id belongs to."""
    if not is_valid_id(invite_id):
        raise errors.invalid_url_param("invite_id")
    team = store_teams.get_by_invite_id(invite_id)
    if team is None:
        raise errors.AppError(404, "app.team.get_by_invite_id.finding.app_error",
                              "No team has that invite id.", "invite_id=%s" % invite_id)
    if team.type != TEAM_OPEN:
        raise errors.AppError(403, "api.team.get_invite_info.not_open_team",
                              "Only open teams can be joined with an invite link.", "id=%s" % invite_id)
    return {"display_name": team.display_name, "description": team.description, "name": team.name, "id": team.id}


def update_team_scheme(team_id, body):
    _require_team_id(team_id)
    scheme_id = body.get("scheme_id") if isinstance(body, dict) else None
    if not isinstance(scheme_id, str) or (scheme_id and not is_valid_id(scheme_id)):
        raise errors.invalid_body_param("scheme_id")
    # An unlicensed server has no team schemes to assign.
    raise errors.AppError(501, "api.team.update_team_scheme.license.error",
                          "Assigning a permission scheme to a team needs a license.")


# ---------------------------------------------------------------------------
# Members.

def get_team_members(team_id, page=0, per_page=60, sort="", exclude_deleted_users=False):
    session = common.session()
    _require_team_id(team_id)
    permissions.require_team(session, team_id, "view_team")
    offset, limit = common.paging(page, per_page)
    visible = _viewer_restrictions(session)
    team = store_teams.get(team_id)
    rows = team_queries.members(team_id, offset, limit, by_username=sort == "Username",
                                exclude_deleted_users=bool(exclude_deleted_users), visible=visible)
    return [store_teams.member_json(m, team) for m in rows]


def get_team_members_by_ids(team_id, body):
    session = common.session()
    _require_team_id(team_id)
    if not isinstance(body, list) or not body or not all(isinstance(u, str) for u in body):
        raise errors.invalid_body_param("user_ids")
    permissions.require_team(session, team_id, "view_team")
    team = store_teams.get(team_id)
    rows = team_queries.members_by_ids(team_id, set(body), _viewer_restrictions(session))
    return [store_teams.member_json(m, team) for m in rows]


def get_team_member(team_id, user_id):
    session = common.session()
    _require_team_id(team_id)
    user_id = _require_user_id(user_id)
    permissions.require_team(session, team_id, "view_team")
    if not _can_see_user(session, user_id):
        raise errors.permission_denied(["view_members"])
    member = store_teams.get_member(team_id, user_id, include_deleted=True)
    if member is None:
        raise _member_missing(team_id, user_id)
    return store_teams.member_json(member)


def get_team_members_for_user(user_id):
    session = common.session()
    user_id = _require_user_id(user_id)
    target = store_users.get(user_id)
    if not (permissions.can_act_on_user(session, user_id, target.roles if target else "")
            or permissions.has(session, "read_other_users_teams")):
        raise errors.permission_denied(["read_other_users_teams"])
    if not _can_see_user(session, user_id):
        raise errors.permission_denied(["view_members"])
    return [store_teams.member_json(m) for m in team_queries.memberships_for_user(user_id)]


def _member_body(body):
    if not isinstance(body, dict):
        raise errors.AppError(400, "api.team.add_team_member.invalid_body.app_error",
                              "The request body is not a team member.")
    team_id, user_id = body.get("team_id"), body.get("user_id")
    return (team_id if isinstance(team_id, str) else ""), (user_id if isinstance(user_id, str) else "")


def add_team_member(team_id, body):
    """Join a team yourself, or add someone (by user id)."""
    session = common.session()
    _require_team_id(team_id)
    member_team_id, user_id = _member_body(body)
    if member_team_id != team_id:
        raise errors.invalid_body_param("team_id")
    if not is_valid_id(user_id):
        raise errors.invalid_body_param("user_id")
    if user_id == session.user_id:
        team = _get_team(team_id)
        needed = "join_public_teams" if team.allow_open_invite else "join_private_teams"
        permissions.require(session, needed)
    else:
        permissions.require_team(session, team_id, "add_user_to_team")
    team = _get_team(team_id)
    if team.group_constrained:
        raise _group_denied([user_id])
    member = _add_user(team_id, user_id)
    # Mattermost's AddTeamMember tells the user again, new member or not.
    account_events.added_to_team(team_id, user_id)
    return store_teams.member_json(member), 201


def _group_denied(user_ids):
    return errors.AppError(400, "api.team.add_members.user_denied",
                           "This team is managed by groups; these users are not in them.",
                           "user_ids=%s" % ",".join(user_ids))


def add_team_members(team_id, body, graceful=None):
    """Add up to 256 users; graceful reports each user's outcome instead of
    stopping at the first failure."""
    session = common.session()
    graceful = bool(flask.request.args.get("graceful", ""))
    _require_team_id(team_id)
    if not isinstance(body, list) or not all(isinstance(m, dict) for m in body):
        raise errors.invalid_body_param("members")
    if len(body) > MAX_ADD_MEMBERS_BATCH:
        raise errors.invalid_body_param("too many members in batch")
    if not body:
        raise errors.invalid_body_param("no members in batch")
    team = _get_team(team_id)
    user_ids = []
    for item in body:
        user_id = item.get("user_id")
        user_ids.append(user_id if isinstance(user_id, str) else "")
    if team.group_constrained:
        raise _group_denied(user_ids)
    for item, user_id in zip(body, user_ids):
        if item.get("team_id") != team_id:
            raise errors.invalid_body_param("team_id for member with user_id=" + user_id)
        if not is_valid_id(user_id):
            raise errors.invalid_body_param("user_id")
    permissions.require_team(session, team_id, "add_user_to_team")
    requestor = store_users.get(session.user_id)
    results = []
    for user_id in user_ids:
        try:
            member = _add_user(team_id, user_id, requestor)
        except errors.AppError as e:
            if not graceful:
                raise
            results.append({"user_id": user_id, "member": None,
                            "error": e.to_dict(flask.g.get("request_id", ""))})
            continue
        account_events.added_to_team(team_id, user_id)  # again, as Mattermost's AddTeamMembers
        results.append({"user_id": user_id, "member": store_teams.member_json(member, team), "error": None})
    if graceful:
        return results, 201
    return [r["member"] for r in results], 201


def add_team_member_from_invite(token="", invite_id=""):
    """Join a team with an emailed invitation token, or with its invite id."""
    session = common.session()
    if token:
        member = _join_by_token(session, token)
    elif invite_id:
        if (session.props or {}).get("is_guest") == "true" or "system_guest" in session.roles.split():
            raise errors.AppError(403, "api.team.add_user_to_team_from_invite.guest.app_error",
                                  "Guests cannot join a team with an invite link.")
        team = store_teams.get_by_invite_id(invite_id)
        if team is None:
            raise errors.AppError(404, "app.team.get_by_invite_id.finding.app_error",
                                  "No team has that invite id.", "invite_id=%s" % invite_id)
        user = common.require_user(session.user_id)
        if team.group_constrained:
            raise errors.AppError(403, "app.team.invite_id.group_constrained.error",
                                  "This team is managed by groups and cannot be joined with an invite link.")
        member = join_user_to_team(team, user)
    else:
        raise errors.AppError(400, "api.team.add_user_to_team.missing_parameter.app_error",
                              "Give either a token or an invite_id.")
    common.audit(session.user_id, "joined team by invitation: team_id=%s" % member.team_id)
    return store_teams.member_json(member), 201


def _join_by_token(session, token):
    invalid = errors.AppError(400, "api.user.create_user.signup_link_invalid.app_error",
                              "The invitation link is not valid.")
    found = team_queries.find_token(token)
    if found is None:
        raise invalid
    kind, extra, expired = found
    if kind not in (team_queries.TEAM_INVITATION, team_queries.GUEST_INVITATION):
        raise invalid
    if expired:
        team_queries.delete_token(token)
        raise errors.AppError(400, "api.user.create_user.signup_link_expired.app_error",
                              "The invitation link has expired.")
    team = store_teams.get(str(extra.get("teamId", "")))
    if team is None:
        raise _team_missing(extra.get("teamId", ""))
    if team.group_constrained:
        raise errors.AppError(403, "app.team.invite_token.group_constrained.error",
                              "This team is managed by groups and cannot be joined with an invitation.")
    user = common.require_user(session.user_id)
    guest = "system_guest" in user.roles.split()
    if guest != (kind == team_queries.GUEST_INVITATION):
        raise errors.AppError(400, "api.user.create_user.invalid_invitation_type.app_error",
                              "This invitation is for another kind of account.")
    member = join_user_to_team(team, user)
    if kind == team_queries.GUEST_INVITATION:
        from store import channels as store_channels
        for channel_id in str(extra.get("channels", "")).split():
            channel = store_channels.get(channel_id, include_deleted=False)
            if channel is not None and channel.team_id == team.id:
                _, added = store_channels.add_member(channel, user)
                if added:
                    system_posts.join_channel(channel, user)
    team_queries.delete_token(token)
    return member


def remove_team_member(team_id, user_id):
    """Leave a team, or remove someone from it (remove_user_from_team)."""
    session = common.session()
    _require_team_id(team_id)
    user_id = _require_user_id(user_id)
    if session.user_id != user_id:
        permissions.require_team(session, team_id, "remove_user_from_team")
    team = _get_team(team_id)
    user = common.require_user(user_id)
    if team.group_constrained and user_id != session.user_id and not user.is_bot:
        raise errors.AppError(400, "api.team.remove_member.group_constrained.app_error",
                              "Members of a team managed by groups cannot be removed this way.")
    if store_teams.get_member(team_id, user_id, include_deleted=True) is None:
        raise errors.AppError(400, "api.team.remove_user_from_team.missing.app_error",
                              "That user is not a member of the team.")
    store_teams.remove_member(team_id, user_id)
    account_events.leave_team(team_id, user_id)
    if _join_leave_messages():
        system_posts.left_team(team_id, user, session.user_id)
    return {"status": "OK"}


def update_team_member_roles(team_id, user_id, body):
    session = common.session()
    _require_team_id(team_id)
    user_id = _require_user_id(user_id)
    roles = body.get("roles") if isinstance(body, dict) else None
    if not isinstance(roles, str) or not all(len(r) <= 64 and _ROLE_NAME_RE.match(r) for r in roles.split()):
        raise errors.invalid_body_param("team_member_roles")
    permissions.require_team(session, team_id, "manage_team_roles")
    member = store_teams.get_member(team_id, user_id, include_deleted=True)
    if member is None:
        raise _member_missing(team_id, user_id)
    flags, explicit = common.split_member_roles(roles, store_teams.scheme_role_names(store_teams.get(team_id)),
                                                "api.channel.update_team_member_roles.scheme_role.app_error")
    if flags["scheme_guest"] and flags["scheme_user"]:
        raise errors.AppError(400, "api.team.update_team_member_roles.guest_and_user.app_error",
                              "A member cannot be both a guest and a user.")
    if flags["scheme_guest"] != member.scheme_guest:
        raise errors.AppError(400, "api.channel.update_team_member_roles.changing_guest_role.app_error",
                              "The guest role cannot be given or taken away here.")
    store_teams.update_member(team_id, user_id, dict(flags, roles=" ".join(explicit)))
    _member_role_event(team_id, user_id)
    common.audit(session.user_id, "team member roles set: team_id=%s user_id=%s roles=%s" % (team_id, user_id, roles))
    return {"status": "OK"}


def update_team_member_scheme_roles(team_id, user_id, body):
    session = common.session()
    _require_team_id(team_id)
    user_id = _require_user_id(user_id)
    if not isinstance(body, dict) or not all(
            isinstance(body.get(k, False), bool) for k in ("scheme_admin", "scheme_user", "scheme_guest")):
        raise errors.invalid_body_param("scheme_roles")
    permissions.require_team(session, team_id, "manage_team_roles")
    member = store_teams.get_member(team_id, user_id, include_deleted=True)
    if member is None:
        raise _member_missing(team_id, user_id)
    flags = {"scheme_admin": bool(body.get("scheme_admin")), "scheme_user": bool(body.get("scheme_user")),
             "scheme_guest": bool(body.get("scheme_guest"))}
    if flags["scheme_user"] and flags["scheme_guest"]:
        raise errors.AppError(400, "api.team.update_team_member_roles.guest_and_user.app_error",
                              "A member cannot be both a guest and a user.")
    store_teams.update_member(team_id, user_id, flags)
    _member_role_event(team_id, user_id)
    common.audit(session.user_id, "team member scheme roles set: team_id=%s user_id=%s" % (team_id, user_id))
    return {"status": "OK"}


def _member_role_event(team_id, user_id):
    member = store_teams.get_member(team_id, user_id, include_deleted=True)
    if member is not None:
        account_events.memberrole_updated(store_teams.member_json(member))


def team_members_minus_group_members(team_id, group_ids="", page=0, per_page=0):
    session = common.session()
    _require_team_id(team_id)
    group_ids = group_ids or ""
    if len(re.sub(r"[^a-zA-Z0-9,]", "", group_ids)) < 26:
        raise errors.invalid_body_param("group_ids")
    if not all(is_valid_id(g) for g in group_ids.split(",")):
        raise errors.invalid_body_param("group_ids")
    permissions.require(session, "sysconsole_read_user_management_groups")
    from handlers.users import user_json
    # The document's default of 0 is not Mattermost's: absent, it means 60.
    offset, limit = common.paging(page, per_page if "per_page" in flask.request.args else None)
    rows, total = team_queries.members_minus_groups(team_id, offset, limit)
    users = []
    for user, member in rows:
        body = user_json(user, session)
        body.update(groups=[], scheme_guest=member.scheme_guest, scheme_user=member.scheme_user,
                    scheme_admin=member.scheme_admin)
        users.append(body)
    return {"users": users, "total_count": total}


# ---------------------------------------------------------------------------
# Unread counts.

def _team_unread(team_id):
    return {"team_id": team_id, "msg_count": 0, "mention_count": 0, "mention_count_root": 0, "msg_count_root": 0,
            "thread_count": 0, "thread_mention_count": 0, "thread_urgent_mention_count": 0}


def _add_unreads(total, row):
    total["mention_count"] += row["mention_count"]
    total["mention_count_root"] += row["mention_count_root"]
    # A channel set to mark unread only on mentions adds no message count.
    if row["notify_props"].get("mark_unread") != "mention":
        total["msg_count"] += row["msg_count"]
        total["msg_count_root"] += row["msg_count_root"]


def get_teams_unread_for_user(user_id, exclude_team="", include_collapsed_threads=False):
    session = common.session()
    user_id = _require_user_id(user_id)
    if session.user_id != user_id and not permissions.has(session, "manage_system"):
        raise errors.permission_denied(["manage_system"])
    exclude_team = flask.request.args.get("exclude_team", exclude_team or "")
    totals = {}
    for row in team_queries.channel_unreads(user_id, exclude_team_id=exclude_team):
        _add_unreads(totals.setdefault(row["team_id"], _team_unread(row["team_id"])), row)
    if include_collapsed_threads:
        # Unread followed threads of the team's channels (not of DMs), as Mattermost counts them.
        for team_id, total in totals.items():
            _, total["thread_count"], total["thread_mention_count"] = thread_queries.totals(
                user_id, team_id, exclude_direct=True)
    return list(totals.values())


def get_team_unread(user_id, team_id):
    session = common.session()
    _require_team_id(team_id)
    user_id = _require_user_id(user_id)
    target = store_users.get(user_id)
    if not permissions.can_act_on_user(session, user_id, target.roles if target else ""):
        raise errors.permission_denied(["edit_other_users"])
    permissions.require_team(session, team_id, "view_team")
    total = _team_unread(team_id)
    for row in team_queries.channel_unreads(user_id, team_id=team_id):
        _add_unreads(total, row)
    return {k: total[k] for k in ("team_id", "msg_count", "mention_count", "mention_count_root", "msg_count_root",
                                  "thread_count", "thread_mention_count", "thread_urgent_mention_count")}


# ---------------------------------------------------------------------------
# Icons (kept in the file store as teams/<id>/teamIcon.png).

def _icon_path(team_id):
    return "teams/%s/teamIcon.png" % team_id


def _file_store():
    from store.files import FileStore
    return FileStore(_config()["FileSettings"]["Directory"])


def get_team_icon(team_id):
    session = common.session()
    _require_team_id(team_id)
    team = _get_team(team_id)
    if not permissions.has_team(session, team_id, "view_team") and (team.type != TEAM_OPEN or not team.allow_open_invite):
        raise errors.permission_denied(["view_team"])
    etag = str(team.last_team_icon_update)
    if flask.request.headers.get("If-None-Match") == etag:
        response = flask.Response(status=304)
        response.headers["ETag"] = etag
        return response
    if not _config()["FileSettings"]["DriverName"]:
        raise errors.AppError(501, "api.team.get_team_icon.filesettings_no_driver.app_error",
                              "No file storage is configured on this server.")
    data = _file_store().read(_icon_path(team_id))
    if data is None:
        raise errors.AppError(404, "api.team.get_team_icon.read_file.app_error", "The team has no icon.")
    response = flask.Response(data, mimetype="image/png")
    response.headers["Cache-Control"] = "max-age=86400, private"
    response.headers["ETag"] = etag
    return response


def set_team_icon(team_id, **_):
    """Upload a picture; it is cropped square and stored at 128x128 PNG."""
    session = common.session()
    _require_team_id(team_id)
    permissions.require_team(session, team_id, "manage_team")
    files = _config()["FileSettings"]
    max_size = int(files["MaxFileSize"])
    if (flask.request.content_length or 0) > max_size:
        raise errors.AppError(400, "api.team.set_team_icon.too_large.app_error", "The image is too large.")
    upload = flask.request.files.get("image")
    if upload is None:
        raise errors.AppError(400, "api.team.set_team_icon.no_file.app_error", "The request has no 'image' file part.")
    if store_teams.get(team_id) is None:
        raise errors.AppError(400, "api.team.set_team_icon.get_team.app_error", "There is no such team.",
                              "team_id=%s" % team_id)
    if not files["DriverName"]:
        raise errors.AppError(501, "api.team.set_team_icon.storage.app_error",
                              "No file storage is configured on this server.")
    data = upload.read(max_size + 1)
    try:
        png = team_queries.team_icon(data, int(files["MaxImageResolution"]))
    except team_queries.IconTooLarge as e:
        raise errors.AppError(400, "api.team.set_team_icon.check_image_limits.app_error",
                              "The image has more pixels than this server accepts.", str(e))
    except images.BadImage as e:
        raise errors.AppError(400, "api.team.set_team_icon.decode.app_error",
                              "The file is not a readable image.", str(e))
    _file_store().write(_icon_path(team_id), png)
    team_queries.set_icon_updated(team_id, _millis())
    _team_event("update_team", store_teams.get(team_id))
    return {"status": "OK"}


def remove_team_icon(team_id):
    """Forget the team's icon (Mattermost clears the time, keeping the file)."""
    session = common.session()
    _require_team_id(team_id)
    permissions.require_team(session, team_id, "manage_team")
    if store_teams.get(team_id) is None:
        raise errors.AppError(400, "api.team.remove_team_icon.get_team.app_error", "There is no such team.",
                              "team_id=%s" % team_id)
    team_queries.set_icon_updated(team_id, 0)
    _team_event("update_team", store_teams.get(team_id))
    return {"status": "OK"}


# ---------------------------------------------------------------------------
# Email invitations.

_invite_lock = threading.Lock()
_invites_sent = {}  # user id -> [times of invitations sent in the last hour]
INVITES_PER_HOUR = 20


def _take_invite_quota(user_id, count):
    """Mattermost allows about 20 invitation emails per sender per hour."""
    now = time.time()
    with _invite_lock:
        recent = [t for t in _invites_sent.get(user_id, []) if now - t < 3600]
        if len(recent) + count > INVITES_PER_HOUR:
            _invites_sent[user_id] = recent
            return False
        _invites_sent[user_id] = recent + [now] * count
        return True


def _site_url():
    return (_config()["ServiceSettings"]["SiteURL"] or flask.request.host_url).rstrip("/")


def _send_invites(team, sender, emails):
    """Mail each address a team invitation; returns the addresses that failed."""
    from api import mail
    config = _config()
    site = config["TeamSettings"]["SiteName"]
    name = sender.username
    failed = []
    for email in emails:
        token = team_queries.create_invitation(team_queries.TEAM_INVITATION,
                                               {"teamId": team.id, "email": email, "senderId": sender.id})
        text = ("%s invites you to the team %s on %s.\n\nJoin it within 48 hours with this link:\n"
                "%s/signup_user_complete/?t=%s\n" % (name, team.display_name, site, _site_url(), token))
        try:
            mail.send(config, email, "[%s] %s invited you to join %s" % (site, name, team.display_name), text)
        except mail.MailError as e:
            log.warning("invitation to %s not sent: %s", email, e)
            failed.append(email)
    return failed


def invite_users_to_team(team_id, body):
    """Email invitations to the addresses in the body (a list)."""
    session = common.session()
    graceful = bool(flask.request.args.get("graceful", ""))
    _require_team_id(team_id)
    permissions.require_team(session, team_id, "invite_user")
    if not permissions.has_team(session, team_id, "add_user_to_team"):
        raise errors.permission_denied(["invite_user"])
    if isinstance(body, dict):
        emails = body.get("emails")
    else:
        emails = body
    if not isinstance(emails, list) or not emails or not all(isinstance(e, str) for e in emails):
        raise errors.invalid_body_param("user_email")
    emails = [e.lower() for e in emails]
    if not _config()["ServiceSettings"]["EnableEmailInvitations"]:
        raise errors.AppError(501, "api.team.invite_members.disabled.app_error",
                              "Email invitations are turned off on this server.")
    team = store_teams.get(team_id)
    if team is None:
        raise errors.AppError(404, "app.team.get_by_invite_id.finding.app_error", "There is no such team.")
    sender = common.require_user(session.user_id)
    allowed = _allowed_domains(sender, team)
    bad = [e for e in emails if not _email_allowed(e, allowed)]
    request_id = flask.g.get("request_id", "")
    if graceful:
        results = []
        good = []
        for email in emails:
            if email in bad:
                error = errors.AppError(400, "api.team.invite_members.invalid_email.app_error",
                                        "Invitations can only go to addresses in the allowed domains: %s" % email)
                results.append({"email": email, "error": error.to_dict(request_id)})
            else:
                good.append(email)
                results.append({"email": email, "error": None})
        if good:
            if not _take_invite_quota(sender.id, len(good)):
                raise _rate_limited(sender.id, team_id)
            failed = set(_send_invites(team, sender, good))
            for result in results:
                if result["email"] in failed:
                    result["error"] = errors.AppError(
                        500, "api.team.invite_members.unable_to_send_email.app_error",
                        "The invitation email could not be sent.").to_dict(request_id)
        common.audit(session.user_id, "team invitations sent: team_id=%s count=%d" % (team_id, len(good)))
        return results
    if bad:
        raise errors.AppError(400, "api.team.invite_members.invalid_email.app_error",
                              "Invitations can only go to addresses in the allowed domains: %s" % ", ".join(bad))
    if not _take_invite_quota(sender.id, len(emails)):
        raise _rate_limited(sender.id, team_id)
    _send_invites(team, sender, emails)
    common.audit(session.user_id, "team invitations sent: team_id=%s count=%d" % (team_id, len(emails)))
    return {"status": "OK"}


def _rate_limited(user_id, team_id):
    return errors.AppError(413, "app.email.rate_limit_exceeded.app_error",
                           "Too many invitations were sent recently; try again later.",
                           "user_id=%s, team_id=%s" % (user_id, team_id))


def invite_guests_to_team(team_id, body, graceful=None, guest_magic_link=None):
    # Mattermost checks the license before anything else; unlicensed, it has no guests.
    raise errors.AppError(501, "api.team.invite_guests_to_channels.license.error",
                          "Inviting guests needs a license with guest accounts.")


def invalidate_email_invites():
    session = common.session()
    permissions.require(session, "invalidate_email_invite")
    team_queries.delete_tokens_of((team_queries.TEAM_INVITATION, team_queries.GUEST_INVITATION))
    common.audit(session.user_id, "email invitations invalidated")
    return {"status": "OK"}


from handlers.search import search_files  # noqa: E402,F401
from handlers.team_import import import_team  # noqa: E402,F401
