"""Prometheus metrics, served at /metrics when MetricsSettings.Enable is true.

What is measured, with the names Mattermost's own exporter uses where the
meaning is the same:

- mattermost_http_requests_total{operation_id, status_code}: requests answered.
  operation_id is the operationId the request was routed to (api/openapi.json),
  or one of the few fixed labels below: never a raw path, so the number of
  series stays bounded whatever clients send.
- mattermost_api_time{operation_id}: a histogram of the seconds taken to answer
  (websocket upgrades are counted, not timed: their time is the connection's).
- mattermost_http_websockets_total: the open websockets.
- mattermost_db_master_connections_total, mattermost_db_connections_in_use,
  mattermost_db_max_connections: the database pool (open, in use, maximum).
- process metrics (memory, CPU, open files).

Under gunicorn each worker is a process of its own: the master sets
PROMETHEUS_MULTIPROC_DIR to a fresh directory before the workers start
(api.server_hooks), each worker writes its values there, and a scrape, whichever
worker answers it, reads them all: counters and histograms are summed over every
worker that ever ran, gauges over the live ones (a worker's gauges are dropped
when it exits), and process metrics are given per worker (label pid). Gauges are
read from the hub and the pool by each worker every SAMPLE_SECONDS, and by the
answering worker at the scrape. Without the variable (tests, a single process)
the default registry is served, with prometheus_client's process collector.

Nothing here imports prometheus_client at import time: its storage is chosen
when it is first imported, which must happen after the master has set the
directory.
"""
import os
import threading
import time

PATH = "/metrics"
MULTIPROCESS_ENV = "PROMETHEUS_MULTIPROC_DIR"
SAMPLE_SECONDS = 1.0

UNROUTED = "unrouted"     # no route matched (404, 405)
WEBSOCKET = "websocket"   # the websocket upgrade, /api/v4/websocket
METRICS = "metrics"       # this endpoint
OTHER = "other"           # any other route outside the document (the served spec)

_PROCESS_GAUGES = {
    "process_resident_memory_bytes": "Resident memory size in bytes.",
    "process_virtual_memory_bytes": "Virtual memory size in bytes.",
    "process_cpu_seconds_total": "Total user and system CPU time spent in seconds.",
    "process_open_fds": "Number of open file descriptors.",
    "process_start_time_seconds": "Start time of the process since unix epoch in seconds.",
}


def enabled(config):
    return bool((config.get("MetricsSettings") or {}).get("Enable"))


def multiprocess_directory():
    return os.environ.get(MULTIPROCESS_ENV) or ""


class _Metrics:
    """This process's metric objects (created once: the default registry
    refuses a second metric of the same name)."""

    def __init__(self):
        from prometheus_client import Counter, Gauge, Histogram, disable_created_metrics
        from prometheus_client.process_collector import ProcessCollector

        disable_created_metrics()   # no *_created series (Mattermost's exporter has none)

        self.multiprocess = bool(multiprocess_directory())
        self.requests = Counter("mattermost_http_requests_total", "Requests answered, by operationId and status.",
                                ["operation_id", "status_code"])
        self.time = Histogram("mattermost_api_time", "Seconds taken to answer a request, by operationId.",
                              ["operation_id"])
        self.websockets = Gauge("mattermost_http_websockets_total", "Open websocket connections.",
                                multiprocess_mode="livesum")
        self.db_open = Gauge("mattermost_db_master_connections_total",
                             "Database connections open in the pool (in use or idle).", multiprocess_mode="livesum")
        self.db_in_use = Gauge("mattermost_db_connections_in_use",
                               "Database connections of the pool in use by a request.", multiprocess_mode="livesum")
        self.db_max = Gauge("mattermost_db_max_connections",
                            "The most connections the pool may open (SqlSettings.MaxOpenConns per worker).",
                            multiprocess_mode="livesum")
        self.process = None
        self.process_gauges = {}
        if self.multiprocess:
            # The default registry's process collector describes the answering
            # worker only; each worker records its own, labelled by pid.
            self.process = ProcessCollector(registry=None)
            self.process_gauges = {name: Gauge(name, help_text, registry=None, multiprocess_mode="liveall")
                                   for name, help_text in _PROCESS_GAUGES.items()}
        self._children = {}
        self._lock = threading.Lock()

    def record(self, operation_id, status_code, seconds):
        key = (operation_id, status_code)
        child = self._children.get(key)
        if child is None:
            with self._lock:
                timed = operation_id != WEBSOCKET
                child = self._children[key] = (self.requests.labels(operation_id, str(status_code)),
                                               self.time.labels(operation_id) if timed else None)
        child[0].inc()
        if child[1] is not None:
            child[1].observe(seconds)

    def sample(self):
        """Set the gauges from the hub, the pool and the process."""
        from store import db as store_db
        from ws.hub import hub
        self.websockets.set(hub.connection_count())
        in_use, open_, most = store_db.pool_stats()
        self.db_in_use.set(in_use)
        self.db_open.set(open_)
        self.db_max.set(most)
        if self.process is not None:
            for family in self.process.collect():
                for sample in family.samples:
                    gauge = self.process_gauges.get(sample.name)
                    if gauge is not None:
                        gauge.set(sample.value)


_metrics = None
_metrics_lock = threading.Lock()
_sampler_pid = None


def _get():
    global _metrics
    if _metrics is None:
        with _metrics_lock:
            if _metrics is None:
                _metrics = _Metrics()
    return _metrics


def recorder(config):
    """record(operation_id, status_code, seconds) for each request answered,
    or None when metrics are off."""
    if not enabled(config):
        return None
    return _get().record


def register(app, config):
    """Serve /metrics on the app (outside the document's routing), and in a
    gunicorn worker start sampling the gauges. Nothing when metrics are off
    (/metrics is then a 404 like any unknown path)."""
    if not enabled(config):
        return
    metrics = _get()
    app.add_url_rule(PATH, "mattermost_metrics", _serve, methods=["GET"])
    if metrics.multiprocess:
        _start_sampler(metrics)


def _serve():
    import flask
    body, content_type = exposition()
    return flask.Response(body, status=200, headers={"Content-Type": content_type})


def exposition():
    """(the text of every metric, its content type)."""
    from prometheus_client import REGISTRY, CollectorRegistry, exposition as prometheus_exposition, generate_latest
    metrics = _get()
    metrics.sample()
    directory = multiprocess_directory()
    if metrics.multiprocess and directory:
        from prometheus_client import multiprocess
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, path=directory)
    else:
        registry = REGISTRY
    # generate_latest writes the classic text format, version 0.0.4, which
    # every Prometheus reads (CONTENT_TYPE_LATEST names a newer one).
    content_type = getattr(prometheus_exposition, "CONTENT_TYPE_PLAIN_0_0_4",
                           "text/plain; version=0.0.4; charset=utf-8")
    return generate_latest(registry), content_type


def _start_sampler(metrics):
    """One sampler per worker process (a greenlet under gevent)."""
    global _sampler_pid
    with _metrics_lock:
        if _sampler_pid == os.getpid():
            return
        _sampler_pid = os.getpid()

    def loop():
        while True:
            try:
                metrics.sample()
            except Exception:   # a sample that fails is retried at the next tick
                pass
            time.sleep(SAMPLE_SECONDS)

    threading.Thread(target=loop, name="metrics-sampler", daemon=True).start()
