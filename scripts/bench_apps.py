"""WSGI apps the benchmarks compare. gunicorn imports them by name:

    scripts.bench_apps:bare   plain Flask answering ping like the server does
    scripts.bench_apps:full   the whole application built from the document
"""
import flask


def _bare():
    app = flask.Flask("bare")

    @app.get("/api/v4/system/ping")
    def ping():
        return flask.jsonify({"ActiveSearchBackend": "database", "AndroidLatestVersion": "",
                              "AndroidMinVersion": "", "IosLatestVersion": "", "IosMinVersion": "",
                              "status": "OK"})

    return app


def __getattr__(name):
    if name == "bare":
        return _bare()
    if name == "full":
        from api.app import create_app
        return create_app()
    raise AttributeError(name)
