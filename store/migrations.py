"""Versioned schema migrations.

Each migration is a function taking the Store; MIGRATIONS lists them in order
with a version number that never changes once released. migrate() applies the
ones a database has not recorded, each in its own transaction, and records it
in schema_migrations, so an existing database upgrades without loss. Workers
starting together are serialized by a database lock (an advisory lock on
PostgreSQL, an immediate transaction on SQLite).

To change the schema, append a migration; never edit a released one. Tables
are created from the models as they are now, so a fresh database already has
any column a later migration adds: such a migration must add the column only
where it is missing (e.g. check database.get_columns(table) first).
"""
import time

from store import models
from store.db import database

ADVISORY_LOCK_KEY = 8065_0001


def _millis():
    return int(time.time() * 1000)


def m0001_systems(store):
    """The systems key/value table, with the installation's identity."""
    database.create_tables([models.System])
    from store.ids import new_id
    now = str(_millis())
    models.System.insert_many([
        {"name": "InstallationDate", "value": now},
        {"name": "DiagnosticId", "value": new_id()},
    ]).on_conflict_ignore().execute()


def m0002_accounts(store):
    """Users, sessions, and the roles with Mattermost's default permissions."""
    import json
    import pathlib
    from store.ids import new_id
    database.create_tables([models.User, models.Session, models.Role])
    defaults = json.loads((pathlib.Path(__file__).parent / "default_roles.json").read_text())
    now = _millis()
    models.Role.insert_many([
        {"id": new_id(), "name": name, "display_name": role["display_name"],
         "description": role["description"], "create_at": now, "update_at": now,
         "permissions": " ".join(role["permissions"]), "scheme_managed": role["scheme_managed"],
         "built_in": role["built_in"]}
        for name, role in defaults["roles"].items()
    ]).execute()


def _create_tables(*tables):
    """A migration that only adds tables."""
    def migration(store):
        database.create_tables(list(tables))
    return migration


_SQLITE_SEARCH = [
    # External-content full-text indexes over posts and file_info, kept in
    # step with their tables by triggers.
    "CREATE VIRTUAL TABLE posts_fts USING fts5(message, hashtags, content='posts', "
    "content_rowid='rowid', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER posts_fts_insert AFTER INSERT ON posts BEGIN "
    "INSERT INTO posts_fts(rowid, message, hashtags) VALUES (new.rowid, new.message, new.hashtags); END",
    "CREATE TRIGGER posts_fts_delete AFTER DELETE ON posts BEGIN "
    "INSERT INTO posts_fts(posts_fts, rowid, message, hashtags) "
    "VALUES ('delete', old.rowid, old.message, old.hashtags); END",
    "CREATE TRIGGER posts_fts_update AFTER UPDATE OF message, hashtags ON posts BEGIN "
    "INSERT INTO posts_fts(posts_fts, rowid, message, hashtags) "
    "VALUES ('delete', old.rowid, old.message, old.hashtags); "
    "INSERT INTO posts_fts(rowid, message, hashtags) VALUES (new.rowid, new.message, new.hashtags); END",
    "INSERT INTO posts_fts(posts_fts) VALUES ('rebuild')",
    "CREATE VIRTUAL TABLE file_info_fts USING fts5(name, content, content='file_info', "
    "content_rowid='rowid', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER file_info_fts_insert AFTER INSERT ON file_info BEGIN "
    "INSERT INTO file_info_fts(rowid, name, content) VALUES (new.rowid, new.name, new.content); END",
    "CREATE TRIGGER file_info_fts_delete AFTER DELETE ON file_info BEGIN "
    "INSERT INTO file_info_fts(file_info_fts, rowid, name, content) "
    "VALUES ('delete', old.rowid, old.name, old.content); END",
    "CREATE TRIGGER file_info_fts_update AFTER UPDATE OF name, content ON file_info BEGIN "
    "INSERT INTO file_info_fts(file_info_fts, rowid, name, content) "
    "VALUES ('delete', old.rowid, old.name, old.content); "
    "INSERT INTO file_info_fts(rowid, name, content) VALUES (new.rowid, new.name, new.content); END",
    "INSERT INTO file_info_fts(file_info_fts) VALUES ('rebuild')",
]

_POSTGRES_SEARCH = [
    # The expressions Mattermost indexes; queries must use the same ones.
    "CREATE INDEX IF NOT EXISTS idx_posts_message_txt ON posts USING gin (to_tsvector('english', message))",
    "CREATE INDEX IF NOT EXISTS idx_posts_hashtags_txt ON posts USING gin (to_tsvector('english', hashtags))",
    "CREATE INDEX IF NOT EXISTS idx_fileinfo_name_txt ON file_info USING gin (to_tsvector('english', name))",
    "CREATE INDEX IF NOT EXISTS idx_fileinfo_content_txt ON file_info USING gin (to_tsvector('english', content))",
]

_POST_INDEXES = [
    "CREATE INDEX IF NOT EXISTS idx_posts_channel_id_create_at ON posts (channel_id, create_at)",
    "CREATE INDEX IF NOT EXISTS idx_posts_root_id_delete_at ON posts (root_id, delete_at)",
    "CREATE INDEX IF NOT EXISTS idx_posts_original_id ON posts (original_id)",
    "CREATE INDEX IF NOT EXISTS idx_posts_is_pinned ON posts (channel_id, is_pinned)",
]


def m0011_posts(store):
    """Reactions, emoji, threads and the other tables of posts and files; the
    indexes post reads use; full-text search over posts and file names."""
    database.create_tables([
        models.PendingPost, models.Reaction, models.Emoji, models.Thread, models.ThreadMembership,
        models.PostAcknowledgement, models.PostReminder, models.UploadSession, models.ScheduledPost])
    for sql in _POST_INDEXES + (_SQLITE_SEARCH if store.is_sqlite else _POSTGRES_SEARCH):
        database.execute_sql(sql)


def m0013_channel_default_category(store):
    """The sidebar category a channel goes into for those who join it."""
    if "default_category_name" not in {c.name for c in database.get_columns("channels")}:
        database.execute_sql("ALTER TABLE channels ADD COLUMN default_category_name VARCHAR(64) NOT NULL DEFAULT ''")


def m0015_posts_by_update_time(store):
    """The channel's posts by update time: what changed since a time (clients
    catching up after a reconnect) and the channel's last update."""
    database.execute_sql("CREATE INDEX IF NOT EXISTS idx_posts_channel_id_update_at ON posts (channel_id, update_at)")


MIGRATIONS = [
    (1, "systems", m0001_systems),
    (2, "accounts", m0002_accounts),
    (3, "preferences and status", _create_tables(models.Preference, models.Status)),
    (4, "personal access tokens", _create_tables(models.UserAccessToken)),
    (5, "audits", _create_tables(models.Audit)),
    (6, "terms of service", _create_tables(models.TermsOfService, models.UserTermsOfService)),
    (7, "bots", _create_tables(models.Bot)),
    (8, "mailed tokens", _create_tables(models.Token)),
    (9, "schemes", _create_tables(models.Scheme)),
    (10, "teams, channels and posts", _create_tables(
        models.Team, models.TeamMember, models.Channel, models.ChannelMember, models.SidebarCategory,
        models.SidebarChannel, models.ChannelBookmark, models.Post, models.FileInfo)),
    (11, "posts, threads, reactions, emoji, files and search", m0011_posts),
    (12, "websocket events sent by reference", _create_tables(models.WebSocketEvent)),
    (13, "channel default category", m0013_channel_default_category),
    (14, "websocket connections per server process", _create_tables(models.PresenceNode,
                                                                   models.PresenceConnection)),
    (15, "posts by channel and update time", m0015_posts_by_update_time),
]


def applied_versions():
    return {m.version for m in models.SchemaMigration.select(models.SchemaMigration.version)}


def migrate(store):
    """Apply every migration the database lacks; return the versions applied."""
    done = []
    with database.connection_context():
        if store.is_sqlite:
            lock = database.atomic(lock_type="IMMEDIATE")
        else:
            lock = _pg_advisory_lock()
        with lock:
            database.create_tables([models.SchemaMigration])
            have = applied_versions()
            for version, name, function in MIGRATIONS:
                if version in have:
                    continue
                with database.atomic():
                    function(store)
                    models.SchemaMigration.create(version=version, name=name, applied_at=_millis())
                done.append(version)
    return done


class _pg_advisory_lock:
    def __enter__(self):
        database.execute_sql("SELECT pg_advisory_lock(%s)", (ADVISORY_LOCK_KEY,))

    def __exit__(self, *exc):
        database.execute_sql("SELECT pg_advisory_unlock(%s)", (ADVISORY_LOCK_KEY,))
        return False


def schema_version():
    """The highest applied migration version (0 for an empty database)."""
    return max(applied_versions(), default=0)
