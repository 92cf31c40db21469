"""Handlers for the 'users' operations of the document."""
import re
import time

import flask

from api import config as config_module, errors, permissions, sessions
from api.responses import Response
from handlers import common
from store import (channels as store_channels, mailed_tokens as store_mailed_tokens, passwords,
                   roles as store_roles, sessions as store_sessions, teams as store_teams,
                   uploads as store_uploads, users as store_users)
from ws import account_events



def _report_date_range(date_range, now):
    """(start_at, end_at) in ms for Mattermost's report date ranges; 0 is open."""
    import datetime
    if date_range == "last_30_days":
        return int((now - datetime.timedelta(days=30)).timestamp() * 1000), 0
    if date_range == "previous_month":
        month_start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        previous = (month_start - datetime.timedelta(days=1)).replace(day=1)
        return int(previous.timestamp() * 1000), int(month_start.timestamp() * 1000)
    if date_range == "last_6_months":
        month, year = now.month - 6, now.year
        if month < 1:
            month, year = month + 12, year - 1
        day = min(now.day, [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28,
                            31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1])
        return int(now.replace(year=year, month=month, day=day).timestamp() * 1000), 0
    return 0, 0


def _report_user_json(user, last_status_at, stats):
    """A user as the report shows it: the whole profile without the fields that
    are not part of one (Mattermost's ClearNonProfileFields), and the activity."""
    body = user_json(user, _Self(user.id))
    for key in ("email_verified", "allow_marketing", "notify_props", "last_password_update", "failed_attempts"):
        body.pop(key, None)
    if user.last_login:
        body["last_login"] = user.last_login
    if last_status_at is not None:
        body["last_status_at"] = last_status_at
    if stats["last_post_date"] is not None:
        body["last_post_date"] = stats["last_post_date"]
    body["days_active"] = stats["days_active"]
    if stats["total_posts"] is not None:
        body["total_posts"] = stats["total_posts"]
    return body


def get_users_for_reporting(sort_column="", direction="", sort_direction="", page_size=50, from_column_value="",
                            from_id="", date_range="", role_filter="", team_filter="", has_no_team=False,
                            hide_active=False, hide_inactive=False):
    """GET /reports/users: the System Console's user list, with each user's
    activity, sorted and paged by cursor. Only system admins who may read the
    user management section get it."""
    import datetime
    from store.ids import is_valid_id
    session = common.session()
    permission = "sysconsole_read_user_management_users"
    if not (permissions.is_system_admin(session) and permissions.has(session, permission)):
        raise errors.permission_denied([permission])
    if team_filter and not is_valid_id(team_filter):
        raise errors.AppError(400, "api.getUsersForReporting.invalid_team_filter",
                              "The team filter is not a valid team id.")
    if hide_active and hide_inactive:
        raise errors.AppError(400, "api.getUsersForReporting.invalid_active_filter",
                              "Active and inactive users cannot both be hidden.")
    if not isinstance(page_size, int) or page_size <= 0 or page_size > 100:
        raise errors.AppError(400, "api.getUsersForReporting.invalid_page_size",
                              "The page size must be between 1 and 100.")
    sort_column = sort_column or "Username"
    if sort_column not in store_users.REPORT_SORT_COLUMNS:
        raise errors.AppError(400, "model.user_report_options.is_valid.invalid_sort_column",
                              "The report cannot be sorted by this column.", "sort_column=%s" % sort_column)
    from_value = None
    if from_id and from_column_value:
        from_value = from_column_value
        if sort_column == "CreateAt":
            try:
                from_value = int(from_column_value)
            except ValueError:
                raise errors.invalid_url_param("from_column_value")
    start_at, end_at = _report_date_range(date_range, datetime.datetime.now(datetime.timezone.utc))
    options = store_users.ReportOptions(
        sort_column=sort_column, sort_desc=sort_direction == "desc",
        direction="prev" if direction == "prev" else "next", page_size=page_size, from_value=from_value,
        from_id=from_id, role=role_filter, team_id=team_filter, has_no_team=bool(has_no_team),
        hide_active=bool(hide_active), hide_inactive=bool(hide_inactive),
        search_term=flask.request.args.get("search_term", ""), start_at=start_at, end_at=end_at)
    return [_report_user_json(user, status, stats) for user, status, stats in store_users.report_page(options)]




def permanent_delete_all_users():
    """DELETE /users: Mattermost serves it only on the local-mode socket, which
    this server does not have; over the network the route does not exist."""
    raise errors.unknown_url(flask.request.path)










def get_users_with_invalid_emails(page=0, per_page=60):
    """GET /users/invalid_emails: email-login accounts whose address is outside
    TeamSettings.RestrictCreationToDomains. Meaningless on an open server."""
    config = config_module.current()
    if config["TeamSettings"]["EnableOpenServer"]:
        raise errors.AppError(400, "<untranslated>", "Open sign-up is on, so no email address is invalid.",
                              "TeamSettings.EnableOpenServer is enabled")
    permissions.require(common.session(), "sysconsole_read_user_management_users")
    offset, limit = common.paging(page, per_page)
    domains = [d for d in (config["TeamSettings"]["RestrictCreationToDomains"] or "").split(",") if d]
    return [user_json(user, _Self(user.id)) for user in store_users.with_invalid_emails(offset, limit, domains)]





def login_by_cws_token(body=None):
    """POST /users/login/cws: the Cloud portal's login; without a Cloud
    license Mattermost refuses it before reading anything."""
    raise errors.AppError(401, "api.user.login_cws.license.error",
                          "Logging in with a Cloud token needs a Cloud license.")


def login_sso_code_exchange(body=None):
    """POST /users/login/sso/code-exchange: deprecated; gone while the
    MobileSSOCodeExchange feature flag is off (Mattermost's default)."""
    response = errors.response_for(errors.AppError(
        410, "api.user.login_sso_code_exchange.deprecated.app_error",
        "Exchanging SSO login codes is deprecated and turned off."))
    response.headers["Deprecation"] = "true"
    return response


_OAUTH_SERVICES = ("saml", "gitlab", "google", "office365", "openid")
_SSO_SETTINGS = {"gitlab": "GitLabSettings", "google": "GoogleSettings", "office365": "Office365Settings",
                 "openid": "OpenIdSettings"}
_OAUTH_COOKIE = "MMOAUTH"
_OAUTH_COOKIE_MAX_AGE = 30 * 60
_SIGNIN_CHANGE_LINK = "/login?extra=signin_change"


def _account_by_email(email):
    user = store_users.get_by_email(email) if email else None
    if user is None:
        raise errors.AppError(404, "app.user.missing_account.const", "There is no account with this email address.")
    return user


def _check_password_and_criteria(user, password, code):
    """Mattermost's CheckPasswordAndAllCriteria: the account may sign in, the
    password (then the MFA code) is right, and the email is verified where
    that is required; a wrong password counts as a failed attempt."""
    config = config_module.current()
    if user.delete_at:
        raise errors.AppError(401, "api.user.login.inactive.app_error",
                              "This account is deactivated; an administrator can reactivate it.")
    if user.is_bot:
        raise errors.AppError(401, "api.user.login.bot_login_forbidden.app_error", "Bot accounts cannot log in.")
    if user.failed_attempts >= config["ServiceSettings"]["MaximumLoginAttempts"]:
        raise errors.AppError(401, "api.user.check_user_login_attempts.too_many.app_error",
                              "Too many failed logins have locked this account; reset the password to unlock it.")
    good = bool(password) and bool(user.password) and len(password.encode("utf-8")) <= passwords.MAX_PASSWORD_BYTES \
        and passwords.verify(password, user.password)
    if not good:
        store_users.set_failed_attempts(user.id, user.failed_attempts + 1)
        raise errors.AppError(401, "api.user.check_user_password.invalid.app_error",
                              "The password is wrong for this account.")
    if user.mfa_active and config["ServiceSettings"]["EnableMultifactorAuthentication"]:
        _check_login_mfa(user, code)
    store_users.set_failed_attempts(user.id, 0)
    if not user.email_verified and config["EmailSettings"]["RequireEmailVerification"]:
        raise errors.AppError(401, "api.user.login.not_verified.app_error",
                              "The email address must be verified before logging in.")


def _configured_site_url():
    """Mattermost's GetSiteURL: the configured SiteURL, possibly empty."""
    return (config_module.current()["ServiceSettings"]["SiteURL"] or "").rstrip("/")


def _switch_email_to_oauth(email, password, code, service):
    user = _account_by_email(email)
    _check_password_and_criteria(user, password, code)
    from urllib.parse import quote, quote_plus
    request = flask.request
    if service == "saml":
        token = store_mailed_tokens.create("saml", email)
        return flask.jsonify({"follow_link": "%s/login/sso/saml?action=email_to_sso&email_token=%s"
                                             % (_configured_site_url(), quote(token, safe=""))})
    config = config_module.current()
    sso = config.get(_SSO_SETTINGS[service]) or {}
    if not sso.get("Enable"):
        raise errors.AppError(501, "api.user.authorize_oauth_user.unsupported.app_error",
                              "This sign-in service is not turned on.", "service=%s" % service)
    provider = "openid" if "openid" in (sso.get("Scope") or "") else service
    if provider != "gitlab":
        # Only the GitLab provider is in Team Edition.
        raise errors.AppError(501, "api.user.login_by_oauth.not_available.app_error",
                              "Signing in with this service is not available on this server.")
    import base64
    import json
    from store.ids import new_id
    cookie = new_id()
    state_token = store_mailed_tokens.create("oauth", "%s:%s:%s" % (email, "email_to_sso", cookie))
    props = {"action": "email_to_sso", "email": email, "token": state_token}
    state = base64.b64encode(json.dumps(props, sort_keys=True, separators=(",", ":")).encode()).decode()
    site = _configured_site_url() or "%s://%s" % (request.scheme, request.host)
    link = "%s?response_type=code&client_id=%s&redirect_uri=%s&state=%s" % (
        sso.get("AuthEndpoint") or "", sso.get("Id") or "", quote_plus(site + "/signup/gitlab/complete"),
        quote_plus(state))
    if sso.get("Scope"):
        link += "&scope=" + quote(sso["Scope"], safe="")
    response = flask.jsonify({"follow_link": link})
    secure = request.headers.get("X-Forwarded-Proto") == "https" or request.scheme == "https"
    from urllib.parse import urlsplit
    path = urlsplit(config["ServiceSettings"]["SiteURL"] or "").path.rstrip("/") or "/"
    response.set_cookie(_OAUTH_COOKIE, cookie, max_age=_OAUTH_COOKIE_MAX_AGE, path=path, secure=secure,
                        httponly=True)
    return response


def _check_email_sign_in_possible():
    email_settings = config_module.current()["EmailSettings"]
    if not email_settings["EnableSignUpWithEmail"]:
        raise errors.AppError(403, "api.user.auth_switch.not_available.email_signup_disabled.app_error",
                              "Email sign-up is turned off, so accounts cannot move to email sign-in.")
    if not email_settings["EnableSignInWithEmail"] and not email_settings["EnableSignInWithUsername"]:
        raise errors.AppError(403, "api.user.auth_switch.not_available.login_disabled.app_error",
                              "Signing in with email or username is turned off.")


def _switch_oauth_to_email(email, new_password, session):
    _check_email_sign_in_possible()
    user = _account_by_email(email)
    if user.id != session.user_id:
        raise errors.AppError(403, "api.user.oauth_to_email.context.app_error",
                              "Only the account's owner may move it to email sign-in.")
    check_password_policy(new_password)
    store_users.set_password_leaving_service(user.id, new_password)
    common.audit(user.id, "switched sign-in to email")
    store_sessions.revoke_for_user(session.user_id)
    return {"follow_link": _SIGNIN_CHANGE_LINK}


def _switch_email_to_ldap(email, password, code):
    user = _account_by_email(email)
    _check_password_and_criteria(user, password, code)
    # Mattermost ends the sessions before it finds that LDAP is missing.
    store_sessions.revoke_for_user(user.id)
    raise errors.AppError(501, "api.user.email_to_ldap.not_available.app_error",
                          "AD/LDAP sign-in is not available on this server.")


def _switch_ldap_to_email(email):
    _check_email_sign_in_possible()
    user = _account_by_email(email)
    if user.auth_service != "ldap":
        raise errors.AppError(400, "api.user.ldap_to_email.not_ldap_account.app_error",
                              "This account does not sign in with AD/LDAP.")
    raise errors.AppError(501, "api.user.ldap_to_email.not_available.app_error",
                          "AD/LDAP sign-in is not available on this server.")


def switch_account_type(body):
    """POST /users/login/switch: move an account between email sign-in and
    another service, as Team Edition can (email to SAML or GitLab gives the
    link that finishes the move; LDAP is not available)."""
    values = {k: (v if isinstance(v, str) else "") for k, v in (body or {}).items()}
    current, new = values.get("current_service", ""), values.get("new_service", "")
    email = values.get("email", "")
    if current == "email" and new in _OAUTH_SERVICES:
        return _switch_email_to_oauth(email, values.get("password", ""), values.get("mfa_code", ""), new)
    if current in _OAUTH_SERVICES and new == "email":
        session = common.session()
        if session is None:
            raise errors.session_expired()
        return _switch_oauth_to_email(email, values.get("new_password", ""), session)
    if current == "email" and new == "ldap":
        return _switch_email_to_ldap(email, values.get("password", ""), values.get("mfa_code", ""))
    if current == "ldap" and new == "email":
        return _switch_ldap_to_email(email)
    raise errors.invalid_body_param("switch_request")




def _migration_body(body, sources, flag):
    """Mattermost's checks on a migration body, in its order."""
    body = body if isinstance(body, dict) else {}
    source = body.get("from")
    if not isinstance(source, str) or source not in sources:
        raise errors.invalid_body_param("from")
    if not isinstance(body.get(flag), bool):
        raise errors.invalid_body_param(flag)
    return body


def migrate_auth_to_ldap(body=None):
    """POST /users/migrate_auth/ldap: needs an LDAP license, so after the
    checks Mattermost makes first it is not available."""
    body = _migration_body(body, ("email", "gitlab", "saml", "google", "office365"), "force")
    if not isinstance(body.get("match_field"), str):
        raise errors.invalid_body_param("match_field")
    permissions.require(common.session(), "manage_system")
    raise errors.AppError(501, "api.admin.ldap.not_available.app_error",
                          "AD/LDAP is not available on this server.")


def migrate_auth_to_saml(body=None):
    """POST /users/migrate_auth/saml: needs a SAML license, so after the checks
    Mattermost makes first it is not available."""
    body = _migration_body(body, ("email", "gitlab", "ldap", "google", "office365"), "auto")
    if not isinstance(body.get("matches"), dict):
        raise errors.invalid_body_param("matches")
    permissions.require(common.session(), "manage_system")
    raise errors.AppError(501, "api.admin.saml.not_available.app_error",
                          "SAML 2.0 is not available on this server.")

























def get_channel_members_with_team_data_for_user(user_id, page=0, per_page=60):
    """A user's channel memberships, each with its team's name and display name."""
    user_id = common.user_id(user_id)
    if not permissions.can_act_on_user(common.session(), user_id):
        raise errors.permission_denied(["edit_other_users"])
    offset, limit = common.paging(page, per_page)
    result = []
    for member, channel, team in store_users.channel_memberships(user_id, offset, limit):
        body = store_channels.member_json(member, channel)
        body.update(team_display_name=team.display_name if team else "", team_name=team.name if team else "",
                    team_update_at=team.update_at if team else 0)
        result.append(body)
    return result























def publish_user_typing(user_id, body):
    """Tell a channel's members that the user is typing (Mattermost's REST
    form of the user_typing action): yourself, or anyone with manage_system;
    the user must be able to post in the channel. As the websocket action
    here, nothing is sent while ServiceSettings.EnableUserTypingMessages is off."""
    user_id = common.path_id(user_id, "user_id")
    session = common.session()
    if not isinstance(body, dict):
        raise errors.invalid_param("typing_request")
    channel_id = body.get("channel_id")
    parent_id = body.get("parent_id")
    if not isinstance(channel_id, str) or (parent_id is not None and not isinstance(parent_id, str)):
        raise errors.invalid_param("typing_request")
    if user_id != session.user_id and not permissions.has(session, "manage_system"):
        raise errors.permission_denied(["manage_system"])
    typist = session if user_id == session.user_id else _Viewer(user_id, _roles_of(user_id))
    if not permissions.has_channel(typist, channel_id, "create_post"):
        raise errors.permission_denied(["create_post"])
    if config_module.current()["ServiceSettings"]["EnableUserTypingMessages"]:
        account_events.typing(channel_id, user_id, parent_id or "")
    return {"status": "OK"}


def _roles_of(user_id):
    user = store_users.get(user_id)
    return user.roles if user is not None else ""


class _Viewer:
    """Someone a profile is shown to, or a permission checked for, by id and roles."""

    def __init__(self, user_id, roles):
        self.user_id = user_id
        self.roles = roles


# Who the copies of user_updated are built for: a system admin, and anyone else.
_AN_ADMIN = _Viewer("", "system_user system_admin")
_SOMEONE = _Viewer("", "system_user")


def publish_user_updated(user):
    """user_updated in Mattermost's three copies (see ws/account_events.py):
    the profile as an admin, as anyone else, and as the user sees it."""
    account_events.user_updated(user.id, self_body=user_json(user, _Self(user.id)),
                                admin_body=user_json(user, _AN_ADMIN), public_body=user_json(user, _SOMEONE))


def publish_profile_picture(user_id):
    """user_updated for a new or removed picture: the sanitized profile to everyone."""
    user = store_users.get(user_id)
    if user is not None:
        account_events.user_updated_to_all(user_json(user, _SOMEONE))


def get_uploads_for_user(user_id):
    """GET /users/{user_id}/uploads: your own unfinished resumable uploads
    (no one else's, not even an admin's view of them, as Mattermost)."""
    session = common.session()
    user_id = common.path_id(user_id, "user_id")
    if user_id != session.user_id:
        raise errors.AppError(403, "api.user.get_uploads_for_user.forbidden.app_error",
                              "You can only list your own uploads.")
    return [store_uploads.upload_json(u) for u in store_uploads.for_user(user_id)]


# ---------------------------------------------------------------------------
# How a user looks on the wire.

_USERNAME_RE = re.compile(r"[a-z0-9.\-_]+\Z")
_RESERVED_USERNAMES = {"all", "channel", "matterbot", "system"}
_EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\Z")
DEFAULT_NOTIFY_PROPS = {
    "email": "true", "push": "mention", "desktop": "mention", "desktop_sound": "true",
    "mention_keys": "", "channel": "true", "push_status": "away", "comments": "never",
    "first_name": "false", "desktop_threads": "all", "email_threads": "all", "push_threads": "all",
}
DEFAULT_TIMEZONE = {"useAutomaticTimezone": "true", "automaticTimezone": "", "manualTimezone": ""}


def user_json(user, viewer=None):
    """A user as Mattermost sends it: the user themself sees their own profile
    (never the password hash or MFA secret); others see what the privacy
    settings allow."""
    body = {
        "id": user.id, "create_at": user.create_at, "update_at": user.update_at, "delete_at": user.delete_at,
        "username": user.username, "auth_data": "", "auth_service": user.auth_service, "email": user.email,
        "email_verified": user.email_verified, "nickname": user.nickname, "first_name": user.first_name,
        "last_name": user.last_name, "position": user.position, "roles": user.roles,
        "allow_marketing": user.allow_marketing, "props": user.props or {},
        "notify_props": user.notify_props or {}, "last_password_update": user.last_password_update,
        "last_picture_update": user.last_picture_update, "failed_attempts": user.failed_attempts,
        "locale": user.locale, "timezone": user.timezone or dict(DEFAULT_TIMEZONE),
        "mfa_active": user.mfa_active, "is_bot": user.is_bot, "disable_welcome_email": False,
    }
    if viewer is None or viewer.user_id != user.id:
        admin = permissions.is_system_admin(viewer)
        privacy = config_module.current()["PrivacySettings"]
        body.update(notify_props={}, email_verified=False, allow_marketing=False, failed_attempts=0,
                    last_password_update=0)
        if not admin:
            body["auth_service"] = ""
            if not privacy["ShowEmailAddress"]:
                body["email"] = ""
            if not privacy["ShowFullName"]:
                body["first_name"] = body["last_name"] = ""
    # Mattermost leaves these out when empty.
    for key in ("email_verified", "allow_marketing", "props", "notify_props", "last_password_update",
                "last_picture_update", "failed_attempts", "mfa_active", "is_bot"):
        if not body[key]:
            del body[key]
    return body


def _invalid_user(field, detail=""):
    messages = {
        "username": "Username must begin with a letter, and contain between 3 to 22 lowercase characters "
                    "made up of numbers, letters, and the symbols \".\", \"-\", and \"_\".",
        "email": "The email address is invalid.", "nickname": "The nickname is too long.",
        "position": "The position is longer than 128 characters.",
        "first_name": "The first name is too long.", "last_name": "The last name is too long.", "locale": "The locale is invalid.",
    }
    return errors.AppError(400, "model.user.is_valid.%s.app_error" % field, messages[field], detail)


def check_password_policy(password):
    """Mattermost's PasswordSettings check; lengths count bytes."""
    settings = config_module.current()["PasswordSettings"]
    size = len(password.encode("utf-8"))
    suffix = ""
    if size < settings["MinimumLength"]:
        suffix = "_min_length"
    elif size > passwords.MAX_PASSWORD_BYTES:
        suffix = "_max_length"
    else:
        checks = (("Lowercase", "_lowercase", r"[a-z]"), ("Uppercase", "_uppercase", r"[A-Z]"),
                  ("Number", "_number", r"[0-9]"), ("Symbol", "_symbol", r"[ !\"\\#$%&'()*+,\-./:;<=>?@\[\]^_`|~]"))
        failed = [s for setting, s, pattern in checks if settings[setting] and not re.search(pattern, password)]
        if failed:
            suffix = "".join(s for setting, s, _ in checks if settings[setting])
    if not suffix:
        return
    if suffix == "_max_length":
        message = "Passwords are limited to 72 bytes."
    else:
        message = "Passwords need at least %d characters" % settings["MinimumLength"]
        if suffix != "_min_length":
            message += " made up of required character classes"
        message += "."
    raise errors.AppError(400, "model.user.is_valid.pwd%s.app_error" % suffix, message)


def _profile_fields(body):
    """The profile a sign-up body gives, checked as Mattermost's User.IsValid does."""
    username = str(body.get("username") or "").strip().lower()
    email = str(body.get("email") or "").strip().lower()
    if not (1 <= len(username) <= 64) or not _USERNAME_RE.match(username) or username in _RESERVED_USERNAMES:
        raise _invalid_user("username", "username=%s" % username)
    if not email or len(email) > 128 or not _EMAIL_RE.match(email):
        raise _invalid_user("email")
    fields = {"username": username, "email": email}
    for name, limit in (("nickname", 64), ("first_name", 64), ("last_name", 64), ("position", 128)):
        value = body.get(name) or ""
        if not isinstance(value, str) or len(value) > limit:
            raise _invalid_user(name)
        fields[name] = value
    locale = body.get("locale") or config_module.current()["LocalizationSettings"]["DefaultClientLocale"]
    if not isinstance(locale, str) or len(locale) > 5:
        raise _invalid_user("locale")
    fields["locale"] = locale
    props = body.get("props")
    fields["props"] = {str(k): str(v) for k, v in props.items()} if isinstance(props, dict) else {}
    notify = body.get("notify_props")
    fields["notify_props"] = ({str(k): str(v) for k, v in notify.items()} if isinstance(notify, dict) and notify
                              else dict(DEFAULT_NOTIFY_PROPS))
    timezone = body.get("timezone")
    fields["timezone"] = ({str(k): str(v) for k, v in timezone.items()} if isinstance(timezone, dict) and timezone
                          else dict(DEFAULT_TIMEZONE))
    return fields


# ---------------------------------------------------------------------------
# Accounts.

def create_user(body, t=None, iid=None):
    """Sign up. The first account on an empty server becomes a system admin;
    after that sign-up follows EnableUserCreation and EnableOpenServer, and
    system admins may always create accounts. An emailed invitation (t) or a
    team's invite id (iid) signs up into that team, open server or not."""
    config = config_module.current()
    session = common.session()
    as_admin = permissions.is_system_admin(session)
    invitation = team = None
    if t:
        invitation, team = _invitation(t)
    elif iid:
        _require_sign_up_allowed(config)
        team = _team_by_invite_id(iid)
    elif not as_admin:
        _require_sign_up_allowed(config)
        if store_users.count() > 0 and not config["TeamSettings"]["EnableOpenServer"]:
            raise errors.AppError(403, "api.user.create_user.no_open_server",
                                  "Open sign-up is off on this server; ask an "
                                  "administrator for an invitation.")
    fields = _profile_fields(body)
    password = body.get("password") or ""
    if not isinstance(password, str):
        raise errors.invalid_body_param("password")
    check_password_policy(password)
    fields["email_verified"] = bool(body.get("email_verified")) if as_admin else False
    if invitation is not None:
        fields["email"] = invitation["email"].lower()
        fields["email_verified"] = True
    elif team is not None and not _email_in_domains(fields["email"], team.allowed_domains):
        raise errors.AppError(400, "api.team.invite_members.invalid_email.app_error",
                              "This team accepts members only from certain email domains.",
                              "email=%s" % fields["email"])
    try:
        user = store_users.create(fields, password, roles_for_first="system_admin system_user",
                                  roles="system_user")
    except store_users.Conflict as conflict:
        raise errors.AppError(400, "app.user.save.%s_exists.app_error" % conflict.field,
                              "An account with that %s already exists." % conflict.field)
    account_events.new_user(user.id)
    if team is not None:
        from handlers.teams import join_user_to_team
        join_user_to_team(team, user)
    if t:
        store_mailed_tokens.use_up(t)
    return user_json(user, _viewer_as(user)), 201


def _require_sign_up_allowed(config):
    if not config["EmailSettings"]["EnableSignUpWithEmail"] or not config["TeamSettings"]["EnableUserCreation"]:
        raise errors.AppError(501, "api.user.create_user.signup_email_disabled.app_error",
                              "Signing up with an email address is turned off on this server.")


def _invitation(token):
    """(extra, team) of an emailed team invitation that is still good."""
    found = store_mailed_tokens.find(store_mailed_tokens.TEAM_INVITATION, token)
    if found is None:
        if store_mailed_tokens.find(store_mailed_tokens.GUEST_INVITATION, token) is not None:
            raise errors.AppError(400, "api.user.create_user.guest_accounts.license.app_error",
                                  "Guest accounts need a license this server does not have.")
        raise errors.AppError(404, "api.user.create_user.signup_link_invalid.app_error",
                              "This sign-up link is not valid.")
    extra, expired = found
    if expired:
        store_mailed_tokens.use_up(token)
        raise errors.AppError(400, "api.user.create_user.signup_link_expired.app_error",
                              "This sign-up link has expired.")
    team = store_teams.get(extra.get("teamId", ""), include_deleted=False)
    if team is None or not extra.get("email"):
        raise errors.AppError(400, "api.user.create_user.signup_link_invalid.app_error",
                              "This sign-up link is not valid.")
    return extra, team


def _team_by_invite_id(invite_id):
    team = store_teams.get_by_invite_id(invite_id)
    if team is None or team.delete_at:
        raise errors.AppError(404, "app.team.get_by_invite_id.finding.app_error",
                              "No team has this invite id.", "invite_id=%s" % invite_id)
    if team.group_constrained:
        raise errors.AppError(400, "app.team.invite_id.group_constrained.error",
                              "This team's members come from groups; it cannot be joined by invite id.")
    return team


def _email_in_domains(email, allowed_domains):
    """Mattermost's CheckUserDomain: an empty list allows every domain."""
    domains = [d.strip().lstrip("@").lower() for d in re.split(r"[,\s]+", allowed_domains or "") if d.strip()]
    return not domains or email.lower().rsplit("@", 1)[-1] in domains


class _Self:
    """A stand-in viewer: the new user sees their own profile."""

    def __init__(self, user_id):
        self.user_id = user_id
        self.roles = ""


def _viewer_as(user):
    return _Self(user.id)


def _login_error(config):
    """The one 401 Mattermost answers for any failed login it does not explain."""
    if config["GitLabSettings"]["Enable"] or config["SamlSettings"]["Enable"]:
        return errors.AppError(401, "api.user.login.invalid_credentials_sso",
                               "The login id or password is wrong, or the account signs in another way.")
    email = config["EmailSettings"]
    if email["EnableSignInWithUsername"] and not email["EnableSignInWithEmail"]:
        return errors.AppError(401, "api.user.login.invalid_credentials_username",
                               "The username or password is wrong.")
    if email["EnableSignInWithEmail"] and not email["EnableSignInWithUsername"]:
        return errors.AppError(401, "api.user.login.invalid_credentials_email", "The email or password is wrong.")
    return errors.AppError(401, "api.user.login.invalid_credentials_email_username",
                           "The email or username, or the password, is wrong.")


def login(body):
    """Log in with a username or email and a password; answers the user, the
    Token header, and (for browsers, which send X-Requested-With) the cookies."""
    config = config_module.current()
    values = {k: v for k, v in body.items() if isinstance(v, str)}
    password = values.get("password", "")
    if not password:
        raise errors.AppError(400, "api.user.login.blank_pwd.app_error", "A password is required.")
    email_settings = config["EmailSettings"]
    if values.get("id"):
        user = store_users.get(values["id"])
    else:
        user = store_users.get_for_login(values.get("login_id", ""), email_settings["EnableSignInWithUsername"],
                                         email_settings["EnableSignInWithEmail"])
    if user is None or user.auth_service:
        raise _login_error(config)
    if user.delete_at:
        raise errors.AppError(401, "api.user.login.inactive.app_error",
                              "This account is deactivated; an administrator "
                              "can reactivate it.")
    if user.is_bot:
        raise errors.AppError(401, "api.user.login.bot_login_forbidden.app_error", "Bot accounts cannot log in.")
    if user.failed_attempts >= config["ServiceSettings"]["MaximumLoginAttempts"]:
        raise errors.AppError(401, "api.user.check_user_login_attempts.too_many.app_error",
                              "Too many failed logins have locked this account; "
                              "reset the password to unlock it.")
    good = len(password.encode("utf-8")) <= passwords.MAX_PASSWORD_BYTES and passwords.verify(password, user.password)
    if not good:
        store_users.set_failed_attempts(user.id, user.failed_attempts + 1)
        common.audit(user.id, "failure - bad password")
        raise _login_error(config)
    if user.mfa_active and config["ServiceSettings"]["EnableMultifactorAuthentication"]:
        _check_login_mfa(user, values.get("token", ""))
    if not user.email_verified and email_settings["RequireEmailVerification"]:
        raise errors.AppError(401, "api.user.login.not_verified.app_error",
                              "The email address must be verified before logging in.")
    request = flask.request
    session_row = sessions.create_for_login(user, values.get("device_id", ""), request.headers.get("User-Agent", ""))
    store_users.record_login(user.id, session_row.create_at,
                             passwords.hash_password(password) if passwords.needs_rehash(user.password) else None)
    common.audit(user.id, "success session_id=%s" % session_row.id)
    response = flask.jsonify(user_json(store_users.get(user.id), _Self(user.id)))
    response.headers["Token"] = session_row.token
    if request.headers.get("X-Requested-With") == "XMLHttpRequest":
        sessions.set_cookies(response, request, session_row, user.id)
    return response


def _require_visible(user):
    """A caller without view_members sees only users they share a team or channel with."""
    viewer = _restricted_to(common.session())
    if viewer and not store_users.can_see(viewer, user.id):
        raise errors.permission_denied(["view_members"])
    return user


def get_user(user_id):
    user = _require_visible(common.require_user(common.user_id(user_id)))
    return user_json(user, common.session())


def get_user_by_username(username):
    user = store_users.get_by_username(username)
    if user is None:
        raise errors.AppError(404, "app.user.get_by_username.app_error", "There is no account with this username.",
                              "username=%s" % username)
    return user_json(_require_visible(user), common.session())


def get_user_by_email(email):
    session = common.session()
    if not config_module.current()["PrivacySettings"]["ShowEmailAddress"] and not permissions.is_system_admin(session):
        raise errors.AppError(403, "api.user.get_user_by_email.permissions.app_error", "Users cannot be looked up by email on this server.")
    user = store_users.get_by_email(email)
    if user is None:
        raise errors.AppError(404, "app.user.missing_account.const", "There is no such user.")
    return user_json(_require_visible(user), session)


def _names(body, what):
    if not isinstance(body, list) or not body or not all(isinstance(x, str) for x in body):
        raise errors.invalid_body_param(what)
    if len(body) > 1000:  # bounded like Mattermost's list lookups
        raise errors.invalid_body_param(what, "at most 1000")
    return body


def _visible_only(users):
    viewer = _restricted_to(common.session())
    return [u for u in users if not viewer or store_users.can_see(viewer, u.id)]


def get_users_by_ids(body, since=None):
    users = store_users.get_many(ids=_names(body, "user_ids"))
    if since:
        users = [u for u in users if u.update_at > since]
    return [user_json(u, common.session()) for u in _visible_only(users)]


def get_users_by_usernames(body):
    users = store_users.get_many(usernames=_names(body, "usernames"))
    return [user_json(u, common.session()) for u in _visible_only(users)]


def update_user_password(user_id, body):
    """Change a password: your own with the current one; another user's with
    the permission to manage users."""
    user_id = common.user_id(user_id)
    session = common.session()
    new_password = body.get("new_password")
    if not isinstance(new_password, str):
        raise errors.invalid_body_param("new_password")
    if session.user_id == user_id:
        user = common.require_user(user_id)
        current = body.get("current_password") or ""
        if not isinstance(current, str) or not passwords.verify(current, user.password):
            raise errors.AppError(400, "api.user.update_password.incorrect.app_error",
                                  "The current password given is wrong"
                                  " (is Caps Lock on?).")
    else:
        permissions.require(session, "sysconsole_write_user_management_users")
        user = common.require_user(user_id)
    if user.auth_service:
        raise errors.AppError(400, "api.user.update_password.oauth.app_error",
                              "This account signs in through an external service, so it has no password here.")
    check_password_policy(new_password)
    store_users.set_password(user_id, new_password)
    common.audit(user_id, "password changed by user_id=%s" % session.user_id)
    if config_module.current()["ServiceSettings"]["TerminateSessionsOnPasswordChange"]:
        for row in store_sessions.for_user(user_id):
            if row.id != session.id:
                store_sessions.revoke(row.id)
    return {"status": "OK"}


# ---------------------------------------------------------------------------
# Sessions.

def _require_self_or_editor(user_id):
    if not permissions.can_act_on_user(common.session(), user_id):
        raise errors.permission_denied(["edit_other_users"])


def session_json(row):
    return {"id": row.id, "token": "", "create_at": row.create_at, "expires_at": row.expires_at,
            "last_activity_at": row.last_activity_at, "user_id": row.user_id, "device_id": row.device_id,
            "roles": row.roles, "is_oauth": row.is_oauth, "expired_notify": row.expired_notify,
            "props": row.props or {}, "local": row.local}


def get_sessions(user_id):
    user_id = common.user_id(user_id)
    _require_self_or_editor(user_id)
    return [session_json(row) for row in store_sessions.for_user(user_id)]


def revoke_session(user_id, body):
    user_id = common.user_id(user_id)
    _require_self_or_editor(user_id)
    session_id = body.get("session_id")
    if not isinstance(session_id, str) or not session_id:
        raise errors.invalid_body_param("session_id")
    row = store_sessions.get(session_id)
    if row is None or row.user_id != user_id:
        raise errors.AppError(400, "api.user.revoke_session.wrong_user.app_error" if row else
                              "app.session.get.app_error",
                              "The session does not belong to that user." if row else "Unable to find the session.")
    store_sessions.revoke(session_id)
    common.audit(user_id, "session revoked session_id=%s" % session_id)
    return {"status": "OK"}


def revoke_all_sessions(user_id):
    user_id = common.user_id(user_id)
    _require_self_or_editor(user_id)
    store_sessions.revoke_for_user(user_id)
    return {"status": "OK"}


def revoke_sessions_from_all_users():
    permissions.require(common.session(), "manage_system")
    store_sessions.revoke_all()
    return {"status": "OK"}


def logout():
    """End the caller's session: it is revoked and the session cookie expired,
    as Mattermost does (a request without a session just loses the cookie)."""
    session = common.session()
    if session is not None:
        store_sessions.revoke(session.id)
    response = flask.jsonify({"status": "OK"})
    sessions.clear_cookie(response)
    return response


# ---------------------------------------------------------------------------
# Changing users.

_PATCHABLE = ("username", "email", "nickname", "first_name", "last_name", "position", "locale",
              "props", "notify_props", "timezone")


def _editable_user(user_id):
    user = common.require_user(common.user_id(user_id))
    if not permissions.can_act_on_user(common.session(), user.id, user.roles):
        raise errors.permission_denied(["edit_other_users"])
    return user


def _editable_user_or_bot(user_id):
    """A user the caller may change, or a bot the caller manages."""
    user = common.require_user(common.user_id(user_id))
    if not permissions.can_act_on_user_or_bot(common.session(), user):
        raise errors.permission_denied(["edit_other_users"])
    return user


def _apply(user, body, full):
    """Check and store a patch (only the fields given) or a full update."""
    session = common.session()
    current = user_json(user, _Self(user.id))
    merged = dict(current)
    for field in _PATCHABLE:
        if field in body:
            merged[field] = body[field]
        elif full and field in ("nickname", "first_name", "last_name", "position"):
            merged[field] = ""
    fields = _profile_fields(merged)
    changes = {k: v for k, v in fields.items() if current.get(k) != v}
    if not full:
        changes = {k: v for k, v in changes.items() if k in body}
    if "email" in changes and session.user_id == user.id and not user.auth_service:
        # Changing your own email takes your password, as in Mattermost.
        password = body.get("password") or ""
        if not isinstance(password, str) or not passwords.verify(password, user.password):
            raise errors.AppError(400, "api.user.check_user_password.invalid.app_error",
                                  "The password is wrong.")
    if user.auth_service and ({"email", "username"} & set(changes)):
        raise errors.AppError(400, "api.user.update_user.login_provider_attribute_set.app_error",
                              "This field comes from the account's sign-in provider and cannot be changed here.")
    try:
        updated = store_users.update(user.id, changes) if changes else user
    except store_users.Conflict as conflict:
        raise errors.AppError(400, "app.user.save.%s_exists.app_error" % conflict.field,
                              "An account with that %s already exists." % conflict.field)
    publish_user_updated(updated)
    return user_json(updated, session)


def update_user(user_id, body):
    """Replace a user's profile (id, username and email required)."""
    user = _editable_user(user_id)
    if body.get("id") != user.id:
        raise errors.invalid_body_param("user")
    return _apply(user, body, full=True)


def patch_user(user_id, body):
    """Change the profile fields the body gives."""
    return _apply(_editable_user(user_id), body, full=False)


def update_user_active(user_id, body):
    """Deactivate or reactivate an account. Yourself only with
    EnableUserDeactivation; anyone else with the permission to manage users."""
    user = common.require_user(common.user_id(user_id))
    session = common.session()
    active = body.get("active")
    if not isinstance(active, bool):
        raise errors.invalid_body_param("active")
    if session.user_id == user.id and not active:
        if not config_module.current()["TeamSettings"]["EnableUserDeactivation"]:
            raise errors.AppError(401, "api.user.update_active.not_enable.app_error",
                                  "Deactivating your own account is turned off on this server.")
    else:
        permissions.require(session, "sysconsole_write_user_management_users")
    if user.auth_service == "ldap":
        raise errors.AppError(400, "api.user.update_active.cannot_modify_status_when_sync.app_error",
                              "Directory-synced accounts are activated and deactivated by the directory.")
    store_users.set_active(user.id, active)
    _active_changed(user.id, active)
    common.audit(user.id, "%s by user_id=%s" % ("activated" if active else "deactivated", session.user_id))
    account_events.user_activation_status_change()
    return {"status": "OK"}


def _active_changed(user_id, active):
    """What Mattermost's UpdateActive sends: a deactivated user goes offline
    (status_change to them), then user_updated."""
    if not active:
        from ws import presence
        presence.set_offline(config_module.current(), user_id)
    user = store_users.get(user_id)
    if user is not None:
        publish_user_updated(user)


def update_user_roles(user_id, body):
    """Set a user's system roles (manage_roles)."""
    session = common.session()
    permissions.require(session, "manage_roles")
    user = common.require_user(common.user_id(user_id))
    roles = body.get("roles")
    if not isinstance(roles, str):
        raise errors.invalid_body_param("roles")
    names = roles.split()
    from store import roles as store_roles
    known = {r.name for r in store_roles.get_by_names(names)}
    if not names or len(roles) > 256 or set(names) - known or not ({"system_user", "system_guest"} & set(names)):
        raise errors.invalid_body_param("roles")
    store_users.set_roles(user.id, " ".join(names))
    account_events.user_role_updated(user.id, " ".join(names))
    common.audit(user.id, "roles=%s set by user_id=%s" % (" ".join(names), session.user_id))
    return {"status": "OK"}


# ---------------------------------------------------------------------------
# Lists.

def _restricted_to(session):
    """None when the caller may see every user (view_members); else their own
    id: they see only the users they share a team or channel with."""
    if session is None or permissions.has(session, "view_members"):
        return None
    return session.user_id


def _role_list(value, param):
    names = [n.strip() for n in (value or "").split(",") if n.strip()]
    if any(not re.fullmatch(r"[a-z0-9_]+", n) for n in names):
        raise errors.invalid_param(param)
    return names


def _no_group(group_id):
    """Groups come from LDAP or SAML, which need a license: none exist here."""
    raise errors.AppError(404, "app.group.no_rows", "There is no such group.", "group_id=%s" % group_id)


def _require_channel_readable(session, channel_id):
    if not permissions.has_channel(session, channel_id, "read_channel"):
        raise errors.permission_denied(["read_channel"])


def _require_team_viewable(session, team_id):
    if not permissions.has_team(session, team_id, "view_team"):
        raise errors.permission_denied(["view_team"])


def get_users(page=0, per_page=60, in_team="", not_in_team="", in_channel="", not_in_channel="", in_group="",
              group_constrained=False, without_team=False, active=None, inactive=None, role="", sort="",
              roles="", channel_roles="", team_roles=""):
    """Page through users, by username unless sorted otherwise, filtered by team,
    channel, system role, team or channel role, and active state, as Mattermost's
    GetUsers. Sorting by activity or creation needs in_team; by status or admin
    needs in_channel."""
    if not_in_channel and not in_team:
        raise errors.invalid_url_param("team_id")
    if sort not in ("", "last_activity_at", "create_at", "status", "admin"):
        raise errors.invalid_url_param("sort")
    if sort in ("last_activity_at", "create_at") and (
            not in_team or not_in_team or in_channel or not_in_channel or without_team or in_group):
        raise errors.invalid_url_param("sort")
    if sort in ("status", "admin") and not in_channel:
        raise errors.invalid_url_param("sort")
    if active and inactive:
        raise errors.invalid_url_param("inactive")
    if role and role not in {r.name for r in store_roles.all_roles()}:
        raise errors.invalid_url_param("role")
    filters = store_users.Filters(
        active=True if active else False if inactive else None, role=role, roles=_role_list(roles, "roles"),
        channel_roles=_role_list(channel_roles, "channelRoles") if in_channel else (),
        team_roles=_role_list(team_roles, "teamRoles") if in_team else ())
    session = common.session()
    filters.visible_to = _restricted_to(session)
    if in_channel and not config_module.current()["TeamSettings"]["ExperimentalViewArchivedChannels"]:
        channel = store_channels.get(in_channel)
        if channel is None:
            raise _channel_missing(in_channel)
        if channel.delete_at:
            raise errors.AppError(403, "api.user.view_archived_channels.get_users_in_channel.app_error",
                                  "Members of archived channels cannot be listed on this server.")
    if without_team:
        permissions.require(session, "list_users_without_team")
        filters.without_team = True
    elif not_in_channel:
        _require_channel_readable(session, not_in_channel)
        filters.in_team, filters.not_in_channel = in_team, not_in_channel
    elif not_in_team:
        _require_team_viewable(session, not_in_team)
        filters.not_in_team = not_in_team
    elif in_team:
        _require_team_viewable(session, in_team)
        filters.in_team = in_team
    elif in_channel:
        _require_channel_readable(session, in_channel)
        filters.in_channel = in_channel
    elif in_group:
        _no_group(in_group)
    offset, limit = common.paging(page, per_page)
    return [user_json(u, session) for u in store_users.page(offset, limit, filters, sort)]


def _channel_missing(channel_id):
    return errors.AppError(404, "app.channel.get.existing.app_error", "There is no such channel.",
                           "channel_id=%s" % channel_id)


def get_total_users_stats():
    """How many active accounts (bots excluded) the server has."""
    return {"total_users_count": store_users.count_active()}


def get_total_users_stats_filtered(in_team="", in_channel="", include_deleted=False, include_bots=False,
                                   roles="", channel_roles="", team_roles=""):
    """How many users match the filters of the System Console's user list."""
    session = common.session()
    role_names = _role_list(roles, "roles")
    filters = store_users.Filters(
        active=None if include_deleted else True, roles=role_names, in_team=in_team, in_channel=in_channel,
        channel_roles=_role_list(channel_roles, "channelRoles") if in_channel else (),
        team_roles=_role_list(team_roles, "teamRoles") if in_team else ())
    permissions.require(session, "sysconsole_read_user_management_users")
    return {"total_users_count": store_users.count_filtered(filters, include_bots=include_bots)}


def update_user_auth(user_id, body):
    """An admin moves an account to another sign-in service (auth_service and
    auth_data); the account's password stops working."""
    if not permissions.is_system_admin(common.session()):
        raise errors.permission_denied(["edit_other_users"])
    user_id = common.user_id(user_id)
    auth_data, service = body.get("auth_data"), body.get("auth_service")
    if not isinstance(auth_data, str) or not auth_data or not isinstance(service, str) or not service \
            or len(auth_data) > 128 or len(service) > 32:
        raise errors.AppError(400, "api.user.update_user_auth.invalid_request",
                              "Both auth_data and auth_service are needed.")
    common.require_user(user_id)
    try:
        store_users.set_auth(user_id, service, auth_data)
    except store_users.Conflict:
        raise errors.AppError(400, "app.user.update_auth_data.app_error",
                              "Another account already signs in with this service and identity.")
    common.audit(user_id, "updated user auth to service=%s" % service)
    return {"auth_data": auth_data, "auth_service": service}


def verify_user_email_without_token(user_id):
    """An admin marks a user's email address verified."""
    user = common.require_user(common.user_id(user_id))
    permissions.require(common.session(), "manage_system")
    store_users.set_email_verified(user.id)
    common.audit(user.id, "user verified")
    verified = store_users.get(user.id)
    publish_user_updated(verified)
    return user_json(verified, common.session())


def _names_visible(session):
    return config_module.current()["PrivacySettings"]["ShowFullName"] or permissions.is_system_admin(session)


def search_users(body):
    """Users whose username, nickname, (visible) names or (visible) email start
    with the term, within a team or channel (or outside one) when asked."""
    term = body.get("term")
    if not isinstance(term, str) or not term.strip():
        raise errors.invalid_param("term")
    if body.get("not_in_channel_id") and not body.get("team_id"):
        raise errors.invalid_param("team_id")
    session = common.session()
    for key in ("in_group_id", "not_in_group_id"):
        if body.get(key):
            _no_group(body[key])
    for key in ("in_channel_id", "not_in_channel_id"):
        if body.get(key):
            _require_channel_readable(session, body[key])
    for key in ("team_id", "not_in_team_id"):
        if body.get(key):
            _require_team_viewable(session, body[key])
    limit = body.get("limit") or 100
    if not isinstance(limit, int) or isinstance(limit, bool) or not 0 < limit <= 1000:
        raise errors.invalid_param("limit")
    filters = store_users.Filters(
        in_team=body.get("team_id") or "", not_in_team=body.get("not_in_team_id") or "",
        in_channel=body.get("in_channel_id") or "", not_in_channel=body.get("not_in_channel_id") or "",
        without_team=bool(body.get("without_team")), role=body.get("role") or "",
        roles=[r for r in body.get("roles") or [] if isinstance(r, str)],
        visible_to=_restricted_to(session))
    show_email = config_module.current()["PrivacySettings"]["ShowEmailAddress"] or permissions.is_system_admin(session)
    users = store_users.search(term, limit, bool(body.get("allow_inactive")), include_email=show_email,
                               include_names=_names_visible(session), filters=filters)
    return [user_json(u, session) for u in users]


def autocomplete_users(in_team="", in_channel="", name="", limit=None):
    """Users for an @-mention box: those in the channel and, separately, those in
    its team but not in it; or those in a team; or everyone the caller may see.
    Emails never match."""
    session = common.session()
    limit = 100 if limit is None else min(limit, 1000)
    if limit <= 0:
        limit = 100
    if in_channel:
        _require_channel_readable(session, in_channel)
    if in_team:
        _require_team_viewable(session, in_team)
    visible = _restricted_to(session)
    names = _names_visible(session)

    def find(**where):
        return [user_json(u, session) for u in store_users.search(
            name or "", limit, include_email=False, include_names=names,
            filters=store_users.Filters(visible_to=visible, **where))]

    if in_channel:
        if not in_team:
            # Mattermost answers 500 here; a missing parameter is the caller's error.
            raise errors.AppError(400, "api.user.autocomplete_users.missing_team_id.app_error",
                                  "Autocompleting in a channel needs the channel's team (in_team).",
                                  "channelId=%s" % in_channel)
        return {"users": find(in_channel=in_channel),
                "out_of_channel": find(in_team=in_team, not_in_channel=in_channel)}
    if in_team:
        return {"users": find(in_team=in_team)}
    return {"users": find()}


def get_known_users():
    """The ids of the active users who share a channel with the caller."""
    return store_users.known_user_ids(common.session().user_id)


def get_users_by_group_channel_ids(body):
    """The members of each group message (of those the caller belongs to)."""
    if not isinstance(body, list) or not body or not all(isinstance(x, str) for x in body):
        raise errors.invalid_param("channel_ids")
    if len(body) > 1000:
        raise errors.invalid_param("channel_ids", "at most 1000")
    session = common.session()
    groups = store_users.by_group_channels(session.user_id, body)
    return {channel_id: [user_json(u, session) for u in members] for channel_id, members in groups.items()}


# ---------------------------------------------------------------------------
# Profile images (kept in the file store as users/<id>/profile.png).

def _profile_path(user_id):
    return "users/%s/profile.png" % user_id


def _file_store():
    from store.files import FileStore
    return FileStore(config_module.current()["FileSettings"]["Directory"])


def _png_response(data, max_age=86400, etag=None):
    response = Response(data, mimetype="image/png")
    response.headers["Cache-Control"] = "max-age=%d, private" % max_age
    if etag is not None:
        response.headers["ETag"] = etag
    return response


def get_profile_image(user_id, _=None):
    """The user's picture, or the generated default when none was uploaded.

    As Mattermost: the ETag is the user's last_picture_update, and a matching
    If-None-Match is answered 304 before any file is read. A user who never
    uploaded one (last_picture_update 0) gets the default as Mattermost serves
    it once it has stored it (a day's caching, ETag "0"); a picture whose file
    is missing gets the default for five minutes and no ETag. Defaults are
    generated once per process (store.images keeps them). A caller without
    view_members sees only the pictures of users they share a team or channel
    with (403 otherwise), as Mattermost checks UserCanSeeOtherUser."""
    from store import images
    user = _require_visible(common.require_user(common.path_id(user_id, "user_id")))
    etag = str(user.last_picture_update or 0)
    if flask.request.headers.get("If-None-Match") == etag:
        response = flask.current_app.response_class(status=304)
        response.headers["ETag"] = etag
        return response
    # Only an upload sets last_picture_update, so with 0 there is no file to read.
    data = _file_store().read(_profile_path(user.id)) if user.last_picture_update else None
    if data is not None:
        return _png_response(data, etag=etag)
    default = images.default_profile_image(user.id, user.username)
    if user.last_picture_update:
        return _png_response(default, max_age=300)
    return _png_response(default, etag=etag)


def get_default_profile_image(user_id):
    from store import images
    user = common.require_user(common.path_id(user_id, "user_id"))
    return _png_response(images.default_profile_image(user.id, user.username))


def set_profile_image(user_id):
    """Upload a PNG, JPEG, GIF or BMP picture (at most FileSettings.MaxFileSize);
    it is cropped square and stored at 128x128."""
    from store import images
    user = _editable_user_or_bot(user_id)
    files = config_module.current()["FileSettings"]
    upload = flask.request.files.get("image")
    if upload is None:
        raise errors.AppError(400, "api.user.upload_profile_user.no_file.app_error", "The request has no 'image' file part.")
    data = upload.read(int(files["MaxFileSize"]) + 1)
    if len(data) > int(files["MaxFileSize"]):
        raise errors.AppError(413, "api.user.upload_profile_user.too_large.app_error",
                              "The image is larger than this server accepts.")
    try:
        png = images.profile_image(data, int(files["MaxImageResolution"]))
    except images.BadImage as e:
        raise errors.AppError(400, "api.user.upload_profile_user.decode.app_error",
                              "The file is not a readable PNG, JPEG, GIF or BMP image.", str(e))
    _file_store().write(_profile_path(user.id), png)
    store_users.set_picture_updated(user.id, int(time.time() * 1000))
    publish_profile_picture(user.id)
    return {"status": "OK"}


def set_default_profile_image(user_id):
    """Drop the uploaded picture: the generated default is shown again."""
    import os
    user = _editable_user_or_bot(user_id)
    try:
        os.remove(_file_store().path(_profile_path(user.id)))
    except FileNotFoundError:
        pass
    store_users.set_picture_updated(user.id, 0)
    publish_profile_picture(user.id)
    return {"status": "OK"}


# ---------------------------------------------------------------------------
# Personal access tokens.

def _tokens_enabled():
    if not config_module.current()["ServiceSettings"]["EnableUserAccessTokens"]:
        raise errors.AppError(501, "app.user_access_token.disabled",
                              "Personal access tokens are turned off on this server"
                              " (ServiceSettings.EnableUserAccessTokens).")


def token_json(token, with_secret=False):
    body = {"id": token.id, "user_id": token.user_id, "description": token.description,
            "is_active": token.is_active}
    if with_secret:
        body["token"] = token.token
    return body


def _permitted_token(token_id, permission):
    """The token, if the caller holds permission and may act on its owner."""
    from store import tokens as store_tokens
    session = common.session()
    permissions.require(session, permission)
    token = store_tokens.get(token_id)
    if token is None:
        raise errors.AppError(404, "app.user_access_token.get_by_id.app_error", "There is no such token.")
    owner = store_users.get(token.user_id)
    if owner is None or not permissions.can_act_on_user_or_bot(session, owner):
        raise errors.permission_denied(["edit_other_users"])
    return token


def _token_for_owner_or_editor(body, permission):
    """The token a body names, if the caller may act on its owner."""
    token_id = body.get("token_id")
    if not isinstance(token_id, str) or not token_id:
        raise errors.invalid_body_param("token_id")
    return _permitted_token(token_id, permission)


def create_user_access_token(user_id, body):
    """A new token for a user; its secret is shown this once."""
    from store import tokens as store_tokens
    description = body.get("description")
    if not isinstance(description, str) or not description:
        raise errors.invalid_body_param("description")
    if len(description) > 255:
        raise errors.AppError(400, "model.user_access_token.is_valid.description.app_error",
                              "The description is longer than 255 characters.")
    session = common.session()
    permissions.require(session, "create_user_access_token")
    user = common.require_user(common.user_id(user_id))
    if not permissions.can_act_on_user_or_bot(session, user):
        raise errors.permission_denied(["edit_other_users"])
    _tokens_enabled()
    if user.delete_at:
        raise errors.AppError(400, "app.user_access_token.inactive_user.app_error",
                              "The user is deactivated.")
    token = store_tokens.create(user.id, description)
    common.audit(user.id, "token created token_id=%s by user_id=%s" % (token.id, session.user_id))
    return token_json(token, with_secret=True)


def get_user_access_tokens_for_user(user_id, page=0, per_page=60):
    from store import tokens as store_tokens
    session = common.session()
    permissions.require(session, "read_user_access_token")
    user = common.require_user(common.user_id(user_id))
    if not permissions.can_act_on_user_or_bot(session, user):
        raise errors.permission_denied(["edit_other_users"])
    offset, limit = common.paging(page, per_page)
    return [token_json(t) for t in store_tokens.for_user(user.id, offset, limit)]


def get_user_access_tokens(page=0, per_page=60):
    from store import tokens as store_tokens
    permissions.require(common.session(), "manage_system")
    offset, limit = common.paging(page, per_page)
    return [token_json(t) for t in store_tokens.page(offset, limit)]


def get_user_access_token(token_id):
    return token_json(_permitted_token(token_id, "read_user_access_token"))


def revoke_user_access_token(body):
    from store import tokens as store_tokens
    token = _token_for_owner_or_editor(body, "revoke_user_access_token")
    store_tokens.revoke(token)
    common.audit(token.user_id, "token revoked token_id=%s" % token.id)
    return {"status": "OK"}


def disable_user_access_token(body):
    from store import tokens as store_tokens
    store_tokens.set_active(_token_for_owner_or_editor(body, "revoke_user_access_token"), False)
    return {"status": "OK"}


def enable_user_access_token(body):
    from store import tokens as store_tokens
    store_tokens.set_active(_token_for_owner_or_editor(body, "create_user_access_token"), True)
    return {"status": "OK"}


def search_user_access_tokens(body):
    from store import tokens as store_tokens
    permissions.require(common.session(), "manage_system")
    term = body.get("term")
    if not isinstance(term, str) or not term:
        raise errors.invalid_body_param("term")
    return [token_json(t) for t in store_tokens.search(term)]


def get_user_audits(user_id, page=0, per_page=60):
    """The user's audit trail, newest first."""
    from store import audits
    user = common.require_user(common.user_id(user_id))
    if not permissions.can_act_on_user(common.session(), user.id, user.roles):
        raise errors.permission_denied(["edit_other_users"])
    offset, limit = common.paging(page, per_page)
    return [{"id": a.id, "create_at": a.create_at, "user_id": a.user_id, "action": a.action,
             "extra_info": a.extra_info, "ip_address": a.ip_address, "session_id": a.session_id}
            for a in audits.for_user(user.id, offset, limit)]


# ---------------------------------------------------------------------------
# Multi-factor authentication.

def _check_login_mfa(user, code):
    """An empty code asks whether MFA is needed (and is not a failed attempt);
    a wrong one is, as in Mattermost."""
    from store import mfa
    if not code:
        raise errors.AppError(401, "mfa.validate_token.authenticate.app_error", "The MFA code is missing or wrong.")
    if not mfa.code_ok(user.mfa_secret, code):
        store_users.set_failed_attempts(user.id, user.failed_attempts + 1)
        common.audit(user.id, "failure - bad MFA code")
        raise errors.AppError(401, "api.user.check_user_mfa.bad_code.app_error", "The MFA code is missing or wrong.")


def _mfa_enabled():
    if not config_module.current()["ServiceSettings"]["EnableMultifactorAuthentication"]:
        raise errors.AppError(501, "mfa.mfa_disabled.app_error",
                              "Multi-factor authentication is turned off on this server.")


def generate_mfa_secret(user_id):
    """A new TOTP secret for the user (not active until a code confirms it), with
    its QR code as base64 PNG."""
    import base64
    from store import mfa
    user = _editable_user(user_id)
    _mfa_enabled()
    if user.auth_service:
        raise errors.AppError(400, "api.user.generate_mfa_secret.not_available.app_error",
                              "Multi-factor authentication is not available for this account's sign-in method.")
    secret = mfa.new_secret()
    issuer = config_module.current()["TeamSettings"]["SiteName"] or "Mattermost"
    mfa.store_secret(user.id, secret)
    common.audit(user.id, "MFA secret generated")
    return {"secret": secret, "qr_code": base64.b64encode(mfa.qr_png(secret, user.email, issuer)).decode("ascii")}


def update_user_mfa(user_id, body):
    """Activate MFA with a code from the generated secret, or turn it off."""
    from store import mfa
    user = _editable_user(user_id)
    activate = body.get("activate")
    if not isinstance(activate, bool):
        raise errors.invalid_body_param("activate")
    if activate:
        _mfa_enabled()
        if not user.mfa_secret:
            raise errors.AppError(400, "mfa.activate.no_secret.app_error",
                                  "Generate an MFA secret before activating MFA.")
        if not mfa.code_ok(user.mfa_secret, body.get("code") or ""):
            raise errors.AppError(401, "mfa.activate.bad_token.app_error", "The MFA code is missing or wrong.")
    mfa.set_active(user.id, activate)
    common.audit(user.id, "MFA %s" % ("activated" if activate else "deactivated"))
    return {"status": "OK"}


def check_user_mfa(body):
    """Whether logging in as login_id needs an MFA code."""
    config = config_module.current()
    login_id = body.get("login_id")
    if not isinstance(login_id, str) or not login_id:
        raise errors.invalid_body_param("login_id")
    required = False
    if config["ServiceSettings"]["EnableMultifactorAuthentication"]:
        email = config["EmailSettings"]
        user = store_users.get_for_login(login_id, email["EnableSignInWithUsername"], email["EnableSignInWithEmail"])
        required = bool(user and user.mfa_active)
    return {"mfa_required": required}


# ---------------------------------------------------------------------------
# Terms of service, as the caller accepted them (the path's user id is ignored,
# as in Mattermost).

def register_terms_of_service_action(user_id, body):
    from store import terms
    terms_id = body.get("termsOfServiceId")
    if not isinstance(terms_id, str) or not terms_id:
        raise errors.invalid_body_param("termsOfServiceId")
    accepted = body.get("accepted")
    if not isinstance(accepted, bool):
        raise errors.invalid_body_param("accepted")
    if terms.get(terms_id) is None:
        raise errors.AppError(404, "app.terms_of_service.get.no_rows.app_error", "There are no such terms of service.")
    terms.record_action(common.session().user_id, terms_id, accepted)
    return {"status": "OK"}


def get_user_terms_of_service(user_id):
    from store import terms
    row = terms.user_acceptance(common.session().user_id)
    if row is None:
        raise errors.AppError(404, "app.user_terms_of_service.get_by_user.no_rows.app_error",
                              "There are no such terms of service.")
    return {"user_id": row.user_id, "terms_of_service_id": row.terms_of_service_id, "create_at": row.create_at}


def reset_password_failed_attempts(user_id):
    """Unlock an account locked by failed logins."""
    permissions.require(common.session(), "sysconsole_write_user_management_users")
    user = common.require_user(common.user_id(user_id))
    if user.auth_service not in ("", "ldap"):
        raise errors.AppError(400, "api.user.reset_password_failed_attempts.ldap_and_email_only.app_error",
                              "Failed attempts can only be reset for email and LDAP accounts.")
    store_users.set_failed_attempts(user.id, 0)
    common.audit(user.id, "failed attempts reset by user_id=%s" % common.session().user_id)
    return {"status": "OK"}


def attach_device_extra_props(body):
    """Record the mobile device of the caller's session (for push notifications);
    the session takes the mobile session length."""
    session = common.session()
    device_id = body.get("device_id", "")
    if not isinstance(device_id, str) or len(device_id) > 512:
        raise errors.invalid_body_param("device_id")
    props = {}
    for key, prop in (("deviceNotificationDisabled", "device_notification_disabled"),
                      ("mobileVersion", "mobile_version")):
        value = body.get(key)
        if value is not None:
            if not isinstance(value, str):
                raise errors.invalid_body_param(key)
            props[prop] = value
    if not device_id and not props:
        raise errors.invalid_body_param("device_id")
    config = config_module.current()
    expires_at = int(time.time() * 1000) + sessions.length_ms(config, mobile=True)
    if not store_sessions.attach_device(session.id, session.user_id, device_id, props, expires_at):
        raise errors.session_expired("the session ended")
    return {"status": "OK"}


# ---------------------------------------------------------------------------
# Password reset and email verification by mailed token.

def _site_url():
    config = config_module.current()
    return (config["ServiceSettings"]["SiteURL"] or flask.request.host_url).rstrip("/")


def _mail(to, subject, text):
    from api import mail
    try:
        mail.send(config_module.current(), to, subject, text)
    except mail.MailError as e:
        raise errors.AppError(500, "api.email.send.app_error", "Failed to send the email.", str(e))


def send_password_reset_email(body):
    """Mail a reset link to the account with that email; the answer is the same
    whether or not there is one, so addresses cannot be probed."""
    from store import mailed_tokens
    email = body.get("email")
    if not isinstance(email, str) or not email.strip():
        raise errors.invalid_body_param("email")
    user = store_users.get_by_email(email.strip())
    if user is not None and not user.delete_at:
        if user.auth_service:
            raise errors.AppError(400, "api.user.send_password_reset.sso.app_error",
                                  "Cannot reset password for SSO accounts.")
        token = mailed_tokens.create(mailed_tokens.PASSWORD_RECOVERY, {"UserId": user.id, "Email": user.email})
        site = config_module.current()["TeamSettings"]["SiteName"]
        _mail(user.email, "[%s] Reset your password" % site,
              "Someone asked to reset the password of your %s account.\n\n"
              "To choose a new password, open this link within an hour:\n%s/reset_password_complete?token=%s\n\n"
              "If it was not you, ignore this message.\n" % (site, _site_url(), token))
    return {"status": "OK"}


def reset_password(body):
    """Set a new password with a reset token from the email."""
    from store import mailed_tokens
    token, new_password = body.get("token"), body.get("new_password")
    if not isinstance(token, str) or len(token) != 64:
        raise errors.invalid_body_param("token")
    if not isinstance(new_password, str):
        raise errors.invalid_body_param("new_password")
    found = mailed_tokens.find(mailed_tokens.PASSWORD_RECOVERY, token)
    if found is None:
        raise errors.AppError(400, "api.user.reset_password.invalid_link.app_error",
                              "The password reset link is not valid.")
    extra, expired = found
    if expired:
        mailed_tokens.use_up(token)
        raise errors.AppError(400, "api.user.reset_password.link_expired.app_error",
                              "The password reset link has expired; ask for a new one.")
    user = common.require_user(extra.get("UserId", ""))
    check_password_policy(new_password)  # a refused password leaves the link usable, as in Mattermost
    store_users.set_password(user.id, new_password)
    mailed_tokens.use_up(token)
    store_sessions.revoke_for_user(user.id)
    common.audit(user.id, "password reset by emailed token")
    return {"status": "OK"}


def send_verification_email(body):
    from store import mailed_tokens
    email = body.get("email")
    if not isinstance(email, str) or not email.strip():
        raise errors.invalid_body_param("email")
    user = store_users.get_by_email(email.strip())
    if user is not None and not user.delete_at and not user.email_verified:
        token = mailed_tokens.create(mailed_tokens.VERIFY_EMAIL, {"UserId": user.id, "Email": user.email})
        site = config_module.current()["TeamSettings"]["SiteName"]
        _mail(user.email, "[%s] Verify your email address" % site,
              "Confirm that this is your email address by opening this link within 48 hours:\n"
              "%s/do_verify_email?token=%s&email=%s\n" % (_site_url(), token, user.email))
    return {"status": "OK"}


def verify_user_email(body):
    from store import mailed_tokens
    token = body.get("token")
    if not isinstance(token, str) or not token:
        raise errors.invalid_body_param("token")
    found = mailed_tokens.find(mailed_tokens.VERIFY_EMAIL, token)
    if found is None:
        raise errors.AppError(400, "api.user.verify_email.bad_link.app_error", "The email verification link is not valid.")
    mailed_tokens.use_up(token)
    extra, expired = found
    if expired:
        raise errors.AppError(400, "api.user.verify_email.link_expired.app_error",
                              "The email verification link has expired; ask for a new one.")
    user = common.require_user(extra.get("UserId", ""))
    if user.email != extra.get("Email"):
        raise errors.AppError(400, "api.user.verify_email.bad_link.app_error", "The email verification link is not valid.")
    store_users.set_email_verified(user.id)
    publish_user_updated(store_users.get(user.id))
    return {"status": "OK"}


def delete_user(user_id, permanent=False):
    """Deactivate an account (Mattermost's DELETE); with permanent=true and
    ServiceSettings.EnableAPIUserDeletion, erase it."""
    session = common.session()
    user = common.require_user(common.user_id(user_id))
    config = config_module.current()
    if session.user_id == user.id:
        if not config["TeamSettings"]["EnableUserDeactivation"] and not permissions.is_system_admin(session):
            raise errors.AppError(401, "api.user.update_active.not_enable.app_error",
                                  "Deactivating your own account is turned off on this server.")
    elif not permissions.can_act_on_user(session, user.id, user.roles):
        raise errors.permission_denied(["edit_other_users"])
    if permanent:
        permissions.require(session, "manage_system")
        if not config["ServiceSettings"]["EnableAPIUserDeletion"]:
            raise errors.AppError(401, "api.user.delete_user.not_enabled.app_error",
                                  "Permanent user deletion is turned off on this server (ServiceSettings.EnableAPIUserDeletion).", "userId=%s" % user.id)
        common.audit(session.user_id, "permanently deleted user_id=%s" % user.id)
        # Mattermost deactivates the account first (and says so), then erases it.
        _deactivated_events(user)
        store_users.permanent_delete(user.id)
    else:
        store_users.set_active(user.id, False)
        _active_changed(user.id, False)
        common.audit(user.id, "deactivated by user_id=%s" % session.user_id)
    return {"status": "OK"}


# ---------------------------------------------------------------------------
# Guests.

def promote_guest_to_user(user_id):
    """A guest becomes a regular user, in every team and channel too."""
    session = common.session()
    permissions.require(session, "promote_guest")
    user = common.require_user(user_id)
    roles = user.roles.split()
    if "system_guest" not in roles:
        raise errors.AppError(501, "api.user.promote_guest_to_user.no_guest.app_error",
                              "The user is not a guest.")
    store_users.promote_guest(user.id, " ".join(["system_user" if r == "system_guest" else r for r in roles]))
    _promoted_events(user.id)
    common.audit(user.id, "promoted from guest by user_id=%s" % session.user_id)
    return {"status": "OK"}


def _deactivated_events(user):
    """The events of deactivating user, for an account about to be erased."""
    from ws import presence
    presence.set_offline(config_module.current(), user.id)
    now = int(time.time() * 1000)
    user.delete_at = user.update_at = now
    publish_user_updated(user)


def _promoted_events(user_id):
    """What Mattermost sends when a guest becomes a user: user_updated, then
    for each of their teams memberrole_updated and channel_member_updated for
    their channels there (and their direct and group messages)."""
    from store import team_queries
    user = store_users.get(user_id)
    if user is None:
        return
    publish_user_updated(user)
    channels = store_users.channel_memberships(user_id, 0, 100000)
    for member in team_queries.memberships_for_user(user_id):
        account_events.memberrole_updated(store_teams.member_json(member))
        for channel_member, channel, _ in channels:
            if channel.team_id in (member.team_id, "", None):
                account_events.channel_member_updated(store_channels.member_json(channel_member, channel))


def demote_user_to_guest(user_id):
    """Guest accounts of demoted users need a license; this server has none."""
    raise errors.AppError(501, "api.team.demote_user_to_guest.license.error",
                          "Demoting users to guests needs a license this server does not have.")


# Mattermost's user limits for a server without a license (newest server).
UNLICENSED_MAX_USERS = 200
UNLICENSED_MAX_USERS_HARD = 250


def get_server_limits():
    """The user limits an unlicensed Mattermost server reports, with the active
    user count; callers without the user-management permission see zeros."""
    body = {"maxUsersLimit": 0, "maxUsersHardLimit": 0, "activeUserCount": 0,
            "postHistoryLimit": 0, "lastAccessiblePostTime": 0}
    session = common.session()
    if permissions.is_system_admin(session) and permissions.has(session, "sysconsole_read_user_management_users"):
        body.update(maxUsersLimit=UNLICENSED_MAX_USERS, maxUsersHardLimit=UNLICENSED_MAX_USERS_HARD,
                    activeUserCount=store_users.count_active())
    return body
