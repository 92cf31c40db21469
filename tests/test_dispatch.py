"""api.dispatch's Plans against connexion's chain, operation by operation.

Every operation the app routes through a Plan is called both ways on the same
requests (no parameters; each query parameter with a good value, a bad one
and repeated; JSON bodies good, wrong and absent), with the handler swapped
for one that reports its arguments. Both ways must give the handler the same
arguments, or fail with the same error.
"""
import functools
import json

import flask
import pytest

from api import dispatch
from api.errors import AppError
from conftest import auth

GOOD = {"string": "abc", "integer": "7", "number": "1.5", "boolean": "true"}
BAD = {"integer": "seven", "number": "x1", "boolean": "maybe"}
BODIES = [
    (b"", None),
    (b"{}", "application/json"),
    (b'{"id": "x", "name": 3}', "application/json"),
    (b"[]", "application/json"),
    (b"null", "application/json"),
    (b"not json", "application/json"),
    (b"not json", "text/plain"),
    (b"<x/>", "application/xml"),
    (b'{"a": 1}', "text/plain"),
]


class _Called(Exception):
    def __init__(self, kwargs):
        super().__init__("called")
        self.kwargs = kwargs


def _outcome(call):
    try:
        call()
    except _Called as called:
        return ("called", called.kwargs)
    except AppError as e:
        return ("error", e.status_code, e.id, e.detailed_error)
    raise AssertionError("the handler was not reached and nothing was raised")


def _requests(plan):
    """(query string, body, content type) to try on an operation."""
    params = [p.definition for p in plan.query]
    yield "", b"", None
    for param in params:
        kind = param["schema"]["type"]
        name = param["name"]
        yield "%s=%s" % (name, GOOD[kind]), b"", None
        yield "%s=%s&%s=%s" % (name, BAD.get(kind, "zz"), name, GOOD[kind]), b"", None
        if kind in BAD:
            yield "%s=%s" % (name, BAD[kind]), b"", None
        yield "%s=" % name, b"", None
        yield "%s=null" % name, b"", None
    if params:
        yield "&".join("%s=%s" % (p["name"], GOOD[p["schema"]["type"]]) for p in params) + "&unknown=1", b"", None
    if plan.body_validator is not None or plan.body_argument is not None:
        for body, content_type in BODIES:
            yield "", body, content_type


def _planned(app):
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if isinstance(view, dispatch.Plan):
            yield rule, view


def _url(rule):
    path = rule.rule
    for argument in rule.arguments:
        path = path.replace("<%s>" % argument, "abcdefghijklmnopqrstuvwxyz")
    return path


@pytest.fixture(scope="module", params=["sqlite"])
def store_kind(request):
    return request.param


def test_plans_bind_the_same_arguments_and_raise_the_same_errors_as_connexion(app):
    planned = list(_planned(app))
    assert len(planned) > 550, "most operations should be planned"
    compared = 0
    for rule, plan in planned:
        method = next(m for m in rule.methods if m not in ("HEAD", "OPTIONS"))
        operation = plan.operation
        handler = operation._resolution.function

        @functools.wraps(handler)
        def capture(**kwargs):
            raise _Called(kwargs)

        operation._resolution.function = capture
        try:
            chain = operation.function
        finally:
            operation._resolution.function = handler
        plan_capture = dispatch.Plan(operation, plan.api)
        plan_capture.handler = capture
        for query, body, content_type in _requests(plan):
            with app.test_request_context(_url(rule), method=method, query_string=query, data=body,
                                          content_type=content_type):
                path_params = dict(flask.request.view_args)
                ours = _outcome(lambda: plan_capture(**path_params))
            with app.test_request_context(_url(rule), method=method, query_string=query, data=body,
                                          content_type=content_type):
                theirs = _outcome(lambda: chain(**dict(flask.request.view_args)))
            assert ours == theirs, (operation.operation_id, method, query, body, content_type)
            compared += 1
    assert compared > 3000, compared


def test_upload_operations_keep_connexions_chain(app):
    views = {(rule.rule, tuple(sorted(rule.methods - {"HEAD", "OPTIONS"}))): app.view_functions[rule.endpoint]
             for rule in app.url_map.iter_rules()}
    assert not isinstance(views[("/api/v4/users/<user_id>/image", ("POST",))], dispatch.Plan)
    assert not isinstance(views[("/api/v4/uploads/<upload_id>", ("POST",))], dispatch.Plan)
    assert isinstance(views[("/api/v4/users/<user_id>/image", ("GET",))], dispatch.Plan)


def test_a_planned_operation_answers_through_the_app(app, admin):
    client = app.test_client()
    assert client.get("/api/v4/users?page=x").status_code == 401   # who calls is checked first
    r = client.get("/api/v4/users?page=x", headers=auth(admin))
    assert r.status_code == 400 and r.get_json()["id"] == "api.context.invalid_url_param.app_error"
    r = client.get("/api/v4/users?per_page=1&page=0", headers=auth(admin))
    assert r.status_code == 200 and len(r.get_json()) == 1
    r = client.put("/api/v4/users/%s/patch" % admin["user_id"], data="{", headers=auth(admin))
    assert r.status_code == 400 and r.get_json()["id"] == "api.context.invalid_body_param.app_error"
    r = client.put("/api/v4/users/%s/patch" % admin["user_id"], json={"nickname": "boss"}, headers=auth(admin))
    assert r.status_code == 200 and r.get_json()["nickname"] == "boss"
