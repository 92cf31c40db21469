"""Server-wide facts and health checks."""
from store import models
from store.db import ping as database_ping, transaction
from store.files import FileStore


def get(name, default=None):
    row = models.System.get_or_none(models.System.name == name)
    return row.value if row else default


def database_ok():
    """True if the database answers."""
    return database_ping()


def filestore_ok(directory):
    """True if the file store under directory works."""
    return FileStore(directory).check()


def user_count():
    """Accounts on the server, deleted ones included."""
    return models.User.select().count()


def schema_version():
    from store import migrations
    return migrations.schema_version()


def set_value(name, value):
    """Insert or replace one key."""
    with transaction():
        (models.System.insert(name=name, value=value)
         .on_conflict(conflict_target=[models.System.name], preserve=[models.System.value])
         .execute())
