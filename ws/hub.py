"""The per-process hub: the connected WebSockets of this worker, and the
delivery of each event to exactly the connections that may hear it.

Every connection has a bounded send queue drained by its own writer (a
greenlet under gevent), so a slow client never blocks a write or another
client: when its queue is full it is disconnected, as Mattermost does. The
writer numbers events (seq) as it sends them and keeps the last ones, so a
client that reconnects soon with its connection_id and sequence_number gets
what it missed instead of a fresh hello.
"""
import collections
import json
import logging
import queue
import threading
import time

log = logging.getLogger("mattermost.ws")

SEND_QUEUE_SIZE = 256        # Mattermost's sendQueueSize
REPLAY_SIZE = 128            # Mattermost's deadQueueSize: events kept for a resume
DEAD_KEEP_SECONDS = 120      # how long a closed connection can be resumed

_CLOSE = object()


def _dumps(message):
    return json.dumps(message, separators=(",", ":"))


class Connection:
    """One client's socket: its session, its send queue and writer, and the
    events it was sent (for a resume)."""

    def __init__(self, socket, session, connection_id):
        self.socket = socket
        self.session = session
        self.id = connection_id
        self.seq = 0
        self.sent = collections.deque(maxlen=REPLAY_SIZE)   # (seq, text) of recent events
        self.queue = queue.Queue(maxsize=SEND_QUEUE_SIZE)
        self.closed = False
        self.writer = None
        self.last_activity = time.time()

    @property
    def user_id(self):
        return self.session.user_id if self.session is not None else ""

    def start(self):
        self.writer = threading.Thread(target=self._write_loop, name="ws-writer-%s" % self.id, daemon=True)
        self.writer.start()

    def push(self, item):
        """Queue an event message (a dict) or a prepared text (a reply).
        False when the client is too slow: it is then disconnected."""
        if self.closed:
            return False
        try:
            self.queue.put_nowait(item)
            return True
        except queue.Full:
            log.warning("websocket %s of user %s is not reading: disconnecting it", self.id, self.user_id)
            self.close(1008, "send queue full")
            return False

    def close(self, code=1000, reason=""):
        if self.closed:
            return
        self.closed = True
        try:
            self.queue.put_nowait(_CLOSE)
        except queue.Full:
            pass
        try:
            self.socket.close(reason=code, message=reason)
        except Exception:
            pass

    def _write_loop(self):
        while True:
            item = self.queue.get()
            if item is _CLOSE:
                return
            try:
                if isinstance(item, dict):
                    message = dict(item, seq=self.seq)
                    text = _dumps(message)
                    self.sent.append((self.seq, text))
                    self.seq += 1
                else:
                    text = item
                self.socket.send(text)
            except Exception:
                self.closed = True
                return

    def replay_from(self, sequence_number):
        """The texts of the kept events from seq sequence_number on, or None
        when some of them are no longer kept."""
        if sequence_number == self.seq:
            return []
        kept = list(self.sent)
        if not kept or sequence_number < kept[0][0] or sequence_number > self.seq:
            return None
        return [text for seq, text in kept if seq >= sequence_number]


class Hub:
    """The connections of this process, by user, and the closed ones that may
    still be resumed."""

    def __init__(self):
        self.lock = threading.Lock()
        self.by_user = {}            # user id -> {connection id: Connection}
        self.dead = {}               # connection id -> (Connection, closed at)

    def register(self, connection):
        with self.lock:
            self.by_user.setdefault(connection.user_id, {})[connection.id] = connection

    def unregister(self, connection):
        """Forget a closed connection; keep it resumable for a while. Returns
        True when it was the user's last connection in this process."""
        with self.lock:
            conns = self.by_user.get(connection.user_id, {})
            conns.pop(connection.id, None)
            last = not conns
            if last:
                self.by_user.pop(connection.user_id, None)
            self.dead[connection.id] = (connection, time.time())
            self._expire()
        return last

    def take_dead(self, connection_id, user_id):
        """A closed connection of this user that can be resumed, removed from the
        dead list; None when there is none."""
        with self.lock:
            self._expire()
            entry = self.dead.get(connection_id)
            if entry is None or entry[0].user_id != user_id:
                return None
            del self.dead[connection_id]
            return entry[0]

    def _expire(self):
        limit = time.time() - DEAD_KEEP_SECONDS
        for connection_id in [c for c, (_, at) in self.dead.items() if at < limit]:
            del self.dead[connection_id]

    def connected_user_ids(self):
        with self.lock:
            return set(self.by_user)

    def connections_of(self, user_id):
        with self.lock:
            return list(self.by_user.get(user_id, {}).values())

    def all_connections(self):
        with self.lock:
            return [c for conns in self.by_user.values() for c in conns.values()]

    def dispatch(self, message):
        """Send an event to the connections its broadcast names: one connection,
        one user, a channel's members, a team's members, or everyone; less
        omit_users and omit_connection_id."""
        broadcast = message.get("broadcast") or {}
        targets = self._targets(broadcast)
        omit_users = broadcast.get("omit_users") or {}
        omit_connection = broadcast.get("omit_connection_id") or ""
        only_connection = broadcast.get("connection_id") or ""
        for connection in targets:
            if connection.user_id in omit_users or connection.id == omit_connection:
                continue
            if only_connection and connection.id != only_connection:
                continue
            connection.push(message)

    def _targets(self, broadcast):
        user_id = broadcast.get("user_id") or ""
        if user_id:
            return self.connections_of(user_id)
        connected = self.connected_user_ids()
        if not connected:
            return []
        channel_id = broadcast.get("channel_id") or ""
        team_id = broadcast.get("team_id") or ""
        if channel_id or team_id:
            from store import channel_members
            if channel_id:
                allowed = channel_members.user_ids_in(channel_id, connected)
            else:
                allowed = channel_members.team_user_ids_in(team_id, connected)
            return [c for user in allowed for c in self.connections_of(user)]
        return self.all_connections()


hub = Hub()
