"""Presence from WebSockets: online while connected, away after
TeamSettings.UserStatusAwayTimeout seconds without activity, offline once the
last connection closes; a status set by hand (manual) is never overridden
except by the user's own user_update_active_status with manual=true.

The rules are Mattermost's (app/platform/status.go):
- a connection opening sets the user online (a stored manual status wins);
  the row is rewritten only when the status changes or last_activity_at is
  more than STATUS_MIN_UPDATE_MS old, and status_change is sent only when
  the status changes;
- the last connection closing sets offline (a manual status wins) and always
  sends status_change;
- away: when the status is online (not manual) and last_activity_at is at
  least UserStatusAwayTimeout seconds old. Mattermost checks on every pong of
  a connection; here one sweeper per process checks every connected user
  every away_check_seconds(), reading their statuses in batches.
  Activity is what moves last_activity_at: a connection opening, the
  user_update_active_status action (and REST writes that call set_online).
  A ping action is not activity, as in Mattermost.
- status_change ({status, user_id}) goes to the user's own connections only
  (Mattermost's broadcast has user_id set); others ask with
  get_statuses_by_ids or the REST API.
- nothing at all happens when ServiceSettings.EnableUserStatuses is off.

State lives in the Status table, so every worker and host sees the same
status. "The last connection closes" is judged across every server process
sharing the database (Mattermost asks the other cluster nodes): with
PostgreSQL each process records how many websockets of each user it holds
(store.presence) and beats every HEARTBEAT_SECONDS; a close sets offline only
when no live process holds a connection of the user. A process that dies
without cleaning up stops counting once its heartbeat is NODE_STALE_SECONDS
old. With SQLite there is one process, and its hub is the whole answer. As a
safety net, a process still holding a live connection of a user who was set
offline automatically sets them back online (or away) at its next check().
"""
import atexit
import logging
import threading
import time
import zlib

from store import db, ids
from store import presence as store_presence
from store import status as store_status
from ws import events

log = logging.getLogger("mattermost.ws")

STATUS_MIN_UPDATE_MS = 120000   # Mattermost's StatusMinUpdateTime
MAX_AWAY_CHECK_SECONDS = 30

# A connection opening and another of the same user closing must not cross
# (the close reading "no connection left" and writing offline after the open
# wrote online): both take the user's lock, striped over _LOCK_STRIPES.
_LOCK_STRIPES = 64
_locks = [threading.Lock() for _ in range(_LOCK_STRIPES)]


def _lock(user_id):
    return _locks[zlib.crc32(user_id.encode("utf-8", "surrogatepass")) % _LOCK_STRIPES]


HEARTBEAT_SECONDS = 15
NODE_STALE_SECONDS = 60

NODE_ID = ids.new_id()   # this process (made at import: in the worker, after the fork)
_heart = None
_heart_lock = threading.Lock()


def _shared():
    """True when other processes may hold connections too (PostgreSQL)."""
    return db.current is not None and not db.current.is_sqlite


def _start_heartbeat():
    """Beat for this process, and sweep away processes that stopped beating."""
    global _heart
    with _heart_lock:
        if _heart is not None:
            return
        _heart = threading.Thread(target=_beat_forever, name="presence-heartbeat", daemon=True)
        _heart.start()
        atexit.register(_forget_this_node)


def _beat_forever():
    while True:
        time.sleep(HEARTBEAT_SECONDS)
        try:
            now = _now_ms()
            store_presence.beat(NODE_ID, now)
            store_presence.forget_stale(now - NODE_STALE_SECONDS * 1000)
        except Exception:
            log.exception("presence heartbeat failed")
        finally:
            db.release()


def _forget_this_node():
    try:
        store_presence.forget_node(NODE_ID)
    except Exception:
        pass


_sweeper = None
_sweep_config = None


def _start_sweeper(config):
    """The process's away check: started with its first connection; it checks
    with the configuration the latest connection came with."""
    global _sweeper, _sweep_config
    _sweep_config = config
    if _sweeper is not None:
        return
    with _heart_lock:
        if _sweeper is None:
            _sweeper = threading.Thread(target=_sweep_forever, name="presence-sweeper", daemon=True)
            _sweeper.start()


def _sweep_forever():
    from ws.hub import hub
    while True:
        time.sleep(away_check_seconds(_sweep_config))
        try:
            check_all(_sweep_config, sorted(hub.connected_user_ids()))
        except Exception:
            log.exception("presence check failed")
        finally:
            db.release()


def _needs_check(config, current):
    """Whether check() would change this stored status (None: no row)."""
    if current is None:
        return True
    if current["manual"]:
        return False
    return current["status"] == "offline" or (current["status"] == "online"
                                               and _is_away(config, current["last_activity_at"]))


def check_all(config, user_ids, chunk=500):
    """check() the given connected users: their statuses are read in batches,
    and only those that would change are checked (and written) one by one."""
    if not _enabled(config):
        return
    for start in range(0, len(user_ids), chunk):
        batch = user_ids[start:start + chunk]
        found = {s["user_id"]: s for s in store_status.get_many(batch)}
        for user_id in batch:
            if _needs_check(config, found.get(user_id)):
                check(config, user_id)


def _record(user_id, hub):
    """Write how many connections of the user this process holds now."""
    if _shared():
        _start_heartbeat()
        store_presence.set_connections(NODE_ID, user_id, hub.open_count(user_id), _now_ms())


def connected(config, user_id, hub=None):
    """A connection of the user opened (call after registering it with the hub)."""
    if hub is None:
        from ws.hub import hub
    _start_sweeper(config)
    with _lock(user_id):
        _record(user_id, hub)
        return set_online(config, user_id)


def disconnected(config, user_id, hub=None):
    """A connection of the user closed (call after unregistering it): offline
    when no server process holds an open connection of the user any more."""
    if hub is None:
        from ws.hub import hub
    with _lock(user_id):
        if hub.open_count(user_id):
            return None
        _record(user_id, hub)
        if _shared() and store_presence.connections_elsewhere(
                NODE_ID, user_id, _now_ms() - NODE_STALE_SECONDS * 1000):
            return None
        return set_offline(config, user_id)


def _now_ms():
    return int(time.time() * 1000)


def _enabled(config):
    return bool(config["ServiceSettings"]["EnableUserStatuses"])


def _away_timeout_ms(config):
    return int(config["TeamSettings"]["UserStatusAwayTimeout"]) * 1000


def away_check_seconds(config):
    """How often a connection checks its user for away: half the timeout,
    between 1 and MAX_AWAY_CHECK_SECONDS seconds."""
    return max(1, min(MAX_AWAY_CHECK_SECONDS, int(config["TeamSettings"]["UserStatusAwayTimeout"]) // 2))


def _is_away(config, last_activity_at):
    return _now_ms() - last_activity_at >= _away_timeout_ms(config)


def _offline(user_id):
    return {"user_id": user_id, "status": "offline", "manual": False, "last_activity_at": 0,
            "dnd_end_time": 0, "prev_status": ""}


def _change(user_id, compute):
    """Write what compute(current) returns ((new status, broadcast) or None),
    deciding again inside the write transaction, and send status_change when
    asked."""
    if compute(store_status.get(user_id)) is None:
        return None   # the common case (nothing to change) takes no write transaction
    outcome = {}

    def wrapped(current):
        result = compute(current)
        if result is None:
            return None
        new, outcome["broadcast"] = result
        return new

    written = store_status.change(user_id, wrapped)
    if written is not None and outcome.get("broadcast"):
        events.publish("status_change", {"status": written["status"], "user_id": user_id}, user_id=user_id)
    return written


def set_online(config, user_id, manual=False):
    """A connection opened or the user was active."""
    if not _enabled(config):
        return None
    now = _now_ms()

    def compute(current):
        if current is None:
            return dict(_offline(user_id), status="online", last_activity_at=now), True
        if current["manual"] and not manual:
            return None
        changed = current["status"] != "online"
        if not changed and not current["manual"] and now - current["last_activity_at"] <= STATUS_MIN_UPDATE_MS:
            return None
        return dict(current, status="online", manual=False, last_activity_at=now), changed

    return _change(user_id, compute)


def set_offline(config, user_id, manual=False):
    """The user's last connection (in this process) closed."""
    if not _enabled(config):
        return None

    def compute(current):
        if current is not None and current["manual"] and not manual:
            return None
        return dict(_offline(user_id), manual=manual, last_activity_at=_now_ms()), True

    return _change(user_id, compute)


def set_away_if_needed(config, user_id, manual=False):
    """Away when inactive long enough (or at once when manual)."""
    if not _enabled(config):
        return None

    def compute(current):
        status = current if current is not None else dict(_offline(user_id), manual=manual)
        if not manual:
            if status["manual"] or status["status"] == "away" or not _is_away(config, status["last_activity_at"]):
                return None
        return dict(status, status="away", manual=manual), True

    return _change(user_id, compute)


def check(config, user_id):
    """The periodic check of a connected user: away after the timeout; and an
    automatic offline while this process still holds a live connection (set by
    another worker whose last connection of the user closed) is undone."""
    if not _enabled(config):
        return None

    def compute(current):
        if current is None:
            return dict(_offline(user_id), status="online", last_activity_at=_now_ms()), True
        if current["manual"]:
            return None
        away = _is_away(config, current["last_activity_at"])
        if current["status"] == "offline":
            return dict(current, status="away" if away else "online"), True
        if current["status"] == "online" and away:
            return dict(current, status="away"), True
        return None

    return _change(user_id, compute)


def statuses_by_ids(config, user_ids):
    """{user id: status} for the given ids; offline for those without a row."""
    if not _enabled(config):
        return {}
    user_ids = list(dict.fromkeys(user_ids))
    queryable = [u for u in user_ids if "\x00" not in u]
    found = {s["user_id"]: s["status"] for s in (store_status.get_many(queryable) if queryable else [])}
    return {u: found.get(u, "offline") for u in user_ids}


def all_statuses(config):
    """{user id: status} of every stored status (Mattermost answers from its
    status cache: every status the server has seen)."""
    if not _enabled(config):
        return {}
    get_all = getattr(store_status, "get_all", None)
    if get_all is not None:
        return {s["user_id"]: s["status"] for s in get_all()}
    # Until store.status has get_all(): every user's id, then their rows.
    from store import users
    ids, offset = [], 0
    while True:
        page = users.page(offset, 500)
        ids.extend(u.id for u in page)
        if len(page) < 500:
            break
        offset += 500
    return {s["user_id"]: s["status"] for s in store_status.get_many(ids)}
