"""The Flask application class: Flask's request handling without the parts
this app does not use.

For every request Flask builds and pushes an application context and a
request context, opens a session, sends seven signals, walks the
blueprints' hooks four times, runs the teardown functions and pops both
contexts, though this app has no session secret, no signal receivers, one
before_request hook and no after_request, teardown or URL value hooks.

MattermostFlask.wsgi_app does what Flask's does for such an app: the same
request object, URL match, hooks, error handlers and response, with
flask.request, flask.g and flask.current_app as usual, and the contexts
handed to the test client when it asks to keep them (after_this_request
works too). Whenever the app uses anything more (a session secret or
another session interface, a signal receiver, another kind of hook, a
blueprint's hook), requests go through Flask's own wsgi_app.
tests/test_flask_app.py compares both ways.
"""
import connexion
import flask
from connexion.apps.flask_app import FlaskJSONProvider, IntegerConverter, NumberConverter
from flask import signals
from flask.globals import _cv_app, _cv_request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.routing import MapAdapter

_SIGNALS = (signals.request_started, signals.request_finished, signals.request_tearing_down,
            signals.got_request_exception, signals.appcontext_pushed, signals.appcontext_popped,
            signals.appcontext_tearing_down)
_PRESERVE = "werkzeug.debug.preserve_context"
# What Werkzeug's bind_to_environ reads besides the path, method and query.
_BINDING_KEYS = ("HTTP_HOST", "SERVER_NAME", "SERVER_PORT", "wsgi.url_scheme", "HTTP_CONNECTION", "HTTP_UPGRADE",
                 "SCRIPT_NAME")
_MAX_BINDINGS = 64


class MattermostFlask(flask.Flask):

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._bindings = {}

    def lean(self):
        """True when Flask's request handling would do nothing more for this
        app than wsgi_app's own path does."""
        return (not self.secret_key
                and not any(signal.receivers for signal in _SIGNALS)
                and not self.url_value_preprocessors
                and not self.after_request_funcs
                and not self.teardown_request_funcs
                and not self.teardown_appcontext_funcs
                and all(name is None for name in self.before_request_funcs)
                and type(self.session_interface) is SecureCookieSessionInterface)

    def create_url_adapter(self, request):
        """Flask's adapter for the request, with the part worked out from the
        host, scheme and script name (bind_to_environ: a third of the URL
        work) remembered per distinct set of those."""
        config = self.config
        if (request is None or config["TRUSTED_HOSTS"] is not None or config["SERVER_NAME"] is not None
                or self.url_map.host_matching or self.subdomain_matching):
            return super().create_url_adapter(request)
        environ = request.environ
        key = tuple(map(environ.get, _BINDING_KEYS))
        binding = self._bindings.get(key)
        if binding is None:
            adapter = super().create_url_adapter(request)
            if len(self._bindings) >= _MAX_BINDINGS:
                self._bindings.clear()   # hosts are what clients say: keep few
            self._bindings[key] = (adapter.server_name, adapter.script_name, adapter.subdomain, adapter.url_scheme)
            return adapter
        path_info = environ.get("PATH_INFO")
        query = environ.get("QUERY_STRING")
        return MapAdapter(self.url_map, *binding,
                          _wsgi_string(path_info) if path_info is not None else "/",
                          environ["REQUEST_METHOD"], _wsgi_string(query) if query is not None else None)

    def wsgi_app(self, environ, start_response):
        if not self.lean():
            return super().wsgi_app(environ, start_response)
        ctx = self.request_context(environ)
        request = ctx.request
        app_ctx = _cv_app.get(None)
        if app_ctx is None or app_ctx.app is not self:    # as RequestContext.push: one already pushed serves
            app_ctx = self.app_context()
            app_token = _cv_app.set(app_ctx)
        else:
            app_token = None
        request_token = _cv_request.set(ctx)
        try:
            try:
                ctx._session = self.session_interface.make_null_session(self)
                if ctx.url_adapter is not None:
                    ctx.match_request()
                response = self._dispatch(ctx)
            except Exception as e:
                response = self.handle_exception(e)
            return response(environ, start_response)
        finally:
            preserve = environ.get(_PRESERVE)
            if preserve is not None:     # the test client pushes both again, and pops them
                preserve(app_ctx)
                preserve(ctx)
            try:
                request.close()
            finally:
                _cv_request.reset(request_token)
                environ["werkzeug.request"] = None
                if app_token is not None:
                    _cv_app.reset(app_token)

    def _dispatch(self, ctx):
        """full_dispatch_request with the hooks this app has: the app's
        before_request functions, then the view; after_this_request
        functions, if a view added some."""
        self._got_first_request = True
        try:
            rv = None
            for before in self.before_request_funcs.get(None, ()):
                rv = self.ensure_sync(before)()
                if rv is not None:
                    break
            if rv is None:
                rv = self.dispatch_request()
        except Exception as e:
            rv = self.handle_user_exception(e)
        response = self.make_response(rv)
        for after in ctx._after_request_functions:
            response = self.ensure_sync(after)(response)
        return response


def _wsgi_string(value):
    """A WSGI string (bytes as Latin-1) as text, as Werkzeug decodes it."""
    return value.encode("latin1").decode(errors="replace")


class MattermostConnexionApp(connexion.FlaskApp):
    """connexion's Flask app, built as a MattermostFlask."""

    def create_app(self):
        app = MattermostFlask(self.import_name, **self.server_args)
        app.json = FlaskJSONProvider(app)
        app.url_map.converters["float"] = NumberConverter
        app.url_map.converters["int"] = IntegerConverter
        return app
