"""Gunicorn settings and server hooks that belong to operations (metrics, logs).

`api.cli.gunicorn_options` merges what `gunicorn_settings(config)` returns over
its own options, so this module can add hooks (on_starting, child_exit, ...)
and logging settings without touching the command line.

- Logs: gunicorn's logger class is replaced by one that sends gunicorn's own
  messages through LogSettings' lines (api.logs) and writes no access log (the
  app writes one line per request).
- Metrics (MetricsSettings.Enable): the master creates a fresh, empty
  directory for prometheus_client's multiprocess mode before any worker
  starts, and names it in PROMETHEUS_MULTIPROC_DIR, which the workers inherit;
  it drops the live gauges of each worker that exits, and removes the
  directory when it stops. The master itself never imports prometheus_client
  before that variable is set.
"""
import os
import shutil
import tempfile

from api import logs, metrics


def gunicorn_settings(config):
    """Extra gunicorn settings for this configuration."""
    settings = {"logger_class": logs.gunicorn_logger_class(config)}
    if metrics.enabled(config):
        settings.update(on_starting=on_starting, child_exit=child_exit, on_exit=on_exit)
    return settings


def on_starting(server):
    directory = tempfile.mkdtemp(prefix="mattermost-py-metrics-")
    os.environ[metrics.MULTIPROCESS_ENV] = directory
    server.log.debug("metrics of the workers are kept in %s", directory)


def child_exit(server, worker):
    directory = os.environ.get(metrics.MULTIPROCESS_ENV)
    if directory:
        from prometheus_client import multiprocess
        multiprocess.mark_process_dead(worker.pid, directory)


def on_exit(server):
    directory = os.environ.pop(metrics.MULTIPROCESS_ENV, None)
    if directory:
        shutil.rmtree(directory, ignore_errors=True)
