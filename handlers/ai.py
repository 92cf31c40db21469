"""Handlers for the 'ai' operations of the document."""
from handlers.stub import stub


@stub("RewriteMessage")
def rewrite_message(**kwargs):
    """POST /api/v4/ai/rewrite"""
