"""Handlers for the 'emoji' operations of the document."""
from handlers.stub import stub


@stub("CreateEmoji")
def create_emoji(**kwargs):
    """POST /api/v4/emoji"""


@stub("GetEmojiList")
def get_emoji_list(**kwargs):
    """GET /api/v4/emoji"""


@stub("AutocompleteEmoji")
def autocomplete_emoji(**kwargs):
    """GET /api/v4/emoji/autocomplete"""


@stub("GetEmojiByName")
def get_emoji_by_name(**kwargs):
    """GET /api/v4/emoji/name/{emoji_name}"""


@stub("SearchEmoji")
def search_emoji(**kwargs):
    """POST /api/v4/emoji/search"""


@stub("GetEmoji")
def get_emoji(**kwargs):
    """GET /api/v4/emoji/{emoji_id}"""


@stub("DeleteEmoji")
def delete_emoji(**kwargs):
    """DELETE /api/v4/emoji/{emoji_id}"""


@stub("GetEmojiImage")
def get_emoji_image(**kwargs):
    """GET /api/v4/emoji/{emoji_id}/image"""
