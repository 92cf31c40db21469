"""Gunicorn settings and server hooks that belong to operations (metrics, logs).

`api.cli.gunicorn_options` merges what `gunicorn_settings(config)` returns over
its own options, so this module can add hooks (on_starting, child_exit, ...)
and logging settings without touching the command line.
"""


def gunicorn_settings(config):
    """Extra gunicorn settings for this configuration (none yet)."""
    return {}
