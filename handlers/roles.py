"""Handlers for the 'roles' operations of the document."""
import re

import flask

from api import errors, permissions
from store import roles as store_roles
from ws import account_events

_ROLE_NAME_RE = re.compile(r"[a-z0-9_]{1,64}\Z")







def role_json(role):
    return {"id": role.id, "name": role.name, "display_name": role.display_name,
            "description": role.description, "create_at": role.create_at, "update_at": role.update_at,
            "delete_at": role.delete_at, "permissions": role.permissions.split(),
            "scheme_managed": role.scheme_managed, "built_in": role.built_in}


def _not_found(detail):
    return errors.AppError(404, "store.sql_role.get.app_error", "There is no such role.", detail)


def get_all_roles():
    permissions.require(flask.g.get("session"), "manage_system")
    return [role_json(r) for r in store_roles.all_roles()]


def get_role(role_id):
    role = store_roles.get(role_id)
    if role is None:
        raise _not_found("role_id=%s" % role_id)
    return role_json(role)


def get_role_by_name(role_name):
    if not _ROLE_NAME_RE.match(role_name):
        raise errors.invalid_url_param("role_name")
    role = store_roles.get_by_name(role_name)
    if role is None:
        raise _not_found("name=%s" % role_name)
    return role_json(role)


def get_roles_by_names(body):
    if not isinstance(body, list) or not body or len(body) > 500:
        raise errors.invalid_body_param("rolenames")
    names = [n for n in body if isinstance(n, str) and _ROLE_NAME_RE.match(n)]
    if len(names) != len(body):
        raise errors.invalid_body_param("rolenames")
    return [role_json(r) for r in store_roles.get_by_names(names)]


# Roles only someone with manage_system may patch (Mattermost's system admin and newer system roles).
_PROTECTED_ROLES = {"system_admin", "system_user_manager", "system_read_only_admin", "system_manager"}
_GUEST_ROLES = {"system_guest", "team_guest", "channel_guest"}
# Permissions no patch may add or remove.
_FIXED_PERMISSIONS = {"manage_roles", "sysconsole_read_user_management_system_roles",
                      "sysconsole_write_user_management_system_roles"}


def patch_role(role_id, body):
    """Change a role's permissions, as an unlicensed Mattermost server allows."""
    role = store_roles.get(role_id)
    if role is None:
        raise _not_found("role_id=%s" % role_id)
    required = "manage_system" if role.name in _PROTECTED_ROLES else "sysconsole_write_user_management_permissions"
    permissions.require(flask.g.get("session"), required)
    new = body.get("permissions")
    if new is None:
        return role_json(role)
    if not isinstance(new, list) or not all(isinstance(p, str) for p in new):
        raise errors.invalid_body_param("permissions")
    if role.name in _GUEST_ROLES:
        raise errors.AppError(501, "api.roles.patch_roles.license.error",
                              "Changing the guest roles needs a license this server does not have.")
    new = list(dict.fromkeys(new))
    unknown = set(new) - store_roles.known_permissions()
    if unknown:
        raise errors.AppError(400, "model.role.is_valid.permissions.app_error", "Invalid permissions.",
                              ",".join(sorted(unknown)))
    changed = set(new) ^ set(role.permissions.split())
    fixed = sorted(changed & _FIXED_PERMISSIONS)
    if fixed:
        raise errors.AppError(501, "api.roles.patch_roles.not_allowed_permission.error",
                              "The permission cannot be added or removed.", "Cannot add or remove permission: " + fixed[0])
    if new == role.permissions.split():
        return role_json(role)  # Mattermost leaves a patch that changes nothing unsaved and unannounced
    body = role_json(store_roles.set_permissions(role.id, new))
    account_events.role_updated(body)
    return body
