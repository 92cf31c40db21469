"""The events of the system's configuration and license, and what every
worker does when the configuration changes.

config_changed {"config": the client configuration, a map of strings} and
license_changed {"license": the client license} go to everyone, as Mattermost
sends them.

The configuration lives in a file each worker read at start. The worker that
writes it (PUT /api/v4/config, /config/patch) or re-reads it
(POST /config/reload) publishes; every worker of every host sharing the bus
sees the event through its hub and re-reads the file itself (install() puts
that listener in place, once per worker, from ws.bus_setup). Internal events
(ws.events.publish_internal) do the same for what clients need not hear:
reload the configuration even when this worker saw no change, drop cached
permissions, recycle database connections.

Hosts that do not share the config file (each with its own) do not see each
other's file: their workers re-read their own.
"""
import logging

from ws import events

log = logging.getLogger("mattermost.ws")

CONFIG_RELOAD = "config_reload"          # internal: every worker re-reads the file
INVALIDATE_CACHES = "invalidate_caches"  # internal: every worker drops its caches
RECYCLE_DATABASE = "recycle_database"    # internal: every worker closes idle connections

_app = None


def config_changed(client_config):
    """config_changed {"config": client config map} to everyone."""
    events.publish("config_changed", {"config": dict(client_config)})


def license_changed(client_license):
    """license_changed {"license": client license map} to everyone."""
    events.publish("license_changed", {"license": dict(client_license)})


def reload_everywhere():
    events.publish_internal(CONFIG_RELOAD)


def invalidate_caches_everywhere():
    events.publish_internal(INVALIDATE_CACHES)


def recycle_database_everywhere():
    events.publish_internal(RECYCLE_DATABASE)


# ---------------------------------------------------------------------------
# This worker's side

def reload_config(app):
    """Re-read app's configuration file (keeping its environment overrides) and
    serve with it. False when the file cannot be read (the old one stays)."""
    from api import config as config_module   # a leaf module: no import cycle
    try:
        config_module.replace(app, config_module.reload(app.config["MM_CONFIG"]))
        return True
    except (OSError, ValueError) as error:
        log.error("configuration not reloaded: %s", error)
        return False


def invalidate_caches():
    """Drop this process's caches: the permissions of roles, and every row
    cache (store.cache: sessions, users, teams, channel members...)."""
    from store import cache, roles
    roles.forget_cached()
    cache.forget_everything()


def recycle_database():
    """Close this process's idle database connections; new ones are opened
    as requests need them."""
    from store import db
    db.recycle()


def _on_config(message):
    if _app is not None:
        reload_config(_app)


def _on_invalidate(message):
    invalidate_caches()


def _on_recycle(message):
    recycle_database()


def _on_bus_reconnected(message):
    # Whatever was published while this worker's listener was away is lost.
    _on_config(message)
    invalidate_caches()


_LISTENERS = (("config_changed", _on_config), (events.INTERNAL_PREFIX + CONFIG_RELOAD, _on_config),
              (events.INTERNAL_PREFIX + INVALIDATE_CACHES, _on_invalidate),
              ("role_updated", _on_invalidate),   # a role's permissions changed in some worker
              (events.INTERNAL_PREFIX + RECYCLE_DATABASE, _on_recycle),
              (events.INTERNAL_PREFIX + events.BUS_RECONNECTED, _on_bus_reconnected))


def catch_up_when_listening(bus, app, timeout=60):
    """Re-read the configuration once bus's listener listens: a change made
    while this worker started (after it read the file, before it heard
    anything) is not missed. Runs in a thread (a greenlet under gevent)."""
    import threading

    def wait_then_reload():
        if bus.wait_listening(timeout):
            reload_config(app)

    threading.Thread(target=wait_then_reload, name="config-catch-up", daemon=True).start()


def install(app):
    """In a server worker: act on the events above for app."""
    global _app
    _app = app
    for event, callback in _LISTENERS:
        events.on_event(event, callback)


def uninstall():
    global _app
    _app = None
    for event, callback in _LISTENERS:
        events.remove_listener(event, callback)
