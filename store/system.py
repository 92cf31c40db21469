"""Server-wide facts and health checks."""
import os

from store import models
from store.db import ping as database_ping


def get(name, default=None):
    row = models.System.get_or_none(models.System.name == name)
    return row.value if row else default


def database_ok():
    """True if the database answers."""
    return database_ping()


def filestore_ok(directory):
    """True if the local file store can write, read back and delete a file, as
    Mattermost's file backend check does."""
    probe = os.path.join(directory, ".filestore-check-%d" % os.getpid())
    try:
        os.makedirs(directory, exist_ok=True)
        with open(probe, "wb") as f:
            f.write(b"ok")
        with open(probe, "rb") as f:
            good = f.read() == b"ok"
        os.remove(probe)
        return good
    except OSError:
        return False


def user_count():
    """Accounts on the server, deleted ones included (0 until users are stored)."""
    from store import models
    user_model = getattr(models, "User", None)
    return user_model.select().count() if user_model is not None else 0


def schema_version():
    from store import migrations
    return migrations.schema_version()


def set_value(name, value):
    """Insert or replace one key."""
    (models.System.insert(name=name, value=value)
     .on_conflict(conflict_target=[models.System.name], preserve=[models.System.value])
     .execute())
