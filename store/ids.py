"""Identifiers in Mattermost's format."""
import os

# Mattermost encodes 16 random bytes in base32 with its own alphabet and no
# padding, which gives 26 lower-case characters (the last carries 3 bits).
ALPHABET = "ybndrfg8ejkmcpqxot1uwisza345h769"
ID_LENGTH = 26
# Two characters per 10 bits: 13 lookups make an id (base64.b32encode is pure
# Python and several times slower; an id is made for every request).
_PAIRS = [ALPHABET[i >> 5] + ALPHABET[i & 31] for i in range(1024)]


def new_id():
    """Return a new 26-character id, as Mattermost's model.NewId makes them."""
    n = int.from_bytes(os.urandom(16), "big") << 2  # 128 bits, zero-padded to 130
    pairs = _PAIRS
    return "".join([pairs[(n >> shift) & 1023] for shift in range(120, -1, -10)])


def is_valid_id(value):
    """True if value passes Mattermost's IsValidId: 26 bytes of UTF-8, every
    character a letter or a digit (any such string, not only ids it made)."""
    # str.isalnum() is exactly "every character isalpha() or isnumeric()".
    return isinstance(value, str) and len(value.encode("utf-8", "surrogatepass")) == ID_LENGTH and value.isalnum()
