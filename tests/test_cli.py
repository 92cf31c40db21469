"""The command-line tool (`python -m api.cli`, installed as mattermost-py):
user and role commands, config show/get/set, db migrate, and db copy from
SQLite to PostgreSQL checked by serving the copy."""
import io
import json
import os
import sqlite3
import subprocess
import sys

import pytest

from conftest import PASSWORD, ROOT, api_request, make_config, running_server

CLI = [sys.executable, "-m", "api.cli"]


def write_config(tmp_path, **sections):
    """A config file on SQLite in tmp_path (fast password hashing), and its path."""
    data = {"SqlSettings": {"DriverName": "sqlite", "DataSource": str(tmp_path / "data" / "mm.db")},
            "FileSettings": {"Directory": str(tmp_path / "files") + os.sep},
            "PythonSettings": {"PasswordWorkFactor": 1000, "LoginRateLimitMaxBurst": 100000}}
    for section, values in sections.items():
        data.setdefault(section, {}).update(values)
    path = tmp_path / "config.json"
    path.write_text(json.dumps(data))
    return str(path)


def clean_env(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("MM_")}
    env.update(extra)
    return env


def run(config_path, *args, env=None):
    """(exit status, stdout, stderr) of the command in a process of its own."""
    result = subprocess.run(CLI + ["--config", config_path] + list(args), cwd=str(ROOT), capture_output=True,
                            text=True, env=env or clean_env(), timeout=120)
    return result.returncode, result.stdout, result.stderr


@pytest.fixture
def in_process():
    """Run api.cli.main in this process; the store the tests' apps use is put back after."""
    from api import cli
    from store import db
    previous = db.current

    def call(*argv, capsys=None):
        return cli.main(list(argv))

    yield call
    if previous is not None:
        db.activate(previous)


def app_for(config_path):
    """The app on the store a config file names (for logging in as a client would)."""
    from api import config as config_module
    from api.app import create_app
    return create_app(config_module.load(config_path, environ={}))


def login(client, login_id, password):
    return client.post("/api/v4/users/login", json={"login_id": login_id, "password": password})


# ---------------------------------------------------------------------------
# users and roles

def test_user_create_change_password_and_roles(tmp_path, in_process, capsys):
    from store import db
    path = write_config(tmp_path)
    previous = db.current
    status, out, err = run(path, "user", "create", "--email", "Boss@Example.com", "--username", "boss",
                           "--password", "first-pass-1", "--first-name", "Big", "--last-name", "Boss")
    assert status == 0, err
    assert "Created user boss" in out and "system_admin" in out   # the first account is an admin
    assert in_process("--config", path, "user", "create", "--email", "ann@example.com", "--username", "ann",
                      "--password", "ann-pass-12") == 0
    assert in_process("--config", path, "user", "create", "--email", "root@example.com", "--username", "root2",
                      "--password", "root-pass-12", "--system-admin", "--nickname", "r") == 0
    capsys.readouterr()

    app = app_for(path)
    try:
        client = app.test_client()
        response = login(client, "boss@example.com", "first-pass-1")
        assert response.status_code == 200, response.data
        me = response.get_json()
        assert (me["first_name"], me["last_name"], me["email"]) == ("Big", "Boss", "boss@example.com")
        assert set(me["roles"].split()) == {"system_admin", "system_user"}
        old_token = response.headers["Token"]
        ann = login(client, "ann", "ann-pass-12")
        assert ann.status_code == 200 and ann.get_json()["roles"] == "system_user"
        root = login(client, "root2", "root-pass-12").get_json()
        assert set(root["roles"].split()) == {"system_admin", "system_user"} and root["nickname"] == "r"

        # change-password by email: the new password works, the old one and the old sessions do not
        assert in_process("--config", path, "user", "change-password", "boss@example.com",
                          "--password", "second-pass-2") == 0
        assert "session(s) revoked" in capsys.readouterr().out
        assert client.get("/api/v4/users/me", headers={"Authorization": "Bearer " + old_token}).status_code == 401
        assert login(client, "boss", "first-pass-1").status_code == 401
        assert login(client, "boss", "second-pass-2").status_code == 200

        # roles by username and by id; the change reaches live sessions
        ann_token = ann.headers["Token"]
        ann_id = ann.get_json()["id"]
        assert in_process("--config", path, "roles", "system-admin", "ann") == 0
        me = client.get("/api/v4/users/me", headers={"Authorization": "Bearer " + ann_token}).get_json()
        assert set(me["roles"].split()) == {"system_admin", "system_user"}
        assert client.get("/api/v4/users/stats", headers={"Authorization": "Bearer " + ann_token}).status_code == 200
        assert in_process("--config", path, "roles", "member", ann_id) == 0
        me = client.get("/api/v4/users/me", headers={"Authorization": "Bearer " + ann_token}).get_json()
        assert me["roles"] == "system_user"

        assert in_process("--config", path, "user", "list") == 0
        listed = capsys.readouterr().out
        assert "%s: ann (ann@example.com)" % ann_id in listed and "boss (boss@example.com)" in listed
    finally:
        db.close()
        if previous is not None:
            db.activate(previous)


def test_user_commands_refuse_bad_input(tmp_path, in_process, capsys):
    path = write_config(tmp_path, PasswordSettings={"MinimumLength": 10, "Number": True})
    def fails(*argv):
        status = in_process("--config", path, *argv)
        err = capsys.readouterr().err
        assert status == 1, err
        assert err.startswith("Error: ")
        return err
    assert "pwd_min_length" in fails("user", "create", "--email", "a@example.com", "--username", "a",
                                     "--password", "short1")
    assert "pwd_number" in fails("user", "create", "--email", "a@example.com", "--username", "a",
                                 "--password", "no-digits-here")
    assert "username" in fails("user", "create", "--email", "a@example.com", "--username", "bad name!",
                               "--password", "long-enough-1")
    assert "email" in fails("user", "create", "--email", "not-an-email", "--username", "a",
                            "--password", "long-enough-1")
    assert in_process("--config", path, "user", "create", "--email", "a@example.com", "--username", "a",
                      "--password", "long-enough-1") == 0
    assert "already exists" in fails("user", "create", "--email", "A@example.com", "--username", "b",
                                     "--password", "long-enough-1")
    assert "no user 'ghost'" in fails("user", "change-password", "ghost", "--password", "long-enough-2")
    assert "no user" in fails("roles", "system-admin", "ghost@example.com")
    assert "pwd_min_length" in fails("user", "change-password", "a", "--password", "short2")
    with pytest.raises(SystemExit) as exited:   # argparse: a required option is missing
        in_process("--config", path, "user", "create", "--email", "x@example.com", "--username", "x")
    assert exited.value.code == 2


# ---------------------------------------------------------------------------
# config

def test_config_show_get_set(tmp_path, in_process, capsys):
    path = write_config(tmp_path, EmailSettings={"SMTPPassword": "hunter2"})
    status, out, err = run(path, "config", "show", env=clean_env(MM_TEAMSETTINGS_SITENAME="FromEnv"))
    assert status == 0, err
    shown = json.loads(out)
    assert shown["TeamSettings"]["SiteName"] == "FromEnv"             # effective: the override applies
    assert shown["PythonSettings"]["PasswordWorkFactor"] == 1000       # from the file
    assert shown["ServiceSettings"]["ListenAddress"] == ":8065"        # a default
    assert shown["SqlSettings"]["DataSource"] == "*" * 32              # secrets as Mattermost shows them
    assert shown["EmailSettings"]["SMTPPassword"] == "*" * 32
    assert "hunter2" not in out and "mm.db" not in out

    assert in_process("--config", path, "config", "set", "TeamSettings.MaxUsersPerTeam", "77") == 0
    assert in_process("--config", path, "config", "set", "TeamSettings.EnableOpenServer", "true") == 0
    assert in_process("--config", path, "config", "set", "TeamSettings.SiteName", "Our Chat") == 0
    assert in_process("--config", path, "config", "set", "SqlSettings.DataSourceReplicas", "r1", "r2") == 0
    capsys.readouterr()
    for name, expected in (("TeamSettings.MaxUsersPerTeam", 77), ("TeamSettings.EnableOpenServer", True),
                           ("TeamSettings.SiteName", "Our Chat")):
        assert in_process("--config", path, "config", "get", name) == 0
        assert json.loads(capsys.readouterr().out) == expected
    saved = json.loads(open(path).read())
    assert saved["TeamSettings"]["MaxUsersPerTeam"] == 77 and saved["SqlSettings"]["DataSourceReplicas"] == ["r1", "r2"]
    assert saved["EmailSettings"]["SMTPPassword"] == "hunter2"   # the file keeps the real secret
    assert saved["SqlSettings"]["DataSource"].endswith("mm.db")

    # an environment override: warned about, and never written to the file
    status, out, err = run(path, "config", "set", "TeamSettings.SiteName", "Other",
                           env=clean_env(MM_TEAMSETTINGS_SITENAME="FromEnv", MM_TEAMSETTINGS_MAXUSERSPERTEAM="5"))
    assert status == 0 and "MM_TEAMSETTINGS_SITENAME" in err and "overrides" in err
    saved = json.loads(open(path).read())
    assert saved["TeamSettings"]["SiteName"] == "Other" and saved["TeamSettings"]["MaxUsersPerTeam"] == 77
    status, out, err = run(path, "config", "set", "TeamSettings.MaxUsersPerTeam", "80")
    assert status == 0 and err == ""

    for argv, message in ((("set", "TeamSettings.NoSuchThing", "1"), "unknown setting"),
                          (("get", "NoSection.SiteName"), "unknown setting"),
                          (("get", "TeamSettings"), "unknown setting"),
                          (("set", "TeamSettings.MaxUsersPerTeam", "many"), "whole number"),
                          (("set", "TeamSettings.EnableOpenServer", "perhaps"), "true or false"),
                          (("set", "TeamSettings.SiteName", "a", "b"), "one value")):
        assert in_process("--config", path, "config", *argv) == 1
        assert message in capsys.readouterr().err
    assert json.loads(open(path).read())["TeamSettings"]["MaxUsersPerTeam"] == 80   # left as it was


def test_db_migrate_prints_versions(tmp_path):
    path = write_config(tmp_path)
    status, out, err = run(path, "db", "migrate")
    assert status == 0, err
    assert "applied migration 1: systems" in out and out.strip().splitlines()[-1].startswith("schema at version")
    status, again, err = run(path, "db", "migrate")
    assert status == 0 and "applied migration" not in again and again.strip() == out.strip().splitlines()[-1]


# ---------------------------------------------------------------------------
# db copy: SQLite -> PostgreSQL

def _drive(client):
    """A little of everything a day of use writes: accounts, a team, channels,
    a direct message, posts, a reply, reactions, a file, preferences, a status."""
    def ok(response, status=(200, 201)):
        assert response.status_code in status, response.data
        return response.get_json()

    ok(client.post("/api/v4/users", json={"username": "ada", "email": "ada@example.com", "password": PASSWORD}))
    ada = login(client, "ada", PASSWORD)
    h = {"Authorization": "Bearer " + ada.headers["Token"]}
    ada_id = ada.get_json()["id"]
    bob = ok(client.post("/api/v4/users", json={"username": "bob", "email": "bob@example.com",
                                                "password": PASSWORD}, headers=h))
    team = ok(client.post("/api/v4/teams", json={"name": "crew", "display_name": "Crew", "type": "O"}, headers=h))
    ok(client.post("/api/v4/teams/%s/members" % team["id"], json={"team_id": team["id"], "user_id": bob["id"]},
                   headers=h))
    town = ok(client.get("/api/v4/teams/%s/channels/name/town-square" % team["id"], headers=h))
    private = ok(client.post("/api/v4/channels", json={"team_id": team["id"], "name": "secret", "display_name": "Secret",
                                                       "type": "P"}, headers=h))
    dm = ok(client.post("/api/v4/channels/direct", json=[ada_id, bob["id"]], headers=h))
    root = ok(client.post("/api/v4/posts", json={"channel_id": town["id"], "message": "launch the zeppelin today #plans"},
                          headers=h))
    ok(client.post("/api/v4/posts", json={"channel_id": town["id"], "message": "a reply in the thread",
                                          "root_id": root["id"]}, headers=h))
    ok(client.post("/api/v4/posts", json={"channel_id": private["id"], "message": "quiet words"}, headers=h))
    ok(client.post("/api/v4/posts", json={"channel_id": dm["id"], "message": "hello bob"}, headers=h))
    ok(client.post("/api/v4/reactions", json={"user_id": ada_id, "post_id": root["id"], "emoji_name": "rocket"},
                   headers=h))
    upload = ok(client.post("/api/v4/files", data={"channel_id": town["id"],
                                                   "files": [(io.BytesIO(b"notes about zeppelins"), "notes.txt")]},
                            headers=h, content_type="multipart/form-data"))
    ok(client.post("/api/v4/posts", json={"channel_id": town["id"], "message": "the notes",
                                          "file_ids": [upload["file_infos"][0]["id"]]}, headers=h))
    ok(client.put("/api/v4/users/%s/preferences" % ada_id, json=[
        {"user_id": ada_id, "category": "display_settings", "name": "use_military_time", "value": "true"}], headers=h))
    ok(client.put("/api/v4/users/%s/status" % ada_id, json={"user_id": ada_id, "status": "dnd"}, headers=h))
    ok(client.get("/api/v4/users/me/teams/%s/channels/categories" % team["id"], headers=h))
    return {"team": team, "town": town, "root": root, "ada_id": ada_id}


def test_db_copy_sqlite_to_postgres(tmp_path, postgres_server):
    from api.app import create_app
    from store import db
    previous = db.current
    config = make_config(tmp_path)
    app = create_app(config)
    try:
        made = _drive(app.test_client())
    finally:
        db.close()
        if previous is not None:
            db.activate(previous)
    source = config["SqlSettings"]["DataSource"]
    with sqlite3.connect(source) as connection:   # ids a sequence must continue after
        connection.executemany("INSERT INTO websocket_events (id, payload, create_at) VALUES (?, ?, ?)",
                               [(7, "{}", 1), (41, "{}", 2)])
    dsn = postgres_server.new_database()
    path = write_config(tmp_path)

    status, out, err = run(path, "db", "copy", "--from-sqlite", source, "--to-postgres", dsn)
    assert status == 0, out + err
    assert "verified:" in out and "counts equal" in out
    assert "users" in out and "posts" in out                      # progress lines per table
    assert "websocket_events_id_seq continues at 42" in out

    import psycopg2
    counts = {}
    with sqlite3.connect(source) as connection:
        tables = [r[0] for r in connection.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE '%fts%'")]
        for table in tables:
            counts[table] = connection.execute('SELECT COUNT(*) FROM "%s"' % table).fetchone()[0]
        roles_id = connection.execute("SELECT id FROM roles WHERE name = 'system_admin'").fetchone()[0]
    assert counts["posts"] >= 5 and counts["reactions"] == 1 and counts["file_info"] == 1
    target = psycopg2.connect(dsn)
    try:
        with target.cursor() as cursor:
            for table, rows in counts.items():
                cursor.execute('SELECT COUNT(*) FROM "%s"' % table)
                assert cursor.fetchone()[0] == rows, table
            cursor.execute("SELECT id FROM roles WHERE name = 'system_admin'")
            assert cursor.fetchone()[0] == roles_id          # the source's roles, not fresh ones
            cursor.execute("INSERT INTO websocket_events (payload, create_at) VALUES ('{}', 3) RETURNING id")
            assert cursor.fetchone()[0] == 42
        target.rollback()
    finally:
        target.close()

    # A target that holds data is refused, unless --force.
    status, out, err = run(path, "db", "copy", "--from-sqlite", source, "--to-postgres", dsn)
    assert status == 1 and "already holds data" in err and "--force" in err
    status, out, err = run(path, "db", "copy", "--from-sqlite", source, "--to-postgres", dsn, "--force")
    assert status == 0, out + err

    # The verification finds a changed field and a missing row.
    target = psycopg2.connect(dsn)
    with target, target.cursor() as cursor:
        cursor.execute("UPDATE teams SET display_name = 'Changed'")
        cursor.execute("DELETE FROM reactions")
    target.close()
    status, out, err = run(path, "db", "copy", "--from-sqlite", source, "--to-postgres", dsn, "--verify-only")
    assert status == 1 and "verification failed" in err
    assert "teams: the row id=" in err and "differs in display_name" in err
    assert "reactions: 1 rows in the source, 0 in the target" in err
    status, out, err = run(path, "db", "copy", "--from-sqlite", source, "--to-postgres", dsn, "--force")
    assert status == 0, out + err
    status, out, err = run(path, "db", "copy", "--from-sqlite", source, "--to-postgres", dsn, "--verify-only")
    assert status == 0 and "counts equal" in out, out + err

    # Serve the copy: the same user logs in, sees the posts, and search finds one.
    env = {"MM_SQLSETTINGS_DRIVERNAME": "postgres", "MM_SQLSETTINGS_DATASOURCE": dsn,
           "MM_FILESETTINGS_DIRECTORY": config["FileSettings"]["Directory"],
           "MM_PYTHONSETTINGS_LOGINRATELIMITMAXBURST": "1000"}
    serve_dir = tmp_path / "serve"
    serve_dir.mkdir()
    with running_server(serve_dir, env=env, quiet=True) as (base, _):
        me, headers = api_request(base, "POST", "/api/v4/users/login", {"login_id": "ada", "password": PASSWORD})
        assert me["id"] == made["ada_id"]
        token = headers["Token"]
        posts, _ = api_request(base, "GET", "/api/v4/channels/%s/posts" % made["town"]["id"], token=token)
        messages = {p["message"] for p in posts["posts"].values()}
        assert {"launch the zeppelin today #plans", "a reply in the thread", "the notes"} <= messages
        root = posts["posts"][made["root"]["id"]]
        assert root["metadata"]["reactions"][0]["emoji_name"] == "rocket"
        found, _ = api_request(base, "POST", "/api/v4/teams/%s/posts/search" % made["team"]["id"],
                               {"terms": "zeppelin", "is_or_search": False}, token=token)
        assert made["root"]["id"] in found["order"]
        files, _ = api_request(base, "POST", "/api/v4/teams/%s/files/search" % made["team"]["id"],
                               {"terms": "notes", "is_or_search": False}, token=token)
        assert len(files["order"]) == 1


def test_a_password_changed_from_the_command_line_ends_sessions_in_a_running_server(tmp_path, postgres_server):
    """On PostgreSQL the tool announces its changes on the servers' bus: a
    running server drops the sessions it cached at once, not when its cache
    would have let them go (a minute later)."""
    import time
    dsn = postgres_server.new_database()
    path = write_config(tmp_path, SqlSettings={"DriverName": "postgres", "DataSource": dsn})
    status, _, err = run(path, "user", "create", "--email", "ada@example.com", "--username", "ada",
                         "--password", "first-pass-1")
    assert status == 0, err
    env = {"MM_SQLSETTINGS_DRIVERNAME": "postgres", "MM_SQLSETTINGS_DATASOURCE": dsn,
           "MM_PYTHONSETTINGS_PASSWORDWORKFACTOR": "1000"}
    serve_dir = tmp_path / "serve"
    serve_dir.mkdir()
    with running_server(serve_dir, env=env, quiet=True) as (base, _):
        _, headers = api_request(base, "POST", "/api/v4/users/login", {"login_id": "ada", "password": "first-pass-1"})
        token = headers["Token"]
        me, _ = api_request(base, "GET", "/api/v4/users/me", token=token)   # the session is cached now
        assert me["username"] == "ada"
        status, out, err = run(path, "user", "change-password", "ada", "--password", "second-pass-2")
        assert status == 0 and "session(s) revoked" in out, (out, err)
        deadline = time.monotonic() + 10
        while True:
            try:
                api_request(base, "GET", "/api/v4/users/me", token=token)
            except Exception as refused:
                assert "401" in str(refused)
                break
            assert time.monotonic() < deadline, "the server still accepts the revoked session"
            time.sleep(0.1)


def test_db_copy_refuses_bad_source_and_target(tmp_path, postgres_server):
    path = write_config(tmp_path)
    dsn = postgres_server.new_database()
    status, _, err = run(path, "db", "copy", "--from-sqlite", str(tmp_path / "missing.db"), "--to-postgres", dsn)
    assert status == 1 and "no SQLite database" in err
    not_sqlite = tmp_path / "notes.txt"
    not_sqlite.write_text("hello")
    status, _, err = run(path, "db", "copy", "--from-sqlite", str(not_sqlite), "--to-postgres", dsn)
    assert status == 1 and "not a SQLite database" in err
    status, out, err = run(path, "db", "migrate")
    source = json.loads(open(path).read())["SqlSettings"]["DataSource"]
    status, _, err = run(path, "db", "copy", "--from-sqlite", source, "--to-postgres", "mysql://x")
    assert status == 1 and "PostgreSQL DSN" in err
    bad = dsn.rsplit("/", 1)[0] + "/no_such_database?sslmode=disable"
    status, _, err = run(path, "db", "copy", "--from-sqlite", source, "--to-postgres", bad)
    assert status == 1 and "cannot connect" in err


def test_progress_lines():
    from api.cli import Progress

    class Stream(io.StringIO):
        def __init__(self, tty):
            super().__init__()
            self._tty = tty

        def isatty(self):
            return self._tty

    def line(table, done, total):
        return "  %-26s %10d / %d rows" % (table, done, total)

    plain = Stream(False)
    progress = Progress(plain, interval=3600)
    for done in (0, 1000, 2000, 2500, 2500):
        progress("posts", done, 2500)
    progress("users", 0, 0)
    assert plain.getvalue().splitlines() == [line("posts", 2500, 2500), line("users", 0, 0)]
    plain = Stream(False)
    progress = Progress(plain, interval=0)   # a long table: lines along the way too
    for done in (0, 1000, 2500):
        progress("posts", done, 2500)
    assert plain.getvalue().splitlines() == [line("posts", 1000, 2500), line("posts", 2500, 2500)]
    tty = Stream(True)
    progress = Progress(tty)
    for done in (0, 1000, 2500):
        progress("posts", done, 2500)
    assert tty.getvalue().count("\r") == 3 and tty.getvalue().endswith("2500 / 2500 rows\n")
