"""The database connection, chosen by SqlSettings, and write transactions."""
import logging
import os
import threading
import time
import urllib.parse

import peewee
from playhouse.pool import PooledPostgresqlDatabase, PooledSqliteDatabase

database = peewee.DatabaseProxy()
log = logging.getLogger("mattermost.store")

# SQLite allows one writer at a time. Without this lock, a greenlet waiting for
# SQLite's file lock blocks its whole gevent worker (the wait is in C) for up to
# busy_timeout; with it, the writers of a process queue cooperatively. The
# server runs one worker on SQLite, so this is every writer. Created at init(),
# after gevent has patched threading.
_write_lock = None
_local = None

# libpq rejects URI parameters it does not know; Mattermost's DSNs carry some
# meant for its Go driver.
_GO_DRIVER_ONLY = {"binary_parameters"}


class Store:
    """What init() opened: the driver name and the peewee database."""

    def __init__(self, driver, db):
        self.driver = driver
        self.db = db

    @property
    def is_sqlite(self):
        return self.driver == "sqlite"


current = None


def _postgres_dsn(dsn):
    """The DSN without the options only Mattermost's Go driver understands."""
    parts = urllib.parse.urlsplit(dsn)
    query = [(k, v) for k, v in urllib.parse.parse_qsl(parts.query) if k not in _GO_DRIVER_ONLY]
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


def _postgres_arguments(dsn):
    """(database name, connect keyword arguments) from a postgres:// DSN."""
    parts = urllib.parse.urlsplit(_postgres_dsn(dsn))
    arguments = dict(urllib.parse.parse_qsl(parts.query))
    if parts.hostname:
        arguments["host"] = parts.hostname
    if parts.port:
        arguments["port"] = parts.port
    if parts.username:
        arguments["user"] = urllib.parse.unquote(parts.username)
    if parts.password:
        arguments["password"] = urllib.parse.unquote(parts.password)
    return urllib.parse.unquote(parts.path.lstrip("/")) or "mattermost", arguments


def open_database(driver, data_source, max_connections=20):
    """A peewee database for a SqlSettings driver name and data source."""
    if driver in ("sqlite", "sqlite3"):
        if data_source != ":memory:":
            directory = os.path.dirname(os.path.abspath(data_source))
            os.makedirs(directory, exist_ok=True)
        return PooledSqliteDatabase(
            data_source,
            max_connections=max_connections,
            stale_timeout=300,
            check_same_thread=False,
            pragmas={"journal_mode": "wal", "busy_timeout": 10000, "foreign_keys": 1,
                     "synchronous": "normal"},
        )
    if driver in ("postgres", "postgresql"):
        _make_psycopg_cooperative()
        name, arguments = _postgres_arguments(data_source)
        return _PostgresPool(name, max_connections=max_connections, stale_timeout=300,
                             timeout=30, **arguments)
    raise ValueError("SqlSettings.DriverName %r is not supported (use sqlite or postgres)" % driver)


def _connection_class():
    """psycopg2's connection, remembering the statements prepared on it
    (PostgreSQL keeps them per connection, until it closes)."""
    import psycopg2.extensions

    class Connection(psycopg2.extensions.connection):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.prepared = set()

    return Connection


class _PostgresPool(PooledPostgresqlDatabase):
    """peewee's pool, less a round trip per check-out: it asks PostgreSQL
    (SELECT 1) whether a pooled connection still works each time one is taken,
    which is every request. Here a connection back in the pool for less than
    PING_AFTER_SECONDS, and not inside a transaction, is taken as is."""

    PING_AFTER_SECONDS = 10

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("connection_factory", _connection_class())
        super().__init__(*args, **kwargs)
        self._returned_at = {}      # connection key -> when it came back (monotonic)

    def _is_closed(self, conn):
        if conn.closed:
            return True
        returned = self._returned_at.pop(self.conn_key(conn), None)
        if (returned is not None and time.monotonic() - returned < self.PING_AFTER_SECONDS
                and self._adapter.txn_status(conn) == self._adapter.txn_idle):
            return False
        return super()._is_closed(conn)

    def _close(self, conn, close_conn=False):
        super()._close(conn, close_conn)
        if not close_conn:
            if len(self._returned_at) > 4 * (self._max_connections or 64):
                self._returned_at.clear()     # keys of connections the pool dropped
            self._returned_at[self.conn_key(conn)] = time.monotonic()


def _make_psycopg_cooperative():
    """Under gevent, let a greenlet waiting on PostgreSQL yield to the others.

    Without this one slow query stalls every request of the worker.
    """
    try:
        from gevent import monkey
    except ImportError:
        return
    if monkey.is_module_patched("socket"):
        from psycogreen.gevent import patch_psycopg
        patch_psycopg()


def init(sql_settings):
    """Open the database the settings name, bind the models to it, migrate the schema."""
    global current, _write_lock, _local
    driver = sql_settings["DriverName"].lower()
    db = open_database(driver, sql_settings["DataSource"],
                       max_connections=max(1, int(sql_settings.get("MaxOpenConns") or 20)))
    database.initialize(db)
    current = Store("sqlite" if driver.startswith("sqlite") else "postgres", db)
    _write_lock = threading.RLock()
    _local = threading.local()
    from store import migrations
    migrations.migrate(current)
    return current


def close():
    """Close every pooled connection (at worker exit and between tests)."""
    if current is not None:
        current.db.close_all()


class transaction:
    """A write transaction: serialized on SQLite, with after-commit callbacks.

        with transaction() as tx:
            ...writes...
            tx.after_commit(lambda: send(event))

    Nested transactions are savepoints; a callback registered in one that rolls
    back is dropped with it. Callbacks run after the outermost commit, in order;
    one that fails is logged and does not stop the others.
    """

    def __init__(self):
        self._atomic = None
        self._callbacks = []
        self._outer = False
        self._locked = False

    def __enter__(self):
        stack = getattr(_local, "stack", None)
        if stack is None:
            stack = _local.stack = []
        self._outer = not stack
        if self._outer and current.is_sqlite:
            _write_lock.acquire()
            self._locked = True
        try:
            self._atomic = database.atomic()
            self._atomic.__enter__()
        except BaseException:
            self._release()
            raise
        stack.append(self)
        return self

    def after_commit(self, callback):
        """Run callback once the outermost transaction commits (never on rollback)."""
        self._callbacks.append(callback)

    def __exit__(self, exc_type, exc, tb):
        stack = _local.stack
        stack.pop()
        try:
            result = self._atomic.__exit__(exc_type, exc, tb)
        finally:
            self._release()
        if exc_type is not None:
            return result
        if stack:
            stack[-1]._callbacks.extend(self._callbacks)  # kept only if the parent commits
        else:
            if getattr(_local, "memo", None):
                _local.memo = {}
            for callback in self._callbacks:
                try:
                    callback()
                except Exception:
                    log.exception("after-commit callback failed")
        return result

    def _release(self):
        if self._locked:
            self._locked = False
            _write_lock.release()


def in_transaction():
    """True inside a transaction() of the calling greenlet."""
    return bool(getattr(_local, "stack", None)) if _local is not None else False


def after_commit(callback):
    """Run callback when the current transaction commits (dropped if it rolls
    back), or now when no transaction is open."""
    stack = getattr(_local, "stack", None) if _local is not None else None
    if stack:
        stack[-1].after_commit(callback)
    else:
        callback()


def ping():
    """True if the database answers a query."""
    try:
        database.execute_sql("SELECT 1").fetchone()
        return True
    except Exception:
        return False


# ---------------------------------------------------------------------------
# The request memo: a request may ask for the same row more than once (the
# caller's channel membership, for each permission it checks). Between
# begin_memo() and end_memo() (an HTTP request's life; never a websocket's,
# whose checks span hours) remembered() reads each key once; every commit
# empties it, so nothing read before a write is answered after it.

def begin_memo():
    if _local is not None:
        _local.memo = {}


def end_memo():
    if _local is not None:
        _local.memo = None


def _open_memo():
    """The request's memo, or None when there is none or a transaction is
    open (whose own writes the memo would not see)."""
    memo = getattr(_local, "memo", None) if _local is not None else None
    return None if memo is None or getattr(_local, "stack", None) else memo


def remembered(key, read):
    """read(), or what it gave for key earlier in this request."""
    memo = _open_memo()
    if memo is None:
        return read()
    if key not in memo:
        memo[key] = read()
    return memo[key]


def remember(key, value):
    """Let remembered(key, ...) give value for the rest of the request (when
    it would keep what it read)."""
    memo = _open_memo()
    if memo is not None:
        memo[key] = value


def release():
    """Return the calling greenlet's connection to the pool: at the end of a
    request, and before a wait on the network (a slow upload, SMTP, an HTTP
    call), so that the wait holds no connection. Inside a transaction it does
    nothing: the transaction's connection stays until it ends."""
    if current is not None and not current.db.is_closed() and not current.db.in_transaction():
        current.db.close()


def pool_stats():
    """(connections in use, connections open, the pool's maximum) of this
    process's pool; (0, 0, 0) before init(). Read-only, for metrics."""
    db = current.db if current is not None else None
    if db is None:
        return 0, 0, 0
    in_use = len(getattr(db, "_in_use", ()))
    return in_use, in_use + len(getattr(db, "_connections", ())), int(getattr(db, "_max_connections", 0) or 0)


def recycle():
    """Close this process's idle pooled connections (new ones open as needed)."""
    if current is not None:
        current.db.close_idle()


def activate(store):
    """Bind the models to an already opened store (tests switch between apps)."""
    global current
    database.initialize(store.db)
    current = store


# ---------------------------------------------------------------------------
# Compiled lookups. peewee builds a query's SQL anew each time it runs, walking
# every selected column: for the lookups every request makes (its session, its
# user, a channel or team and the caller's membership) that costs several times
# the database's own work. A Lookup compiles its query once per SQL dialect and
# then only binds the arguments.

class _Arg(str):
    """A placeholder argument: a str, so text fields pass it through unchanged
    and it can be found (by identity) among the compiled parameters."""


# An integer argument's stand-in is a number no real value is: integer fields
# convert it with int(), which keeps the value but not the object, so it is
# found among the compiled parameters by value.
_INT_MARK = -(2 ** 62) - 7919


def _placeholders(args):
    """Stand-ins for args: a placeholder for each text argument, a marked
    number for each integer, a list of placeholders for each list argument
    (one per item), and the shape that names the compiled statement (lists of
    other lengths, or an integer where text was, compile again)."""
    stand_ins, shape = [], []
    for i, arg in enumerate(args):
        if type(arg) is int:
            stand_ins.append(_INT_MARK - i)
            shape.append("int")
        elif isinstance(arg, (list, tuple, set, frozenset)):
            stand_ins.append([_Arg("\x00arg%d.%d\x00" % (i, j)) for j in range(len(arg))])
            shape.append(len(arg))
        else:
            stand_ins.append(_Arg("\x00arg%d\x00" % i))
            shape.append(None)
    return stand_ins, tuple(shape)


# Fields whose values come from both drivers already as the Python type the
# field holds (their python_value would only call str or int on them).
_AS_STORED = (peewee.CharField, peewee.TextField, peewee.IntegerField)


def _row_plan(model, description):
    """How to make a model instance of a row: (field names by column, with
    None for a column that is no field, [(column index, field name,
    python_value)] for the columns that need converting, [(column index,
    attribute)] for the others: extra selected values, set as plain
    attributes as peewee does), or False when a column names a field that
    is not a plain one."""
    names, converters, extras = [], [], []
    for i, column in enumerate(description):
        field = model._meta.columns.get(column[0])
        if field is None:
            if column[0] in model._meta.fields or not column[0].isidentifier():
                return False
            names.append(None)
            extras.append((i, column[0]))
            continue
        accessor = next((k.__dict__[field.name] for k in model.__mro__ if field.name in k.__dict__), None)
        if type(accessor) is not peewee.FieldAccessor:
            return False
        names.append(field.name)
        if not (isinstance(field, _AS_STORED) and type(field).python_value is peewee.Field.python_value):
            converters.append((i, field.name, field.python_value))
    return tuple(names), converters, extras


# On PostgreSQL a compiled lookup runs as a prepared statement: PostgreSQL
# parses and plans it once per connection instead of on every execution (for
# the small lookups of every request that is most of its work). A statement is
# prepared outside transactions only, so that one PostgreSQL refuses to prepare
# (it cannot always infer a parameter's type) fails harmlessly; it then runs
# as plain SQL from then on.
_statement_names = {}       # sql -> name of its prepared statement
_unpreparable = set()       # sql PostgreSQL would not prepare


def _execute_compiled(sql, params):
    db = database.obj
    if not isinstance(db, _PostgresPool) or sql in _unpreparable:
        return database.execute_sql(sql, params)
    connection = db.connection()
    prepared = getattr(connection, "prepared", None)
    name = _statement_names.get(sql)
    if prepared is None or (name not in prepared and not _prepare(db, connection, sql)):
        return database.execute_sql(sql, params)
    name = _statement_names[sql]
    return database.execute_sql("EXECUTE %s (%s)" % (name, ", ".join(["%s"] * len(params))) if params
                                else "EXECUTE " + name, params)


def unprepared(sql):
    """The statement text behind an EXECUTE of a prepared lookup (for tests
    and logs that look at what ran); other SQL as it is."""
    if sql.startswith("EXECUTE mm_lookup_"):
        name = sql.split()[1]
        return next((text for text, prepared in _statement_names.items() if prepared == name), sql)
    return sql


def _prepare(db, connection, sql):
    """PREPARE sql on connection; False when it cannot be now (inside a
    transaction) or ever (_unpreparable)."""
    if db.in_transaction():
        return False
    parts = sql.split("%s")
    if "%" in "".join(parts):          # a literal % (or %%): leave the statement alone
        _unpreparable.add(sql)
        return False
    numbered = "".join(part + ("$%d" % (i + 1) if i < len(parts) - 1 else "") for i, part in enumerate(parts))
    name = _statement_names.setdefault(sql, "mm_lookup_%d" % len(_statement_names))
    try:
        with connection.cursor() as cursor:
            cursor.execute("PREPARE %s AS %s" % (name, numbered))
    except Exception as error:
        log.info("statement not prepared (%s): %s", error, sql)
        _unpreparable.add(sql)
        return False
    connection.prepared.add(name)
    return True


def _instances(model, cursor, sql, params, plans):
    """The rows of cursor as model instances, built as peewee's raw() builds
    them (each column to its field, through the field's python_value), with
    the column-to-field plan worked out once per statement (kept in plans,
    sql -> plan, when given) rather than once per execution, which costs more
    than the query's own round trip."""
    rows = cursor.fetchall()
    if not rows:
        return []
    plan = plans.get(sql) if plans is not None else None
    if plan is None:
        plan = _row_plan(model, cursor.description)
        if plans is not None:
            plans[sql] = plan
    if plan is False:     # a column no field names: peewee's own way
        return list(model.raw(sql, *params))
    names, converters, extras = plan
    objects = []
    for row in rows:
        data = dict(zip(names, row))
        for i, name, convert in converters:
            data[name] = convert(row[i])
        if extras:
            data.pop(None)
        instance = loaded(model, data)
        for i, name in extras:
            instance.__dict__[name] = row[i]
        objects.append(instance)
    return objects


def loaded(model, data):
    """A model instance holding data ({field name: Python value}) as one
    read from the database holds it: nothing to save, no related rows."""
    instance = model.__new__(model)
    instance.__data__ = data
    instance._dirty = set()
    instance.__rel__ = {}
    return instance


_query_plans = {}      # sql of a select run through objects() -> its row plan
QUERY_PLANS = 2000     # at most this many kept (the SQL of built queries varies)


def objects(query):
    """list(query) for a select of its model's own columns, the rows built as
    Lookup builds them (a fraction of peewee's cost per row); a select of
    other models' columns too goes through peewee."""
    model = query.model
    if any(getattr(column, "model", None) is not model for column in query._returning):
        return list(query)
    sql, params = query.sql()
    if len(_query_plans) >= QUERY_PLANS:
        _query_plans.clear()
    return _instances(model, database.execute_sql(sql, params), sql, params, _query_plans)


class Lookup:
    """A select whose varying values are its arguments, compiled to SQL once
    per dialect (and per length of each list argument):

        by_id = Lookup(User, lambda a: User.select().where(User.id == a[0]).limit(1))
        user = by_id.first(user_id)
        named = Lookup(User, lambda a: User.select().where(User.id.in_(a[0])))
        users = named.all(list_of_ids)

    Arguments are text, integers, or lists of text, and are bound as given
    (no field conversion runs); numbers in LIMIT and OFFSET are fine too."""

    def __init__(self, model, build):
        self.model, self.build = model, build
        self._compiled = {}    # (dialect, shape) -> (sql, [(argument, item) or None], fixed params)
        self._plans = {}       # compiled sql -> _row_plan(...)

    MAX_LIST = 256   # longer lists are compiled each time (not cached)

    def _sql(self, args):
        values = [list(a) if isinstance(a, (set, frozenset)) else a for a in args]
        if any(isinstance(a, list) and len(a) > self.MAX_LIST for a in values):
            sql, params = self.build(values).sql()
            return sql, params, False
        stand_ins, shape = _placeholders(values)
        key = (type(database.obj).__name__, shape)
        entry = self._compiled.get(key)
        if entry is None:
            where, numbers = {}, {}
            for i, stand_in in enumerate(stand_ins):
                if isinstance(stand_in, list):
                    where.update({id(item): (i, j) for j, item in enumerate(stand_in)})
                elif type(stand_in) is int:
                    numbers[stand_in] = (i, None)
                else:
                    where[id(stand_in)] = (i, None)
            sql, params = self.build(stand_ins).sql()
            slots = [where.get(id(p)) if isinstance(p, _Arg) else numbers.get(p) if type(p) is int else None
                     for p in params]
            entry = self._compiled[key] = (sql, slots, params)
        sql, slots, fixed = entry
        return sql, [value if slot is None else (values[slot[0]] if slot[1] is None else values[slot[0]][slot[1]])
                     for slot, value in zip(slots, fixed)], True

    def _execute(self, args):
        """(cursor, sql, params, compiled): compiled is False for SQL built
        for this call alone (a list longer than MAX_LIST), which is neither
        prepared nor remembered."""
        sql, params, compiled = self._sql(args)
        cursor = _execute_compiled(sql, params) if compiled else database.execute_sql(sql, params)
        return cursor, sql, params, compiled

    def first(self, *args):
        """The first row (a model instance), or None."""
        rows = self._objects(args)
        return rows[0] if rows else None

    def all(self, *args):
        """Every row, as model instances."""
        return self._objects(args)

    def _objects(self, args):
        """The rows as model instances (see _instances), the row plan kept for
        compiled statements only."""
        cursor, sql, params, compiled = self._execute(args)
        return _instances(self.model, cursor, sql, params, self._plans if compiled else None)

    def tuples(self, *args):
        """Every row as a tuple (for selects of columns and aggregates)."""
        return [tuple(row) for row in self._execute(args)[0].fetchall()]

    def write(self, *args):
        """Run an UPDATE or DELETE built the same way; the number of rows it changed."""
        return self._execute(args)[0].rowcount
