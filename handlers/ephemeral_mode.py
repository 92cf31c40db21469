"""Handlers for the 'ephemeral mode' operations of the document."""
from handlers.stub import stub


@stub("LogCleanup")
def log_cleanup(**kwargs):
    """POST /api/v4/ephemeral_mode/cleanup"""


@stub("LogOfflinePurge")
def log_offline_purge(**kwargs):
    """POST /api/v4/ephemeral_mode/purge"""


@stub("LogSessionWipe")
def log_session_wipe(**kwargs):
    """POST /api/v4/ephemeral_mode/wipe"""
