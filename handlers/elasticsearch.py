"""Handlers for the 'elasticsearch' operations of the document."""
from handlers.stub import stub


@stub("PurgeElasticsearchIndexes")
def purge_elasticsearch_indexes(**kwargs):
    """POST /api/v4/elasticsearch/purge_indexes"""


@stub("TestElasticsearch")
def test_elasticsearch(**kwargs):
    """POST /api/v4/elasticsearch/test"""
