"""What every handler needs: the caller's session, 'me' for the caller's user id,
and finding a user or answering 404."""
import flask

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
