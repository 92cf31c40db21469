"""Handlers for the 'scheduled recaps' operations of the document."""
from handlers.stub import stub


@stub("CreateScheduledRecap")
def create_scheduled_recap(**kwargs):
    """POST /api/v4/scheduled_recaps"""


@stub("GetScheduledRecaps")
def get_scheduled_recaps(**kwargs):
    """GET /api/v4/scheduled_recaps"""


@stub("GetScheduledRecap")
def get_scheduled_recap(**kwargs):
    """GET /api/v4/scheduled_recaps/{scheduled_recap_id}"""


@stub("UpdateScheduledRecap")
def update_scheduled_recap(**kwargs):
    """PUT /api/v4/scheduled_recaps/{scheduled_recap_id}"""


@stub("DeleteScheduledRecap")
def delete_scheduled_recap(**kwargs):
    """DELETE /api/v4/scheduled_recaps/{scheduled_recap_id}"""


@stub("PauseScheduledRecap")
def pause_scheduled_recap(**kwargs):
    """POST /api/v4/scheduled_recaps/{scheduled_recap_id}/pause"""


@stub("ResumeScheduledRecap")
def resume_scheduled_recap(**kwargs):
    """POST /api/v4/scheduled_recaps/{scheduled_recap_id}/resume"""
