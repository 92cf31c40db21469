"""Helpers for tests/test_e2e_driver.py: the Python driver `mattermostdriver`,
used as published, against a real server.

`driver_for` builds a Driver for a base URL; `Events` runs the driver's own
websocket loop (`Driver.init_websocket`) in a daemon thread and hands every
event to the test through a thread-safe queue.
"""
import asyncio
import json
import queue
import threading
import time
import urllib.parse

import websockets.asyncio.client
from mattermostdriver import Driver

DEFAULT_WAIT = 10  # seconds for an expected event
QUIET_WAIT = 0.3   # seconds to listen for an event that must not come


def driver_for(base, login_id=None, password=None, token=None):
    """A Driver aimed at `base` (http://host:port), logged in when given a
    login and password or a personal access token."""
    parts = urllib.parse.urlsplit(base)
    driver = Driver({
        "url": parts.hostname, "port": parts.port, "scheme": parts.scheme, "basepath": "/api/v4",
        "login_id": login_id, "password": password, "token": token,
        "request_timeout": 20,
        # The websocket loop wakes up this often to see whether it was told to stop.
        "timeout": 0.5,
    })
    if login_id is not None or token is not None:
        driver.login()
    return driver


class Events:
    """The events one driver's websocket receives, in order.

    Driver.disconnect() only ends the driver's loop: it leaves the socket
    open, and a server being stopped then waits for it. So the connection
    class is handed to `websockets` through the driver's own
    `websocket_kw_args` option, to know the socket and close it at the end.
    """

    def __init__(self, driver, name):
        self.driver = driver
        self.name = name
        self.sockets = []
        events = self

        class Connection(websockets.asyncio.client.ClientConnection):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                events.sockets.append(self)

        # (No proxy from the environment for a loopback server.)
        driver.options["websocket_kw_args"] = {"create_connection": Connection, "proxy": None}
        self.incoming = queue.Queue()
        self.buffer = []      # received, not yet claimed by a wait
        self.seen = []        # every event, for error messages
        self.failure = None
        self.loop = None
        self.thread = threading.Thread(target=self._run, name="ws-" + name, daemon=True)
        self.thread.start()
        try:
            self.hello = self.wait("hello")
        except AssertionError:
            if self.driver.websocket is not None:
                self.driver.disconnect()
            raise

    def _run(self):
        self.loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self.loop)

        async def handler(message):
            self.incoming.put(json.loads(message))

        try:
            self.driver.init_websocket(handler)
        except BaseException as error:  # reported by the waits and by close()
            self.failure = error
        finally:
            for socket in self.sockets:
                try:
                    self.loop.run_until_complete(socket.close())
                except Exception:
                    pass
            pending = [task for task in asyncio.all_tasks(self.loop) if not task.done()]
            for task in pending:
                task.cancel()
            if pending:
                self.loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
            self.loop.close()

    def _pull(self, timeout):
        try:
            message = self.incoming.get(timeout=max(timeout, 0))
        except queue.Empty:
            return False
        self.seen.append(message)
        self.buffer.append(message)
        return True

    def _take(self, event, match):
        for index, message in enumerate(self.buffer):
            if message.get("event") == event and (match is None or match(message)):
                return self.buffer.pop(index)
        return None

    def wait(self, event, match=None, timeout=DEFAULT_WAIT):
        """The first event of that name (and matching `match(message)`) not
        yet claimed; fails after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            found = self._take(event, match)
            if found is not None:
                return found
            if self.failure is not None:
                raise AssertionError("%s: websocket loop failed: %r" % (self.name, self.failure))
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError("%s: no %r event within %ss; got %s" % (
                    self.name, event, timeout, [m.get("event", m.get("seq_reply")) for m in self.seen]))
            self._pull(min(remaining, 0.2))

    def absent(self, event, match=None, timeout=QUIET_WAIT):
        """Asserts that no such event is buffered or arrives within `timeout`."""
        deadline = time.monotonic() + timeout
        while True:
            found = self._take(event, match)
            assert found is None, "%s: unexpected %r event: %r" % (self.name, event, found)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            self._pull(min(remaining, 0.1))

    def drain(self):
        """Forget every event received so far."""
        while self._pull(0):
            pass
        self.buffer.clear()

    def close(self, timeout=10):
        """Stop the driver's loop (Driver.disconnect) and wait for its thread."""
        if self.driver.websocket is not None:
            self.driver.disconnect()
        self.thread.join(timeout)
        assert not self.thread.is_alive(), "%s: websocket thread did not stop" % self.name
