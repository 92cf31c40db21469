"""Handlers for the 'reports' operations of the document."""
from handlers.stub import stub


@stub("RetrieveBatchReportFile")
def retrieve_batch_report_file(**kwargs):
    """GET /api/v4/reports/export/{report_id}"""


@stub("StartBatchUsersExport")
def start_batch_users_export(**kwargs):
    """POST /api/v4/reports/users/export"""
