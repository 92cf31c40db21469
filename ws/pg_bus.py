"""The event bus over PostgreSQL LISTEN/NOTIFY: events reach every worker of
every host that shares the database.

A write's event is sent (after its transaction committed, see events.publish)
as one NOTIFY on CHANNEL carrying the JSON message. A message too large for one
notification (PostgreSQL refuses payloads of 8000 bytes or more) is stored in
websocket_events and the notification carries only its id ("ref:<id>");
rows older than KEEP_SECONDS are pruned.

Each worker process runs one listener: a dedicated connection (not from the
pool) in autocommit that LISTENs on CHANNEL and hands each notification to the
process's hub. The sender's own worker hears its events the same way, so every
worker delivers in the order PostgreSQL sent the notifications. The listener
waits with select(), which gevent makes cooperative in a worker and which works
in a plain thread elsewhere (tests).

While the listener is disconnected this worker misses events, and no client can
be told which. So when it loses its connection, and again once it listens
anew, every client of this worker is made to resync: its socket is closed
(1001, going away) and it may not resume (a resume would replay an incomplete
history): it reconnects, gets a fresh hello with a new connection id, and
Mattermost's clients then reload what they show.
"""
import json
import logging
import os
import random
import select
import threading
import time

from ws import events

log = logging.getLogger("mattermost.ws")

CHANNEL = "mattermost_events"
MAX_PAYLOAD_BYTES = 7500          # PostgreSQL's limit is 8000 bytes; leave room
KEEP_SECONDS = 300                # websocket_events rows older than this are pruned
PRUNE_EVERY_SECONDS = 60
REFERENCE_PREFIX = "ref:"
IDLE_PROBE_SECONDS = 30           # an idle listener checks its connection this often
BACKOFF_FIRST, BACKOFF_MAX = 0.1, 10.0
RESYNC_CLOSE_CODE = 1001          # going away: Mattermost's clients reconnect at once
RESYNC_REASON = "event stream interrupted"
APPLICATION_NAME = "mattermost-py listener"


def _dumps(message):
    return json.dumps(message, separators=(",", ":"), ensure_ascii=False)


def _now_ms():
    return int(time.time() * 1000)


# ---------------------------------------------------------------------------
# Resync: operates on the hub's public state (its lock, connections, dead list).

def resync_all(hub=None, code=RESYNC_CLOSE_CODE, reason=RESYNC_REASON, announce=True):
    """Make every client of this process resync: close each connection and
    mark it dropped (as the hub marks a connection that lost events: it is
    never resumable), and forget the closed connections kept for a resume
    (their history may lack events too). Returns how many were closed."""
    if hub is None:
        from ws.hub import hub
    connections = hub.all_connections()
    for connection in connections:
        connection.dropped = True
        connection.close(code, reason)
    with hub.lock:
        for connection, _ in hub.dead.values():
            connection.dropped = True
        hub.dead.clear()
    if connections and announce:
        log.warning("event stream interrupted: %d websocket(s) of this worker told to resync", len(connections))
    return len(connections)


# ---------------------------------------------------------------------------

def _connect_arguments(store_db):
    """psycopg2.connect() keyword arguments for the database a peewee
    PostgresqlDatabase (pooled or not) talks to."""
    arguments = dict(store_db.connect_params)
    if store_db.database.startswith(("postgresql://", "postgres://")):
        arguments.setdefault("dsn", store_db.database)
    else:
        arguments.setdefault("dbname", store_db.database)
    return arguments


class PostgresBus:
    """send(message) NOTIFYs every listener; start() runs this process's
    listener, which dispatches to `hub` (the process's hub by default)."""

    def __init__(self, store_db, hub=None):
        self.db = store_db                      # the peewee database (pooled)
        self.hub = hub
        self._stop = threading.Event()
        self._wake_r, self._wake_w = None, None
        self._thread = None
        self._conn = None
        self._last_prune = 0.0
        self.listening = threading.Event()      # set while LISTEN is active
        self.connects = 0                       # successful LISTENs (tests, diagnostics)

    # -- sending ------------------------------------------------------------

    def send(self, message):
        """NOTIFY the message (by reference when too large), on a pooled
        connection, committed at once: a NOTIFY alone is its own transaction
        (one round trip); a stored payload and its reference go together."""
        payload = _dumps(message)
        if len(payload.encode("utf-8")) <= MAX_PAYLOAD_BYTES:
            self.db.execute_sql("SELECT pg_notify(%s, %s)", (CHANNEL, payload))
            return
        with self.db.atomic():
            self.db.execute_sql("SELECT pg_notify(%s, %s)", (CHANNEL, REFERENCE_PREFIX + str(self._store(payload))))

    def _store(self, payload):
        from store import models
        now = _now_ms()
        if time.time() - self._last_prune > PRUNE_EVERY_SECONDS:
            self._last_prune = time.time()
            models.WebSocketEvent.delete().where(
                models.WebSocketEvent.create_at < now - KEEP_SECONDS * 1000).execute()
        return models.WebSocketEvent.insert(payload=payload, create_at=now).execute()

    # -- listening ----------------------------------------------------------

    def start(self):
        """Start the listener (a greenlet under gevent, else a thread)."""
        if self._thread is not None:
            return
        self._stop.clear()
        self._wake_r, self._wake_w = os.pipe()
        self._thread = threading.Thread(target=self._run, name="ws-pg-listener", daemon=True)
        self._thread.start()

    def close(self):
        """Stop the listener and close its connection."""
        self._stop.set()
        if self._wake_w is not None:
            try:
                os.write(self._wake_w, b"x")
            except OSError:
                pass
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(5)
        self._thread = None
        for fd in (self._wake_r, self._wake_w):
            if fd is not None:
                try:
                    os.close(fd)
                except OSError:
                    pass
        self._wake_r = self._wake_w = None

    def wait_listening(self, timeout=10):
        return self.listening.wait(timeout)

    def _target_hub(self):
        if self.hub is None:
            from ws.hub import hub
            return hub
        return self.hub

    def _run(self):
        delay = BACKOFF_FIRST
        first = True
        while not self._stop.is_set():
            try:
                self._conn = self._listen()
            except Exception as error:
                if not first or delay > BACKOFF_FIRST:
                    log.warning("event listener cannot connect (%s): retrying in %.1f s", error, delay)
                self._sleep(delay)
                delay = min(delay * 2, BACKOFF_MAX) * random.uniform(0.8, 1.2)
                continue
            delay = BACKOFF_FIRST
            self.connects += 1
            # Clients that connected while nothing was listened to may have
            # missed events (none at the first start: the hub is empty then).
            resync_all(self._target_hub())
            self.listening.set()
            if not first:
                log.warning("event listener listening again")
                events.run_process_listeners({"event": events.INTERNAL_PREFIX + events.BUS_RECONNECTED,
                                              "data": {}})
            first = False
            try:
                self._receive(self._conn)
            except Exception as error:
                if not self._stop.is_set():
                    log.warning("event listener lost its connection (%s): reconnecting", error)
            finally:
                self.listening.clear()
                self._close_connection()
            if not self._stop.is_set():
                resync_all(self._target_hub())

    def _sleep(self, seconds):
        self._stop.wait(seconds)

    def _listen(self):
        import psycopg2
        arguments = {"keepalives": 1, "keepalives_idle": 30, "keepalives_interval": 10, "keepalives_count": 3}
        arguments.update(_connect_arguments(self.db))       # the DSN's own settings win
        arguments["application_name"] = APPLICATION_NAME    # how the tests find the listeners
        conn = psycopg2.connect(**arguments)
        try:
            conn.autocommit = True
            with conn.cursor() as cursor:
                cursor.execute("LISTEN " + CHANNEL)
        except Exception:
            conn.close()
            raise
        return conn

    def _close_connection(self):
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.close()
            except Exception:
                pass

    def _receive(self, conn):
        """Hand notifications to the hub until the connection fails or the bus stops."""
        idle = 0.0
        while not self._stop.is_set():
            ready, _, _ = select.select([conn, self._wake_r], [], [], 5.0)
            if self._stop.is_set():
                return
            if not ready:
                idle += 5.0
                if idle >= IDLE_PROBE_SECONDS:
                    idle = 0.0
                    with conn.cursor() as cursor:
                        cursor.execute("SELECT 1")
                conn.poll()
            else:
                idle = 0.0
                conn.poll()
            while conn.notifies:
                notification = conn.notifies.pop(0)
                self._deliver(conn, notification.payload)

    def _deliver(self, conn, payload):
        try:
            if payload.startswith(REFERENCE_PREFIX):
                with conn.cursor() as cursor:
                    cursor.execute("SELECT payload FROM websocket_events WHERE id = %s",
                                   (int(payload[len(REFERENCE_PREFIX):]),))
                    row = cursor.fetchone()
                if row is None:
                    log.error("event %s is no longer stored: this worker's clients must resync", payload)
                    resync_all(self._target_hub())
                    return
                payload = row[0]
            message = json.loads(payload)
        except (ValueError, TypeError):
            log.exception("malformed event notification dropped")
            return
        from store import db as store_db
        try:
            self._target_hub().dispatch(message)
        except Exception:
            log.exception("event dispatch failed")
        finally:
            store_db.release()
