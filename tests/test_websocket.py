"""The WebSocket protocol against the real server (one gunicorn gevent worker,
on each store): authentication three ways, hello and seq, replies, the
actions, MessagePack frames, the size bound, reconnect with resume; then the
hub's slow-consumer handling and presence, in this process."""
import json
import pathlib
import struct
import threading
import time

import pytest
import requests
import websocket

from conftest import PASSWORD, running_server


# ---------------------------------------------------------------------------
# The real server and its accounts

class Server:
    def __init__(self, base):
        self.base = base
        self.ws_url = base.replace("http", "ws", 1) + "/api/v4/websocket"

    def api(self, method, path, who=None, expect=None, **kwargs):
        headers = {"Authorization": "Bearer " + who["token"]} if who else {}
        response = requests.request(method, self.base + "/api/v4" + path, headers=headers, timeout=20, **kwargs)
        if expect is not None:
            assert response.status_code == expect, response.text
        return response

    def login(self, username):
        response = self.api("POST", "/users/login", json={"login_id": username, "password": PASSWORD}, expect=200)
        return {"token": response.headers["Token"], "id": response.json()["id"],
                "version": response.headers["X-Version-Id"]}


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def server(request, tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("websocket-" + request.param)
    env = dict(MM_SQLSETTINGS_MAXOPENCONNS="5", MM_PYTHONSETTINGS_PASSWORDWORKFACTOR="1000",
               MM_PYTHONSETTINGS_LOGINRATELIMITMAXBURST="100000", MM_RATELIMITSETTINGS_ENABLE="false")
    if request.param == "postgres":
        env.update(MM_SQLSETTINGS_DRIVERNAME="postgres",
                   MM_SQLSETTINGS_DATASOURCE=request.getfixturevalue("postgres_server").new_database())
    with running_server(tmp_path, env, timeout=60, quiet=True) as (base, _):
        yield Server(base)


@pytest.fixture(scope="module")
def world(server):
    """An admin, two more users; a team of all three and a private channel of
    the admin and the second user (the third is not in it)."""
    server.api("POST", "/users", json={"username": "wsadmin", "email": "wsadmin@example.com",
                                       "password": PASSWORD}, expect=201)
    admin = server.login("wsadmin")
    users = [admin]
    for name in ("wsmember", "wsoutsider"):
        server.api("POST", "/users", admin, json={"username": name, "email": name + "@example.com",
                                                  "password": PASSWORD}, expect=201)
        users.append(server.login(name))
    team = server.api("POST", "/teams", admin, json={"name": "wsteam", "display_name": "WS", "type": "O"},
                      expect=201).json()
    for user in users[1:]:
        server.api("POST", "/teams/%s/members" % team["id"], admin,
                   json={"team_id": team["id"], "user_id": user["id"]}, expect=201)
    channel = server.api("POST", "/channels", admin, json={"team_id": team["id"], "name": "secret",
                                                           "display_name": "Secret", "type": "P"},
                         expect=201).json()
    server.api("POST", "/channels/%s/members" % channel["id"], admin, json={"user_id": users[1]["id"]},
               expect=201)
    return {"admin": admin, "member": users[1], "outsider": users[2], "team": team, "channel": channel}


class Client:
    """A websocket-client connection that keeps events and replies apart."""

    def __init__(self, ws):
        self.ws = ws
        self.events = []
        self.replies = {}
        self.next_seq = 1

    def send(self, action, data=None):
        seq = self.next_seq
        self.next_seq += 1
        message = {"seq": seq, "action": action}
        if data is not None:
            message["data"] = data
        self.ws.send(json.dumps(message))
        return seq

    def read(self):
        """The next message (a dict), kept in events or replies."""
        message = json.loads(self.ws.recv())
        if "seq_reply" in message:
            assert "seq" not in message
            self.replies[message["seq_reply"]] = message
        else:
            self.events.append(message)
        return message

    def request(self, action, data=None):
        seq = self.send(action, data)
        while seq not in self.replies:
            self.read()
        return self.replies[seq]

    def until_event(self, name, timeout=10):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for event in self.events:
                if event["event"] == name and not event.get("_seen"):
                    event["_seen"] = True
                    return event
            self.read()
        raise AssertionError("no %s event" % name)

    def sync(self):
        """Read until a ping's reply: whatever was queued before it has arrived."""
        self.request("ping")

    def close(self):
        self.ws.close()


def connect(server, who=None, how="header", query="", **kwargs):
    headers, cookie = [], None
    if who is not None and how == "header":
        headers.append("Authorization: Bearer " + who["token"])
    elif who is not None and how == "cookie":
        cookie = "MMAUTHTOKEN=" + who["token"]
    url = server.ws_url + (("?" + query) if query else "")
    return Client(websocket.create_connection(url, header=headers, cookie=cookie, timeout=10, **kwargs))


def closed_with(client):
    """The close code the server sent (reading past anything queued before it)."""
    while True:
        try:
            frame = client.ws.recv_frame()
        except (websocket.WebSocketConnectionClosedException, ConnectionError):
            return None
        if frame.opcode == websocket.ABNF.OPCODE_CLOSE:
            return struct.unpack(">H", frame.data[:2])[0] if len(frame.data) >= 2 else None


def assert_seq_continuous(events, start=0):
    assert [e["seq"] for e in events] == list(range(start, start + len(events)))


# ---------------------------------------------------------------------------
# Authentication

@pytest.mark.parametrize("how", ["header", "cookie"])
def test_upgrade_authenticated_by_header_or_cookie(server, world, how):
    admin = world["admin"]
    client = connect(server, admin, how)
    try:
        hello = client.read()
        assert hello["event"] == "hello" and hello["seq"] == 0
        assert len(hello["data"]["connection_id"]) == 26
        assert hello["data"]["server_version"] == admin["version"]   # as X-Version-Id: clients compare them
        assert hello["data"]["server_hostname"]
        assert hello["broadcast"]["user_id"] == admin["id"]
        assert set(hello["broadcast"]) == {"omit_users", "user_id", "channel_id", "team_id", "connection_id",
                                           "omit_connection_id"}
        pong = client.request("ping")
        assert pong["status"] == "OK" and pong["data"]["text"] == "pong"
        assert {"version", "server_time", "node_id"} <= set(pong["data"])
        # A challenge on an authenticated connection is ignored (no reply).
        client.send("authentication_challenge", {"token": admin["token"]})
        seq = client.send("ping")
        while seq not in client.replies:
            client.read()
        assert seq - 1 not in client.replies
    finally:
        client.close()


def test_session_token_in_the_query_is_refused(server, world):
    response = requests.get(server.base + "/api/v4/websocket?access_token=" + world["admin"]["token"],
                            headers={"Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13",
                                     "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}, timeout=10)
    assert response.status_code == 401
    assert response.json()["id"] == "api.context.token_provided.app_error"


def test_authentication_challenge(server, world):
    admin = world["admin"]
    client = connect(server)
    try:
        refused = client.request("get_statuses")
        assert refused["status"] == "FAIL"
        assert refused["error"]["id"] == "api.web_socket_router.not_authenticated.app_error"
        seq = client.send("authentication_challenge", {"token": admin["token"]})
        hello = client.read()
        assert hello["event"] == "hello" and hello["seq"] == 0
        reply = client.read()
        assert reply == {"status": "OK", "seq_reply": seq}
        statuses = client.request("get_statuses")
        assert statuses["status"] == "OK" and statuses["data"][admin["id"]] == "online"
    finally:
        client.close()


def test_failed_challenge_is_answered_and_closed(server):
    client = connect(server)
    try:
        reply = client.request("authentication_challenge", {"token": "x" * 26})
        assert reply["status"] == "FAIL"
        assert reply["error"]["id"] == "api.web_socket_router.not_authenticated.app_error"
        assert closed_with(client) == 1008
    finally:
        client.close()


def test_unauthenticated_socket_is_closed_after_a_while(server):
    client = connect(server)
    try:
        started = time.monotonic()
        assert closed_with(client) == 1008
        assert time.monotonic() - started < 9
    finally:
        client.close()


# ---------------------------------------------------------------------------
# Requests and replies

def test_bad_requests(server, world):
    client = connect(server, world["admin"])
    try:
        client.read()
        unknown = client.request("no_such_action")
        assert unknown["status"] == "FAIL" and unknown["error"]["id"] == "api.web_socket_router.bad_action.app_error"
        client.ws.send(json.dumps({"seq": 0, "action": "ping"}))
        assert client.read()["error"]["id"] == "api.web_socket_router.bad_seq.app_error"
        client.ws.send(json.dumps({"seq": 7}))
        no_action = client.read()
        assert no_action["seq_reply"] == 7
        assert no_action["error"]["id"] == "api.web_socket_router.no_action.app_error"
        for data in ({}, {"user_ids": []}, {"user_ids": "x"}, {"user_ids": [1, 2]}):
            reply = client.request("get_statuses_by_ids", data)
            assert reply["status"] == "FAIL"
            assert reply["error"]["id"] == "api.websocket_handler.invalid_param.app_error"
        client.ws.send("{not json")
        assert closed_with(client) == 1003
    finally:
        client.close()


def test_message_size_is_bounded(server, world):
    client = connect(server, world["admin"])
    try:
        client.read()
        assert client.request("ping", {"pad": "x" * 7000})["status"] == "OK"
        client.send("ping", {"pad": "x" * 9000})
        assert closed_with(client) == 1009
    finally:
        client.close()


def _msgpack(value):
    """A small MessagePack encoder for the test's requests."""
    if value is None:
        return b"\xc0"
    if value is True or value is False:
        return b"\xc3" if value else b"\xc2"
    if isinstance(value, int):
        return bytes([value]) if 0 <= value < 128 else b"\xd3" + struct.pack(">q", value)
    if isinstance(value, str):
        raw = value.encode()
        return (bytes([0xa0 | len(raw)]) if len(raw) < 32 else b"\xd9" + bytes([len(raw)])) + raw
    if isinstance(value, list):
        return bytes([0x90 | len(value)]) + b"".join(_msgpack(v) for v in value)
    if isinstance(value, dict):
        return bytes([0x80 | len(value)]) + b"".join(_msgpack(k) + _msgpack(v) for k, v in value.items())
    raise TypeError(value)


def test_messagepack_requests(server, world):
    admin, outsider = world["admin"], world["outsider"]
    client = connect(server, admin)
    try:
        client.read()
        client.ws.send_binary(_msgpack({"seq": 300, "action": "ping"}))
        while 300 not in client.replies:
            client.read()
        assert client.replies[300]["data"]["text"] == "pong"
        client.ws.send_binary(_msgpack({"seq": 301, "action": "get_statuses_by_ids",
                                        "data": {"user_ids": [admin["id"], outsider["id"]]}}))
        while 301 not in client.replies:
            client.read()
        assert client.replies[301]["data"] == {admin["id"]: "online", outsider["id"]: "offline"}
        client.ws.send_binary(b"\xc1")
        assert closed_with(client) == 1003
    finally:
        client.close()


def test_statuses(server, world):
    admin, outsider = world["admin"], world["outsider"]
    unknown = "a" * 26
    client = connect(server, admin)
    try:
        client.read()
        reply = client.request("get_statuses_by_ids", {"user_ids": [admin["id"], outsider["id"], unknown]})
        assert reply["status"] == "OK"
        assert reply["data"] == {admin["id"]: "online", outsider["id"]: "offline", unknown: "offline"}
        everyone = client.request("get_statuses")["data"]
        assert everyone[admin["id"]] == "online" and unknown not in everyone
        assert client.request("presence", {"channel_id": world["channel"]["id"]})["status"] == "OK"
        assert client.request("posted_notify_ack", {"post_id": unknown, "status": "success"})["status"] == "OK"
    finally:
        client.close()


def test_user_typing_reaches_the_other_members_only(server, world):
    member, outsider = world["member"], world["outsider"]
    channel_id = world["channel"]["id"]
    clients = {name: connect(server, world[name]) for name in ("admin", "member", "outsider")}
    try:
        for client in clients.values():
            client.read()
        reply = clients["member"].request("user_typing", {"channel_id": channel_id, "parent_id": "p" * 26})
        assert reply == {"status": "OK", "seq_reply": reply["seq_reply"]}
        typing = clients["admin"].until_event("typing")
        assert typing["data"] == {"parent_id": "p" * 26, "user_id": member["id"]}
        assert typing["broadcast"]["channel_id"] == channel_id
        assert typing["broadcast"]["omit_users"] == {member["id"]: True}
        for name in ("member", "outsider"):
            clients[name].sync()
            assert "typing" not in [e["event"] for e in clients[name].events]
        # Without parent_id: an empty one.
        clients["member"].request("user_typing", {"channel_id": channel_id})
        assert clients["admin"].until_event("typing")["data"] == {"parent_id": "", "user_id": member["id"]}
        # Not a member, or not an id: refused, nothing sent.
        for data in ({"channel_id": channel_id}, {"channel_id": "nope"}, {}):
            refused = clients["outsider"].request("user_typing", data)
            assert refused["status"] == "FAIL"
            assert refused["error"]["id"] == "api.websocket_handler.invalid_param.app_error"
        clients["admin"].sync()
        assert [e for e in clients["admin"].events if e["event"] == "typing" and not e.get("_seen")] == []
        assert outsider["id"]
        for client in clients.values():
            assert_seq_continuous(client.events)
    finally:
        for client in clients.values():
            client.close()


# ---------------------------------------------------------------------------
# Reconnect

def _typing(server, world, parents):
    member = connect(server, world["member"])
    try:
        member.read()
        for parent in parents:
            assert member.request("user_typing", {"channel_id": world["channel"]["id"],
                                                  "parent_id": parent})["status"] == "OK"
    finally:
        member.close()


def _drain(client, count):
    while len(client.events) < count:
        client.read()


def test_resume_gets_exactly_the_missed_events(server, world):
    admin = world["admin"]
    first = connect(server, admin)
    first.read()
    connection_id = first.events[0]["data"]["connection_id"]
    _typing(server, world, ["a1", "a2"])
    first.sync()
    _drain(first, 3)
    received = first.events
    assert_seq_continuous(received)
    first.close()
    time.sleep(0.3)
    _typing(server, world, ["b1", "b2", "b3"])

    next_seq = received[-1]["seq"] + 1
    again = connect(server, admin, query="connection_id=%s&sequence_number=%d" % (connection_id, next_seq))
    try:
        again.sync()
        missed = again.events
        assert missed and missed[0]["event"] != "hello"
        assert_seq_continuous(missed, next_seq)
        # whatever the first socket had not received yet (a2 may still have been
        # on its way when it closed), then the events sent while it was away
        seen = [e["data"]["parent_id"] for e in received if e["event"] == "typing"]
        expected = [p for p in ["a1", "a2", "b1", "b2", "b3"] if p not in seen]
        assert [e["data"]["parent_id"] for e in missed if e["event"] == "typing"] == expected
        # and the stream goes on from there
        _typing(server, world, ["c1"])
        typing = again.until_event("typing")
        while typing["data"]["parent_id"] != "c1":
            typing = again.until_event("typing")
        assert_seq_continuous(again.events, next_seq)
    finally:
        again.close()


def test_resume_replays_events_sent_but_lost(server, world):
    """A client that did not get some events it was sent asks from the first
    it lacks: they are sent again, same seq, same content."""
    admin = world["admin"]
    first = connect(server, admin)
    first.read()
    connection_id = first.events[0]["data"]["connection_id"]
    _typing(server, world, ["d1", "d2", "d3"])
    first.sync()
    sent = {e["seq"]: e for e in first.events}
    lost_from = [e["seq"] for e in first.events if e["event"] == "typing"][1]   # d2 on
    first.close()
    time.sleep(0.3)
    again = connect(server, admin, query="connection_id=%s&sequence_number=%d" % (connection_id, lost_from))
    try:
        again.sync()
        replayed = again.events
        assert_seq_continuous(replayed, lost_from)
        for event in replayed:
            if event["seq"] in sent:
                assert event == {k: v for k, v in sent[event["seq"]].items() if k != "_seen"}
        assert [e["data"]["parent_id"] for e in replayed if e["event"] == "typing"] == ["d2", "d3"]
    finally:
        again.close()


def test_resume_that_cannot_be_served_gets_a_fresh_hello(server, world):
    admin = world["admin"]
    first = connect(server, admin)
    connection_id = first.read()["data"]["connection_id"]
    first.sync()
    first.close()
    time.sleep(0.3)
    # Further than what was sent: events were lost.
    again = connect(server, admin, query="connection_id=%s&sequence_number=%d" % (connection_id, 500))
    try:
        hello = again.read()
        assert hello["event"] == "hello" and hello["seq"] == 0
        assert hello["data"]["connection_id"] != connection_id
    finally:
        again.close()
    # An id this server does not know.
    unknown = "b" * 26
    fresh = connect(server, admin, query="connection_id=%s&sequence_number=3" % unknown)
    try:
        hello = fresh.read()
        assert hello["event"] == "hello" and hello["seq"] == 0
        assert hello["data"]["connection_id"] not in (unknown, "")
    finally:
        fresh.close()
    # What the JavaScript client sends the first time.
    first_time = connect(server, admin, query="connection_id=&sequence_number=0")
    try:
        assert first_time.read()["event"] == "hello"
    finally:
        first_time.close()
    # Not an id: closed, as Mattermost does.
    invalid = connect(server, admin, query="connection_id=abc&sequence_number=1")
    try:
        assert closed_with(invalid) == 1008
    finally:
        invalid.close()


# ---------------------------------------------------------------------------
# Presence on the real server

def _status(server, who):
    return server.api("GET", "/users/%s/status" % who["id"], who, expect=200).json()


def _wait_status(server, who, wanted, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = _status(server, who)
        if status["status"] == wanted:
            return status
        time.sleep(0.05)
    raise AssertionError("status of %s stayed %s" % (who["id"], _status(server, who)))


def test_presence_follows_connections(server, world):
    outsider = world["outsider"]
    first = connect(server, outsider)
    second = connect(server, outsider)
    try:
        first.read()
        assert _wait_status(server, outsider, "online")["manual"] is False
        change = first.until_event("status_change")
        assert change["data"] == {"status": "online", "user_id": outsider["id"]}
        assert change["broadcast"]["user_id"] == outsider["id"]
        second.read()
        first.close()
        time.sleep(0.3)
        assert _status(server, outsider)["status"] == "online"   # one connection left
        # The client says it is idle by hand: away, manual.
        assert second.request("user_update_active_status", {"user_is_active": False, "manual": True})["status"] == "OK"
        status = _wait_status(server, outsider, "away")
        assert status["manual"] is True
        assert second.request("user_update_active_status", {"user_is_active": True, "manual": True})["status"] == "OK"
        _wait_status(server, outsider, "online")
        refused = second.request("user_update_active_status", {"user_is_active": "yes"})
        assert refused["error"]["id"] == "api.websocket_handler.invalid_param.app_error"
    finally:
        first.close()
        second.close()
    _wait_status(server, outsider, "offline")
    # A status set by hand outlives connections.
    server.api("PUT", "/users/%s/status" % outsider["id"], outsider,
               json={"user_id": outsider["id"], "status": "dnd"}, expect=200)
    third = connect(server, outsider)
    try:
        third.read()
        third.sync()
        assert _status(server, outsider)["status"] == "dnd"
    finally:
        third.close()
    time.sleep(0.3)
    assert _status(server, outsider)["status"] == "dnd"
    server.api("PUT", "/users/%s/status" % outsider["id"], outsider,
               json={"user_id": outsider["id"], "status": "online"}, expect=200)


# ---------------------------------------------------------------------------
# The hub in this process: slow consumers

class FakeSocket:
    """Records what is sent; blocks every send while `blocked` is set."""

    def __init__(self, blocked=False):
        self.sent = []
        self.closed_with = None
        self.release = threading.Event()
        if not blocked:
            self.release.set()

    def send(self, text):
        self.release.wait(20)
        if self.closed_with is not None:
            raise ConnectionError("closed")
        self.sent.append(json.loads(text))

    def close(self, reason=None, message=None):
        if self.closed_with is None:
            self.closed_with = reason
        self.release.set()


class FakeSession:
    def __init__(self, user_id):
        self.user_id = user_id


def _wait(condition, timeout=10):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline
        time.sleep(0.01)


def test_a_client_that_does_not_read_is_dropped_and_others_keep_receiving():
    from ws.hub import SEND_QUEUE_SIZE, Connection, Hub
    hub = Hub()
    slow = Connection(FakeSocket(blocked=True), FakeSession("u1"), "slow")
    fast = Connection(FakeSocket(), FakeSession("u2"), "fast")
    for connection in (slow, fast):
        hub.register(connection)
        connection.start()
    total = SEND_QUEUE_SIZE + 10
    for i in range(total):
        hub.dispatch({"event": "test", "data": {"i": i}, "broadcast": {}})
        if i % 50 == 0:   # a client that reads keeps up (a burst beyond its queue would drop it too)
            _wait(lambda: fast.queue.empty())
    assert slow.dropped and slow.socket.closed_with == 1008
    _wait(lambda: len(fast.socket.sent) == total)
    assert [m["seq"] for m in fast.socket.sent] == list(range(total))
    assert [m["data"]["i"] for m in fast.socket.sent] == list(range(total))
    # The dropped connection lost events: it cannot be resumed.
    hub.unregister(slow)
    assert hub.take_dead("slow", "u1") is None
    assert slow.replay_from(0) is None
    hub.dispatch({"event": "after", "data": {}, "broadcast": {}})
    _wait(lambda: len(fast.socket.sent) == total + 1)
    slow.close()
    fast.close()


def test_a_closed_connection_keeps_receiving_until_resumed_or_overflowing():
    from ws.hub import SEND_QUEUE_SIZE, Connection, Hub
    hub = Hub()
    old = Connection(FakeSocket(), FakeSession("u1"), "c1")
    hub.register(old)
    old.start()
    hub.dispatch({"event": "one", "data": {}, "broadcast": {"user_id": "u1"}})
    _wait(lambda: len(old.socket.sent) == 1)
    old.close()
    assert hub.unregister(old) is True
    assert hub.connected_user_ids() == set()
    hub.dispatch({"event": "two", "data": {}, "broadcast": {"user_id": "u1"}})
    hub.dispatch({"event": "three", "data": {}, "broadcast": {}})
    previous = hub.take_over("c1", "u1")
    assert previous is old
    new = Connection(FakeSocket(), FakeSession("u1"), "other")
    new.adopt(previous, previous.replay_from(0))
    hub.register(new)
    new.start()
    _wait(lambda: len(new.socket.sent) == 3)
    assert [(m["event"], m["seq"]) for m in new.socket.sent] == [("one", 0), ("two", 1), ("three", 2)]
    assert new.id == "c1"
    new.close()
    hub.unregister(new)
    for i in range(SEND_QUEUE_SIZE + 1):
        hub.dispatch({"event": "flood", "data": {"i": i}, "broadcast": {"user_id": "u1"}})
    assert hub.take_dead("c1", "u1") is None   # overflowed while away: forgotten


# ---------------------------------------------------------------------------
# Presence rules, in this process

class Recorder:
    def __init__(self, user_id):
        self.user_id, self.id = user_id, "rec-" + user_id
        self.got = []

    def push(self, message):
        self.got.append(message)
        return True


@pytest.fixture
def presence_env(app, admin):
    from api import config as config_module
    from conftest import create
    from ws import presence
    from ws.hub import hub
    user_id = create(app.test_client(), admin)["id"]
    recorder = Recorder(user_id)
    hub.register(recorder)
    config = config_module.load(path="/nonexistent", environ={})
    with app.app_context():
        yield presence, config, user_id, recorder
    hub.unregister(recorder)
    hub.take_dead(recorder.id, user_id)


def _changes(recorder):
    return [m["data"]["status"] for m in recorder.got if m["event"] == "status_change"]


def test_presence_rules(presence_env):
    presence, config, user_id, recorder = presence_env
    from store import status as store_status
    assert presence.set_online(config, user_id)["status"] == "online"
    assert presence.set_online(config, user_id) is None            # no change, recent: nothing written
    assert _changes(recorder) == ["online"]
    assert recorder.got[0]["broadcast"]["user_id"] == user_id
    assert presence.set_away_if_needed(config, user_id) is None    # active recently
    config["TeamSettings"]["UserStatusAwayTimeout"] = 0
    assert presence.check(config, user_id)["status"] == "away"
    assert presence.set_online(config, user_id)["status"] == "online"
    assert presence.set_away_if_needed(config, user_id)["status"] == "away"
    config["TeamSettings"]["UserStatusAwayTimeout"] = 300
    assert presence.set_offline(config, user_id)["status"] == "offline"
    # Another worker's offline while this one still has a connection: undone.
    assert presence.check(config, user_id)["status"] == "online"
    assert _changes(recorder) == ["online", "away", "online", "away", "offline", "online"]
    # Manual statuses win over automatic changes.
    store_status.change(user_id, lambda current: dict(current, status="dnd", manual=True))
    for function in (presence.set_online, presence.set_offline, presence.set_away_if_needed, presence.check):
        assert function(config, user_id) is None
    assert store_status.get(user_id)["status"] == "dnd"
    assert presence.set_online(config, user_id, True)["status"] == "online"   # the user's own choice
    assert presence.statuses_by_ids(config, [user_id, "c" * 26]) == {user_id: "online", "c" * 26: "offline"}
    assert presence.all_statuses(config)[user_id] == "online"
    # Statuses off: nothing happens, nothing is known.
    config["ServiceSettings"]["EnableUserStatuses"] = False
    before = len(recorder.got)
    assert presence.set_offline(config, user_id) is None
    assert presence.statuses_by_ids(config, [user_id]) == {} and presence.all_statuses(config) == {}
    assert len(recorder.got) == before


def test_the_sweeper_checks_connected_users_in_batches(presence_env, app, admin):
    """check_all reads the statuses of many users in a few queries and writes
    only those that change: away after the timeout, back from another worker's
    automatic offline, manual statuses left alone."""
    presence, config, user_id, recorder = presence_env
    from conftest import create
    from store import db, status as store_status
    others = [create(app.test_client(), admin)["id"] for _ in range(4)]
    for other in others:
        presence.set_online(config, other)
    presence.set_online(config, user_id)
    store_status.change(others[0], lambda current: dict(current, status="offline"))        # another worker
    store_status.change(others[1], lambda current: dict(current, status="dnd", manual=True))
    statements = []
    execute = db.database.obj.execute_sql

    def counting(sql, *args, **kwargs):
        statements.append(db.unprepared(sql))
        return execute(sql, *args, **kwargs)

    db.database.obj.execute_sql = counting
    try:
        presence.check_all(config, [user_id] + others, chunk=2)      # nothing is old enough for away
    finally:
        db.database.obj.execute_sql = execute
    reads = [s for s in statements if s.lstrip().upper().startswith("SELECT") and "status" in s.lower()]
    assert store_status.get(others[0])["status"] == "online"
    assert store_status.get(others[1])["status"] == "dnd"
    assert store_status.get(user_id)["status"] == "online"
    assert len(reads) <= 2 * 3 + 3   # two per batch of two (dnd expiry, rows), three for the one that changed
    config["TeamSettings"]["UserStatusAwayTimeout"] = 0
    presence.check_all(config, [user_id] + others)
    assert store_status.get(user_id)["status"] == "away"
    assert [store_status.get(o)["status"] for o in others] == ["away", "dnd", "away", "away"]
    assert _changes(recorder)[-1] == "away"
    config["TeamSettings"]["UserStatusAwayTimeout"] = 300


def test_text_frames_are_read_back_by_a_websocket_client_at_every_length_encoding():
    """The hub writes its own frames (ws.hub.text_frame): a client's protocol
    library reads each back whole, for the 7-bit, 16-bit and 64-bit lengths."""
    from wsproto.connection import Connection as Protocol, ConnectionType
    from wsproto.events import TextMessage
    from ws.hub import text_frame
    for size in (0, 125, 126, 65535, 65536, 70000):
        text = ("é" * (size // 2)) + ("x" * (size % 2))
        client = Protocol(ConnectionType.CLIENT)
        client.receive_data(text_frame(text))
        got = list(client.events())
        assert len(got) == 1 and isinstance(got[0], TextMessage)
        assert got[0].data == text and got[0].message_finished


_DIRECT_SEND_SCRIPT = r'''
from gevent import monkey; monkey.patch_all()
import json, socket, sys
import gevent
from wsproto.connection import Connection as Protocol, ConnectionType
from wsproto.events import Ping, TextMessage
from ws.hub import Connection, Event, FrameWriter

class WS:                       # what FrameWriter uses of simple_websocket's socket
    connected = True
    def __init__(self, sock): self.sock = sock
    def close(self, **kwargs): pass

class Session:
    user_id = "u1"

listener = socket.socket()         # TCP, as the server's: it writes part of a frame when nearly full
listener.bind(("127.0.0.1", 0))
listener.listen(1)
client = socket.socket()
client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
client.connect(listener.getsockname())
server, _ = listener.accept()
server.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
ws = WS(server)
connection = Connection(FrameWriter(ws), Session(), "c1")
connection.start()
gevent.sleep(0)                 # the writer now waits on its empty queue
report = {"writer_waiting": connection.waiting}
connection.push(Event({"event": "first", "data": {}}))
report["first_written_at_once"] = connection.queue.empty() and connection.seq == 1
pad = "x" * 3000
report["partial_seq"] = None
for i in range(1, 60):          # nobody reads: the socket's buffer fills
    connection.push(Event({"event": "e", "data": {"i": i, "pad": pad}}))
    if report["partial_seq"] is None and connection.socket.unfinished:
        report["partial_seq"] = connection.seq - 1      # its frame is partly written
report["queued_behind_a_full_socket"] = connection.queue.qsize()
report["rest_of_a_frame_queued"] = any(type(item).__name__ == "_Rest" for item in list(connection.queue.queue))
# simple_websocket's reader pings now, on the socket it holds: mid-frame of ours.
gevent.spawn(ws.sock.send, b"\x89\x01p")
gevent.sleep(0)
protocol, texts, order, part = Protocol(ConnectionType.CLIENT), [], [], ""
client.settimeout(5)
while len(texts) < 60 or "ping" not in order:
    protocol.receive_data(client.recv(65536))
    for event in protocol.events():
        if isinstance(event, Ping):
            order.append("ping")
            continue
        assert isinstance(event, TextMessage)
        part += event.data              # a frame may arrive in pieces
        if event.message_finished:
            texts.append(json.loads(part))
            order.append(texts[-1]["seq"])
            part = ""
report["ping_after"] = order[order.index("ping") - 1]
report["seqs"] = [m["seq"] for m in texts]
report["events"] = [m["data"].get("i", 0) for m in texts]
report["pads_whole"] = all(m["data"].get("pad", pad) == pad for m in texts)
print(json.dumps(report))
'''


def test_an_idle_writer_lets_push_write_at_once_and_a_full_socket_keeps_the_order():
    """Under gevent (as the server runs), push writes an event itself when the
    connection's writer waits on an empty queue; once the socket's buffer is
    full, the rest of the frame and every later event go through the queue,
    and the client reads them all, whole and in order, with a control frame
    simple_websocket sent meanwhile between two of them."""
    import subprocess
    import sys
    root = pathlib.Path(__file__).resolve().parent.parent
    done = subprocess.run([sys.executable, "-c", _DIRECT_SEND_SCRIPT], cwd=root, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["writer_waiting"] and report["first_written_at_once"]
    assert report["queued_behind_a_full_socket"] > 0 and report["rest_of_a_frame_queued"]
    assert report["partial_seq"] is not None
    assert report["seqs"] == list(range(60)) and report["events"] == list(range(60))
    assert report["pads_whole"]
    # A ping simple_websocket sent meanwhile went out right after the frame
    # that was partly written, not inside it.
    assert report["ping_after"] == report["partial_seq"]


def test_a_resume_skips_the_rest_of_a_frame_the_old_socket_had_begun():
    """The rest of a frame push wrote in part on the old socket stays out of
    the new one (which never had its start); the event itself comes again in
    the replay."""
    from ws.hub import Connection, Event, Hub, _Rest
    hub = Hub()
    old = Connection(FakeSocket(), FakeSession("u1"), "c1")
    hub.register(old)
    text = old._text(Event({"event": "half", "data": {}}))     # numbered and kept, as push does
    old.queue.put_nowait(_Rest(b"...the end of that frame", old))
    old.close()
    hub.unregister(old)
    previous = hub.take_over("c1", "u1")
    new = Connection(FakeSocket(), FakeSession("u1"), "other")
    new.adopt(previous, previous.replay_from(0))
    hub.register(new)
    new.start()
    hub.dispatch({"event": "next", "data": {}, "broadcast": {"user_id": "u1"}})
    _wait(lambda: len(new.socket.sent) == 2)
    assert [(m["event"], m["seq"]) for m in new.socket.sent] == [("half", 0), ("next", 1)]
    assert json.loads(text)["seq"] == 0
    new.close()
