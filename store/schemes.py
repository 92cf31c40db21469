"""Permission schemes."""
from store import models


def get(scheme_id):
    return models.Scheme.get_or_none((models.Scheme.id == scheme_id) & (models.Scheme.delete_at == 0))


def page(scope, offset, limit):
    query = models.Scheme.select().where(models.Scheme.delete_at == 0)
    if scope:
        query = query.where(models.Scheme.scope == scope)
    return list(query.order_by(models.Scheme.display_name, models.Scheme.id).offset(offset).limit(limit))


def teams_using(scheme_id, offset, limit):
    return list(models.Team.select().where(models.Team.scheme_id == scheme_id)
                .order_by(models.Team.display_name, models.Team.id).offset(offset).limit(limit))


def channels_using(scheme_id, offset, limit):
    return list(models.Channel.select().where(models.Channel.scheme_id == scheme_id)
                .order_by(models.Channel.display_name, models.Channel.id).offset(offset).limit(limit))
