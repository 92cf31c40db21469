"""The store on SQLite and PostgreSQL: versioned migrations, transactions."""
import pytest
import peewee

from store import db, migrations, models, system


def test_schema_created_and_recorded(app):
    assert migrations.schema_version() == migrations.MIGRATIONS[-1][0]
    assert system.get("InstallationDate").isdigit()
    assert len(system.get("DiagnosticId")) == 26


def test_migrate_again_changes_nothing(app):
    installed = system.get("InstallationDate")
    assert migrations.migrate(db.current) == []
    assert system.get("InstallationDate") == installed


def test_existing_database_upgrades_without_loss(fresh_app, monkeypatch):
    models.System.insert(name="Kept", value="yes").execute()
    applied = []

    def m0002_example(store):
        applied.append(store.driver)
        db.database.execute_sql("CREATE TABLE example_upgrade (id INTEGER PRIMARY KEY)")

    example = migrations.MIGRATIONS[-1][0] + 1
    monkeypatch.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS + [(example, "example", m0002_example)])
    assert migrations.migrate(db.current) == [example]
    assert applied == [db.current.driver]
    assert system.get("Kept") == "yes"
    assert migrations.schema_version() == example
    assert migrations.migrate(db.current) == []


def test_failed_migration_rolls_back(fresh_app, monkeypatch):
    def m0002_broken(store):
        db.database.execute_sql("CREATE TABLE half_done (id INTEGER PRIMARY KEY)")
        raise RuntimeError("boom")

    before = migrations.schema_version()
    monkeypatch.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS + [(before + 1, "broken", m0002_broken)])
    with pytest.raises(RuntimeError):
        migrations.migrate(db.current)
    assert migrations.schema_version() == before
    assert "half_done" not in db.database.get_tables()


def test_after_commit_runs_only_on_commit(fresh_app):
    ran = []
    with db.transaction() as tx:
        models.System.insert(name="A", value="1").execute()
        tx.after_commit(lambda: ran.append("committed"))
        with db.transaction() as inner:
            inner.after_commit(lambda: ran.append("inner"))
        assert ran == []
    assert ran == ["committed", "inner"]

    ran.clear()
    with db.transaction() as outer:
        outer.after_commit(lambda: ran.append("outer"))
        try:
            with db.transaction() as inner:
                models.System.insert(name="C", value="3").execute()
                inner.after_commit(lambda: ran.append("rolled-back inner"))
                raise KeyError
        except KeyError:
            pass
    assert ran == ["outer"]
    assert system.get("C") is None

    with pytest.raises(ValueError):
        with db.transaction() as tx:
            models.System.insert(name="B", value="2").execute()
            tx.after_commit(lambda: ran.append("rolled back"))
            raise ValueError
    assert "rolled back" not in ran
    assert system.get("B") is None


def test_database_check(app):
    assert system.database_ok()
    assert db.current is app.config["MM_STORE"]


def test_after_commit_callback_failure_is_contained(fresh_app):
    ran = []
    with db.transaction() as tx:
        tx.after_commit(lambda: 1 / 0)
        tx.after_commit(lambda: ran.append("second"))
    assert ran == ["second"]


def test_set_value_upserts(app):
    system.set_value("Upserted", "1")
    system.set_value("Upserted", "2")
    assert system.get("Upserted") == "2"


def test_filestore_check(tmp_path):
    assert system.filestore_ok(str(tmp_path / "files"))
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    assert not system.filestore_ok(str(blocker / "sub"))


def test_postgres_dsn_drops_go_driver_options():
    assert db._postgres_dsn("postgres://u:p@h:5432/d?sslmode=disable&binary_parameters=yes") == \
        "postgres://u:p@h:5432/d?sslmode=disable"


def test_compiled_lookups_answer_as_peewee_does_and_compile_once(app, client, admin):
    """store.db.Lookup: the same rows as the query peewee builds each time,
    on both stores; the SQL is built once per dialect; other arguments bind."""
    from conftest import create
    from store import users
    U = models.User
    built = []

    def build(a):
        built.append(1)
        return U.select().where((U.id == a[0]) & (U.delete_at == 0)).limit(1)

    lookup = db.Lookup(U, build)
    first, second = create(client, admin), create(client, admin)
    with app.app_context():
        for person in (first, second):
            mine = lookup.first(person["id"])
            theirs = U.get_or_none(U.id == person["id"])
            assert mine is not None and mine.id == person["id"]
            # Same values of the same types (True, not 1; {} for an empty JSON column).
            assert {f.name: (type(getattr(mine, f.name)), getattr(mine, f.name)) for f in U._meta.sorted_fields} \
                == {f.name: (type(getattr(theirs, f.name)), getattr(theirs, f.name)) for f in U._meta.sorted_fields}
            assert mine._dirty == theirs._dirty == set() and mine == theirs
        assert lookup.first("x" * 26) is None and lookup.all("x" * 26) == []
        assert len(built) == 1
        assert users.get(first["id"]).username == first["username"] and users.get(None) is None


def test_objects_builds_the_rows_peewee_builds(app, client, admin):
    """store.db.objects(query): the rows of a built select, the same values of
    the same types as list(query); a select of joined columns goes through peewee."""
    from conftest import create
    U, S = models.User, models.Status
    for _ in range(3):
        create(client, admin)
    with app.app_context():
        query = U.select().where(U.delete_at == 0).order_by(U.username)

        def fields(rows):
            return [{f.name: (type(getattr(r, f.name)), getattr(r, f.name)) for f in U._meta.sorted_fields}
                    for r in rows]

        mine, theirs = db.objects(query), list(query)
        assert len(mine) >= 4 and fields(mine) == fields(theirs)
        assert all(r._dirty == set() for r in mine)
        assert fields(db.objects(query)) == fields(theirs)          # the plan, kept, builds the same
        assert db.objects(query.where(U.id == "x" * 26)) == []
        partial = db.objects(U.select(U.id, U.username).order_by(U.username))
        assert [(r.id, r.username, r.email) for r in partial] == [(r.id, r.username, None) for r in theirs]
        joined = U.select(U, S).join(S, peewee.JOIN.LEFT_OUTER, on=(S.user_id == U.id), attr="st")
        assert [r.id for r in db.objects(joined.order_by(U.username))] == [r.id for r in theirs]


def test_compiled_lookups_take_lists(app, client, admin):
    """A list argument compiles once per length; a list longer than MAX_LIST
    is compiled each time; rows and tuples come back as peewee gives them."""
    from conftest import create
    U = models.User
    built = []

    def build(a):
        built.append(len(a[0]))
        return U.select(U.id, U.username).where(U.id.in_(a[0])).order_by(U.username)

    lookup = db.Lookup(U, build)
    people = [create(client, admin) for _ in range(3)]
    ids = [p["id"] for p in people]
    with app.app_context():
        expected = sorted(p["username"] for p in people)
        assert [u.username for u in lookup.all(ids)] == expected
        assert [u.username for u in lookup.all(list(reversed(ids)))] == expected
        assert [row[1] for row in lookup.tuples(set(ids))] == expected
        assert [u.id for u in lookup.all(ids[:1])] == ids[:1]
        assert built == [3, 1]                       # one compile per length
        many = ids + ["z" * 26] * (db.Lookup.MAX_LIST + 1)
        assert len(lookup.all(many)) == 3
        assert len(lookup.all(many)) == 3 and built[2:] == [len(many), len(many)]   # not cached
        assert len(lookup._plans) == 2          # row plans kept for the compiled statements only
        assert lookup.all([]) == []


def test_compiled_writes_change_what_peewee_would(app, client, admin):
    """Lookup.write: an UPDATE compiled once, its integer and text arguments
    bound per call and its constants kept; it answers the rows it changed."""
    from conftest import create
    U = models.User
    built = []

    def build(a):
        built.append(1)
        return U.update(update_at=a[0], locale=a[1], last_picture_update=0).where(U.id == a[2])

    lookup = db.Lookup(U, build)
    first, second = create(client, admin), create(client, admin)
    with app.app_context():
        U.update(last_picture_update=5).where(U.id.in_([first["id"], second["id"]])).execute()
        assert lookup.write(1234, "fr", first["id"]) == 1
        assert lookup.write(99, "de", second["id"]) == 1
        assert lookup.write(7, "es", "x" * 26) == 0
        rows = {u.id: (u.update_at, u.locale, u.last_picture_update)
                for u in U.select().where(U.id.in_([first["id"], second["id"]]))}
        assert rows == {first["id"]: (1234, "fr", 0), second["id"]: (99, "de", 0)}
        assert len(built) == 1


def test_request_memo_reads_once_and_forgets_at_each_commit(app):
    """store.db.remembered: one read per key while a request's memo is on;
    none kept across a commit or inside a transaction; off, it always reads."""
    reads = []

    def read():
        reads.append(1)
        return len(reads)

    with app.app_context():
        assert db.remembered("k", read) == 1 and db.remembered("k", read) == 2   # no memo: always reads
        db.begin_memo()
        try:
            assert db.remembered("k", read) == 3 and db.remembered("k", read) == 3
            with db.transaction():
                assert db.remembered("k", read) == 4       # a transaction reads for itself
            assert db.remembered("k", read) == 5           # the commit emptied the memo
            assert db.remembered("k", read) == 5
        finally:
            db.end_memo()
        assert db.remembered("k", read) == 6


def test_compiled_lookups_run_prepared_on_postgres(app, client, admin, store_kind):
    """On PostgreSQL a compiled lookup is prepared once per connection (outside
    transactions) and then executed by name, with the same rows; a statement
    PostgreSQL will not prepare runs as plain SQL."""
    if store_kind != "postgres":
        pytest.skip("prepared statements are PostgreSQL's")
    from conftest import create
    U = models.User
    lookup = db.Lookup(U, lambda a: U.select().where((U.id == a[0]) & (U.update_at >= 0)).limit(1))  # SQL of its own
    # $1 and $2 have no type PostgreSQL can infer: SUM(text) when prepared
    untyped = db.Lookup(U, lambda a: U.select(peewee.fn.SUM(peewee.Case(None, [(U.id == a[0], a[1])], a[2]))))
    person = create(client, admin)
    sent = []
    with app.app_context():
        original = db.current.db.execute_sql

        def recording(sql, params=None, *args, **kwargs):
            sent.append(sql)
            return original(sql, params, *args, **kwargs)
        db.current.db.execute_sql = recording
        try:
            with db.transaction():
                assert lookup.first(person["id"]).username == person["username"]
            assert sent[-1].startswith("SELECT")                  # not prepared inside a transaction
            assert lookup.first(person["id"]).username == person["username"]
            assert sent[-1].startswith("EXECUTE mm_lookup_")
            assert lookup.first("x" * 26) is None and sent[-1].startswith("EXECUTE")
            assert untyped.tuples(person["id"], 1, 0) == [(1,)] and sent[-1].startswith("SELECT")
            assert untyped.tuples("x" * 26, 1, 0) == [(0,)] and sent[-1].startswith("SELECT")
        finally:
            del db.current.db.execute_sql


def test_compiled_lookups_take_integers(app, client, admin):
    """An integer argument is bound like text: compiled once, any value."""
    from conftest import create
    U = models.User
    built = []

    def build(a):
        built.append(1)
        return U.select(U.id).where((U.id == a[0]) & (U.create_at > a[1]))

    lookup = db.Lookup(U, build)
    person = create(client, admin)
    with app.app_context():
        made = U.get_by_id(person["id"]).create_at
        assert lookup.tuples(person["id"], made - 1) == [(person["id"],)]
        assert lookup.tuples(person["id"], made) == []
        assert lookup.tuples(person["id"], 0) == [(person["id"],)]
        assert len(built) == 1
