"""Structured logs (api/logs.py): JSON lines or plain text per LogSettings, the
request id on every line logged while a request is served, one access line
per request at debug level; and the real server, where gunicorn's own lines
go through the same formatter.
"""
import io
import json
import logging
import re
import threading
import time

import pytest
import requests

from conftest import make_config, running_server
from api import logs


def _record(message="hello %s", args=("there",), level=logging.WARNING, exc_info=None, **extra):
    record = logging.LogRecord("mattermost.test", level, __file__, 42, message, args, exc_info)
    for key, value in extra.items():
        setattr(record, key, value)
    return record


def test_json_line_fields():
    line = logs.Formatter(json_lines=True).format(_record(user_id="u1", count=3))
    fields = json.loads(line)
    assert "\n" not in line
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", fields["timestamp"])
    assert fields["level"] == "warn"
    assert fields["msg"] == "hello there"
    assert fields["caller"] == "tests/test_logs.py:42"
    assert fields["logger"] == "mattermost.test"
    assert fields["user_id"] == "u1" and fields["count"] == 3
    assert "request_id" not in fields   # no request being served


def test_json_line_with_an_exception_and_the_request_id():
    try:
        raise ValueError("broken")
    except ValueError:
        import sys
        record = _record(level=logging.ERROR, exc_info=sys.exc_info())
    logs.request_started("r" * 26)
    try:
        fields = json.loads(logs.Formatter().format(record))
    finally:
        logs.request_finished()
    assert fields["level"] == "error"
    assert fields["request_id"] == "r" * 26
    assert "ValueError: broken" in fields["error"]
    assert logs.current_request_id() == ""


def test_plain_text_line():
    logs.request_started("abc")
    try:
        line = logs.Formatter(json_lines=False).format(_record(message="two words", args=(), detail="a b"))
    finally:
        logs.request_finished()
    assert not line.startswith("{")
    assert re.match(r"\d{4}-\d\d-\d\dT[\d:.]+Z warn  two words ", line)
    assert "caller=tests/test_logs.py:42" in line and "request_id=abc" in line and 'detail="a b"' in line


def test_logging_config_follows_log_settings(tmp_path):
    config = make_config(tmp_path, LogSettings={"ConsoleLevel": "WARN", "ConsoleJson": False})
    built = logs.logging_config(config)
    assert built["handlers"]["console"]["level"] == logging.WARNING
    assert built["formatters"]["console"]["json_lines"] is False
    assert built["root"]["level"] == logging.WARNING
    config = make_config(tmp_path, LogSettings={"ConsoleLevel": "DEBUG", "EnableFile": True,
                                                "FileLocation": str(tmp_path / "logs"), "FileLevel": "ERROR"})
    built = logs.logging_config(config)
    assert built["root"]["level"] == logging.DEBUG
    assert built["handlers"]["file"]["filename"] == str(tmp_path / "logs" / "mattermost.log")
    assert built["handlers"]["file"]["level"] == logging.ERROR
    assert built["loggers"]["peewee"]["level"] == logging.INFO   # no SQL statements at DEBUG


# ---------------------------------------------------------------------------
# Requests in this process

@pytest.fixture(scope="module")
def logs_app(tmp_path_factory):
    from api.app import create_app
    from store import db
    previous = db.current
    app = create_app(make_config(tmp_path_factory.mktemp("logs")))
    yield app
    db.close()
    if previous is not None:
        db.activate(previous)


@pytest.fixture
def captured():
    """Lines the root logger writes at DEBUG, through our JSON formatter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logs.Formatter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)
    root.setLevel(level)


def test_every_line_of_a_request_has_its_request_id(logs_app, captured):
    client = logs_app.test_client()
    response = client.get("/api/v4/no/such/route")
    assert response.status_code == 404
    request_id = response.headers["X-Request-Id"]
    lines = [line for line in captured() if line.get("request_id") == request_id]
    assert len(lines) >= 2, captured()   # the error logged by the handler, and the access line
    error = [line for line in lines if line["logger"] == "mattermost.errors" or "api.context" in line["msg"]]
    assert error, lines
    access = [line for line in lines if line["logger"] == "mattermost.access"]
    assert len(access) == 1
    assert access[0]["level"] == "debug"
    assert access[0]["method"] == "GET" and access[0]["status_code"] == 404
    assert access[0]["operation_id"] == "unrouted" and access[0]["url"] == ""
    assert access[0]["duration_ms"] >= 0
    # Nothing is left tagged once the request is answered.
    assert logs.current_request_id() == ""


def test_access_line_names_the_operation_route_and_user(logs_app, captured):
    client = logs_app.test_client()
    created = client.post("/api/v4/users", json={"username": "logger1", "email": "logger1@example.com",
                                                 "password": "correct-horse-9"})
    assert created.status_code == 201
    login = client.post("/api/v4/users/login", json={"login_id": "logger1", "password": "correct-horse-9"})
    response = client.get("/api/v4/users/me", headers={"Authorization": "Bearer " + login.headers["Token"]})
    assert response.status_code == 200
    access = [line for line in captured() if line["logger"] == "mattermost.access"
              and line["request_id"] == response.headers["X-Request-Id"]]
    assert len(access) == 1
    assert access[0]["operation_id"] == "GetUser"
    assert access[0]["url"] == "/api/v4/users/<user_id>"   # the template, never the path sent
    assert access[0]["user_id"] == created.get_json()["id"]
    assert access[0]["status_code"] == 200


def test_no_access_line_above_debug(logs_app, captured):
    logging.getLogger().setLevel(logging.INFO)
    logs_app.test_client().get("/api/v4/system/ping")
    assert not [line for line in captured() if line["logger"] == "mattermost.access"]


# ---------------------------------------------------------------------------
# The real server

def test_server_logs_json_lines_with_request_ids(tmp_path):
    env = {"MM_LOGSETTINGS_CONSOLELEVEL": "DEBUG"}
    lines = []

    def read(stream):
        for raw in stream:
            lines.append(raw.decode("utf-8", "replace").rstrip("\n"))

    with running_server(tmp_path, env, workers=1, timeout=60, quiet=False) as (base, process):
        reader = threading.Thread(target=read, args=(process.stdout,), daemon=True)
        reader.start()
        response = requests.get(base + "/api/v4/system/ping", timeout=10)
        request_id = response.headers["X-Request-Id"]
        deadline = time.monotonic() + 10
        while request_id not in "\n".join(lines) and time.monotonic() < deadline:
            time.sleep(0.05)
    reader.join(5)
    logged = [json.loads(line) for line in lines if line.startswith("{")]
    access = [line for line in logged if line.get("request_id") == request_id]
    assert len(access) == 1, lines
    assert access[0]["logger"] == "mattermost.access"
    assert access[0]["operation_id"] == "GetPing" and access[0]["status_code"] == 200
    assert access[0]["url"] == "/api/v4/system/ping"
    # gunicorn's own messages are JSON lines too, and it writes no access log of its own.
    assert any(line["logger"] == "gunicorn.error" and "worker" in line["msg"].lower() for line in logged), lines
    plain = [line for line in lines if not line.startswith("{")]
    assert not [line for line in plain if "GET /api/v4/system/ping" in line or "[INFO]" in line], plain
