"""/api/v4/websocket, mounted with flask-sock on the same app and port.

This is the connection layer only: the upgrade, authentication (the session
from the upgrade request, or an authentication_challenge action), the hello
event, and replies to actions. Events from writes arrive with the event bus.
"""
import json
import logging
import time

import flask
from flask_sock import Sock
from simple_websocket import ConnectionClosed

from api import auth, config as config_module
from store.ids import new_id

log = logging.getLogger("mattermost.ws")
PATH = "/api/v4/websocket"
MAX_MESSAGE_BYTES = 64 * 1024  # Mattermost bounds a client's frame the same way
RECEIVE_TIMEOUT = 60


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
            "server_hostname": flask.request.host.split(":")[0],
        }, _broadcast(user_id=self.session.user_id if self.session else ""))


def _broadcast(user_id="", channel_id="", team_id=""):
    return {"omit_users": None, "user_id": user_id, "channel_id": channel_id, "team_id": team_id,
            "connection_id": "", "omit_connection_id": ""}


def _error(error_id, message):
    return {"id": error_id, "message": message, "detailed_error": "", "request_id": "", "status_code": 400}


def serve(socket):
    session = auth.current_session(required=False)
    connection = Connection(socket, session)
    if session is not None:
        connection.hello()
    while True:
        try:
            raw = socket.receive(timeout=RECEIVE_TIMEOUT)
        except ConnectionClosed:
            return
        if raw is None:
            continue
        if isinstance(raw, bytes) and len(raw) > MAX_MESSAGE_BYTES or \
                isinstance(raw, str) and len(raw) > MAX_MESSAGE_BYTES:
            socket.close(reason=1009, message="message too big")
            return
        try:
            request = json.loads(raw)
            seq = int(request.get("seq", 0))
            action = request["action"]
        except (ValueError, KeyError, TypeError, AttributeError):
            connection.reply(0, "FAIL", error=_error("api.web_socket_router.bad_seq.app_error",
                                                     "Invalid sequence for WebSocket message."))
            continue
        if connection.session is None:
            if action != "authentication_challenge":
                connection.reply(seq, "FAIL", error=_error("api.web_socket_router.not_authenticated.app_error",
                                                           "Not authenticated."))
                continue
            token = (request.get("data") or {}).get("token", "")
            connection.session = auth.lookup_session(token) if token else None
            if connection.session is None:
                connection.reply(seq, "FAIL", error=_error("api.web_socket_router.not_authenticated.app_error",
                                                           "Not authenticated."))
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
                                                       "Invalid action."))


def register(app):
    sock = Sock(app)
    app.config.setdefault("SOCK_SERVER_OPTIONS", {"ping_interval": 30, "max_message_size": MAX_MESSAGE_BYTES})

    @sock.route(PATH)
    def websocket(socket):
        serve(socket)
