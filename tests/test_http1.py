"""api.http1: plain requests read without gunicorn's parser.

The parser is held to gunicorn's: on thousands of requests (plain ones and
mutations of them, many malformed), whatever api.http1 accepts, gunicorn's
parser accepts too, with the same WSGI environ, body and keep-alive decision;
everything else is left to gunicorn. Then the real server: pipelining, a
connection moving to gunicorn's loop in the middle (chunked, Expect, bad
requests), HTTP/1.0, bodies that arrive late, and the keep-alive timeout.
"""
import json
import random
import socket
import threading
import time

import pytest
from gunicorn.config import Config
from gunicorn.http import wsgi
from gunicorn.http.parser import RequestParser

from api import http1
from conftest import running_server

PEER = ("127.0.0.1", 40000)
SERVER = ("127.0.0.1", 8065)
NOT_COMPARED = {"wsgi.input", "wsgi.errors", "gunicorn.socket", "wsgi.early_hints"}


def config():
    cfg = Config()
    cfg.set("workers", 2)
    cfg.set("keepalive", 5)
    return cfg


class NoSocket:
    def send(self, data):
        return len(data)

    sendall = send


def gunicorn_reads(cfg, data):
    """(environ, body, should_close) as gunicorn's parser and create() make
    them, or the exception it raises."""
    try:
        req = next(RequestParser(cfg, iter([data]), PEER))
        resp, environ = wsgi.create(req, NoSocket(), PEER, SERVER, cfg)
        environ["wsgi.multithread"] = True      # as its handle_request sets
        body = req.body.read()
        return environ, body, req.should_close()
    except Exception as exc:  # noqa: BLE001 - any refusal counts as one
        return exc


def fast_reads(cfg, data):
    """(environ, body, should_close) as api.http1 makes them, or None when it
    leaves the request to gunicorn."""
    end = data.find(b"\r\n\r\n")
    if end < 0:
        return None
    plain = http1.parse_head(data[:end], cfg, http1.declined_header_names(cfg))
    if plain is None:
        return None
    environ = http1.connection_environ(http1.fast_environ(cfg), SERVER, object(), PEER)
    environ.update(plain.environ)
    body = data[end + 4:end + 4 + plain.length]
    return environ, body, plain.req.should_close()


def plain_requests():
    body = json.dumps({"login_id": "someone", "password": "secret"}).encode()
    common = [("Host", "localhost:8065"), ("User-Agent", "mattermost-test/1.0"), ("Accept", "*/*"),
              ("Authorization", "Bearer 0123456789abcdefghijklmnop"), ("Cookie", "MMAUTHTOKEN=abc; MMUSERID=def"),
              ("X-Requested-With", "XMLHttpRequest"), ("Accept-Language", "en-US,en;q=0.9"),
              ("Sec-Ch-Ua", '"Chromium";v="130", "Not?A_Brand";v="99"'), ("If-None-Match", "0")]
    targets = ["/api/v4/system/ping", "/api/v4/users?page=0&per_page=60&in_team=abc%20d",
               "/api/v4/files/a%2Fb/preview", "/api/v4/users/usernames/caf%C3%A9", "/?", "/api/v4/posts?x=1&x=2",
               "/api/v4/teams/name/t1/channels/name/c~1.x_y-z", "/static/a;b=c:d@e!$&'()*+,", "/api/v4/users/me/image?_=0"]
    requests = []
    for target in targets:
        for method in ("GET", "HEAD", "DELETE", "OPTIONS"):
            requests.append(("%s %s HTTP/1.1" % (method, target), common, b""))
        for method in ("POST", "PUT", "PATCH"):
            requests.append(("%s %s HTTP/1.1" % (method, target),
                             common + [("Content-Type", "application/json"), ("Content-Length", str(len(body)))], body))
    requests += [
        ("GET /api/v4/system/ping HTTP/1.0", [("Host", "x")], b""),
        ("GET /api/v4/system/ping HTTP/1.0", [("Host", "x"), ("Connection", "Keep-Alive")], b""),
        ("GET /api/v4/system/ping HTTP/1.1", [("Host", "x"), ("Connection", "close")], b""),
        ("GET /api/v4/system/ping HTTP/1.1", [("Connection", "keep-alive, Upgrade")], b""),
        ("GET /api/v4/websocket HTTP/1.1", [("Host", "x"), ("Connection", "Upgrade"), ("Upgrade", "websocket"),
                                            ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="),
                                            ("Sec-WebSocket-Version", "13")], b""),
        ("GET / HTTP/1.1", [], b""),
        ("GET / HTTP/1.1", [("X-Empty", ""), ("X-Tab", "a\tb"), ("X-Spaces", "  padded  ")], b""),
        ("POST /api/v4/posts HTTP/1.1", [("Content-Length", "0")], b""),
        ("POST /api/v4/posts HTTP/1.1", [], b""),
    ]
    return requests


def encode(request_line, headers, body, separator=": "):
    lines = [request_line] + ["%s%s%s" % (name, separator, value) for name, value in headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


VISIBLE = "".join(chr(c) for c in range(0x21, 0x7f))
QUERY = "abcXYZ019-._~!$&'()*+,;=:@/?"


def random_value(r):
    inner = "".join(r.choice(VISIBLE + " \t") for _ in range(r.randint(0, 30)))
    return r.choice(["", " ", "\t"]) + r.choice(VISIBLE) + inner + r.choice(VISIBLE) + r.choice(["", " ", "\t "])


def random_query(r):
    return "".join(r.choice([r.choice(QUERY), "%%%02X" % r.randrange(256), "%%%02x" % r.randrange(256)])
                   for _ in range(r.randint(1, 20)))


HARMLESS = [
    lambda r, line, h, b: (line, r.sample(h, len(h)), b),
    lambda r, line, h, b: (line, [("".join(r.choice([c.lower(), c.upper()]) for c in n), v) for n, v in h], b),
    lambda r, line, h, b: (line, h + [("X-Random-%d" % r.randrange(1000), random_value(r))], b),
    lambda r, line, h, b: (line.replace(" HTTP", ("&" if "?" in line else "?") + random_query(r) + " HTTP", 1), h, b),
    lambda r, line, h, b: (line.replace(" /", " /" + random_query(r).replace("?", "") + "/", 1), h, b),
]

MUTATIONS = [
    lambda r, line, h, b: (line, [(n.lower(), v) for n, v in h], b),
    lambda r, line, h, b: (line, [(n.upper(), v) for n, v in h], b),
    lambda r, line, h, b: (line, h + [("X_Under", "1")], b),
    lambda r, line, h, b: (line, h + [("Transfer-Encoding", "chunked")], b"%x\r\n%s\r\n0\r\n\r\n" % (len(b), b)),
    lambda r, line, h, b: (line, h + [("Expect", "100-continue")], b),
    lambda r, line, h, b: (line, h + [("Expect", "something-else")], b),
    lambda r, line, h, b: (line, h + [("X-Forwarded-Proto", "https")], b),
    lambda r, line, h, b: (line, h + [("X-Forwarded-For", "10.0.0.1")], b),
    lambda r, line, h, b: (line, h + [("Upgrade", "h2c"), ("HTTP2-Settings", "AAMAAABkAARAAAAAAAIAAAAA")], b),
    lambda r, line, h, b: (line, h + h[:1], b),
    lambda r, line, h, b: (line, h + [("Host", "other")], b),
    lambda r, line, h, b: (line, h + [("Content-Length", str(len(b)))], b),
    lambda r, line, h, b: (line, h + [(" Folded", "x")], b),
    lambda r, line, h, b: (line, h + [("X-Nul", "a\x00b")], b),
    lambda r, line, h, b: (line, h + [("X-Del", "a\x7fb")], b),
    lambda r, line, h, b: (line, h + [("X-Latin", "caf\xe9")], b),
    lambda r, line, h, b: (line, h + [("X-Cr", "a\rb")], b),
    lambda r, line, h, b: (line, h + [("Bad Name", "x")], b),
    lambda r, line, h, b: (line, h + [("X-Long", "v" * r.choice([4000, 8200, 9000]))], b),
    lambda r, line, h, b: (line, h + [("X-Many-%d" % i, "v") for i in range(r.choice([90, 99, 100, 101, 150]))], b),
    lambda r, line, h, b: (line, [(n, v) for n, v in h if n != "Content-Length"]
                           + [("Content-Length", r.choice(["+5", "05", "5, 5", "-1", "1e3", "99999999999999999999",
                                                           "70000", " 3", "0x10"]))], b),
    lambda r, line, h, b: (line.replace(" ", "  ", 1), h, b),
    lambda r, line, h, b: (line.lower(), h, b),
    lambda r, line, h, b: (line.replace("HTTP/1.1", r.choice(["HTTP/1.2", "HTTP/2.0", "HTTP/0.9", "HTTP/1", "http/1.1"])),
                           h, b),
    lambda r, line, h, b: (r.choice(["FOO", "CONNECT", "TRACE", "PROPFIND", "G", "GETTTTTTTTTTTTTTTTTTTTT"])
                           + line[line.index(" "):], h, b),
    lambda r, line, h, b: (line.replace(" /", " " + r.choice(["http://h", "*", "/", "x", "//h", "https://h:1"]) + "/", 1),
                           h, b),
    lambda r, line, h, b: (line.replace(" HTTP", r.choice(["#frag", "%zz", "%", '"q"', "{x}", "<x>", "|", "\\", "^",
                                                           "`", "%00", "%0d%0a", "?a=%GG", " x"]) + " HTTP", 1), h, b),
    lambda r, line, h, b: (line.replace(" HTTP", "/" + "a" * r.choice([4000, 4090, 5000]) + " HTTP", 1), h, b),
]


def test_what_the_fast_parser_accepts_gunicorn_reads_the_same_way():
    cfg = config()
    rng = random.Random(7)
    bases = plain_requests()
    cases = [(encode(*request), True) for request in bases]
    for _ in range(3000):
        line, headers, body = rng.choice(bases)
        changes = rng.sample(HARMLESS, rng.randint(1, 3))
        if rng.random() < 0.6:
            changes += rng.sample(MUTATIONS, rng.choice([1, 1, 2, 3]))
        for change in changes:
            line, headers, body = change(rng, line, headers, body)
        cases.append((encode(line, headers, body, rng.choice([": ", ":", ":\t", ":  "])), False))
    fast = declined = 0
    for data, plain in cases:
        ours = fast_reads(cfg, data)
        if ours is None:
            assert not plain, data
            declined += 1
            continue
        fast += 1
        theirs = gunicorn_reads(cfg, data)
        assert not isinstance(theirs, Exception), (data, theirs)
        environ, body, close = theirs
        expected = {k: v for k, v in environ.items() if k not in NOT_COMPARED}
        got = {k: v for k, v in ours[0].items() if k not in NOT_COMPARED}
        assert got == expected, data
        assert (ours[1], ours[2]) == (body, close), data
    print("read here: %d, left to gunicorn: %d" % (fast, declined))
    assert fast > 1000 and declined > 1000, (fast, declined)


def test_a_change_to_the_rules_is_caught(monkeypatch):
    """The comparison above fails when the fast parser reads a header differently."""
    cfg = config()
    monkeypatch.setattr(http1, "_FIELD", __import__("re").compile(
        rb"([!#$%&'*+\-.^`|~0-9A-Za-z]+):[ \t]*((?:[\x21-\x7e](?:[\t \x21-\x7e]*))?)"))   # keeps trailing spaces
    data = encode("GET / HTTP/1.1", [("X-Spaces", "padded  ")], b"")
    environ = fast_reads(cfg, data)[0]
    assert environ["HTTP_X_SPACES"] != gunicorn_reads(cfg, data)[0]["HTTP_X_SPACES"]


# -- the real server ----------------------------------------------------------------

@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with running_server(tmp_path_factory.mktemp("http1"), workers=1) as (base, _):
        yield base


def connect(server):
    host, port = server.split("//")[1].split(":")
    return socket.create_connection((host, int(port)), timeout=10)


def read_responses(sock, count, heads=()):
    """count responses (status, headers dict, body) read off sock, by
    Content-Length or chunks; those numbered in heads answer HEAD (no body)."""
    buffer = b""
    answers = []

    def more():
        nonlocal buffer
        data = sock.recv(65536)
        assert data, "connection closed after %d answers" % len(answers)
        buffer += data

    while len(answers) < count:
        while b"\r\n\r\n" not in buffer:
            more()
        head, buffer = buffer.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {k.lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:])}
        if status == 100:
            answers.append((100, headers, b""))
            continue
        if len(answers) in heads:
            body = b""
        elif "content-length" in headers:
            length = int(headers["content-length"])
            while len(buffer) < length:
                more()
            body, buffer = buffer[:length], buffer[length:]
        elif headers.get("transfer-encoding") == "chunked":
            body = b""
            while True:
                while b"\r\n" not in buffer:
                    more()
                size_line, buffer = buffer.split(b"\r\n", 1)
                size = int(size_line, 16)
                while len(buffer) < size + 2:
                    more()
                body, buffer = body + buffer[:size], buffer[size + 2:]
                if size == 0:
                    break
        else:
            body = b""
        answers.append((status, headers, body))
    return answers


PING = b"GET /api/v4/system/ping HTTP/1.1\r\nHost: x\r\n\r\n"


def login_body(length_header=True):
    body = json.dumps({"login_id": "nobody", "password": "wrong"}).encode()
    head = b"POST /api/v4/users/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
    if length_header:
        return head + b"Content-Length: %d\r\n\r\n" % len(body), body
    return head + b"Transfer-Encoding: chunked\r\n\r\n", b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)


def test_pipelined_requests_are_answered_in_order_on_one_connection(server):
    sock = connect(server)
    head, body = login_body()
    sock.sendall(PING + head + body + PING + b"HEAD /api/v4/system/ping HTTP/1.1\r\nHost: x\r\n\r\n" + PING)
    answers = read_responses(sock, 5, heads={3})
    assert [a[0] for a in answers] == [200, 401, 200, 200, 200]
    assert json.loads(answers[1][2])["id"] == "api.user.login.invalid_credentials_email_username"
    assert answers[3][2] == b"" and json.loads(answers[4][2])["status"] == "OK"
    assert all(a[1]["connection"] == "keep-alive" and a[1]["x-request-id"] for a in answers)
    sock.close()


def test_a_body_that_arrives_later_than_its_head_is_waited_for(server):
    sock = connect(server)
    head, body = login_body()
    sock.sendall(head + body[:5])
    time.sleep(0.2)
    sock.sendall(body[5:])
    assert read_responses(sock, 1)[0][0] == 401
    sock.sendall(PING[:10])
    time.sleep(0.2)
    sock.sendall(PING[10:])
    assert read_responses(sock, 1)[0][0] == 200
    sock.close()


def test_a_connection_moves_to_gunicorn_at_a_request_that_is_not_plain_and_keeps_working(server):
    sock = connect(server)
    sock.sendall(PING)
    assert read_responses(sock, 1)[0][0] == 200
    head, body = login_body(length_header=False)          # chunked: gunicorn's parser from here on
    sock.sendall(head + body + PING)
    answers = read_responses(sock, 2)
    assert [a[0] for a in answers] == [401, 200]
    assert json.loads(answers[0][2])["id"] == "api.user.login.invalid_credentials_email_username"
    head, body = login_body()
    sock.sendall(head.replace(b"\r\n\r\n", b"\r\nExpect: 100-continue\r\n\r\n"))
    assert read_responses(sock, 1)[0][0] == 100
    sock.sendall(body)
    assert read_responses(sock, 1)[0][0] == 401
    sock.close()


@pytest.mark.parametrize("request_bytes, status", [
    (b"GET /api/v4/system/ping HTTP/1.1\r\nBad Name: x\r\n\r\n", 400),
    (b"GET /api/v4/system/ping HTTP/2.0\r\nHost: x\r\n\r\n", 400),
    (b"GET /%s HTTP/1.1\r\nHost: x\r\n\r\n" % (b"a" * 5000), 414),
    (b"GET /api/v4/system/ping HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", 400),
    (b"GET /api/v4/system/ping HTTP/1.1\nHost: x\n\n", 400),
])
def test_requests_it_does_not_read_get_gunicorns_answers(server, request_bytes, status):
    sock = connect(server)
    sock.sendall(PING)
    assert read_responses(sock, 1)[0][0] == 200
    sock.sendall(request_bytes)
    assert read_responses(sock, 1)[0][0] == status
    sock.close()


def test_http_1_0_closes_unless_kept_alive(server):
    sock = connect(server)
    sock.sendall(b"GET /api/v4/system/ping HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
    status, headers, _ = read_responses(sock, 1)[0]
    assert status == 200 and headers["connection"] == "keep-alive"
    sock.sendall(b"GET /api/v4/system/ping HTTP/1.0\r\n\r\n")
    status, headers, body = read_responses(sock, 1)[0]
    assert status == 200 and headers["connection"] == "close" and json.loads(body)["status"] == "OK"
    assert sock.recv(10) == b""
    sock.close()


class Worker:
    """What http1.Connection reads from its worker."""

    def __init__(self, keepalive):
        self.cfg = config()
        self.cfg.settings["keepalive"].value = keepalive     # fractions of a second, for the test
        self.fast_environ = http1.fast_environ(self.cfg)
        self.fast_declined = http1.declined_header_names(self.cfg)
        self.fast_head_limit = 32 * 1024


def test_an_idle_connection_ends_after_keepalive_and_a_slow_head_by_its_deadline():
    """A head must be complete within keepalive seconds of the wait's start,
    however its bytes trickle in (as gunicorn's Timeout around its parser)."""
    import gevent.socket
    ours, theirs = gevent.socket.socketpair()
    connection = http1.Connection(Worker(0.3), ("127.0.0.1", 1), ours, ("127.0.0.1", 2))
    started = time.monotonic()
    assert connection.read_head() is None and connection.handoff is None
    assert 0.25 < time.monotonic() - started < 1

    def trickle():
        for byte in PING[:-2]:
            theirs.send(bytes([byte]))
            gevent.sleep(0.01)
    import gevent
    writer = gevent.spawn(trickle)
    started = time.monotonic()
    assert connection.read_head() is None
    assert 0.25 < time.monotonic() - started < 1
    writer.kill()
    ours.close()
    theirs.close()

    ours, theirs = gevent.socket.socketpair()
    connection = http1.Connection(Worker(0.3), ("127.0.0.1", 1), ours, ("127.0.0.1", 2))
    theirs.send(PING + PING[:10])
    assert connection.read_head() == PING[:-4]
    gevent.spawn_later(0.1, theirs.send, PING[10:])
    assert connection.read_head() == PING[:-4]
    assert ours.gettimeout() is None
    ours.close()
    theirs.close()


def test_a_head_over_the_limit_or_with_a_bare_lf_is_handed_over_whole():
    import gevent.socket
    for data in (b"GET / HTTP/1.1\r\nX-Long: " + b"v" * 40000, b"GET / HTTP/1.1\nHost: x\n"):
        ours, theirs = gevent.socket.socketpair()
        connection = http1.Connection(Worker(5), ("127.0.0.1", 1), ours, ("127.0.0.1", 2))
        theirs.sendall(data)
        assert connection.read_head() is None
        assert data.startswith(connection.handoff) and len(connection.handoff) >= min(len(data), 32 * 1024)
        prefixed = http1.Prefixed(ours, connection.handoff)
        assert prefixed.recv(5) == data[:5]
        ours.close()
        theirs.close()


def test_prefixed_socket_reads_its_prefix_then_the_socket():
    a, b = socket.socketpair()
    prefixed = http1.Prefixed(a, b"hello ")
    b.sendall(b"world")
    buffer = bytearray(4)
    assert prefixed.recv_into(buffer) == 4 and bytes(buffer) == b"hell"
    assert prefixed.recv(100) == b"o "
    assert prefixed.recv(100) == b"world"
    assert prefixed.fileno() == a.fileno()
    a.close()
    b.close()
    import gevent.socket
    a, b = gevent.socket.socketpair()
    # a websocket on a handed-over connection writes to the real socket directly (ws.hub.FrameWriter)
    assert http1.Prefixed(a, b"")._sock is a._sock
    a.close()
    b.close()


def test_many_connections_at_once(server):
    """Ten connections, pipelining and interleaving, all answered."""
    errors = []

    def client():
        try:
            sock = connect(server)
            for _ in range(20):
                sock.sendall(PING * 3)
                assert [a[0] for a in read_responses(sock, 3)] == [200, 200, 200]
            sock.close()
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=client) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def test_the_server_side_chooses_the_fast_path_only_when_it_applies():
    from api.worker import plain_requests_served_here
    cfg = config()
    assert plain_requests_served_here(cfg)
    for name, value in [("keepalive", 0), ("pre_request", lambda worker, req: None),
                        ("http_protocols", "h2,h1"), ("proxy_protocol", True)]:
        other = config()
        other.set(name, value)
        assert not plain_requests_served_here(other), name



def test_an_app_that_raises_gets_gunicorns_500_before_its_answer_began_and_a_cut_after():
    import gevent.socket
    from gunicorn.workers.base import Worker as GunicornWorker

    class Log:
        def __getattr__(self, name):
            return lambda *args, **kwargs: None

    def raising(after_start):
        def app(environ, start_response):
            if after_start:
                start_response("200 OK", [("Content-Type", "text/plain")])(b"partial")
            raise ValueError("boom")
        return app

    for after_start in (False, True):
        worker = Worker(5)
        worker.nr, worker.max_requests, worker.alive, worker.log = 0, 1000, True, Log()
        worker.wsgi = raising(after_start)
        worker.handle_error = GunicornWorker.handle_error.__get__(worker)
        ours, theirs = gevent.socket.socketpair()
        connection = http1.Connection(worker, ("127.0.0.1", 1), ours, ("127.0.0.1", 2))
        theirs.sendall(PING)
        plain = http1.parse_head(connection.read_head(), worker.cfg, worker.fast_declined)
        assert connection.respond(plain, b"") is False
        ours.close()
        answer = theirs.recv(65536)
        if after_start:
            assert answer.startswith(b"HTTP/1.1 200 OK") and answer.endswith(b"partial\r\n")
        else:
            assert answer.startswith(b"HTTP/1.1 500 Internal Server Error")
        theirs.close()
