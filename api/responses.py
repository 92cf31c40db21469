"""The response class of the JSON answers and of pictures.

Not the app's response_class: Flask would turn every other response into
it (flask-sock's websocket answer among them, whose own __call__ must run).
"""
import flask


class Response(flask.Response):
    """The response of the JSON answers (api.routing's and api.errors') and
    of profile pictures.
    Nearly every one is one piece of bytes with its Content-Length already
    set (set_data does it), and no Location header: for those, what Werkzeug does when the server calls the
    response (copy the headers, look for Location and Content-Length, wrap
    the body in an iterator that calls close) changes nothing, so the status,
    the headers and the body go out as they are. Any other answer (HEAD,
    1xx/204/304, a redirect, a stream or a file, a close callback, no
    Content-Length) is Werkzeug's as before; tests/test_routing.py compares
    the two."""

    def __call__(self, environ, start_response):
        body = self.response
        status = self.status_code
        if (type(body) is list and len(body) == 1 and type(body[0]) is bytes and not self.direct_passthrough
                and 200 <= status != 204 and status != 304 and not self._on_close
                and environ["REQUEST_METHOD"] != "HEAD"):
            headers = self.headers.to_wsgi_list()
            for name, _ in headers:
                if name.lower() in ("location", "content-location"):
                    break
            else:
                if self.headers.get("Content-Length") is not None:
                    start_response(self.status, headers)
                    return body
        return super().__call__(environ, start_response)
