"""Handlers for the 'webhooks' operations of the document."""
import json

import flask

from api import config as config_module, errors
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


def _incoming_payload(request):
    """The webhook payload: JSON, or JSON in the `payload` field of a form."""
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        raw = request.form.get("payload", "")
    else:
        raw = request.get_data(cache=True, as_text=True)
    try:
        payload = json.loads(raw)
    except (ValueError, RecursionError):
        payload = None
    if not isinstance(payload, dict):
        raise errors.AppError(400, "web.incoming_webhook.parse.app_error", "The webhook payload is not valid JSON.")
    return payload


def incoming_webhook(hook_id, body=None):
    """Post a message through an incoming webhook (the payload is read first,
    then the webhook, as Mattermost does)."""
    _incoming_payload(flask.request)  # a bad payload is refused before anything else
    if not config_module.current()["ServiceSettings"]["EnableIncomingWebhooks"]:
        raise errors.AppError(501, "web.incoming_webhook.disabled.app_error",
                              "Incoming webhooks are turned off on this server.")
    # Finding the webhook, then checking its text and posting, need the
    # webhooks and posts stores.
    raise errors.not_implemented("IncomingWebhook")
