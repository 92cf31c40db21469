"""Shared fixtures: an app on each store (SQLite, and a throwaway PostgreSQL the
suite starts itself), and a client for it.

Tests that take the `app` or `client` fixture run once per store. The
PostgreSQL half needs PostgreSQL's server binaries (initdb, pg_ctl); without
them it is skipped with a message saying so.
"""
import email
import glob
import itertools
import os
import pathlib
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from api import config as config_module  # noqa: E402

SHARED_API = ROOT.parent / "shared" / "mattermost-api"
STORES = ["sqlite", "postgres"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def find_postgres_bin():
    """The directory holding initdb and pg_ctl, or None."""
    candidates = [os.environ.get("PG_BIN", "")]
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    which = shutil.which("initdb")
    if which:
        candidates.append(os.path.dirname(which))
    for directory in candidates:
        if directory and os.path.exists(os.path.join(directory, "initdb")) \
                and os.path.exists(os.path.join(directory, "pg_ctl")):
            return directory
    return None


class PostgresServer:
    """A PostgreSQL cluster in a temporary directory, on a free loopback port."""

    def __init__(self, bin_dir):
        self.bin_dir = bin_dir
        self.root = tempfile.mkdtemp(prefix="mm-pg-")
        self.data = os.path.join(self.root, "data")
        self.port = free_port()
        self.user = None
        self._counter = itertools.count(1)
        if os.geteuid() == 0:
            # initdb refuses to run as root: the cluster belongs to 'postgres'.
            self.user = pwd.getpwnam("postgres")
            os.chown(self.root, self.user.pw_uid, self.user.pw_gid)

    def _run(self, *args):
        command = [os.path.join(self.bin_dir, args[0])] + list(args[1:])
        if self.user is not None:
            command = ["runuser", "-u", "postgres", "--"] + command
        result = subprocess.run(command, capture_output=True, text=True, cwd=self.root)
        if result.returncode != 0:
            raise RuntimeError("%s failed: %s%s" % (args[0], result.stdout, result.stderr))
        return result

    def start(self):
        self._run("initdb", "-D", self.data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync")
        options = ("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
                   "-c full_page_writes=off -c max_connections=200" % (self.port, self.root))
        self._run("pg_ctl", "-D", self.data, "-l", os.path.join(self.root, "log"), "-o", options, "-w", "start")

    def stop(self):
        try:
            self._run("pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def dsn(self, database="postgres"):
        return "postgres://postgres@127.0.0.1:%d/%s?sslmode=disable&connect_timeout=10" % (self.port, database)

    def new_database(self):
        import psycopg2
        name = "mm_test_%d" % next(self._counter)
        connection = psycopg2.connect(self.dsn())
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("CREATE DATABASE %s" % name)
        connection.close()
        return self.dsn(name)


@pytest.fixture(scope="session")
def postgres_server():
    bin_dir = find_postgres_bin()
    if bin_dir is None:
        pytest.skip("PostgreSQL half of the suite skipped: no PostgreSQL server binaries (initdb, pg_ctl) "
                    "found in /usr/lib/postgresql/*/bin, $PG_BIN or PATH")
    server = PostgresServer(bin_dir)
    server.start()
    yield server
    server.stop()


def make_config(tmp_path, store="sqlite", postgres=None, **overrides):
    """Defaults with the store and file directory in tmp_path, then overrides
    given as section=dict."""
    config = config_module.load(path=str(tmp_path / "absent-config.json"), environ={})
    if store == "sqlite":
        config["SqlSettings"]["DriverName"] = "sqlite"
        config["SqlSettings"]["DataSource"] = str(tmp_path / "data" / "mattermost.db")
    else:
        config["SqlSettings"]["DriverName"] = "postgres"
        config["SqlSettings"]["DataSource"] = postgres.new_database()
    config["FileSettings"]["Directory"] = str(tmp_path / "files") + os.sep
    config["PythonSettings"]["PasswordWorkFactor"] = 1000  # Mattermost's 600,000 makes each hash ~0.3 s
    config["PythonSettings"]["LoginRateLimitMaxBurst"] = 100000  # tests log in often; test_ratelimit checks it
    for section, values in overrides.items():
        config[section].update(values)
    return config


@pytest.fixture(scope="module", params=STORES)
def store_kind(request):
    return request.param


@pytest.fixture(scope="module")
def config(request, store_kind, tmp_path_factory):
    postgres = request.getfixturevalue("postgres_server") if store_kind == "postgres" else None
    return make_config(tmp_path_factory.mktemp(store_kind), store_kind, postgres)


@pytest.fixture(scope="module")
def app(config):
    """One app per test module and store (building one takes about a second)."""
    from api.app import create_app
    from store import db
    application = create_app(config)
    yield application
    db.close()


@pytest.fixture
def app_factory(request, store_kind, tmp_path):
    """Build apps of their own (on fresh databases, with config overrides given
    as section=dict); the module's app gets its store back afterwards."""
    from api.app import create_app
    from store import db
    previous = db.current
    built = []

    def build(**overrides):
        postgres = request.getfixturevalue("postgres_server") if store_kind == "postgres" else None
        directory = tmp_path / ("app%d" % len(built))
        built.append(create_app(make_config(directory, store_kind, postgres, **overrides)))
        return built[-1]

    yield build
    for application in built:
        db.activate(application.config["MM_STORE"])
        db.close()
    if previous is not None:
        db.activate(previous)


@pytest.fixture
def fresh_app(app_factory):
    """An app of its own, on an empty database, for tests that change it."""
    return app_factory()


@pytest.fixture
def client(app):
    return app.test_client()


class FakeSession:
    """A session that no login made, for tests of the request pipeline: a user
    id and real role names (so the real permission check applies)."""

    def __init__(self, user_id="u" * 26, roles="system_user", permissions=()):
        self.id = "fake" + user_id[:22]
        self.token = ""
        self.user_id = user_id
        self.roles = "system_admin system_user" if "manage_system" in permissions else roles
        self.csrf_token = ""
        self.props = {}

    def has_permission(self, permission):
        from api import permissions
        return permissions.has(self, permission)


@pytest.fixture
def sessions():
    """Register tokens -> FakeSession for the duration of a test."""
    from api import auth
    table = {}
    auth.set_session_lookup(table.get)
    yield table
    auth.set_session_lookup(None)


# ---------------------------------------------------------------------------
# Accounts for tests: the first account of a module's server is its admin.

_counter = itertools.count(1)
PASSWORD = "correct-horse-9"


def unique(prefix="user"):
    return "%s%d" % (prefix, next(_counter))


@pytest.fixture(scope="module")
def admin(app):
    """The first account of the module's server: a system admin."""
    client = app.test_client()
    response = client.post("/api/v4/users", json={"username": "firstadmin", "email": "First@Example.com",
                                                  "password": PASSWORD})
    assert response.status_code == 201, response.data
    assert response.get_json()["roles"] == "system_admin system_user"
    return login(client, "firstadmin")


def login(client, login_id, password=PASSWORD, **headers):
    response = client.post("/api/v4/users/login", json={"login_id": login_id, "password": password},
                           headers=headers)
    assert response.status_code == 200, response.data
    return {"Authorization": "Bearer " + response.headers["Token"], "user_id": response.get_json()["id"],
            "token": response.headers["Token"]}


def auth(who):
    return {"Authorization": who["Authorization"]}


def create(client, admin, username=None, **fields):
    username = username or unique()
    body = {"username": username, "email": username + "@example.com", "password": PASSWORD, **fields}
    response = client.post("/api/v4/users", json=body, headers=auth(admin))
    assert response.status_code == 201, response.data
    return response.get_json()


# ---------------------------------------------------------------------------
# Mail: the smtp fixture points the module's server at a local SMTP server
# that keeps what it receives (smtp.messages).

class Sink:
    """Keeps every message delivered to it, parsed."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture(scope="module")
def smtp(app):
    from aiosmtpd.controller import Controller

    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings = app.config["MM_CONFIG"]["EmailSettings"]
    settings.update(SMTPServer="127.0.0.1", SMTPPort=str(controller.port))
    app.config["MM_CONFIG"]["ServiceSettings"]["SiteURL"] = "http://chat.example.com"
    yield sink
    controller.stop()


# ---------------------------------------------------------------------------
# WebSocket events: fake connections on this process's hub record what the
# event bus (in-process in tests) delivers to them after each request.

def person(client, admin, **fields):
    """A new user, logged in: their auth dict plus username and email."""
    created = create(client, admin, **fields)
    who = login(client, created["username"])
    who["username"], who["email"] = created["username"], created["email"]
    return who


class FakeConnection:
    """Stands in for a websocket connection on the hub: keeps what it is pushed."""

    def __init__(self, user_id):
        from store.ids import new_id
        self.user_id = user_id
        self.id = new_id()
        self.got = []

    def push(self, item):
        self.got.append(item)
        return True

    def named(self, event):
        return [m for m in self.got if isinstance(m, dict) and m["event"] == event]

    def events(self):
        return [m["event"] for m in self.got if isinstance(m, dict)]


@pytest.fixture
def listen():
    """listen(*who) -> {user id: FakeConnection} registered on the hub for the test."""
    from ws.hub import hub
    registered = []

    def register(*people):
        found = {}
        for who in people:
            fake = FakeConnection(who["user_id"])
            hub.register(fake)
            registered.append(fake)
            found[who["user_id"]] = fake
        return found

    yield register
    with hub.lock:
        for fake in registered:
            hub.by_user.get(fake.user_id, {}).pop(fake.id, None)
            if not hub.by_user.get(fake.user_id):
                hub.by_user.pop(fake.user_id, None)


# ---------------------------------------------------------------------------
# A real server: `python -m api.cli serve` in a process of its own.

import contextlib  # noqa: E402


@contextlib.contextmanager
def running_server(tmp_path, env=None, workers=1, timeout=30, quiet=False):
    """Serve from a fresh config in tmp_path (SQLite there unless env names
    another store), with env's MM_* overrides; yields the base URL and the
    process, and stops the server however the block ends."""
    from scripts.bench_ping import stop, wait_for_answer
    full = dict(os.environ, MM_SQLSETTINGS_DATASOURCE=str(tmp_path / "data" / "mattermost.db"),
                MM_FILESETTINGS_DIRECTORY=str(tmp_path / "files"))
    full.update(env or {})
    port = free_port()
    output = subprocess.DEVNULL if quiet else subprocess.PIPE
    process = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "--config", str(tmp_path / "config.json"), "serve",
         "--workers", str(workers), "--listen", "127.0.0.1:%d" % port],
        cwd=str(ROOT), env=full, stdout=output, stderr=subprocess.STDOUT if not quiet else output,
        start_new_session=True)
    base = "http://127.0.0.1:%d" % port
    try:
        wait_for_answer(base + "/api/v4/system/ping", process, timeout)
        yield base, process
    finally:
        if process.poll() is None:
            stop(process)


def api_request(base, method, path, body=None, token=None):
    """(JSON answer, headers) of a request to a running server."""
    import json
    import urllib.request
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json",
                                              **({"Authorization": "Bearer " + token} if token else {})})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read() or b"null"), response.headers

