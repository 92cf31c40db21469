"""Handlers for the 'access control' operations of the document."""
from handlers.stub import stub


@stub("CreateAccessControlPolicy")
def create_access_control_policy(**kwargs):
    """PUT /api/v4/access_control_policies"""


@stub("GetAccessControlPolicyAutocompleteFields")
def get_access_control_policy_autocomplete_fields(**kwargs):
    """GET /api/v4/access_control_policies/cel/autocomplete/fields"""


@stub("CheckAccessControlPolicyExpression")
def check_access_control_policy_expression(**kwargs):
    """POST /api/v4/access_control_policies/cel/check"""


@stub("TestAccessControlPolicyExpression")
def test_access_control_policy_expression(**kwargs):
    """POST /api/v4/access_control_policies/cel/test"""


@stub("ValidateExpressionAgainstRequester")
def validate_expression_against_requester(**kwargs):
    """POST /api/v4/access_control_policies/cel/validate_requester"""


@stub("GetCELVisualAST")
def get_cel_visual_ast(**kwargs):
    """POST /api/v4/access_control_policies/cel/visual_ast"""


@stub("SearchAccessControlPolicies")
def search_access_control_policies(**kwargs):
    """POST /api/v4/access_control_policies/search"""


@stub("GetAccessControlPolicy")
def get_access_control_policy(**kwargs):
    """GET /api/v4/access_control_policies/{policy_id}"""


@stub("DeleteAccessControlPolicy")
def delete_access_control_policy(**kwargs):
    """DELETE /api/v4/access_control_policies/{policy_id}"""


@stub("UpdateAccessControlPolicyActiveStatus")
def update_access_control_policy_active_status(**kwargs):
    """GET /api/v4/access_control_policies/{policy_id}/activate"""


@stub("GetChannelActivityWarning")
def get_channel_activity_warning(**kwargs):
    """GET /api/v4/access_control_policies/{policy_id}/activity"""


@stub("AssignAccessControlPolicyToChannels")
def assign_access_control_policy_to_channels(**kwargs):
    """POST /api/v4/access_control_policies/{policy_id}/assign"""


@stub("GetChannelsForAccessControlPolicy")
def get_channels_for_access_control_policy(**kwargs):
    """GET /api/v4/access_control_policies/{policy_id}/resources/channels"""


@stub("SearchChannelsForAccessControlPolicy")
def search_channels_for_access_control_policy(**kwargs):
    """POST /api/v4/access_control_policies/{policy_id}/resources/channels/search"""


@stub("UnassignAccessControlPolicyFromChannels")
def unassign_access_control_policy_from_channels(**kwargs):
    """DELETE /api/v4/access_control_policies/{policy_id}/unassign"""


@stub("GetChannelAccessControlAttributes")
def get_channel_access_control_attributes(**kwargs):
    """GET /api/v4/channels/{channel_id}/access_control/attributes"""
