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


class Team(BaseModel):
    """A team, with Mattermost's Teams columns. type is "O" (open) or "I" (invite only)."""
    id = peewee.CharField(max_length=26, primary_key=True)
    create_at = peewee.BigIntegerField()
    update_at = peewee.BigIntegerField()
    delete_at = peewee.BigIntegerField(default=0)
    display_name = peewee.CharField(max_length=64)
    name = peewee.CharField(max_length=64, unique=True)
    description = peewee.CharField(max_length=255, default="")
    email = peewee.CharField(max_length=128, default="")
    type = peewee.CharField(max_length=255, default="O")
    company_name = peewee.CharField(max_length=64, default="")
    allowed_domains = peewee.TextField(default="")
    invite_id = peewee.CharField(max_length=32, index=True)
    allow_open_invite = peewee.BooleanField(default=False)
    last_team_icon_update = peewee.BigIntegerField(default=0)
    scheme_id = peewee.CharField(max_length=26, null=True)
    group_constrained = peewee.BooleanField(null=True)
    cloud_limits_archived = peewee.BooleanField(default=False)

    class Meta:
        table_name = "teams"


class TeamMember(BaseModel):
    """A user's membership of a team. roles holds only the explicit (custom)
    roles; scheme_user, scheme_admin and scheme_guest say which of the team's
    scheme roles apply, as in Mattermost. A member who left keeps the row with
    delete_at set."""
    team_id = peewee.CharField(max_length=26)
    user_id = peewee.CharField(max_length=26, index=True)
    roles = peewee.CharField(max_length=256, default="")
    delete_at = peewee.BigIntegerField(default=0)
    scheme_user = peewee.BooleanField(default=False)
    scheme_admin = peewee.BooleanField(default=False)
    scheme_guest = peewee.BooleanField(default=False)
    create_at = peewee.BigIntegerField(default=0)

    class Meta:
        table_name = "team_members"
        primary_key = peewee.CompositeKey("team_id", "user_id")


class Channel(BaseModel):
    """A channel: "O" public, "P" private, "D" direct message, "G" group message.
    Direct and group messages have no team (team_id "")."""
    id = peewee.CharField(max_length=26, primary_key=True)
    create_at = peewee.BigIntegerField()
    update_at = peewee.BigIntegerField()
    delete_at = peewee.BigIntegerField(default=0)
    team_id = peewee.CharField(max_length=26, default="", index=True)
    type = peewee.CharField(max_length=1)
    display_name = peewee.CharField(max_length=64, default="")
    name = peewee.CharField(max_length=64)
    header = peewee.TextField(default="")
    purpose = peewee.CharField(max_length=250, default="")
    last_post_at = peewee.BigIntegerField(default=0)
    total_msg_count = peewee.BigIntegerField(default=0)
    extra_update_at = peewee.BigIntegerField(default=0)
    creator_id = peewee.CharField(max_length=26, default="")
    scheme_id = peewee.CharField(max_length=26, null=True)
    props = JSONField(default=dict)
    group_constrained = peewee.BooleanField(null=True)
    shared = peewee.BooleanField(null=True)
    total_msg_count_root = peewee.BigIntegerField(default=0)
    last_root_post_at = peewee.BigIntegerField(default=0)
    default_category_name = peewee.CharField(max_length=64, default="")

    class Meta:
        table_name = "channels"
        indexes = ((("team_id", "name"), True),)


class ChannelMember(BaseModel):
    """A user's membership of a channel and their reading state in it. roles
    holds only the explicit roles, as for TeamMember."""
    channel_id = peewee.CharField(max_length=26)
    user_id = peewee.CharField(max_length=26, index=True)
    roles = peewee.CharField(max_length=256, default="")
    last_viewed_at = peewee.BigIntegerField(default=0)
    msg_count = peewee.BigIntegerField(default=0)
    mention_count = peewee.BigIntegerField(default=0)
    mention_count_root = peewee.BigIntegerField(default=0)
    urgent_mention_count = peewee.BigIntegerField(default=0)
    msg_count_root = peewee.BigIntegerField(default=0)
    notify_props = JSONField(default=dict)
    last_update_at = peewee.BigIntegerField(default=0)
    scheme_user = peewee.BooleanField(default=False)
    scheme_admin = peewee.BooleanField(default=False)
    scheme_guest = peewee.BooleanField(default=False)

    class Meta:
        table_name = "channel_members"
        primary_key = peewee.CompositeKey("channel_id", "user_id")


class SidebarCategory(BaseModel):
    """A category of a user's channel sidebar in one team: "favorites",
    "channels", "direct_messages" or "custom"."""
    id = peewee.CharField(max_length=128, primary_key=True)
    user_id = peewee.CharField(max_length=26)
    team_id = peewee.CharField(max_length=26)
    sort_order = peewee.BigIntegerField(default=0)
    sorting = peewee.CharField(max_length=64, default="")
    type = peewee.CharField(max_length=64)
    display_name = peewee.CharField(max_length=64)
    muted = peewee.BooleanField(default=False)
    collapsed = peewee.BooleanField(default=False)

    class Meta:
        table_name = "sidebar_categories"
        indexes = ((("user_id", "team_id"), False),)


class SidebarChannel(BaseModel):
    """A channel placed in a sidebar category, at sort_order."""
    channel_id = peewee.CharField(max_length=26)
    user_id = peewee.CharField(max_length=26)
    category_id = peewee.CharField(max_length=128, index=True)
    sort_order = peewee.BigIntegerField(default=0)

    class Meta:
        table_name = "sidebar_channels"
        primary_key = peewee.CompositeKey("channel_id", "user_id", "category_id")


class ChannelBookmark(BaseModel):
    """A link or file pinned to a channel's header, as Mattermost's ChannelBookmarks."""
    id = peewee.CharField(max_length=26, primary_key=True)
    owner_id = peewee.CharField(max_length=26)
    channel_id = peewee.CharField(max_length=26, index=True)
    file_info_id = peewee.CharField(max_length=26, null=True)
    create_at = peewee.BigIntegerField()
    update_at = peewee.BigIntegerField()
    delete_at = peewee.BigIntegerField(default=0)
    display_name = peewee.TextField(default="")
    sort_order = peewee.IntegerField(default=0)
    link_url = peewee.TextField(null=True)
    image_url = peewee.TextField(null=True)
    emoji = peewee.CharField(max_length=64, null=True)
    type = peewee.CharField(max_length=8)
    original_id = peewee.CharField(max_length=26, null=True)
    parent_id = peewee.CharField(max_length=26, null=True)

    class Meta:
        table_name = "channel_bookmarks"


class Post(BaseModel):
    """A message, with Mattermost's Posts columns (written by the posts operations)."""
    id = peewee.CharField(max_length=26, primary_key=True)
    create_at = peewee.BigIntegerField(index=True)
    update_at = peewee.BigIntegerField()
    edit_at = peewee.BigIntegerField(default=0)
    delete_at = peewee.BigIntegerField(default=0)
    is_pinned = peewee.BooleanField(default=False)
    user_id = peewee.CharField(max_length=26, index=True)
    channel_id = peewee.CharField(max_length=26, index=True)
    root_id = peewee.CharField(max_length=26, default="", index=True)
    original_id = peewee.CharField(max_length=26, default="")
    message = peewee.TextField(default="")
    type = peewee.CharField(max_length=26, default="")
    props = JSONField(default=dict)
    hashtags = peewee.TextField(default="")
    filenames = peewee.TextField(default="[]")
    file_ids = peewee.TextField(default="[]")
    has_reactions = peewee.BooleanField(default=False)
    remote_id = peewee.CharField(max_length=26, null=True)

    class Meta:
        table_name = "posts"


class FileInfo(BaseModel):
    """An uploaded file's metadata, as Mattermost's FileInfo (the bytes live in the file store)."""
    id = peewee.CharField(max_length=26, primary_key=True)
    creator_id = peewee.CharField(max_length=26, index=True)
    post_id = peewee.CharField(max_length=26, default="", index=True)
    channel_id = peewee.CharField(max_length=26, default="", index=True)
    create_at = peewee.BigIntegerField()
    update_at = peewee.BigIntegerField()
    delete_at = peewee.BigIntegerField(default=0)
    path = peewee.TextField(default="")
    thumbnail_path = peewee.TextField(default="")
    preview_path = peewee.TextField(default="")
    name = peewee.TextField(default="")
    extension = peewee.CharField(max_length=64, default="")
    size = peewee.BigIntegerField(default=0)
    mime_type = peewee.TextField(default="")
    width = peewee.IntegerField(default=0)
    height = peewee.IntegerField(default=0)
    has_preview_image = peewee.BooleanField(default=False)
    mini_preview = peewee.BlobField(null=True)
    content = peewee.TextField(default="")
    remote_id = peewee.CharField(max_length=26, null=True)
    archived = peewee.BooleanField(default=False)

    class Meta:
        table_name = "file_info"


class PendingPost(BaseModel):
    """The client's pending_post_id of a created post, so that a retried create
    answers the post already made instead of posting twice."""
    user_id = peewee.CharField(max_length=26)
    pending_post_id = peewee.CharField(max_length=64)
    post_id = peewee.CharField(max_length=26)
    create_at = peewee.BigIntegerField()

    class Meta:
        table_name = "pending_posts"
        primary_key = peewee.CompositeKey("user_id", "pending_post_id")


class Reaction(BaseModel):
    """An emoji reaction of a user to a post, as Mattermost's Reactions."""
    user_id = peewee.CharField(max_length=26)
    post_id = peewee.CharField(max_length=26, index=True)
    emoji_name = peewee.CharField(max_length=64)
    create_at = peewee.BigIntegerField()
    update_at = peewee.BigIntegerField(default=0)
    delete_at = peewee.BigIntegerField(default=0)
    remote_id = peewee.CharField(max_length=26, null=True)
    channel_id = peewee.CharField(max_length=26, default="", index=True)

    class Meta:
        table_name = "reactions"
        primary_key = peewee.CompositeKey("post_id", "user_id", "emoji_name")


class Emoji(BaseModel):
    """A custom emoji; its image lives in the file store under emoji/<id>/image."""
    id = peewee.CharField(max_length=26, primary_key=True)
    create_at = peewee.BigIntegerField()
    update_at = peewee.BigIntegerField()
    delete_at = peewee.BigIntegerField(default=0)
    creator_id = peewee.CharField(max_length=26, index=True)
    name = peewee.CharField(max_length=64, index=True)

    class Meta:
        table_name = "emoji"
        indexes = ((("name", "delete_at"), True),)


class Thread(BaseModel):
    """A thread's summary, kept for its root post as replies come and go."""
    post_id = peewee.CharField(max_length=26, primary_key=True)
    channel_id = peewee.CharField(max_length=26, index=True)
    reply_count = peewee.BigIntegerField(default=0)
    last_reply_at = peewee.BigIntegerField(default=0)
    participants = peewee.TextField(default="[]")
    thread_delete_at = peewee.BigIntegerField(default=0)
    thread_team_id = peewee.CharField(max_length=26, default="", index=True)

    class Meta:
        table_name = "threads"


class ThreadMembership(BaseModel):
    """A user's relation to a thread: following it, when they last read it,
    and mentions of them in replies they have not read."""
    post_id = peewee.CharField(max_length=26)
    user_id = peewee.CharField(max_length=26, index=True)
    following = peewee.BooleanField(default=True)
    last_viewed = peewee.BigIntegerField(default=0)
    last_updated = peewee.BigIntegerField(default=0)
    unread_mentions = peewee.BigIntegerField(default=0)

    class Meta:
        table_name = "thread_memberships"
        primary_key = peewee.CompositeKey("post_id", "user_id")


class PostAcknowledgement(BaseModel):
    """A user's acknowledgement of a post that asked for one."""
    post_id = peewee.CharField(max_length=26)
    user_id = peewee.CharField(max_length=26)
    acknowledged_at = peewee.BigIntegerField()
    channel_id = peewee.CharField(max_length=26, default="")
    remote_id = peewee.CharField(max_length=26, null=True)

    class Meta:
        table_name = "post_acknowledgements"
        primary_key = peewee.CompositeKey("post_id", "user_id")


class PostReminder(BaseModel):
    """A reminder a user set on a post, due at target_time (seconds)."""
    post_id = peewee.CharField(max_length=26)
    user_id = peewee.CharField(max_length=26)
    target_time = peewee.BigIntegerField(index=True)

    class Meta:
        table_name = "post_reminders"
        primary_key = peewee.CompositeKey("post_id", "user_id")


class UploadSession(BaseModel):
    """A resumable upload: the bytes received so far sit at path in the file store."""
    id = peewee.CharField(max_length=26, primary_key=True)
    type = peewee.CharField(max_length=32)
    create_at = peewee.BigIntegerField()
    user_id = peewee.CharField(max_length=26, index=True)
    channel_id = peewee.CharField(max_length=26, default="")
    filename = peewee.TextField()
    path = peewee.TextField()
    file_size = peewee.BigIntegerField()
    file_offset = peewee.BigIntegerField(default=0)
    remote_id = peewee.CharField(max_length=26, null=True)
    req_file_id = peewee.CharField(max_length=26, null=True)

    class Meta:
        table_name = "upload_sessions"


class ScheduledPost(BaseModel):
    """A draft a user has scheduled to be posted at scheduled_at."""
    id = peewee.CharField(max_length=26, primary_key=True)
    create_at = peewee.BigIntegerField()
    update_at = peewee.BigIntegerField()
    user_id = peewee.CharField(max_length=26, index=True)
    channel_id = peewee.CharField(max_length=26)
    root_id = peewee.CharField(max_length=26, default="")
    message = peewee.TextField(default="")
    props = JSONField(default=dict)
    file_ids = peewee.TextField(default="[]")
    priority = JSONField(null=True)
    scheduled_at = peewee.BigIntegerField(index=True)
    processed_at = peewee.BigIntegerField(default=0)
    error_code = peewee.CharField(max_length=64, default="")

    class Meta:
        table_name = "scheduled_posts"


class WebSocketEvent(BaseModel):
    """An event too large for one PostgreSQL notification: the notification
    carries its id, listeners read it here (old rows are pruned)."""
    id = peewee.AutoField()
    payload = peewee.TextField()
    create_at = peewee.BigIntegerField(index=True)

    class Meta:
        table_name = "websocket_events"


class PresenceNode(BaseModel):
    """A server process holding websockets, and when it last said it is alive."""
    id = peewee.CharField(max_length=26, primary_key=True)
    heartbeat_at = peewee.BigIntegerField(index=True)

    class Meta:
        table_name = "presence_nodes"


class PresenceConnection(BaseModel):
    """How many open websockets of a user a server process holds (no row: none)."""
    node_id = peewee.CharField(max_length=26)
    user_id = peewee.CharField(max_length=26, index=True)
    connections = peewee.IntegerField()

    class Meta:
        table_name = "presence_connections"
        primary_key = peewee.CompositeKey("node_id", "user_id")
