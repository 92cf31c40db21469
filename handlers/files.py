"""Handlers for the 'files' operations of the document."""
from handlers.stub import stub


@stub("UploadFile")
def upload_file(**kwargs):
    """POST /api/v4/files"""


@stub("GetFile")
def get_file(**kwargs):
    """GET /api/v4/files/{file_id}"""


@stub("GetFileInfo")
def get_file_info(**kwargs):
    """GET /api/v4/files/{file_id}/info"""


@stub("GetFileLink")
def get_file_link(**kwargs):
    """GET /api/v4/files/{file_id}/link"""


@stub("GetFilePreview")
def get_file_preview(**kwargs):
    """GET /api/v4/files/{file_id}/preview"""


@stub("GetFileThumbnail")
def get_file_thumbnail(**kwargs):
    """GET /api/v4/files/{file_id}/thumbnail"""


@stub("GetFilePublic")
def get_file_public(**kwargs):
    """GET /files/{file_id}/public"""
