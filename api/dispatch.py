"""Calling a handler without connexion's per-request chain.

For every request connexion builds a request object, parses the URI's
parameters, validates them and the body, binds the handler's arguments and
wraps the result, in six nested decorators that work out again, on every
request, what the document already says: which parameters exist, their
types and defaults, which of them the handler takes. That chain was a
quarter of a small request's time in the app.

A Plan works all of that out once per operation, when the app is built, and
then does per request only what depends on the request: read the body, check
each parameter and the body (with the same validators: api.validation), bind
the arguments as connexion would (the same names, types, defaults and JSON
body), call the handler and answer (MattermostApi.get_response).

It covers operations whose parameters are scalars in the path or the query and
whose body, if any, is JSON only: all of the document's operations but those
taking uploads or forms, which keep connexion's chain (plan() returns None).
tests/test_dispatch.py holds both ways to the same arguments and the same
errors, operation by operation.
"""
import copy

import flask
from connexion.decorators.parameter import inspect_function_arguments, pythonic, snake_and_shadow
from connexion.utils import TYPE_MAP, is_json_mimetype, is_null, is_nullable

from api.routing import parse_json, read_body

_SCALARS = {"string", "integer", "number", "boolean"}
_BODY_METHODS = {"PATCH", "POST", "PUT"}
_NO_DEFAULT = object()
_PROBE = object()


def plannable(operation):
    """True when a Plan can stand in for connexion's chain."""
    for param in operation.parameters:
        schema = param.get("schema") or {}
        if param["in"] not in ("path", "query") or schema.get("type") not in _SCALARS:
            return False
        if "style" in param or "explode" in param or "content" in param:
            return False
    content = (operation.request_body or {}).get("content") or {}
    return all(is_json_mimetype(media_type) for media_type in content)


class _Param:
    __slots__ = ("definition", "name", "flask_name", "argument", "convert", "nullable", "default")

    def __init__(self, definition, arguments, has_kwargs):
        schema = definition.get("schema") or {}
        self.definition = definition
        self.name = definition["name"]
        self.flask_name = self.name.replace("-", "_")
        argument = pythonic(self.name)
        # connexion passes a path parameter whatever the handler takes, a query
        # parameter only when the handler takes it (or **kwargs); its keyword
        # is pythonic(name) put through snake_and_shadow once more.
        passed = definition["in"] == "path" or has_kwargs or argument in arguments
        self.argument = snake_and_shadow(argument) if passed else None
        self.convert = TYPE_MAP[schema["type"]]
        self.nullable = is_nullable(schema)
        self.default = schema.get("default", _NO_DEFAULT) if definition["in"] == "query" else _NO_DEFAULT

    def value(self, raw):
        if self.nullable and is_null(raw):
            return None
        return self.convert(raw)


class Plan:
    """One operation's handler call, worked out from the document once."""

    def __init__(self, operation, api):
        from api.validation import VALIDATOR_MAP
        self.operation, self.api = operation, api
        self.handler = operation._resolution.function
        self.mimetype = operation.get_mimetype()
        self.get_response = api.get_response
        arguments, has_kwargs = inspect_function_arguments(self.handler)
        self.path = [_Param(p, arguments, has_kwargs) for p in operation.parameters if p["in"] == "path"]
        self.query = [_Param(p, arguments, has_kwargs) for p in operation.parameters if p["in"] == "query"]
        self.parameter_validator = VALIDATOR_MAP["parameter"](
            operation.parameters, api, strict_validation=api.strict_validation) if operation.parameters else None
        self.body_validator = None
        if operation.body_schema:
            self.body_validator = VALIDATOR_MAP["body"](
                operation.body_schema, operation.consumes, api, is_nullable(operation.body_definition),
                strict_validation=api.strict_validation)
        # The body's keyword, found by asking connexion's own binding.
        self.body_argument = None
        if operation.method.upper() in _BODY_METHODS:
            probe = operation._get_body_argument(_PROBE, arguments, has_kwargs, pythonic)
            if probe:
                (name, _), = probe.items()
                self.body_argument = snake_and_shadow(name)
        self.body_nullable = is_nullable(operation.body_schema)
        self.body_default = operation.body_schema.get("default", {})

    def arguments(self, flask_request, path_params):
        """The handler's keyword arguments for this request, after checking its
        parameters and body (AppError when one is wrong)."""
        raw, _, _, _ = read_body(flask_request)
        data = parse_json(flask_request) if raw else None
        if self.body_validator is not None:    # the body first, as connexion's chain checks it
            self.body_validator.check_json(raw, data, flask_request.headers.get("Content-Type", ""))
        check = self.parameter_validator.check if self.parameter_validator is not None else None
        kwargs = {}
        for param in self.path:
            value = path_params.get(param.flask_name)
            check("path", param.definition, value)
            kwargs[param.argument] = param.value(value) if value is not None else None
        if self.query:
            args = flask_request.args
            for param in self.query:
                values = args.getlist(param.name)
                value = values[-1] if values else None     # connexion keeps the last of repeated ones
                check("query", param.definition, value)
                if param.argument is None:
                    continue
                if value is None:
                    if param.default is _NO_DEFAULT:
                        continue
                    value = copy.deepcopy(param.default)
                kwargs[param.argument] = param.value(value)
        if self.body_argument is not None:
            if self.body_nullable and is_null(data):
                data = None
            elif data is None:
                data = copy.deepcopy(self.body_default)
            kwargs[self.body_argument] = data
        return kwargs

    def __call__(self, **path_params):
        kwargs = self.arguments(flask.request._get_current_object(), path_params)
        return self.get_response(self.handler(**kwargs), self.mimetype)


def plan(operation, api):
    """The view function for an operation: a Plan, or None where connexion's
    chain must do it."""
    if not plannable(operation):
        return None
    view = Plan(operation, api)
    view.__name__ = operation._operation["operationId"]
    return view
