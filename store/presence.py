"""Which server processes hold websockets of which users.

Each process (a "node": a gunicorn worker, on any host) keeps one row per
connected user with its number of open websockets, and a heartbeat row of its
own. A user is connected while any node whose heartbeat is fresh holds a row
for them; the rows of a node that stopped beating (killed, host gone) stop
counting and are removed.
"""
from peewee import fn

from store import models
from store.db import transaction

_N = models.PresenceNode
_C = models.PresenceConnection


def beat(node_id, now_ms):
    """The node is alive now."""
    (_N.insert(id=node_id, heartbeat_at=now_ms)
     .on_conflict(conflict_target=[_N.id], update={_N.heartbeat_at: now_ms}).execute())


def _ensure_node(node_id, now_ms):
    """The node's row exists. It is not updated when it does: every
    connection that opens or closes would queue on that one row (its
    heartbeat keeps it fresh)."""
    _N.insert(id=node_id, heartbeat_at=now_ms).on_conflict_ignore().execute()


def set_connections(node_id, user_id, count, now_ms):
    """The node holds count open websockets of the user (0 removes the row)."""
    with transaction():
        _ensure_node(node_id, now_ms)
        if count > 0:
            (_C.insert(node_id=node_id, user_id=user_id, connections=count)
             .on_conflict(conflict_target=[_C.node_id, _C.user_id], update={_C.connections: count})
             .execute())
        else:
            _C.delete().where((_C.node_id == node_id) & (_C.user_id == user_id)).execute()


def connections_elsewhere(node_id, user_id, alive_since_ms):
    """Open websockets of the user on other nodes that beat at or after alive_since_ms."""
    total = (_C.select(fn.SUM(_C.connections))
             .join(_N, on=(_N.id == _C.node_id))
             .where((_C.user_id == user_id) & (_C.node_id != node_id) & (_N.heartbeat_at >= alive_since_ms))
             .scalar())
    return int(total or 0)


def forget_stale(before_ms):
    """Remove the nodes that have not beaten since before_ms, with their rows."""
    with transaction():
        stale = _N.select(_N.id).where(_N.heartbeat_at < before_ms)
        _C.delete().where(_C.node_id.in_(stale)).execute()
        return _N.delete().where(_N.heartbeat_at < before_ms).execute()


def forget_node(node_id):
    """The node stops (a clean exit): its rows go at once."""
    with transaction():
        _C.delete().where(_C.node_id == node_id).execute()
        _N.delete().where(_N.id == node_id).execute()
