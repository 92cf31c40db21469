"""Stubs for operations that have no handler yet.

scripts/scaffold_handlers.py writes one per operationId it finds unhandled:

    @stub("GetUsers")
    def get_users(**kwargs):
        ...

A stub answers 501 in Mattermost's error format. Replace it with the real
handler (drop the decorator, name the parameters) when the operation is built.
"""
import functools

from api import errors


def stub(operation_id):
    def decorate(function):
        @functools.wraps(function)
        def not_implemented(**kwargs):
            raise errors.not_implemented(operation_id)

        not_implemented.is_stub = True
        not_implemented.operation_id = operation_id
        return not_implemented

    return decorate


def is_stub(function):
    return getattr(function, "is_stub", False)
