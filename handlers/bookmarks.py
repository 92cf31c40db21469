"""Handlers for the 'bookmarks' operations of the document."""
from handlers.stub import stub


@stub("ListChannelBookmarksForChannel")
def list_channel_bookmarks_for_channel(**kwargs):
    """GET /api/v4/channels/{channel_id}/bookmarks"""


@stub("CreateChannelBookmark")
def create_channel_bookmark(**kwargs):
    """POST /api/v4/channels/{channel_id}/bookmarks"""


@stub("UpdateChannelBookmark")
def update_channel_bookmark(**kwargs):
    """PATCH /api/v4/channels/{channel_id}/bookmarks/{bookmark_id}"""


@stub("DeleteChannelBookmark")
def delete_channel_bookmark(**kwargs):
    """DELETE /api/v4/channels/{channel_id}/bookmarks/{bookmark_id}"""


@stub("UpdateChannelBookmarkSortOrder")
def update_channel_bookmark_sort_order(**kwargs):
    """POST /api/v4/channels/{channel_id}/bookmarks/{bookmark_id}/sort_order"""
