"""Personal access tokens. A token authenticates through a session that carries
it (created on first use); revoking or disabling the token ends that session."""
from store import models
from store.db import transaction
from store.ids import new_id


def create(user_id, description):
    row = {"id": new_id(), "token": new_id(), "user_id": user_id, "description": description, "is_active": True}
    with transaction():
        models.UserAccessToken.insert(row).execute()
    return models.UserAccessToken.get_by_id(row["id"])


def get(token_id):
    return models.UserAccessToken.get_or_none(models.UserAccessToken.id == token_id)


def get_by_token(token):
    return models.UserAccessToken.get_or_none(models.UserAccessToken.token == token)


def for_user(user_id, offset, limit):
    return list(models.UserAccessToken.select().where(models.UserAccessToken.user_id == user_id)
                .order_by(models.UserAccessToken.id).offset(offset).limit(limit))


def page(offset, limit):
    return list(models.UserAccessToken.select().order_by(models.UserAccessToken.id).offset(offset).limit(limit))


def search(term, limit=100):
    """Tokens whose id, description or owner's username starts with term."""
    term = term.lower()
    query = (models.UserAccessToken.select(models.UserAccessToken)
             .join(models.User, on=(models.User.id == models.UserAccessToken.user_id))
             .where(models.UserAccessToken.id.startswith(term)
                    | models.UserAccessToken.description.startswith(term)
                    | models.User.username.startswith(term)))
    return list(query.order_by(models.UserAccessToken.id).limit(limit))


def _end_sessions(token):
    from store.sessions import _ended
    ids = [s.id for s in models.Session.select(models.Session.id).where(models.Session.token == token.token)]
    if ids:
        models.Session.delete().where(models.Session.id.in_(ids)).execute()
        _ended(session_ids=ids)   # by id: no token travels on the event bus


def set_active(token, active):
    with transaction():
        models.UserAccessToken.update(is_active=active).where(models.UserAccessToken.id == token.id).execute()
        if not active:
            _end_sessions(token)


def revoke(token):
    with transaction():
        models.UserAccessToken.delete().where(models.UserAccessToken.id == token.id).execute()
        _end_sessions(token)
