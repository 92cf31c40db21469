"""Handlers for the 'remote clusters' operations of the document."""
from handlers.stub import stub


@stub("GetRemoteClusters")
def get_remote_clusters(**kwargs):
    """GET /api/v4/remotecluster"""


@stub("CreateRemoteCluster")
def create_remote_cluster(**kwargs):
    """POST /api/v4/remotecluster"""


@stub("AcceptRemoteClusterInvite")
def accept_remote_cluster_invite(**kwargs):
    """POST /api/v4/remotecluster/accept_invite"""


@stub("GetRemoteCluster")
def get_remote_cluster(**kwargs):
    """GET /api/v4/remotecluster/{remote_id}"""


@stub("PatchRemoteCluster")
def patch_remote_cluster(**kwargs):
    """PATCH /api/v4/remotecluster/{remote_id}"""


@stub("DeleteRemoteCluster")
def delete_remote_cluster(**kwargs):
    """DELETE /api/v4/remotecluster/{remote_id}"""


@stub("GenerateRemoteClusterInvite")
def generate_remote_cluster_invite(**kwargs):
    """POST /api/v4/remotecluster/{remote_id}/generate_invite"""
