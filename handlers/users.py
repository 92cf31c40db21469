"""Handlers for the 'users' operations of the document."""
import flask

from api import auth
from handlers.stub import stub


@stub("GetServerLimits")
def get_server_limits(**kwargs):
    """GET /api/v4/limits/server"""


@stub("GetUsersForReporting")
def get_users_for_reporting(**kwargs):
    """GET /api/v4/reports/users"""


@stub("CreateUser")
def create_user(**kwargs):
    """POST /api/v4/users"""


@stub("GetUsers")
def get_users(**kwargs):
    """GET /api/v4/users"""


@stub("PermanentDeleteAllUsers")
def permanent_delete_all_users(**kwargs):
    """DELETE /api/v4/users"""


@stub("AutocompleteUsers")
def autocomplete_users(**kwargs):
    """GET /api/v4/users/autocomplete"""


@stub("VerifyUserEmail")
def verify_user_email(**kwargs):
    """POST /api/v4/users/email/verify"""


@stub("SendVerificationEmail")
def send_verification_email(**kwargs):
    """POST /api/v4/users/email/verify/send"""


@stub("GetUserByEmail")
def get_user_by_email(**kwargs):
    """GET /api/v4/users/email/{email}"""


@stub("GetUsersByGroupChannelIds")
def get_users_by_group_channel_ids(**kwargs):
    """POST /api/v4/users/group_channels"""


@stub("GetUsersByIds")
def get_users_by_ids(**kwargs):
    """POST /api/v4/users/ids"""


@stub("GetUsersWithInvalidEmails")
def get_users_with_invalid_emails(**kwargs):
    """GET /api/v4/users/invalid_emails"""


@stub("GetKnownUsers")
def get_known_users(**kwargs):
    """GET /api/v4/users/known"""


@stub("Login")
def login(**kwargs):
    """POST /api/v4/users/login"""


@stub("LoginByCwsToken")
def login_by_cws_token(**kwargs):
    """POST /api/v4/users/login/cws"""


@stub("LoginSSOCodeExchange")
def login_sso_code_exchange(**kwargs):
    """POST /api/v4/users/login/sso/code-exchange"""


@stub("SwitchAccountType")
def switch_account_type(**kwargs):
    """POST /api/v4/users/login/switch"""



@stub("CheckUserMfa")
def check_user_mfa(**kwargs):
    """POST /api/v4/users/mfa"""


@stub("MigrateAuthToLdap")
def migrate_auth_to_ldap(**kwargs):
    """POST /api/v4/users/migrate_auth/ldap"""


@stub("MigrateAuthToSaml")
def migrate_auth_to_saml(**kwargs):
    """POST /api/v4/users/migrate_auth/saml"""


@stub("ResetPassword")
def reset_password(**kwargs):
    """POST /api/v4/users/password/reset"""


@stub("SendPasswordResetEmail")
def send_password_reset_email(**kwargs):
    """POST /api/v4/users/password/reset/send"""


@stub("SearchUsers")
def search_users(**kwargs):
    """POST /api/v4/users/search"""


@stub("AttachDeviceExtraProps")
def attach_device_extra_props(**kwargs):
    """PUT /api/v4/users/sessions/device"""


@stub("RevokeSessionsFromAllUsers")
def revoke_sessions_from_all_users(**kwargs):
    """POST /api/v4/users/sessions/revoke/all"""


@stub("GetTotalUsersStats")
def get_total_users_stats(**kwargs):
    """GET /api/v4/users/stats"""


@stub("GetTotalUsersStatsFiltered")
def get_total_users_stats_filtered(**kwargs):
    """GET /api/v4/users/stats/filtered"""


@stub("GetUserAccessTokens")
def get_user_access_tokens(**kwargs):
    """GET /api/v4/users/tokens"""


@stub("DisableUserAccessToken")
def disable_user_access_token(**kwargs):
    """POST /api/v4/users/tokens/disable"""


@stub("EnableUserAccessToken")
def enable_user_access_token(**kwargs):
    """POST /api/v4/users/tokens/enable"""


@stub("RevokeUserAccessToken")
def revoke_user_access_token(**kwargs):
    """POST /api/v4/users/tokens/revoke"""


@stub("SearchUserAccessTokens")
def search_user_access_tokens(**kwargs):
    """POST /api/v4/users/tokens/search"""


@stub("GetUserAccessToken")
def get_user_access_token(**kwargs):
    """GET /api/v4/users/tokens/{token_id}"""


@stub("GetUserByUsername")
def get_user_by_username(**kwargs):
    """GET /api/v4/users/username/{username}"""


@stub("GetUsersByUsernames")
def get_users_by_usernames(**kwargs):
    """POST /api/v4/users/usernames"""


@stub("GetUser")
def get_user(**kwargs):
    """GET /api/v4/users/{user_id}"""


@stub("UpdateUser")
def update_user(**kwargs):
    """PUT /api/v4/users/{user_id}"""


@stub("DeleteUser")
def delete_user(**kwargs):
    """DELETE /api/v4/users/{user_id}"""


@stub("UpdateUserActive")
def update_user_active(**kwargs):
    """PUT /api/v4/users/{user_id}/active"""


@stub("GetUserAudits")
def get_user_audits(**kwargs):
    """GET /api/v4/users/{user_id}/audits"""


@stub("UpdateUserAuth")
def update_user_auth(**kwargs):
    """PUT /api/v4/users/{user_id}/auth"""


@stub("GetChannelMembersWithTeamDataForUser")
def get_channel_members_with_team_data_for_user(**kwargs):
    """GET /api/v4/users/{user_id}/channel_members"""


@stub("DemoteUserToGuest")
def demote_user_to_guest(**kwargs):
    """POST /api/v4/users/{user_id}/demote"""


@stub("VerifyUserEmailWithoutToken")
def verify_user_email_without_token(**kwargs):
    """POST /api/v4/users/{user_id}/email/verify/member"""


@stub("GetProfileImage")
def get_profile_image(**kwargs):
    """GET /api/v4/users/{user_id}/image"""


@stub("SetProfileImage")
def set_profile_image(**kwargs):
    """POST /api/v4/users/{user_id}/image"""


@stub("SetDefaultProfileImage")
def set_default_profile_image(**kwargs):
    """DELETE /api/v4/users/{user_id}/image"""


@stub("GetDefaultProfileImage")
def get_default_profile_image(**kwargs):
    """GET /api/v4/users/{user_id}/image/default"""


@stub("UpdateUserMfa")
def update_user_mfa(**kwargs):
    """PUT /api/v4/users/{user_id}/mfa"""


@stub("GenerateMfaSecret")
def generate_mfa_secret(**kwargs):
    """POST /api/v4/users/{user_id}/mfa/generate"""


@stub("UpdateUserPassword")
def update_user_password(**kwargs):
    """PUT /api/v4/users/{user_id}/password"""


@stub("PatchUser")
def patch_user(**kwargs):
    """PUT /api/v4/users/{user_id}/patch"""


@stub("PromoteGuestToUser")
def promote_guest_to_user(**kwargs):
    """POST /api/v4/users/{user_id}/promote"""


@stub("resetPasswordFailedAttempts")
def reset_password_failed_attempts(**kwargs):
    """POST /api/v4/users/{user_id}/reset_failed_attempts"""


@stub("UpdateUserRoles")
def update_user_roles(**kwargs):
    """PUT /api/v4/users/{user_id}/roles"""


@stub("GetSessions")
def get_sessions(**kwargs):
    """GET /api/v4/users/{user_id}/sessions"""


@stub("RevokeSession")
def revoke_session(**kwargs):
    """POST /api/v4/users/{user_id}/sessions/revoke"""


@stub("RevokeAllSessions")
def revoke_all_sessions(**kwargs):
    """POST /api/v4/users/{user_id}/sessions/revoke/all"""


@stub("RegisterTermsOfServiceAction")
def register_terms_of_service_action(**kwargs):
    """POST /api/v4/users/{user_id}/terms_of_service"""


@stub("GetUserTermsOfService")
def get_user_terms_of_service(**kwargs):
    """GET /api/v4/users/{user_id}/terms_of_service"""


@stub("CreateUserAccessToken")
def create_user_access_token(**kwargs):
    """POST /api/v4/users/{user_id}/tokens"""


@stub("GetUserAccessTokensForUser")
def get_user_access_tokens_for_user(**kwargs):
    """GET /api/v4/users/{user_id}/tokens"""


@stub("PublishUserTyping")
def publish_user_typing(**kwargs):
    """POST /api/v4/users/{user_id}/typing"""


@stub("GetUploadsForUser")
def get_uploads_for_user(**kwargs):
    """GET /api/v4/users/{user_id}/uploads"""


def logout():
    """End the caller's browser session: the session cookies are expired, as
    Mattermost does, whether or not a session was sent."""
    response = flask.jsonify({"status": "OK"})
    for cookie in (auth.SESSION_COOKIE, auth.USER_COOKIE, auth.CSRF_COOKIE):
        response.delete_cookie(cookie, path="/")
    return response
