"""How the document becomes routes: operationId -> handlers/<tag>.py:<function>.

An operation's handler module is named after its first tag (lower-case, spaces
and dashes as underscores: "access control" -> handlers/access_control.py) and
its function after its operationId in snake case (GetUsersByIds ->
get_users_by_ids). The resolver imports the function when the app is built, so
an operation without a handler stops the server at start, never at request
time. scripts/scaffold_handlers.py writes a stub for each one missing.
"""
import functools
import importlib
import json
import re

import flask
from flask.globals import request_ctx
from werkzeug.datastructures import ImmutableMultiDict
from connexion.apis import flask_utils
from connexion.apis.flask_api import FlaskApi
from connexion.apps.flask_app import FlaskJSONProvider
from connexion.decorators import parameter as connexion_parameter
from connexion.exceptions import ResolverError
from connexion.jsonifier import Jsonifier
from connexion.lifecycle import ConnexionRequest
from connexion.operations import OpenAPIOperation
from connexion.resolver import Resolver

from api import auth, errors
from api.responses import Response

HANDLER_PACKAGE = "handlers"

# connexion turns every parameter name into a Python name on every request,
# with regular expressions (a tenth of a small request's time); the answer
# depends on the name alone, so each is worked out once.
for _name in ("snake_and_shadow", "sanitized"):
    _convert = getattr(connexion_parameter, _name)
    if not hasattr(_convert, "cache_info"):
        setattr(connexion_parameter, _name, functools.lru_cache(maxsize=4096)(_convert))


def module_name(tag):
    """The handler module of a tag: 'access control' -> 'access_control'."""
    return re.sub(r"[^a-z0-9]+", "_", tag.lower()).strip("_")


# Words whose capitals do not start new words.
_WORDS = (("OAuth", "Oauth"), ("DMs", "Dms"), ("IDs", "Ids"))


def function_name(operation_id):
    """The handler function of an operationId: 'GetCELVisualAST' -> 'get_cel_visual_ast'.

    Two operationIds that differ only in case (submitPerformanceReport, the old
    path's, and SubmitPerformanceReport) share one handler.
    """
    for word, replacement in _WORDS:
        operation_id = operation_id.replace(word, replacement)
    s = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", operation_id)
    s = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", s)
    return re.sub(r"[^a-z0-9]+", "_", s.lower()).strip("_")


def handler_target(operation):
    """(module, function) for an operation object of the document."""
    tags = operation.get("tags") or ["default"]
    return module_name(tags[0]), function_name(operation["operationId"])


class OperationResolver(Resolver):
    """Resolves each operation to handlers.<module>.<function>."""

    def __init__(self):
        super().__init__(function_resolver=self._import)
        self._modules = {}

    def resolve_operation_id(self, operation):
        module, function = handler_target(operation._operation)
        return "%s.%s.%s" % (HANDLER_PACKAGE, module, function)

    def _import(self, dotted):
        module_path, _, function = dotted.rpartition(".")
        module = self._modules.get(module_path)
        if module is None:
            module = importlib.import_module(module_path)
            self._modules[module_path] = module
        try:
            return getattr(module, function)
        except AttributeError:
            raise ResolverError("%s has no function %s (run scripts/scaffold_handlers.py)"
                                % (module_path, function))


_encoder = json.JSONEncoder(separators=(",", ":"), ensure_ascii=True, default=FlaskJSONProvider.default)


def compact_json(obj):
    """JSON as Mattermost writes it: no spaces, no indentation, keys as given."""
    return _encoder.encode(obj)


class CompactJSONProvider(FlaskJSONProvider):
    """Flask's JSON (jsonify, errors) written the same compact way."""

    sort_keys = False

    def dumps(self, obj, **kwargs):
        if not kwargs:
            return _encoder.encode(obj)
        kwargs.setdefault("separators", (",", ":"))
        kwargs.pop("indent", None)
        return super().dumps(obj, **kwargs)


class _CompactJsonifier(Jsonifier):
    def dumps(self, data, **kwargs):
        return self.json.dumps(data, **kwargs)


class MattermostOperation(OpenAPIOperation):
    """An operation whose security connexion leaves alone: api.auth checks it,
    Mattermost's way, before the request body is read (see EndpointPolicy)."""

    @property
    def security_decorator(self):
        return self._api.security_handler_factory.security_passthrough


# Request bodies other than these are uploads, bounded by FileSettings.MaxFileSize
# rather than ServiceSettings.MaximumPayloadSizeBytes.
_SMALL_BODY_TYPES = {"application/json", "application/x-www-form-urlencoded", "text/plain"}


class EndpointPolicy:
    """What the app checks before a routed request reaches connexion: who may
    call (api.auth kind) and how large a body it accepts."""

    __slots__ = ("operation_id", "auth", "upload")

    def __init__(self, operation_id, auth_kind, upload):
        self.operation_id = operation_id
        self.auth = auth_kind
        self.upload = upload


class MattermostApi(FlaskApi):
    """connexion's Flask API with Mattermost's authentication, compact JSON, and
    request bodies read as JSON whatever their Content-Type."""

    @classmethod
    def _set_jsonifier(cls):
        cls.jsonifier = _CompactJsonifier(flask.json)

    def add_operation(self, path, method):
        operation = MattermostOperation.from_spec(
            self.specification,
            self,
            path,
            method,
            self.resolver,
            validate_responses=self.validate_responses,
            validator_map=self.validator_map,
            strict_validation=self.strict_validation,
            pythonic_params=self.pythonic_params,
            uri_parser_class=self.options.uri_parser_class,
            pass_context_arg_name=self.pass_context_arg_name,
        )
        # As connexion's _add_operation_internal, with a Plan as the view where one can be made.
        from api import dispatch
        view = dispatch.plan(operation, self) or operation.function
        self.blueprint.add_url_rule(flask_utils.flaskify_path(path, operation.get_path_parameter_types()),
                                    flask_utils.flaskify_endpoint(operation.operation_id, operation.randomize_endpoint),
                                    view, methods=[method])
        body_types = set(((operation._operation.get("requestBody") or {}).get("content") or {}))
        endpoint = "%s.%s" % (self.blueprint.name, flask_utils.flaskify_endpoint(operation.operation_id))
        self.__dict__.setdefault("policies", {})[endpoint] = EndpointPolicy(
            operation._operation["operationId"], auth.requirement(operation.security),
            bool(body_types - _SMALL_BODY_TYPES))

    @classmethod
    def get_response(cls, response, mimetype=None, request=None):
        """A handler's result as a Flask response.

        Handlers return a body, (body, status) or (body, status, headers); a
        dict or list body is JSON. Those are built here directly; anything else
        (a Flask response, bytes) goes through connexion's general path.
        """
        body, status, headers = response, 200, None
        if isinstance(response, tuple):
            body = response[0]
            if len(response) > 1:
                if isinstance(response[1], dict):
                    headers = response[1]
                else:
                    status = response[1]
                    headers = response[2] if len(response) > 2 else None
        if isinstance(body, (dict, list)) and (mimetype is None or mimetype == "application/json"):
            return Response(compact_json(body), status=status, headers=headers, mimetype="application/json")
        return cls._get_response(response, mimetype=mimetype, extra_context={"url": flask.request.path})

    @classmethod
    def get_request(cls, *args, **params):
        """connexion's request, built from only what the request carries.

        The body is read once and kept (Mattermost reads JSON even when a client
        labels it as a form, as curl -d does); forms, files and cookies are
        parsed only when present; the URL is the path (connexion uses it only
        in log lines). This is most of connexion's per-request cost otherwise.
        """
        flask_request = flask.request._get_current_object()
        body, form, files, context = read_body(flask_request)
        setattr(request_ctx, "connexion_context", context)
        return ConnexionRequest(
            flask_request.path,
            flask_request.method,
            headers=flask_request.headers,
            form=form,
            query=flask_request.args,
            body=body,
            json_getter=(lambda: parse_json(flask_request)) if body else _no_json,
            files=files,
            path_params=params,
            context=context,
            cookies=flask_request.cookies if "HTTP_COOKIE" in flask_request.environ else _EMPTY,
        )


_EMPTY = ImmutableMultiDict()


def read_body(flask_request):
    """(body bytes, form, files, context) of a request, each read only when
    the request has it: a multipart body is parsed into form and files, an
    upload left to be streamed (context["raw_body_stream"]), anything else
    read whole and kept (a urlencoded one parsed as a form as well)."""
    context = {}
    environ = flask_request.environ
    has_body = environ.get("CONTENT_LENGTH", "") not in ("", "0") or "HTTP_TRANSFER_ENCODING" in environ
    body = b""
    form = files = _EMPTY
    if has_body:
        mimetype = flask_request.mimetype
        if mimetype == "multipart/form-data":
            form, files = flask_request.form, flask_request.files
        elif flask.g.get("stream_body"):
            context["raw_body_stream"] = True  # the handler reads flask.request.stream
        else:
            body = flask_request.get_data(cache=True)
            limit = flask_request.max_content_length
            if limit is not None and flask_request.content_length is None and len(body) >= limit:
                # Werkzeug stops a body of unknown length at the limit without saying so.
                raise errors.body_too_large("a body of unknown length reached %d bytes" % limit)
            if mimetype == "application/x-www-form-urlencoded":
                form = flask_request.form
    return body, form, files, context


def _no_json():
    return None


def parse_json(flask_request):
    """The body as JSON whatever its Content-Type; None when it is not JSON
    (including JSON nested too deeply to parse)."""
    try:
        return flask_request.get_json(force=True, silent=True)
    except RecursionError:
        return None
