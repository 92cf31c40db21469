"""Handlers for the 'system' operations of the document."""
import importlib.resources
import logging
import os

import flask

from api import auth, client_config, config as config_module, errors
from handlers.stub import stub
from store import system as system_store

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
        body = client_config.full(config, telemetry_id, {
            "NoAccounts": system_store.user_count() == 0,
            "MaxPostSize": 16383,
            "UpgradedFromTE": False,
            "InstallationDate": system_store.get("InstallationDate", ""),
            "SchemaVersion": system_store.schema_version(),
        })
    return dict(sorted(body.items()))


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


@stub("InvalidateCaches")
def invalidate_caches(**kwargs):
    """POST /api/v4/caches/invalidate"""


@stub("GetConfig")
def get_config(**kwargs):
    """GET /api/v4/config"""


@stub("UpdateConfig")
def update_config(**kwargs):
    """PUT /api/v4/config"""



@stub("GetEnvironmentConfig")
def get_environment_config(**kwargs):
    """GET /api/v4/config/environment"""


@stub("MigrateConfig")
def migrate_config(**kwargs):
    """POST /api/v4/config/migrate"""


@stub("PatchConfig")
def patch_config(**kwargs):
    """PUT /api/v4/config/patch"""


@stub("ReloadConfig")
def reload_config(**kwargs):
    """POST /api/v4/config/reload"""


@stub("DatabaseRecycle")
def database_recycle(**kwargs):
    """POST /api/v4/database/recycle"""


@stub("TestEmail")
def test_email(**kwargs):
    """POST /api/v4/email/test"""


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


@stub("UploadLicenseFile")
def upload_license_file(**kwargs):
    """POST /api/v4/license"""


@stub("RemoveLicenseFile")
def remove_license_file(**kwargs):
    """DELETE /api/v4/license"""



@stub("GetLicenseLoadMetric")
def get_license_load_metric(**kwargs):
    """GET /api/v4/license/load_metric"""


@stub("PreviewLicenseFile")
def preview_license_file(**kwargs):
    """POST /api/v4/license/preview"""


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


@stub("TestSiteURL")
def test_site_url(**kwargs):
    """POST /api/v4/site_url/test"""


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



@stub("RequestTrialLicense")
def request_trial_license(**kwargs):
    """POST /api/v4/trial-license"""


@stub("GetPrevTrialLicense")
def get_prev_trial_license(**kwargs):
    """GET /api/v4/trial-license/prev"""


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
