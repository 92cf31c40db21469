"""Handlers for the 'permissions' operations of the document."""
from handlers.stub import stub


@stub("GetAncillaryPermissionsPost")
def get_ancillary_permissions_post(**kwargs):
    """POST /api/v4/permissions/ancillary"""
