"""api.flask_app: the app's own request path answers exactly as Flask's
wsgi_app, and steps aside when the app uses what it does not do."""
import io
import re

import flask
import pytest
from flask import signals
from werkzeug.test import EnvironBuilder

from api.flask_app import MattermostFlask
from conftest import auth

_REQUEST_ID = re.compile(rb"[a-z0-9]{26}")


def _flask_only(monkeypatch):
    monkeypatch.setattr(MattermostFlask, "lean", lambda self: False)


def _answer(client, method, path, **kwargs):
    response = client.open(path, method=method, **kwargs)
    request_id = response.headers.get("X-Request-Id", "").encode()
    headers = sorted((k, v) for k, v in response.headers.items() if k not in ("X-Request-Id", "Date"))
    body = response.data.replace(request_id, b"<id>") if request_id else response.data
    return response.status_code, headers, body


def _both(client, monkeypatch, method, path, **kwargs):
    lean = _answer(client, method, path, **kwargs)
    with monkeypatch.context() as m:
        _flask_only(m)
        full = _answer(client, method, path, **kwargs)
    return lean, full


REQUESTS = [
    ("GET", "/api/v4/users/me", True, {}),
    ("GET", "/api/v4/users/me", False, {}),                                   # 401
    ("GET", "/api/v4/users/" + "x" * 26, True, {}),                           # 404 from the handler
    ("GET", "/api/v4/users/bad-id!", True, {}),                               # 400
    ("GET", "/api/v4/no/such/route", True, {}),                               # 404 without a route
    ("DELETE", "/api/v4/system/ping", True, {}),                              # 405
    ("OPTIONS", "/api/v4/system/ping", False, {}),                            # Flask's automatic answer
    ("HEAD", "/api/v4/system/ping", False, {}),
    ("GET", "/api/v4/system/ping", False, {"headers": {"Host": "Example.COM:80"}}),
    ("GET", "/api/v4/system/ping?get_server_status=true", True, {}),
    ("POST", "/api/v4/users", False, {"data": b"{not json", "content_type": "application/json"}),
    ("PUT", "/api/v4/users/me/patch", True, {"json": {"nickname": 5}}),      # 400 from the body's schema
    ("GET", "/api/v4/websocket", False, {}),                                  # not an upgrade: 400
    ("GET", "/api/v4/users/me/", True, {}),
]


@pytest.mark.parametrize("method,path,signed_in,kwargs", REQUESTS, ids=["%s %s" % (r[0], r[1]) for r in REQUESTS])
def test_the_lean_path_answers_as_flask(app, admin, monkeypatch, method, path, signed_in, kwargs):
    assert app.lean()
    client = app.test_client()
    kwargs = dict(kwargs)
    if signed_in:
        kwargs["headers"] = {**kwargs.get("headers", {}), **auth(admin)}
    lean, full = _both(client, monkeypatch, method, path, **kwargs)
    assert lean == full


def _probe_app(app_factory):
    """An app with views that use what handlers may: flask.g, a raised
    exception, after_this_request, and a before_request answer."""
    application = app_factory()

    def uses_g():
        flask.g.seen = flask.request.args.get("v", "")
        return {"g": flask.g.seen, "endpoint": flask.request.endpoint}

    def raises():
        raise RuntimeError("a bug")

    def after():
        @flask.after_this_request
        def add_header(response):
            response.headers["X-After"] = "yes"
            return response
        return {"ok": True}

    for rule, view in (("/probe/g", uses_g), ("/probe/raises", raises), ("/probe/after", after)):
        application.add_url_rule(rule, view.__name__, view)
    return application


def test_views_see_flask_globals_and_hooks_work(app_factory, monkeypatch):
    application = _probe_app(app_factory)
    client = application.test_client()
    for method, path in (("GET", "/probe/g?v=7"), ("GET", "/probe/raises"), ("GET", "/probe/after")):
        lean, full = _both(client, monkeypatch, method, path)
        assert lean == full, path
    status, headers, body = _answer(client, "GET", "/probe/g?v=7")
    assert (status, body.strip()) == (200, b'{"g":"7","endpoint":"uses_g"}')
    status, headers, _ = _answer(client, "GET", "/probe/after")
    assert ("X-After", "yes") in headers
    status, _, body = _answer(client, "GET", "/probe/raises")
    assert status == 500 and b"a bug" not in body


def test_the_test_client_keeps_the_contexts(app):
    client = app.test_client()
    with client:
        client.get("/api/v4/system/ping?x=1")
        assert flask.request.path == "/api/v4/system/ping"
        assert flask.request.args["x"] == "1"
        assert flask.g.request_id
        assert flask.current_app._get_current_object() is app
    assert not flask.has_request_context()


def test_a_pushed_app_context_serves_the_request_as_in_flask(app_factory, monkeypatch):
    application = _probe_app(app_factory)
    client = application.test_client()
    for lean in (True, False):
        with monkeypatch.context() as m:
            if not lean:
                _flask_only(m)
            with application.app_context():
                outer = flask.g._get_current_object()
                assert client.get("/probe/g?v=%s" % lean).status_code == 200
                assert flask.g._get_current_object() is outer and outer.seen == str(lean)
            assert not flask.has_app_context()


def test_a_signal_receiver_sends_requests_through_flask(app_factory):
    application = app_factory()
    assert application.lean()
    seen = []

    def receiver(sender, **extra):
        seen.append(flask.request.path)

    signals.request_started.connect(receiver)     # (blinker forgets a receiver fully only when it listened to all)
    try:
        assert not application.lean()
        assert application.test_client().get("/api/v4/system/ping").status_code == 200
        assert seen == ["/api/v4/system/ping"]
    finally:
        signals.request_started.disconnect(receiver)
    assert application.lean()


def test_other_hooks_send_requests_through_flask(app_factory):
    application = app_factory()
    application.teardown_request(lambda exc: None)
    assert not application.lean()
    application = app_factory()
    application.after_request(lambda response: response)
    assert not application.lean()
    application = app_factory()
    application.secret_key = "s"
    assert not application.lean()


_ADAPTER_FIELDS = ("server_name", "script_name", "subdomain", "url_scheme", "path_info", "default_method", "query_args")


@pytest.mark.parametrize("kwargs", [
    {"path": "/api/v4/users/me", "query_string": "a=1&b=%C3%A9"},
    {"path": "/api/v4/users/%E2%9C%93", "headers": {"Host": "Example.COM:80"}},
    {"path": "/x", "base_url": "https://host.example:8443/root"},
    {"path": "/x", "base_url": "https://host.example:443"},
    {"path": "/api/v4/websocket", "headers": {"Connection": "keep-alive, Upgrade", "Upgrade": "websocket"}},
    {"path": "/api/v4/websocket", "base_url": "https://h",
     "headers": {"Connection": "upgrade", "Upgrade": "WebSocket"}},
    {"path": "/", "method": "POST", "headers": {"Host": "xn--bcher-kva.example"}},
])
def test_url_adapters_are_as_flasks(app, kwargs):
    environ = EnvironBuilder(**kwargs).get_environ()
    environ["wsgi.input"] = io.BytesIO()
    expected = flask.Flask.create_url_adapter(app, app.request_class(environ))
    for _ in range(2):     # the first builds and remembers the binding, the second uses it
        adapter = app.create_url_adapter(app.request_class(environ))
        assert [getattr(adapter, f) for f in _ADAPTER_FIELDS] == [getattr(expected, f) for f in _ADAPTER_FIELDS]
    environ.pop("PATH_INFO")
    environ.pop("QUERY_STRING", None)
    adapter = app.create_url_adapter(app.request_class(environ))
    assert (adapter.path_info, adapter.query_args) == ("/", None)


def test_remembered_bindings_stay_few(app):
    for n in range(200):
        environ = EnvironBuilder(path="/", headers={"Host": "h%d.example" % n}).get_environ()
        app.create_url_adapter(app.request_class(environ))
    assert len(app._bindings) <= 64
