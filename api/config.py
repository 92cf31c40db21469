"""Configuration shaped like Mattermost's config.json.

The file is JSON with Mattermost's sections (ServiceSettings, TeamSettings,
SqlSettings, ...). Its path comes from --config, else the MM_CONFIG environment
variable, else config/config.json. Settings missing from the file take
Mattermost's defaults. Any setting can be overridden by an environment variable
MM_<SECTION>_<SETTING>, upper-case, e.g. MM_SQLSETTINGS_DATASOURCE; the value is
read as the setting's type (true/false, a whole number, a space-separated list).
Overrides are never written back to the file.

Where this server differs from Mattermost, it is in settings Mattermost does not
have (the SQLite driver, PythonSettings) or in defaults that let it run with
nothing installed: SqlSettings.DriverName is "sqlite" with a file under ./data.
"""
import copy
import json
import os

DEFAULT_PATH = os.path.join("config", "config.json")

VERSION = "10.11.0"          # the Mattermost server version whose API this serves
BUILD_NUMBER = "py"          # identifies this implementation in X-Version-Id and client config

DEFAULTS = {
    "ServiceSettings": {
        "SiteURL": "",
        "WebsocketURL": "",
        "LicenseFileLocation": "",
        "ListenAddress": ":8065",
        "ConnectionSecurity": "",
        "TLSCertFile": "",
        "TLSKeyFile": "",
        "ReadTimeout": 300,
        "WriteTimeout": 300,
        "IdleTimeout": 60,
        "MaximumLoginAttempts": 10,
        "GoroutineHealthThreshold": -1,
        "EnableOAuthServiceProvider": True,
        "EnableIncomingWebhooks": True,
        "EnableOutgoingWebhooks": True,
        "EnableOutgoingOAuthConnections": False,
        "EnableCommands": True,
        "EnablePostUsernameOverride": False,
        "EnablePostIconOverride": False,
        "EnableLinkPreviews": True,
        "EnablePermalinkPreviews": True,
        "RestrictLinkPreviews": "",
        "EnableTesting": False,
        "EnableDeveloper": False,
        "EnableClientPerformanceDebugging": False,
        "EnableSecurityFixAlert": True,
        "EnableInsecureOutgoingConnections": False,
        "AllowedUntrustedInternalConnections": "",
        "EnableMultifactorAuthentication": False,
        "EnforceMultifactorAuthentication": False,
        "EnableUserAccessTokens": False,
        "AllowCorsFrom": "",
        "CorsExposedHeaders": "",
        "CorsAllowCredentials": False,
        "CorsDebug": False,
        "AllowCookiesForSubdomains": False,
        "ExtendSessionLengthWithActivity": True,
        "TerminateSessionsOnPasswordChange": True,
        "SessionLengthWebInHours": 720,
        "SessionLengthMobileInHours": 720,
        "SessionLengthSSOInHours": 720,
        "SessionCacheInMinutes": 10,
        "SessionIdleTimeoutInMinutes": 43200,
        "WebsocketSecurePort": 443,
        "WebsocketPort": 80,
        "WebserverMode": "gzip",
        "EnableGifPicker": True,
        "EnableCustomEmoji": True,
        "EnableEmojiPicker": True,
        "PostEditTimeLimit": -1,
        "TimeBetweenUserTypingUpdatesMilliseconds": 5000,
        "EnablePostSearch": True,
        "EnableFileSearch": True,
        "MinimumHashtagLength": 3,
        "EnableUserTypingMessages": True,
        "EnableChannelViewedMessages": True,
        "EnableUserStatuses": True,
        "EnableTutorial": True,
        "EnableOnboardingFlow": True,
        "ExperimentalEnableDefaultChannelLeaveJoinMessages": True,
        "ExperimentalGroupUnreadChannels": "disabled",
        "EnableAPITeamDeletion": False,
        "EnableAPIUserDeletion": False,
        "EnableAPIChannelDeletion": False,
        "ExperimentalEnableHardenedMode": False,
        "ExperimentalStrictCSRFEnforcement": False,
        "EnableEmailInvitations": False,
        "DisableBotsWhenOwnerIsDeactivated": True,
        "EnableBotAccountCreation": False,
        "EnableSVGs": False,
        "EnableLatex": False,
        "EnableInlineLatex": True,
        "PostPriority": True,
        "AllowPersistentNotifications": True,
        "EnableLocalMode": False,
        "CollapsedThreads": "always_on",
        "EnableCustomGroups": True,
        "ThreadAutoFollow": True,
        "MaximumPayloadSizeBytes": 300000,
        "MaximumURLLength": 2048,
        "ScheduledPosts": True,
        "EnableCrossTeamSearch": True,
        "UniqueEmojiReactionLimitPerPost": 50,
    },
    "TeamSettings": {
        "SiteName": "Mattermost",
        "MaxUsersPerTeam": 50,
        "EnableJoinLeaveMessageByDefault": True,
        "EnableUserCreation": True,
        "EnableOpenServer": False,
        "EnableUserDeactivation": False,
        "RestrictCreationToDomains": "",
        "EnableCustomUserStatuses": True,
        "EnableCustomBrand": False,
        "CustomBrandText": "",
        "CustomDescriptionText": "",
        "RestrictDirectMessage": "any",
        "EnableChannelCategorySorting": True,
        "EnableLastActiveTime": True,
        "UserStatusAwayTimeout": 300,
        "MaxChannelsPerTeam": 2000,
        "MaxNotificationsPerChannel": 1000,
        "EnableConfirmNotificationsToChannel": True,
        "TeammateNameDisplay": "username",
        "ExperimentalViewArchivedChannels": True,
        "ExperimentalEnableAutomaticReplies": False,
        "LockTeammateNameDisplay": False,
        "ExperimentalPrimaryTeam": "",
        "ExperimentalDefaultChannels": [],
    },
    "ClientRequirements": {
        "AndroidLatestVersion": "",
        "AndroidMinVersion": "",
        "IosLatestVersion": "",
        "IosMinVersion": "",
    },
    "SqlSettings": {
        # Mattermost's default driver is "postgres"; this server also has "sqlite".
        "DriverName": "sqlite",
        "DataSource": os.path.join("data", "mattermost.db"),
        "DataSourceReplicas": [],
        "MaxIdleConns": 20,
        "MaxOpenConns": 100,
        "ConnMaxLifetimeMilliseconds": 3600000,
        "ConnMaxIdleTimeMilliseconds": 300000,
        "Trace": False,
        "AtRestEncryptKey": "",
        "QueryTimeout": 30,
        "DisableDatabaseSearch": False,
    },
    "LogSettings": {
        "EnableConsole": True,
        "ConsoleLevel": "INFO",
        "ConsoleJson": True,
        "EnableColor": False,
        "EnableFile": False,
        "FileLevel": "INFO",
        "FileJson": True,
        "FileLocation": "",
        "EnableWebhookDebugging": True,
        "EnableDiagnostics": False,
    },
    "PasswordSettings": {
        "MinimumLength": 8,
        "Lowercase": False,
        "Number": False,
        "Uppercase": False,
        "Symbol": False,
        "EnableForgotLink": True,
    },
    "FileSettings": {
        "EnableFileAttachments": True,
        "EnableMobileUpload": True,
        "EnableMobileDownload": True,
        "MaxFileSize": 104857600,
        "MaxImageResolution": 33177600,
        "MaxImageDecoderConcurrency": -1,
        "DriverName": "local",
        "Directory": os.path.join("data", ""),
        "EnablePublicLink": False,
        "ExtractContent": True,
        "PublicLinkSalt": "",
        "InitialFont": "nunito-bold.ttf",
    },
    "EmailSettings": {
        "EnableSignUpWithEmail": True,
        "EnableSignInWithEmail": True,
        "EnableSignInWithUsername": True,
        "SendEmailNotifications": True,
        "UseChannelInEmailNotifications": False,
        "RequireEmailVerification": False,
        "FeedbackName": "",
        "FeedbackEmail": "test@example.com",
        "ReplyToAddress": "test@example.com",
        "FeedbackOrganization": "",
        "EnableSMTPAuth": False,
        "SMTPUsername": "",
        "SMTPPassword": "",
        "SMTPServer": "localhost",
        "SMTPPort": "10025",
        "SMTPServerTimeout": 10,
        "ConnectionSecurity": "",
        "SkipServerCertificateVerification": False,
        "SendPushNotifications": True,
        "PushNotificationServer": "",
        "PushNotificationContents": "full",
        "EnableEmailBatching": False,
        "EmailNotificationContentsType": "full",
        "EnablePreviewModeBanner": True,
    },
    "RateLimitSettings": {
        "Enable": False,
        "PerSec": 10,
        "MaxBurst": 100,
        "MemoryStoreSize": 10000,
        "VaryByRemoteAddr": True,
        "VaryByUser": False,
        "VaryByHeader": "",
    },
    "PrivacySettings": {
        "ShowEmailAddress": True,
        "ShowFullName": True,
    },
    "SupportSettings": {
        "TermsOfServiceLink": "https://mattermost.com/pl/terms-of-use/",
        "PrivacyPolicyLink": "https://mattermost.com/pl/privacy-policy/",
        "AboutLink": "https://mattermost.com/pl/about-mattermost",
        "HelpLink": "https://mattermost.com/pl/help/",
        "ReportAProblemLink": "https://mattermost.com/pl/report-a-bug",
        "SupportEmail": "",
        "CustomTermsOfServiceEnabled": False,
        "CustomTermsOfServiceReAcceptancePeriod": 365,
        "EnableAskCommunityLink": True,
    },
    "AnnouncementSettings": {
        "EnableBanner": False,
        "BannerText": "",
        "BannerColor": "#f2a93b",
        "BannerTextColor": "#333333",
        "AllowBannerDismissal": True,
    },
    "LocalizationSettings": {
        "DefaultServerLocale": "en",
        "DefaultClientLocale": "en",
        "AvailableLocales": "",
    },
    "GuestAccountsSettings": {
        "Enable": False,
        "HideTags": False,
        "AllowEmailAccounts": True,
        "EnforceMultifactorAuthentication": False,
        "RestrictCreationToDomains": "",
    },
    "GitLabSettings": {"Enable": False},
    "GoogleSettings": {"Enable": False},
    "Office365Settings": {"Enable": False},
    "OpenIdSettings": {"Enable": False},
    "LdapSettings": {"Enable": False, "EnableSync": False},
    "SamlSettings": {"Enable": False},
    "ComplianceSettings": {"Enable": False},
    "ClusterSettings": {"Enable": False, "ClusterName": ""},
    "MetricsSettings": {"Enable": False, "ListenAddress": ":8067"},
    "ExperimentalSettings": {
        "ClientSideCertEnable": False,
        "LinkMetadataTimeoutMilliseconds": 5000,
        "RestrictSystemAdmin": False,
    },
    "PluginSettings": {"Enable": True, "EnableUploads": False},
    "DisplaySettings": {"CustomURLSchemes": [], "MaxMarkdownNodes": 0},
    "ImageProxySettings": {"Enable": False, "ImageProxyType": "local"},
    "FeatureFlags": {},
    # Settings of this implementation, not Mattermost's.
    "PythonSettings": {
        "Workers": 0,             # gunicorn worker processes; 0 means one per CPU core
        "GracefulTimeout": 30,    # seconds a worker has to finish requests on restart
        "WorkerConnections": 1000,
        # PBKDF2 iterations for new password hashes; Mattermost's is 600,000. Tests lower it.
        "PasswordWorkFactor": 600000,
        # Logins per second and burst per remote address; Mattermost's fixed 5 and 10.
        "LoginRateLimitPerSec": 5,
        "LoginRateLimitMaxBurst": 10,
    },
}


class Config(dict):
    """The effective configuration: a dict of sections, each a dict of settings."""

    def __init__(self, data, path=None, overrides=()):
        super().__init__(data)
        self.path = path
        self.overrides = list(overrides)   # the MM_* variables that were applied


def _merge(base, override):
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _merge(base[key], value)
        else:
            base[key] = value


def _parse_env_value(raw, default):
    if isinstance(default, bool):
        return raw.strip().lower() in ("1", "true", "yes", "on")
    if isinstance(default, int):
        try:
            return int(raw.strip())
        except ValueError:
            return default
    if isinstance(default, list):
        return raw.split()
    return raw


def apply_environment(data, environ):
    """Apply MM_<SECTION>_<SETTING> overrides to data in place; return the names applied."""
    applied = []
    sections = {name.upper(): name for name in data}
    for var, raw in environ.items():
        if not var.startswith("MM_") or var == "MM_CONFIG":
            continue
        rest = var[3:]
        for upper_section, section in sections.items():
            if not rest.startswith(upper_section + "_") or not isinstance(data[section], dict):
                continue
            setting_upper = rest[len(upper_section) + 1:]
            for setting, default in data[section].items():
                if setting.upper() == setting_upper:
                    data[section][setting] = _parse_env_value(raw, default)
                    applied.append(var)
                    break
            break
    return applied


def read_file(path):
    """The settings the file at path gives, over Mattermost's defaults, with no
    environment overrides: what `save` writes back."""
    data = copy.deepcopy(DEFAULTS)
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            try:
                from_file = json.load(f)
            except ValueError as e:
                raise SystemExit("config file %s is not valid JSON: %s" % (path, e))
        if not isinstance(from_file, dict):
            raise SystemExit("config file %s must hold a JSON object" % path)
        _merge(data, from_file)
    return data


def load(path=None, environ=None):
    """Load the configuration: defaults, then the file (if any), then the environment."""
    environ = os.environ if environ is None else environ
    path = path or environ.get("MM_CONFIG") or DEFAULT_PATH
    data = read_file(path)
    applied = apply_environment(data, environ)
    return Config(data, path=path, overrides=applied)


def save(path, data):
    """Write settings to path atomically (a reader never sees half a file)."""
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    temporary = "%s.%d.tmp" % (path, os.getpid())
    with open(temporary, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=4, sort_keys=False)
        f.write("\n")
    os.replace(temporary, path)


def set_value(data, name, raw):
    """Set the setting "Section.Setting" in data from the text raw, read as the
    type the setting has (true/false, a number, JSON for lists and objects).
    Raises KeyError for an unknown setting, ValueError for a value of the wrong type."""
    section, _, setting = name.partition(".")
    if not setting or section not in data or not isinstance(data[section], dict) \
            or setting not in data[section]:
        raise KeyError(name)
    current_value = data[section][setting]
    if isinstance(current_value, bool):
        lowered = raw.strip().lower()
        if lowered not in ("true", "false"):
            raise ValueError("%s takes true or false" % name)
        value = lowered == "true"
    elif isinstance(current_value, int):
        value = int(raw.strip())
    elif isinstance(current_value, (list, dict)) or current_value is None:
        value = json.loads(raw)
        if current_value is not None and not isinstance(value, type(current_value)):
            raise ValueError("%s takes a JSON %s" % (name, type(current_value).__name__))
    else:
        value = raw
    data[section][setting] = value
    return value


def write_defaults(path):
    """Write Mattermost-shaped defaults to path (used when no config file exists)."""
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(DEFAULTS, f, indent=4)
        f.write("\n")


def listen_address(config):
    """ServiceSettings.ListenAddress (":8065") as a host:port gunicorn can bind."""
    address = config["ServiceSettings"]["ListenAddress"] or ":8065"
    host, _, port = address.rpartition(":")
    return "%s:%s" % (host or "0.0.0.0", port or "8065")


def current():
    """The configuration of the app serving the current request."""
    import flask
    return flask.current_app.config["MM_CONFIG"]


# ---------------------------------------------------------------------------
# Secrets, environment overrides and reloading (GET/PUT /api/v4/config and
# every worker's reload when the configuration changes).

FAKE_SETTING = "********************************"   # Mattermost's stand-in for a secret

# (section, setting, when): the secrets Mattermost's Config.Sanitize masks;
# "always" masks the value even when empty, "set" only when it is not empty,
# "each" every item of a list.
SECRET_SETTINGS = (
    ("LdapSettings", "BindPassword", "set"),
    ("FileSettings", "PublicLinkSalt", "always"),
    ("FileSettings", "AmazonS3SecretAccessKey", "set"),
    ("FileSettings", "ExportAmazonS3SecretAccessKey", "set"),
    ("EmailSettings", "SMTPPassword", "set"),
    ("GitLabSettings", "Secret", "set"),
    ("GoogleSettings", "Secret", "set"),
    ("Office365Settings", "Secret", "set"),
    ("OpenIdSettings", "Secret", "set"),
    ("SqlSettings", "DataSource", "always"),
    ("SqlSettings", "AtRestEncryptKey", "always"),
    ("SqlSettings", "DataSourceReplicas", "each"),
    ("SqlSettings", "DataSourceSearchReplicas", "each"),
    ("ElasticsearchSettings", "Password", "always"),
    ("ServiceSettings", "SplitKey", "always"),
    ("CacheSettings", "RedisPassword", "always"),
)


def sanitized(data):
    """A deep copy of data with every secret replaced by FAKE_SETTING."""
    data = copy.deepcopy(dict(data))
    for section, setting, when in SECRET_SETTINGS:
        values = data.get(section)
        if not isinstance(values, dict) or setting not in values:
            continue
        value = values[setting]
        if when == "each":
            if isinstance(value, list):
                values[setting] = [FAKE_SETTING for _ in value]
        elif when == "always" or value:
            values[setting] = FAKE_SETTING
    return data


def desanitize(data, actual):
    """Put back in data (in place) the real value of every secret a client sent
    back as FAKE_SETTING, from actual."""
    for section, setting, when in SECRET_SETTINGS:
        values, real = data.get(section), actual.get(section)
        if not isinstance(values, dict) or not isinstance(real, dict) or setting not in real:
            continue
        value = values.get(setting)
        if when == "each":
            if isinstance(value, list) and isinstance(real[setting], list):
                values[setting] = [real[setting][i] if item == FAKE_SETTING and i < len(real[setting]) else item
                                   for i, item in enumerate(value)]
        elif value == FAKE_SETTING:
            values[setting] = copy.deepcopy(real[setting])
    return data


def overridden_settings(config):
    """[(section, setting)] that MM_* environment variables set in config."""
    found = []
    for var in getattr(config, "overrides", ()):
        rest = var[3:]
        for section, values in config.items():
            if not isinstance(values, dict) or not rest.startswith(section.upper() + "_"):
                continue
            wanted = rest[len(section) + 1:]
            for setting in values:
                if setting.upper() == wanted:
                    found.append((section, setting))
                    break
            break
    return found


def with_overrides(file_data, current):
    """The effective configuration for file_data (what the file holds): the
    settings the environment overrides in current keep their current values."""
    data = copy.deepcopy(file_data)
    for section, setting in overridden_settings(current):
        if isinstance(data.get(section), dict):
            data[section][setting] = copy.deepcopy(current[section][setting])
    return Config(data, path=getattr(current, "path", None), overrides=getattr(current, "overrides", ()))


def reload(current):
    """current's file read again, with current's environment overrides.
    Raises ValueError when the file is not a valid configuration."""
    try:
        return with_overrides(read_file(current.path or DEFAULT_PATH), current)
    except SystemExit as e:   # read_file's way of refusing a file at start
        raise ValueError(str(e))


def replace(app, new_config):
    """Make new_config the configuration app serves with (settings read per
    request follow at once; those read at start need a restart)."""
    app.config["MM_CONFIG"] = new_config
    from store import passwords
    passwords.set_work_factor(new_config["PythonSettings"].get("PasswordWorkFactor"))
