"""The audit trail: who did what security-relevant thing, when, from where."""
import time

from store import models
from store.db import transaction
from store.ids import new_id


def record(user_id, action, extra_info="", ip_address="", session_id=""):
    with transaction():
        models.Audit.insert(id=new_id(), create_at=int(time.time() * 1000), user_id=user_id,
                            action=action[:512], extra_info=extra_info[:1024], ip_address=ip_address[:64],
                            session_id=session_id or "").execute()


def for_user(user_id, offset, limit):
    return list(models.Audit.select().where(models.Audit.user_id == user_id)
                .order_by(models.Audit.create_at.desc(), models.Audit.id).offset(offset).limit(limit))
