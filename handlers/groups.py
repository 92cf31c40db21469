"""Handlers for the 'groups' operations of the document."""
from handlers.stub import stub


@stub("GetGroupsByChannel")
def get_groups_by_channel(**kwargs):
    """GET /api/v4/channels/{channel_id}/groups"""


@stub("GetGroups")
def get_groups(**kwargs):
    """GET /api/v4/groups"""


@stub("CreateGroup")
def create_group(**kwargs):
    """POST /api/v4/groups"""


@stub("GetGroup")
def get_group(**kwargs):
    """GET /api/v4/groups/{group_id}"""


@stub("DeleteGroup")
def delete_group(**kwargs):
    """DELETE /api/v4/groups/{group_id}"""


@stub("GetGroupSyncablesChannels")
def get_group_syncables_channels(**kwargs):
    """GET /api/v4/groups/{group_id}/channels"""


@stub("GetGroupSyncableForChannelId")
def get_group_syncable_for_channel_id(**kwargs):
    """GET /api/v4/groups/{group_id}/channels/{channel_id}"""


@stub("LinkGroupSyncableForChannel")
def link_group_syncable_for_channel(**kwargs):
    """POST /api/v4/groups/{group_id}/channels/{channel_id}/link"""


@stub("UnlinkGroupSyncableForChannel")
def unlink_group_syncable_for_channel(**kwargs):
    """DELETE /api/v4/groups/{group_id}/channels/{channel_id}/link"""


@stub("PatchGroupSyncableForChannel")
def patch_group_syncable_for_channel(**kwargs):
    """PUT /api/v4/groups/{group_id}/channels/{channel_id}/patch"""


@stub("GetGroupUsers")
def get_group_users(**kwargs):
    """GET /api/v4/groups/{group_id}/members"""


@stub("DeleteGroupMembers")
def delete_group_members(**kwargs):
    """DELETE /api/v4/groups/{group_id}/members"""


@stub("AddGroupMembers")
def add_group_members(**kwargs):
    """POST /api/v4/groups/{group_id}/members"""


@stub("PatchGroup")
def patch_group(**kwargs):
    """PUT /api/v4/groups/{group_id}/patch"""


@stub("RestoreGroup")
def restore_group(**kwargs):
    """POST /api/v4/groups/{group_id}/restore"""


@stub("GetGroupStats")
def get_group_stats(**kwargs):
    """GET /api/v4/groups/{group_id}/stats"""


@stub("GetGroupSyncablesTeams")
def get_group_syncables_teams(**kwargs):
    """GET /api/v4/groups/{group_id}/teams"""


@stub("GetGroupSyncableForTeamId")
def get_group_syncable_for_team_id(**kwargs):
    """GET /api/v4/groups/{group_id}/teams/{team_id}"""


@stub("LinkGroupSyncableForTeam")
def link_group_syncable_for_team(**kwargs):
    """POST /api/v4/groups/{group_id}/teams/{team_id}/link"""


@stub("UnlinkGroupSyncableForTeam")
def unlink_group_syncable_for_team(**kwargs):
    """DELETE /api/v4/groups/{group_id}/teams/{team_id}/link"""


@stub("PatchGroupSyncableForTeam")
def patch_group_syncable_for_team(**kwargs):
    """PUT /api/v4/groups/{group_id}/teams/{team_id}/patch"""


@stub("UnlinkLdapGroup")
def unlink_ldap_group(**kwargs):
    """DELETE /api/v4/ldap/groups/{remote_id}/link"""


@stub("GetGroupsByTeam")
def get_groups_by_team(**kwargs):
    """GET /api/v4/teams/{team_id}/groups"""


@stub("GetGroupsAssociatedToChannelsByTeam")
def get_groups_associated_to_channels_by_team(**kwargs):
    """GET /api/v4/teams/{team_id}/groups_by_channels"""


@stub("GetGroupsByUserId")
def get_groups_by_user_id(**kwargs):
    """GET /api/v4/users/{user_id}/groups"""
