"""Handlers for the 'threads' operations of the document."""
from handlers.stub import stub


@stub("GetUserThreads")
def get_user_threads(**kwargs):
    """GET /api/v4/users/{user_id}/teams/{team_id}/threads"""


@stub("GetThreadMentionCountsByChannel")
def get_thread_mention_counts_by_channel(**kwargs):
    """GET /api/v4/users/{user_id}/teams/{team_id}/threads/mention_counts"""


@stub("UpdateThreadsReadForUser")
def update_threads_read_for_user(**kwargs):
    """PUT /api/v4/users/{user_id}/teams/{team_id}/threads/read"""


@stub("GetUserThread")
def get_user_thread(**kwargs):
    """GET /api/v4/users/{user_id}/teams/{team_id}/threads/{thread_id}"""


@stub("StartFollowingThread")
def start_following_thread(**kwargs):
    """PUT /api/v4/users/{user_id}/teams/{team_id}/threads/{thread_id}/following"""


@stub("StopFollowingThread")
def stop_following_thread(**kwargs):
    """DELETE /api/v4/users/{user_id}/teams/{team_id}/threads/{thread_id}/following"""


@stub("UpdateThreadReadForUser")
def update_thread_read_for_user(**kwargs):
    """PUT /api/v4/users/{user_id}/teams/{team_id}/threads/{thread_id}/read/{timestamp}"""


@stub("SetThreadUnreadByPostId")
def set_thread_unread_by_post_id(**kwargs):
    """POST /api/v4/users/{user_id}/teams/{team_id}/threads/{thread_id}/set_unread/{post_id}"""
