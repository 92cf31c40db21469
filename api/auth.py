"""Who is calling: the session token, read as Mattermost reads it, and the check
each operation's `security` in the document asks for.

Mattermost takes a token from, in order: the MMAUTHTOKEN cookie, the
Authorization header ("Bearer" or "Token", any case), or the access_token query
parameter. A write (any method but GET, HEAD, OPTIONS) authenticated by the
cookie alone must also carry X-CSRF-Token equal to the session's CSRF token, or
else X-Requested-With: XMLHttpRequest unless
ServiceSettings.ExperimentalStrictCSRFEnforcement is on.

The check runs before the request body is read and before validation
(api.app's before_request), as in Mattermost, so a caller without a session
learns nothing about an operation and cannot make the server read its body.

Security requirements in the document map to kinds of check:
- NONE (security: []): the session is read when present, never required;
- SESSION (bearerAuth / cookieAuth / queryToken): a valid session is required;
- REFUSED (cloudToken, remoteClusterId + remoteClusterToken): the callers
  Mattermost's cloud service and remote clusters use; this server is neither a
  cloud instance nor connected to remote clusters, so they get 401.
"""
import logging

import flask

from api import errors

log = logging.getLogger("mattermost.auth")

TOKEN_FROM_HEADER = "header"
TOKEN_FROM_COOKIE = "cookie"
TOKEN_FROM_QUERY = "query"

SESSION_COOKIE = "MMAUTHTOKEN"
USER_COOKIE = "MMUSERID"
CSRF_COOKIE = "MMCSRF"
CSRF_HEADER = "X-CSRF-Token"

NONE, SESSION, REFUSED = "none", "session", "refused"
_SESSION_SCHEMES = {"bearerAuth", "cookieAuth", "queryToken"}
_SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def requirement(security):
    """NONE, SESSION or REFUSED for an operation's security requirement list."""
    if not security:
        return NONE
    names = set()
    for alternative in security:
        if not alternative:
            return NONE  # an empty alternative means "no authentication" is allowed
        names.update(alternative)
    return SESSION if names & _SESSION_SCHEMES else REFUSED


def token_from_request(request):
    """(token, where) from a Flask request; ("", None) when there is none."""
    environ = request.environ
    if "HTTP_COOKIE" in environ:
        cookie = request.cookies.get(SESSION_COOKIE)
        if cookie:
            return cookie, TOKEN_FROM_COOKIE
    header = environ.get("HTTP_AUTHORIZATION")
    if header:
        scheme, _, value = header.strip().partition(" ")
        if scheme.lower() in ("bearer", "token") and value.strip():
            return value.strip(), TOKEN_FROM_HEADER
    if "access_token" in environ.get("QUERY_STRING", ""):
        query = request.args.get("access_token")
        if query:
            return query, TOKEN_FROM_QUERY
    return "", None


_session_lookup = None


def set_session_lookup(function):
    """Replace how a token maps to a session (tests use stand-ins); None restores
    the stored sessions (api.sessions.lookup)."""
    global _session_lookup
    _session_lookup = function


def lookup_session(token):
    """The live session for token, or None."""
    if not token:
        return None
    if _session_lookup is not None:
        return _session_lookup(token)
    from api import sessions
    return sessions.lookup(token)


def authenticate(kind):
    """Read the caller's session for the current request and enforce kind.

    Sets flask.g.session (None when anonymous); raises 401 when a session is
    required and absent, or when a cookie-authenticated write fails the CSRF check.
    """
    g = flask.g._get_current_object()
    request = flask.request._get_current_object()
    if kind == REFUSED:
        g.session = None
        raise errors.session_expired("this server accepts no cloud or remote-cluster credentials")
    token, where = token_from_request(request)
    session = lookup_session(token)
    if session is not None and where == TOKEN_FROM_COOKIE and request.method not in _SAFE_METHODS:
        if not _csrf_ok(request, session):
            session = None
            if kind == SESSION:
                g.session = None
                raise errors.session_expired("token from cookie appears to be a CSRF attempt")
    g.session = session
    if kind == SESSION and session is None:
        if where == TOKEN_FROM_COOKIE:
            g.clear_session_cookie = True  # as Mattermost does, so the browser logs in again
        raise errors.session_expired("token from %s is not a valid session" % where if token else "")
    return session


def _csrf_ok(request, session):
    expected = getattr(session, "csrf_token", "")
    if expected and request.headers.get(CSRF_HEADER) == expected:
        return True
    from api import config as config_module
    strict = config_module.current()["ServiceSettings"]["ExperimentalStrictCSRFEnforcement"]
    if not strict and request.headers.get("X-Requested-With") == "XMLHttpRequest":
        log.warning("CSRF header missing on a cookie-authenticated %s %s; allowed by the "
                    "X-Requested-With fallback", request.method, request.path)
        return True
    return False


def session_has_permission(session, permission):
    """True if the session's roles grant permission system-wide.

    Roles and permissions arrive with the accounts work; a session object that
    can answer provides has_permission(permission).
    """
    if session is None:
        return False
    check = getattr(session, "has_permission", None)
    return bool(check and check(permission))
