"""Roles and the permissions they grant."""
import threading

from store import models

_cache = {}
_cache_lock = threading.Lock()


def all_roles():
    return list(models.Role.select().order_by(models.Role.name))


def get(role_id):
    return models.Role.get_or_none(models.Role.id == role_id)


def get_by_name(name):
    return models.Role.get_or_none(models.Role.name == name)


def get_by_names(names):
    return list(models.Role.select().where(models.Role.name.in_(list(names))).order_by(models.Role.name))


def permissions_of(role_names):
    """The union of the permissions of the named roles (cached per process)."""
    key = tuple(sorted(set(role_names)))
    granted = _cache.get(key)
    if granted is None:
        granted = set()
        for role in get_by_names(key):
            if role.delete_at == 0:
                granted.update(role.permissions.split())
        with _cache_lock:
            _cache[key] = frozenset(granted)
    return granted


def forget_cached():
    """Drop cached permissions (after a role changes)."""
    with _cache_lock:
        _cache.clear()


def set_permissions(role_id, permissions):
    """Replace a role's permissions; the cached lookups are dropped."""
    import time
    from store.db import transaction
    with transaction():
        models.Role.update(permissions=" ".join(permissions), update_at=int(time.time() * 1000)).where(
            models.Role.id == role_id).execute()
    forget_cached()
    return get(role_id)


def known_permissions():
    """Every permission id a role may hold."""
    import json
    import pathlib
    data = json.loads((pathlib.Path(__file__).parent / "default_roles.json").read_text())
    return set(data["permissions"])


_ancillary = None


def ancillary_permissions():
    """{System Console subsection permission: [the permissions it brings]},
    Mattermost's table (store/ancillary_permissions.json)."""
    global _ancillary
    if _ancillary is None:
        import json
        import pathlib
        path = pathlib.Path(__file__).parent / "ancillary_permissions.json"
        _ancillary = json.loads(path.read_text())["ancillary"]
    return _ancillary
