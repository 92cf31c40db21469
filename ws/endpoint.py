"""/api/v4/websocket, mounted with flask-sock on the same app and port.

This is the connection layer only: the upgrade, authentication (the session
from the upgrade request, or an authentication_challenge action), the hello
event, and replies to actions. Events from writes arrive with the event bus.
"""
import json
import socket as socket_module
import logging
import time

from flask_sock import Sock
from simple_websocket import ConnectionClosed

from api import auth, config as config_module
from store.ids import new_id
from ws.hub import Connection, hub

log = logging.getLogger("mattermost.ws")
PATH = "/api/v4/websocket"
MAX_MESSAGE_BYTES = 64 * 1024  # larger client frames close the connection (simple_websocket enforces it)
RECEIVE_TIMEOUT = 60
AUTHENTICATION_TIMEOUT = 120   # an unauthenticated socket is closed after this many idle seconds


def _broadcast(user_id="", channel_id="", team_id=""):
    return {"omit_users": None, "user_id": user_id, "channel_id": channel_id, "team_id": team_id,
            "connection_id": "", "omit_connection_id": ""}


def _error(error_id, message):
    return {"id": error_id, "message": message, "detailed_error": "", "request_id": "", "status_code": 400}


def _reply(connection, seq_reply, status="OK", data=None, error=None):
    message = {"status": status, "seq_reply": seq_reply}
    if data is not None:
        message["data"] = data
    if error is not None:
        message["error"] = error
    connection.push(json.dumps(message, separators=(",", ":")))


def _hello(connection):
    connection.push({"event": "hello", "data": {
        "connection_id": connection.id,
        "server_version": "%s.%s" % (config_module.VERSION, config_module.BUILD_NUMBER),
        "server_hostname": socket_module.gethostname(),
    }, "broadcast": _broadcast(user_id=connection.user_id)})


def _attach(connection, resume_id, sequence_number):
    """Register an authenticated connection with the hub: resume the closed
    connection it names when every event it missed is still kept (no hello,
    the missed events first, as Mattermost), else start afresh with a hello."""
    previous = hub.take_dead(resume_id, connection.user_id) if resume_id else None
    missed = previous.replay_from(sequence_number) if previous is not None and sequence_number is not None else None
    if missed is not None:
        connection.id, connection.seq, connection.sent = previous.id, previous.seq, previous.sent
        for text in missed:
            connection.push(text)
    hub.register(connection)
    if missed is None:
        _hello(connection)


def _resume_params():
    import flask
    args = flask.request.args
    try:
        sequence_number = int(args.get("sequence_number", ""))
    except ValueError:
        sequence_number = None
    return args.get("connection_id", ""), sequence_number


def serve(socket):
    """Talk the protocol on one upgraded socket until the client goes."""
    resume_id, sequence_number = _resume_params()
    connection = Connection(socket, auth.authenticate(auth.NONE), new_id())
    connection.start()
    if connection.session is not None:
        _attach(connection, resume_id, sequence_number)
    try:
        _read_loop(socket, connection, resume_id, sequence_number)
    finally:
        connection.close()
        if connection.session is not None:
            hub.unregister(connection)


def _read_loop(socket, connection, resume_id, sequence_number):
    waited_unauthenticated = 0
    while not connection.closed:
        try:
            raw = socket.receive(timeout=RECEIVE_TIMEOUT)
        except ConnectionClosed:
            return
        if raw is None:
            if connection.session is None:
                waited_unauthenticated += RECEIVE_TIMEOUT
                if waited_unauthenticated >= AUTHENTICATION_TIMEOUT:
                    connection.close(1008, "not authenticated")
                    return
            continue
        connection.last_activity = time.time()
        request = _parse(raw)
        if request is None:
            _reply(connection, 0, "FAIL", error=_error("api.web_socket_router.bad_seq.app_error",
                                                       "The message is not a valid WebSocket request."))
            continue
        seq, action, data = request
        if connection.session is None:
            if action != "authentication_challenge":
                _reply(connection, seq, "FAIL", error=_error("api.web_socket_router.not_authenticated.app_error",
                                                             "The connection is not authenticated."))
                continue
            token = data.get("token") if isinstance(data.get("token"), str) else ""
            session = auth.lookup_session(token)
            if session is None:
                _reply(connection, seq, "FAIL", error=_error("api.web_socket_router.not_authenticated.app_error",
                                                             "The connection is not authenticated."))
                _close_after_flush(connection, 1008, "not authenticated")
                return
            connection.session = session
            _reply(connection, seq)
            _attach(connection, resume_id, sequence_number)
            continue
        handle_action(connection, seq, action, data)


def _close_after_flush(connection, code, reason):
    """Close once what is queued has been written."""
    deadline = time.time() + 2
    while not connection.queue.empty() and time.time() < deadline:
        time.sleep(0.01)
    connection.close(code, reason)


def handle_action(connection, seq, action, data):
    """Answer one action of an authenticated client."""
    if action == "ping":
        _reply(connection, seq, data={"text": "pong", "version": config_module.VERSION,
                                      "server_time": int(time.time() * 1000)})
    else:
        _reply(connection, seq, "FAIL", error=_error("api.web_socket_router.bad_action.app_error",
                                                     "Unknown action."))


def _parse(raw):
    """(seq, action, data) of a client message, or None when it is not one."""
    try:
        message = json.loads(raw)
    except (ValueError, RecursionError):
        return None
    if not isinstance(message, dict) or not isinstance(message.get("action"), str):
        return None
    seq = message.get("seq", 0)
    if not isinstance(seq, int) or isinstance(seq, bool):
        return None
    data = message.get("data")
    return seq, message["action"], data if isinstance(data, dict) else {}


def register(app):
    sock = Sock(app)
    app.config.setdefault("SOCK_SERVER_OPTIONS", {"ping_interval": 30, "max_message_size": MAX_MESSAGE_BYTES})

    @sock.route(PATH)
    def websocket(socket):
        try:
            serve(socket)
        except ConnectionClosed:
            pass
        except Exception:
            # The socket is upgraded: an HTTP error page cannot be sent any more.
            log.exception("websocket connection failed")
            try:
                socket.close(reason=1011, message="server error")
            except Exception:
                pass
