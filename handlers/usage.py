"""Handlers for the 'usage' operations of the document."""
from handlers.stub import stub


@stub("GetPostsUsage")
def get_posts_usage(**kwargs):
    """GET /api/v4/usage/posts"""


@stub("GetStorageUsage")
def get_storage_usage(**kwargs):
    """GET /api/v4/usage/storage"""
