"""Publishing WebSocket events: the one call writes make.

    from ws import events
    events.publish("posted", {"post": json.dumps(post), ...}, channel_id=channel.id)

An event names who may hear it with Mattermost's broadcast fields: user_id
(one user), channel_id (the channel's members), team_id (the team's members),
or none of them (everyone); omit_users ({user id: True}) and
omit_connection_id leave some out, connection_id names one connection.

It is sent after the current transaction commits (never if it rolls back),
or at once outside a transaction, through the process's bus: in-process with
SQLite, PostgreSQL LISTEN/NOTIFY across workers and hosts otherwise.
"""
from store import db


def broadcast(user_id="", channel_id="", team_id="", omit_users=None, connection_id="",
              omit_connection_id=""):
    return {"omit_users": dict(omit_users) if omit_users else None, "user_id": user_id,
            "channel_id": channel_id, "team_id": team_id, "connection_id": connection_id,
            "omit_connection_id": omit_connection_id}


def publish(event, data, user_id="", channel_id="", team_id="", omit_users=None, connection_id="",
            omit_connection_id=""):
    """Send event with data to those the broadcast fields name, after commit."""
    message = {"event": event, "data": data,
               "broadcast": broadcast(user_id, channel_id, team_id, omit_users, connection_id, omit_connection_id)}
    db.after_commit(lambda: bus().send(message))


def omit(*user_ids):
    """omit_users for publish: these users do not hear the event."""
    return {u: True for u in user_ids if u}


class LocalBus:
    """One process: events go straight to its hub."""

    def send(self, message):
        from ws.hub import hub
        hub.dispatch(message)

    def close(self):
        pass


_bus = LocalBus()


def bus():
    return _bus


def set_bus(new_bus):
    """Install the process's bus (at app start); returns the previous one."""
    global _bus
    previous, _bus = _bus, new_bus
    return previous


def setting(section, name, default):
    """A setting of the serving app's configuration, or default outside an
    app (events may be built from the store, in scripts and tests)."""
    try:
        import flask
        if flask.has_app_context():
            config = flask.current_app.config.get("MM_CONFIG")
            if config is not None:
                value = config[section].get(name)
                if value is not None:
                    return value
    except Exception:
        pass
    return default


def request_connection_id():
    """The Connection-Id header of the current request, if any: Mattermost's
    clients send their websocket's id so that some events skip that connection."""
    try:
        import flask
        return flask.request.headers.get("Connection-Id", "") if flask.has_request_context() else ""
    except Exception:
        return ""


# ---------------------------------------------------------------------------
# Process listeners: code of this worker that must act on some events itself
# (config_changed: re-read the configuration file). The hub calls them for
# every event this process receives from the bus, before the sockets get it,
# so with several workers and hosts each process runs them once per event.
# An event named INTERNAL_PREFIX + name goes to process listeners only, never
# to a client: a way to tell every worker something (publish_internal).

INTERNAL_PREFIX = "internal_"
BUS_RECONNECTED = "bus_reconnected"   # run locally by a bus whose listener came back
_process_listeners = {}     # event name -> [callback(message)]


def on_event(event, callback):
    """Call callback(message) in this process whenever event arrives from the bus."""
    callbacks = _process_listeners.setdefault(event, [])
    if callback not in callbacks:
        callbacks.append(callback)


def remove_listener(event, callback):
    callbacks = _process_listeners.get(event) or []
    if callback in callbacks:
        callbacks.remove(callback)


def run_process_listeners(message):
    """Run this process's listeners of message's event; True when the event is
    internal (not for clients)."""
    name = message.get("event") or ""
    for callback in list(_process_listeners.get(name) or ()):
        try:
            callback(message)
        except Exception:
            import logging
            logging.getLogger("mattermost.ws").exception("process listener of %s failed", name)
    return name.startswith(INTERNAL_PREFIX)


def publish_internal(name, data=None):
    """Tell every worker of every host (after commit) through the bus; no client hears it."""
    publish(INTERNAL_PREFIX + name, dict(data or {}))
