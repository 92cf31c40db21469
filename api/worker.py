"""The gunicorn worker class: gevent's, closing the websockets when told to stop,
with a response writer that sends less often.

Gunicorn stops a worker (SIGTERM at shutdown, or when SIGHUP replaces the
workers) by refusing new connections and waiting up to the graceful timeout for
the open ones to finish. Websockets never finish by themselves, so without
this every restart would wait out the whole timeout and then cut them. Here
they are closed at once with 1001 (going away), and clients reconnect to a
live worker; the requests in flight still complete.

gunicorn sends a response's head and its body in two sends; for the small
answers that are nearly all of this API's, that is two system calls (and
gevent asks the socket's buffer size before each) where one will do. The
`Response` below holds the head until the first piece of the body and sends
them together; a response without a body sends its head when it closes. It
also formats the Date header once a second instead of on every response, and
remembers whether a peer address is a trusted proxy (forwarded_allow_ips)
instead of parsing the address on every request.

Plain requests (nearly all) are read by api.http1 instead of gunicorn's
parser; a connection goes to gunicorn's own loop at its first request that is
not plain, and every connection does when the configuration asks for
something api.http1 leaves to gunicorn (TLS, HTTP/2, the PROXY protocol,
keepalive 0, request hooks, a uwsgi front end).
"""
import gc
import os
import time

import gevent
from gunicorn import util
from gunicorn.http import message, wsgi
from gunicorn.workers.ggevent import GeventWorker

from api import http1
from api.sockets import send_all


class Response(wsgi.Response):
    _head = None

    def send_headers(self):
        if self.headers_sent:
            return
        lines = self.default_headers()
        lines.extend(["%s: %s\r\n" % (k, v) for k, v in self.headers])
        self._head = util.to_bytestring("%s\r\n" % "".join(lines), "latin-1")
        self.headers_sent = True

    def _send_head(self):
        head, self._head = self._head, None
        if head:
            send_all(self.sock, head)

    def _emit_body(self, data):
        head, self._head = self._head, None
        if head is None:
            return super()._emit_body(data)
        if self.chunked:
            data = b"%X\r\n%s\r\n" % (len(data), data)
        send_all(self.sock, head + data)

    def sendfile(self, respiter):
        self.send_headers()
        self._send_head()
        return super().sendfile(respiter)

    def close(self):
        self.send_headers()
        self._send_head()
        super().close()


_date = [0, ""]


def http_date(timestamp=None):
    """gunicorn's Date header value, formatted at most once a second."""
    if timestamp is not None:
        return _format_date(timestamp)
    now = int(time.time())
    if now != _date[0]:
        _date[:] = [now, _format_date(now)]
    return _date[1]


_trusted = {}       # (peer address, allow list) -> in the list


def ip_in_allow_list(ip_str, allow_list, networks):
    key = (ip_str, tuple(allow_list))
    answer = _trusted.get(key)
    if answer is None:
        if len(_trusted) >= 10000:
            _trusted.clear()
        answer = _trusted[key] = _check_peer(ip_str, allow_list, networks)
    return answer


_format_date = getattr(util.http_date, "formats", util.http_date)
http_date.formats = _format_date
_check_peer = getattr(message._ip_in_allow_list, "checks", message._ip_in_allow_list)
ip_in_allow_list.checks = _check_peer
wsgi.Response = Response     # gunicorn.http.wsgi.create builds this one
util.http_date = http_date
message._ip_in_allow_list = ip_in_allow_list


def close_websockets():
    """Close every websocket of this process, as going away (not resumable:
    the process that kept their missed events is ending)."""
    from ws import pg_bus
    return pg_bus.resync_all(code=1001, reason="server restarting", announce=False)


def freeze_what_lives_forever():
    """Once the app is built: its modules, document, routes and validators
    (hundreds of thousands of objects) stay as long as the worker, yet every
    full collection would walk them all again, pausing every request of the
    worker meanwhile. gc.freeze moves them out of the collector's sight; what
    requests make is collected as before."""
    gc.collect()
    gc.freeze()


def plain_requests_served_here(cfg):
    """Whether api.http1 may serve this configuration's plain requests."""
    return (cfg.keepalive > 0 and not cfg.is_ssl and getattr(cfg, "protocol", "http") == "http"
            and cfg.proxy_protocol in (False, "off") and "h2" not in cfg.http_protocols
            and not os.environ.get("SCRIPT_NAME")
            and cfg.pre_request is cfg.settings["pre_request"].default
            and cfg.post_request is cfg.settings["post_request"].default)


class Worker(GeventWorker):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fast = plain_requests_served_here(self.cfg)
        self.fast_environ = http1.fast_environ(self.cfg)
        self.fast_declined = http1.declined_header_names(self.cfg)
        self.fast_head_limit = 32 * 1024

    def load_wsgi(self):
        super().load_wsgi()
        freeze_what_lives_forever()

    def handle(self, listener, client, addr):
        server = listener.getsockname()
        if not (self.fast and isinstance(server, tuple) and isinstance(addr, tuple)):
            return super().handle(listener, client, addr)
        client.setblocking(1)
        connection = http1.Connection(self, server, client, addr)
        try:
            connection.serve()
        except (OSError, gevent.GreenletExit, SystemExit):
            connection.handoff = None
        except BaseException as exc:      # as gunicorn's loop: an error answer, then close
            connection.handoff = None
            self.handle_error(None, client, addr, exc)
        if connection.handoff is not None:
            return super().handle(listener, http1.Prefixed(client, connection.handoff), addr)
        util.close(client)

    def handle_exit(self, sig, frame):
        super().handle_exit(sig, frame)
        gevent.spawn(close_websockets)   # out of the signal handler
