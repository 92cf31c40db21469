"""Handlers for the 'reactions' operations of the document."""
from handlers.stub import stub


@stub("GetBulkReactions")
def get_bulk_reactions(**kwargs):
    """POST /api/v4/posts/ids/reactions"""


@stub("GetReactions")
def get_reactions(**kwargs):
    """GET /api/v4/posts/{post_id}/reactions"""


@stub("SaveReaction")
def save_reaction(**kwargs):
    """POST /api/v4/reactions"""


@stub("DeleteReaction")
def delete_reaction(**kwargs):
    """DELETE /api/v4/users/{user_id}/posts/{post_id}/reactions/{emoji_name}"""
