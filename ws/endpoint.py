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

log = logging.getLogger("mattermost.ws")
PATH = "/api/v4/websocket"
MAX_MESSAGE_BYTES = 64 * 1024  # larger client frames close the connection (simple_websocket enforces it)
RECEIVE_TIMEOUT = 60
AUTHENTICATION_TIMEOUT = 120   # an unauthenticated socket is closed after this many idle seconds


class Connection:
    """One client's socket and its protocol state."""

    def __init__(self, socket, session):
        self.socket = socket
        self.session = session
        self.id = new_id()
        self.seq = 0

    def send_event(self, event, data, broadcast=None):
        message = {"event": event, "data": data, "broadcast": broadcast or _broadcast(), "seq": self.seq}
        self.seq += 1
        self.socket.send(json.dumps(message, separators=(",", ":")))

    def reply(self, seq_reply, status="OK", data=None, error=None):
        message = {"status": status, "seq_reply": seq_reply}
        if data is not None:
            message["data"] = data
        if error is not None:
            message["error"] = error
        self.socket.send(json.dumps(message, separators=(",", ":")))

    def hello(self):
        self.send_event("hello", {
            "connection_id": self.id,
            "server_version": "%s.%s" % (config_module.VERSION, config_module.BUILD_NUMBER),
            "server_hostname": socket_module.gethostname(),
        }, _broadcast(user_id=self.session.user_id if self.session else ""))


def _broadcast(user_id="", channel_id="", team_id=""):
    return {"omit_users": None, "user_id": user_id, "channel_id": channel_id, "team_id": team_id,
            "connection_id": "", "omit_connection_id": ""}


def _error(error_id, message):
    return {"id": error_id, "message": message, "detailed_error": "", "request_id": "", "status_code": 400}


def serve(socket):
    """Talk the protocol on one upgraded socket until the client goes."""
    connection = Connection(socket, auth.authenticate(auth.NONE))
    if connection.session is not None:
        connection.hello()
    waited_unauthenticated = 0
    while True:
        try:
            raw = socket.receive(timeout=RECEIVE_TIMEOUT)
        except ConnectionClosed:
            return
        if raw is None:
            if connection.session is None:
                waited_unauthenticated += RECEIVE_TIMEOUT
                if waited_unauthenticated >= AUTHENTICATION_TIMEOUT:
                    socket.close(reason=1008, message="not authenticated")
                    return
            continue
        request = _parse(raw)
        if request is None:
            connection.reply(0, "FAIL", error=_error("api.web_socket_router.bad_seq.app_error",
                                                     "The message is not a valid WebSocket request."))
            continue
        seq, action, data = request
        if connection.session is None:
            if action != "authentication_challenge":
                connection.reply(seq, "FAIL", error=_error("api.web_socket_router.not_authenticated.app_error",
                                                           "The connection is not authenticated."))
                continue
            token = data.get("token") if isinstance(data.get("token"), str) else ""
            connection.session = auth.lookup_session(token)
            if connection.session is None:
                connection.reply(seq, "FAIL", error=_error("api.web_socket_router.not_authenticated.app_error",
                                                           "The connection is not authenticated."))
                socket.close(reason=1008, message="not authenticated")
                return
            connection.reply(seq)
            connection.hello()
            continue
        if action == "ping":
            connection.reply(seq, data={"text": "pong", "version": config_module.VERSION,
                                        "server_time": int(time.time() * 1000)})
        else:
            connection.reply(seq, "FAIL", error=_error("api.web_socket_router.bad_action.app_error",
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
