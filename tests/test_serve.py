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
