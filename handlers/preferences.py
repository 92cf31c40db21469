"""Handlers for the 'preferences' operations of the document."""
from handlers.stub import stub


@stub("GetPreferences")
def get_preferences(**kwargs):
    """GET /api/v4/users/{user_id}/preferences"""


@stub("UpdatePreferences")
def update_preferences(**kwargs):
    """PUT /api/v4/users/{user_id}/preferences"""


@stub("DeletePreferences")
def delete_preferences(**kwargs):
    """POST /api/v4/users/{user_id}/preferences/delete"""


@stub("GetPreferencesByCategory")
def get_preferences_by_category(**kwargs):
    """GET /api/v4/users/{user_id}/preferences/{category}"""


@stub("GetPreferencesByCategoryByName")
def get_preferences_by_category_by_name(**kwargs):
    """GET /api/v4/users/{user_id}/preferences/{category}/name/{preference_name}"""
