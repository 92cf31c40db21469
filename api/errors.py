"""The one error type, and how every failure becomes Mattermost's error JSON.

Handlers raise AppError; so does the request pipeline (validation,
authentication, routing). Whatever else escapes a request (a werkzeug HTTP
exception, a connexion problem, a bug) is turned into an AppError here, so a
client only ever sees {"id", "message", "detailed_error", "request_id",
"status_code"}.
"""
import logging

import flask
import werkzeug.exceptions
from connexion.exceptions import ProblemException

from api.responses import Response

log = logging.getLogger("mattermost.errors")


class AppError(Exception):
    """An error a client sees, in Mattermost's shape.

    id is Mattermost's translation id (``api.context.invalid_url_param.app_error``),
    message its English text, detailed_error extra detail for the developer (never
    internals such as SQL or tracebacks), status_code the HTTP status.
    """

    def __init__(self, status_code, error_id, message, detailed_error="", public_detail=False):
        super().__init__(message)
        self.status_code = status_code
        self.id = error_id
        self.message = message
        self.detailed_error = detailed_error
        # Mattermost sends detailed_error only with ServiceSettings.EnableDeveloper;
        # a few errors (the unknown-URL 404) always carry theirs.
        self.public_detail = public_detail

    def to_dict(self, request_id="", developer=False):
        return {
            "id": self.id,
            "message": self.message,
            "detailed_error": self.detailed_error if developer or self.public_detail else "",
            "request_id": request_id,
            "status_code": self.status_code,
        }

    def __repr__(self):
        return "AppError(%d, %r, %r)" % (self.status_code, self.id, self.detailed_error)


# Constructors for the errors every layer raises, with Mattermost's ids and texts.

def invalid_url_param(name, detail=""):
    return AppError(400, "api.context.invalid_url_param.app_error",
                    "The %s parameter in the URL is missing or invalid." % name, detail)


def invalid_body_param(name, detail=""):
    return AppError(400, "api.context.invalid_body_param.app_error",
                    "The %s in the request body is missing or invalid." % name, detail)


def invalid_param(name, detail=""):
    return AppError(400, "api.context.invalid_param.app_error",
                    "The %s parameter is invalid." % name, detail)


def session_expired(detail=""):
    return AppError(401, "api.context.session_expired.app_error",
                    "The session is missing, expired or revoked; log in again.", detail)


def permission_denied(permissions=()):
    detail = ""
    if permissions:
        detail = "userId=%s, permission=%s" % (_current_user_id(), ",".join(permissions))
    return AppError(403, "api.context.permissions.app_error",
                    "The session lacks the permission this needs.", detail)


def not_found(detail=""):
    return AppError(404, "api.context.404.app_error", "Nothing exists at this address.", detail)


def unknown_url(path):
    """The 404 for a path no operation has, with Mattermost's hint."""
    return AppError(404, "api.context.404.app_error", "Nothing exists at this address.",
                    "No API operation matches the URL '%s'; check the path "
                    "and the ids in it." % path, public_detail=True)


def body_too_large(detail=""):
    return AppError(413, "api.context.request_body_too_large.app_error",
                    "The request body is larger than this server accepts.", detail)


def not_implemented(operation_id):
    return AppError(501, "api.context.not_implemented.app_error",
                    "This feature is not implemented on this server yet.",
                    "operation=%s" % operation_id)


def _current_user_id():
    session = flask.g.get("session")
    return getattr(session, "user_id", "") if session else ""


# What werkzeug's HTTP errors become. Mattermost answers a wrong method with its
# 404; this server says 405 (see api/DIFFERENCES.md).
_HTTP_ERRORS = {
    405: ("api.context.method_not_allowed.app_error", "The method is not allowed for this URL."),
    413: ("api.context.request_body_too_large.app_error", "The request body is larger than this server accepts."),
    414: ("basic_security_check.url.too_long_error", "The URL is longer than this server accepts."),
    415: ("api.context.invalid_body_param.app_error", "The request body has an unsupported content type."),
}


def from_exception(exc):
    """Turn any exception raised while serving a request into an AppError."""
    if isinstance(exc, AppError):
        return exc
    if isinstance(exc, ProblemException):
        # Connexion's own validation problems: our validators raise AppError
        # instead, so these are the few connexion raises itself.
        status = exc.status or 400
        if status == 415:
            return AppError(415, "api.context.invalid_body_param.app_error",
                            "The request body has an unsupported content type.", exc.detail or "")
        if status == 400:
            return invalid_body_param("body", str(exc.detail or exc.title or ""))
        if status == 401:
            return session_expired()
        if status == 403:
            return permission_denied()
        return AppError(status, "api.context.app_error", exc.title or "Request failed.", str(exc.detail or ""))
    if isinstance(exc, werkzeug.exceptions.HTTPException):
        code = exc.code or 500
        if code >= 500:
            return internal_error()
        if code == 404:
            return unknown_url(flask.request.path)
        error_id, message = _HTTP_ERRORS.get(
            code, ("api.context.http_%d.app_error" % code, exc.name or "Request failed."))
        error = AppError(code, error_id, message)
        if code == 405:
            error.allowed_methods = getattr(exc, "valid_methods", None)
        return error
    log.error("unhandled error serving %s %s (request_id=%s)",
              flask.request.method, flask.request.path, flask.g.get("request_id", ""), exc_info=exc)
    return internal_error()


def internal_error():
    return AppError(500, "api.context.internal_error.app_error",
                    "An internal error happened on the server. It has been logged.")


def response_for(error):
    """The Flask response that carries an AppError, logged as Mattermost logs it:
    client errors at debug, 501 at info, the rest as errors."""
    request_id = flask.g.get("request_id", "")
    config = flask.current_app.config.get("MM_CONFIG")
    developer = bool(config and config["ServiceSettings"]["EnableDeveloper"])
    level = logging.DEBUG if error.status_code < 500 else logging.INFO if error.status_code == 501 else logging.ERROR
    log.log(level, "%s %s -> %d %s %s (request_id=%s)", flask.request.method, flask.request.path,
            error.status_code, error.id, error.detailed_error, request_id)
    body = flask.json.dumps(error.to_dict(request_id, developer))
    response = Response(body, status=error.status_code, mimetype="application/json")
    if flask.g.get("clear_session_cookie"):
        from api import sessions
        sessions.clear_cookie(response)
    if error.status_code == 405:
        allowed = getattr(error, "allowed_methods", None)
        if allowed:
            response.headers["Allow"] = ", ".join(sorted(allowed))
    return response


def handle_exception(exc):
    """Flask error handler for every exception."""
    if isinstance(exc, werkzeug.exceptions.HTTPException) and exc.response is not None:
        return exc.response  # a complete answer (the rate limiter's 429)
    return response_for(from_exception(exc))
