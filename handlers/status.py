"""Handlers for the 'status' operations of the document."""
from handlers.stub import stub


@stub("GetUsersStatusesByIds")
def get_users_statuses_by_ids(**kwargs):
    """POST /api/v4/users/status/ids"""


@stub("GetUserStatus")
def get_user_status(**kwargs):
    """GET /api/v4/users/{user_id}/status"""


@stub("UpdateUserStatus")
def update_user_status(**kwargs):
    """PUT /api/v4/users/{user_id}/status"""


@stub("UpdateUserCustomStatus")
def update_user_custom_status(**kwargs):
    """PUT /api/v4/users/{user_id}/status/custom"""


@stub("UnsetUserCustomStatus")
def unset_user_custom_status(**kwargs):
    """DELETE /api/v4/users/{user_id}/status/custom"""


@stub("RemoveRecentCustomStatus")
def remove_recent_custom_status(**kwargs):
    """DELETE /api/v4/users/{user_id}/status/custom/recent"""


@stub("PostUserRecentCustomStatusDelete")
def post_user_recent_custom_status_delete(**kwargs):
    """POST /api/v4/users/{user_id}/status/custom/recent/delete"""
