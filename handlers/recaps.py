"""Handlers for the 'recaps' operations of the document."""
from handlers.stub import stub


@stub("CreateRecap")
def create_recap(**kwargs):
    """POST /api/v4/recaps"""


@stub("GetRecapsForUser")
def get_recaps_for_user(**kwargs):
    """GET /api/v4/recaps"""


@stub("GetRecap")
def get_recap(**kwargs):
    """GET /api/v4/recaps/{recap_id}"""
