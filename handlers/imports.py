"""Handlers for the 'imports' operations of the document."""
from handlers.stub import stub


@stub("ListImports")
def list_imports(**kwargs):
    """GET /api/v4/imports"""


@stub("DeleteImport")
def delete_import(**kwargs):
    """DELETE /api/v4/imports/{import_name}"""
