"""Handlers for the 'compliance' operations of the document."""
from handlers.stub import stub


@stub("CreateComplianceReport")
def create_compliance_report(**kwargs):
    """POST /api/v4/compliance/reports"""


@stub("GetComplianceReports")
def get_compliance_reports(**kwargs):
    """GET /api/v4/compliance/reports"""


@stub("GetComplianceReport")
def get_compliance_report(**kwargs):
    """GET /api/v4/compliance/reports/{report_id}"""


@stub("DownloadComplianceReport")
def download_compliance_report(**kwargs):
    """GET /api/v4/compliance/reports/{report_id}/download"""
