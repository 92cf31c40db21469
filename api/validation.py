"""Request validation against the document, failing with Mattermost's errors.

Connexion's validators report problems as text; these raise AppError with
Mattermost's ids, naming the offending parameter or body field. They also
compile each parameter's JSON-schema validator once, where connexion's builds
a new one on every request.
"""
import functools

from connexion.decorators.validation import (ParameterValidator, RequestBodyValidator,
                                             TypeValidationError, coerce_type)
from connexion.utils import is_json_mimetype, is_null, is_nullable
from jsonschema import Draft4Validator, ValidationError, draft4_format_checker

from api import errors


def _body_field(exception):
    """The dotted path of the body field a jsonschema error is about."""
    path = list(exception.absolute_path)
    if exception.validator == "required":
        # "'x' is a required property": name the missing property itself.
        missing = exception.message.split("'")[1] if "'" in exception.message else ""
        path.append(missing)
    return ".".join(str(p) for p in path if p != "") or "body"


# A parameter schema of a plain type and nothing that constrains it: once
# coerce_type has converted the value (or refused it), nothing is left to check.
_PLAIN_TYPES = {"string", "integer", "number", "boolean"}
_NOT_CONSTRAINING = {"type", "description", "title", "example", "examples", "default", "deprecated"}
_UNCHECKED_FORMATS = {"int32", "int64", "float", "double"}   # jsonschema's format checker ignores these


def _plain(schema):
    keys = set(schema) - _NOT_CONSTRAINING
    if schema.get("format") in _UNCHECKED_FORMATS:
        keys.discard("format")
    return schema.get("type") in _PLAIN_TYPES and not keys


class MattermostParameterValidator(ParameterValidator):
    """Checks path, query, header and cookie parameters."""

    def __init__(self, parameters, api, strict_validation=False):
        super().__init__(parameters, api, strict_validation)
        self._compiled = {}

    def _validator(self, param):
        """The parameter's compiled validator, or False when its schema is plain."""
        key = id(param)
        validator = self._compiled.get(key)
        if validator is None:
            schema = dict(param.get("schema", param))
            schema.pop("required", None)
            validator = not _plain(schema) and Draft4Validator(schema, format_checker=draft4_format_checker)
            self._compiled[key] = validator
        return validator

    def check(self, location, param, value):
        """Check one parameter's value (None when absent) against its
        definition; AppError in Mattermost's format when it is wrong."""
        name = param["name"]
        if value is None:
            if param.get("required"):
                raise self._error(location, name, "missing %s parameter" % location)
            return
        if is_nullable(param) and is_null(value):
            return
        try:
            converted = coerce_type(param, value, location, name)
        except TypeValidationError as e:
            raise self._error(location, name, str(e))
        validator = self._validator(param)
        error = next(validator.iter_errors(converted), None) if validator else None
        if error is not None:
            raise self._error(location, name, error.message)

    @staticmethod
    def _error(location, name, detail):
        if location in ("path", "query"):
            return errors.invalid_url_param(name, detail)
        return errors.invalid_param(name, detail)

    def __call__(self, function):
        query = self.parameters.get("query", [])
        path = self.parameters.get("path", [])
        header = self.parameters.get("header", [])
        cookie = self.parameters.get("cookie", [])

        @functools.wraps(function)
        def wrapper(request):
            for param in path:
                self.check("path", param, request.path_params.get(param["name"].replace("-", "_")))
            for param in query:
                self.check("query", param, request.query.get(param["name"]))
            for param in header:
                self.check("header", param, request.headers.get(param["name"]))
            for param in cookie:
                self.check("cookie", param, request.cookies.get(param["name"]))
            return function(request)

        return wrapper


class MattermostRequestBodyValidator(RequestBodyValidator):
    """Checks a request body: JSON is parsed whatever the Content-Type says, as
    Mattermost's server does, and a body that is not JSON at all is refused."""

    def __call__(self, function):
        consumes_json = bool(self.consumes) and all(is_json_mimetype(c) for c in self.consumes)
        if not consumes_json:
            return self._wrap_form(function)

        @functools.wraps(function)
        def wrapper(request):
            self.check_json(request.body, request.json, request.headers.get("Content-Type", ""))
            return function(request)

        return wrapper

    def check_json(self, raw, data, content_type):
        """Check a JSON body: raw, the bytes; data, what they parse to (None
        when they are not JSON); content_type, the request's header."""
        if data is None and raw and raw.strip() and not self.is_null_value_valid:
            try:
                declared_json = is_json_mimetype(content_type) if content_type else True
            except ValueError:
                declared_json = False
            if declared_json or content_type.startswith(("text/plain", "application/x-www-form-urlencoded")):
                raise errors.invalid_body_param("body", "the request body is not valid JSON")
            raise errors.AppError(415, "api.context.invalid_body_param.app_error",
                                  "The request body has an unsupported content type.",
                                  "Content-Type %s; expected application/json" % content_type)
        if data is not None or not self.has_default:
            self.validate_schema(data, None)

    def _wrap_form(self, function):
        inner = super().__call__(function)
        takes_json = any(is_json_mimetype(c) for c in self.consumes or ())

        @functools.wraps(function)
        def wrapper(request):
            # connexion's form validator fails on a JSON body (it expects a form)
            content_type = (request.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            json_body = content_type == "application/json" or content_type.endswith("+json")
            if request.body and json_body and not takes_json:
                raise errors.AppError(415, "api.context.invalid_body_param.app_error",
                                      "The request body has an unsupported content type.",
                                      "Content-Type %s; expected a form" % content_type)
            if request.context.get("raw_body_stream") or (request.body and not request.form and not request.files):
                return function(request)   # a raw upload body: there is no form to check
            try:
                return inner(request)
            except errors.AppError:
                raise
            except Exception as e:  # connexion's problems for form bodies
                from connexion.exceptions import ProblemException
                if isinstance(e, ProblemException) and (e.status or 400) == 400:
                    raise errors.invalid_body_param("body", str(e.detail or ""))
                raise

        return wrapper

    def validate_schema(self, data, url):
        if self.is_null_value_valid and is_null(data):
            return None
        try:
            self.validator.validate(data)
        except ValidationError as exception:
            raise errors.invalid_body_param(_body_field(exception), exception.message)
        return None


VALIDATOR_MAP = {
    "parameter": MattermostParameterValidator,
    "body": MattermostRequestBodyValidator,
}
