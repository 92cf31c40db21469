"""Handlers for the 'roles' operations of the document."""
import re

import flask

from api import errors, permissions
from handlers.stub import stub
from store import roles as store_roles

_ROLE_NAME_RE = re.compile(r"[a-z0-9_]{1,64}\Z")






@stub("PatchRole")
def patch_role(**kwargs):
    """PUT /api/v4/roles/{role_id}/patch"""


def role_json(role):
    return {"id": role.id, "name": role.name, "display_name": role.display_name,
            "description": role.description, "create_at": role.create_at, "update_at": role.update_at,
            "delete_at": role.delete_at, "permissions": role.permissions.split(),
            "scheme_managed": role.scheme_managed, "built_in": role.built_in}


def _not_found(detail):
    return errors.AppError(404, "store.sql_role.get.app_error", "Unable to get role.", detail)


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
