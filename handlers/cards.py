"""Handlers for the 'cards' operations of the document."""
from handlers.stub import stub


@stub("CreateCard")
def create_card(**kwargs):
    """POST /api/v4/cards"""


@stub("UpdateCard")
def update_card(**kwargs):
    """PUT /api/v4/cards/{post_id}"""


@stub("DeleteCard")
def delete_card(**kwargs):
    """DELETE /api/v4/cards/{post_id}"""


@stub("GetCardEditHistory")
def get_card_edit_history(**kwargs):
    """GET /api/v4/cards/{post_id}/edit_history"""


@stub("PatchCard")
def patch_card(**kwargs):
    """PUT /api/v4/cards/{post_id}/patch"""
