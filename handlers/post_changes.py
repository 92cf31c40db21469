"""Handlers for the posts operations that change a post after it is made
(edit, pin, delete, acknowledge, remind, mark unread, move). Re-exported by
handlers/posts.py, where the router looks for them."""
from handlers.stub import stub


@stub("DeletePost")
def delete_post(**kwargs):
    """DELETE /api/v4/posts/{post_id}"""


@stub("UpdatePost")
def update_post(**kwargs):
    """PUT /api/v4/posts/{post_id}"""


@stub("PatchPost")
def patch_post(**kwargs):
    """PUT /api/v4/posts/{post_id}/patch"""


@stub("PinPost")
def pin_post(**kwargs):
    """POST /api/v4/posts/{post_id}/pin"""


@stub("UnpinPost")
def unpin_post(**kwargs):
    """POST /api/v4/posts/{post_id}/unpin"""


@stub("GetEditHistoryForPost")
def get_edit_history_for_post(**kwargs):
    """GET /api/v4/posts/{post_id}/edit_history"""


@stub("RestorePostVersion")
def restore_post_version(**kwargs):
    """POST /api/v4/posts/{post_id}/restore/{restore_version_id}"""


@stub("SaveAcknowledgementForPost")
def save_acknowledgement_for_post(**kwargs):
    """POST /api/v4/users/{user_id}/posts/{post_id}/ack"""


@stub("DeleteAcknowledgementForPost")
def delete_acknowledgement_for_post(**kwargs):
    """DELETE /api/v4/users/{user_id}/posts/{post_id}/ack"""


@stub("SetPostReminder")
def set_post_reminder(**kwargs):
    """POST /api/v4/users/{user_id}/posts/{post_id}/reminder"""


@stub("SetPostUnread")
def set_post_unread(**kwargs):
    """POST /api/v4/users/{user_id}/posts/{post_id}/set_unread"""


@stub("MoveThread")
def move_thread(**kwargs):
    """POST /api/v4/posts/{post_id}/move"""
