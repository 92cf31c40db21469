"""Handlers for the 'data retention' operations of the document."""
from handlers.stub import stub


@stub("GetDataRetentionPolicies")
def get_data_retention_policies(**kwargs):
    """GET /api/v4/data_retention/policies"""


@stub("CreateDataRetentionPolicy")
def create_data_retention_policy(**kwargs):
    """POST /api/v4/data_retention/policies"""


@stub("GetDataRetentionPolicyByID")
def get_data_retention_policy_by_id(**kwargs):
    """GET /api/v4/data_retention/policies/{policy_id}"""


@stub("PatchDataRetentionPolicy")
def patch_data_retention_policy(**kwargs):
    """PATCH /api/v4/data_retention/policies/{policy_id}"""


@stub("DeleteDataRetentionPolicy")
def delete_data_retention_policy(**kwargs):
    """DELETE /api/v4/data_retention/policies/{policy_id}"""


@stub("GetChannelsForRetentionPolicy")
def get_channels_for_retention_policy(**kwargs):
    """GET /api/v4/data_retention/policies/{policy_id}/channels"""


@stub("AddChannelsToRetentionPolicy")
def add_channels_to_retention_policy(**kwargs):
    """POST /api/v4/data_retention/policies/{policy_id}/channels"""


@stub("RemoveChannelsFromRetentionPolicy")
def remove_channels_from_retention_policy(**kwargs):
    """DELETE /api/v4/data_retention/policies/{policy_id}/channels"""


@stub("SearchChannelsForRetentionPolicy")
def search_channels_for_retention_policy(**kwargs):
    """POST /api/v4/data_retention/policies/{policy_id}/channels/search"""


@stub("GetTeamsForRetentionPolicy")
def get_teams_for_retention_policy(**kwargs):
    """GET /api/v4/data_retention/policies/{policy_id}/teams"""


@stub("AddTeamsToRetentionPolicy")
def add_teams_to_retention_policy(**kwargs):
    """POST /api/v4/data_retention/policies/{policy_id}/teams"""


@stub("RemoveTeamsFromRetentionPolicy")
def remove_teams_from_retention_policy(**kwargs):
    """DELETE /api/v4/data_retention/policies/{policy_id}/teams"""


@stub("SearchTeamsForRetentionPolicy")
def search_teams_for_retention_policy(**kwargs):
    """POST /api/v4/data_retention/policies/{policy_id}/teams/search"""


@stub("GetDataRetentionPoliciesCount")
def get_data_retention_policies_count(**kwargs):
    """GET /api/v4/data_retention/policies_count"""


@stub("GetDataRetentionPolicy")
def get_data_retention_policy(**kwargs):
    """GET /api/v4/data_retention/policy"""


@stub("GetChannelPoliciesForUser")
def get_channel_policies_for_user(**kwargs):
    """GET /api/v4/users/{user_id}/data_retention/channel_policies"""


@stub("GetTeamPoliciesForUser")
def get_team_policies_for_user(**kwargs):
    """GET /api/v4/users/{user_id}/data_retention/team_policies"""
