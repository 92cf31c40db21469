"""One-time tokens sent by email: created, found while fresh, used once."""
import json
import secrets
import time

from store import models
from store.db import transaction

PASSWORD_RECOVERY = "password_recovery"
VERIFY_EMAIL = "verify_email"
# An emailed team invitation; extra holds {"teamId", "email"} as Mattermost's does.
TEAM_INVITATION = "team_invitation"
GUEST_INVITATION = "guest_invitation"
LIFETIME_MS = {PASSWORD_RECOVERY: 60 * 60 * 1000, VERIFY_EMAIL: 48 * 60 * 60 * 1000,
               TEAM_INVITATION: 48 * 60 * 60 * 1000, GUEST_INVITATION: 48 * 60 * 60 * 1000}
DEFAULT_LIFETIME_MS = 48 * 60 * 60 * 1000  # kinds without their own lifetime (the saml and oauth switch tokens)


def _millis():
    return int(time.time() * 1000)


def create(kind, extra):
    token = secrets.token_hex(32)  # 64 characters, as Mattermost's
    with transaction():
        models.Token.insert(token=token, create_at=_millis(), type=kind, extra=json.dumps(extra)).execute()
    return token


def find(kind, token):
    """(extra, expired) for a token of that kind; None when there is no such token."""
    row = models.Token.get_or_none((models.Token.token == token) & (models.Token.type == kind))
    if row is None:
        return None
    return json.loads(row.extra or "{}"), _millis() - row.create_at > LIFETIME_MS.get(kind, DEFAULT_LIFETIME_MS)


def use_up(token):
    """Delete a token once it has done its job (or has expired)."""
    with transaction():
        models.Token.delete().where(models.Token.token == token).execute()
