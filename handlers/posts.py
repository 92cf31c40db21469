"""Handlers for the 'posts' operations of the document."""
from handlers.stub import stub


@stub("GetPostsForChannel")
def get_posts_for_channel(**kwargs):
    """GET /api/v4/channels/{channel_id}/posts"""


@stub("CreatePost")
def create_post(**kwargs):
    """POST /api/v4/posts"""


@stub("CreatePostEphemeral")
def create_post_ephemeral(**kwargs):
    """POST /api/v4/posts/ephemeral"""


@stub("getPostsByIds")
def get_posts_by_ids(**kwargs):
    """POST /api/v4/posts/ids"""


@stub("RewritePostMessage")
def rewrite_post_message(**kwargs):
    """POST /api/v4/posts/rewrite"""


@stub("SearchPostsInAllTeams")
def search_posts_in_all_teams(**kwargs):
    """POST /api/v4/posts/search"""


@stub("GetPost")
def get_post(**kwargs):
    """GET /api/v4/posts/{post_id}"""


@stub("DeletePost")
def delete_post(**kwargs):
    """DELETE /api/v4/posts/{post_id}"""


@stub("UpdatePost")
def update_post(**kwargs):
    """PUT /api/v4/posts/{post_id}"""


@stub("DoPostAction")
def do_post_action(**kwargs):
    """POST /api/v4/posts/{post_id}/actions/{action_id}"""


@stub("BurnPost")
def burn_post(**kwargs):
    """DELETE /api/v4/posts/{post_id}/burn"""


@stub("GetEditHistoryForPost")
def get_edit_history_for_post(**kwargs):
    """GET /api/v4/posts/{post_id}/edit_history"""


@stub("GetFileInfosForPost")
def get_file_infos_for_post(**kwargs):
    """GET /api/v4/posts/{post_id}/files/info"""


@stub("GetPostInfo")
def get_post_info(**kwargs):
    """GET /api/v4/posts/{post_id}/info"""


@stub("MoveThread")
def move_thread(**kwargs):
    """POST /api/v4/posts/{post_id}/move"""


@stub("PatchPost")
def patch_post(**kwargs):
    """PUT /api/v4/posts/{post_id}/patch"""


@stub("PinPost")
def pin_post(**kwargs):
    """POST /api/v4/posts/{post_id}/pin"""


@stub("RestorePostVersion")
def restore_post_version(**kwargs):
    """POST /api/v4/posts/{post_id}/restore/{restore_version_id}"""


@stub("RevealPost")
def reveal_post(**kwargs):
    """GET /api/v4/posts/{post_id}/reveal"""


@stub("GetPostThread")
def get_post_thread(**kwargs):
    """GET /api/v4/posts/{post_id}/thread"""


@stub("UnpinPost")
def unpin_post(**kwargs):
    """POST /api/v4/posts/{post_id}/unpin"""


@stub("SearchPosts")
def search_posts(**kwargs):
    """POST /api/v4/teams/{team_id}/posts/search"""


@stub("GetPostsAroundLastUnread")
def get_posts_around_last_unread(**kwargs):
    """GET /api/v4/users/{user_id}/channels/{channel_id}/posts/unread"""


@stub("GetFlaggedPostsForUser")
def get_flagged_posts_for_user(**kwargs):
    """GET /api/v4/users/{user_id}/posts/flagged"""


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
