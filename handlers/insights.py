"""Handlers for the 'insights' operations of the document."""
from handlers.stub import stub


@stub("GetTopChannelsForTeam")
def get_top_channels_for_team(**kwargs):
    """GET /api/v4/teams/{team_id}/top/channels"""


@stub("GetTopReactionsForTeam")
def get_top_reactions_for_team(**kwargs):
    """GET /api/v4/teams/{team_id}/top/reactions"""


@stub("GetNewTeamMembers")
def get_new_team_members(**kwargs):
    """GET /api/v4/teams/{team_id}/top/team_members"""


@stub("GetTopThreadsForTeam")
def get_top_threads_for_team(**kwargs):
    """GET /api/v4/teams/{team_id}/top/threads"""


@stub("GetTopChannelsForUser")
def get_top_channels_for_user(**kwargs):
    """GET /api/v4/users/me/top/channels"""


@stub("GetTopDMsForUser")
def get_top_dms_for_user(**kwargs):
    """GET /api/v4/users/me/top/dms"""


@stub("GetTopReactionsForUser")
def get_top_reactions_for_user(**kwargs):
    """GET /api/v4/users/me/top/reactions"""


@stub("GetTopThreadsForUser")
def get_top_threads_for_user(**kwargs):
    """GET /api/v4/users/me/top/threads"""
