"""Multi-factor authentication: TOTP (RFC 6238; 6 digits, 30 s, SHA-1), as
Mattermost and authenticator apps use it."""
import base64
import io

import pyotp
import qrcode

from store import models
from store.db import transaction
from store.users import write

SECRET_BYTES = 20


def new_secret():
    return base64.b32encode(__import__("os").urandom(SECRET_BYTES)).decode("ascii").rstrip("=")


def qr_png(secret, account, issuer):
    """The otpauth:// URL of the secret as a PNG QR code."""
    uri = pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=issuer)
    out = io.BytesIO()
    qrcode.make(uri).save(out, format="PNG")
    return out.getvalue()


def code_ok(secret, code):
    """True if code is the current one, or one 30 s step either side (clock drift)."""
    if not secret or not isinstance(code, str) or not code.isdigit():
        return False
    return pyotp.TOTP(secret).verify(code, valid_window=1)


def store_secret(user_id, secret):
    with transaction():
        write(user_id, mfa_secret=secret, mfa_active=False)


def set_active(user_id, active):
    values = {models.User.mfa_active: active}
    if not active:
        values[models.User.mfa_secret] = ""
    with transaction():
        write(user_id, values)
