"""Preferences: a user's (category, name) -> value settings, as Mattermost's Preferences table.

Reads come back ordered by category then name, so a client gets the same order
on SQLite and PostgreSQL (Mattermost's queries name no order at all).
"""
from store import models
from store.db import transaction

_P = models.Preference


def _ordered(query):
    return list(query.order_by(_P.category, _P.name))


def for_user(user_id):
    """Every preference of the user."""
    return _ordered(_P.select().where(_P.user_id == user_id))


def for_category(user_id, category):
    """The user's preferences in one category."""
    return _ordered(_P.select().where((_P.user_id == user_id) & (_P.category == category)))


def get(user_id, category, name):
    """One preference, or None."""
    return _P.get_or_none((_P.user_id == user_id) & (_P.category == category) & (_P.name == name))


def save(preferences):
    """Insert or overwrite each preference (dicts with user_id, category, name,
    value), in order and all or nothing: a later duplicate of the same key wins."""
    with transaction():
        for preference in preferences:
            (_P.insert(user_id=preference["user_id"], category=preference["category"],
                       name=preference["name"], value=preference["value"])
             .on_conflict(conflict_target=[_P.user_id, _P.category, _P.name],
                          update={_P.value: preference["value"]})
             .execute())


def delete(user_id, keys):
    """Delete the user's preferences named by (category, name) pairs; absent ones are ignored."""
    if not keys:
        return 0
    deleted = 0
    with transaction():
        for category, name in keys:
            deleted += _P.delete().where((_P.user_id == user_id) & (_P.category == category)
                                         & (_P.name == name)).execute()
    return deleted
