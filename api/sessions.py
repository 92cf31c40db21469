"""Sessions as Mattermost runs them: created at login, found by token, ended by
expiry, idle time or revocation, and carried by cookies in browsers."""
import time

import peewee

from api import config as config_module, permissions
from store import sessions as store_sessions

ACTIVITY_GRANULARITY_MS = 5 * 60 * 1000  # Mattermost's SessionActivityTimeout
HOUR_MS = 3600 * 1000


def _millis():
    return int(time.time() * 1000)


class AuthSession:
    """The session of the current request, as handlers and the auth check see it."""

    __slots__ = ("id", "token", "user_id", "roles", "csrf_token", "is_oauth", "device_id", "props")

    def __init__(self, row):
        self.id = row.id
        self.token = row.token
        self.user_id = row.user_id
        self.roles = row.roles
        self.props = row.props or {}
        self.csrf_token = self.props.get("csrf", "")
        self.is_oauth = row.is_oauth
        self.device_id = row.device_id

    def has_permission(self, permission):
        return permissions.has(self, permission)


def is_mobile(row):
    return bool(row.device_id) or (row.props or {}).get("isMobile") == "true"


def length_ms(config, mobile=False, sso=False):
    service = config["ServiceSettings"]
    if mobile:
        return service["SessionLengthMobileInHours"] * HOUR_MS
    if sso:
        return service["SessionLengthSSOInHours"] * HOUR_MS
    return service["SessionLengthWebInHours"] * HOUR_MS


def lookup(token):
    """The live session for a token, or None (expired and idle ones are removed).
    A personal access token gets its session on first use. The row may come
    from this process's cache; one that looks over is read again before it
    is ended (another process may have extended it)."""
    row = store_sessions.get_by_token(token)
    if row is None:
        row = _session_for_access_token(token)
        if row is None:
            return None
    service = config_module.current()["ServiceSettings"]
    if (row.props or {}).get("type") == "UserAccessToken" and not service["EnableUserAccessTokens"]:
        return None  # tokens work only while the feature is on
    now = _millis()
    if _over(row, service, now):
        row = store_sessions.get_by_token(token, fresh=True)
        if row is None:
            return None
        if _over(row, service, now):
            store_sessions.revoke(row.id)
            return None
    expires_at = _extended_expiry(row, service, now)
    if expires_at is not None or now - row.last_activity_at > ACTIVITY_GRANULARITY_MS:
        store_sessions.touch(row, now, expires_at)
    return AuthSession(row)


def _over(row, service, now):
    """True when the session has expired, or been idle longer than allowed."""
    if row.expires_at and now > row.expires_at:
        return True
    idle = service["SessionIdleTimeoutInMinutes"]
    return (idle > 0 and not service["ExtendSessionLengthWithActivity"] and not row.is_oauth
            and not is_mobile(row) and (row.props or {}).get("type") != "UserAccessToken"
            and now - row.last_activity_at > idle * 60 * 1000)


def _extended_expiry(row, service, now):
    """With ExtendSessionLengthWithActivity, a session in use gets its full length
    again once a threshold has passed since it was last extended (the larger of
    5 minutes and the smaller of 1% of the length and a day), as Mattermost does.
    Personal access token sessions keep their expiry."""
    if not service["ExtendSessionLengthWithActivity"] or not row.expires_at:
        return None
    if (row.props or {}).get("type") == "UserAccessToken":
        return None
    length = length_ms(config_module.current(), mobile=is_mobile(row))
    threshold = max(min(length // 100, 24 * HOUR_MS), ACTIVITY_GRANULARITY_MS)
    if now - (row.expires_at - length) >= threshold:
        return now + length
    return None


ACCESS_TOKEN_SESSION_MS = 100 * 365 * 24 * HOUR_MS  # Mattermost's: a hundred years


def _session_for_access_token(token):
    from store import tokens, users
    if not config_module.current()["ServiceSettings"]["EnableUserAccessTokens"]:
        return None
    access = tokens.get_by_token(token)
    if access is None or not access.is_active:
        return None
    user = users.get(access.user_id)
    if user is None or user.delete_at:
        return None
    props = {"type": "UserAccessToken", "user_access_token_id": access.id,
             "is_bot": "true" if user.is_bot else "false",
             "is_guest": "true" if "system_guest" in user.roles.split() else "false"}
    try:
        return store_sessions.create(user.id, user.roles, ACCESS_TOKEN_SESSION_MS, props=props, token=access.token)
    except peewee.IntegrityError:
        return store_sessions.get_by_token(token)  # another request made it first


def create_for_login(user, device_id, user_agent):
    """A login session: mobile length with a device id, web length otherwise."""
    from store.ids import new_id
    config = config_module.current()
    mobile = bool(device_id)
    props = {"csrf": new_id(), "isMobile": "true" if mobile else "false", "isSaml": "false",
             "isOAuthUser": "false", "is_guest": "true" if "system_guest" in user.roles.split() else "false",
             "platform": _platform(user_agent), "os": _os(user_agent), "browser": _browser(user_agent)}
    row = store_sessions.create(user.id, user.roles, length_ms(config, mobile=mobile), device_id, props)
    return row


def _platform(agent):
    for name in ("Windows", "Macintosh", "Linux", "iPhone", "iPad", "Android"):
        if name in agent:
            return name
    return ""


def _os(agent):
    for marker, name in (("Windows", "Windows"), ("Mac OS X", "Mac OS"), ("Android", "Android"),
                         ("iPhone OS", "iOS"), ("Linux", "Linux")):
        if marker in agent:
            return name
    return ""


def _browser(agent):
    for marker, name in (("Edg/", "Edge"), ("Chrome/", "Chrome"), ("Firefox/", "Firefox"),
                         ("Safari/", "Safari"), ("python-requests/", "python-requests")):
        if marker in agent:
            version = agent.split(marker, 1)[1].split(" ", 1)[0]
            return "%s/%s" % (name, version)
    return ""


def set_cookies(response, request, session_row, user_id):
    """Mattermost's login cookies: MMAUTHTOKEN (HttpOnly), MMUSERID, MMCSRF; their
    age is always the web session length; Secure when the request came over https."""
    config = config_module.current()
    max_age = config["ServiceSettings"]["SessionLengthWebInHours"] * 3600
    secure = request.headers.get("X-Forwarded-Proto") == "https" or request.scheme == "https"
    path = _subpath(config)
    response.set_cookie("MMAUTHTOKEN", session_row.token, max_age=max_age, path=path, secure=secure, httponly=True)
    response.set_cookie("MMUSERID", user_id, max_age=max_age, path=path, secure=secure)
    response.set_cookie("MMCSRF", (session_row.props or {}).get("csrf", ""), max_age=max_age, path=path,
                        secure=secure)


def clear_cookie(response):
    """Mattermost expires only the session cookie (at logout, or when a session is refused)."""
    response.set_cookie("MMAUTHTOKEN", "", max_age=0, path=_subpath(config_module.current()), httponly=True)


def _subpath(config):
    from urllib.parse import urlsplit
    return urlsplit(config["ServiceSettings"]["SiteURL"] or "").path.rstrip("/") or "/"
