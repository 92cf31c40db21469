"""Handlers for the 'content flagging' operations of the document."""
from handlers.stub import stub


@stub("GetContentFlaggingConfig")
def get_content_flagging_config(**kwargs):
    """GET /api/v4/content_flagging/config"""


@stub("SaveContentFlaggingConfig")
def save_content_flagging_config(**kwargs):
    """PUT /api/v4/content_flagging/config"""


@stub("GetContentFlaggingFields")
def get_content_flagging_fields(**kwargs):
    """GET /api/v4/content_flagging/fields"""


@stub("GetContentFlaggingFlagConfig")
def get_content_flagging_flag_config(**kwargs):
    """GET /api/v4/content_flagging/flag/config"""


@stub("GetContentFlaggedPost")
def get_content_flagged_post(**kwargs):
    """GET /api/v4/content_flagging/post/{post_id}"""


@stub("AssignContentFlaggingReviewer")
def assign_content_flagging_reviewer(**kwargs):
    """POST /api/v4/content_flagging/post/{post_id}/assign/{reviewer_id}"""


@stub("GetContentFlaggingPostFieldValues")
def get_content_flagging_post_field_values(**kwargs):
    """GET /api/v4/content_flagging/post/{post_id}/field_values"""


@stub("FlagPost")
def flag_post(**kwargs):
    """POST /api/v4/content_flagging/post/{post_id}/flag"""


@stub("KeepFlaggedPost")
def keep_flagged_post(**kwargs):
    """PUT /api/v4/content_flagging/post/{post_id}/keep"""


@stub("RemoveFlaggedPost")
def remove_flagged_post(**kwargs):
    """PUT /api/v4/content_flagging/post/{post_id}/remove"""


@stub("SearchContentFlaggingReviewers")
def search_content_flagging_reviewers(**kwargs):
    """GET /api/v4/content_flagging/team/{team_id}/reviewers/search"""


@stub("GetContentFlaggingTeamStatus")
def get_content_flagging_team_status(**kwargs):
    """GET /api/v4/content_flagging/team/{team_id}/status"""
