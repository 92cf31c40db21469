"""Handlers for the 'cluster' operations of the document."""
from handlers.stub import stub


@stub("GetClusterStatus")
def get_cluster_status(**kwargs):
    """GET /api/v4/cluster/status"""
