"""Handlers for the 'bleve' operations of the document."""
from handlers.stub import stub


@stub("PurgeBleveIndexes")
def purge_bleve_indexes(**kwargs):
    """POST /api/v4/bleve/purge_indexes"""
