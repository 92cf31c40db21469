"""Handlers for the 'delivery tracking' operations of the document."""
from handlers.stub import stub


@stub("GetDeliveryTrackingConfig")
def get_delivery_tracking_config(**kwargs):
    """GET /api/v4/delivery_tracking/config"""


@stub("UpdateDeliveryTrackingConfig")
def update_delivery_tracking_config(**kwargs):
    """PUT /api/v4/delivery_tracking/config"""
