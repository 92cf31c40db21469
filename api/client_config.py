"""The configuration clients read (GET /api/v4/config/client?format=old) and the
license they see (GET /api/v4/license/client?format=old).

Mattermost sends a flat map of strings: a limited one to anonymous callers
(enough to draw the login page) and a full one to logged-in users. The keys and
the values an unlicensed Team Edition server gives are Mattermost's; features
that need a license show as off.
"""
import hashlib
import json

from api.config import BUILD_NUMBER, VERSION


def _s(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ",".join(str(v) for v in value)
    return str(value)


def limited(config, telemetry_id=""):
    """The map every caller gets, logged in or not."""
    svc, team, email = config["ServiceSettings"], config["TeamSettings"], config["EmailSettings"]
    support, password = config["SupportSettings"], config["PasswordSettings"]
    req, log, guest = config["ClientRequirements"], config["LogSettings"], config["GuestAccountsSettings"]
    values = {
        "Version": VERSION,
        "BuildNumber": BUILD_NUMBER,
        "BuildDate": "",
        "BuildHash": "",
        "BuildHashEnterprise": "none",
        "BuildEnterpriseReady": False,
        "ServiceEnvironment": "production",
        "IsFipsEnabled": False,
        "EnableBotAccountCreation": svc["EnableBotAccountCreation"],
        "EnableFile": log["EnableFile"],
        "FileLevel": log["FileLevel"],
        "SiteURL": svc["SiteURL"].rstrip("/"),
        "SiteName": team["SiteName"],
        "WebsocketURL": svc["WebsocketURL"].rstrip("/"),
        "WebsocketPort": svc["WebsocketPort"],
        "WebsocketSecurePort": svc["WebsocketSecurePort"],
        "EnableUserCreation": team["EnableUserCreation"],
        "EnableOpenServer": team["EnableOpenServer"],
        "EnableJoinLeaveMessageByDefault": team["EnableJoinLeaveMessageByDefault"],
        "AndroidLatestVersion": req["AndroidLatestVersion"],
        "AndroidMinVersion": req["AndroidMinVersion"],
        "IosLatestVersion": req["IosLatestVersion"],
        "IosMinVersion": req["IosMinVersion"],
        "EnableDiagnostics": log["EnableDiagnostics"],
        "EnableClientMetrics": False,
        "EnableComplianceExport": False,
        "EnableSignUpWithEmail": email["EnableSignUpWithEmail"],
        "EnableSignInWithEmail": email["EnableSignInWithEmail"],
        "EnableSignInWithUsername": email["EnableSignInWithUsername"],
        "EmailLoginButtonColor": "#0000",
        "EmailLoginButtonBorderColor": "#2389D7",
        "EmailLoginButtonTextColor": "#2389D7",
        "TermsOfServiceLink": support["TermsOfServiceLink"],
        "PrivacyPolicyLink": support["PrivacyPolicyLink"],
        "AboutLink": support["AboutLink"],
        "HelpLink": support["HelpLink"],
        "ReportAProblemLink": support["ReportAProblemLink"],
        "ForgotPasswordLink": "",
        "SupportEmail": support["SupportEmail"],
        "EnableAskCommunityLink": support["EnableAskCommunityLink"],
        "DefaultClientLocale": config["LocalizationSettings"]["DefaultClientLocale"],
        "EnableCustomEmoji": svc["EnableCustomEmoji"],
        "EnableUserStatuses": svc["EnableUserStatuses"],
        "AppDownloadLink": "https://mattermost.com/pl/download-apps",
        "AndroidAppDownloadLink": "https://mattermost.com/pl/android-app/",
        "IosAppDownloadLink": "https://mattermost.com/pl/ios-app/",
        "DiagnosticId": telemetry_id,
        "TelemetryId": telemetry_id,
        "DiagnosticsEnabled": log["EnableDiagnostics"],
        "HasImageProxy": config["ImageProxySettings"]["Enable"],
        "PluginsEnabled": config["PluginSettings"]["Enable"],
        "AppsPluginEnabled": False,
        "PasswordMinimumLength": password["MinimumLength"],
        "PasswordRequireLowercase": password["Lowercase"],
        "PasswordRequireUppercase": password["Uppercase"],
        "PasswordRequireNumber": password["Number"],
        "PasswordRequireSymbol": password["Symbol"],
        "PasswordEnableForgotLink": password["EnableForgotLink"],
        "EnableCustomBrand": team["EnableCustomBrand"],
        "CustomBrandText": team["CustomBrandText"],
        "CustomDescriptionText": team["CustomDescriptionText"],
        # Directory and single sign-on logins need a license: off, as unlicensed.
        "EnableLdap": False,
        "LdapLoginFieldName": "",
        "LdapLoginButtonColor": "",
        "LdapLoginButtonBorderColor": "",
        "LdapLoginButtonTextColor": "",
        "EnableSaml": False,
        "SamlLoginButtonText": "",
        "SamlLoginButtonColor": "",
        "SamlLoginButtonBorderColor": "",
        "SamlLoginButtonTextColor": "",
        "EnableSignUpWithGoogle": False,
        "EnableSignUpWithOffice365": False,
        "EnableSignUpWithOpenId": False,
        "OpenIdButtonText": "",
        "OpenIdButtonColor": "",
        "CWSURL": "",
        "EnableMultifactorAuthentication": svc["EnableMultifactorAuthentication"],
        "EnforceMultifactorAuthentication": False,
        "EnableGuestAccounts": guest["Enable"],
        "HideGuestTags": guest["HideTags"],
        "GuestAccountsEnforceMultifactorAuthentication": guest["EnforceMultifactorAuthentication"],
    }
    for name, value in (config.get("FeatureFlags") or {}).items():
        values["FeatureFlag" + name] = value
    return {k: _s(v) for k, v in values.items()}


def full(config, telemetry_id="", computed=None):
    """The map a logged-in user gets: the limited one and the rest."""
    svc, team, email = config["ServiceSettings"], config["TeamSettings"], config["EmailSettings"]
    files, privacy = config["FileSettings"], config["PrivacySettings"]
    values = {
        "EnableCustomUserStatuses": team["EnableCustomUserStatuses"],
        "EnableLastActiveTime": team["EnableLastActiveTime"],
        "EnableUserDeactivation": team["EnableUserDeactivation"],
        "RestrictDirectMessage": team["RestrictDirectMessage"],
        "EnableChannelCategorySorting": team["EnableChannelCategorySorting"],
        "TeammateNameDisplay": team["TeammateNameDisplay"],
        "LockTeammateNameDisplay": team["LockTeammateNameDisplay"],
        "ExperimentalPrimaryTeam": team["ExperimentalPrimaryTeam"],
        "ExperimentalViewArchivedChannels": team["ExperimentalViewArchivedChannels"],
        "EnableOAuthServiceProvider": svc["EnableOAuthServiceProvider"],
        "GoogleDeveloperKey": "",
        "EnableIncomingWebhooks": svc["EnableIncomingWebhooks"],
        "EnableOutgoingWebhooks": svc["EnableOutgoingWebhooks"],
        "EnableOutgoingOAuthConnections": svc["EnableOutgoingOAuthConnections"],
        "EnableCommands": svc["EnableCommands"],
        "EnablePostUsernameOverride": svc["EnablePostUsernameOverride"],
        "EnablePostIconOverride": svc["EnablePostIconOverride"],
        "EnableUserAccessTokens": svc["EnableUserAccessTokens"],
        "EnableLinkPreviews": svc["EnableLinkPreviews"],
        "EnablePermalinkPreviews": svc["EnablePermalinkPreviews"],
        "EnableTesting": svc["EnableTesting"],
        "EnableDeveloper": svc["EnableDeveloper"],
        "EnableClientPerformanceDebugging": svc["EnableClientPerformanceDebugging"],
        "PostEditTimeLimit": svc["PostEditTimeLimit"],
        "MinimumHashtagLength": svc["MinimumHashtagLength"],
        "EnableTutorial": svc["EnableTutorial"],
        "EnableOnboardingFlow": svc["EnableOnboardingFlow"],
        "ExperimentalEnableDefaultChannelLeaveJoinMessages": svc["ExperimentalEnableDefaultChannelLeaveJoinMessages"],
        "ExperimentalGroupUnreadChannels": svc["ExperimentalGroupUnreadChannels"],
        "EnableSVGs": svc["EnableSVGs"],
        "EnableMarketplace": True,
        "EnableLatex": svc["EnableLatex"],
        "EnableInlineLatex": svc["EnableInlineLatex"],
        "ExtendSessionLengthWithActivity": svc["ExtendSessionLengthWithActivity"],
        "ManagedResourcePaths": "",
        "ExperimentalEnablePostMetadata": True,
        "DisableAppBar": False,
        "ExperimentalEnableAutomaticReplies": team["ExperimentalEnableAutomaticReplies"],
        "ExperimentalTimezone": True,
        "SendEmailNotifications": email["SendEmailNotifications"],
        "SendPushNotifications": email["SendPushNotifications"],
        "RequireEmailVerification": email["RequireEmailVerification"],
        "EnableEmailBatching": email["EnableEmailBatching"],
        "EnablePreviewModeBanner": email["EnablePreviewModeBanner"],
        "EmailNotificationContentsType": email["EmailNotificationContentsType"],
        "ShowEmailAddress": privacy["ShowEmailAddress"],
        "ShowFullName": privacy["ShowFullName"],
        "EnableFileAttachments": files["EnableFileAttachments"],
        "EnablePublicLink": files["EnablePublicLink"],
        "AvailableLocales": config["LocalizationSettings"]["AvailableLocales"],
        "SQLDriverName": config["SqlSettings"]["DriverName"],
        "EnableEmojiPicker": svc["EnableEmojiPicker"],
        "EnableGifPicker": svc["EnableGifPicker"],
        "MaxFileSize": files["MaxFileSize"],
        "MaxNotificationsPerChannel": team["MaxNotificationsPerChannel"],
        "EnableConfirmNotificationsToChannel": team["EnableConfirmNotificationsToChannel"],
        "TimeBetweenUserTypingUpdatesMilliseconds": svc["TimeBetweenUserTypingUpdatesMilliseconds"],
        "EnableUserTypingMessages": svc["EnableUserTypingMessages"],
        "EnableChannelViewedMessages": svc["EnableChannelViewedMessages"],
        "RunJobs": True,
        "EnableEmailInvitations": svc["EnableEmailInvitations"],
        "DisableRefetchingOnBrowserFocus": False,
        "DisableWakeUpReconnectHandler": False,
        "UsersStatusAndProfileFetchingPollIntervalMilliseconds": 3000,
        "EnableCrossTeamSearch": svc["EnableCrossTeamSearch"],
        "ExperimentalEnableAuthenticationTransfer": True,
        "EnableCompliance": False,
        "EnableMobileFileDownload": files["EnableMobileDownload"],
        "EnableMobileFileUpload": files["EnableMobileUpload"],
        "EnableCluster": False,
        "EnableMetrics": False,
        "EnableBanner": False,
        "BannerText": "",
        "BannerColor": "",
        "BannerTextColor": "",
        "AllowBannerDismissal": False,
        "EnableThemeSelection": True,
        "DefaultTheme": "",
        "AllowCustomThemes": True,
        "AllowedThemes": "",
        "DataRetentionEnableMessageDeletion": False,
        "DataRetentionMessageRetentionHours": 0,
        "DataRetentionEnableFileDeletion": False,
        "DataRetentionFileRetentionHours": 0,
        "CustomUrlSchemes": config["DisplaySettings"]["CustomURLSchemes"],
        "MaxMarkdownNodes": config["DisplaySettings"]["MaxMarkdownNodes"],
        "IsDefaultMarketplace": True,
        "ExperimentalSharedChannels": False,
        "CollapsedThreads": svc["CollapsedThreads"],
        "EnableCustomGroups": False,
        "PostPriority": svc["PostPriority"],
        "AllowPersistentNotifications": svc["AllowPersistentNotifications"],
        "AllowPersistentNotificationsForGuests": False,
        "PersistentNotificationMaxCount": 6,
        "PersistentNotificationIntervalMinutes": 5,
        "PersistentNotificationMaxRecipients": 5,
        "AllowSyncedDrafts": False,   # the drafts endpoints are not built: clients keep drafts locally
        "DelayChannelAutocomplete": False,
        "UniqueEmojiReactionLimitPerPost": svc["UniqueEmojiReactionLimitPerPost"],
    }
    result = limited(config, telemetry_id)
    result.update({k: _s(v) for k, v in values.items()})
    result.update({k: _s(v) for k, v in (computed or {}).items()})
    return result


def config_hash(config):
    """Changes whenever what clients see of the config does (part of X-Version-Id)."""
    blob = json.dumps(full(config), sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha256(blob).hexdigest()


def unlicensed():
    """What an unlicensed server reports of its license."""
    return {"IsLicensed": "false"}
