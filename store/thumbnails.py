"""What the server learns from and makes of uploaded images, as Mattermost does:
the width and height (upright, after the EXIF orientation), a thumbnail fitting
120x100, a preview at most 1920 wide, and a 16x16 JPEG mini preview. PNGs get
PNG thumbnails and previews; every other format gets JPEG at quality 90."""
import io
import re

from PIL import Image, ImageOps, UnidentifiedImageError

THUMBNAIL_WIDTH = 120
THUMBNAIL_HEIGHT = 100
PREVIEW_WIDTH = 1920
MINI_PREVIEW_SIZE = 16
JPEG_QUALITY = 90

# EXIF orientations that turn the picture a quarter (width and height swap).
_QUARTER_TURNS = {5, 6, 7, 8}
_SVG_HEAD_BYTES = 64 * 1024


class TooManyPixels(Exception):
    """The image has more pixels than FileSettings.MaxImageResolution allows."""

    def __init__(self, width, height):
        super().__init__("%dx%d" % (width, height))
        self.width, self.height = width, height


class Facts:
    """What an upload's image gave: size, whether clients should show a preview,
    and the encoded thumbnail, preview and mini preview (None when the image
    could not be decoded)."""

    def __init__(self, width=0, height=0, has_preview=False):
        self.width, self.height, self.has_preview = width, height, has_preview
        self.thumbnail = self.preview = self.mini_preview = None
        self.encoding = "jpg"


def examine(path, mime_type, max_pixels):
    """Facts about the image file at path, or None when it is not a readable
    image. Raises TooManyPixels before decoding an image that is too large."""
    if mime_type == "image/svg+xml":
        return _svg(path)
    try:
        with Image.open(path) as image:
            width, height = image.size
            if width * height > max_pixels:
                raise TooManyPixels(width, height)
            orientation = _orientation(image)
            facts = Facts(width, height, has_preview=mime_type != "image/gif")
            if orientation in _QUARTER_TURNS:
                facts.width, facts.height = height, width
            png = image.format == "PNG"
            try:
                image.load()
                upright = ImageOps.exif_transpose(image) if orientation else image
                _render(facts, upright, png)
            except (OSError, ValueError, Image.DecompressionBombError, SyntaxError):
                pass  # kept as uploaded: sizes known, no renditions
            return facts
    except TooManyPixels:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError, SyntaxError):
        return None


def _orientation(image):
    try:
        return int(image.getexif().get(0x0112) or 0)
    except Exception:  # a broken EXIF block is ignored, as Mattermost does
        return 0


def _render(facts, image, png):
    facts.encoding = "png" if png else "jpg"
    width, height = image.size
    if width > height:
        thumb_size = (THUMBNAIL_WIDTH, max(1, round(height * THUMBNAIL_WIDTH / width)))
    else:
        thumb_size = (max(1, round(width * THUMBNAIL_HEIGHT / height)), THUMBNAIL_HEIGHT)
    facts.thumbnail = _encode(image.resize(thumb_size, Image.BILINEAR), png)
    preview = image
    if width > PREVIEW_WIDTH:
        preview = image.resize((PREVIEW_WIDTH, max(1, round(height * PREVIEW_WIDTH / width))), Image.BILINEAR)
    facts.preview = _encode(preview, png)
    facts.mini_preview = _encode(image.resize((MINI_PREVIEW_SIZE, MINI_PREVIEW_SIZE), Image.BILINEAR), False)


def _encode(image, png):
    out = io.BytesIO()
    if png:
        image.save(out, format="PNG")
    else:
        _flatten(image).save(out, format="JPEG", quality=JPEG_QUALITY)
    return out.getvalue()


def _flatten(image):
    """RGB for JPEG: transparent parts become white."""
    if image.mode == "RGB":
        return image
    if image.mode in ("P", "LA", "PA"):
        image = image.convert("RGBA")
    if image.mode == "RGBA":
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.getchannel("A"))
        return background
    return image.convert("RGB")


_SVG_TAG = re.compile(rb"<svg\b[^>]*>", re.IGNORECASE | re.DOTALL)
_SVG_ATTR = re.compile(rb"""\b(width|height|viewBox)\s*=\s*["']([^"']*)["']""", re.IGNORECASE)
_NUMBER = re.compile(rb"^\s*([0-9]+(?:\.[0-9]+)?)\s*(px)?\s*$")


def _svg(path):
    """An SVG's size from its root element's width and height (else its
    viewBox); SVGs get no preview. The XML is not parsed, only scanned."""
    facts = Facts()
    try:
        with open(path, "rb") as f:
            head = f.read(_SVG_HEAD_BYTES)
    except OSError:
        return facts
    tag = _SVG_TAG.search(head)
    if tag is None:
        return facts
    attrs = {name.lower(): value for name, value in _SVG_ATTR.findall(tag.group(0))}
    width, height = _svg_length(attrs.get(b"width")), _svg_length(attrs.get(b"height"))
    if not (width and height) and attrs.get(b"viewbox"):
        parts = re.split(rb"[\s,]+", attrs[b"viewbox"].strip())
        if len(parts) == 4:
            try:
                width, height = int(float(parts[2])), int(float(parts[3]))
            except ValueError:
                width = height = 0
    if width > 0 and height > 0:
        facts.width, facts.height = width, height
    return facts


def _svg_length(value):
    if not value:
        return 0
    match = _NUMBER.match(value)
    return int(float(match.group(1))) if match else 0
