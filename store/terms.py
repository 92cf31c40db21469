"""Terms of service and who accepted which."""
import time

from store import models
from store.db import transaction


def latest():
    return (models.TermsOfService.select().order_by(models.TermsOfService.create_at.desc()).first())


def get(terms_id):
    return models.TermsOfService.get_or_none(models.TermsOfService.id == terms_id)


def user_acceptance(user_id):
    return models.UserTermsOfService.get_or_none(models.UserTermsOfService.user_id == user_id)


def record_action(user_id, terms_id, accepted):
    """Accepting records the terms for the user; declining removes the record."""
    with transaction():
        models.UserTermsOfService.delete().where(models.UserTermsOfService.user_id == user_id).execute()
        if accepted:
            models.UserTermsOfService.insert(user_id=user_id, terms_of_service_id=terms_id,
                                             create_at=int(time.time() * 1000)).execute()
