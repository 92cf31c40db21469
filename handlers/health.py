"""Handlers for the 'health' operations of the document."""
from handlers.stub import stub


@stub("GetHealthFindings")
def get_health_findings(**kwargs):
    """GET /api/v4/health/findings"""


@stub("MuteHealthFinding")
def mute_health_finding(**kwargs):
    """POST /api/v4/health/findings/{fingerprint}/mute"""


@stub("UnmuteHealthFinding")
def unmute_health_finding(**kwargs):
    """DELETE /api/v4/health/findings/{fingerprint}/mute"""
