"""/api/v4/websocket, mounted with flask-sock on the same app and port.

The protocol is Mattermost's (api4/websocket.go, app/platform/web_conn.go,
websocket_router.go, wsapi/*.go):

- Authentication: the session of the upgrade request (MMAUTHTOKEN cookie or
  Authorization header). A session token in the query (access_token) is
  refused with a 401 before the upgrade unless it is an OAuth session, as
  Mattermost refuses it. Otherwise the first message may be an
  authentication_challenge ({"token"}): answered with a hello and an OK reply,
  or a FAIL reply and the socket closed. An unauthenticated socket is closed
  after AUTHENTICATION_TIMEOUT seconds.
- Events: hello first (seq 0, with connection_id, server_version as in
  X-Version-Id, server_hostname), then every event numbered on per
  connection with no gaps. Replies carry seq_reply (the request's seq) and no
  seq.
- Requests are JSON text frames or MessagePack binary frames
  {"seq", "action", "data"}, at most MAX_MESSAGE_BYTES. A frame that does not
  decode closes the socket (as Mattermost's read pump does); an empty action
  or a seq below 1 gets a FAIL reply.
- Actions: ping, user_typing, get_statuses, get_statuses_by_ids,
  user_update_active_status, presence, posted_notify_ack.
- Resume: a client reconnecting with connection_id and sequence_number (the
  seq of the next event it expects) gets, without a hello, every event from
  that seq on and then what was queued while it was away, numbered on. When
  some are gone (or the id is unknown) it gets a fresh hello with a new
  connection_id and must resync. An invalid connection_id, or a known one
  without a valid sequence_number, closes the socket, as in Mattermost.
  Resuming is per process (Mattermost's is per node too): a client that
  reconnects to another worker gets a fresh hello.

Presence (ws.presence) follows the connections.
"""
import json
import logging
import socket as socket_module
import struct
import time

import flask
from flask_sock import Sock
from simple_websocket import ConnectionClosed

from api import auth, client_config, config as config_module, errors, permissions
from store import db as store_db
from store.ids import is_valid_id, new_id
from ws import events, presence
from ws.hub import Connection, FrameWriter, hub

log = logging.getLogger("mattermost.ws")
PATH = "/api/v4/websocket"
MAX_MESSAGE_BYTES = 8 * 1024   # Mattermost's SocketMaxMessageSizeKb (8 KiB); larger frames close with 1009
AUTHENTICATION_TIMEOUT = 5     # Mattermost's authCheckInterval: unauthenticated sockets are closed after it
INVALID_MESSAGE_CLOSE = 1003
_INT64_MIN, _INT64_MAX = -2 ** 63, 2 ** 63 - 1


class _Invalid(ValueError):
    """A frame that is not a WebSocket request."""


# ---------------------------------------------------------------------------
# Replies and the hello.

def _error(error_id, message, status_code=400):
    return {"id": error_id, "message": message, "detailed_error": "", "status_code": status_code}


def _reply(connection, seq_reply, status="OK", data=None, error=None):
    message = {"status": status, "seq_reply": seq_reply}
    if data is not None:
        message["data"] = data
    if error is not None:
        message["error"] = error
    connection.push(json.dumps(message, separators=(",", ":")))


def _fail(connection, seq, error_id, message, status_code=400):
    _reply(connection, seq, "FAIL", error=_error(error_id, message, status_code))


def _invalid_param(connection, seq, name):
    _fail(connection, seq, "api.websocket_handler.invalid_param.app_error",
          "The %s parameter is missing or not valid." % name)


def _hello(connection, version_id):
    connection.push({"event": "hello", "data": {
        "connection_id": connection.id,
        "server_version": version_id,
        "server_hostname": socket_module.gethostname(),
    }, "broadcast": events.broadcast(user_id=connection.user_id)})


# ---------------------------------------------------------------------------
# Decoding requests: JSON text frames, MessagePack binary frames.

def _decode_json(text):
    # Like Go's json.Decoder: the first value counts, anything after it is ignored.
    try:
        value, _ = json.JSONDecoder().raw_decode(text.lstrip(" \t\r\n"))
    except (ValueError, RecursionError):
        raise _Invalid("not JSON")
    return value


_MSGPACK_MAX_DEPTH = 64


def _decode_msgpack(data):
    """The first MessagePack value of data (maps need string keys; bin is
    bytes; ext types are refused)."""
    position = 0

    def take(n):
        nonlocal position
        if position + n > len(data):
            raise _Invalid("truncated MessagePack")
        chunk = data[position:position + n]
        position += n
        return chunk

    def unpack(fmt):
        return struct.unpack(fmt, take(struct.calcsize(fmt)))[0]

    def string(n):
        try:
            return take(n).decode("utf-8")
        except UnicodeDecodeError:
            raise _Invalid("string is not UTF-8")

    def sequence(n, depth):
        return [value(depth + 1) for _ in range(n)]

    def mapping(n, depth):
        result = {}
        for _ in range(n):
            key = value(depth + 1)
            if not isinstance(key, str):
                raise _Invalid("map key is not a string")
            result[key] = value(depth + 1)
        return result

    def value(depth):
        if depth > _MSGPACK_MAX_DEPTH:
            raise _Invalid("nested too deep")
        code = take(1)[0]
        if code <= 0x7f:
            return code
        if code >= 0xe0:
            return code - 0x100
        if 0x80 <= code <= 0x8f:
            return mapping(code & 0x0f, depth)
        if 0x90 <= code <= 0x9f:
            return sequence(code & 0x0f, depth)
        if 0xa0 <= code <= 0xbf:
            return string(code & 0x1f)
        simple = {0xc0: None, 0xc2: False, 0xc3: True}
        if code in simple:
            return simple[code]
        sized = {0xc4: ">B", 0xc5: ">H", 0xc6: ">I"}
        if code in sized:
            return bytes(take(unpack(sized[code])))
        numbers = {0xca: ">f", 0xcb: ">d", 0xcc: ">B", 0xcd: ">H", 0xce: ">I", 0xcf: ">Q",
                   0xd0: ">b", 0xd1: ">h", 0xd2: ">i", 0xd3: ">q"}
        if code in numbers:
            return unpack(numbers[code])
        strings = {0xd9: ">B", 0xda: ">H", 0xdb: ">I"}
        if code in strings:
            return string(unpack(strings[code]))
        if code in (0xdc, 0xdd):
            return sequence(unpack(">H" if code == 0xdc else ">I"), depth)
        if code in (0xde, 0xdf):
            return mapping(unpack(">H" if code == 0xde else ">I"), depth)
        raise _Invalid("unsupported MessagePack type 0x%02x" % code)

    return value(0)


def _parse(raw):
    """(seq, action, data) of a request frame, as Go decodes it into
    WebSocketRequest; _Invalid when it does not decode."""
    message = _decode_msgpack(bytes(raw)) if isinstance(raw, (bytes, bytearray)) else _decode_json(raw)
    if message is None:
        message = {}
    if not isinstance(message, dict):
        raise _Invalid("not an object")
    seq = message.get("seq")
    if seq is None:
        seq = 0
    if isinstance(seq, bool) or not isinstance(seq, int) or not _INT64_MIN <= seq <= _INT64_MAX:
        raise _Invalid("seq is not an integer")
    action = message.get("action")
    if action is None:
        action = ""
    if not isinstance(action, str):
        raise _Invalid("action is not a string")
    data = message.get("data")
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise _Invalid("data is not an object")
    return seq, action, data


# ---------------------------------------------------------------------------
# The connection's life.

class _Upgrade:
    """What the upgrade request brought: its session, resume parameters and
    the server's configuration."""

    def __init__(self, session, connection_id, sequence_number, config, version_id):
        self.session = session
        self.connection_id = connection_id
        self.sequence_number = sequence_number
        self.config = config
        self.version_id = version_id


def _read_upgrade(version_id):
    """Authenticate the upgrade request; a session token in the query is a 401
    (before the upgrade) unless it is an OAuth session."""
    request = flask.request._get_current_object()
    token, where = auth.token_from_request(request)
    try:
        session = auth.lookup_session(token)
    finally:
        store_db.release()
    if session is not None and where == auth.TOKEN_FROM_QUERY and not getattr(session, "is_oauth", False):
        raise errors.AppError(401, "api.context.token_provided.app_error",
                              "A session token cannot be sent in the query string; use the Authorization "
                              "header or the session cookie.")
    flask.g.session = session
    args = request.args
    return _Upgrade(session, args.get("connection_id", ""), args.get("sequence_number"),
                    config_module.current(), version_id)


def _attach(connection, upgrade):
    """Register a connection authenticated by its upgrade: resume the one it
    names when every event it missed is still kept (no hello), else start
    afresh with a hello. False when the resume parameters are invalid (the
    socket is then closed, as in Mattermost)."""
    resume_id = upgrade.connection_id
    previous = None
    if resume_id:
        if not is_valid_id(resume_id):
            log.info("websocket resume with an invalid connection id %r", resume_id)
            return False
        previous = hub.take_over(resume_id, connection.user_id)
    if previous is not None:
        try:
            sequence_number = int(upgrade.sequence_number)
        except (TypeError, ValueError):
            sequence_number = -1
        if sequence_number < 0:
            log.info("websocket resume of %s without a valid sequence_number", resume_id)
            return False
        missed = previous.replay_from(sequence_number)
        if missed is not None:
            connection.adopt(previous, missed)
            hub.register(connection)
            return True
    hub.register(connection)
    _hello(connection, upgrade.version_id)
    return True


def serve(socket, upgrade):
    """Talk the protocol on one upgraded socket until the client goes."""
    connection = Connection(FrameWriter(socket), upgrade.session, new_id())
    registered = False
    try:
        if connection.session is not None:
            if not _attach(connection, upgrade):
                connection.close(1008, "invalid connection_id or sequence_number")
                return
            registered = True
            _presence(presence.connected, upgrade.config, connection.user_id)
        connection.start()
        registered = _read_loop(socket, connection, upgrade) or registered
    finally:
        connection.close()
        if registered and hub.unregister(connection):
            _presence(presence.disconnected, upgrade.config, connection.user_id)
        store_db.release()


def _presence(function, config, user_id, *args):
    try:
        return function(config, user_id, *args)
    except Exception:
        log.exception("presence update of user %s failed", user_id)
    finally:
        store_db.release()


def _read_loop(socket, connection, upgrade):
    """Read requests until the socket closes. True if the connection was
    registered here (by an authentication_challenge)."""
    registered = False
    opened = time.monotonic()
    while not connection.closed:
        timeout = None     # presence's away check is the process's sweeper (ws.presence)
        if connection.session is None:
            timeout = AUTHENTICATION_TIMEOUT - (time.monotonic() - opened)
            if timeout <= 0:
                connection.close(1008, "not authenticated")
                return registered
        try:
            raw = socket.receive(timeout=timeout)
        except ConnectionClosed:
            return registered
        if raw is None:
            continue
        if isinstance(raw, str) and len(raw) * 4 > MAX_MESSAGE_BYTES and len(raw.encode("utf-8")) > MAX_MESSAGE_BYTES:
            connection.close(1009, "message too big")
            return registered
        try:
            seq, action, data = _parse(raw)
        except _Invalid as problem:
            log.debug("websocket %s: undecodable request (%s): closing it", connection.id, problem)
            connection.close(INVALID_MESSAGE_CLOSE, "invalid request")
            return registered
        connection.last_activity = time.time()
        if not action:
            _fail(connection, seq, "api.web_socket_router.no_action.app_error", "The request names no action.")
            continue
        if seq <= 0:
            _fail(connection, seq, "api.web_socket_router.bad_seq.app_error",
                  "The request's seq must be a positive number.")
            continue
        if action == "authentication_challenge":
            if connection.session is not None:
                continue  # already authenticated: ignored, as in Mattermost
            if not _challenge(connection, seq, data, upgrade):
                return registered
            registered = True
            continue
        if connection.session is None or connection.revoked:
            _fail(connection, seq, "api.web_socket_router.not_authenticated.app_error",
                  "The connection is not authenticated.", 401)
            continue
        try:
            handle_action(connection, seq, action, data, upgrade.config)
        except Exception:
            log.exception("websocket action %s failed", action)
            _fail(connection, seq, "app.websocket.internal_error", "The request failed on the server.", 500)
        finally:
            store_db.release()
    return registered


def _challenge(connection, seq, data, upgrade):
    """authentication_challenge: a hello then an OK reply, or a FAIL reply and
    the socket closed. Always a fresh connection (no resume)."""
    token = data.get("token")
    try:
        session = auth.lookup_session(token) if isinstance(token, str) else None
    finally:
        store_db.release()
    if session is None:
        _fail(connection, seq, "api.web_socket_router.not_authenticated.app_error",
              "The token is not a valid session.", 401)
        connection.close_after_flush(1008, "not authenticated")
        return False
    connection.session = session
    hub.register(connection)
    _hello(connection, upgrade.version_id)
    _reply(connection, seq)
    _presence(presence.connected, upgrade.config, connection.user_id)
    return True


# ---------------------------------------------------------------------------
# Actions of an authenticated client.

def handle_action(connection, seq, action, data, config=None):
    """Answer one action of an authenticated client."""
    config = config if config is not None else config_module.current()
    handler = _ACTIONS.get(action)
    if handler is None:
        _fail(connection, seq, "api.web_socket_router.bad_action.app_error", "Unknown action.", 500)
        return
    handler(connection, seq, data, config)


def _ping(connection, seq, data, config):
    _reply(connection, seq, data={"text": "pong", "version": config_module.VERSION,
                                  "server_time": int(time.time() * 1000), "node_id": ""})


def _user_typing(connection, seq, data, config):
    """typing to the channel's members but the sender. Mattermost leaves
    EnableUserTypingMessages to its clients; here the server also sends
    nothing when it is off (the reply is still OK)."""
    channel_id = data.get("channel_id")
    if not isinstance(channel_id, str) or not is_valid_id(channel_id) \
            or not permissions.has_channel(connection.session, channel_id, "create_post"):
        _invalid_param(connection, seq, "channel_id")
        return
    parent_id = data.get("parent_id")
    if not isinstance(parent_id, str):
        parent_id = ""
    if config["ServiceSettings"]["EnableUserTypingMessages"]:
        user_id = connection.user_id
        events.publish("typing", {"parent_id": parent_id, "user_id": user_id}, channel_id=channel_id,
                       omit_users=events.omit(user_id))
    _reply(connection, seq)


def _get_statuses(connection, seq, data, config):
    _reply(connection, seq, data=presence.all_statuses(config))


def _get_statuses_by_ids(connection, seq, data, config):
    user_ids = data.get("user_ids")
    # Mattermost keeps the strings of the array and ignores anything else.
    user_ids = [u for u in user_ids if isinstance(u, str)] if isinstance(user_ids, list) else []
    if not user_ids:
        _invalid_param(connection, seq, "user_ids")
        return
    _reply(connection, seq, data=presence.statuses_by_ids(config, user_ids))


def _user_update_active_status(connection, seq, data, config):
    active = data.get("user_is_active")
    if not isinstance(active, bool):
        _invalid_param(connection, seq, "user_is_active")
        return
    manual = data.get("manual") is True
    if active:
        presence.set_online(config, connection.user_id, manual)
    else:
        presence.set_away_if_needed(config, connection.user_id, manual)
    _reply(connection, seq)


def _presence_indicator(connection, seq, data, config):
    """The client's active channel, team and thread (kept on the connection)."""
    for key, attribute in (("channel_id", "active_channel_id"), ("team_id", "active_team_id")):
        if isinstance(data.get(key), str):
            setattr(connection, attribute, data[key])
    if isinstance(data.get("thread_channel_id"), str):
        if data.get("is_thread_view") is True:
            connection.active_thread_view_channel_id = data["thread_channel_id"]
        else:
            connection.active_rhs_thread_channel_id = data["thread_channel_id"]
    _reply(connection, seq)


def _posted_notify_ack(connection, seq, data, config):
    _reply(connection, seq)


_ACTIONS = {
    "ping": _ping,
    "user_typing": _user_typing,
    "get_statuses": _get_statuses,
    "get_statuses_by_ids": _get_statuses_by_ids,
    "user_update_active_status": _user_update_active_status,
    "presence": _presence_indicator,
    "posted_notify_ack": _posted_notify_ack,
}


# ---------------------------------------------------------------------------

class _Capture:
    """Stands in for a blueprint so that flask-sock's view can be wrapped."""

    def route(self, path, **options):
        def keep(view):
            self.view = view
            return view
        return keep


def register(app):
    app.config.setdefault("SOCK_SERVER_OPTIONS", {"ping_interval": 30, "max_message_size": MAX_MESSAGE_BYTES})
    config = app.config["MM_CONFIG"]
    version_id = "%s.%s.%s.%s" % (config_module.VERSION, config_module.BUILD_NUMBER,
                                  client_config.config_hash(config), "false")

    def talk(socket):
        try:
            serve(socket, flask.g.ws_upgrade)
        except ConnectionClosed:
            pass
        except Exception:
            # The socket is upgraded: an HTTP error page cannot be sent any more.
            log.exception("websocket connection failed")
            try:
                socket.close(reason=1011, message="server error")
            except Exception:
                pass

    capture = _Capture()
    Sock().route(PATH, bp=capture)(talk)
    upgraded = capture.view

    def websocket():
        flask.g.ws_upgrade = _read_upgrade(version_id)   # may refuse before the upgrade
        return upgraded()

    app.add_url_rule(PATH, "websocket", websocket, websocket=True)
