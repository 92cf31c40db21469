"""Copy a SQLite database of this server into an empty PostgreSQL one.

The way from a trial on SQLite to production on PostgreSQL: both schemas are
brought to the current migration first (store.migrations), then every table
both have is copied in batches, in an order that respects foreign keys, the
PostgreSQL sequences are moved past the copied ids, and the result is checked:
the row count of every table, and a sample of rows per table compared field by
field. Full-text search needs nothing more: on PostgreSQL it runs on
expression indexes over the posts and file_info columns, which PostgreSQL
keeps up to date as the rows go in. Files stay where FileSettings.Directory
says; only the database moves.

    report = copy_sqlite_to_postgres(path, dsn, progress=callback)

progress(table, rows_done, rows_total) is called after every batch and once
when a table is done (rows_done == rows_total).
"""
import os

from store import db as store_db

# Tables the migrations fill on an empty database: they do not make it "used".
SEEDED_TABLES = {"schema_migrations", "systems", "roles"}
SAMPLE_SIZE = 25


class CopyError(Exception):
    """Why the copy could not be made (a message for the person running it)."""


class Report:
    """What was copied and what the verification found."""

    def __init__(self):
        self.tables = []          # (table, source rows, target rows) in copy order
        self.skipped = []         # source tables with no counterpart in the target
        self.dropped_columns = {}  # table -> source columns the target lacks
        self.sequences = []       # (sequence, next value)
        self.mismatches = []      # human-readable differences found by verification
        self.sampled = 0          # rows compared field by field
        self.migrated_source = []  # migration versions applied to the source
        self.migrated_target = []

    @property
    def ok(self):
        return not self.mismatches


def _quote(name):
    return '"%s"' % name.replace('"', '""')


def _sqlite_tables(database):
    rows = database.execute_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").fetchall()
    virtual = {name for name, sql in rows if (sql or "").upper().startswith("CREATE VIRTUAL TABLE")}
    # The shadow tables SQLite keeps for a full-text index are named after it.
    shadow = {name for name, _ in rows for v in virtual if name.startswith(v + "_")}
    return [name for name, _ in rows if name not in virtual and name not in shadow]


def _sqlite_columns(database, table):
    return [row[1] for row in database.execute_sql("PRAGMA table_info(%s)" % _quote(table)).fetchall()]


def _postgres_tables(database):
    return [row[0] for row in database.execute_sql(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name").fetchall()]


def _postgres_columns(database, table):
    """[(column, data type)] in the table's order."""
    return [(row[0], row[1]) for row in database.execute_sql(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = %s ORDER BY ordinal_position", (table,)).fetchall()]


def _foreign_key_order(database, tables):
    """tables ordered so that a table comes after those its foreign keys point to."""
    depends = {t: set() for t in tables}
    for table in tables:
        for fk in database.get_foreign_keys(table):
            if fk.dest_table in depends and fk.dest_table != table:
                depends[table].add(fk.dest_table)
    ordered, placed = [], set()
    while len(ordered) < len(tables):
        ready = sorted(t for t in tables if t not in placed and depends[t] <= placed)
        if not ready:  # a cycle: place the rest as they come
            ready = sorted(t for t in tables if t not in placed)
        ordered.extend(ready)
        placed.update(ready)
    return ordered


def _converter(data_type):
    """A function turning a SQLite value into what the PostgreSQL column takes."""
    if data_type == "boolean":
        return lambda v: None if v is None else bool(v)
    if data_type in ("smallint", "integer", "bigint"):
        return lambda v: int(v) if isinstance(v, (str, float)) else v
    if data_type in ("text", "character varying", "character"):
        return lambda v: v if v is None or isinstance(v, str) else (
            v.decode("utf-8") if isinstance(v, bytes) else str(v))
    if data_type == "bytea":
        return lambda v: v if v is None or isinstance(v, bytes) else (
            v.encode("utf-8") if isinstance(v, str) else bytes(v))
    return lambda v: v


def _comparable(value, data_type):
    if value is None:
        return None
    if data_type == "boolean":
        return bool(value)
    if data_type == "bytea":
        return bytes(value) if not isinstance(value, str) else value.encode("utf-8")
    if data_type in ("smallint", "integer", "bigint"):
        return int(value)
    if data_type in ("text", "character varying", "character"):
        return value.decode("utf-8") if isinstance(value, bytes) else str(value)
    return value


def _count(database, table):
    return database.execute_sql("SELECT COUNT(*) FROM %s" % _quote(table)).fetchone()[0]


def _migrate(store):
    from store import migrations
    previous = store_db.current
    store_db.activate(store)
    try:
        return migrations.migrate(store)
    finally:
        if previous is not None:
            store_db.activate(previous)


def _open_source(path):
    if not os.path.isfile(path):
        raise CopyError("no SQLite database at %s" % path)
    with open(path, "rb") as f:
        if f.read(16) != b"SQLite format 3\x00":
            raise CopyError("%s is not a SQLite database" % path)
    return store_db.Store("sqlite", store_db.open_database("sqlite", path, max_connections=2))


def _open_target(dsn):
    if not dsn.startswith(("postgres://", "postgresql://")):
        raise CopyError("the target must be a PostgreSQL DSN such as "
                        "postgres://mmuser:password@localhost:5432/mattermost?sslmode=disable")
    target = store_db.Store("postgres", store_db.open_database("postgres", dsn, max_connections=2))
    try:
        target.db.connect(reuse_if_open=True)
    except Exception as e:  # psycopg2.OperationalError: not reachable, no such database, ...
        raise CopyError("cannot connect to the PostgreSQL database: %s" % str(e).strip())
    return target


def target_rows(dsn):
    """{table: rows} of the tables of the target that hold data beyond what the
    migrations put in an empty database."""
    target = _open_target(dsn)
    try:
        return _used_tables(target.db)
    finally:
        target.db.close_all()


def _used_tables(database):
    used = {}
    for table in _postgres_tables(database):
        if table in SEEDED_TABLES:
            continue
        rows = _count(database, table)
        if rows:
            used[table] = rows
    return used


def copy_sqlite_to_postgres(sqlite_path, postgres_dsn, force=False, batch_size=1000, progress=None,
                            sample_size=SAMPLE_SIZE):
    """Copy every table of the SQLite database at sqlite_path into the
    PostgreSQL database postgres_dsn names; returns a Report (report.ok is the
    verification's verdict). Raises CopyError when the copy cannot start: no
    source, no target, or a target that already holds data (unless force,
    which replaces it)."""
    source = _open_source(sqlite_path)
    target = _open_target(postgres_dsn)
    report = Report()
    try:
        used = _used_tables(target.db)
        if used and not force:
            listed = ", ".join("%s (%d rows)" % item for item in sorted(used.items())[:5])
            raise CopyError("the target database already holds data: %s%s; copy into an empty database, "
                            "or give --force to replace what it holds"
                            % (listed, ", ..." if len(used) > 5 else ""))
        report.migrated_source = _migrate(source)
        report.migrated_target = _migrate(target)
        _check_versions(source.db, target.db)
        _copy_tables(source.db, target.db, report, batch_size, progress)
        _verify(source.db, target.db, report, sample_size)
    finally:
        source.db.close_all()
        target.db.close_all()
    return report


def verify_copy(sqlite_path, postgres_dsn, sample_size=SAMPLE_SIZE):
    """Compare a SQLite database with an earlier copy of it in PostgreSQL:
    row counts of every table both have, and a sample of rows field by field."""
    source = _open_source(sqlite_path)
    target = _open_target(postgres_dsn)
    report = Report()
    try:
        target_tables = set(_postgres_tables(target.db))
        common = [t for t in _sqlite_tables(source.db) if t in target_tables]
        report.tables = [(t, None, None) for t in _foreign_key_order(target.db, common)]
        _verify(source.db, target.db, report, sample_size)
    finally:
        source.db.close_all()
        target.db.close_all()
    return report


def _check_versions(source, target):
    known = {row[0] for row in target.execute_sql("SELECT version FROM schema_migrations").fetchall()}
    have = {row[0] for row in source.execute_sql("SELECT version FROM schema_migrations").fetchall()}
    newer = sorted(have - known)
    if newer:
        raise CopyError("the source database has schema migrations this version does not know (%s): "
                        "copy it with the version of the server that wrote it" % ", ".join(map(str, newer)))


def _copy_tables(source, target, report, batch_size, progress):
    from psycopg2.extras import execute_values

    source_tables = _sqlite_tables(source)
    target_tables = _postgres_tables(target)
    common = [t for t in source_tables if t in set(target_tables)]
    report.skipped = sorted(t for t in source_tables if t not in set(target_tables))
    ordered = _foreign_key_order(target, common)
    totals = {t: _count(source, t) for t in ordered}

    with target.atomic():
        # Empty every table of the target (the rows the migrations seeded, and
        # with --force whatever was there), then fill them from the source.
        if target_tables:
            target.execute_sql("TRUNCATE %s" % ", ".join(_quote(t) for t in target_tables))
        for table in ordered:
            columns = _postgres_columns(target, table)
            source_columns = set(_sqlite_columns(source, table))
            copied = [(name, kind) for name, kind in columns if name in source_columns]
            missing = sorted(source_columns - {name for name, _ in columns})
            if missing:
                report.dropped_columns[table] = missing
            names = [name for name, _ in copied]
            converters = [_converter(kind) for _, kind in copied]
            insert = "INSERT INTO %s (%s) VALUES %%s" % (_quote(table), ", ".join(_quote(n) for n in names))
            cursor = source.execute_sql("SELECT %s FROM %s" % (", ".join(_quote(n) for n in names), _quote(table)))
            done = 0
            if progress:
                progress(table, 0, totals[table])
            with target.cursor() as out:
                while True:
                    rows = cursor.fetchmany(batch_size)
                    if not rows:
                        break
                    values = [tuple(convert(v) for convert, v in zip(converters, row)) for row in rows]
                    try:
                        execute_values(out, insert, values, page_size=batch_size)
                    except ValueError as e:  # e.g. a NUL character PostgreSQL text cannot hold
                        raise CopyError("table %s: a value PostgreSQL cannot store: %s" % (table, e))
                    done += len(rows)
                    if progress:
                        progress(table, done, max(totals[table], done))
            cursor.close()
            if progress:
                progress(table, done, done)
        report.sequences = _fix_sequences(target, target_tables)
    target.execute_sql("ANALYZE")
    report.tables = [(t, totals[t], None) for t in ordered]


def _fix_sequences(target, tables):
    """Move every sequence that feeds a column past the largest value copied."""
    moved = []
    for table in tables:
        for column, _ in _postgres_columns(target, table):
            sequence = target.execute_sql("SELECT pg_get_serial_sequence(%s, %s)",
                                          (_quote(table), column)).fetchone()[0]
            if not sequence:
                continue
            highest = target.execute_sql("SELECT MAX(%s) FROM %s" % (_quote(column), _quote(table))).fetchone()[0]
            if highest is None:
                target.execute_sql("SELECT setval(%s, 1, false)", (sequence,))
                moved.append((sequence, 1))
            else:
                target.execute_sql("SELECT setval(%s, %s, true)", (sequence, int(highest)))
                moved.append((sequence, int(highest) + 1))
    return moved


def _verify(source, target, report, sample_size):
    checked = []
    for table, source_rows, _ in report.tables:
        target_rows_now = _count(target, table)
        source_rows = _count(source, table)
        checked.append((table, source_rows, target_rows_now))
        if source_rows != target_rows_now:
            report.mismatches.append("%s: %d rows in the source, %d in the target"
                                     % (table, source_rows, target_rows_now))
            continue
        columns = [(n, k) for n, k in _postgres_columns(target, table)
                   if n not in report.dropped_columns.get(table, ())
                   and n in set(_sqlite_columns(source, table))]
        keys = target.get_primary_keys(table) or [n for n, _ in columns]
        kinds = dict(columns)
        names = [n for n, _ in columns]
        select = ", ".join(_quote(n) for n in names)
        # Spot checks: the first and last rows by key, and a random sample.
        key_order = ", ".join(_quote(k) for k in keys)
        picked = source.execute_sql("SELECT %s FROM %s ORDER BY %s LIMIT 1" % (select, _quote(table), key_order)).fetchall()
        picked += source.execute_sql("SELECT %s FROM %s ORDER BY %s LIMIT 1"
                                     % (select, _quote(table), ", ".join(_quote(k) + " DESC" for k in keys))).fetchall()
        picked += source.execute_sql("SELECT %s FROM %s ORDER BY RANDOM() LIMIT %d"
                                     % (select, _quote(table), max(0, sample_size - 2))).fetchall()
        for row in picked:
            values = dict(zip(names, row))
            where = " AND ".join("%s = %%s" % _quote(k) for k in keys)
            found = target.execute_sql("SELECT %s FROM %s WHERE %s" % (select, _quote(table), where),
                                       tuple(_converter(kinds[k])(values[k]) for k in keys)).fetchall()
            report.sampled += 1
            key_text = ", ".join("%s=%r" % (k, values[k]) for k in keys)
            if len(found) != 1:
                report.mismatches.append("%s: the row %s is not in the target" % (table, key_text))
                continue
            for name, theirs in zip(names, found[0]):
                if _comparable(values[name], kinds[name]) != _comparable(theirs, kinds[name]):
                    report.mismatches.append("%s: the row %s differs in %s" % (table, key_text, name))
    report.tables = checked

