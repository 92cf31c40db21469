"""Handlers for the 'shared channels' operations of the document."""
from handlers.stub import stub


@stub("GetSharedChannelInvitationsByChannel")
def get_shared_channel_invitations_by_channel(**kwargs):
    """GET /api/v4/channels/{channel_id}/shared_channel_invitations"""


@stub("InviteRemoteClusterToChannel")
def invite_remote_cluster_to_channel(**kwargs):
    """POST /api/v4/remotecluster/{remote_id}/channels/{channel_id}/invite"""


@stub("UninviteRemoteClusterToChannel")
def uninvite_remote_cluster_to_channel(**kwargs):
    """POST /api/v4/remotecluster/{remote_id}/channels/{channel_id}/uninvite"""


@stub("GetSharedChannelInvitationsByRemoteCluster")
def get_shared_channel_invitations_by_remote_cluster(**kwargs):
    """GET /api/v4/remotecluster/{remote_id}/shared_channel_invitations"""


@stub("DeleteSharedChannelInvitation")
def delete_shared_channel_invitation(**kwargs):
    """DELETE /api/v4/remotecluster/{remote_id}/shared_channel_invitations/{shared_channel_invitation_id}"""


@stub("GetSharedChannelRemotesByRemoteCluster")
def get_shared_channel_remotes_by_remote_cluster(**kwargs):
    """GET /api/v4/remotecluster/{remote_id}/sharedchannelremotes"""


@stub("GetRemoteClusterInfo")
def get_remote_cluster_info(**kwargs):
    """GET /api/v4/sharedchannels/remote_info/{remote_id}"""


@stub("CanUserDirectMessage")
def can_user_direct_message(**kwargs):
    """GET /api/v4/sharedchannels/users/{user_id}/can_dm/{other_user_id}"""


@stub("GetSharedChannelRemotes")
def get_shared_channel_remotes(**kwargs):
    """GET /api/v4/sharedchannels/{channel_id}/remotes"""


@stub("GetAllSharedChannels")
def get_all_shared_channels(**kwargs):
    """GET /api/v4/sharedchannels/{team_id}"""
