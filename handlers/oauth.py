"""Handlers for the 'OAuth' operations of the document."""
from handlers.stub import stub


@stub("CreateOAuthApp")
def create_oauth_app(**kwargs):
    """POST /api/v4/oauth/apps"""


@stub("GetOAuthApps")
def get_oauth_apps(**kwargs):
    """GET /api/v4/oauth/apps"""


@stub("GetOAuthApp")
def get_oauth_app(**kwargs):
    """GET /api/v4/oauth/apps/{app_id}"""


@stub("UpdateOAuthApp")
def update_oauth_app(**kwargs):
    """PUT /api/v4/oauth/apps/{app_id}"""


@stub("DeleteOAuthApp")
def delete_oauth_app(**kwargs):
    """DELETE /api/v4/oauth/apps/{app_id}"""


@stub("GetOAuthAppInfo")
def get_oauth_app_info(**kwargs):
    """GET /api/v4/oauth/apps/{app_id}/info"""


@stub("RegenerateOAuthAppSecret")
def regenerate_oauth_app_secret(**kwargs):
    """POST /api/v4/oauth/apps/{app_id}/regen_secret"""


@stub("ListOutgoingOAuthConnections")
def list_outgoing_oauth_connections(**kwargs):
    """GET /api/v4/oauth/outgoing_connections"""


@stub("CreateOutgoingOAuthConnection")
def create_outgoing_oauth_connection(**kwargs):
    """POST /api/v4/oauth/outgoing_connections"""


@stub("ValidateOutgoingOAuthConnection")
def validate_outgoing_oauth_connection(**kwargs):
    """POST /api/v4/oauth/outgoing_connections/validate"""


@stub("GetOutgoingOAuthConnection")
def get_outgoing_oauth_connection(**kwargs):
    """GET /api/v4/oauth/outgoing_connections/{outgoing_oauth_connection_id}"""


@stub("UpdateOutgoingOAuthConnection")
def update_outgoing_oauth_connection(**kwargs):
    """PUT /api/v4/oauth/outgoing_connections/{outgoing_oauth_connection_id}"""


@stub("DeleteOutgoingOAuthConnection")
def delete_outgoing_oauth_connection(**kwargs):
    """DELETE /api/v4/oauth/outgoing_connections/{outgoing_oauth_connection_id}"""


@stub("GetAuthorizedOAuthAppsForUser")
def get_authorized_oauth_apps_for_user(**kwargs):
    """GET /api/v4/users/{user_id}/oauth/apps/authorized"""
