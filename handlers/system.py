"""Handlers for the 'system' operations of the document."""
from handlers.stub import stub


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


@stub("GetClientConfig")
def get_client_config(**kwargs):
    """GET /api/v4/config/client"""


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


@stub("GetClientLicense")
def get_client_license(**kwargs):
    """GET /api/v4/license/client"""


@stub("GetLicenseLoadMetric")
def get_license_load_metric(**kwargs):
    """GET /api/v4/license/load_metric"""


@stub("PreviewLicenseFile")
def preview_license_file(**kwargs):
    """POST /api/v4/license/preview"""


@stub("GetLogs")
def get_logs(**kwargs):
    """GET /api/v4/logs"""


@stub("PostLog")
def post_log(**kwargs):
    """POST /api/v4/logs"""


@stub("QueryLogs")
def query_logs(**kwargs):
    """POST /api/v4/logs/query"""


@stub("TestNotification")
def test_notification(**kwargs):
    """POST /api/v4/notifications/test"""


@stub("UpdateMarketplaceVisitedByAdmin")
def update_marketplace_visited_by_admin(**kwargs):
    """POST /api/v4/plugins/marketplace/first_admin_visit"""


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


@stub("GetPing")
def get_ping(**kwargs):
    """GET /api/v4/system/ping"""


@stub("GetAppliedSchemaMigrations")
def get_applied_schema_migrations(**kwargs):
    """GET /api/v4/system/schema/version"""


@stub("GenerateSupportPacket")
def generate_support_packet(**kwargs):
    """GET /api/v4/system/support_packet"""


@stub("GetSupportedTimezone")
def get_supported_timezone(**kwargs):
    """GET /api/v4/system/timezones"""


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


@stub("ConnectWebSocket")
def connect_web_socket(**kwargs):
    """GET /api/v4/websocket"""


@stub("ManualTest")
def manual_test(**kwargs):
    """GET /manualtest"""
