"""Password hashes in the format Mattermost 11 stores, so they move between the
two servers: a PHC string

    $pbkdf2$f=SHA256,w=600000,l=32$<salt>$<hash>

with PBKDF2-HMAC-SHA256, a 16-byte random salt, a 32-byte key, and salt and key
in unpadded standard base64. The work factor w is Mattermost's 600,000 unless
PythonSettings.PasswordWorkFactor says otherwise (the tests use a small one);
verification always reads the parameters from the stored string. Hashes from
older Mattermost servers (bcrypt, "$2a$...") still verify, and need_rehash()
says when to store a new one.
"""
import base64
import hashlib
import hmac
import os

DEFAULT_WORK_FACTOR = 600_000
KEY_LENGTH = 32
SALT_LENGTH = 16
MAX_PASSWORD_BYTES = 72  # Mattermost refuses longer passwords before hashing
_FUNCTIONS = {"SHA256": "sha256", "SHA512": "sha512", "SHA1": "sha1"}

_work_factor = DEFAULT_WORK_FACTOR


def set_work_factor(work_factor):
    global _work_factor
    _work_factor = int(work_factor) if work_factor else DEFAULT_WORK_FACTOR


def _b64(data):
    return base64.b64encode(data).decode("ascii").rstrip("=")


def _unb64(text):
    return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)


def hash_password(password, work_factor=None):
    """The PHC string for password (a str; at most 72 bytes in UTF-8)."""
    work_factor = work_factor or _work_factor
    salt = os.urandom(SALT_LENGTH)
    key = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, work_factor, KEY_LENGTH)
    return "$pbkdf2$f=SHA256,w=%d,l=%d$%s$%s" % (work_factor, KEY_LENGTH, _b64(salt), _b64(key))


def _parse_pbkdf2(phc):
    """(function, work factor, key length, salt, key) of a PBKDF2 PHC string, or None."""
    parts = phc.split("$")
    if len(parts) != 5 or parts[0] != "" or parts[1] != "pbkdf2":
        return None
    try:
        params = dict(item.split("=", 1) for item in parts[2].split(","))
        function = _FUNCTIONS[params["f"]]
        work_factor, key_length = int(params["w"]), int(params["l"])
        salt, key = _unb64(parts[3]), _unb64(parts[4])
    except (KeyError, ValueError):
        return None
    if work_factor <= 0 or key_length != len(key):
        return None
    return function, work_factor, key_length, salt, key


def verify(password, phc):
    """True if password matches the stored hash (PBKDF2 PHC, or legacy bcrypt)."""
    if not phc or password is None:
        return False
    encoded = password.encode("utf-8")
    if phc.startswith("$2"):
        import bcrypt
        try:
            return bcrypt.checkpw(encoded, phc.encode("ascii"))
        except ValueError:
            return False
    parsed = _parse_pbkdf2(phc)
    if parsed is None:
        return False
    function, work_factor, key_length, salt, key = parsed
    candidate = hashlib.pbkdf2_hmac(function, encoded, salt, work_factor, key_length)
    return hmac.compare_digest(candidate, key)


def needs_rehash(phc):
    """True if a verified hash should be replaced by one in the current format."""
    parsed = _parse_pbkdf2(phc)
    return parsed is None or parsed[0] != "sha256" or parsed[1] != _work_factor or parsed[2] != KEY_LENGTH
