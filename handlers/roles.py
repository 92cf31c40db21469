"""Handlers for the 'roles' operations of the document."""
from handlers.stub import stub


@stub("GetAllRoles")
def get_all_roles(**kwargs):
    """GET /api/v4/roles"""


@stub("GetRoleByName")
def get_role_by_name(**kwargs):
    """GET /api/v4/roles/name/{role_name}"""


@stub("GetRolesByNames")
def get_roles_by_names(**kwargs):
    """POST /api/v4/roles/names"""


@stub("GetRole")
def get_role(**kwargs):
    """GET /api/v4/roles/{role_id}"""


@stub("PatchRole")
def patch_role(**kwargs):
    """PUT /api/v4/roles/{role_id}/patch"""
