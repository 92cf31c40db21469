"""The gunicorn worker class: gevent's, closing the websockets when told to stop.

Gunicorn stops a worker (SIGTERM at shutdown, or when SIGHUP replaces the
workers) by refusing new connections and waiting up to the graceful timeout for
the open ones to finish. Websockets never finish by themselves, so without
this every restart would wait out the whole timeout and then cut them. Here
they are closed at once with 1001 (going away), and clients reconnect to a
live worker; the requests in flight still complete.
"""
import gevent
from gunicorn.workers.ggevent import GeventWorker


def close_websockets():
    """Close every websocket of this process, as going away (not resumable:
    the process that kept their missed events is ending)."""
    from ws import pg_bus
    return pg_bus.resync_all(code=1001, reason="server restarting", announce=False)


class Worker(GeventWorker):
    def handle_exit(self, sig, frame):
        super().handle_exit(sig, frame)
        gevent.spawn(close_websockets)   # out of the signal handler
