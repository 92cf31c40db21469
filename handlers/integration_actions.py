"""Handlers for the 'integration_actions' operations of the document."""
from handlers.stub import stub


@stub("ExecuteDialogAction")
def execute_dialog_action(**kwargs):
    """POST /api/v4/actions/dialogs/execute"""


@stub("LookupInteractiveDialog")
def lookup_interactive_dialog(**kwargs):
    """POST /api/v4/actions/dialogs/lookup"""


@stub("OpenInteractiveDialog")
def open_interactive_dialog(**kwargs):
    """POST /api/v4/actions/dialogs/open"""


@stub("SubmitInteractiveDialog")
def submit_interactive_dialog(**kwargs):
    """POST /api/v4/actions/dialogs/submit"""
