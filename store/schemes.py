"""Permission schemes."""
from store import models


def get(scheme_id):
    return models.Scheme.get_or_none((models.Scheme.id == scheme_id) & (models.Scheme.delete_at == 0))


def page(scope, offset, limit):
    query = models.Scheme.select().where(models.Scheme.delete_at == 0)
    if scope:
        query = query.where(models.Scheme.scope == scope)
    return list(query.order_by(models.Scheme.display_name, models.Scheme.id).offset(offset).limit(limit))
