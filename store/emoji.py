"""Custom emoji (Mattermost's Emoji shape), the names of the system emoji, and
the checks and scaling an uploaded emoji image goes through. The image of an
emoji lives in the file store under emoji/<id>/image."""
import io
import json
import os
import re
import time

from store import models

NAME_MAX_LENGTH = 64
SORT_BY_NAME = "name"
MAX_FILE_SIZE = 1 << 19          # 512 KiB, Mattermost's MaxEmojiFileSize
MAX_WIDTH = MAX_HEIGHT = 128     # larger images are scaled down to fit
MAX_ORIGINAL_WIDTH = MAX_ORIGINAL_HEIGHT = 1028   # larger ones are refused
# The formats Mattermost's server decodes, by Pillow's name -> the name in
# Mattermost's "image/<name>" content type.
IMAGE_FORMATS = {"PNG": "png", "JPEG": "jpeg", "GIF": "gif", "BMP": "bmp", "TIFF": "tiff", "WEBP": "webp"}

_VALID_NAME = re.compile(r"^[a-zA-Z0-9+_-]+$")


def _load_system_names():
    path = os.path.join(os.path.dirname(__file__), "system_emoji.json")
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    tones = ["%s_skin_tone" % tone for tone in data["skin_tones"]]
    names = set(data["names"])
    for base in data["skin_tone_names"]:
        names.update("%s_%s" % (base, tone) for tone in tones)
    for base in data["two_different_tone_names"]:
        names.update("%s_%s_%s" % (base, a, b) for a in tones for b in tones if a != b)
    for base in data["two_any_tone_names"]:
        names.update("%s_%s_%s" % (base, a, b) for a in tones for b in tones)
    return frozenset(names)


SYSTEM_NAMES = _load_system_names()


def is_system_name(name):
    return name in SYSTEM_NAMES


def valid_name_format(name):
    """Mattermost's form of an emoji name: 1 to 64 letters, digits, '+', '-', '_'."""
    return isinstance(name, str) and 0 < len(name) <= NAME_MAX_LENGTH and bool(_VALID_NAME.match(name))


def image_path(emoji_id):
    return "emoji/%s/image" % emoji_id


def deleted_image_path(emoji_id):
    return "emoji/%s/image_deleted" % emoji_id


def emoji_json(emoji):
    return {"id": emoji.id, "creator_id": emoji.creator_id, "name": emoji.name, "create_at": emoji.create_at,
            "update_at": emoji.update_at, "delete_at": emoji.delete_at}


def get(emoji_id):
    """The emoji with this id, unless deleted."""
    Emoji = models.Emoji
    return Emoji.select().where((Emoji.id == emoji_id) & (Emoji.delete_at == 0)).first()


def get_by_name(name):
    if not valid_name_format(name):
        return None   # no emoji has such a name
    Emoji = models.Emoji
    return Emoji.select().where((Emoji.name == name) & (Emoji.delete_at == 0)).first()


def create(emoji_id, name, creator_id):
    now = int(time.time() * 1000)
    return models.Emoji.create(id=emoji_id, name=name, creator_id=creator_id, create_at=now, update_at=now,
                               delete_at=0)


def delete(emoji_id):
    """Soft-delete; False when there was no live emoji with this id."""
    now = int(time.time() * 1000)
    Emoji = models.Emoji
    return Emoji.update(delete_at=now, update_at=now).where(
        (Emoji.id == emoji_id) & (Emoji.delete_at == 0)).execute() > 0


def list_page(offset, limit, sort=""):
    """A page of the live emoji; by name with sort="name" (else in creation order)."""
    Emoji = models.Emoji
    order = (Emoji.name, Emoji.id) if sort == SORT_BY_NAME else (Emoji.create_at, Emoji.id)
    return list(Emoji.select().where(Emoji.delete_at == 0).order_by(*order).offset(offset).limit(limit))


def search(term, prefix_only, limit):
    """Live emoji whose names start with term (or contain it, unless
    prefix_only), by name, at most limit. Matching is case-sensitive on every
    store (as on Mattermost's PostgreSQL)."""
    if "\0" in term:
        return []   # no name holds one (and PostgreSQL refuses them in queries)
    Emoji = models.Emoji
    # The SQL match is case-insensitive, on the longest piece of the term
    # without LIKE's special characters: it finds a superset, which the exact
    # test below narrows.
    pattern = max(re.split(r"[\\%_]", term), key=len)
    query = Emoji.select().where(Emoji.delete_at == 0).order_by(Emoji.name, Emoji.id)
    if pattern:
        query = query.where(Emoji.name.contains(pattern))
    found = []
    for emoji in query.iterator():
        if emoji.name.startswith(term) if prefix_only else term in emoji.name:
            found.append(emoji)
            if len(found) >= limit:
                break
    return found


# ---------------------------------------------------------------------------
# Images.

class BadImage(Exception):
    """The bytes are not a readable image of a format Mattermost decodes."""


class ImageTooLarge(Exception):
    """The image is wider or taller than MAX_ORIGINAL_WIDTH/HEIGHT."""


def image_format(data):
    """The Mattermost name of the image's format ("png", "gif", ...), or None."""
    from PIL import Image, UnidentifiedImageError
    try:
        with Image.open(io.BytesIO(data)) as image:
            return IMAGE_FORMATS.get(image.format)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None


def _fit(width, height):
    """The size that fits MAX_WIDTH x MAX_HEIGHT keeping the aspect ratio."""
    if width * MAX_HEIGHT >= height * MAX_WIDTH:
        return MAX_WIDTH, max(1, round(height * MAX_WIDTH / width))
    return max(1, round(width * MAX_HEIGHT / height)), MAX_HEIGHT


def prepare_image(data):
    """The bytes to store for an uploaded emoji image: unchanged when it fits
    128x128; scaled down to fit otherwise (every frame of a GIF, kept a GIF;
    other formats become PNG). Raises BadImage or ImageTooLarge."""
    from PIL import Image, ImageSequence, UnidentifiedImageError
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in IMAGE_FORMATS:
                raise BadImage("format %s is not accepted" % image.format)
            width, height = image.size
            if width > MAX_ORIGINAL_WIDTH or height > MAX_ORIGINAL_HEIGHT:
                raise ImageTooLarge("%dx%d" % (width, height))
            if width <= MAX_WIDTH and height <= MAX_HEIGHT:
                return data
            size = _fit(width, height)
            out = io.BytesIO()
            if image.format == "GIF":
                frames, durations = [], []
                for frame in ImageSequence.Iterator(image):
                    frames.append(frame.convert("RGBA").resize(size, Image.LANCZOS))
                    durations.append(frame.info.get("duration", image.info.get("duration", 100)))
                save = {"format": "GIF", "save_all": True, "append_images": frames[1:], "duration": durations,
                        "disposal": 2}
                if "loop" in image.info:
                    save["loop"] = image.info["loop"]
                frames[0].save(out, **save)
            else:
                image.convert("RGBA").resize(size, Image.LANCZOS).save(out, format="PNG")
            return out.getvalue()
    except (UnidentifiedImageError, OSError, ValueError, EOFError, Image.DecompressionBombError) as e:
        raise BadImage(str(e))
