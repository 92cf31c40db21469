"""Handlers for the 'scheduled_post' operations of the document."""
from handlers.stub import stub


@stub("CreateScheduledPost")
def create_scheduled_post(**kwargs):
    """POST /api/v4/posts/schedule"""


@stub("UpdateScheduledPost")
def update_scheduled_post(**kwargs):
    """PUT /api/v4/posts/schedule/{scheduled_post_id}"""


@stub("DeleteScheduledPost")
def delete_scheduled_post(**kwargs):
    """DELETE /api/v4/posts/schedule/{scheduled_post_id}"""


@stub("GetUserScheduledPosts")
def get_user_scheduled_posts(**kwargs):
    """GET /api/v4/posts/scheduled/team/{team_id}"""
