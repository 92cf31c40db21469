"""Handlers for the 'exports' operations of the document."""
from handlers.stub import stub


@stub("ListExports")
def list_exports(**kwargs):
    """GET /api/v4/exports"""


@stub("DownloadExport")
def download_export(**kwargs):
    """GET /api/v4/exports/{export_name}"""


@stub("DeleteExport")
def delete_export(**kwargs):
    """DELETE /api/v4/exports/{export_name}"""
