"""Handlers for the sidebar category operations (tag 'channels'; handlers/channels.py
imports them, so the router finds them there)."""
from handlers.stub import stub

@stub("GetSidebarCategoriesForTeamForUser")
def get_sidebar_categories_for_team_for_user(**kwargs):
    """GET /api/v4/users/{user_id}/teams/{team_id}/channels/categories"""


@stub("CreateSidebarCategoryForTeamForUser")
def create_sidebar_category_for_team_for_user(**kwargs):
    """POST /api/v4/users/{user_id}/teams/{team_id}/channels/categories"""


@stub("UpdateSidebarCategoriesForTeamForUser")
def update_sidebar_categories_for_team_for_user(**kwargs):
    """PUT /api/v4/users/{user_id}/teams/{team_id}/channels/categories"""


@stub("GetSidebarCategoryOrderForTeamForUser")
def get_sidebar_category_order_for_team_for_user(**kwargs):
    """GET /api/v4/users/{user_id}/teams/{team_id}/channels/categories/order"""


@stub("UpdateSidebarCategoryOrderForTeamForUser")
def update_sidebar_category_order_for_team_for_user(**kwargs):
    """PUT /api/v4/users/{user_id}/teams/{team_id}/channels/categories/order"""


@stub("GetSidebarCategoryForTeamForUser")
def get_sidebar_category_for_team_for_user(**kwargs):
    """GET /api/v4/users/{user_id}/teams/{team_id}/channels/categories/{category_id}"""


@stub("UpdateSidebarCategoryForTeamForUser")
def update_sidebar_category_for_team_for_user(**kwargs):
    """PUT /api/v4/users/{user_id}/teams/{team_id}/channels/categories/{category_id}"""


@stub("RemoveSidebarCategoryForTeamForUser")
def remove_sidebar_category_for_team_for_user(**kwargs):
    """DELETE /api/v4/users/{user_id}/teams/{team_id}/channels/categories/{category_id}"""
