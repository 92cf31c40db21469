"""Handlers for the 'custom profile attributes' operations of the document."""
from handlers.stub import stub


@stub("ListAllCPAFields")
def list_all_cpa_fields(**kwargs):
    """GET /api/v4/custom_profile_attributes/fields"""


@stub("CreateCPAField")
def create_cpa_field(**kwargs):
    """POST /api/v4/custom_profile_attributes/fields"""


@stub("PatchCPAField")
def patch_cpa_field(**kwargs):
    """PATCH /api/v4/custom_profile_attributes/fields/{field_id}"""


@stub("DeleteCPAField")
def delete_cpa_field(**kwargs):
    """DELETE /api/v4/custom_profile_attributes/fields/{field_id}"""


@stub("PatchCPAValues")
def patch_cpa_values(**kwargs):
    """PATCH /api/v4/custom_profile_attributes/values"""


@stub("ListCPAValues")
def list_cpa_values(**kwargs):
    """GET /api/v4/users/{user_id}/custom_profile_attributes"""
