"""The common HTTP/1.x request, served without gunicorn's request machinery.

Nearly every request this API gets is small and plain: a request line in
origin form, a dozen ASCII headers, no body or a short JSON one with a
Content-Length. For those, gunicorn's parser, its environ builder and its
per-request extras (a gevent Timeout per keep-alive wait, the HTTP/2 upgrade
check, the early-hints callback, the request hooks) were about half of the
server's CPU for a small request. `serve` reads such requests itself, builds
the same WSGI environ gunicorn would (tests/test_http1.py compares the two on
many requests), and answers through gunicorn's own Response class, so the
response side (status line, Connection, chunking, HEAD, 204/304) is gunicorn's.

Anything else is not interpreted here at all: at the first request that is
not plain in that sense (a Transfer-Encoding, an Expect, a body over
FAST_BODY_LIMIT, a repeated header, a header with an underscore or a scheme
header a proxy sets, a non-ASCII byte, a request target outside origin form,
a method outside the usual ones, a head over gunicorn's limits, ...) the
connection, with the bytes already read, goes to gunicorn's own loop for the
rest of its life. Its parser then accepts, streams or rejects that request
exactly as it always did, with its error answers.
"""
import io
import re
import socket
import time

from gunicorn import util
from gunicorn.http import wsgi

FAST_BODY_LIMIT = 64 * 1024       # larger bodies are streamed by gunicorn's reader
READ_SIZE = 65536
METHODS = frozenset(("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"))

# request-line = method SP origin-form SP HTTP-version (RFC 9112 3), the
# target made only of the characters RFC 3986 allows outside escapes, every
# escape complete; "//" at its start would read as an authority.
_REQUEST_LINE = re.compile(
    rb"([A-Z]{3,7}) (/(?!/)(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*) HTTP/1\.([01])")
# field-line = token ":" OWS value OWS, visible ASCII, spaces and tabs only.
_FIELD = re.compile(rb"([!#$%&'*+\-.^`|~0-9A-Za-z]+):[ \t]*((?:[\x21-\x7e](?:[\t \x21-\x7e]*[\x21-\x7e])?)?)[ \t]*")
_DIGITS = re.compile(rb"0|[1-9][0-9]{0,15}")


class Request:
    """What gunicorn's Response and error handling read from a request."""
    __slots__ = ("method", "uri", "path", "query", "version", "must_close", "_close")
    body = None      # gunicorn's error answer reads it; the body is in wsgi.input

    def __init__(self, method, uri, path, query, version, close):
        self.method, self.uri, self.path, self.query = method, uri, path, query
        self.version, self._close = version, close
        self.must_close = False

    def should_close(self):
        return self.must_close or self._close


class Plain:
    """A parsed plain request: its Request and the environ entries taken from its head."""
    __slots__ = ("req", "environ", "length")

    def __init__(self, req, environ, length):
        self.req, self.environ, self.length = req, environ, length


def parse_head(head, cfg, declined_names):
    """The Plain request in head (bytes up to, not including, the blank line),
    or None when the request is not plain and gunicorn must read it."""
    lines = head.split(b"\r\n")
    # near gunicorn's limits, gunicorn decides (and answers 400, 414 or 431)
    if len(lines[0]) + 2 >= cfg.limit_request_line > 0 or len(lines) > cfg.limit_request_fields > 0:
        return None
    match = _REQUEST_LINE.fullmatch(lines[0])
    if match is None:
        return None
    method = match.group(1).decode("ascii")
    if method not in METHODS:
        return None
    uri = match.group(2).decode("ascii")
    version = (1, int(match.group(3)))
    path, _, query = uri.partition("?")
    environ = {"REQUEST_METHOD": method, "QUERY_STRING": query, "RAW_URI": uri,
               "SERVER_PROTOCOL": "HTTP/1.%d" % version[1], "PATH_INFO": util.unquote_to_wsgi_str(path)}
    length = 0
    connection = None
    field_limit = cfg.limit_request_field_size
    for line in lines[1:]:
        if len(line) + 2 >= field_limit > 0:
            return None
        field = _FIELD.fullmatch(line)
        if field is None:
            return None
        name = field.group(1).decode("ascii").upper()
        if name in declined_names or "_" in name:
            return None
        value = field.group(2).decode("ascii")
        if name == "CONTENT-LENGTH":
            if _DIGITS.fullmatch(field.group(2)) is None:
                return None
            length = int(value)
            if length > FAST_BODY_LIMIT:
                return None
            key = "CONTENT_LENGTH"
        elif name == "CONTENT-TYPE":
            key = "CONTENT_TYPE"
        else:
            key = "HTTP_" + name.replace("-", "_")
            if name == "CONNECTION":
                connection = value.lower()
            elif name == "UPGRADE" and value.lower() != "websocket":
                return None
        if key in environ:
            return None      # repeated: gunicorn joins some, refuses others
        environ[key] = value
    if connection == "close":
        close = True
    elif connection == "keep-alive":
        close = False
    else:
        close = version <= (1, 0)
    return Plain(Request(method, uri, path, query, version, close), environ, length)


def declined_header_names(cfg):
    """Header names (upper case) that send a request to gunicorn's parser:
    what changes its framing or expectations, and the scheme headers whose
    meaning depends on the peer (forwarded_allow_ips)."""
    names = {"TRANSFER-ENCODING", "EXPECT", "HTTP2-SETTINGS"}
    names.update(name.upper() for name in cfg.secure_scheme_headers)
    return frozenset(names)


class Prefixed:
    """A socket whose first reads return bytes already taken from it, for
    handing a connection to gunicorn's parser in the middle of its life.
    Everything but reading is the socket's own (sends, timeouts, the
    underlying socket a websocket writes to directly)."""

    def __init__(self, sock, data):
        self._socket, self._data = sock, data

    def recv(self, size, *flags):
        if self._data:
            data, self._data = self._data[:size], self._data[size:]
            return data
        return self._socket.recv(size, *flags)

    def recv_into(self, buffer, size=0, *flags):
        if self._data:
            size = min(size or len(buffer), len(self._data))
            buffer[:size] = self._data[:size]
            self._data = self._data[size:]
            return size
        return self._socket.recv_into(buffer, size, *flags)

    def __getattr__(self, name):
        return getattr(self._socket, name)


class Connection:
    """One client connection's plain requests, served in turn until it closes
    or a request is not plain (then `handoff` holds the bytes read so far)."""

    def __init__(self, worker, server, client, addr):
        self.worker, self.cfg = worker, worker.cfg
        self.client, self.addr = client, addr
        self.buffer = b""
        self.handoff = None
        self.base = connection_environ(worker.fast_environ, server, client, addr)

    def read_head(self):
        """The next request's head, or None at the end of the connection
        (closed by the client, or idle past keepalive)."""
        buffer = self.buffer
        end = buffer.find(b"\r\n\r\n")
        if end >= 0:
            self.buffer = buffer[end + 4:]
            return buffer[:end]
        client = self.client
        limit = self.worker.fast_head_limit
        deadline = time.monotonic() + self.cfg.keepalive
        try:
            while True:
                if len(buffer) > limit or b"\n" in buffer.replace(b"\r\n", b""):
                    self.handoff = buffer     # too long, or a bare LF: gunicorn answers it
                    return None
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                client.settimeout(left)
                data = client.recv(READ_SIZE)
                if not data:
                    return None
                start = max(0, len(buffer) - 3)
                buffer += data
                end = buffer.find(b"\r\n\r\n", start)
                if end >= 0:
                    self.buffer = buffer[end + 4:]
                    return buffer[:end]
        except socket.timeout:
            return None
        finally:
            client.settimeout(None)

    def read_body(self, length):
        buffer = self.buffer
        while len(buffer) < length:
            data = self.client.recv(max(READ_SIZE, length - len(buffer)))
            if not data:
                return None
            buffer += data
        self.buffer = buffer[length:]
        return buffer[:length]

    def serve(self):
        """Serve requests until the connection ends or must go to gunicorn."""
        worker, cfg = self.worker, self.cfg
        while True:
            head = self.read_head()
            if head is None:
                return
            plain = parse_head(head, cfg, worker.fast_declined)
            if plain is None:
                self.handoff = head + b"\r\n\r\n" + self.buffer
                return
            body = b""
            if plain.length:
                body = self.read_body(plain.length)
                if body is None:
                    return
            if not self.respond(plain, body):
                return

    def respond(self, plain, body):
        """Answer one request; False when the connection is to be closed."""
        worker, req = self.worker, plain.req
        environ = dict(self.base)
        environ.update(plain.environ)
        environ["wsgi.input"] = io.BytesIO(body)
        resp = wsgi.Response(req, self.client, self.cfg)
        worker.nr += 1
        if worker.nr >= worker.max_requests and worker.alive:
            worker.log.info("Autorestarting worker after current request.")
            worker.alive = False
        if not worker.alive:
            resp.force_close()
        respiter = None
        try:
            respiter = worker.wsgi(environ, resp.start_response)
            if isinstance(respiter, wsgi.FileWrapper):
                resp.write_file(respiter)
            else:
                for item in respiter:
                    resp.write(item)
            resp.close()
        except StopIteration:
            return False     # a websocket that has ended (flask-sock ends it so)
        except OSError:
            return False
        except Exception as exc:
            if resp.headers_sent:
                worker.log.exception("Error handling request")
            else:
                worker.handle_error(req, self.client, self.addr, exc)
            return False
        finally:
            if hasattr(respiter, "close"):
                respiter.close()
        return not resp.should_close()


def fast_environ(cfg):
    """The environ entries every plain request of this worker shares."""
    environ = wsgi.base_environ(cfg)
    environ.update({"wsgi.multithread": True, "wsgi.url_scheme": "http", "SCRIPT_NAME": ""})
    return environ


def connection_environ(shared, server, client, addr):
    """The environ entries every plain request on one connection shares."""
    environ = dict(shared)
    environ.update({"gunicorn.socket": client, "REMOTE_ADDR": addr[0], "REMOTE_PORT": str(addr[1]),
                    "SERVER_NAME": server[0], "SERVER_PORT": str(server[1])})
    return environ
