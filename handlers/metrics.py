"""Handlers for the 'metrics' operations of the document."""
from handlers.stub import stub


@stub("SubmitPerformanceReport")
def submit_performance_report(**kwargs):
    """POST /api/v4/client_perf"""
