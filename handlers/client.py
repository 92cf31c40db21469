"""Handlers for the 'client' operations of the document."""
from handlers.stub import stub


@stub("submitPerformanceReport")
def submit_performance_report(**kwargs):
    """POST /api/v4/perf"""
