"""The process's event bus, chosen by the store: in-process with SQLite (one
worker), PostgreSQL LISTEN/NOTIFY otherwise (any number of workers and hosts).

    from ws import bus_setup
    bus_setup.install(app)     # in the worker, once the app is built

Call it in each server worker (after gevent has patched it), not in tests that
build apps with create_app(): those rely on the LocalBus delivering in-process
at once. Installing a new bus closes the one it replaces.
"""
import logging

from ws import events

log = logging.getLogger("mattermost.ws")


def install(app=None, store=None, listen=True):
    """Install the bus the store calls for, start its listener, and return it.
    The store is the app's (app.config["MM_STORE"]) or the one given. With
    listen=False (the command-line tool) it only sends: what the process
    changes reaches every server process, and it hears nothing."""
    if store is None:
        store = app.config["MM_STORE"] if app is not None else None
    if store is None:
        from store import db
        store = db.current
    if store.is_sqlite:
        bus = events.LocalBus()
    else:
        from ws.pg_bus import PostgresBus
        bus = PostgresBus(store.db)
        if listen:
            bus.start()
    previous = events.set_bus(bus)
    if previous is not bus:
        try:
            previous.close()
        except Exception:
            log.exception("closing the previous event bus failed")
    if app is not None:
        app.config["MM_EVENT_BUS"] = bus
        from ws import config_events
        config_events.install(app)   # every worker re-reads the config file on config_changed
        if hasattr(bus, "wait_listening"):
            config_events.catch_up_when_listening(bus, app)
    return bus


def uninstall():
    """Back to the in-process bus (closing the installed one)."""
    previous = events.set_bus(events.LocalBus())
    previous.close()
    from ws import config_events
    config_events.uninstall()
