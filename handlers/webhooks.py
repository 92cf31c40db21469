"""Handlers for the 'webhooks' operations of the document."""
from handlers.stub import stub


@stub("CreateIncomingWebhook")
def create_incoming_webhook(**kwargs):
    """POST /api/v4/hooks/incoming"""


@stub("GetIncomingWebhooks")
def get_incoming_webhooks(**kwargs):
    """GET /api/v4/hooks/incoming"""


@stub("GetIncomingWebhook")
def get_incoming_webhook(**kwargs):
    """GET /api/v4/hooks/incoming/{hook_id}"""


@stub("DeleteIncomingWebhook")
def delete_incoming_webhook(**kwargs):
    """DELETE /api/v4/hooks/incoming/{hook_id}"""


@stub("UpdateIncomingWebhook")
def update_incoming_webhook(**kwargs):
    """PUT /api/v4/hooks/incoming/{hook_id}"""


@stub("CreateOutgoingWebhook")
def create_outgoing_webhook(**kwargs):
    """POST /api/v4/hooks/outgoing"""


@stub("GetOutgoingWebhooks")
def get_outgoing_webhooks(**kwargs):
    """GET /api/v4/hooks/outgoing"""


@stub("GetOutgoingWebhook")
def get_outgoing_webhook(**kwargs):
    """GET /api/v4/hooks/outgoing/{hook_id}"""


@stub("DeleteOutgoingWebhook")
def delete_outgoing_webhook(**kwargs):
    """DELETE /api/v4/hooks/outgoing/{hook_id}"""


@stub("UpdateOutgoingWebhook")
def update_outgoing_webhook(**kwargs):
    """PUT /api/v4/hooks/outgoing/{hook_id}"""


@stub("RegenOutgoingHookToken")
def regen_outgoing_hook_token(**kwargs):
    """POST /api/v4/hooks/outgoing/{hook_id}/regen_token"""


@stub("IncomingWebhook")
def incoming_webhook(**kwargs):
    """POST /hooks/{hook_id}"""
