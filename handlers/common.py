"""What every handler needs: the caller's session, 'me' for the caller's user id,
and finding a user or answering 404."""
import flask

import io

from api import errors
from store import users as store_users
from store.ids import is_valid_id


def session():
    """The caller's session (None for anonymous callers of public operations)."""
    return flask.g.get("session")


def user_id(value):
    """'me' stands for the caller wherever a user id does."""
    if value == "me":
        current = session()
        if current is None:
            raise errors.session_expired()
        return current.user_id
    return value


def path_id(value, name):
    """A path id checked as Mattermost checks it (IsValidId), else a 400 naming
    the parameter; "me" stands for the caller in a user_id."""
    if name == "user_id":
        value = user_id(value)
    if not is_valid_id(value):
        raise errors.invalid_url_param(name)
    return value


def require_user(user_id_value):
    user = store_users.get(user_id_value)
    if user is None:
        raise errors.AppError(404, "app.user.missing_account.const", "There is no such user.",
                              "user_id=%s" % user_id_value)
    return user


PER_PAGE_DEFAULT = 60
PER_PAGE_MAX = 200


def paging(page, per_page):
    """(offset, limit) as Mattermost reads page and per_page: a negative page is
    the first; per_page defaults to 60 and is capped at 200."""
    page = page if isinstance(page, int) and page >= 0 else 0
    if not isinstance(per_page, int) or per_page < 0:
        per_page = PER_PAGE_DEFAULT
    per_page = min(per_page, PER_PAGE_MAX)
    return page * per_page, per_page


def audit(user_id, extra_info):
    """Record a security-relevant action of the current request for user_id."""
    from store import audits
    request = flask.request
    current = session()
    forwarded = request.headers.get("X-Forwarded-For", "")
    audits.record(user_id, request.path, extra_info,
                  forwarded.split(",")[0].strip() or request.remote_addr or "",
                  getattr(current, "id", "") if current is not None else "")


def split_member_roles(roles, scheme_roles, scheme_error_id):
    """A member's roles string split as Mattermost's UpdateTeam/ChannelMemberRoles
    do: the scheme's (guest, user, admin) roles become the scheme flags, roles
    no scheme manages are kept as explicit roles; an unknown role, or another
    scheme's role (scheme_error_id), is a 400. Returns (flags, explicit)."""
    from store import roles as store_roles
    guest_role, user_role, admin_role = scheme_roles
    flags = {"scheme_guest": False, "scheme_user": False, "scheme_admin": False}
    explicit = []
    for name in roles.split():
        role = store_roles.get_by_name(name)
        if role is None:
            raise errors.AppError(400, "app.role.get_by_name.app_error", "There is no role named %s." % name,
                                  "name=%s" % name)
        if not role.scheme_managed:
            explicit.append(name)
        elif name in (admin_role, user_role, guest_role):
            flags[{admin_role: "scheme_admin", user_role: "scheme_user", guest_role: "scheme_guest"}[name]] = True
        else:
            raise errors.AppError(400, scheme_error_id, "The role %s belongs to another scheme." % name,
                                  "role_name=%s" % name)
    return flags, list(dict.fromkeys(explicit))


def raw_body(request):
    """The body of a raw upload as a stream, for the store to read in chunks.
    A body the routing left unread (g.stream_body) is streamed; one it had to
    read (no Content-Type, text/plain, ...) is served from its cache."""
    if flask.g.get("stream_body"):
        return request.stream
    return io.BytesIO(request.get_data(cache=True))
