"""Table definitions. Column names follow Mattermost's schema where it has one."""
import peewee

from store.db import database


class BaseModel(peewee.Model):
    class Meta:
        database = database
        legacy_table_names = False


class SchemaMigration(BaseModel):
    """One applied schema migration."""
    version = peewee.IntegerField(primary_key=True)
    name = peewee.CharField(max_length=128)
    applied_at = peewee.BigIntegerField()

    class Meta:
        table_name = "schema_migrations"


class System(BaseModel):
    """Server-wide key/value facts, as in Mattermost's Systems table."""
    name = peewee.CharField(max_length=64, primary_key=True, column_name="name")
    value = peewee.TextField(column_name="value")

    class Meta:
        table_name = "systems"


class JSONField(peewee.TextField):
    """A JSON object kept as text (Mattermost's props, notify_props, timezone)."""

    def db_value(self, value):
        import json
        return None if value is None else json.dumps(value, separators=(",", ":"), sort_keys=True)

    def python_value(self, value):
        import json
        return {} if not value else json.loads(value)


class User(BaseModel):
    """An account, with Mattermost's Users columns. Bots are users too."""
    id = peewee.CharField(max_length=26, primary_key=True)
    create_at = peewee.BigIntegerField()
    update_at = peewee.BigIntegerField()
    delete_at = peewee.BigIntegerField(default=0, index=True)
    username = peewee.CharField(max_length=64, unique=True)
    password = peewee.CharField(max_length=128, default="")
    auth_data = peewee.CharField(max_length=128, null=True)
    auth_service = peewee.CharField(max_length=32, default="")
    email = peewee.CharField(max_length=128, unique=True)
    email_verified = peewee.BooleanField(default=False)
    nickname = peewee.CharField(max_length=64, default="")
    first_name = peewee.CharField(max_length=64, default="")
    last_name = peewee.CharField(max_length=64, default="")
    position = peewee.CharField(max_length=128, default="")
    roles = peewee.CharField(max_length=256, default="")
    allow_marketing = peewee.BooleanField(default=False)
    props = JSONField(default=dict)
    notify_props = JSONField(default=dict)
    last_password_update = peewee.BigIntegerField(default=0)
    last_picture_update = peewee.BigIntegerField(default=0)
    failed_attempts = peewee.IntegerField(default=0)
    locale = peewee.CharField(max_length=5, default="en")
    timezone = JSONField(default=dict)
    mfa_active = peewee.BooleanField(default=False)
    mfa_secret = peewee.CharField(max_length=128, default="")
    remote_id = peewee.CharField(max_length=26, null=True)
    last_login = peewee.BigIntegerField(default=0)
    is_bot = peewee.BooleanField(default=False)

    class Meta:
        table_name = "users"


class Session(BaseModel):
    """A login session or personal access token use, as Mattermost's Sessions."""
    id = peewee.CharField(max_length=26, primary_key=True)
    token = peewee.CharField(max_length=26, unique=True)
    create_at = peewee.BigIntegerField()
    expires_at = peewee.BigIntegerField(index=True)
    last_activity_at = peewee.BigIntegerField()
    user_id = peewee.CharField(max_length=26, index=True)
    device_id = peewee.CharField(max_length=512, default="")
    roles = peewee.CharField(max_length=256, default="")
    is_oauth = peewee.BooleanField(default=False)
    expired_notify = peewee.BooleanField(default=False)
    props = JSONField(default=dict)
    local = peewee.BooleanField(default=False)

    class Meta:
        table_name = "sessions"


class Role(BaseModel):
    """A role and the permissions it grants (space-separated, as Mattermost stores them)."""
    id = peewee.CharField(max_length=26, primary_key=True)
    name = peewee.CharField(max_length=64, unique=True)
    display_name = peewee.CharField(max_length=128)
    description = peewee.TextField(default="")
    create_at = peewee.BigIntegerField()
    update_at = peewee.BigIntegerField()
    delete_at = peewee.BigIntegerField(default=0)
    permissions = peewee.TextField(default="")
    scheme_managed = peewee.BooleanField(default=False)
    built_in = peewee.BooleanField(default=False)

    class Meta:
        table_name = "roles"


class Preference(BaseModel):
    """A user's setting: (category, name) -> value, as Mattermost's Preferences."""
    user_id = peewee.CharField(max_length=26)
    category = peewee.CharField(max_length=32)
    name = peewee.CharField(max_length=32)
    value = peewee.TextField(default="")

    class Meta:
        table_name = "preferences"
        primary_key = peewee.CompositeKey("user_id", "category", "name")


class Status(BaseModel):
    """A user's presence, as Mattermost's Status table."""
    user_id = peewee.CharField(max_length=26, primary_key=True)
    status = peewee.CharField(max_length=32, default="offline")
    manual = peewee.BooleanField(default=False)
    last_activity_at = peewee.BigIntegerField(default=0)
    dnd_end_time = peewee.BigIntegerField(default=0)
    prev_status = peewee.CharField(max_length=32, default="")

    class Meta:
        table_name = "status"


class UserAccessToken(BaseModel):
    """A personal access token, as Mattermost's UserAccessTokens."""
    id = peewee.CharField(max_length=26, primary_key=True)
    token = peewee.CharField(max_length=26, unique=True)
    user_id = peewee.CharField(max_length=26, index=True)
    description = peewee.CharField(max_length=512, default="")
    is_active = peewee.BooleanField(default=True)

    class Meta:
        table_name = "user_access_tokens"


class Audit(BaseModel):
    """A security-relevant action, as Mattermost's Audits."""
    id = peewee.CharField(max_length=26, primary_key=True)
    create_at = peewee.BigIntegerField(index=True)
    user_id = peewee.CharField(max_length=26, index=True)
    action = peewee.CharField(max_length=512)
    extra_info = peewee.CharField(max_length=1024, default="")
    ip_address = peewee.CharField(max_length=64, default="")
    session_id = peewee.CharField(max_length=26, default="")

    class Meta:
        table_name = "audits"


class TermsOfService(BaseModel):
    id = peewee.CharField(max_length=26, primary_key=True)
    create_at = peewee.BigIntegerField()
    user_id = peewee.CharField(max_length=26)
    text = peewee.TextField()

    class Meta:
        table_name = "terms_of_service"


class UserTermsOfService(BaseModel):
    """The terms a user last accepted."""
    user_id = peewee.CharField(max_length=26, primary_key=True)
    terms_of_service_id = peewee.CharField(max_length=26)
    create_at = peewee.BigIntegerField()

    class Meta:
        table_name = "user_terms_of_service"


class Bot(BaseModel):
    """The bot side of a bot account (the account itself is a User with is_bot)."""
    user_id = peewee.CharField(max_length=26, primary_key=True)
    description = peewee.CharField(max_length=1024, default="")
    owner_id = peewee.CharField(max_length=190, index=True)
    create_at = peewee.BigIntegerField()
    update_at = peewee.BigIntegerField()
    delete_at = peewee.BigIntegerField(default=0)
    last_icon_update = peewee.BigIntegerField(default=0)

    class Meta:
        table_name = "bots"


class Token(BaseModel):
    """A one-time token mailed to a user (password reset, email verification), as
    Mattermost's Tokens: type says what it is for, extra holds JSON."""
    token = peewee.CharField(max_length=64, primary_key=True)
    create_at = peewee.BigIntegerField()
    type = peewee.CharField(max_length=64)
    extra = peewee.TextField(default="")

    class Meta:
        table_name = "tokens"


class Scheme(BaseModel):
    """A permission scheme overriding default roles for teams or channels."""
    id = peewee.CharField(max_length=26, primary_key=True)
    name = peewee.CharField(max_length=64)
    display_name = peewee.CharField(max_length=128)
    description = peewee.CharField(max_length=1024, default="")
    create_at = peewee.BigIntegerField()
    update_at = peewee.BigIntegerField()
    delete_at = peewee.BigIntegerField(default=0)
    scope = peewee.CharField(max_length=32)
    default_team_admin_role = peewee.CharField(max_length=64, default="")
    default_team_user_role = peewee.CharField(max_length=64, default="")
    default_team_guest_role = peewee.CharField(max_length=64, default="")
    default_channel_admin_role = peewee.CharField(max_length=64, default="")
    default_channel_user_role = peewee.CharField(max_length=64, default="")
    default_channel_guest_role = peewee.CharField(max_length=64, default="")

    class Meta:
        table_name = "schemes"
