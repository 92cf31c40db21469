"""Handlers for post and file search. Re-exported by handlers/posts.py and
handlers/teams.py, where the router looks for them."""
from handlers.stub import stub


@stub("SearchPosts")
def search_posts(**kwargs):
    """POST /api/v4/teams/{team_id}/posts/search"""


@stub("SearchPostsInAllTeams")
def search_posts_in_all_teams(**kwargs):
    """POST /api/v4/posts/search"""


@stub("SearchFiles")
def search_files(**kwargs):
    """POST /api/v4/teams/{team_id}/files/search"""
