"""Handlers for the 'uploads' operations of the document."""
from handlers.stub import stub


@stub("CreateUpload")
def create_upload(**kwargs):
    """POST /api/v4/uploads"""


@stub("GetUpload")
def get_upload(**kwargs):
    """GET /api/v4/uploads/{upload_id}"""


@stub("UploadData")
def upload_data(**kwargs):
    """POST /api/v4/uploads/{upload_id}"""
