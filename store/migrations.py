"""Versioned schema migrations.

Each migration is a function taking the Store; MIGRATIONS lists them in order
with a version number that never changes once released. migrate() applies the
ones a database has not recorded, each in its own transaction, and records it
in schema_migrations, so an existing database upgrades without loss. Workers
starting together are serialized by a database lock (an advisory lock on
PostgreSQL, an immediate transaction on SQLite).

To change the schema, append a migration; never edit a released one.
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


def m0003_preferences_and_status(store):
    """Users' preferences and presence."""
    database.create_tables([models.Preference, models.Status])


def m0004_user_access_tokens(store):
    """Personal access tokens."""
    database.create_tables([models.UserAccessToken])


def m0005_audits(store):
    """The audit trail of security-relevant actions."""
    database.create_tables([models.Audit])


def m0006_terms_of_service(store):
    """Terms of service and users' acceptance of them."""
    database.create_tables([models.TermsOfService, models.UserTermsOfService])


def m0007_bots(store):
    """Bot accounts' owner and description."""
    database.create_tables([models.Bot])


def m0008_tokens(store):
    """One-time tokens sent by email."""
    database.create_tables([models.Token])


def m0009_schemes(store):
    """Permission schemes (created only by licensed servers; kept when migrated)."""
    database.create_tables([models.Scheme])


MIGRATIONS = [
    (1, "systems", m0001_systems),
    (2, "accounts", m0002_accounts),
    (3, "preferences and status", m0003_preferences_and_status),
    (4, "personal access tokens", m0004_user_access_tokens),
    (5, "audits", m0005_audits),
    (6, "terms of service", m0006_terms_of_service),
    (7, "bots", m0007_bots),
    (8, "mailed tokens", m0008_tokens),
    (9, "schemes", m0009_schemes),
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
