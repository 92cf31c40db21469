"""Restarting without dropping requests (a real 2-worker server on PostgreSQL).

SIGHUP to the gunicorn master starts new workers and stops the old ones
gracefully: while several clients keep reading, posting and uploading (one
upload slow enough to span the restart), no request may fail (no reset
connection, no 5xx), and every worker is replaced. Websockets held by the old
workers are closed; their clients reconnect to the new workers, where a resume
of the old connection gets a fresh hello (resuming is per process).

SIGTERM stops the server: an upload in flight when it arrives still completes
(within PythonSettings.GracefulTimeout) before the server exits.
"""
import os
import signal
import threading
import time

import pytest
import requests

from conftest import PASSWORD, running_server
from realserver import EventSocket, RealServer, wait_until

GRACEFUL_TIMEOUT = 5
UPLOAD_CHUNKS, CHUNK = 30, 16 * 1024
RAW = {"Content-Type": "application/octet-stream"}


def _env(dsn):
    return dict(MM_SQLSETTINGS_DRIVERNAME="postgres", MM_SQLSETTINGS_DATASOURCE=dsn,
                MM_SQLSETTINGS_MAXOPENCONNS="10", MM_PYTHONSETTINGS_PASSWORDWORKFACTOR="1000",
                MM_PYTHONSETTINGS_LOGINRATELIMITMAXBURST="100000",
                MM_PYTHONSETTINGS_GRACEFULTIMEOUT=str(GRACEFUL_TIMEOUT))


Server = RealServer


def _setup(server):
    """(admin, member, channel id): an admin and a member of a channel."""
    created = server.api("POST", "/users", json={"username": "restartadmin", "email": "restartadmin@example.com",
                                                 "password": PASSWORD})
    assert created.status_code == 201, created.text
    admin = _login(server, "restartadmin")
    created = server.api("POST", "/users", who=admin, json={"username": "restarter", "password": PASSWORD,
                                                            "email": "restarter@example.com"})
    assert created.status_code == 201, created.text
    member = _login(server, "restarter")
    team = server.api("POST", "/teams", who=admin, json={"name": "restarts", "display_name": "R", "type": "O"})
    assert team.status_code == 201, team.text
    team_id = team.json()["id"]
    channel = server.api("POST", "/channels", who=admin, json={"team_id": team_id, "name": "restarts",
                                                               "display_name": "R", "type": "O"})
    assert channel.status_code == 201, channel.text
    channel_id = channel.json()["id"]
    assert server.api("POST", "/teams/%s/members" % team_id, who=admin,
                      json={"team_id": team_id, "user_id": member["id"]}).status_code == 201
    assert server.api("POST", "/channels/%s/members" % channel_id, who=admin,
                      json={"user_id": member["id"]}).status_code == 201
    return admin, member, channel_id


def _login(server, username):
    response = server.api("POST", "/users/login", json={"login_id": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"id": response.json()["id"], "token": response.headers["Token"]}


def _slow_body(chunks, chunk_size=CHUNK, pause=0.05):
    for _ in range(chunks):
        time.sleep(pause)
        yield b"x" * chunk_size


class Load:
    """Threads that keep sending requests until stopped, and what they saw."""

    def __init__(self, server, who, channel_id):
        self.server, self.who, self.channel_id = server, who, channel_id
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.done = []          # (kind, status)
        self.failures = []      # (kind, what went wrong)
        self.threads = []

    def _record(self, kind, call, size):
        try:
            response = call()
        except Exception as error:     # a reset or refused connection, a timeout
            with self.lock:
                self.failures.append((kind, repr(error)))
            return
        with self.lock:
            self.done.append((kind, response.status_code))
            if response.status_code not in (200, 201):
                self.failures.append((kind, "%d %s" % (response.status_code, response.text[:200])))
            elif size is not None and response.json()["file_infos"][0]["size"] != size:
                self.failures.append((kind, "stored %s" % response.text[:300]))

    def _loop(self, kind, call, keep_alive, size):
        session = requests.Session() if keep_alive else None
        while not self.stop.is_set():
            self._record(kind, lambda: call(session), size)

    def start(self):
        """Each kind of request in a thread of its own, some on kept-alive
        connections, some on a new connection each time."""
        s, who, channel_id = self.server, self.who, self.channel_id
        work = [
            ("me", True, None, lambda session: s.api("GET", "/users/me", who=who, session=session)),
            ("posts", False, None,
             lambda session: s.api("GET", "/channels/%s/posts" % channel_id, who=who, session=session)),
            ("post", True, None, lambda session: s.api("POST", "/posts", who=who, session=session,
                                                       json={"channel_id": channel_id, "message": "restarting"})),
            ("upload", False, UPLOAD_CHUNKS * CHUNK,
             lambda session: s.api("POST", "/files", who=who, session=session, headers=RAW,
                                   params={"channel_id": channel_id, "filename": "slow.bin"},
                                   data=_slow_body(UPLOAD_CHUNKS))),
            ("multipart", True, 200000,
             lambda session: s.api("POST", "/files", who=who, session=session, params={"channel_id": channel_id},
                                   files={"files": ("a.txt", b"y" * 200000, "text/plain")})),
        ]
        for kind, keep_alive, size, call in work:
            thread = threading.Thread(target=self._loop, args=(kind, call, keep_alive, size), daemon=True)
            thread.start()
            self.threads.append(thread)

    def finish(self):
        self.stop.set()
        for thread in self.threads:
            thread.join(60)
        return self.done, self.failures


Socket = EventSocket


@pytest.fixture(scope="module")
def server(postgres_server, tmp_path_factory):
    """One server for the module: the SIGHUP test restarts it, the SIGTERM
    test (the last) stops it."""
    with running_server(tmp_path_factory.mktemp("restarts"), _env(postgres_server.new_database()), workers=2,
                        timeout=60, quiet=True) as (base, process):
        running = Server(base, process)
        wait_until(lambda: len(running.worker_pids()) == 2, 20, "two workers")
        yield running


@pytest.fixture(scope="module")
def accounts(server):
    return _setup(server)


def test_sighup_replaces_the_workers_without_failing_a_request(server, accounts):
    admin, member, channel_id = accounts
    old = server.worker_pids()
    sockets = [Socket(server, member) for _ in range(3)]
    assert all(s.hello["event"] == "hello" for s in sockets)
    load = Load(server, member, channel_id)
    load.start()
    try:
        time.sleep(1.5)
        os.kill(server.process.pid, signal.SIGHUP)
        restarted = time.monotonic()
        # The old workers go once their requests are done (the websockets are
        # closed at the latest when the graceful timeout ends).
        wait_until(lambda: not (server.worker_pids() & old) and len(server.worker_pids()) == 2,
              GRACEFUL_TIMEOUT + 15, "the old workers to be replaced")
        replaced_after = time.monotonic() - restarted
        time.sleep(1.0)          # and some load on the new workers
    finally:
        done, failures = load.finish()
    assert not failures, failures
    kinds = {kind for kind, _ in done}
    assert kinds == {"me", "posts", "post", "upload", "multipart"}, kinds
    assert server.process.poll() is None
    # Every old websocket was closed; its client can reconnect, and a resume
    # on a new worker gets a fresh hello (resuming is per process).
    for socket in sockets:
        assert socket.closed.wait(5), "a websocket of an old worker stayed open"
        again = Socket(server, member, "?connection_id=%s&sequence_number=1"
                       % socket.hello["data"]["connection_id"])
        assert again.hello["event"] == "hello"
        assert again.hello["data"]["connection_id"] != socket.hello["data"]["connection_id"]
        again.close()
    # The old workers close their websockets as going away when told to stop
    # (api.worker), so they go as soon as their requests are done rather than
    # when the graceful timeout kills them.
    assert {s.close_code for s in sockets} == {1001}
    assert replaced_after < GRACEFUL_TIMEOUT, "old workers lingered %.1f s" % replaced_after


def test_sigterm_lets_a_request_in_flight_finish(server, accounts):
    admin, member, channel_id = accounts
    assert server.process.poll() is None
    answer = {}

    def upload():
        try:
            answer["response"] = server.api("POST", "/files", who=member,
                                            params={"channel_id": channel_id, "filename": "last.bin"},
                                            headers=RAW, data=_slow_body(40))
        except Exception as error:
            answer["error"] = error

    thread = threading.Thread(target=upload)
    thread.start()
    time.sleep(0.8)                               # the upload is under way
    os.kill(server.process.pid, signal.SIGTERM)
    thread.join(GRACEFUL_TIMEOUT + 10)
    assert "error" not in answer, answer.get("error")
    response = answer["response"]
    assert response.status_code == 201, response.text
    assert response.json()["file_infos"][0]["size"] == 40 * CHUNK
    assert server.process.wait(GRACEFUL_TIMEOUT + 10) == 0
    # No new request is taken once the server is stopping.
    with pytest.raises(requests.ConnectionError):
        server.api("GET", "/system/ping", timeout=3)
