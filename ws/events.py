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
