"""Handlers for the 'omnisearch' operations of the document."""
from handlers.stub import stub


@stub("SearchInOmniSearch")
def search_in_omni_search(**kwargs):
    """POST /api/v4/omnisearch/search"""
