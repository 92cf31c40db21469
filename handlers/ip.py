"""Handlers for the 'ip' operations of the document."""
from handlers.stub import stub


@stub("GetIPFilters")
def get_ip_filters(**kwargs):
    """GET /api/v4/ip_filtering"""


@stub("ApplyIPFilters")
def apply_ip_filters(**kwargs):
    """POST /api/v4/ip_filtering"""


@stub("MyIP")
def my_ip(**kwargs):
    """GET /api/v4/ip_filtering/my_ip"""
