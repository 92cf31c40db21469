"""Structured logs, shaped by LogSettings.

Every line is one JSON object (LogSettings.ConsoleJson, true by default, as in
Mattermost) or, when it is false, plain text, with: timestamp (UTC, ISO 8601),
level (debug, info, warn, error, critical), msg, caller (file:line), logger,
the id of the request being served when the line was logged (the X-Request-Id
the response carries), and any fields passed as `extra=`.

Each request answered also gets one access line (logger mattermost.access, at
debug level as Mattermost logs its requests): method, url (the route's
template, never the raw path), operation_id, status_code, duration_ms,
user_id (when a session was found) and request_id. It shows when
LogSettings.ConsoleLevel (or FileLevel) is DEBUG.

The console writes to standard output; LogSettings.EnableFile adds
FileLocation/mattermost.log (FileLocation is a directory, as in Mattermost;
empty means ./logs). Under gunicorn the master configures logging once (the
workers inherit it), and gunicorn's own messages go through the same lines
(gunicorn_logger_class).
"""
import contextvars
import datetime
import json
import logging
import logging.config
import os

_request_id = contextvars.ContextVar("mattermost_request_id", default="")
access_log = logging.getLogger("mattermost.access")
ACCESS_LEVEL = logging.DEBUG

LEVELS = {"DEBUG": logging.DEBUG, "INFO": logging.INFO, "WARN": logging.WARNING, "WARNING": logging.WARNING,
          "ERROR": logging.ERROR, "CRITICAL": logging.CRITICAL, "FATAL": logging.CRITICAL,
          "PANIC": logging.CRITICAL}
_LEVEL_NAMES = {logging.DEBUG: "debug", logging.INFO: "info", logging.WARNING: "warn", logging.ERROR: "error",
                logging.CRITICAL: "critical"}

# Libraries whose debug output is every SQL statement or every validation
# step: kept at info whatever ConsoleLevel says, so that DEBUG shows ours.
QUIET_LIBRARIES = ("connexion", "peewee", "urllib3", "openapi_spec_validator", "PIL", "asyncio", "flask_sock",
                   "simple_websocket", "multipart")

_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "taskName"}


def level(name, default=logging.INFO):
    """A LogSettings level name (Mattermost's DEBUG, INFO, WARN, ERROR) as a logging level."""
    return LEVELS.get(str(name or "").strip().upper(), default)


def request_started(request_id):
    """Lines logged from here on, in this greenlet or thread, carry request_id."""
    _request_id.set(request_id)


def request_finished():
    _request_id.set("")


def current_request_id():
    return _request_id.get()


def access(method, route, operation_id, status_code, seconds, user_id, request_id):
    """The access line of a request (only built when it would be written)."""
    if access_log.isEnabledFor(ACCESS_LEVEL):
        access_log.log(ACCESS_LEVEL, "request served", extra={
            "method": method, "url": route, "operation_id": operation_id, "status_code": status_code,
            "duration_ms": round(seconds * 1000, 3), "user_id": user_id or "", "request_id": request_id})


def _caller(record):
    path = record.pathname or ""
    marker = path.rfind("site-packages" + os.sep)
    if marker >= 0:
        path = path[marker + len("site-packages") + 1:]   # a library: gunicorn/arbiter.py
    elif path.startswith(_ROOT):
        path = path[len(_ROOT):]                          # ours: api/app.py
    return "%s:%d" % (path, record.lineno)


class Formatter(logging.Formatter):
    """One line per record: JSON (json_lines=True) or plain text."""

    def __init__(self, json_lines=True):
        super().__init__()
        self.json_lines = json_lines

    def fields(self, record):
        timestamp = datetime.datetime.fromtimestamp(record.created, datetime.timezone.utc)
        fields = {
            "timestamp": timestamp.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (timestamp.microsecond // 1000),
            "level": _LEVEL_NAMES.get(record.levelno, record.levelname.lower()),
            "msg": record.getMessage(),
            "caller": _caller(record),
            "logger": record.name,
        }
        request_id = getattr(record, "request_id", None) or _request_id.get()
        if request_id:
            fields["request_id"] = request_id
        for key, value in record.__dict__.items():
            if key not in _STANDARD and key not in fields and not key.startswith("_"):
                fields[key] = value
        if record.exc_info:
            fields["error"] = self.formatException(record.exc_info)
        if record.stack_info:
            fields["stack"] = self.formatStack(record.stack_info)
        return fields

    def format(self, record):
        fields = self.fields(record)
        if self.json_lines:
            return json.dumps(fields, default=str, separators=(",", ":"), ensure_ascii=False)
        head = "%s %-5s %s" % (fields.pop("timestamp"), fields.pop("level"), fields.pop("msg"))
        error = fields.pop("error", None)
        stack = fields.pop("stack", None)
        text = head + "".join(" %s=%s" % (key, _plain(value)) for key, value in fields.items())
        for block in (error, stack):
            if block:
                text += "\n" + block
        return text


def _plain(value):
    text = value if isinstance(value, str) else json.dumps(value, default=str, ensure_ascii=False)
    return json.dumps(text, ensure_ascii=False) if (not text or any(c in text for c in ' "=\n')) else text


def logging_config(config):
    """A logging.config.dictConfig dictionary for LogSettings."""
    settings = config.get("LogSettings") or {}
    handlers = {}
    formatters = {}
    if settings.get("EnableConsole", True):
        formatters["console"] = {"()": Formatter, "json_lines": bool(settings.get("ConsoleJson", True))}
        handlers["console"] = {"class": "logging.StreamHandler", "stream": "ext://sys.stdout",
                               "formatter": "console", "level": level(settings.get("ConsoleLevel"))}
    if settings.get("EnableFile"):
        directory = settings.get("FileLocation") or "logs"
        os.makedirs(directory, exist_ok=True)
        formatters["file"] = {"()": Formatter, "json_lines": bool(settings.get("FileJson", True))}
        # Watched: a file moved away by logrotate is reopened.
        handlers["file"] = {"class": "logging.handlers.WatchedFileHandler",
                            "filename": os.path.join(directory, "mattermost.log"),
                            "formatter": "file", "level": level(settings.get("FileLevel"))}
    if not handlers:
        handlers["none"] = {"class": "logging.NullHandler"}
    lowest = min([h.get("level", logging.CRITICAL) for h in handlers.values()] + [logging.CRITICAL])
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": formatters,
        "handlers": handlers,
        "root": {"level": lowest, "handlers": list(handlers)},
        "loggers": {name: {"level": max(lowest, logging.INFO)} for name in QUIET_LIBRARIES},
    }


def configure(config):
    """Send every logger's lines through LogSettings' handlers (replacing the root's)."""
    logging.config.dictConfig(logging_config(config))


def gunicorn_logger_class(config):
    """A gunicorn logger class whose messages go through our lines, and that
    writes no access log of its own (the app writes one per request)."""
    from gunicorn import glogging

    class Logger(glogging.Logger):
        def setup(self, cfg):
            super().setup(cfg)
            for log in (self.error_log, self.access_log):
                for handler in list(log.handlers):
                    if getattr(handler, "_gunicorn", False):
                        log.removeHandler(handler)
            self.error_log.propagate = True    # to the root's handlers
            self.access_log.propagate = False
            configure(config)

        def access(self, resp, req, environ, request_time):
            pass

    return Logger
