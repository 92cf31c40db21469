"""Command line, in the style of Mattermost's.

    python -m api.cli [--config FILE] serve [--workers N] [--listen ADDR]
    python -m api.cli db migrate
    python -m api.cli db copy --from-sqlite PATH --to-postgres DSN [--force]
    python -m api.cli config init | show | get Section.Setting | set Section.Setting VALUE...
    python -m api.cli user create --email E --username U --password P [--system-admin] ...
    python -m api.cli user change-password USER --password P
    python -m api.cli user list
    python -m api.cli roles system-admin USER... | roles member USER...

(installed as `mattermost-py`). USER is a username, an email or a user id.
Commands that fail print "Error: ..." on stderr and exit with status 1.

serve runs the app under gunicorn with gevent workers on
ServiceSettings.ListenAddress. The app is built in each worker after gevent
has patched the process (no preload). The master never imports the store: the
schema is migrated by a child process before the workers start, because peewee
imported before gevent's patching would share one connection between all the
greenlets of a worker. With SQLite there is one worker (SQLite has one writer
at a time); PostgreSQL takes as many as there are cores, or PythonSettings.Workers.
"""
import argparse
import json
import multiprocessing
import os
import subprocess
import sys

from api import config as config_module


def gunicorn_options(config, workers=None, listen=None):
    python = config["PythonSettings"]
    count = workers or int(python.get("Workers") or 0) or multiprocessing.cpu_count()
    if config["SqlSettings"]["DriverName"].lower().startswith("sqlite") and count > 1:
        print("SQLite allows one writer at a time: serving with 1 worker (use PostgreSQL for more)",
              file=sys.stderr)
        count = 1
    if listen:
        config["ServiceSettings"]["ListenAddress"] = listen
    from api import server_hooks
    options = {
        "bind": config_module.listen_address(config),
        "workers": count,
        "worker_class": "api.worker.Worker",   # gevent, closing websockets at stop
        "worker_connections": int(python.get("WorkerConnections") or 1000),
        "graceful_timeout": int(python.get("GracefulTimeout") or 30),
        "timeout": 30,
        "keepalive": 5,
        "preload_app": False,
        "control_socket_disable": True,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "info",
        "proc_name": "mattermost-py",
    }
    options.update(server_hooks.gunicorn_settings(config))
    return options


def serve(config, workers=None, listen=None):
    from gunicorn.app.base import BaseApplication

    options = gunicorn_options(config, workers, listen)

    class Server(BaseApplication):
        def load_config(self):
            for key, value in options.items():
                if key in self.cfg.settings and value is not None:
                    self.cfg.set(key, value)

        def load(self):
            from api.app import create_app  # imported in the worker, after gevent's patching
            from ws import bus_setup
            app = create_app(config)
            bus_setup.install(app)   # PostgreSQL: events cross workers and hosts by LISTEN/NOTIFY
            return app

    # Create the schema once, before the workers start, in a child process (see above).
    subprocess.run([sys.executable, "-m", "api.cli"] + (["--config", config.path] if config.path else [])
                   + ["db", "migrate"], check=True)
    print("serving on %s with %d gevent worker(s), store %s"
          % (options["bind"], options["workers"], config["SqlSettings"]["DriverName"]), flush=True)
    Server().run()


def migrate(config, out=None):
    """Create or upgrade the schema; print each migration applied; return the version."""
    from store import db, migrations
    settings = config["SqlSettings"]
    driver = settings["DriverName"].lower()
    database = db.open_database(driver, settings["DataSource"], max_connections=2)
    store = db.Store("sqlite" if driver.startswith("sqlite") else "postgres", database)
    db.activate(store)
    try:
        applied = migrations.migrate(store)
        names = {version: name for version, name, _ in migrations.MIGRATIONS}
        for version in applied:
            if out:
                out("applied migration %d: %s" % (version, names.get(version, "")))
        return migrations.schema_version()
    finally:
        database.close_all()


# ---------------------------------------------------------------------------
# Errors the commands report: a message on stderr and exit status 1.

class CommandError(Exception):
    pass


def _fail(message):
    raise CommandError(message)


# ---------------------------------------------------------------------------
# config show / get / set

def _setting(data, name):
    section, _, setting = name.partition(".")
    if not setting or not isinstance(data.get(section), dict) or setting not in data[section]:
        _fail("unknown setting %r: give Section.Setting as in config.json, e.g. TeamSettings.SiteName" % name)
    return section, setting


def environment_variable(section, setting):
    return "MM_%s_%s" % (section.upper(), setting.upper())


def config_show(config, out):
    out(json.dumps(config_module.sanitized(config), indent=2))
    for var in config.overrides:
        print("note: %s overrides the file" % var, file=sys.stderr)


def config_get(config, name, out):
    section, setting = _setting(config, name)
    out(json.dumps(config_module.sanitized(config)[section][setting]))
    var = environment_variable(section, setting)
    if var in config.overrides:
        print("note: the value comes from the environment variable %s" % var, file=sys.stderr)


def _type_name(value):
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, list):
        return "a list (several values, or a JSON list)"
    if isinstance(value, dict):
        return "a JSON object"
    return "text"


def config_set(path, name, values, out, environ=None):
    """Write Section.Setting = values to the file at path (never the environment's overrides)."""
    environ = os.environ if environ is None else environ
    data = config_module.read_file(path)
    section, setting = _setting(data, name)
    current = data[section][setting]
    if isinstance(current, list) and (len(values) > 1 or not values[0].lstrip().startswith("[")):
        data[section][setting] = list(values)
    elif len(values) > 1:
        _fail("%s takes one value, not %d" % (name, len(values)))
    else:
        try:
            config_module.set_value(data, name, values[0])
        except (ValueError, TypeError):
            _fail("%s takes %s, not %r" % (name, _type_name(current), values[0]))
    config_module.save(path, data)
    out("%s set to %s in %s; restart the server for it to take effect"
        % (name, json.dumps(config_module.sanitized(data)[section][setting]), path))
    var = environment_variable(section, setting)
    if var in environ:
        print("warning: the environment variable %s is set and overrides this setting, so the change "
              "has no effect while it is set" % var, file=sys.stderr)


# ---------------------------------------------------------------------------
# user create / change-password / list, roles system-admin / member

class _Accounts:
    """The store opened for account commands, with the configuration the
    sign-up rules (username, email, password policy) read. On PostgreSQL its
    changes are announced on the server's bus, so running servers drop what
    they cached of them (a revoked session, a user's roles) at once."""

    def __init__(self, config):
        self.config = config

    def __enter__(self):
        import flask
        from store import db, passwords
        from ws import bus_setup
        db.init(self.config["SqlSettings"])
        bus_setup.install(store=db.current, listen=False)
        passwords.set_work_factor(self.config["PythonSettings"].get("PasswordWorkFactor"))
        app = flask.Flask("mattermost-py-cli")
        app.config["MM_CONFIG"] = self.config
        self._context = app.app_context()
        self._context.push()
        return self

    def __exit__(self, *exc):
        from store import db
        from ws import bus_setup
        self._context.pop()
        bus_setup.uninstall()
        db.close()
        return False


def _app_error(error):
    return "%s (%s)" % (error.message, error.id)


def find_user(text):
    """The user a username, email or id names."""
    from store import users as store_users
    user = None
    if "@" in text:
        user = store_users.get_by_email(text)
    if user is None:
        user = store_users.get_by_username(text)
    if user is None and len(text) == 26:
        user = store_users.get(text)
    if user is None:
        _fail("no user %r (give a username, an email or a user id)" % text)
    return user


def user_create(config, args, out):
    from api import errors
    from handlers import users as user_handlers
    from store import users as store_users
    with _Accounts(config):
        body = {"username": args.username, "email": args.email, "nickname": args.nickname or "",
                "first_name": args.first_name or "", "last_name": args.last_name or "",
                "locale": args.locale or ""}
        try:
            fields = user_handlers._profile_fields(body)
            user_handlers.check_password_policy(args.password)
        except errors.AppError as e:
            _fail("cannot create the user: %s" % _app_error(e))
        fields["email_verified"] = bool(args.email_verified)
        first = "system_admin system_user"
        try:
            user = store_users.create(fields, args.password, roles_for_first=first,
                                      roles=first if args.system_admin else "system_user")
        except store_users.Conflict as conflict:
            _fail("cannot create the user: an account with that %s already exists" % conflict.field)
        out("Created user %s (id %s, roles %s)%s" % (
            user.username, user.id, user.roles,
            "; the first account is a system admin" if not args.system_admin and "system_admin" in user.roles else ""))


def user_change_password(config, args, out):
    from api import errors
    from handlers import users as user_handlers
    from store import audits, sessions as store_sessions, users as store_users
    with _Accounts(config):
        user = find_user(args.user)
        if user.auth_service:
            _fail("%s signs in through %s and has no password here" % (user.username, user.auth_service))
        try:
            user_handlers.check_password_policy(args.password)
        except errors.AppError as e:
            _fail("cannot change the password: %s" % _app_error(e))
        store_users.set_password(user.id, args.password)
        audits.record(user.id, "cli: user change-password", "password changed from the command line")
        revoked = 0
        if config["ServiceSettings"]["TerminateSessionsOnPasswordChange"]:
            revoked = store_sessions.revoke_for_user(user.id)
        out("Password for user %s changed%s" % (
            user.username, "; %d session(s) revoked" % revoked if revoked else ""))


def user_list(config, args, out):
    from store import users as store_users
    with _Accounts(config):
        filters = store_users.Filters(active=False if args.inactive else None)
        offset = 0
        while True:
            page = store_users.page(offset, 200, filters)
            for user in page:
                out("%s: %s (%s)%s" % (user.id, user.username, user.email,
                                       " [deactivated]" if user.delete_at else ""))
            if len(page) < 200:
                break
            offset += 200


def roles_change(config, args, out):
    from store import users as store_users
    with _Accounts(config):
        for text in args.users:
            user = find_user(text)
            roles = user.roles.split()
            if args.roles_command == "system-admin":
                if "system_admin" not in roles:
                    roles.insert(0, "system_admin")
                if "system_user" not in roles:
                    roles.append("system_user")
            else:
                roles = [r for r in roles if r != "system_admin"] or ["system_user"]
            store_users.set_roles(user.id, " ".join(roles))
            out("%s now has the roles %s" % (user.username, " ".join(roles)))


# ---------------------------------------------------------------------------
# db copy

class Progress:
    """Rows copied per table: one line rewritten in place on a terminal, plain
    lines otherwise (one per table, and every few seconds on a long one)."""

    def __init__(self, stream=None, interval=5.0):
        self.stream = stream or sys.stdout
        self.tty = self.stream.isatty()
        self.interval = interval
        self.finished = set()
        self.last = None

    def __call__(self, table, done, total):
        import time
        if table in self.finished:
            return
        line = "  %-26s %10d / %d rows" % (table, done, total)
        complete = done >= total
        if complete:
            self.finished.add(table)
        now = time.monotonic()
        if self.tty:
            self.stream.write("\r" + line + ("\n" if complete else ""))
        elif done == 0 and not complete:
            self.last = now   # a table starts: its first line comes when done, or after interval
        elif complete or now - (self.last or now) >= self.interval:
            self.stream.write(line + "\n")
            self.last = now
        self.stream.flush()


def db_copy(config, args, out):
    from store import copy as store_copy
    source = args.from_sqlite
    if not source:
        if not config["SqlSettings"]["DriverName"].lower().startswith("sqlite"):
            _fail("give --from-sqlite PATH (the configured store is not SQLite)")
        source = config["SqlSettings"]["DataSource"]
    try:
        if args.verify_only:
            out("comparing %s with %s" % (source, _hide_password(args.to_postgres)))
            report = store_copy.verify_copy(source, args.to_postgres)
        else:
            out("copying %s into %s" % (source, _hide_password(args.to_postgres)))
            report = store_copy.copy_sqlite_to_postgres(source, args.to_postgres, force=args.force,
                                                        batch_size=args.batch_size, progress=Progress())
    except store_copy.CopyError as e:
        _fail(str(e))
    for version in report.migrated_source:
        out("source schema: applied migration %d" % version)
    for table in report.skipped:
        out("skipped %s: the target schema has no such table" % table)
    for table, columns in sorted(report.dropped_columns.items()):
        out("warning: %s.%s not copied: the target schema has no such column" % (table, ", ".join(columns)))
    for sequence, value in report.sequences:
        out("sequence %s continues at %d" % (sequence, value))
    rows = sum(source_rows for _, source_rows, _ in report.tables)
    if not report.ok:
        for mismatch in report.mismatches[:50]:
            print("mismatch: " + mismatch, file=sys.stderr)
        _fail("verification failed: %d difference(s) between the source and the target"
              % len(report.mismatches))
    out("verified: %d tables, %d rows, counts equal; %d sampled rows equal field by field"
        % (len(report.tables), rows, report.sampled))
    out("to serve from the copy: set SqlSettings.DriverName to postgres and SqlSettings.DataSource to "
        "the DSN (e.g. mattermost-py config set SqlSettings.DriverName postgres); files stay in "
        "FileSettings.Directory")


def _hide_password(dsn):
    import urllib.parse
    parts = urllib.parse.urlsplit(dsn)
    if parts.password:
        netloc = parts.netloc.replace(":" + parts.password + "@", ":" + config_module.FAKE_SETTING[:8] + "@", 1)
        return urllib.parse.urlunsplit(parts._replace(netloc=netloc))
    return dsn


# ---------------------------------------------------------------------------

COPY_HELP = """\
Copy every table of this server's SQLite database into an empty PostgreSQL
database (the move from a trial on SQLite to production on PostgreSQL). Stop
the server first. The target's schema is created by the migrations, the rows
are copied in batches, sequences are moved past the copied ids, and the copy
is verified: row counts of every table, and a sample of rows per table
compared field by field. A target that already holds data is refused unless
--force (which replaces it). Files are not moved: keep FileSettings.Directory.

example:
  mattermost-py db copy --from-sqlite data/mattermost.db \\
      --to-postgres "postgres://mmuser:secret@localhost:5432/mattermost?sslmode=disable"
"""


def build_parser():
    parser = argparse.ArgumentParser(prog="mattermost-py", description="A Mattermost-compatible server.")
    parser.add_argument("--config", help="config file (default: $MM_CONFIG or config/config.json)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    serve_parser = commands.add_parser("serve", help="run the server")
    serve_parser.add_argument("--workers", type=int, help="gunicorn workers (default: PythonSettings.Workers or cores)")
    serve_parser.add_argument("--listen", help="address to listen on, e.g. :8065 (default: ServiceSettings.ListenAddress)")

    db_parser = commands.add_parser("db", help="database commands")
    db_commands = db_parser.add_subparsers(dest="db_command", required=True, metavar="COMMAND")
    db_commands.add_parser("migrate", help="create or upgrade the schema, printing each migration applied")
    copy_parser = db_commands.add_parser(
        "copy", help="copy a SQLite database into an empty PostgreSQL database, then verify the copy",
        description=COPY_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    copy_parser.add_argument("--from-sqlite", metavar="PATH",
                             help="the SQLite database file (default: SqlSettings.DataSource when the store is SQLite)")
    copy_parser.add_argument("--to-postgres", metavar="DSN", required=True,
                             help="the PostgreSQL database, as SqlSettings.DataSource takes it: "
                                  "postgres://USER:PASSWORD@HOST:PORT/DATABASE?sslmode=disable")
    copy_parser.add_argument("--force", action="store_true",
                             help="replace what the target database already holds")
    copy_parser.add_argument("--verify-only", action="store_true",
                             help="copy nothing: compare the source with an earlier copy (counts and samples)")
    copy_parser.add_argument("--batch-size", type=int, default=1000, metavar="ROWS",
                             help="rows per insert (default 1000)")

    config_parser = commands.add_parser("config", help="configuration commands")
    config_commands = config_parser.add_subparsers(dest="config_command", required=True, metavar="COMMAND")
    config_commands.add_parser("init", help="write a config file with Mattermost's defaults if there is none")
    config_commands.add_parser("show", help="print the effective configuration as JSON (secrets masked, "
                                            "environment overrides applied)")
    get_parser = config_commands.add_parser("get", help="print one setting's effective value as JSON",
                                            epilog="example: config get SqlSettings.DriverName")
    get_parser.add_argument("name", metavar="Section.Setting")
    set_parser = config_commands.add_parser(
        "set", help="change one setting in the config file",
        epilog="examples: config set TeamSettings.SiteName Chat; "
               "config set SqlSettings.DataSourceReplicas replica1 replica2")
    set_parser.add_argument("name", metavar="Section.Setting")
    set_parser.add_argument("values", nargs="+", metavar="VALUE",
                            help="the new value (true/false, a number, text; several values for a list)")

    user_parser = commands.add_parser("user", help="user accounts")
    user_commands = user_parser.add_subparsers(dest="user_command", required=True, metavar="COMMAND")
    create = user_commands.add_parser(
        "create", help="create a user (the first account is a system admin)",
        epilog="example: user create --email admin@example.com --username admin --password 'S3cret!pass' "
               "--system-admin")
    create.add_argument("--email", required=True)
    create.add_argument("--username", required=True)
    create.add_argument("--password", required=True)
    create.add_argument("--system-admin", "--system_admin", dest="system_admin", action="store_true",
                        help="make the user a system administrator")
    create.add_argument("--email-verified", "--email_verified", dest="email_verified", action="store_true",
                        help="mark the email address as verified")
    create.add_argument("--first-name", "--firstname", dest="first_name")
    create.add_argument("--last-name", "--lastname", dest="last_name")
    create.add_argument("--nickname")
    create.add_argument("--locale", help="e.g. en, fr (default: LocalizationSettings.DefaultClientLocale)")
    change = user_commands.add_parser(
        "change-password", help="set a user's password (their sessions are revoked)",
        epilog="example: user change-password alice --password 'n3w-Passw0rd'")
    change.add_argument("user", metavar="USER", help="username, email or user id")
    change.add_argument("--password", "-p", required=True)
    listing = user_commands.add_parser("list", help="list users: id, username and email")
    listing.add_argument("--inactive", action="store_true", help="only deactivated users")

    roles_parser = commands.add_parser("roles", help="system roles of users")
    roles_commands = roles_parser.add_subparsers(dest="roles_command", required=True, metavar="COMMAND")
    for name, text in (("system-admin", "make users system administrators"),
                       ("member", "take the system administrator role from users")):
        sub = roles_commands.add_parser(name, help=text)
        sub.add_argument("users", nargs="+", metavar="USER", help="username, email or user id")
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    path = args.config or os.environ.get("MM_CONFIG") or config_module.DEFAULT_PATH

    def out(text):
        print(text, flush=True)

    try:
        return _run(args, path, out)
    except CommandError as e:
        print("Error: %s" % e, file=sys.stderr)
        return 1


def _run(args, path, out):
    if args.command == "config":
        if args.config_command == "init":
            if os.path.exists(path):
                out("%s exists; left as it is" % path)
            else:
                config_module.write_defaults(path)
                out("wrote %s" % path)
            return 0
        if args.config_command == "set":
            config_set(path, args.name, args.values, out)
            return 0
        config = config_module.load(path)
        if args.config_command == "show":
            config_show(config, out)
        else:
            config_get(config, args.name, out)
        return 0
    config = config_module.load(path)
    if args.command == "serve":
        serve(config, args.workers, args.listen)
        return 0
    if args.command == "db":
        if args.db_command == "copy":
            db_copy(config, args, out)
            return 0
        version = migrate(config, out)
        out("schema at version %d" % version)
        return 0
    if args.command == "user":
        {"create": user_create, "change-password": user_change_password,
         "list": user_list}[args.user_command](config, args, out)
        return 0
    if args.command == "roles":
        roles_change(config, args, out)
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
