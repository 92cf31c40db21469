"""Command line, in the style of Mattermost's.

    python -m api.cli serve [--config FILE] [--workers N] [--listen ADDR]
    python -m api.cli db migrate [--config FILE]
    python -m api.cli config init [--config FILE]

serve runs the app under gunicorn with gevent workers on
ServiceSettings.ListenAddress. The app is built in each worker after gevent
has patched the process (no preload). The master never imports the store: the
schema is migrated by a child process before the workers start, because peewee
imported before gevent's patching would share one connection between all the
greenlets of a worker. With SQLite there is one worker (SQLite has one writer
at a time); PostgreSQL takes as many as there are cores, or PythonSettings.Workers.
"""
import argparse
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
        "worker_class": "gevent",
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


def migrate(config):
    from store import db
    db.init(config["SqlSettings"])
    from store import migrations
    version = migrations.schema_version()
    db.close()
    return version


def main(argv=None):
    parser = argparse.ArgumentParser(prog="mattermost-py", description="A Mattermost-compatible server.")
    parser.add_argument("--config", help="config file (default: $MM_CONFIG or config/config.json)")
    commands = parser.add_subparsers(dest="command", required=True)
    serve_parser = commands.add_parser("serve", help="run the server")
    serve_parser.add_argument("--workers", type=int, help="gunicorn workers (default: PythonSettings.Workers or cores)")
    serve_parser.add_argument("--listen", help="address to listen on, e.g. :8065 (default: ServiceSettings.ListenAddress)")
    db_parser = commands.add_parser("db", help="database commands")
    db_commands = db_parser.add_subparsers(dest="db_command", required=True)
    db_commands.add_parser("migrate", help="create or upgrade the schema")
    config_parser = commands.add_parser("config", help="configuration commands")
    config_commands = config_parser.add_subparsers(dest="config_command", required=True)
    config_commands.add_parser("init", help="write a config file with Mattermost's defaults if there is none")
    args = parser.parse_args(argv)

    path = args.config or os.environ.get("MM_CONFIG") or config_module.DEFAULT_PATH
    if args.command == "config":
        if os.path.exists(path):
            print("%s exists; left as it is" % path)
        else:
            config_module.write_defaults(path)
            print("wrote %s" % path)
        return 0
    config = config_module.load(path)
    if args.command == "serve":
        serve(config, args.workers, args.listen)
        return 0
    if args.command == "db":
        version = migrate(config)
        print("schema at version %d" % version)
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
