"""Identifiers in Mattermost's format."""
import base64
import os

# Mattermost encodes 16 random bytes in base32 with its own alphabet and no
# padding, which gives 26 lower-case characters.
_STANDARD = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_MATTERMOST = b"ybndrfg8ejkmcpqxot1uwisza345h769"
_TABLE = bytes.maketrans(_STANDARD, _MATTERMOST)
ID_LENGTH = 26


def new_id():
    """Return a new 26-character id, as Mattermost's model.NewId makes them."""
    return base64.b32encode(os.urandom(16))[:ID_LENGTH].translate(_TABLE).decode("ascii")


def is_valid_id(value):
    """True if value has the shape of an id made by new_id."""
    return (isinstance(value, str) and len(value) == ID_LENGTH
            and all(c.isalnum() and (c.islower() or c.isdigit()) for c in value))
