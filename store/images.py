"""Images the server makes or checks: users' profile pictures."""
import functools
import hashlib
import io

from PIL import Image, ImageDraw, ImageFont, UnidentifiedImageError

PROFILE_SIZE = 128
ACCEPTED_FORMATS = {"PNG", "JPEG", "GIF", "BMP"}


class BadImage(Exception):
    """The bytes are not an image of an accepted kind, or too large to decode."""


# Generated defaults kept per process (a few KB each): a picture depends only on
# the user id (its colour) and the username's first letter, so the key changes
# by itself when a rename changes the letter.
DEFAULT_CACHE_SIZE = 4096


def default_profile_image(user_id, username):
    """A PNG of the username's first letter on a colour chosen by the user id."""
    return _default_png(user_id, (username[:1] or "?").upper())


@functools.lru_cache(maxsize=DEFAULT_CACHE_SIZE)
def _default_png(user_id, letter):
    digest = hashlib.sha256(user_id.encode()).digest()
    background = (digest[0] % 160 + 40, digest[1] % 160 + 40, digest[2] % 160 + 40)
    image = Image.new("RGB", (PROFILE_SIZE, PROFILE_SIZE), background)
    draw = ImageDraw.Draw(image)
    font = _font()
    draw.text((PROFILE_SIZE / 2, PROFILE_SIZE / 2), letter, fill=(255, 255, 255), font=font, anchor="mm")
    return _png(image)


@functools.lru_cache(maxsize=1)
def _font():
    return ImageFont.load_default(size=72)


def profile_image(data, max_pixels):
    """An uploaded picture, cropped to a centred square and scaled to 128x128 PNG."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in ACCEPTED_FORMATS:
                raise BadImage("format %s is not accepted" % image.format)
            if image.width * image.height > max_pixels:
                raise BadImage("image of %dx%d is too large" % (image.width, image.height))
            image = image.convert("RGBA")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as e:
        raise BadImage(str(e))
    side = min(image.width, image.height)
    left, top = (image.width - side) // 2, (image.height - side) // 2
    image = image.crop((left, top, left + side, top + side)).resize((PROFILE_SIZE, PROFILE_SIZE))
    return _png(image)


def _png(image):
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
