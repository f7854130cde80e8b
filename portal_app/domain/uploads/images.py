"""PNG and JPEG: strict parse, then a clean re-encoded copy without EXIF, GPS or comments."""

from __future__ import annotations

import io
import struct
import warnings
import zlib
from dataclasses import dataclass

from PIL import Image, ImageOps

from portal_app.domain.uploads.decoding import GATE, Busy

# What may be decoded, whatever the format: 64 MB of pixels at most (Pillow keeps 4 bytes a
# pixel for RGB). Phones shoot 12 MP by default; 16 MP also fits a 400 dpi A4 scan and a 5K
# screenshot. A PNG is decoded whole, so this is its limit.
MAX_PIXELS = 16_000_000
# A baseline JPEG is decoded at 1/2, 1/4 or 1/8 of its size (libjpeg's draft mode, cheap) to fit
# MAX_PIXELS: 48-50 MP and 108 MP phone modes pass, read at 12.5 MP and 6.75 MP. Pillow itself
# would stop at 179 MP; a 200 MP photo is refused (and weighs far more than 5 MB anyway).
MAX_JPEG_PIXELS = 120_000_000
THUMBNAIL_BOX = (320, 320)
JPEG_QUALITY = 90
# Pillow's storage per pixel; every other mode (RGB included) takes 4 bytes.
_BYTES_PER_PIXEL = {"1": 1, "L": 1, "P": 1, "I;16": 2, "I;16B": 2, "I;16L": 2}
# Pillow warns from 89 MP (and stops at 179 MP): our own limits above apply before any decode.
warnings.filterwarnings("ignore", category=Image.DecompressionBombWarning)

PIL_FORMATS = {"png": ["PNG"], "jpeg": ["JPEG", "MPO"]}

MSG_DAMAGED = "Cette image est endommagée ou incomplète : enregistrez-la de nouveau puis réessayez."
MSG_TRAILING = (
    "Ce fichier contient des données cachées après la fin de l'image. "
    "Enregistrez l'image de nouveau (ou faites une capture d'écran) puis réessayez."
)


class ImageRefused(Exception):
    """Its message is the French reason shown to the user."""


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    width: int
    height: int
    thumbnail: bytes


def too_many_pixels_reason(width: int, height: int, limit: int = MAX_PIXELS) -> str:
    return (
        f"Image trop grande ({width} × {height} pixels) : {limit // 1_000_000} millions de pixels au maximum. "
        "Réduisez sa taille puis réessayez."
    )


def png_end(data: bytes) -> int | None:
    """Offset just past the IEND chunk, or None when the chunk structure is broken or cut."""
    pos = 8
    first = True
    while pos + 8 <= len(data):
        length, ctype = struct.unpack(">I4s", data[pos : pos + 8])
        end = pos + 12 + length
        if end > len(data) or (first and ctype != b"IHDR"):
            return None
        if zlib.crc32(data[pos + 4 : pos + 8 + length]) != struct.unpack(">I", data[end - 4 : end])[0]:
            return None
        first = False
        pos = end
        if ctype == b"IEND":
            return pos
    return None


def jpeg_end(data: bytes) -> int | None:
    """Offset just past the first EOI marker, walking segments and entropy-coded data."""
    pos, n = 2, len(data)
    while pos < n:
        if data[pos] != 0xFF:
            return None
        while pos < n and data[pos] == 0xFF:
            pos += 1
        if pos >= n:
            return None
        marker = data[pos]
        pos += 1
        if marker == 0xD9:
            return pos
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            continue
        if pos + 2 > n:
            return None
        pos += struct.unpack(">H", data[pos : pos + 2])[0]
        if marker == 0xDA:
            # Entropy-coded data: 0xFF is followed by 0x00 (stuffing) or a restart marker inside it.
            while True:
                pos = data.find(b"\xff", pos)
                if pos < 0 or pos + 1 >= n:
                    return None
                following = data[pos + 1]
                if following == 0x00 or 0xD0 <= following <= 0xD7 or following == 0xFF:
                    pos += 1 if following == 0xFF else 2
                    continue
                break
    return None


def _mp_header_offset(data: bytes) -> int:
    """Where the MPF header's offsets count from: just past "MPF\\0" in the APP2 segment."""
    pos = 2
    while pos + 8 <= len(data) and data[pos] == 0xFF and data[pos + 1] not in (0xD9, 0xDA):
        if data[pos + 1] == 0xE2 and data[pos + 4 : pos + 8] == b"MPF\x00":
            return pos + 8
        pos += 2 + struct.unpack(">H", data[pos + 2 : pos + 4])[0]
    return 0


def _declared_end(image: Image.Image, data: bytes, kind: str) -> int | None:
    if kind == "png":
        return png_end(data)
    end = jpeg_end(data)
    if end is not None and image.format == "MPO":
        # Phone cameras append declared secondary pictures (MPO: an iPhone's HDR gain map, a
        # depth map): they are part of the file. Pillow drops info["mpoffset"] once read.
        offset = _mp_header_offset(data)
        for entry in getattr(image, "mpinfo", {}).get(0xB002, []):
            if entry.get("DataOffset"):
                end = max(end, offset + entry["DataOffset"] + entry["Size"])
    return end


def _clean_copy(image: Image.Image, kind: str) -> Image.Image:
    # A rotated JPEG needs a second image; a PNG is cleaned in place (no second copy of its pixels).
    image = (ImageOps.exif_transpose(image) or image) if kind == "jpeg" else image
    kept = {key: image.info[key] for key in ("transparency", "icc_profile") if key in image.info}
    # Whatever else Pillow would write back (exif, comment, xmp, text chunks, dpi) is dropped here.
    image.info = kept
    return image


def _encode(image: Image.Image, kind: str) -> bytes:
    out = io.BytesIO()
    if kind == "png":
        image.save(out, "PNG", compress_level=6)
    else:
        if image.mode not in ("RGB", "L", "CMYK"):
            image = image.convert("RGB")
        image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=False, icc_profile=image.info.get("icc_profile"))
    return out.getvalue()


def _thumbnail(image: Image.Image) -> bytes:
    # Resized straight from the clean image: a full-size copy first would double the peak.
    thumb = ImageOps.contain(image, THUMBNAIL_BOX, Image.Resampling.BILINEAR)
    if thumb.mode in ("RGBA", "LA", "P", "PA") or "transparency" in thumb.info:
        thumb = thumb.convert("RGBA")
        background = Image.new("RGB", thumb.size, "white")
        background.paste(thumb, mask=thumb.getchannel("A"))
        thumb = background
    elif thumb.mode != "RGB":
        thumb = thumb.convert("RGB")
    out = io.BytesIO()
    thumb.save(out, "JPEG", quality=80)
    return out.getvalue()


def _coefficient_bytes(image: Image.Image) -> int:
    """libjpeg keeps every DCT coefficient of a progressive JPEG (2 bytes each) whatever the scale."""
    layers = getattr(image, "layer", None) or [("", 2, 2, 0)] * 4
    h_max = max(layer[1] for layer in layers) or 1
    v_max = max(layer[2] for layer in layers) or 1
    return sum(2 * image.width * image.height * h * v // (h_max * v_max) for _, h, v, _ in layers)


def _draft(image: Image.Image) -> None:
    """Ask libjpeg for the largest of 1/1, 1/2, 1/4, 1/8 scale that fits MAX_PIXELS."""
    width, height = image.size
    scale = 1
    while scale < 8 and -(-width // scale) * -(-height // scale) > MAX_PIXELS:
        scale *= 2
    if scale > 1:
        image.draft(image.mode, (width // scale, height // scale))
    if image.width * image.height > MAX_PIXELS:
        # No draft possible (several tiles, a lossless JPEG): refuse rather than decode it whole.
        raise ImageRefused(too_many_pixels_reason(width, height, MAX_PIXELS))


def _plan(image: Image.Image, data: bytes, kind: str) -> int:
    """Every refusal that needs no pixel, the JPEG scale, then the decode's cost in bytes."""
    width, height = image.size
    drafted = kind == "jpeg" and not image.info.get("progressive")
    limit = MAX_JPEG_PIXELS if drafted else MAX_PIXELS
    if width * height > limit:
        raise ImageRefused(too_many_pixels_reason(width, height, limit))
    end = _declared_end(image, data, kind)
    if end is None:
        raise ImageRefused(MSG_DAMAGED)
    if end < len(data):
        raise ImageRefused(MSG_TRAILING)
    if drafted:
        _draft(image)
    pixels = image.width * image.height * _BYTES_PER_PIXEL.get(image.mode, 4)
    if kind == "png":
        return pixels
    # The decoded photo, its upright (or RGB) copy, and a progressive file's coefficients.
    return 2 * pixels + (_coefficient_bytes(image) if image.info.get("progressive") else 0)


def _decode(image: Image.Image, kind: str) -> CleanImage:
    image.load()
    clean = _clean_copy(image, kind)
    return CleanImage(_encode(clean, kind), clean.width, clean.height, _thumbnail(clean))


def clean_image(data: bytes, kind: str, owner: object = None) -> CleanImage:
    """Decode, strip and re-encode; `owner` (the uploading account) runs one heavy decode at a time."""
    try:
        with Image.open(io.BytesIO(data), formats=PIL_FORMATS[kind]) as image:
            cost = _plan(image, data, kind)
            with GATE.hold(owner, cost):
                try:
                    return _decode(image, kind)
                finally:
                    # The pixels go before the gate lets the next decode in.
                    image.close()
    except ImageRefused:
        raise
    except Busy as busy:
        raise ImageRefused(str(busy)) from None
    except Image.DecompressionBombError:
        # Pillow stops far above our caps before we could read the size: same refusal, no figures.
        limit = MAX_JPEG_PIXELS if kind == "jpeg" else MAX_PIXELS
        raise ImageRefused(
            f"Image trop grande : {limit // 1_000_000} millions de pixels au maximum. Réduisez sa taille puis réessayez."
        ) from None
    except (OSError, ValueError, SyntaxError, struct.error, EOFError, MemoryError):
        # UnidentifiedImageError and "image file is truncated" are OSErrors.
        raise ImageRefused(MSG_DAMAGED) from None
