"""Handlers for the 'agents' operations of the document."""
from handlers.stub import stub


@stub("GetAgents")
def get_agents(**kwargs):
    """GET /api/v4/agents"""


@stub("GetAgentsStatus")
def get_agents_status(**kwargs):
    """GET /api/v4/agents/status"""


@stub("GetLLMServices")
def get_llm_services(**kwargs):
    """GET /api/v4/llmservices"""
