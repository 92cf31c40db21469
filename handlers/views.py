"""Handlers for the 'views' operations of the document."""
from handlers.stub import stub


@stub("ListChannelViews")
def list_channel_views(**kwargs):
    """GET /api/v4/channels/{channel_id}/views"""


@stub("CreateChannelView")
def create_channel_view(**kwargs):
    """POST /api/v4/channels/{channel_id}/views"""


@stub("GetChannelView")
def get_channel_view(**kwargs):
    """GET /api/v4/channels/{channel_id}/views/{view_id}"""


@stub("UpdateChannelView")
def update_channel_view(**kwargs):
    """PATCH /api/v4/channels/{channel_id}/views/{view_id}"""


@stub("DeleteChannelView")
def delete_channel_view(**kwargs):
    """DELETE /api/v4/channels/{channel_id}/views/{view_id}"""


@stub("GetPostsForView")
def get_posts_for_view(**kwargs):
    """GET /api/v4/channels/{channel_id}/views/{view_id}/posts"""


@stub("UpdateChannelViewSortOrder")
def update_channel_view_sort_order(**kwargs):
    """POST /api/v4/channels/{channel_id}/views/{view_id}/sort_order"""
