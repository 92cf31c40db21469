"""Handlers for the 'brand' operations of the document."""
from handlers.stub import stub


@stub("GetBrandImage")
def get_brand_image(**kwargs):
    """GET /api/v4/brand/image"""


@stub("UploadBrandImage")
def upload_brand_image(**kwargs):
    """POST /api/v4/brand/image"""


@stub("DeleteBrandImage")
def delete_brand_image(**kwargs):
    """DELETE /api/v4/brand/image"""
