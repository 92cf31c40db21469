"""Prometheus metrics at /metrics (api/metrics.py, api/server_hooks.py).

In this process (the default registry): requests counted by operationId and
status, the latency histogram, the websocket and pool gauges, process metrics,
and a 404 when MetricsSettings.Enable is false. Then the real server with two
gunicorn workers on PostgreSQL: one scrape, whichever worker answers it, sums
what both workers did (each worker in turn is the only one accepting, by
stopping the other), gauges of a worker are read by the other, a worker that
exits leaves the live gauges, and the master removes its directory at exit.
"""
import os
import signal
import subprocess
import threading
import time

import pytest
import requests
import websocket
from prometheus_client.parser import text_string_to_metric_families

from conftest import PASSWORD, make_config, running_server


def samples(text):
    """{(sample name, frozenset of labels): value}."""
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return found


def value(found, name, **labels):
    return found.get((name, frozenset(labels.items())), 0.0)


def requests_of(found, operation_id, status_code):
    return value(found, "mattermost_http_requests_total", operation_id=operation_id, status_code=str(status_code))


# ---------------------------------------------------------------------------
# In this process

@pytest.fixture(scope="module")
def metrics_app(tmp_path_factory):
    from api.app import create_app
    from store import db
    previous = db.current
    app = create_app(make_config(tmp_path_factory.mktemp("metrics"), MetricsSettings={"Enable": True},
                                 SqlSettings={"MaxOpenConns": 7}))
    yield app
    db.close()
    if previous is not None:
        db.activate(previous)


def scrape(client):
    response = client.get("/metrics")
    assert response.status_code == 200, response.data
    assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    return samples(response.get_data(as_text=True))


def test_requests_are_counted_by_operation_and_status(metrics_app):
    client = metrics_app.test_client()
    before = scrape(client)
    assert client.get("/api/v4/system/ping").status_code == 200
    assert client.get("/api/v4/users/me").status_code == 401
    assert client.get("/api/v4/no/such/path/here").status_code == 404
    after = scrape(client)
    assert requests_of(after, "GetPing", 200) - requests_of(before, "GetPing", 200) == 1
    assert requests_of(after, "GetUser", 401) - requests_of(before, "GetUser", 401) == 1
    assert requests_of(after, "unrouted", 404) - requests_of(before, "unrouted", 404) == 1
    assert requests_of(after, "metrics", 200) - requests_of(before, "metrics", 200) == 1
    count = value(after, "mattermost_api_time_count", operation_id="GetPing")
    assert count - value(before, "mattermost_api_time_count", operation_id="GetPing") == 1
    assert value(after, "mattermost_api_time_bucket", operation_id="GetPing", le="+Inf") == count
    assert value(after, "mattermost_api_time_sum", operation_id="GetPing") > 0
    # Labels come from the routing, never from the path a client sent.
    labels = {dict(key[1]).get("operation_id") for key in after}
    assert not any("/" in label for label in labels if label)


def test_websocket_and_pool_gauges(metrics_app):
    from conftest import FakeConnection
    from store import db
    from ws.hub import hub
    client = metrics_app.test_client()
    before = scrape(client)
    fake = FakeConnection("m" * 26)
    hub.register(fake)
    held = threading.Event()
    done = threading.Event()

    def hold_a_connection():
        db.database.connection()   # this thread's pooled connection, in use until released
        held.set()
        done.wait(10)
        db.release()

    thread = threading.Thread(target=hold_a_connection)
    thread.start()
    try:
        assert held.wait(10)
        during = scrape(client)
    finally:
        done.set()
        thread.join()
        with hub.lock:
            hub.by_user.pop(fake.user_id, None)
    after = scrape(client)
    assert value(during, "mattermost_http_websockets_total") == value(before, "mattermost_http_websockets_total") + 1
    assert value(after, "mattermost_http_websockets_total") == value(before, "mattermost_http_websockets_total")
    assert value(during, "mattermost_db_connections_in_use") >= 1
    assert value(during, "mattermost_db_master_connections_total") >= value(during, "mattermost_db_connections_in_use")
    assert value(after, "mattermost_db_connections_in_use") == 0
    assert value(after, "mattermost_db_max_connections") == 7
    assert value(after, "process_resident_memory_bytes") > 0


def test_metrics_off_is_404(tmp_path):
    from api.app import create_app
    from store import db
    previous = db.current
    app = create_app(make_config(tmp_path))   # MetricsSettings.Enable: false, Mattermost's default
    try:
        response = app.test_client().get("/metrics")
        assert response.status_code == 404
        assert response.get_json()["status_code"] == 404
    finally:
        db.close()
        if previous is not None:
            db.activate(previous)


# ---------------------------------------------------------------------------
# The real server: two gunicorn workers on PostgreSQL

def _workers(process):
    return sorted(int(p) for p in subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True,
                                                 text=True).stdout.split())


class _Only:
    """Only `pid` accepts connections while the other workers are stopped."""

    def __init__(self, process, pid):
        self.others = [p for p in _workers(process) if p != pid]

    def __enter__(self):
        for pid in self.others:
            os.kill(pid, signal.SIGSTOP)

    def __exit__(self, *exc):
        for pid in self.others:
            os.kill(pid, signal.SIGCONT)


def _scrape(base):
    # A new connection each time (no keep-alive), so any worker may answer.
    response = requests.get(base + "/metrics", timeout=10, headers={"Connection": "close"})
    assert response.status_code == 200, response.text
    return samples(response.text)


def _wait(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for " + what)
        time.sleep(0.1)


def _multiprocess_directory(pid):
    """The directory a worker keeps its metric files in (its open files show it)."""
    for fd in os.listdir("/proc/%d/fd" % pid):
        try:
            target = os.readlink("/proc/%d/fd/%s" % (pid, fd))
        except OSError:
            continue
        if os.path.basename(os.path.dirname(target)).startswith("mattermost-py-metrics-"):
            return os.path.dirname(target)
    return None


def test_two_workers_one_scrape(postgres_server, tmp_path):
    # A short graceful timeout: the master, however slowly a worker ends, exits
    # (and runs on_exit, which removes the directory) well before the test's
    # stop() would kill it after 20 s.
    env = dict(MM_SQLSETTINGS_DRIVERNAME="postgres", MM_SQLSETTINGS_DATASOURCE=postgres_server.new_database(),
               MM_SQLSETTINGS_MAXOPENCONNS="6", MM_METRICSSETTINGS_ENABLE="true",
               MM_PYTHONSETTINGS_PASSWORDWORKFACTOR="1000", MM_PYTHONSETTINGS_GRACEFULTIMEOUT="5")
    with running_server(tmp_path, env, workers=2, timeout=60, quiet=True) as (base, process):
        first, second = workers = _wait(lambda: len(_workers(process)) == 2 and _workers(process), 20, "2 workers")
        # Each worker's sampler has written its gauges: the pool maximum sums over both.
        _wait(lambda: value(_scrape(base), "mattermost_db_max_connections") == 12, 10,
              "the pool gauges of both workers")

        # Requests handled by each worker alone show in one scrape.
        before = _scrape(base)
        with _Only(process, first):
            for _ in range(3):
                assert requests.get(base + "/api/v4/system/ping", timeout=10).status_code == 200
        with _Only(process, second):
            for _ in range(4):
                assert requests.get(base + "/api/v4/system/ping", timeout=10).status_code == 200
            assert requests.get(base + "/api/v4/not/routed/at/all", timeout=10).status_code == 404
        after = _scrape(base)
        assert requests_of(after, "GetPing", 200) - requests_of(before, "GetPing", 200) == 7
        assert requests_of(after, "unrouted", 404) - requests_of(before, "unrouted", 404) == 1
        assert value(after, "mattermost_api_time_count", operation_id="GetPing") \
            - value(before, "mattermost_api_time_count", operation_id="GetPing") == 7
        pids = {dict(key[1]).get("pid") for key in after if key[0] == "process_resident_memory_bytes"}
        assert {str(first), str(second)} <= pids

        # A websocket on the first worker shows in a scrape the second answers.
        created = requests.post(base + "/api/v4/users", timeout=10, json={
            "username": "metrics1", "email": "metrics1@example.com", "password": PASSWORD})
        assert created.status_code == 201, created.text
        login = requests.post(base + "/api/v4/users/login", timeout=10,
                              json={"login_id": "metrics1", "password": PASSWORD})
        assert login.status_code == 200, login.text
        with _Only(process, first):
            socket = websocket.create_connection(base.replace("http", "ws", 1) + "/api/v4/websocket", timeout=10,
                                                 header=["Authorization: Bearer " + login.headers["Token"]])
            assert '"hello"' in socket.recv()
        try:
            time.sleep(1.5)   # the first worker's sampler writes its gauge
            with _Only(process, second):
                assert value(_scrape(base), "mattermost_http_websockets_total") == 1
                assert value(_scrape(base), "mattermost_db_master_connections_total") >= 1
        finally:
            socket.close()
        _wait(lambda: value(_scrape(base), "mattermost_http_websockets_total") == 0, 10, "the socket to be gone")
        # The upgrade is counted once it ends, and not timed (its time is the connection's).
        ended = _wait(lambda: requests_of(_scrape(base), "websocket", 101) == 1 and _scrape(base), 10,
                      "the websocket to be counted")
        assert value(ended, "mattermost_api_time_count", operation_id="websocket") == 0

        # A worker that exits leaves the live gauges; its counts stay.
        directory = _multiprocess_directory(first)
        assert directory and os.path.isdir(directory)
        os.kill(first, signal.SIGKILL)
        _wait(lambda: len(_workers(process)) == 2 and first not in _workers(process), 20, "a new worker")
        _wait(lambda: value(_scrape(base), "mattermost_db_max_connections") == 12
              and str(first) not in {dict(k[1]).get("pid") for k in _scrape(base)}, 15,
              "the gauges of the killed worker to be dropped and the new worker's to show")
        assert requests_of(_scrape(base), "GetPing", 200) >= requests_of(after, "GetPing", 200)
        assert set(workers) != set(_workers(process))
    assert not os.path.exists(directory), "the master removes its metrics directory when it stops"
