"""Handlers for the 'terms of service' operations of the document."""
from handlers.stub import stub


@stub("GetTermsOfService")
def get_terms_of_service(**kwargs):
    """GET /api/v4/terms_of_service"""


@stub("CreateTermsOfService")
def create_terms_of_service(**kwargs):
    """POST /api/v4/terms_of_service"""
