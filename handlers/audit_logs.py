"""Handlers for the 'audit_logs' operations of the document."""
from handlers.stub import stub


@stub("AddAuditLogCertificate")
def add_audit_log_certificate(**kwargs):
    """POST /api/v4/audit_logs/certificate"""


@stub("RemoveAuditLogCertificate")
def remove_audit_log_certificate(**kwargs):
    """DELETE /api/v4/audit_logs/certificate"""
