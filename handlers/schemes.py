"""Handlers for the 'schemes' operations of the document."""
from handlers.stub import stub


@stub("GetSchemes")
def get_schemes(**kwargs):
    """GET /api/v4/schemes"""


@stub("CreateScheme")
def create_scheme(**kwargs):
    """POST /api/v4/schemes"""


@stub("GetScheme")
def get_scheme(**kwargs):
    """GET /api/v4/schemes/{scheme_id}"""


@stub("DeleteScheme")
def delete_scheme(**kwargs):
    """DELETE /api/v4/schemes/{scheme_id}"""


@stub("GetChannelsForScheme")
def get_channels_for_scheme(**kwargs):
    """GET /api/v4/schemes/{scheme_id}/channels"""


@stub("PatchScheme")
def patch_scheme(**kwargs):
    """PUT /api/v4/schemes/{scheme_id}/patch"""


@stub("GetTeamsForScheme")
def get_teams_for_scheme(**kwargs):
    """GET /api/v4/schemes/{scheme_id}/teams"""
