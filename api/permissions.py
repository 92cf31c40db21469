"""The permission check: what a session's roles allow, by Mattermost's role model.

System scope for now: the union of the permissions of the session's roles
(store/default_roles.json gives Mattermost's defaults). Team and channel scope
(team and channel member roles, schemes) arrive with teams and channels.
"""
from api import errors
from store import roles


def has(session, permission):
    """True if the session's roles grant permission system-wide."""
    return session is not None and permission in roles.permissions_of(session.roles.split())


def require(session, permission):
    if not has(session, permission):
        raise errors.permission_denied([permission])


def can_act_on_user(session, user_id, target_roles=""):
    """Yourself, or anyone with edit_other_users (Mattermost's SessionHasPermissionToUser);
    acting on a system admin also takes manage_system."""
    if session is None:
        return False
    if session.user_id == user_id:
        return True
    if "system_admin" in target_roles.split() and not has(session, "manage_system"):
        return False
    return has(session, "edit_other_users")


def can_act_on_user_or_bot(session, user):
    """can_act_on_user, and for a bot also its owner with manage_bots or anyone
    with manage_others_bots (Mattermost's SessionHasPermissionToUserOrBot)."""
    if can_act_on_user(session, user.id, user.roles):
        return True
    if session is None or not user.is_bot:
        return False
    from store import bots
    pair = bots.get(user.id)
    if pair is None:
        return False
    if pair[0].owner_id == session.user_id:
        return has(session, "manage_bots")
    return has(session, "manage_others_bots")


def is_system_admin(session):
    return has(session, "manage_system")
