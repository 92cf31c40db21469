"""Per-process caches of rows that nearly every request reads (a session by
its token, a user by id), as Mattermost keeps its session and profile caches.

A row stays at most `seconds`, the oldest go first beyond `size`. Whatever
writes such a row calls `changed`, which drops it here at once and, after
commit, in every process: the internal event rows_changed names the cache and
the keys, and ws.hub's listener drops them (`named`). A read that began
before a drop does not store what it read: each drop starts a new
generation, and a row read in an older one is not kept. Inside a transaction
the cache is neither read nor filled, since the transaction may see its own
uncommitted writes.
"""
import threading
import time

from store import db

ROWS_CHANGED = "rows_changed"   # internal event: {"cache": name, "keys": [...], "all": bool}
_named = {}                     # name -> the process's RowCache of that name


def named(name):
    """The cache of that name, or None."""
    return _named.get(name)


def copy_row(row):
    """A caller's own copy of a cached model instance (JSON columns copied
    one level), so that a caller changing it cannot change the cache."""
    return db.loaded(type(row), {k: dict(v) if type(v) is dict else v for k, v in row.__data__.items()})


def forget_everything():
    """Drop every row of every cache of this process (InvalidateCaches)."""
    for cache in _named.values():
        cache.forget(everyone=True)


class RowCache:
    def __init__(self, name, seconds, size):
        self.name, self.seconds, self.size = name, seconds, size
        _named.setdefault(name, self)
        self.lock = threading.Lock()
        self.rows = {}           # key -> (row, read at)
        self.generation = 0      # advanced by every drop

    def get(self, key):
        """The cached row of key, or None."""
        entry = self.rows.get(key)
        if entry is None:
            return None
        if time.monotonic() - entry[1] > self.seconds:
            self.rows.pop(key, None)
            return None
        return entry[0]

    def read(self, key, load, fresh=False):
        """The row of key: cached, or load(key) (kept unless None, or read
        inside a transaction, or a drop happened while it was read)."""
        if db.in_transaction():
            return load(key)
        row = None if fresh else self.get(key)
        if row is None:
            generation = self.generation
            row = load(key)
            if row is not None:
                self.put(key, row, generation)
        return row

    def read_many(self, keys, load, key_of):
        """The rows of those keys that have one: the cached ones, and the rest
        from load(missing keys), a list of rows (key_of(row) is a row's key)."""
        if db.in_transaction():
            return load(keys)
        rows, missing = [], []
        for key in keys:
            row = self.get(key)
            if row is None:
                missing.append(key)
            else:
                rows.append(row)
        if missing:
            generation = self.generation
            loaded = load(missing)
            for row in loaded:
                self.put(key_of(row), row, generation)
            rows.extend(loaded)
        return rows

    def put(self, key, row, generation=None):
        with self.lock:
            if generation is not None and generation != self.generation:
                return
            self.rows[key] = (row, time.monotonic())
            while len(self.rows) > self.size:
                self.rows.pop(next(iter(self.rows)), None)

    def changed(self, keys=(), everyone=False):
        """The rows of keys (or all) changed: dropped here now, and in every
        process after commit."""
        from ws import events
        self.forget(keys, everyone=everyone)
        events.publish_internal(ROWS_CHANGED, {"cache": self.name, "keys": list(keys), "all": everyone})

    def forget(self, keys=(), where=None, everyone=False):
        """Drop the rows of keys, those where(row) is true, or all."""
        with self.lock:
            self.generation += 1
            if everyone:
                self.rows.clear()
                return
            for key in keys:
                self.rows.pop(key, None)
            if where is not None:
                for key in [k for k, (row, _) in self.rows.items() if where(row)]:
                    del self.rows[key]
