"""Helpers for tests that drive a real server process (conftest.running_server):
its REST API, its gunicorn workers, and websockets whose events a thread collects."""
import json
import os
import pathlib
import subprocess
import threading
import time

import requests
import websocket


def wait_until(condition, timeout, what):
    """Poll condition until it is true; fail naming what was awaited."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for " + what)
        time.sleep(0.05)


class RealServer:
    """A running server: its base URL and its gunicorn master process."""

    def __init__(self, base, process):
        self.base, self.process = base, process

    @property
    def port(self):
        return int(self.base.rsplit(":", 1)[1])

    @property
    def ws_url(self):
        return self.base.replace("http", "ws", 1) + "/api/v4/websocket"

    def api(self, method, path, who=None, session=None, **kwargs):
        """A request to /api/v4 + path, as who ({"token": ...}) when given."""
        headers = dict(kwargs.pop("headers", {}))
        if who:
            headers["Authorization"] = "Bearer " + who["token"]
        return (session or requests).request(method, self.base + "/api/v4" + path, headers=headers,
                                             timeout=kwargs.pop("timeout", 30), **kwargs)

    def worker_pids(self):
        found = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True).stdout
        return {int(p) for p in found.split()}

    def worker_holding(self, local_port):
        """The worker pid holding the server end of the connection from local_port."""
        inode = None
        for line in pathlib.Path("/proc/net/tcp").read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].split(":")[1], 16) == self.port and int(fields[2].split(":")[1], 16) == local_port:
                inode = fields[9]
        for pid in self.worker_pids():
            try:
                for fd in pathlib.Path("/proc/%d/fd" % pid).iterdir():
                    try:
                        if os.readlink(fd) == "socket:[%s]" % inode:
                            return pid
                    except OSError:
                        continue
            except OSError:
                continue
        return None


def listeners(dsn):
    """Backend pids of the event-bus listeners on the database of dsn."""
    import psycopg2
    from ws import pg_bus
    with psycopg2.connect(dsn) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE application_name = %s AND datname = "
                       "current_database()", (pg_bus.APPLICATION_NAME,))
        pids = [row[0] for row in cursor.fetchall()]
    conn.close()
    return pids


class EventSocket:
    """A websocket to a server, authenticated by who's token; a thread collects
    its events. `hello` is the first message, `closed` is set (with
    `close_code`) when the server closes it."""

    def __init__(self, server, who, query="", timeout=20):
        self.who = who
        self.ws = websocket.create_connection(server.ws_url + query, timeout=timeout,
                                              header=["Authorization: Bearer " + who["token"]])
        self.hello = json.loads(self.ws.recv())
        self.events = [self.hello]
        self.close_code = None
        self.closed = threading.Event()
        self.changed = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    @property
    def connection_id(self):
        return self.hello["data"]["connection_id"]

    def _read(self):
        while True:
            try:
                opcode, data = self.ws.recv_data(control_frame=False)
            except Exception:
                opcode, data = websocket.ABNF.OPCODE_CLOSE, b""
            with self.changed:
                if opcode == websocket.ABNF.OPCODE_CLOSE:
                    self.close_code = int.from_bytes(data[:2], "big") if len(data) >= 2 else 1005
                    self.closed.set()
                    self.changed.notify_all()
                    return
                message = json.loads(data)
                if "event" in message:
                    self.events.append(message)
                self.changed.notify_all()

    def send(self, seq, action, data):
        self.ws.send(json.dumps({"seq": seq, "action": action, "data": data}))

    def named(self, event):
        with self.changed:
            return [e for e in self.events if e["event"] == event]

    def posted_ids(self):
        return [json.loads(e["data"]["post"])["id"] for e in self.named("posted")]

    def wait_for(self, condition, timeout=15):
        """True once condition(self) holds, False after timeout seconds."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while not condition(self):
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self.changed.wait(left)
        return True

    def local_port(self):
        return self.ws.sock.getsockname()[1]

    def close(self):
        try:
            self.ws.close()
        except Exception:
            pass
