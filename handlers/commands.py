"""Handlers for the 'commands' operations of the document."""
from handlers.stub import stub


@stub("CreateCommand")
def create_command(**kwargs):
    """POST /api/v4/commands"""


@stub("ListCommands")
def list_commands(**kwargs):
    """GET /api/v4/commands"""


@stub("ExecuteCommand")
def execute_command(**kwargs):
    """POST /api/v4/commands/execute"""


@stub("GetCommandById")
def get_command_by_id(**kwargs):
    """GET /api/v4/commands/{command_id}"""


@stub("UpdateCommand")
def update_command(**kwargs):
    """PUT /api/v4/commands/{command_id}"""


@stub("DeleteCommand")
def delete_command(**kwargs):
    """DELETE /api/v4/commands/{command_id}"""


@stub("MoveCommand")
def move_command(**kwargs):
    """PUT /api/v4/commands/{command_id}/move"""


@stub("RegenCommandToken")
def regen_command_token(**kwargs):
    """PUT /api/v4/commands/{command_id}/regen_token"""


@stub("ListAutocompleteCommands")
def list_autocomplete_commands(**kwargs):
    """GET /api/v4/teams/{team_id}/commands/autocomplete"""


@stub("ListCommandAutocompleteSuggestions")
def list_command_autocomplete_suggestions(**kwargs):
    """GET /api/v4/teams/{team_id}/commands/autocomplete_suggestions"""
