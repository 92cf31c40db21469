"""Assembly of the WSGI application from the document.

create_app() loads api/openapi.json, routes every operation to its handler
(api.routing), opens the store, and makes every response look like
Mattermost's: errors in its JSON format, X-Request-Id and X-Version-Id on every
response, compact JSON with Content-Type exactly application/json.
"""
import json
import logging
import pathlib
import time

import flask
import werkzeug.exceptions
from connexion.exceptions import ProblemException

from api import auth, client_config, config as config_module
from api import errors, logs, metrics
from api.flask_app import MattermostConnexionApp
from api.ratelimit import LOGIN_MAX_BURST, LOGIN_PER_SEC, Limiter, key_for
from api.routing import CompactJSONProvider, MattermostApi, OperationResolver
from api.validation import VALIDATOR_MAP
from store import db as store_db
from store.ids import new_id

BUNDLE = pathlib.Path(__file__).resolve().parent / "openapi.json"
log = logging.getLogger("mattermost.app")


def load_document():
    with open(BUNDLE, encoding="utf-8") as f:
        return json.load(f)


def create_app(config=None, document=None):
    """Build the Flask app (connexion's, with the websocket beside it)."""
    config = config or config_module.load()
    store = store_db.init(config["SqlSettings"])
    from store import passwords
    passwords.set_work_factor(config["PythonSettings"].get("PasswordWorkFactor"))

    # connexion warns once per operation that accepts several media types, and
    # logs every query parameter a client sends that the document does not
    # name; Mattermost ignores those too, so neither is worth a log line.
    logging.getLogger("connexion.operations.openapi3").setLevel(logging.ERROR)
    logging.getLogger("connexion.operations.abstract").setLevel(logging.CRITICAL)
    cx = MattermostConnexionApp(__name__, specification_dir=str(BUNDLE.parent))
    cx.api_cls = MattermostApi
    app = cx.app
    app.json = CompactJSONProvider(app)
    # Every view, hook and error handler here is a plain function, so Flask
    # need not ask of each, on every request, whether it is a coroutine.
    app.ensure_sync = _as_is
    app.config["MM_CONFIG"] = config
    app.config["MM_STORE"] = store

    api = cx.add_api(
        document or load_document(),
        resolver=OperationResolver(),
        validator_map=VALIDATOR_MAP,
        pythonic_params=True,
        strict_validation=False,
        validate_responses=False,
        options={"swagger_ui": False, "serve_spec": True},
    )

    _register_errors(app)
    from ws import endpoint
    _register_request_checks(app, config, api.policies, endpoint.PATH)
    endpoint.register(app)
    metrics.register(app, config)   # /metrics, when MetricsSettings.Enable

    return app


def _as_is(function):
    return function


def _register_errors(app):
    # connexion registered its problem+json handlers; replace every one.
    for code in werkzeug.exceptions.default_exceptions:
        app.register_error_handler(code, errors.handle_exception)
    app.register_error_handler(ProblemException, errors.handle_exception)
    app.register_error_handler(errors.AppError, errors.handle_exception)
    app.register_error_handler(Exception, errors.handle_exception)


def _register_request_checks(app, config, policies, websocket_path):
    """What every routed request goes through before connexion sees it, in
    Mattermost's order: URL length, who is calling (api.auth), then the body's
    size, enforced on the bytes actually read (chunked bodies included)."""
    version_id = "%s.%s.%s.%s" % (config_module.VERSION, config_module.BUILD_NUMBER,
                                  client_config.config_hash(config), "false")
    service = config["ServiceSettings"]
    # Mattermost allows a JSON body a little over MaximumPayloadSizeBytes.
    max_json = int(service["MaximumPayloadSizeBytes"]) + 512
    max_upload = int(config["FileSettings"]["MaxFileSize"]) + 1024 * 1024  # room for multipart framing
    max_url = int(service["MaximumURLLength"])

    app.wsgi_app = MattermostHeaders(app.wsgi_app, version_id, _observer(config))
    limits = config["RateLimitSettings"]
    limiter = Limiter(limits["PerSec"], limits["MaxBurst"], limits["MemoryStoreSize"]) if limits["Enable"] else None
    python = config["PythonSettings"]
    login_per_sec = python.get("LoginRateLimitPerSec", LOGIN_PER_SEC)
    login_limiter = Limiter(login_per_sec, python.get("LoginRateLimitMaxBurst", LOGIN_MAX_BURST),
                            limits["MemoryStoreSize"])

    @app.before_request
    def check_request():
        request = flask.request._get_current_object()
        environ = request.environ
        flask.g.request_id = environ[REQUEST_ID_KEY]
        rule = request.url_rule
        policy = policies.get(rule.endpoint) if rule is not None else None
        environ[OPERATION_KEY] = policy.operation_id if policy is not None else _route_label(rule, websocket_path)
        environ[ROUTE_KEY] = rule.rule if rule is not None else ""
        if len(environ.get("PATH_INFO", "")) + len(environ.get("QUERY_STRING", "")) + 1 > max_url:
            raise errors.AppError(414, "basic_security_check.url.too_long_error", "The URL is longer than this server accepts.",
                                  "the limit is ServiceSettings.MaximumURLLength=%d" % max_url)
        if rule is None:
            return  # no route: the routing error answers
        if policy is not None:
            store_db.begin_memo()
            session = auth.authenticate(policy.auth)
            if session is not None:
                environ[USER_ID_KEY] = session.user_id
            if policy.upload:
                store_db.release()   # reading a large body holds no database connection
            if limiter is not None:
                _rate_limit(limiter, limits, request, session, limits["PerSec"])
            if policy.operation_id == "Login":
                _rate_limit(login_limiter, {**limits, "VaryByRemoteAddr": True}, request, session, login_per_sec)
            limit = max_upload if policy.upload else max_json
            # A raw upload body is left unread for the handler to stream to the file store.
            flask.g.stream_body = policy.upload and request.mimetype not in _PARSED_BODY_TYPES
        else:
            limit = max_json
            if rule.rule == websocket_path and rule.websocket:
                _check_websocket_handshake(environ)
        request.max_content_length = limit
        length = request.content_length
        if length is not None and length > limit:
            raise errors.body_too_large("%d bytes; the limit is %d" % (length, limit))


def _route_label(rule, websocket_path):
    """The metrics and access-log label of a request no operation answers: a
    fixed word, never the path (so the labels stay few)."""
    if rule is None:
        return metrics.UNROUTED
    if rule.rule == websocket_path:
        return metrics.WEBSOCKET
    if rule.rule == metrics.PATH:
        return metrics.METRICS
    return metrics.OTHER


def _observer(config):
    """observe(environ, seconds), called once each request is answered: the
    request metrics (when enabled) and the access line."""
    record = metrics.recorder(config)

    def observe(environ, seconds):
        operation_id = environ.get(OPERATION_KEY) or metrics.UNROUTED
        status = environ.get(STATUS_KEY)
        # No status: the app raised (gunicorn answers 500), or the websocket
        # ended after its upgrade (flask-sock ends it by raising StopIteration).
        status_code = int(status[:3]) if status else (101 if operation_id == metrics.WEBSOCKET else 500)
        if record is not None:
            record(operation_id, status_code, seconds)
        logs.access(environ.get("REQUEST_METHOD", ""), environ.get(ROUTE_KEY, ""), operation_id, status_code, seconds,
                    environ.get(USER_ID_KEY, ""), environ.get(REQUEST_ID_KEY, ""))

    return observe


_PARSED_BODY_TYPES = {"application/json", "application/x-www-form-urlencoded", "multipart/form-data", "text/plain", ""}


def _rate_limit(limiter, settings, request, session, per_sec):
    allowed, remaining, reset = limiter.take(key_for(settings, request, session.user_id if session else ""))
    headers = {"X-Ratelimit-Limit": str(per_sec), "X-Ratelimit-Remaining": str(remaining),
               "X-Ratelimit-Reset": str(reset)}
    if not allowed:
        response = flask.Response("limit exceeded", status=429, mimetype="text/plain", headers=headers)
        raise werkzeug.exceptions.HTTPException(response=response)
    request.environ[RATE_LIMIT_HEADERS_KEY] = list(headers.items())


def _check_websocket_handshake(environ):
    if not environ.get("HTTP_SEC_WEBSOCKET_KEY") or environ.get("HTTP_SEC_WEBSOCKET_VERSION") != "13":
        raise errors.AppError(400, "api.web_socket.connect.upgrade.app_error",
                              "The request could not be upgraded to a WebSocket.",
                              "the upgrade request lacks Sec-WebSocket-Key or Sec-WebSocket-Version: 13")


REQUEST_ID_KEY = "mattermost.request_id"
OPERATION_KEY = "mattermost.operation_id"   # the routed operationId, or a fixed label (_route_label)
USER_ID_KEY = "mattermost.user_id"
ROUTE_KEY = "mattermost.route"             # the route's template, e.g. /api/v4/users/<user_id>
STATUS_KEY = "mattermost.status"
RATE_LIMIT_HEADERS_KEY = "mattermost.rate_limit_headers"


class MattermostHeaders:
    """WSGI middleware around every request: the request id; the headers
    Mattermost puts on every response (X-Request-Id, X-Version-Id, nosniff,
    no-referrer, Expires: 0 on GET, and the rate limit's when it applies),
    whatever part of the app answered; and, once the app has answered, the
    request's database connection back to the pool, and the request's
    metrics and access line (observe). Doing this here costs a fraction of
    Flask's per-request hooks."""

    def __init__(self, app, version_id, observe=None):
        self.app = app
        self.observe = observe
        self.every_response = [("X-Version-Id", version_id), ("X-Content-Type-Options", "nosniff"),
                               ("Referrer-Policy", "no-referrer"), ("Permissions-Policy", "")]

    def __call__(self, environ, start_response):
        request_id = environ[REQUEST_ID_KEY] = new_id()
        logs.request_started(request_id)   # every line logged until the answer carries it
        started = time.perf_counter()
        extra = [("X-Request-Id", request_id)] + self.every_response
        if environ.get("REQUEST_METHOD") == "GET":
            extra.append(("Expires", "0"))

        def start(status, headers, exc_info=None):
            environ[STATUS_KEY] = status
            headers.extend(extra)
            limited = environ.get(RATE_LIMIT_HEADERS_KEY)
            if limited:
                headers.extend(limited)
            return start_response(status, headers, exc_info)

        try:
            return self.app(environ, start)
        finally:
            store_db.end_memo()
            store_db.release()  # each greenlet's connection goes back to the pool
            try:
                if self.observe is not None:
                    self.observe(environ, time.perf_counter() - started)
            finally:
                logs.request_finished()
