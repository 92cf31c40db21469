"""Handlers for the 'schemes' operations of the document. Creating, changing and
deleting schemes needs Mattermost's custom permission schemes license, so this
server answers those as an unlicensed one does; schemes a licensed server made
(and that were migrated here) can be read."""
from api import errors, permissions
from handlers import common
from store import channels as store_channels, schemes as store_schemes, teams as store_teams

_READ = "sysconsole_read_user_management_permissions"
_WRITE = "sysconsole_write_user_management_permissions"


def scheme_json(scheme):
    return {"id": scheme.id, "name": scheme.name, "display_name": scheme.display_name,
            "description": scheme.description, "create_at": scheme.create_at, "update_at": scheme.update_at,
            "delete_at": scheme.delete_at, "scope": scheme.scope,
            "default_team_admin_role": scheme.default_team_admin_role,
            "default_team_user_role": scheme.default_team_user_role,
            "default_team_guest_role": scheme.default_team_guest_role,
            "default_channel_admin_role": scheme.default_channel_admin_role,
            "default_channel_user_role": scheme.default_channel_user_role,
            "default_channel_guest_role": scheme.default_channel_guest_role}


def _license_error(action):
    return errors.AppError(501, "api.scheme.%s_scheme.license.error" % action,
                           "Permission schemes need a license this server does not have.")


def _require(scheme_id):
    scheme = store_schemes.get(scheme_id)
    if scheme is None:
        raise errors.AppError(404, "app.scheme.get.app_error", "There is no such scheme.", "id=%s" % scheme_id)
    return scheme


def get_schemes(scope="", page=0, per_page=60):
    permissions.require(common.session(), _READ)
    if scope not in ("", "team", "channel"):
        raise errors.invalid_url_param("scope")
    offset, limit = common.paging(page, per_page)
    return [scheme_json(s) for s in store_schemes.page(scope, offset, limit)]


def get_scheme(scheme_id):
    permissions.require(common.session(), _READ)
    return scheme_json(_require(scheme_id))


def create_scheme(body):
    raise _license_error("create")


def patch_scheme(scheme_id, body):
    raise _license_error("patch")


def delete_scheme(scheme_id):
    raise _license_error("delete")


def _members_of(scheme_id, scope, permission):
    permissions.require(common.session(), permission)
    scheme = _require(scheme_id)
    if scheme.scope != scope:
        raise errors.AppError(400, "api.scheme.get_%ss_for_scheme.scope.error" % scope,
                              "This scheme applies to %ss, not to %ss." % (scheme.scope, scope))
    return scheme


def get_teams_for_scheme(scheme_id, page=0, per_page=60):
    """The teams that use a team scheme, by display name."""
    scheme = _members_of(scheme_id, "team", "sysconsole_read_user_management_teams")
    offset, limit = common.paging(page, per_page)
    return [store_teams.team_json(t) for t in store_schemes.teams_using(scheme.id, offset, limit)]


def get_channels_for_scheme(scheme_id, page=0, per_page=60):
    """The channels that use a channel scheme, by display name."""
    scheme = _members_of(scheme_id, "channel", "sysconsole_read_user_management_channels")
    offset, limit = common.paging(page, per_page)
    return [store_channels.channel_json(c) for c in store_schemes.channels_using(scheme.id, offset, limit)]
