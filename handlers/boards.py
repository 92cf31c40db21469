"""Handlers for the 'boards' operations of the document."""
from handlers.stub import stub


@stub("CreateBoard")
def create_board(**kwargs):
    """POST /api/v4/boards"""
