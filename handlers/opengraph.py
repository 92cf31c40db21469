"""Handlers for the 'OpenGraph' operations of the document."""
from handlers.stub import stub


@stub("OpenGraph")
def open_graph(**kwargs):
    """POST /api/v4/opengraph"""
