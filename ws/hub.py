"""The per-process hub: the WebSockets of this worker, and the delivery of
each event to exactly the connections that may hear it.

Every connection has a bounded send queue (SEND_QUEUE_SIZE) drained by its own
writer (a greenlet under gevent), so a slow client never blocks a write or
another client: when its queue is full it is dropped (closed, and never
resumable, since it lost events), as Mattermost's hub does. While the queue is
empty, an event is written straight to the socket as far as it takes it
without waiting (Connection.push), and only what is left waits for the
writer. Events are numbered (seq, from 0 with no gaps) as they are written,
and the last REPLAY_SIZE of them are kept.

A connection whose socket closes stays in the hub for DEAD_KEEP_SECONDS
(`dead`), as Mattermost keeps an inactive connection: it no longer counts as
the user being connected, but events for it keep going into its queue. A
client that reconnects with its connection_id and sequence_number takes that
connection over (Connection.adopt): what it had been sent from
sequence_number on is sent again, then what was queued meanwhile, numbered on
from where the old socket stopped.

When sessions end (logout, revocation, expiry, a deactivated account, a
revoked token), the store publishes the internal event sessions_revoked
(publish_sessions_revoked); every process then marks the connections of those
sessions revoked: they stay open but hear no more events and may not act, and
cannot be resumed, as Mattermost's hub stops sending to a connection whose
session is gone.
"""
import collections
import json
import logging
import queue
import struct
import threading
import time

from api.sockets import send_all
from store.cache import ROWS_CHANGED
from ws import events

log = logging.getLogger("mattermost.ws")

SEND_QUEUE_SIZE = 256        # Mattermost's sendQueueSize
REPLAY_SIZE = 128            # Mattermost's deadQueueSize: sent events kept for a resume
DEAD_KEEP_SECONDS = 300      # Mattermost reaps inactive connections after 5 minutes
WRITER_JOIN_SECONDS = 5
SESSIONS_REVOKED = "sessions_revoked"   # internal event: {"session_ids", "user_id", "all"}
SESSIONS_CHANGED = "sessions_changed"   # internal event, the same fields: rows to read again


def _dumps(message):
    return json.dumps(message, separators=(",", ":"))


class _Stop:
    """Stops the writer of `owner`; other writers sharing the queue skip it."""
    __slots__ = ("owner",)

    def __init__(self, owner):
        self.owner = owner


class _Rest:
    """The rest of a frame push wrote in part, for the writer of `owner`. A
    connection that takes the queue over (a resume) skips it: its socket
    never had the start of that frame, and the event comes again in the
    replay."""
    __slots__ = ("data", "owner")

    def __init__(self, data, owner):
        self.data, self.owner = data, owner


def text_frame(text):
    """A whole text message as one unmasked frame (a server never masks)."""
    payload = text.encode("utf-8")
    size = len(payload)
    if size < 126:
        head = bytes((0x81, size))
    elif size < 65536:
        head = struct.pack("!BBH", 0x81, 126, size)
    else:
        head = struct.pack("!BBQ", 0x81, 127, size)
    return head + payload


class FrameWriter:
    """The sending side of a simple_websocket connection: each text message
    goes out as one frame, written whole (api.sockets.send_all).
    simple_websocket builds frames with wsproto (a third of an event's
    delivery cost) and writes them with one send, which may write part of a
    frame when the socket's buffer is full.
    Frames go uncompressed even where permessage-deflate was agreed, which
    RFC 7692 allows (a frame without RSV1 is not compressed).

    send_now writes without waiting, for Connection.push; it needs gevent's
    socket (the non-blocking one inside it), so a plain socket has none.

    simple_websocket writes its own control frames (its pings, pongs, the
    close) on the same socket, from its reader. Those must not land inside a
    frame of ours that is partly written (a full socket buffer), so its
    socket is wrapped (_ControlFrames): while one of our frames is unfinished
    they wait, and go right after it."""

    def __init__(self, ws):
        self.ws = ws
        self._sock = ws.sock
        self.unfinished = False     # a frame of ours is partly on the wire
        self._held = []             # control frames waiting for it to end
        ws.sock = _ControlFrames(self._sock, self)
        raw = getattr(self._sock, "_sock", None)
        if raw is not None and raw.gettimeout() == 0.0:
            self._raw_send = raw.send
            self.send_now = self._send_now

    def send(self, text):
        self.send_bytes(text_frame(text))

    def send_bytes(self, frame):
        """Write frame (or the rest of one send_now began) whole, then the
        control frames that waited for it."""
        if not self.ws.connected:
            raise ConnectionError("websocket closed")
        self.unfinished = True
        try:
            send_all(self._sock, frame)
            while self._held:
                send_all(self._sock, self._held.pop(0))
        finally:
            self.unfinished = False

    def _send_now(self, text):
        """Write text's frame as far as the socket takes it at once: None when
        all of it went, else the bytes left (for send_bytes)."""
        frame = text_frame(text)
        if not self.ws.connected:
            return frame     # send_bytes raises, as send would have
        try:
            sent = self._raw_send(frame)
        except BlockingIOError:
            return frame
        except OSError:
            return frame     # send_bytes meets the error again and the writer ends
        if sent < len(frame):
            self.unfinished = True
            return frame[sent:]
        return None

    def send_control(self, data):
        if self.unfinished:
            self._held.append(bytes(data))
            return len(data)
        return self._sock.send(data)

    def close(self, reason=None, message=None):
        self.ws.close(reason=reason, message=message)


class _ControlFrames:
    """simple_websocket's socket as it sees it: the real one, except that
    what it sends goes through FrameWriter.send_control."""

    def __init__(self, sock, writer):
        self._real = sock
        self._writer = writer

    def send(self, data, *flags):
        return self._writer.send_control(data)

    def __getattr__(self, name):
        return getattr(self._real, name)


class Event(dict):
    """An event message serialized once for all its receivers: each
    connection only appends its own seq. (Still the message dict.)"""

    def __init__(self, message):
        super().__init__(message)
        self.prefix = _dumps(message)[:-1] + ',"seq":'

    def numbered(self, seq):
        return "%s%d}" % (self.prefix, seq)


class Connection:
    """One client's socket: its session, its send queue and writer, and the
    events it was sent (for a resume)."""

    def __init__(self, socket, session, connection_id):
        self.socket = socket
        self.session = session
        self.id = connection_id
        self.seq = 0                                        # the next event's seq
        self.sent = collections.deque(maxlen=REPLAY_SIZE)   # (seq, text) of recent events
        self.queue = queue.Queue(maxsize=SEND_QUEUE_SIZE)
        self.closed = False
        self.dropped = False        # its queue overflowed: it lost events and cannot be resumed
        self.revoked = False        # its session ended: it hears nothing more
        self.writer = None
        self.waiting = False        # the writer waits on an empty queue: push may write itself
        self.replay = []            # texts sent again first, after a resume
        self.last_activity = time.time()
        self._stop = _Stop(self)

    @property
    def user_id(self):
        return self.session.user_id if self.session is not None else ""

    def start(self):
        self.writer = threading.Thread(target=self._write_loop, name="ws-writer-%s" % self.id, daemon=True)
        self.writer.start()

    def push(self, item):
        """Send an event message (a dict) or a prepared text (a reply), or
        queue it. False when the client is too slow: it is then dropped.

        When the writer is waiting on an empty queue, nothing is ahead of the
        message, so it is written here at once, as far as the socket takes it
        without waiting (the writer gets what is left). That spares a switch
        to the writer and back per delivery, most of an event's cost to a
        socket that keeps up. This needs the writer and push on one thread
        (gevent's greenlets), hence only sockets with send_now."""
        if self.dropped:
            return False
        if self.waiting and not self.closed and self.queue.empty():
            send_now = getattr(self.socket, "send_now", None)
            if send_now is not None:
                rest = send_now(self._text(item))
                if rest is None:
                    return True
                item = _Rest(rest, self)
        try:
            self.queue.put_nowait(item)
            return True
        except queue.Full:
            log.warning("websocket %s of user %s is not reading: disconnecting it", self.id, self.user_id)
            self.dropped = True
            self.close(1008, "send queue full")
            return False

    def _text(self, item):
        """The text of a queued item; an event is numbered and kept here, before
        it is sent: if the send fails, a resume sends it again."""
        if isinstance(item, dict):
            text = item.numbered(self.seq) if isinstance(item, Event) else _dumps(dict(item, seq=self.seq))
            self.sent.append((self.seq, text))
            self.seq += 1
            return text
        return item

    def close(self, code=1000, reason=""):
        if self.closed:
            return
        self.closed = True
        try:
            self.queue.put_nowait(self._stop)
        except queue.Full:
            pass   # the writer is busy; it stops at its next send on the closed socket
        try:
            self.socket.close(reason=code, message=reason)
        except Exception:
            pass

    def close_after_flush(self, code=1000, reason="", timeout=2):
        """Close once what is queued has been written (or after timeout seconds)."""
        if self.writer is not None and not self.closed:
            try:
                self.queue.put(self._stop, timeout=timeout)
            except queue.Full:
                pass
            self.wait_writer(timeout)
        self.close(code, reason)

    def wait_writer(self, timeout=WRITER_JOIN_SECONDS):
        writer = self.writer
        if writer is not None and writer is not threading.current_thread():
            writer.join(timeout)

    def _write_loop(self):
        try:
            for text in self.replay:
                self.socket.send(text)
            self.replay = []
            while True:
                self.waiting = True
                try:
                    item = self.queue.get()
                finally:
                    self.waiting = False
                if isinstance(item, _Stop):
                    if item.owner is self:
                        return
                    continue     # left by the connection this one took over
                if isinstance(item, _Rest):
                    if item.owner is self:
                        self.socket.send_bytes(item.data)     # the rest of a frame push began
                else:
                    self.socket.send(self._text(item))
        except Exception:
            self.closed = True
            try:
                self.socket.close()
            except Exception:
                pass

    def replay_from(self, sequence_number):
        """The texts of the kept events from seq sequence_number on ([] when
        the client has them all), or None when some of them are gone (or the
        connection was dropped)."""
        if self.dropped or sequence_number is None or sequence_number < 0:
            return None
        if sequence_number == self.seq:
            return []
        kept = list(self.sent)
        if not kept or sequence_number < kept[0][0] or sequence_number > self.seq:
            return None
        return [text for seq, text in kept if seq >= sequence_number]

    def adopt(self, previous, replay):
        """Take over a closed connection: its id, numbering, history and
        queue (with what was queued for it since), sending `replay` first.
        Call before start()."""
        previous.wait_writer()
        self.id, self.seq, self.sent, self.queue = previous.id, previous.seq, previous.sent, previous.queue
        self.replay = list(replay)


class Hub:
    """The connections of this process, by user, and the closed ones that may
    still be resumed (which keep receiving events)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.by_user = {}            # user id -> {connection id: Connection}, open sockets
        self.dead = {}               # connection id -> (Connection, closed at)

    def register(self, connection):
        with self.lock:
            self.by_user.setdefault(connection.user_id, {})[connection.id] = connection

    def unregister(self, connection):
        """The connection's socket closed: keep it resumable for a while (unless
        it was dropped). Returns True when it was the user's last open
        connection in this process (False when it was not registered, e.g.
        taken over by a reconnect)."""
        with self.lock:
            conns = self.by_user.get(connection.user_id)
            if not conns or conns.get(connection.id) is not connection:
                return False
            del conns[connection.id]
            last = not conns
            if last:
                del self.by_user[connection.user_id]
            if not getattr(connection, "dropped", False):
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

    def take_over(self, connection_id, user_id):
        """The connection a reconnecting client names: a closed one (take_dead),
        or one whose socket this process has not yet seen close (it is closed
        now and taken out of the hub). None when there is none."""
        previous = self.take_dead(connection_id, user_id)
        if previous is not None:
            return previous
        with self.lock:
            conns = self.by_user.get(user_id) or {}
            previous = conns.pop(connection_id, None)
            if previous is None:
                return None
            if not conns:
                self.by_user.pop(user_id, None)
        previous.close(1000, "resumed elsewhere")
        return previous

    def _expire(self):
        limit = time.time() - DEAD_KEEP_SECONDS
        for connection_id in [c for c, (_, at) in self.dead.items() if at < limit]:
            del self.dead[connection_id]

    def _forget_dead(self, connection):
        with self.lock:
            entry = self.dead.get(connection.id)
            if entry is not None and entry[0] is connection:
                del self.dead[connection.id]

    def connected_user_ids(self):
        """Users with an open connection in this process."""
        with self.lock:
            return set(self.by_user)

    def open_count(self, user_id):
        with self.lock:
            return len(self.by_user.get(user_id) or ())

    def connections_of(self, user_id):
        """The user's connections, open and resumable."""
        with self.lock:
            return list((self.by_user.get(user_id) or {}).values()) + \
                [c for c, _ in self.dead.values() if c.user_id == user_id]

    def connection_count(self):
        """How many sockets are open in this process (read-only, for metrics)."""
        with self.lock:
            return sum(len(conns) for conns in self.by_user.values())

    def all_connections(self):
        """Every open connection."""
        with self.lock:
            return [c for conns in self.by_user.values() for c in conns.values()]

    def _receivers(self, user_ids=None):
        """{user id: [connections]} of the open or resumable connections of
        user_ids (a set; None for every user)."""
        with self.lock:
            if user_ids is None:
                receivers = {user: list(conns.values()) for user, conns in self.by_user.items()}
            else:
                receivers = {user: list(self.by_user[user].values()) for user in user_ids if user in self.by_user}
            for connection, _ in self.dead.values():
                if user_ids is None or connection.user_id in user_ids:
                    receivers.setdefault(connection.user_id, []).append(connection)
        return receivers

    def _connected_user_ids(self):
        """Users with an open or resumable connection."""
        with self.lock:
            ids = set(self.by_user)
            ids.update(c.user_id for c, _ in self.dead.values())
        return ids

    def dispatch(self, message):
        """Send an event to the connections its broadcast names: one connection,
        one user, a channel's members, a team's members, or everyone; less
        omit_users and omit_connection_id. This process's listeners of the
        event run first (ws.events.on_event); an internal event stops there."""
        if events.run_process_listeners(message):
            return
        broadcast = message.get("broadcast") or {}
        only_connection = broadcast.get("connection_id") or ""
        if only_connection:
            # As Mattermost: the named connection alone, whoever the rest names.
            targets = [c for conns in self._receivers().values() for c in conns if c.id == only_connection]
        else:
            omit_connection = broadcast.get("omit_connection_id") or ""
            # omit_users does not apply to an event for one user (Mattermost checks user_id first).
            omit_users = {} if broadcast.get("user_id") else (broadcast.get("omit_users") or {})
            targets = [c for c in self._targets(broadcast)
                       if c.id != omit_connection and c.user_id not in omit_users]
        targets = [c for c in targets if not getattr(c, "revoked", False)]
        event = Event(message) if targets else None
        for connection in targets:
            if not connection.push(event) and getattr(connection, "dropped", False):
                self._forget_dead(connection)
        time.sleep(0)   # under gevent: let the writers drain before the next event

    def revoke_sessions(self, message):
        """sessions_revoked: mark the connections of the ended sessions (by
        session id, user, or all) revoked, and forget the closed ones."""
        data = message.get("data") or {}
        session_ids = set(data.get("session_ids") or ())
        user_id = data.get("user_id") or ""
        everyone = bool(data.get("all"))
        with self.lock:
            connections = [c for conns in self.by_user.values() for c in conns.values()]
            connections += [c for c, _ in self.dead.values()]
            for connection in connections:
                session = connection.session
                if session is None:
                    continue
                if (everyone or (user_id and session.user_id == user_id)
                        or getattr(session, "id", None) in session_ids):
                    connection.revoked = True
            for connection_id in [i for i, (c, _) in self.dead.items() if getattr(c, "revoked", False)]:
                del self.dead[connection_id]

    def _targets(self, broadcast):
        user_id = broadcast.get("user_id") or ""
        if user_id:
            return self._receivers({user_id}).get(user_id, [])
        channel_id = broadcast.get("channel_id") or ""
        team_id = broadcast.get("team_id") or ""
        if channel_id or team_id:
            connected = self._connected_user_ids()
            if not connected:
                return []
            from store import channel_members
            if channel_id:
                allowed = channel_members.user_ids_in(channel_id, connected)
            else:
                allowed = channel_members.team_user_ids_in(team_id, connected)
            return [c for conns in self._receivers(allowed).values() for c in conns]
        return [c for conns in self._receivers().values() for c in conns]


hub = Hub()


def publish_sessions_revoked(session_ids=(), user_id="", everyone=False):
    """Tell every process (after commit) that these sessions ended (by id: no
    token travels on the bus)."""
    data = {"session_ids": list(session_ids), "user_id": user_id, "all": everyone}
    events.publish_internal(SESSIONS_REVOKED, data)


def publish_sessions_changed(session_ids=(), user_id="", everyone=False):
    """Tell every process (after commit) to read these sessions again."""
    data = {"session_ids": list(session_ids), "user_id": user_id, "all": everyone}
    events.publish_internal(SESSIONS_CHANGED, data)


def _forget_cached_rows(message):
    """rows_changed: drop the named cache's rows in this process (store.cache)."""
    from store import cache
    data = message.get("data") or {}
    rows = cache.named(data.get("cache") or "")
    if rows is not None:
        rows.forget(data.get("keys") or (), everyone=bool(data.get("all")))


def _forget_cached_sessions(message):
    from store import sessions
    data = message.get("data") or {}
    sessions.forget_cached(data.get("session_ids") or (), data.get("user_id") or "", bool(data.get("all")))


events.on_event(events.INTERNAL_PREFIX + SESSIONS_REVOKED, _forget_cached_sessions)
events.on_event(events.INTERNAL_PREFIX + SESSIONS_REVOKED, hub.revoke_sessions)
events.on_event(events.INTERNAL_PREFIX + SESSIONS_CHANGED, _forget_cached_sessions)
events.on_event(events.INTERNAL_PREFIX + ROWS_CHANGED, _forget_cached_rows)
