"""Handlers for the 'bots' operations of the document."""
from handlers.stub import stub


@stub("CreateBot")
def create_bot(**kwargs):
    """POST /api/v4/bots"""


@stub("GetBots")
def get_bots(**kwargs):
    """GET /api/v4/bots"""


@stub("PatchBot")
def patch_bot(**kwargs):
    """PUT /api/v4/bots/{bot_user_id}"""


@stub("GetBot")
def get_bot(**kwargs):
    """GET /api/v4/bots/{bot_user_id}"""


@stub("AssignBot")
def assign_bot(**kwargs):
    """POST /api/v4/bots/{bot_user_id}/assign/{user_id}"""


@stub("ConvertBotToUser")
def convert_bot_to_user(**kwargs):
    """POST /api/v4/bots/{bot_user_id}/convert_to_user"""


@stub("DisableBot")
def disable_bot(**kwargs):
    """POST /api/v4/bots/{bot_user_id}/disable"""


@stub("EnableBot")
def enable_bot(**kwargs):
    """POST /api/v4/bots/{bot_user_id}/enable"""


@stub("GetBotIconImage")
def get_bot_icon_image(**kwargs):
    """GET /api/v4/bots/{bot_user_id}/icon"""


@stub("SetBotIconImage")
def set_bot_icon_image(**kwargs):
    """POST /api/v4/bots/{bot_user_id}/icon"""


@stub("DeleteBotIconImage")
def delete_bot_icon_image(**kwargs):
    """DELETE /api/v4/bots/{bot_user_id}/icon"""


@stub("ConvertUserToBot")
def convert_user_to_bot(**kwargs):
    """POST /api/v4/users/{user_id}/convert_to_bot"""
