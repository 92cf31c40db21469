"""Handlers for the 'system' operations of the document."""
import copy
import fcntl
import importlib.resources
import logging
import os
import re
import threading
import urllib.parse

import flask

from api import auth, client_config, config as config_module, errors, permissions
from handlers.stub import stub
from store import system as system_store
from ws import config_events

log = logging.getLogger("mattermost.system")
client_log = logging.getLogger("mattermost.client")

STATUS_OK = "OK"
STATUS_UNHEALTHY = "UNHEALTHY"
CLIENT_LOG_MAX = 400


def get_ping(get_server_status=False, device_id="", use_rest_semantics=False):
    """Mattermost's health check: client version requirements always; database and
    file store checks with get_server_status; a push check with device_id."""
    config = config_module.current()
    requirements = config["ClientRequirements"]
    body = {
        "ActiveSearchBackend": "database",
        "AndroidLatestVersion": requirements["AndroidLatestVersion"],
        "AndroidMinVersion": requirements["AndroidMinVersion"],
        "IosLatestVersion": requirements["IosLatestVersion"],
        "IosMinVersion": requirements["IosMinVersion"],
        "status": STATUS_OK,
    }
    if get_server_status:
        database_ok = system_store.database_ok()
        filestore_ok = system_store.filestore_ok(config["FileSettings"]["Directory"])
        body["database_status"] = STATUS_OK if database_ok else STATUS_UNHEALTHY
        body["filestore_status"] = STATUS_OK if filestore_ok else STATUS_UNHEALTHY
        if not (database_ok and filestore_ok):
            body["status"] = STATUS_UNHEALTHY
            log.error("ping: database_status=%s filestore_status=%s",
                      body["database_status"], body["filestore_status"])
        if auth.session_has_permission(flask.g.get("session"), "manage_system"):
            body["root_status"] = hasattr(os, "geteuid") and os.geteuid() == 0
    if device_id:
        # Whether a device can receive pushes is asked of the push proxy; with
        # none configured, nobody can tell.
        body["CanReceiveNotifications"] = "unknown"
    status = 200 if body["status"] == STATUS_OK or use_rest_semantics else 500
    return dict(sorted(body.items())), status


def supported_timezones():
    """Every IANA zone name, from the tzdata package so that it is the same on
    every machine ('Factory' is a placeholder, not a zone)."""
    zones = importlib.resources.files("tzdata").joinpath("zones").read_text().split()
    return sorted(z for z in zones if z != "Factory")


_TIMEZONES = None


def get_supported_timezone():
    global _TIMEZONES
    if _TIMEZONES is None:
        _TIMEZONES = supported_timezones()
    return _TIMEZONES


def get_client_config(format_="old"):
    """The flat string map clients read at start: the limited one for anonymous
    callers, the full one for a session. Without format, "old" is assumed (the
    only format there is)."""
    if format_ != "old":
        raise errors.invalid_body_param("format")
    config = config_module.current()
    telemetry_id = system_store.get("DiagnosticId", "")
    session = flask.g.get("session")
    if session is None:
        body = client_config.limited(config, telemetry_id)
        body["NoAccounts"] = "true" if system_store.user_count() == 0 else "false"
    else:
        body = _full_client_config(config, telemetry_id)
    return dict(sorted(body.items()))


def _full_client_config(config, telemetry_id=None):
    """The client configuration a logged-in user gets (config_changed sends it too)."""
    if telemetry_id is None:
        telemetry_id = system_store.get("DiagnosticId", "")
    return client_config.full(config, telemetry_id, {
        "NoAccounts": system_store.user_count() == 0,
        "MaxPostSize": 16383,
        "UpgradedFromTE": False,
        "InstallationDate": system_store.get("InstallationDate", ""),
        "SchemaVersion": system_store.schema_version(),
    })


def get_client_license(format_="old"):
    """The license as clients see it; this server has none."""
    if format_ != "old":
        raise errors.invalid_body_param("format")
    return client_config.unlicensed()


def post_log(body):
    """Write a client's log line into the server log. Anonymous callers may only
    do so with EnableDeveloper; only admins' ERROR lines are logged as errors."""
    config = config_module.current()
    session = flask.g.get("session")
    force_debug = False
    if not config["ServiceSettings"]["EnableDeveloper"]:
        if session is None:
            raise errors.permission_denied()
        force_debug = not auth.session_has_permission(session, "manage_system")
    level = str(body.get("level", ""))
    text = str(body.get("message", ""))[:CLIENT_LOG_MAX - 1]
    # A client must not be able to forge log lines.
    text = text.replace("\r", "\\r").replace("\n", "\\n")
    message = "Client Logs API Endpoint Message: " + text
    if level.upper() == "ERROR" and not force_debug:
        client_log.error(message)
    else:
        client_log.debug(message)
    return {"level": level, "message": message}


def connect_web_socket(**kwargs):
    """Reached only by a plain GET: an upgrade request goes to ws.endpoint."""
    raise errors.AppError(400, "api.web_socket.connect.upgrade.app_error",
                          "The request could not be upgraded to a WebSocket.",
                          "the request is not a websocket upgrade")


def manual_test():
    """Mattermost serves its manual-test page only with EnableTesting; this
    server has no such page, so it is a 404 either way."""
    raise errors.not_found(detail="the manual test page is not available")


@stub("GetAnalyticsOld")
def get_analytics_old(**kwargs):
    """GET /api/v4/analytics/old"""


@stub("GetAudits")
def get_audits(**kwargs):
    """GET /api/v4/audits"""


@stub("TestS3Connection")
def test_s3_connection(**kwargs):
    """POST /api/v4/file/s3_test"""


@stub("TestFileStoreConnection")
def test_file_store_connection(**kwargs):
    """POST /api/v4/file/test"""


@stub("GetImageByUrl")
def get_image_by_url(**kwargs):
    """GET /api/v4/image"""


@stub("CheckIntegrity")
def check_integrity(**kwargs):
    """POST /api/v4/integrity"""


@stub("GetLatestVersion")
def get_latest_version(**kwargs):
    """GET /api/v4/latest_version"""


@stub("GetLogs")
def get_logs(**kwargs):
    """GET /api/v4/logs"""



@stub("QueryLogs")
def query_logs(**kwargs):
    """POST /api/v4/logs/query"""


@stub("TestNotification")
def test_notification(**kwargs):
    """POST /api/v4/notifications/test"""



@stub("GetRedirectLocation")
def get_redirect_location(**kwargs):
    """GET /api/v4/redirect_location"""


@stub("RestartServer")
def restart_server(**kwargs):
    """POST /api/v4/restart"""


@stub("SetServerBusy")
def set_server_busy(**kwargs):
    """POST /api/v4/server_busy"""


@stub("GetServerBusyExpires")
def get_server_busy_expires(**kwargs):
    """GET /api/v4/server_busy"""


@stub("ClearServerBusy")
def clear_server_busy(**kwargs):
    """DELETE /api/v4/server_busy"""


@stub("SetAIBridgeTestHelper")
def set_ai_bridge_test_helper(**kwargs):
    """PUT /api/v4/system/e2e/ai_bridge"""


@stub("GetAIBridgeTestHelper")
def get_ai_bridge_test_helper(**kwargs):
    """GET /api/v4/system/e2e/ai_bridge"""


@stub("DeleteAIBridgeTestHelper")
def delete_ai_bridge_test_helper(**kwargs):
    """DELETE /api/v4/system/e2e/ai_bridge"""


@stub("MarkNoticesViewed")
def mark_notices_viewed(**kwargs):
    """PUT /api/v4/system/notices/view"""


@stub("GetNotices")
def get_notices(**kwargs):
    """GET /api/v4/system/notices/{team_id}"""


@stub("GetOnboardingComplete")
def get_onboarding_complete(**kwargs):
    """GET /api/v4/system/onboarding/complete"""


@stub("CompleteOnboarding")
def complete_onboarding(**kwargs):
    """POST /api/v4/system/onboarding/complete"""



@stub("GetAppliedSchemaMigrations")
def get_applied_schema_migrations(**kwargs):
    """GET /api/v4/system/schema/version"""


@stub("GenerateSupportPacket")
def generate_support_packet(**kwargs):
    """GET /api/v4/system/support_packet"""



@stub("UpgradeToEnterprise")
def upgrade_to_enterprise(**kwargs):
    """POST /api/v4/upgrade_to_enterprise"""


@stub("IsAllowedToUpgradeToEnterprise")
def is_allowed_to_upgrade_to_enterprise(**kwargs):
    """GET /api/v4/upgrade_to_enterprise/allowed"""


@stub("UpgradeToEnterpriseStatus")
def upgrade_to_enterprise_status(**kwargs):
    """GET /api/v4/upgrade_to_enterprise/status"""


def update_marketplace_visited_by_admin(body):
    """Record that a system admin has opened the plugin marketplace."""
    if not auth.session_has_permission(flask.g.get("session"), "manage_system"):
        raise errors.permission_denied(["manage_system"])
    if body.get("name") != "FirstAdminVisitMarketplace":
        raise errors.invalid_body_param("name")
    value = body.get("value")
    if not isinstance(value, str) or not value or len(value) > 1024:  # Systems.Value's size in Mattermost
        raise errors.invalid_body_param("value")
    system_store.set_value("FirstAdminVisitMarketplace", value)
    from ws import account_events
    account_events.first_admin_visit_marketplace(value)
    return {"status": "OK"}


# ---------------------------------------------------------------------------
# The configuration (System Console): read, write, reload.
#
# The file holds what PUT/PATCH write (never the MM_* environment overrides);
# the server answers with the effective configuration (the file with the
# overrides), secrets masked. After a write this worker serves with the new
# configuration at once and publishes config_changed; every other worker,
# on this host or another sharing the event bus, re-reads the file when it
# sees the event (ws/config_events.py).

# The System Console permission (sysconsole_read_<tag> / sysconsole_write_<tag>)
# that opens each section to someone without manage_system. Mattermost tags
# each setting; here a section takes the tag most of its settings have. None:
# manage_system only.
SECTION_ACCESS = {
    "ServiceSettings": "environment_web_server",
    "TeamSettings": "site_users_and_teams",
    "ClientRequirements": None,
    "SqlSettings": "environment_database",
    "LogSettings": "environment_logging",
    "PasswordSettings": "authentication_password",
    "FileSettings": "environment_file_storage",
    "EmailSettings": "environment_smtp",
    "RateLimitSettings": "environment_rate_limiting",
    "PrivacySettings": "site_users_and_teams",
    "SupportSettings": "site_customization",
    "AnnouncementSettings": "site_announcement_banner",
    "LocalizationSettings": "site_localization",
    "GuestAccountsSettings": "authentication_guest_access",
    "GitLabSettings": "authentication_openid",
    "GoogleSettings": "authentication_openid",
    "Office365Settings": "authentication_openid",
    "OpenIdSettings": "authentication_openid",
    "LdapSettings": "authentication_ldap",
    "SamlSettings": "authentication_saml",
    "ComplianceSettings": "compliance_compliance_monitoring",
    "ClusterSettings": "environment_high_availability",
    "MetricsSettings": "environment_performance_monitoring",
    "ExperimentalSettings": "experimental_features",
    "PluginSettings": "plugins",
    "DisplaySettings": "site_customization",
    "ImageProxySettings": "environment_image_proxy",
    "FeatureFlags": "experimental_feature_flags",
    "PythonSettings": None,
}

_console_permissions = {}
_write_lock = threading.Lock()     # one config write at a time in this process (cooperative under gevent)


def _console(kind):
    """Every sysconsole_<kind>_* permission."""
    if kind not in _console_permissions:
        from store import roles
        prefix = "sysconsole_%s_" % kind
        _console_permissions[kind] = sorted(p for p in roles.known_permissions() if p.startswith(prefix))
    return _console_permissions[kind]


def _session_or_401():
    session = flask.g.get("session")
    if session is None:
        raise errors.session_expired()
    return session


def _require_any(session, names):
    if not any(permissions.has(session, name) for name in names):
        raise errors.permission_denied(names)


def _may(session, kind, section):
    """May the session read or write (kind) the section?"""
    if permissions.has(session, "manage_system"):
        return True
    tag = SECTION_ACCESS.get(section)
    return bool(tag) and permissions.has(session, "sysconsole_%s_%s" % (kind, tag))


def _readable(session, data):
    """data as the session may see it: the settings of sections it may not
    read are null, as Mattermost leaves the fields its read filter skips."""
    if permissions.has(session, "manage_system"):
        return data
    for section, values in data.items():
        if not _may(session, "read", section):
            data[section] = {k: None for k in values} if isinstance(values, dict) else None
    return data


def _no_cache(body):
    return body, 200, {"Cache-Control": "no-cache, no-store, must-revalidate"}


def _answer(session, config, remove_masked=False, remove_defaults=False):
    data = _readable(session, config_module.sanitized(config))
    for section, values in list(data.items()):
        if not isinstance(values, dict):
            continue
        defaults = config_module.DEFAULTS.get(section) or {}
        for setting, value in list(values.items()):
            masked = value == config_module.FAKE_SETTING or (
                isinstance(value, list) and value and all(v == config_module.FAKE_SETTING for v in value))
            if (remove_masked and masked) or (remove_defaults and setting in defaults and defaults[setting] == value):
                del values[setting]
        if (remove_masked or remove_defaults) and not values:
            del data[section]
    return _no_cache(data)


def get_config(remove_masked=False, remove_defaults=False):
    """The effective configuration, secrets masked; for anyone who may read
    some part of the System Console (the rest comes as null)."""
    session = _session_or_401()
    _require_any(session, _console("read"))
    return _answer(session, config_module.current(), remove_masked, remove_defaults)


def get_environment_config():
    """{section: {setting: true}} for each setting an MM_* variable sets (that
    the caller may read)."""
    session = _session_or_401()
    found = {}
    for section, setting in config_module.overridden_settings(config_module.current()):
        if _may(session, "read", section):
            found.setdefault(section, {})[setting] = True
    return _no_cache(found)


def update_config(body):
    """Replace the whole configuration (settings left out take their defaults)."""
    return _write_config(body, whole=True)


def patch_config(body):
    """Change the settings the body names; the rest stay."""
    return _write_config(body, whole=False)


def _write_config(body, whole):
    session = _session_or_401()
    if not isinstance(body, dict):
        raise errors.invalid_body_param("config")
    _require_any(session, _console("write"))
    current = config_module.current()
    with _write_lock, _file_lock(current.path or config_module.DEFAULT_PATH):
        try:
            on_file = config_module.read_file(current.path or config_module.DEFAULT_PATH)
        except SystemExit as e:
            raise errors.AppError(500, "api.config.update_config.restricted_merge.app_error",
                                  "The configuration file cannot be read.", str(e))
        _refuse_changes(body, current, whole)
        data = _merge_body(on_file, body, whole, session)
        config_module.desanitize(data, on_file)
        # What the environment sets is not the file's business: it keeps its own values.
        for section, setting in config_module.overridden_settings(current):
            if isinstance(data.get(section), dict) and isinstance(on_file.get(section), dict) \
                    and setting in on_file[section]:
                data[section][setting] = copy.deepcopy(on_file[section][setting])
        if isinstance(data["ServiceSettings"].get("SiteURL"), str):
            data["ServiceSettings"]["SiteURL"] = data["ServiceSettings"]["SiteURL"].rstrip("/")
        new = config_module.with_overrides(data, current)
        _validate(new)
        try:
            config_module.save(current.path or config_module.DEFAULT_PATH, data)
        except OSError as e:
            raise errors.AppError(500, "app.save_config.app_error",
                                  "The configuration could not be saved.", str(e))
        config_module.replace(flask.current_app, new)
    if dict(new) != dict(current):
        config_events.config_changed(_full_client_config(new))
    return _answer(session, new)


class _file_lock:
    """An exclusive lock on the config file's directory, so that workers and
    hosts sharing the file do not interleave their read-change-write."""

    def __init__(self, path):
        self.directory = os.path.dirname(os.path.abspath(path))
        self.fd = None

    def __enter__(self):
        os.makedirs(self.directory, exist_ok=True)
        self.fd = os.open(self.directory, os.O_RDONLY)
        fcntl.flock(self.fd, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc):
        try:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
        finally:
            os.close(self.fd)


def _refuse_changes(body, current, whole):
    """What Mattermost refuses to change over the API."""
    service = body.get("ServiceSettings") if isinstance(body.get("ServiceSettings"), dict) else {}
    site_url = service.get("SiteURL", "" if whole else None)
    if current["ServiceSettings"]["SiteURL"] and site_url == "":
        raise errors.AppError(400, "api.config.update_config.clear_siteurl.app_error",
                              "The Site URL cannot be cleared.")
    plugins = body.get("PluginSettings") if isinstance(body.get("PluginSettings"), dict) else {}
    uploads = plugins.get("EnableUploads")
    if not whole and uploads is not None and uploads != current["PluginSettings"].get("EnableUploads"):
        raise errors.AppError(403, "api.config.update_config.not_allowed_security.app_error",
                              "PluginSettings.EnableUploads cannot be changed over the API.",
                              "Name=PluginSettings.EnableUploads")


_KEPT = {("PluginSettings", "EnableUploads"), ("PluginSettings", "SignaturePublicKeyFiles")}


def _merge_body(on_file, body, whole, session):
    """The file's settings with body's over them: with whole, settings the
    body leaves out (or sends null) take their defaults. Only settings this
    server knows (its defaults or the file's) are taken, each of its type;
    feature flags and what Mattermost never lets the API change keep the
    file's values, and so do sections the session may not write."""
    base = copy.deepcopy(on_file)
    if whole:
        for section, values in config_module.DEFAULTS.items():
            if isinstance(values, dict) and isinstance(base.get(section), dict):
                base[section].update(copy.deepcopy(values))
    for section, incoming in body.items():
        known = base.get(section)
        if not isinstance(known, dict) or section == "FeatureFlags":
            continue
        if incoming is None:
            continue
        if not isinstance(incoming, dict):
            raise errors.invalid_body_param("config", "%s must be an object" % section)
        if not _may(session, "write", section):
            base[section] = copy.deepcopy(on_file[section])
            continue
        for setting, value in incoming.items():
            if setting not in known or (section, setting) in _KEPT or value is None:
                continue
            example = config_module.DEFAULTS.get(section, {}).get(setting, on_file[section].get(setting))
            if not _same_type(value, example):
                raise errors.invalid_body_param("config", "%s.%s must be %s" % (section, setting, _type_name(example)))
            base[section][setting] = copy.deepcopy(value)
    for section, setting in _KEPT:
        if isinstance(on_file.get(section), dict) and setting in on_file[section]:
            base[section][setting] = copy.deepcopy(on_file[section][setting])
    base["FeatureFlags"] = copy.deepcopy(on_file.get("FeatureFlags", {}))
    return base


def _same_type(value, example):
    if example is None:
        return True
    if isinstance(example, bool):
        return isinstance(value, bool)
    if isinstance(example, int):
        return isinstance(value, int) and not isinstance(value, bool)
    if isinstance(example, float):
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    for kind in (str, list, dict):
        if isinstance(example, kind):
            return isinstance(value, kind)
    return True


def _type_name(example):
    for kind, name in ((bool, "true or false"), (int, "a whole number"), (float, "a number"),
                       (str, "a string"), (list, "a list"), (dict, "an object")):
        if isinstance(example, kind):
            return name
    return "a value"


_URL_SCHEME_RE = re.compile(r"^\s*[A-Za-z][A-Za-z0-9.+-]*\s*$")


def _is_url(value):
    parsed = urllib.parse.urlparse(value)
    return bool(parsed.scheme and parsed.netloc)


def _validate(config):
    """Mattermost's Config.IsValid, for the settings this server has: the first
    failure is a 400 with Mattermost's id."""
    svc, team, sql = config["ServiceSettings"], config["TeamSettings"], config["SqlSettings"]
    files, rate = config["FileSettings"], config["RateLimitSettings"]
    locales, email = config["LocalizationSettings"], config["EmailSettings"]
    checks = (
        ("site_url", not svc["SiteURL"] or _is_url(svc["SiteURL"])),
        ("websocket_url", not svc["WebsocketURL"] or _is_url(svc["WebsocketURL"])),
        ("listen_address", bool(svc["ListenAddress"])),
        ("read_timeout", svc["ReadTimeout"] > 0),
        ("write_timeout", svc["WriteTimeout"] > 0),
        ("login_attempts", svc["MaximumLoginAttempts"] > 0),
        ("time_between_user_typing", svc["TimeBetweenUserTypingUpdatesMilliseconds"] >= 1000),
        ("collapsed_threads", svc["CollapsedThreads"] in ("disabled", "default_on", "default_off", "always_on")),
        ("group_unread_channels", svc["ExperimentalGroupUnreadChannels"] in ("disabled", "default_on", "default_off")),
        ("sitename_length", len(team["SiteName"]) <= 30),
        ("max_users", team["MaxUsersPerTeam"] > 0),
        ("max_channels", team["MaxChannelsPerTeam"] > 0),
        ("max_notify_per_channel", team["MaxNotificationsPerChannel"] > 0),
        ("restrict_direct_message", team["RestrictDirectMessage"] in ("any", "team")),
        ("sql_driver", sql["DriverName"] in ("postgres", "sqlite")),
        ("sql_idle", sql["MaxIdleConns"] > 0),
        ("sql_max_conn", sql["MaxOpenConns"] > 0),
        ("sql_query_timeout", sql["QueryTimeout"] > 0),
        ("max_file_size", files["MaxFileSize"] > 0),
        ("file_driver", files["DriverName"] in ("local", "amazons3")),
        ("email_security", email["ConnectionSecurity"] in ("", "TLS", "STARTTLS")),
        ("password_length", 5 <= config["PasswordSettings"]["MinimumLength"] <= 72),
        ("rate_mem", not rate["Enable"] or rate["MemoryStoreSize"] > 0),
        ("rate_sec", not rate["Enable"] or rate["PerSec"] > 0),
        ("max_burst", not rate["Enable"] or rate["MaxBurst"] > 0),
        ("localization.available_locales",
         not locales["AvailableLocales"] or locales["DefaultClientLocale"] in locales["AvailableLocales"]),
        ("display.custom_url_schemes",
         all(isinstance(s, str) and _URL_SCHEME_RE.match(s) for s in config["DisplaySettings"]["CustomURLSchemes"])),
        ("image_proxy_type", not config["ImageProxySettings"]["Enable"]
         or config["ImageProxySettings"]["ImageProxyType"] in ("local", "atmos/camo")),
    )
    for name, ok in checks:
        if not ok:
            raise errors.AppError(400, "model.config.is_valid.%s.app_error" % name,
                                  "The configuration is not valid: check %s." % name.replace("_", " "))


def reload_config():
    """Re-read the configuration file, in every worker."""
    session = _session_or_401()
    permissions.require(session, "reload_config")
    current = config_module.current()
    if current["ExperimentalSettings"].get("RestrictSystemAdmin"):
        raise errors.AppError(400, "api.restricted_system_admin",
                              "This action is forbidden to a restricted system admin.")
    with _write_lock:
        try:
            new = config_module.reload(current)
        except (OSError, ValueError) as e:
            raise errors.AppError(500, "api.config.reload_config.app_error",
                                  "The configuration file could not be read again.", str(e))
        config_module.replace(flask.current_app, new)
    if dict(new) != dict(current):
        config_events.config_changed(_full_client_config(new))
    else:
        config_events.reload_everywhere()   # workers that missed a change catch up
    return _no_cache({"status": "OK"})


def migrate_config(body):
    """Copying the configuration to another store (a database): this server
    keeps it in a file only, so the migration fails as Mattermost's does when
    it cannot reach the target."""
    session = _session_or_401()
    for name in ("from", "to"):
        if not isinstance(body.get(name), str):
            raise errors.invalid_param(name)
    permissions.require(session, "manage_system")
    raise errors.AppError(500, "api.config.migrate_config.app_error",
                          "The configuration could not be migrated.",
                          "this server keeps its configuration in a file only")


def invalidate_caches():
    """Drop every worker's caches."""
    session = _session_or_401()
    permissions.require(session, "invalidate_caches")
    config_events.invalidate_caches()              # this worker, now (idempotent if it hears it again)
    config_events.invalidate_caches_everywhere()   # every other worker, through the bus
    return {"status": "OK"}


def database_recycle():
    """Close every worker's idle database connections; new ones open as needed."""
    session = _session_or_401()
    permissions.require(session, "recycle_database_connections")
    config_events.recycle_database()               # this worker, now
    config_events.recycle_database_everywhere()    # every other worker, through the bus
    return {"status": "OK"}


def test_email(body):
    """Send a test message to the caller with the given email settings (a
    masked password means the current one, if the server is the same)."""
    session = _session_or_401()
    settings = body.get("EmailSettings") if isinstance(body, dict) else None
    current = config_module.current()
    if not isinstance(settings, dict) or any(k not in settings or settings[k] is None
                                             for k in current["EmailSettings"]):
        raise errors.AppError(400, "api.file.test_connection_email_settings_nil.app_error",
                              "Every email setting must be given.")
    permissions.require(session, "test_email")
    if current["ExperimentalSettings"].get("RestrictSystemAdmin"):
        raise errors.AppError(403, "api.restricted_system_admin",
                              "This action is forbidden to a restricted system admin.")
    for setting, value in settings.items():
        if setting in current["EmailSettings"] and not _same_type(value, current["EmailSettings"][setting]):
            raise errors.invalid_body_param("config", "EmailSettings.%s has the wrong type" % setting)
    if not settings["SMTPServer"]:
        raise errors.AppError(400, "api.admin.test_email.missing_server",
                              "No SMTP server is set.", "SMTPServer")
    trial = copy.deepcopy(dict(current))
    trial["EmailSettings"].update({k: v for k, v in settings.items() if k in trial["EmailSettings"]})
    mail_settings = trial["EmailSettings"]
    if mail_settings["SMTPPassword"] == config_module.FAKE_SETTING:
        real = current["EmailSettings"]
        if all(mail_settings[k] == real[k] for k in ("SMTPServer", "SMTPPort", "SMTPUsername")):
            mail_settings["SMTPPassword"] = real["SMTPPassword"]
        else:
            raise errors.AppError(400, "api.admin.test_email.reenter_password",
                                  "The SMTP server, port or username changed: enter the password again.")
    from api import mail
    from handlers import common
    user = common.require_user(session.user_id)
    try:
        mail.send(trial, user.email, "Mattermost - testing email settings",
                  "The email settings work: this message reached you.")
    except (mail.MailError, OSError, ValueError) as e:
        raise errors.AppError(500, "app.admin.test_email.failure",
                              "The test message could not be sent.", str(e))
    return {"status": "OK"}


def test_site_url(body):
    """Check that the server answers its ping at site_url."""
    session = _session_or_401()
    permissions.require(session, "test_site_url")
    if config_module.current()["ExperimentalSettings"].get("RestrictSystemAdmin"):
        raise errors.AppError(403, "api.restricted_system_admin",
                              "This action is forbidden to a restricted system admin.")
    site_url = body.get("site_url") if isinstance(body, dict) else None
    if not isinstance(site_url, str) or not site_url:
        raise errors.invalid_param("site_url")
    import urllib.request
    failure = errors.AppError(400, "app.admin.test_site_url.failure",
                              "The server does not answer at this site URL.")
    if not _is_url(site_url):
        raise failure
    try:
        with urllib.request.urlopen(site_url.rstrip("/") + "/api/v4/system/ping", timeout=10) as response:
            if response.status != 200:
                raise failure
    except (OSError, ValueError):
        raise failure
    return {"status": "OK"}


# ---------------------------------------------------------------------------
# The license: this server is an unlicensed Team Edition and cannot check
# Mattermost's signed licenses, so it answers as Mattermost does for a file
# it cannot validate, and for trials without a license manager.

def _license_file():
    upload = flask.request.files.get("license")
    if upload is None:
        raise errors.AppError(400, "api.license.add_license.no_file.app_error",
                              "The request has no 'license' file part.")
    return upload


def _invalid_license():
    return errors.AppError(400, "api.license.add_license.invalid.app_error",
                           "The license file is not valid.")


def upload_license_file(**_):
    session = _session_or_401()
    permissions.require(session, "manage_license_information")
    _license_file()
    raise _invalid_license()


def preview_license_file(**_):
    session = _session_or_401()
    permissions.require(session, "manage_license_information")
    _license_file()
    raise _invalid_license()


def remove_license_file():
    """There is no license to remove; the server stays (or is again)
    unlicensed and tells everyone."""
    session = _session_or_401()
    permissions.require(session, "manage_license_information")
    config_events.license_changed(client_config.unlicensed())
    return {"status": "OK"}


def get_license_load_metric():
    """Monthly active users per licensed seat x 1000: 0 without a license."""
    _session_or_401()
    return {"load": 0}


def _upgrade_needed():
    return errors.AppError(403, "api.license.upgrade_needed.app_error",
                           "This feature needs an Enterprise Edition server.")


def request_trial_license(body=None):
    session = _session_or_401()
    permissions.require(session, "manage_license_information")
    raise _upgrade_needed()


def get_prev_trial_license():
    _session_or_401()
    raise _upgrade_needed()
