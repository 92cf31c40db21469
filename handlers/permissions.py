"""Handlers for the 'permissions' operations of the document."""
from api import errors
from store import roles as store_roles


def get_ancillary_permissions_post(body):
    """The given System Console subsection permissions followed by the
    permissions each one brings with it (as Mattermost lists them: in order,
    repeats kept)."""
    if not isinstance(body, list) or not body or not all(isinstance(p, str) for p in body):
        raise errors.invalid_param("subsection_permissions")
    if len(body) > 1000:
        raise errors.invalid_param("subsection_permissions", "at most 1000")
    ancillary = store_roles.ancillary_permissions()
    result = list(body)
    for permission in body:
        result.extend(ancillary.get(permission, ()))
    return result
