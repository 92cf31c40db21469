"""Events across workers: PostgreSQL LISTEN/NOTIFY (ws/pg_bus.py).

The real server with two gunicorn gevent workers on PostgreSQL: websockets on
both workers, posts through REST handled by either, and every connected member
gets every `posted` event, in the same order; a large event goes by reference;
a listener that loses its connection makes its clients resync. Then the bus
alone, in this process (the listener in a thread).
"""
import json
import time

import psycopg2
import pytest

from conftest import PASSWORD, running_server
from realserver import EventSocket, RealServer, listeners, wait_until
from ws import pg_bus


# ---------------------------------------------------------------------------
# The real server

class Server(RealServer):
    def __init__(self, base, dsn, process):
        super().__init__(base, process)
        self.dsn = dsn
        self.admin = None

    def listeners(self):
        return listeners(self.dsn)


@pytest.fixture(scope="module")
def server(postgres_server, tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("ws-workers")
    dsn = postgres_server.new_database()
    env = dict(MM_SQLSETTINGS_DRIVERNAME="postgres", MM_SQLSETTINGS_DATASOURCE=dsn,
               MM_SQLSETTINGS_MAXOPENCONNS="10", MM_PYTHONSETTINGS_PASSWORDWORKFACTOR="1000",
               MM_PYTHONSETTINGS_LOGINRATELIMITMAXBURST="100000")
    with running_server(tmp_path, env, workers=2, timeout=60) as (base, process):
        running = Server(base, dsn.split("?")[0], process)
        wait_until(lambda: len(running.listeners()) == 2, 20,
              "both workers to LISTEN (is ws.bus_setup.install called in each worker?)")
        running.admin = _signup(running, "wsadmin")
        yield running


_names = iter(range(1, 10 ** 6))


def _signup(server, username=None):
    username = username or "wsuser%d" % next(_names)
    created = server.api("POST", "/users", who=server.admin,
                         json={"username": username, "email": username + "@example.com", "password": PASSWORD})
    assert created.status_code == 201, created.text
    login = server.api("POST", "/users/login", json={"login_id": username, "password": PASSWORD})
    assert login.status_code == 200, login.text
    return {"id": login.json()["id"], "token": login.headers["Token"], "username": username}


def _channel_with(server, members):
    """A public channel of a new team, with members (the admin creates both)."""
    name = "team%d" % next(_names)
    team = server.api("POST", "/teams", who=server.admin, json={"name": name, "display_name": name, "type": "O"})
    assert team.status_code == 201, team.text
    team_id = team.json()["id"]
    channel = server.api("POST", "/channels", who=server.admin,
                         json={"team_id": team_id, "name": "chan-" + name, "display_name": name, "type": "O"})
    assert channel.status_code == 201, channel.text
    channel_id = channel.json()["id"]
    for member in members:
        added = server.api("POST", "/teams/%s/members" % team_id, who=server.admin,
                           json={"team_id": team_id, "user_id": member["id"]})
        assert added.status_code == 201, added.text
        added = server.api("POST", "/channels/%s/members" % channel_id, who=server.admin,
                           json={"user_id": member["id"]})
        assert added.status_code == 201, added.text
    return channel_id


def _post(server, who, channel_id, message):
    # A new HTTP connection each time, so that the posts land on both workers.
    response = server.api("POST", "/posts", who=who, json={"channel_id": channel_id, "message": message})
    assert response.status_code == 201, response.text
    return response.json()["id"]


Client = EventSocket


def _worker_of(server, client):
    """The pid of the worker holding this client's socket (from /proc)."""
    return server.worker_holding(client.local_port())


def _clients_on_both_workers(server, members, per_member=2, most=40):
    """Connect each member (several times), and more until both workers hold
    some of the sockets."""
    clients = [Client(server, m) for m in members for _ in range(per_member)]
    workers = {_worker_of(server, c) for c in clients}
    while len(workers - {None}) < 2 and len(clients) < most:
        clients.append(Client(server, members[len(clients) % len(members)]))
        workers.add(_worker_of(server, clients[-1]))
    assert len(workers - {None}) == 2, "every websocket landed on one worker"
    return clients


def test_every_member_gets_every_post_across_workers(server):
    members = [_signup(server) for _ in range(4)]
    outsider = _signup(server)
    channel_id = _channel_with(server, members)
    clients = _clients_on_both_workers(server, members)
    outside = Client(server, outsider)
    try:
        posted = []
        for i in range(20):
            posted.append(_post(server, members[i % len(members)], channel_id, "message %d" % i))
        for client in clients:
            assert client.wait_for(lambda c: len(c.posted_ids()) >= len(posted)), \
                "%s got %d of %d posts" % (client.connection_id, len(client.posted_ids()), len(posted))
        time.sleep(0.3)
        orders = set()
        for client in clients:
            assert sorted(client.posted_ids()) == sorted(posted)          # each exactly once
            assert [e["seq"] for e in client.events] == list(range(len(client.events)))
            orders.add(tuple(client.posted_ids()))
        # Every worker delivers in the notification order: the same for all.
        assert len(orders) == 1
        assert outside.posted_ids() == []
    finally:
        for client in clients + [outside]:
            client.close()


def _status(server, who):
    response = server.api("GET", "/users/%s/status" % who["id"], who=server.admin)
    assert response.status_code == 200, response.text
    return response.json()["status"]


def test_closing_the_sockets_on_one_worker_keeps_the_user_online(server):
    """Presence counts connections across workers: offline only when the last
    socket on any worker closes."""
    user = _signup(server)
    clients = _clients_on_both_workers(server, [user], per_member=2)
    wait_until(lambda: _status(server, user) == "online", 10, "the user to be online")
    workers = {}
    for client in clients:
        workers.setdefault(_worker_of(server, client), []).append(client)
    first, second = [workers[pid] for pid in sorted(workers)]
    for client in first:
        client.close()
    time.sleep(1.0)   # the closes are handled; a per-worker count would say offline now
    assert _status(server, user) == "online"
    assert not any(e["event"] == "status_change" and e["data"]["status"] == "offline"
                   for client in second for e in client.events)
    for client in second:
        client.close()
    wait_until(lambda: _status(server, user) == "offline", 10, "the user to go offline with the last socket")


def test_a_large_event_goes_by_reference(server):
    members = [_signup(server) for _ in range(2)]
    channel_id = _channel_with(server, members)
    clients = _clients_on_both_workers(server, members, per_member=1)
    try:
        message = "large " + "\u00e9x" * 6000       # over 8000 bytes in UTF-8 once encoded
        post_id = _post(server, members[0], channel_id, message)
        for client in clients:
            assert client.wait_for(lambda c: post_id in c.posted_ids())
            event = [e for e in client.events if e["event"] == "posted"][-1]
            assert json.loads(event["data"]["post"])["message"] == message
        with psycopg2.connect(server.dsn) as conn, conn.cursor() as cursor:
            cursor.execute("SELECT payload FROM websocket_events")
            payloads = [row[0] for row in cursor.fetchall()]
        conn.close()
        assert any(post_id in payload for payload in payloads)
    finally:
        for client in clients:
            client.close()


def test_clients_resync_when_the_listener_loses_its_connection(server):
    members = [_signup(server) for _ in range(2)]
    channel_id = _channel_with(server, members)
    clients = _clients_on_both_workers(server, members, per_member=1)
    resumed = []
    try:
        first = _post(server, members[0], channel_id, "before")
        for client in clients:
            assert client.wait_for(lambda c: first in c.posted_ids())
        listeners = server.listeners()
        assert len(listeners) == 2
        with psycopg2.connect(server.dsn) as conn, conn.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s",
                           (pg_bus.APPLICATION_NAME,))
        conn.close()
        for client in clients:
            assert client.wait_for(lambda c: c.close_code is not None), "not told to resync"
            assert client.close_code == pg_bus.RESYNC_CLOSE_CODE
        wait_until(lambda: len(set(server.listeners()) - set(listeners)) == 2, 20, "the listeners to reconnect")
        # A resume is refused: a fresh hello with a new connection id.
        for client in clients:
            query = "?connection_id=%s&sequence_number=%d" % (client.connection_id, client.events[-1]["seq"] + 1)
            again = Client(server, client.who, query)
            resumed.append(again)
            assert again.connection_id != client.connection_id
        # And events flow again, through both workers.
        after = _post(server, members[1], channel_id, "after")
        for again in resumed:
            assert again.wait_for(lambda c: after in c.posted_ids())
    finally:
        for client in clients + resumed:
            client.close()


# ---------------------------------------------------------------------------
# The bus alone, in this process: the listener in a thread, a hub of its own.

class FakeConnection:
    def __init__(self, user_id, connection_id):
        self.user_id, self.id = user_id, connection_id
        self.got = []
        self.closed_with = None
        self.dropped = False

    def push(self, message):
        self.got.append(message)
        return True

    def close(self, code=1000, reason=""):
        self.closed_with = code


@pytest.fixture
def pg_store(postgres_server):
    from store import db
    previous = db.current
    store = db.init({"DriverName": "postgres", "DataSource": postgres_server.new_database(), "MaxOpenConns": 5})
    yield store
    db.close()
    if previous is not None:
        db.activate(previous)


def _bus(store, hub):
    bus = pg_bus.PostgresBus(store.db, hub=hub)
    bus.start()
    assert bus.wait_listening(10)
    return bus


def test_two_buses_deliver_in_order_and_by_reference(pg_store):
    from ws.hub import Hub
    hubs = [Hub(), Hub()]
    connections = [FakeConnection("u1", "c%d" % i) for i in range(2)]
    for hub, connection in zip(hubs, connections):
        hub.register(connection)
    buses = [_bus(pg_store, hub) for hub in hubs]
    try:
        for i in range(50):
            buses[i % 2].send({"event": "test", "data": {"i": i}, "broadcast": {"user_id": "u1"}})
        buses[0].send({"event": "big", "data": {"x": "y" * 20000}, "broadcast": {"user_id": "u1"}})
        deadline = time.monotonic() + 10
        while any(len(c.got) < 51 for c in connections) and time.monotonic() < deadline:
            time.sleep(0.01)
        for connection in connections:
            assert [m["data"]["i"] for m in connection.got[:50]] == list(range(50))
            assert connection.got[50]["data"]["x"] == "y" * 20000
        from store import models
        assert models.WebSocketEvent.select().count() == 1
        # Old rows are pruned when the next large event is stored.
        models.WebSocketEvent.update(create_at=1).execute()
        buses[0]._last_prune = 0
        buses[0].send({"event": "big", "data": {"x": "z" * 9000}, "broadcast": {"user_id": "u1"}})
        assert [row.create_at > 1 for row in models.WebSocketEvent.select()] == [True]
    finally:
        for bus in buses:
            bus.close()


def test_a_small_event_is_one_notify_outside_any_transaction(pg_store, monkeypatch):
    """No BEGIN and COMMIT around the NOTIFY: alone it is its own transaction."""
    from ws.hub import Hub
    hub = Hub()
    connection = FakeConnection("u1", "c1")
    hub.register(connection)
    bus = _bus(pg_store, hub)
    seen = []
    original = pg_store.db.execute_sql
    monkeypatch.setattr(pg_store.db, "execute_sql", lambda sql, *a, **k: seen.append(sql) or original(sql, *a, **k))
    monkeypatch.setattr(pg_store.db, "begin", lambda *a, **k: seen.append("BEGIN"))
    try:
        bus.send({"event": "small", "data": {"i": 1}, "broadcast": {"user_id": "u1"}})
        deadline = time.monotonic() + 10
        while not connection.got and time.monotonic() < deadline:
            time.sleep(0.01)
        assert [m["event"] for m in connection.got] == ["small"]
        assert seen == ["SELECT pg_notify(%s, %s)"]
    finally:
        bus.close()


def test_resync_closes_connections_and_refuses_resumes(pg_store):
    from ws.hub import Hub
    hub = Hub()
    live, gone = FakeConnection("u1", "live"), FakeConnection("u2", "gone")
    bus = _bus(pg_store, hub)
    hub.register(live)
    hub.register(gone)
    hub.unregister(gone)                            # closed a moment ago: resumable
    try:
        with psycopg2.connect(**pg_bus._connect_arguments(pg_store.db)) as conn, conn.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s "
                           "AND datname = current_database()", (pg_bus.APPLICATION_NAME,))
        conn.close()
        deadline = time.monotonic() + 10
        while (live.closed_with is None or bus.connects < 2 or not bus.listening.is_set()) \
                and time.monotonic() < deadline:
            time.sleep(0.01)
        assert live.closed_with == pg_bus.RESYNC_CLOSE_CODE
        assert bus.connects == 2
        assert gone.dropped and hub.take_dead("gone", "u2") is None
        hub.unregister(live)                        # its reader notices the close later
        assert live.dropped and hub.take_dead("live", "u1") is None
        # Listening again: events arrive.
        fresh = FakeConnection("u3", "fresh")
        hub.register(fresh)
        bus.send({"event": "test", "data": {}, "broadcast": {"user_id": "u3"}})
        deadline = time.monotonic() + 10
        while not fresh.got and time.monotonic() < deadline:
            time.sleep(0.01)
        assert [m["event"] for m in fresh.got] == ["test"]
    finally:
        bus.close()


def test_connections_of_a_process_that_stopped_beating_do_not_count(pg_store):
    from store import presence as store_presence
    store_presence.set_connections("nodealive", "user1", 2, 10_000)
    store_presence.set_connections("nodedead", "user1", 1, 1_000)
    store_presence.set_connections("nodedead", "user2", 3, 1_000)
    # Seen from a third process: only the live node's connections count.
    assert store_presence.connections_elsewhere("nodeself", "user1", alive_since_ms=5_000) == 2
    assert store_presence.connections_elsewhere("nodeself", "user2", alive_since_ms=5_000) == 0
    assert store_presence.connections_elsewhere("nodealive", "user1", alive_since_ms=0) == 1
    assert store_presence.forget_stale(5_000) == 1
    assert store_presence.connections_elsewhere("nodeself", "user2", alive_since_ms=0) == 0
    store_presence.set_connections("nodealive", "user1", 0, 11_000)
    assert store_presence.connections_elsewhere("nodeself", "user1", alive_since_ms=0) == 0
    store_presence.forget_node("nodealive")


def test_connections_opening_do_not_rewrite_the_heartbeat(pg_store):
    """Only the heartbeat moves a node's time: a connection that opens makes
    the node's row if it is missing and leaves it alone otherwise (every
    connection would else queue on that row)."""
    from store import models, presence as store_presence
    store_presence.set_connections("nodequiet", "user1", 1, 1_000)
    store_presence.set_connections("nodequiet", "user2", 1, 9_000)
    beat = models.PresenceNode.get_by_id("nodequiet").heartbeat_at
    assert beat == 1_000
    store_presence.beat("nodequiet", 9_500)
    assert models.PresenceNode.get_by_id("nodequiet").heartbeat_at == 9_500
    store_presence.forget_node("nodequiet")
