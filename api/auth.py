"""Who is calling: the session token, read as Mattermost reads it, and the check
each operation's `security` in the document asks for.

Mattermost takes a token from, in order: the Authorization header ("Bearer" or
"Token", any case), the MMAUTHTOKEN cookie, or the access_token query
parameter. The check runs before request validation, as in Mattermost, so a
caller without a session learns nothing about an operation's parameters.

Security requirements in the document map to checks:
- none (security: []): the session is read when present, never required;
- bearerAuth / cookieAuth / queryToken: a valid session is required;
- cloudToken, remoteClusterId + remoteClusterToken: the callers Mattermost's
  cloud service and remote clusters use; this server is neither a cloud
  instance nor connected to remote clusters, so these are refused.
"""
import functools

import flask

from api import errors

TOKEN_FROM_HEADER = "header"
TOKEN_FROM_COOKIE = "cookie"
TOKEN_FROM_QUERY = "query"

SESSION_COOKIE = "MMAUTHTOKEN"
USER_COOKIE = "MMUSERID"
CSRF_COOKIE = "MMCSRF"

_SESSION_SCHEMES = {"bearerAuth", "cookieAuth", "queryToken"}


def token_from_request(request):
    """(token, where) from a Flask request; ("", None) when there is none."""
    environ = request.environ
    header = environ.get("HTTP_AUTHORIZATION")
    if header:
        scheme, _, value = header.strip().partition(" ")
        if scheme.lower() in ("bearer", "token") and value.strip():
            return value.strip(), TOKEN_FROM_HEADER
    if "HTTP_COOKIE" in environ:
        cookie = request.cookies.get(SESSION_COOKIE)
        if cookie:
            return cookie, TOKEN_FROM_COOKIE
    if "access_token" in environ.get("QUERY_STRING", ""):
        query = request.args.get("access_token")
        if query:
            return query, TOKEN_FROM_QUERY
    return "", None


def lookup_session(token):
    """The live session for token, or None.

    Sessions are stored from the accounts work on; until a session store is
    registered with set_session_lookup, no token is valid.
    """
    if _session_lookup is None:
        return None
    return _session_lookup(token)


_session_lookup = None


def set_session_lookup(function):
    """Register the function that maps a token to a session (or None)."""
    global _session_lookup
    _session_lookup = function


def current_session(required):
    """Authenticate the current request once; raise 401 when required and absent."""
    g = flask.g._get_current_object()
    session = g.get("session", _UNSET)
    if session is _UNSET:
        token, where = token_from_request(flask.request._get_current_object())
        g.token_location = where
        g.session = session = lookup_session(token) if token else None
    if required and session is None:
        detail = "token from %s is not a valid session" % g.token_location if g.token_location else ""
        raise errors.session_expired(detail)
    return session


_UNSET = object()


def _required_kind(security, schemes):
    """'none', 'session' or 'refused' for a security requirement list."""
    if not security:
        return "none"
    names = set()
    for requirement in security:
        if not requirement:
            return "none"  # an empty requirement means "no authentication" is one option
        names.update(requirement)
    if names & _SESSION_SCHEMES:
        return "session"
    return "refused"


def decorator_for(security, schemes):
    """The decorator connexion applies outermost to an operation's function."""
    kind = _required_kind(security, schemes)

    def decorate(function):
        @functools.wraps(function)
        def wrapper(request):
            if kind == "session":
                current_session(required=True)
            elif kind == "none":
                current_session(required=False)
            else:
                raise errors.AppError(401, "api.context.session_expired.app_error",
                                      "Invalid or expired session, please login again.",
                                      "this server accepts no cloud or remote-cluster credentials")
            return function(request)

        return wrapper

    return decorate


def session_has_permission(session, permission):
    """True if the session's roles grant permission system-wide.

    Roles and permissions arrive with the accounts work; a session object that
    can answer provides has_permission(permission).
    """
    if session is None:
        return False
    check = getattr(session, "has_permission", None)
    return bool(check and check(permission))
