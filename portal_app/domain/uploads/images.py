"""PNG and JPEG: strict parse, then a clean re-encoded copy without EXIF, GPS or comments."""

from __future__ import annotations

import io
import struct
import zlib
from dataclasses import dataclass

from PIL import Image, ImageOps

# Well below Pillow's default (89 M, and only a warning there): a 40 MP photo already needs
# 120 MB once decoded. 12 MP phone photos and A4 scans at 600 dpi (35 MP) pass.
MAX_PIXELS = 40_000_000
THUMBNAIL_BOX = (320, 320)
JPEG_QUALITY = 90

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


def too_many_pixels_reason(width: int, height: int) -> str:
    return (
        f"Image trop grande ({width} × {height} pixels) : {MAX_PIXELS // 1_000_000} millions de pixels au maximum. "
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


def _declared_end(image: Image.Image, data: bytes, kind: str) -> int | None:
    if kind == "png":
        return png_end(data)
    end = jpeg_end(data)
    if end is not None and image.format == "MPO":
        # Phone cameras append declared secondary pictures (MPO): they are part of the file.
        offset = image.info.get("mpoffset", 0)
        for entry in getattr(image, "mpinfo", {}).get(0xB002, []):
            if entry.get("DataOffset"):
                end = max(end, offset + entry["DataOffset"] + entry["Size"])
    return end


def _clean_copy(image: Image.Image, kind: str) -> Image.Image:
    image = (ImageOps.exif_transpose(image) or image) if kind == "jpeg" else image.copy()
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


def clean_image(data: bytes, kind: str) -> CleanImage:
    try:
        with Image.open(io.BytesIO(data), formats=PIL_FORMATS[kind]) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ImageRefused(too_many_pixels_reason(width, height))
            end = _declared_end(image, data, kind)
            if end is None:
                raise ImageRefused(MSG_DAMAGED)
            if end < len(data):
                raise ImageRefused(MSG_TRAILING)
            image.load()
            clean = _clean_copy(image, kind)
            return CleanImage(_encode(clean, kind), clean.width, clean.height, _thumbnail(clean))
    except ImageRefused:
        raise
    except Image.DecompressionBombError:
        # Pillow stops far above our cap before we could read the size: same refusal, no figures.
        raise ImageRefused(
            f"Image trop grande : {MAX_PIXELS // 1_000_000} millions de pixels au maximum. Réduisez sa taille puis réessayez."
        ) from None
    except (OSError, ValueError, SyntaxError, struct.error, EOFError, MemoryError):
        # UnidentifiedImageError and "image file is truncated" are OSErrors.
        raise ImageRefused(MSG_DAMAGED) from None
