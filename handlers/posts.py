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


@stub("GetPost")
def get_post(**kwargs):
    """GET /api/v4/posts/{post_id}"""


@stub("DoPostAction")
def do_post_action(**kwargs):
    """POST /api/v4/posts/{post_id}/actions/{action_id}"""


@stub("BurnPost")
def burn_post(**kwargs):
    """DELETE /api/v4/posts/{post_id}/burn"""


@stub("GetFileInfosForPost")
def get_file_infos_for_post(**kwargs):
    """GET /api/v4/posts/{post_id}/files/info"""


@stub("GetPostInfo")
def get_post_info(**kwargs):
    """GET /api/v4/posts/{post_id}/info"""


@stub("RevealPost")
def reveal_post(**kwargs):
    """GET /api/v4/posts/{post_id}/reveal"""


@stub("GetPostThread")
def get_post_thread(**kwargs):
    """GET /api/v4/posts/{post_id}/thread"""


@stub("GetPostsAroundLastUnread")
def get_posts_around_last_unread(**kwargs):
    """GET /api/v4/users/{user_id}/channels/{channel_id}/posts/unread"""


@stub("GetFlaggedPostsForUser")
def get_flagged_posts_for_user(**kwargs):
    """GET /api/v4/users/{user_id}/posts/flagged"""


from handlers.post_changes import (  # noqa: E402,F401
    delete_post,
    update_post,
    patch_post,
    pin_post,
    unpin_post,
    get_edit_history_for_post,
    restore_post_version,
    save_acknowledgement_for_post,
    delete_acknowledgement_for_post,
    set_post_reminder,
    set_post_unread,
    move_thread,
)
from handlers.search import search_posts, search_posts_in_all_teams  # noqa: E402,F401
