"""The real server: the CLI starts gunicorn with gevent workers, REST and the
websocket answer on one port, on each store."""
import json
import urllib.request

import pytest
import websocket

from conftest import running_server


@pytest.fixture(params=["sqlite", "postgres"])
def server(request, tmp_path):
    env = {"MM_SQLSETTINGS_MAXOPENCONNS": "5"}
    if request.param == "postgres":
        env.update(MM_SQLSETTINGS_DRIVERNAME="postgres",
                   MM_SQLSETTINGS_DATASOURCE=request.getfixturevalue("postgres_server").new_database())
    with running_server(tmp_path, env, workers=2) as (base, _):
        yield base


def test_ping_over_http(server):
    with urllib.request.urlopen(server + "/api/v4/system/ping?get_server_status=true") as response:
        assert response.status == 200
        assert response.headers["Content-Type"] == "application/json"
        assert len(response.headers["X-Request-Id"]) == 26
        body = json.loads(response.read())
    assert body["status"] == "OK" and body["database_status"] == "OK"


def test_websocket_upgrade_and_challenge(server):
    ws = websocket.create_connection(server.replace("http", "ws") + "/api/v4/websocket", timeout=5)
    try:
        ws.send(json.dumps({"seq": 1, "action": "get_statuses"}))
        reply = json.loads(ws.recv())
        assert reply["seq_reply"] == 1 and reply["status"] == "FAIL"
        ws.send(json.dumps({"seq": 2, "action": "authentication_challenge", "data": {"token": "invalid"}}))
        reply = json.loads(ws.recv())
        assert reply["seq_reply"] == 2 and reply["status"] == "FAIL"
        frame = ws.recv_frame()
        assert frame.opcode == websocket.ABNF.OPCODE_CLOSE
    finally:
        ws.close()


def test_concurrent_requests_that_use_the_database(server):
    """Many requests at once, each reading the database in its own greenlet:
    connections are per greenlet and go back to the pool (MaxOpenConns=5)."""
    from concurrent.futures import ThreadPoolExecutor

    def fetch(_):
        with urllib.request.urlopen(server + "/api/v4/config/client?format=old", timeout=20) as response:
            return response.status, json.loads(response.read())["DiagnosticId"]

    with ThreadPoolExecutor(max_workers=40) as pool:
        results = list(pool.map(fetch, range(400)))
    assert {status for status, _ in results} == {200}
    assert len({diagnostic for _, diagnostic in results}) == 1


def test_responses_keep_their_framing_on_one_connection(server):
    """The worker's response writer sends a head with its body's first part
    (api.worker): answers with a body, without one (HEAD, 304) and a file
    sent by sendfile follow each other on one kept-alive connection intact."""
    import http.client
    host, port = server.split("//")[1].split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)

    def call(method, path, body=None, headers=None):
        conn.request(method, "/api/v4" + path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response, response.read()

    password = "Passw0rd!-serve"
    response, _ = call("POST", "/users", json.dumps({"username": "framer", "email": "framer@example.com",
                                                    "password": password}), {"Content-Type": "application/json"})
    assert response.status == 201
    user_id = json.loads(_)["id"]
    response, _ = call("POST", "/users/login", json.dumps({"login_id": "framer", "password": password}),
                       {"Content-Type": "application/json"})
    headers = {"Authorization": "Bearer " + response.getheader("Token")}
    for _ in range(2):
        response, body = call("GET", "/system/ping")
        assert response.status == 200 and json.loads(body)["status"] == "OK" and response.getheader("Date")
        response, body = call("HEAD", "/system/ping")
        assert response.status == 200 and body == b""
        response, body = call("GET", "/users/%s/image" % user_id, headers=headers)
        assert response.status == 200 and body.startswith(b"\x89PNG") and response.getheader("ETag") == "0"
        response, body = call("GET", "/users/%s/image" % user_id, headers=dict(headers, **{"If-None-Match": "0"}))
        assert response.status == 304 and body == b""
    teams = json.loads(call("GET", "/users/me/teams", headers=headers)[1])
    response, body = call("POST", "/teams", json.dumps({"name": "framing", "display_name": "Framing", "type": "O"}),
                          dict(headers, **{"Content-Type": "application/json"}))
    assert response.status == 201, body
    channel_id = [c for c in json.loads(call("GET", "/users/me/teams/%s/channels" % json.loads(body)["id"],
                                             headers=headers)[1]) if c["name"] == "town-square"][0]["id"]
    content = bytes(range(256)) * 400
    response, body = call("POST", "/files?channel_id=%s&filename=blob.bin" % channel_id, content,
                          dict(headers, **{"Content-Type": "application/octet-stream"}))
    assert response.status == 201, body
    file_id = json.loads(body)["file_infos"][0]["id"]
    response, body = call("GET", "/files/%s" % file_id, headers=headers)
    assert response.status == 200 and body == content
    response, body = call("GET", "/system/ping")
    assert response.status == 200 and json.loads(body)["status"] == "OK"
    assert teams == []
    conn.close()


def test_a_worker_freezes_what_it_loaded_out_of_the_collectors_sight():
    """Full collections in a worker walk only what requests made, not the app."""
    import gc
    import types
    from api.worker import Worker
    worker = Worker.__new__(Worker)          # no process: only the loading step
    worker.app = types.SimpleNamespace(wsgi=lambda: "the app")
    gc.unfreeze()
    try:
        worker.load_wsgi()
        assert worker.wsgi == "the app"
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
