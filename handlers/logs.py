"""Handlers for the 'logs' operations of the document."""
from handlers.stub import stub


@stub("DownloadSystemLogs")
def download_system_logs(**kwargs):
    """GET /api/v4/logs/download"""
