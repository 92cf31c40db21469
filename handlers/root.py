"""Handlers for the 'root' operations of the document."""
from handlers.stub import stub


@stub("AcknowledgeNotification")
def acknowledge_notification(**kwargs):
    """POST /api/v4/notifications/ack"""
